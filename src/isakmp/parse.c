/* parse: ISAKMP header checks (RFC 2408 5.2) and the payload chain into a digest. */
#include "isakmp/digest.h"

#include <string.h>

#include "isakmp/desc.h"

void isakmp_digest_init(struct isakmp_digest *d)
{
	/* only the bookkeeping: the pools are written before they are read */
	memset(&d->hdr, 0, sizeof(d->hdr));
	d->msg = d->encrypted = d->chain = NULL;
	d->msg_len = d->encrypted_len = d->chain_len = 0;
	d->npayloads = 0;
	memset(d->first, 0xff, sizeof(d->first));
	memset(d->count, 0, sizeof(d->count));
	d->nprop = d->ntrans = d->nattr = 0;
	d->err_offset = 0;
}

enum isakmp_perr isakmp_parse_hdr(const uint8_t *p, size_t len, struct isakmp_hdr *h)
{
	if (!p || len < ISAKMP_HDR_LEN)
		return ISAKMP_PERR_SHORT;
	memcpy(h->icookie, p, ISAKMP_COOKIE_LEN);
	memcpy(h->rcookie, p + 8, ISAKMP_COOKIE_LEN);
	h->next_payload = p[16];
	h->version = p[17];
	h->exchange = p[18];
	h->flags = p[19];
	h->msgid = (uint32_t)p[20] << 24 | (uint32_t)p[21] << 16 | (uint32_t)p[22] << 8 | p[23];
	h->length = (uint32_t)p[24] << 24 | (uint32_t)p[25] << 16 | (uint32_t)p[26] << 8 | p[27];
	return ISAKMP_PERR_OK;
}

static bool exchange_known(uint8_t x)
{
	switch (x) {
	case ISAKMP_EXCH_BASE:
	case ISAKMP_EXCH_IDENT:
	case ISAKMP_EXCH_AUTH:
	case ISAKMP_EXCH_AGGRESSIVE:
	case ISAKMP_EXCH_INFO:
	case ISAKMP_EXCH_TRANSACTION:
	case ISAKMP_EXCH_QUICK:
	case ISAKMP_EXCH_NEWGROUP:
	case ISAKMP_EXCH_ACKINFO:
		return true;
	}
	return false;
}

static enum isakmp_perr check_hdr(const struct isakmp_hdr *h, size_t len)
{
	static const uint8_t zero[ISAKMP_COOKIE_LEN];
	/* RFC 2408 5.2 order: cookie, (payload type in the chain), version, exchange,
	 * flags; the length first because nothing else matters if it lies */
	if (h->length != len) /* RFC 2408 5.1: unequal lengths MUST be rejected */
		return ISAKMP_PERR_LENGTH;
	if (memcmp(h->icookie, zero, sizeof(zero)) == 0)
		return ISAKMP_PERR_COOKIE;
	if (h->version >> 4 != ISAKMP_VERSION >> 4)
		return ISAKMP_PERR_MAJOR_VERSION;
	if ((h->version & 0x0f) != (ISAKMP_VERSION & 0x0f))
		return ISAKMP_PERR_MINOR_VERSION;
	if (!exchange_known(h->exchange))
		return ISAKMP_PERR_EXCHANGE;
	if (h->flags & ~(ISAKMP_FLAG_E | ISAKMP_FLAG_C | ISAKMP_FLAG_A))
		return ISAKMP_PERR_FLAGS;
	return ISAKMP_PERR_OK;
}

static enum isakmp_perr decode_body(struct isakmp_digest *d, const struct payload_desc *pd,
				    struct isakmp_payload *p)
{
	struct buf in = buf_view(p->body, p->len);
	if (p->len < pd->min_len)
		return pd->short_err;
	memset(&p->u, 0, sizeof(p->u));
	if (!pd->fields)
		return ISAKMP_PERR_OK;
	if (!desc_read(pd->fields, &in, &p->u))
		return ISAKMP_PERR_MALFORMED;
	enum isakmp_perr e = pd->check ? pd->check(d, p, &in) : ISAKMP_PERR_OK;
	if (e == ISAKMP_PERR_OK && buf_left(&in))
		return ISAKMP_PERR_MALFORMED; /* bytes nobody accounted for */
	return e;
}

enum isakmp_perr isakmp_decode_payload(struct isakmp_digest *d, uint8_t type,
				       const uint8_t *body, size_t len,
				       struct isakmp_payload *out)
{
	const struct payload_desc *pd = payload_desc_get(type);
	memset(out, 0, sizeof(*out));
	out->type = type;
	out->next_same = -1;
	out->body = out->raw = body;
	out->len = out->raw_len = body ? len : 0;
	if (!pd)
		return ISAKMP_PERR_PAYLOAD_TYPE;
	if (!body)
		return pd->short_err;
	return decode_body(d, pd, out);
}

static void link_payload(struct isakmp_digest *d, unsigned idx)
{
	uint8_t t = d->payloads[idx].type;
	if (d->first[t] < 0) {
		d->first[t] = (int16_t)idx;
	} else {
		int i = d->first[t];
		while (d->payloads[i].next_same >= 0)
			i = d->payloads[i].next_same;
		d->payloads[i].next_same = (int)idx;
	}
	d->count[t]++;
}

/* The chain starting with `type` in p/len; padding allowed after the last payload only
 * in decrypted bodies. */
static enum isakmp_perr parse_chain(struct isakmp_digest *d, uint8_t type, const uint8_t *p,
				    size_t len, bool padding)
{
	struct buf in = buf_view(p, len);
	d->chain = p;
	while (type != ISAKMP_PT_NONE) {
		const struct payload_desc *pd = payload_desc_get(type);
		d->err_offset = in.pos;
		if (!pd)
			return ISAKMP_PERR_PAYLOAD_TYPE;
		if (d->npayloads == ISAKMP_MAX_PAYLOADS)
			return ISAKMP_PERR_TOO_MANY;
		struct isakmp_payload *pl = &d->payloads[d->npayloads];
		struct gen_hdr gh;
		struct buf body;
		pl->raw = buf_cur(&in);
		enum isakmp_perr e = desc_read_sub(&in, ISAKMP_GEN_LEN, &gh, &body);
		if (e)
			return e;
		pl->type = type;
		pl->next_type = gh.next;
		pl->next_same = -1;
		pl->raw_len = gh.len;
		pl->body = body.ptr;
		pl->len = body.len;
		if ((e = decode_body(d, pd, pl)) != ISAKMP_PERR_OK)
			return e;
		link_payload(d, d->npayloads++);
		type = gh.next;
	}
	d->chain_len = in.pos;
	d->err_offset = in.pos;
	if (!padding && buf_left(&in))
		return ISAKMP_PERR_MALFORMED;
	return ISAKMP_PERR_OK;
}

enum isakmp_perr isakmp_parse(const uint8_t *msg, size_t len, struct isakmp_digest *d)
{
	isakmp_digest_init(d);
	enum isakmp_perr e = isakmp_parse_hdr(msg, len, &d->hdr);
	if (e)
		return e;
	if ((e = check_hdr(&d->hdr, len)) != ISAKMP_PERR_OK)
		return e;
	d->msg = msg;
	d->msg_len = d->hdr.length;
	/* a fragment payload is never encrypted (its data may be); racoon still sets E on
	 * fragments of encrypted messages */
	if ((d->hdr.flags & ISAKMP_FLAG_E) && d->hdr.next_payload != ISAKMP_PT_FRAG) {
		d->encrypted = msg + ISAKMP_HDR_LEN;
		d->encrypted_len = d->msg_len - ISAKMP_HDR_LEN;
		if (d->encrypted_len == 0)
			return ISAKMP_PERR_MALFORMED;
		return ISAKMP_PERR_ENCRYPTED;
	}
	return parse_chain(d, d->hdr.next_payload, msg + ISAKMP_HDR_LEN,
			   d->msg_len - ISAKMP_HDR_LEN, false);
}

enum isakmp_perr isakmp_parse_body(struct isakmp_digest *d, const uint8_t *plain, size_t len)
{
	d->npayloads = 0;
	memset(d->first, 0xff, sizeof(d->first));
	memset(d->count, 0, sizeof(d->count));
	d->nprop = d->ntrans = d->nattr = 0;
	if (!plain) /* never form pointers from NULL */
		return d->hdr.next_payload == ISAKMP_PT_NONE ? ISAKMP_PERR_OK : ISAKMP_PERR_MALFORMED;
	return parse_chain(d, d->hdr.next_payload, plain, len, true);
}

const struct isakmp_payload *isakmp_first(const struct isakmp_digest *d, uint8_t type)
{
	int i = d->first[type];
	return i < 0 ? NULL : &d->payloads[i];
}

const struct isakmp_payload *isakmp_next(const struct isakmp_digest *d,
					 const struct isakmp_payload *p)
{
	return p->next_same < 0 ? NULL : &d->payloads[p->next_same];
}

unsigned isakmp_count(const struct isakmp_digest *d, uint8_t type)
{
	return d->count[type];
}

uint16_t isakmp_perr_notify(enum isakmp_perr e)
{
	static const uint16_t map[] = {
		[ISAKMP_PERR_LENGTH] = ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS,
		[ISAKMP_PERR_COOKIE] = ISAKMP_N_INVALID_COOKIE,
		[ISAKMP_PERR_MAJOR_VERSION] = ISAKMP_N_INVALID_MAJOR_VERSION,
		[ISAKMP_PERR_MINOR_VERSION] = ISAKMP_N_INVALID_MINOR_VERSION,
		[ISAKMP_PERR_EXCHANGE] = ISAKMP_N_INVALID_EXCHANGE_TYPE,
		[ISAKMP_PERR_FLAGS] = ISAKMP_N_INVALID_FLAGS,
		[ISAKMP_PERR_PAYLOAD_TYPE] = ISAKMP_N_INVALID_PAYLOAD_TYPE,
		[ISAKMP_PERR_MALFORMED] = ISAKMP_N_PAYLOAD_MALFORMED,
		[ISAKMP_PERR_TOO_MANY] = ISAKMP_N_PAYLOAD_MALFORMED,
		[ISAKMP_PERR_ATTR] = ISAKMP_N_PAYLOAD_MALFORMED,
		[ISAKMP_PERR_DOI] = ISAKMP_N_DOI_NOT_SUPPORTED,
		[ISAKMP_PERR_SITUATION] = ISAKMP_N_SITUATION_NOT_SUPPORTED,
		[ISAKMP_PERR_PROPOSAL] = ISAKMP_N_BAD_PROPOSAL_SYNTAX,
		[ISAKMP_PERR_PROTOCOL] = ISAKMP_N_INVALID_PROTOCOL_ID,
		[ISAKMP_PERR_SPI] = ISAKMP_N_INVALID_SPI,
		[ISAKMP_PERR_ID] = ISAKMP_N_INVALID_ID_INFORMATION,
		[ISAKMP_PERR_KEY] = ISAKMP_N_INVALID_KEY_INFORMATION,
	};
	return (unsigned)e < sizeof(map) / sizeof(map[0]) ? map[e] : 0;
}

const char *isakmp_perr_name(enum isakmp_perr e)
{
	static const char *const names[] = {
		[ISAKMP_PERR_OK] = "ok",
		[ISAKMP_PERR_SHORT] = "shorter than the ISAKMP header",
		[ISAKMP_PERR_LENGTH] = "header length differs from the datagram",
		[ISAKMP_PERR_COOKIE] = "zero initiator cookie",
		[ISAKMP_PERR_MAJOR_VERSION] = "unsupported major version",
		[ISAKMP_PERR_MINOR_VERSION] = "unsupported minor version",
		[ISAKMP_PERR_EXCHANGE] = "unknown exchange type",
		[ISAKMP_PERR_FLAGS] = "undefined flags",
		[ISAKMP_PERR_PAYLOAD_TYPE] = "invalid payload type",
		[ISAKMP_PERR_MALFORMED] = "malformed payload",
		[ISAKMP_PERR_TOO_MANY] = "too many payloads or attributes",
		[ISAKMP_PERR_ATTR] = "malformed data attribute",
		[ISAKMP_PERR_DOI] = "unsupported DOI",
		[ISAKMP_PERR_SITUATION] = "unsupported situation",
		[ISAKMP_PERR_PROPOSAL] = "bad proposal syntax",
		[ISAKMP_PERR_PROTOCOL] = "invalid protocol id",
		[ISAKMP_PERR_SPI] = "invalid SPI size",
		[ISAKMP_PERR_ID] = "invalid identification",
		[ISAKMP_PERR_KEY] = "empty key exchange",
		[ISAKMP_PERR_ENCRYPTED] = "encrypted body",
	};
	return (unsigned)e < sizeof(names) / sizeof(names[0]) && names[e] ? names[e] : "?";
}
