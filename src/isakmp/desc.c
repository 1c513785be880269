/* desc: the payload formats of RFC 2408/2407/3947 as field lists, one generic reader and
 * one generic writer over them, and the table of top-level payloads. */
#include "isakmp/desc.h"

#include <string.h>

#define FLD(k, type, member) { k, offsetof(type, member), 0 }
#define RSV(n) { F_RSV, 0, n }
#define END { F_END, 0, 0 }

/* Generic payload header (RFC 2408 3.2); also opens proposals and transforms.
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ */
const struct field desc_fields_gen[] = {
	FLD(F_U8, struct gen_hdr, next), RSV(1), FLD(F_U16, struct gen_hdr, len), END,
};

/* SA (RFC 2408 3.4, RFC 2407 4.6.1); proposals follow (sa.c).
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * !              Domain of Interpretation  (DOI)                  !
 * !                           Situation                           ! */
const struct field desc_fields_sa[] = {
	FLD(F_U32, struct isakmp_sa, doi), FLD(F_U32, struct isakmp_sa, situation), END,
};

/* Proposal substructure (RFC 2408 3.5), after the generic header.
 * !  Proposal #   !  Protocol-Id  !    SPI Size   !# of Transforms!
 * !                        SPI (variable)                         ! */
const struct field desc_fields_prop[] = {
	FLD(F_U8, struct prop_wire, num), FLD(F_U8, struct prop_wire, proto),
	FLD(F_U8, struct prop_wire, spi_len), FLD(F_U8, struct prop_wire, ntrans),
	{ F_SPI, offsetof(struct prop_wire, spi), offsetof(struct prop_wire, spi_len) }, END,
};

/* Transform substructure (RFC 2408 3.6), after the generic header; attributes follow.
 * !  Transform #  !  Transform-Id !           RESERVED2           ! */
const struct field desc_fields_trans[] = {
	FLD(F_U8, struct trans_wire, num), FLD(F_U8, struct trans_wire, id), RSV(2), END,
};

/* Identification (RFC 2408 3.8 with the IPsec DOI fields of RFC 2407 4.6.2).
 * !   ID Type     !  Protocol ID  !             Port              !
 * ~                     Identification Data                       ~ */
const struct field desc_fields_id[] = {
	FLD(F_U8, struct isakmp_id, type), FLD(F_U8, struct isakmp_id, protocol),
	FLD(F_U16, struct isakmp_id, port),
	{ F_REST, offsetof(struct isakmp_id, data), offsetof(struct isakmp_id, len) }, END,
};

/* Certificate (3.9) and Certificate Request (3.10).
 * ! Cert Encoding !                                               !
 * +-+-+-+-+-+-+-+-+   Certificate Data / Certificate Authority    ~ */
const struct field desc_fields_cert[] = {
	FLD(F_U8, struct isakmp_cert, encoding),
	{ F_REST, offsetof(struct isakmp_cert, data), offsetof(struct isakmp_cert, len) }, END,
};

/* Notification (RFC 2408 3.14).
 * !              Domain of Interpretation  (DOI)                  !
 * !  Protocol-ID  !   SPI Size    !      Notify Message Type      !
 * ~                Security Parameter Index (SPI)                 ~
 * ~                       Notification Data                       ~ */
const struct field desc_fields_notify[] = {
	FLD(F_U32, struct isakmp_notify_pl, doi), FLD(F_U8, struct isakmp_notify_pl, proto),
	FLD(F_U8, struct isakmp_notify_pl, spi_len), FLD(F_U16, struct isakmp_notify_pl, type),
	{ F_SPI, offsetof(struct isakmp_notify_pl, spi), offsetof(struct isakmp_notify_pl, spi_len) },
	{ F_REST, offsetof(struct isakmp_notify_pl, data), offsetof(struct isakmp_notify_pl, len) },
	END,
};

/* Delete (RFC 2408 3.15); the SPIs are checked against size * count in check_delete.
 * !              Domain of Interpretation  (DOI)                  !
 * !  Protocol-Id  !   SPI Size    !           # of SPIs           !
 * ~               Security Parameter Index(es) (SPI)              ~ */
const struct field desc_fields_delete[] = {
	FLD(F_U32, struct isakmp_delete, doi), FLD(F_U8, struct isakmp_delete, proto),
	FLD(F_U8, struct isakmp_delete, spi_len), FLD(F_U16, struct isakmp_delete, nspis), END,
};

/* Mode-cfg attribute payload (draft-ietf-ipsec-isakmp-mode-cfg-05 3.2).
 * !     Type      !   RESERVED    !           Identifier          !
 * ~                           Attributes                          ~ */
const struct field desc_fields_cfg[] = {
	FLD(F_U8, struct isakmp_cfg, type), RSV(1), FLD(F_U16, struct isakmp_cfg, identifier),
	END,
};

/* NAT-OA (RFC 3947 5.2; same body for the draft numbers).
 * !   ID Type     !   RESERVED    !            RESERVED           !
 * ~           IPv4 (4 octets) or IPv6 address (16 octets)         ~ */
static const struct field fields_natoa[] = {
	FLD(F_U8, struct isakmp_natoa, id_type), RSV(3), END,
};

/* IKE fragment (payload 132, the Cisco/Microsoft scheme).
 * !         Fragment ID           !  Fragment Num !     Flags     !
 * ~                        Fragment Data                          ~ */
const struct field desc_fields_frag[] = {
	FLD(F_U16, struct isakmp_frag_pl, id), FLD(F_U8, struct isakmp_frag_pl, num),
	FLD(F_U8, struct isakmp_frag_pl, flags),
	{ F_REST, offsetof(struct isakmp_frag_pl, data), offsetof(struct isakmp_frag_pl, len) }, END,
};

bool desc_read(const struct field *f, struct buf *in, void *obj)
{
	uint8_t *o = obj;
	for (; f->kind != F_END; f++) {
		uint8_t v8;
		uint16_t v16;
		uint32_t v32;
		const uint8_t *ptr;
		size_t n;
		switch (f->kind) {
		case F_U8:
			buf_get_u8(in, &v8);
			o[f->off] = v8;
			break;
		case F_U16:
			buf_get_u16(in, &v16);
			memcpy(o + f->off, &v16, sizeof(v16));
			break;
		case F_U32:
			buf_get_u32(in, &v32);
			memcpy(o + f->off, &v32, sizeof(v32));
			break;
		case F_RSV:
			buf_skip(in, f->aux);
			break;
		case F_SPI:
		case F_REST:
			n = f->kind == F_SPI ? o[f->aux] : buf_left(in);
			ptr = n && buf_ok(in) ? buf_cur(in) : NULL;
			buf_skip(in, n);
			memcpy(o + f->off, &ptr, sizeof(ptr));
			if (f->kind == F_REST)
				memcpy(o + f->aux, &n, sizeof(n));
			break;
		}
	}
	return buf_ok(in);
}

bool desc_write(const struct field *f, struct buf *out, const void *obj)
{
	const uint8_t *o = obj;
	for (; f->kind != F_END; f++) {
		uint16_t v16;
		uint32_t v32;
		const uint8_t *ptr;
		size_t n;
		switch (f->kind) {
		case F_U8:
			buf_put_u8(out, o[f->off]);
			break;
		case F_U16:
			memcpy(&v16, o + f->off, sizeof(v16));
			buf_put_u16(out, v16);
			break;
		case F_U32:
			memcpy(&v32, o + f->off, sizeof(v32));
			buf_put_u32(out, v32);
			break;
		case F_RSV:
			buf_put_zero(out, f->aux);
			break;
		case F_SPI:
		case F_REST:
			memcpy(&ptr, o + f->off, sizeof(ptr));
			if (f->kind == F_SPI)
				n = o[f->aux];
			else
				memcpy(&n, o + f->aux, sizeof(n));
			if (n)
				buf_put_bytes(out, ptr, n);
			break;
		}
	}
	return buf_ok(out);
}

enum isakmp_perr desc_read_sub(struct buf *in, size_t min_total, struct gen_hdr *h,
			       struct buf *body)
{
	if (!desc_read(desc_fields_gen, in, h))
		return ISAKMP_PERR_MALFORMED;
	/* every unit is at least its own header long: a chain cannot loop in place */
	if (h->len < min_total || h->len < ISAKMP_GEN_LEN ||
	    h->len - ISAKMP_GEN_LEN > buf_left(in))
		return ISAKMP_PERR_MALFORMED;
	buf_get_sub(in, h->len - ISAKMP_GEN_LEN, body);
	return ISAKMP_PERR_OK;
}

static enum isakmp_perr check_sa(struct isakmp_digest *d, struct isakmp_payload *p,
				 struct buf *rest)
{
	if (p->u.sa.doi != ISAKMP_DOI_IPSEC)
		return ISAKMP_PERR_DOI;
	/* secrecy/integrity labels are not spoken by anyone we talk to (RFC 2407 4.2) */
	if (p->u.sa.situation != ISAKMP_SIT_IDENTITY_ONLY)
		return ISAKMP_PERR_SITUATION;
	const uint8_t *props = buf_cur(rest);
	size_t n = buf_left(rest);
	buf_skip(rest, n);
	return sa_decode(d, &p->u.sa, props, n);
}

static enum isakmp_perr check_id(struct isakmp_digest *d, struct isakmp_payload *p,
				 struct buf *rest)
{
	(void)d;
	(void)rest;
	return id_check(&p->u.id);
}

static enum isakmp_perr check_notify(struct isakmp_digest *d, struct isakmp_payload *p,
				     struct buf *rest)
{
	(void)d;
	(void)rest;
	if (p->u.n.doi > ISAKMP_DOI_IPSEC)
		return ISAKMP_PERR_DOI;
	if (p->u.n.spi_len > ISAKMP_MAX_SPI_LEN)
		return ISAKMP_PERR_SPI;
	return ISAKMP_PERR_OK;
}

static enum isakmp_perr check_delete(struct isakmp_digest *d, struct isakmp_payload *p,
				     struct buf *rest)
{
	struct isakmp_delete *del = &p->u.d;
	(void)d;
	if (del->doi > ISAKMP_DOI_IPSEC)
		return ISAKMP_PERR_DOI;
	if (del->spi_len == 0 || del->spi_len > ISAKMP_MAX_SPI_LEN)
		return ISAKMP_PERR_SPI;
	if (del->nspis == 0 || (size_t)del->spi_len * del->nspis != buf_left(rest))
		return ISAKMP_PERR_MALFORMED;
	del->spis = buf_cur(rest);
	buf_skip(rest, buf_left(rest));
	return ISAKMP_PERR_OK;
}

static enum isakmp_perr check_natoa(struct isakmp_digest *d, struct isakmp_payload *p,
				    struct buf *rest)
{
	(void)d;
	enum isakmp_perr e = natoa_decode(&p->u.natoa, buf_cur(rest), buf_left(rest));
	buf_skip(rest, buf_left(rest));
	return e;
}

static enum isakmp_perr check_cfg(struct isakmp_digest *d, struct isakmp_payload *p,
				  struct buf *rest)
{
	return attrs_decode(d, rest, &p->u.cfg.attrs, &p->u.cfg.nattrs);
}

static enum isakmp_perr check_frag(struct isakmp_digest *d, struct isakmp_payload *p,
				   struct buf *rest)
{
	(void)d;
	(void)rest;
	/* numbers are 1-based; an empty fragment carries nothing to reassemble
	 * (CVE-2009-1574 was a NULL dereference on one) */
	if (p->u.frag.num == 0 || p->u.frag.len == 0)
		return ISAKMP_PERR_MALFORMED;
	return ISAKMP_PERR_OK;
}

#define DATA(t, err) [t] = { t, 1, NULL, err, NULL }
#define PL(t, min, f, chk) [t] = { t, min, f, ISAKMP_PERR_MALFORMED, chk }

/* Indexed by payload type; min_len 0 marks a type not allowed at top level. */
static const struct payload_desc descs[256] = {
	PL(ISAKMP_PT_SA, 8, desc_fields_sa, check_sa),
	DATA(ISAKMP_PT_KE, ISAKMP_PERR_KEY),
	PL(ISAKMP_PT_ID, 4, desc_fields_id, check_id),
	PL(ISAKMP_PT_CERT, 1, desc_fields_cert, NULL),
	PL(ISAKMP_PT_CR, 1, desc_fields_cert, NULL),
	DATA(ISAKMP_PT_HASH, ISAKMP_PERR_MALFORMED),
	DATA(ISAKMP_PT_SIG, ISAKMP_PERR_MALFORMED),
	DATA(ISAKMP_PT_NONCE, ISAKMP_PERR_MALFORMED),
	PL(ISAKMP_PT_N, 8, desc_fields_notify, check_notify),
	PL(ISAKMP_PT_D, 8, desc_fields_delete, check_delete),
	DATA(ISAKMP_PT_VID, ISAKMP_PERR_MALFORMED),
	PL(ISAKMP_PT_ATTR, 4, desc_fields_cfg, check_cfg),
	DATA(ISAKMP_PT_NATD_BADDRAFT, ISAKMP_PERR_MALFORMED),
	PL(ISAKMP_PT_NATOA_BADDRAFT, 4, fields_natoa, check_natoa),
	DATA(ISAKMP_PT_NATD, ISAKMP_PERR_MALFORMED),
	PL(ISAKMP_PT_NATOA, 4, fields_natoa, check_natoa),
	DATA(ISAKMP_PT_GSS, ISAKMP_PERR_MALFORMED),
	DATA(ISAKMP_PT_NATD_DRAFT, ISAKMP_PERR_MALFORMED),
	PL(ISAKMP_PT_NATOA_DRAFT, 4, fields_natoa, check_natoa),
	PL(ISAKMP_PT_FRAG, 4, desc_fields_frag, check_frag),
};

const struct payload_desc *payload_desc_get(uint8_t type)
{
	return descs[type].min_len ? &descs[type] : NULL;
}
