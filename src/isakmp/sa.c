/* sa: SA payload internals: proposals, transforms and data attributes (RFC 2408 3.3-3.6).
 *
 * Proposals and transforms are chained by their own next fields (2 = another proposal,
 * 3 = another transform, 0 = last) and must fill their parent exactly. Their storage is
 * taken from the digest's pools in order, so one SA's proposals are contiguous.
 */
#include <string.h>

#include "isakmp/desc.h"

#define PROP_MIN_LEN 8u  /* generic header + num, proto, spi size, # transforms */
#define TRANS_MIN_LEN 8u /* generic header + num, id, reserved2 */

/* Data attribute (RFC 2408 3.3):
 * !A!       Attribute Type        !    AF=0  Attribute Length     !
 * !F!                             !    AF=1  Attribute Value      !
 * .                   AF=0  Attribute Value                       .
 * .                   AF=1  Not Transmitted                       . */
enum isakmp_perr attrs_decode(struct isakmp_digest *d, struct buf *in,
			      const struct isakmp_attr **first, unsigned *n)
{
	*first = &d->attr_pool[d->nattr];
	*n = 0;
	while (buf_left(in)) {
		uint16_t type, lv;
		if (d->nattr == ISAKMP_MAX_ATTRS)
			return ISAKMP_PERR_TOO_MANY;
		if (!buf_get_u16(in, &type) || !buf_get_u16(in, &lv))
			return ISAKMP_PERR_ATTR; /* 1 to 3 stray bytes */
		struct isakmp_attr *a = &d->attr_pool[d->nattr];
		a->type = type & ISAKMP_ATTR_TYPE_MASK;
		a->tv = (type & ISAKMP_ATTR_AF_TV) != 0;
		if (a->tv) {
			a->value = lv;
			a->len = 2;
			a->data = buf_cur(in) - 2;
		} else {
			if (lv > buf_left(in))
				return ISAKMP_PERR_ATTR; /* length past the end */
			a->value = 0;
			a->len = lv;
			a->data = buf_cur(in);
			buf_skip(in, lv);
		}
		d->nattr++;
		(*n)++;
	}
	return ISAKMP_PERR_OK;
}

bool isakmp_attr_u64(const struct isakmp_attr *a, uint64_t *v)
{
	*v = 0;
	if (a->tv) {
		*v = a->value;
		return true;
	}
	if (a->len == 0 || a->len > 8)
		return false;
	for (unsigned i = 0; i < a->len; i++)
		*v = *v << 8 | a->data[i];
	return true;
}

const struct isakmp_attr *isakmp_attr_find(const struct isakmp_attr *a, unsigned n,
					   uint16_t type)
{
	for (unsigned i = 0; i < n; i++)
		if (a[i].type == type)
			return &a[i];
	return NULL;
}

static enum isakmp_perr transform_decode(struct isakmp_digest *d, struct isakmp_transform *t,
					 struct buf *body)
{
	struct trans_wire w;
	if (!desc_read(desc_fields_trans, body, &w))
		return ISAKMP_PERR_MALFORMED;
	t->num = w.num;
	t->id = w.id;
	return attrs_decode(d, body, &t->attrs, &t->nattrs);
}

/* RFC 2407 4.4.1 and 2408 2.4: SPI sizes each protocol can carry. */
static bool spi_len_ok(uint8_t proto, uint8_t n)
{
	switch (proto) {
	case ISAKMP_PROTO_ISAKMP:
		/* RFC 2408 says 0 or the cookies; nobody reads it, so take any up to 16 */
		return n <= 2 * ISAKMP_COOKIE_LEN;
	case ISAKMP_PROTO_IPSEC_AH:
	case ISAKMP_PROTO_IPSEC_ESP:
		return n == 4;
	case ISAKMP_PROTO_IPCOMP:
		return n == 2 || n == 4; /* a CPI, sent as 2 or 4 bytes */
	}
	return false;
}

static enum isakmp_perr proposal_decode(struct isakmp_digest *d, struct isakmp_proposal *p,
					struct buf *body)
{
	struct prop_wire w;
	if (!desc_read(desc_fields_prop, body, &w))
		return ISAKMP_PERR_MALFORMED;
	if (w.proto < ISAKMP_PROTO_ISAKMP || w.proto > ISAKMP_PROTO_IPCOMP)
		return ISAKMP_PERR_PROTOCOL;
	if (!spi_len_ok(w.proto, w.spi_len))
		return ISAKMP_PERR_SPI;
	if (w.ntrans == 0)
		return ISAKMP_PERR_PROPOSAL;
	p->num = w.num;
	p->proto = w.proto;
	p->spi_len = w.spi_len;
	memset(p->spi, 0, sizeof(p->spi));
	if (w.spi_len)
		memcpy(p->spi, w.spi, w.spi_len);
	p->transforms = &d->trans_pool[d->ntrans];
	p->ntransforms = 0;
	uint8_t next = ISAKMP_PT_T;
	while (next == ISAKMP_PT_T && buf_left(body)) {
		struct gen_hdr gh;
		struct buf tb;
		enum isakmp_perr e = desc_read_sub(body, TRANS_MIN_LEN, &gh, &tb);
		if (e)
			return e;
		if (gh.next != ISAKMP_PT_T && gh.next != ISAKMP_PT_NONE)
			return ISAKMP_PERR_PROPOSAL;
		if (d->ntrans == ISAKMP_MAX_TRANSFORMS)
			return ISAKMP_PERR_TOO_MANY;
		struct isakmp_transform *t = &d->trans_pool[d->ntrans++];
		t->raw = tb.ptr - ISAKMP_GEN_LEN;
		t->raw_len = gh.len;
		if ((e = transform_decode(d, t, &tb)) != ISAKMP_PERR_OK)
			return e;
		p->ntransforms++;
		next = gh.next;
	}
	if (next != ISAKMP_PT_NONE)
		return ISAKMP_PERR_MALFORMED; /* announced another transform, found the end */
	if (buf_left(body))
		return ISAKMP_PERR_MALFORMED;
	if (p->ntransforms != w.ntrans)
		return ISAKMP_PERR_PROPOSAL;
	return ISAKMP_PERR_OK;
}

enum isakmp_perr sa_decode(struct isakmp_digest *d, struct isakmp_sa *sa, const uint8_t *p,
			   size_t len)
{
	struct buf in = buf_view(p, len);
	sa->proposals = &d->prop_pool[d->nprop];
	sa->nproposals = 0;
	if (len == 0)
		return ISAKMP_PERR_PROPOSAL; /* an SA offers at least one proposal */
	uint8_t next = ISAKMP_PT_P;
	int last_num = -1;
	while (next == ISAKMP_PT_P && buf_left(&in)) {
		struct gen_hdr gh;
		struct buf pb;
		enum isakmp_perr e = desc_read_sub(&in, PROP_MIN_LEN, &gh, &pb);
		if (e)
			return e;
		if (gh.next != ISAKMP_PT_P && gh.next != ISAKMP_PT_NONE)
			return ISAKMP_PERR_PROPOSAL;
		if (d->nprop == ISAKMP_MAX_PROPOSALS)
			return ISAKMP_PERR_TOO_MANY;
		struct isakmp_proposal *pr = &d->prop_pool[d->nprop++];
		if ((e = proposal_decode(d, pr, &pb)) != ISAKMP_PERR_OK)
			return e;
		/* equal numbers are one proposal over several protocols (RFC 2408 4.2) */
		if ((int)pr->num < last_num)
			return ISAKMP_PERR_PROPOSAL;
		last_num = pr->num;
		sa->nproposals++;
		next = gh.next;
	}
	if (next != ISAKMP_PT_NONE || buf_left(&in))
		return ISAKMP_PERR_MALFORMED;
	return ISAKMP_PERR_OK;
}
