/* desc: payload wire formats as data (internal to src/isakmp).
 *
 * Each payload body is a run of fixed fields followed by variable data. A field list
 * names the wire size of each field and where it lands in the decoded struct; one reader
 * and one writer walk such a list. Structured tails (SA proposals, data attributes,
 * address checks) are handled by a per-payload check hook after the generic read.
 */
#ifndef RACOON_ISAKMP_DESC_H
#define RACOON_ISAKMP_DESC_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "isakmp/digest.h"

enum field_kind {
	F_END = 0,
	F_U8,   /* uint8_t at off */
	F_U16,  /* uint16_t at off */
	F_U32,  /* uint32_t at off */
	F_RSV,  /* aux reserved bytes, written as zero, ignored when read */
	F_SPI,  /* const uint8_t * at off; its length is the uint8_t at aux */
	F_REST, /* const uint8_t * at off, size_t length at aux: everything left */
};

struct field {
	uint8_t kind;
	uint16_t off;
	uint16_t aux;
};

struct payload_desc;
/* Runs after the fields were read; rest is the body left after them. */
typedef enum isakmp_perr (*payload_check_fn)(struct isakmp_digest *d,
					     struct isakmp_payload *p, struct buf *rest);

struct payload_desc {
	uint8_t type;
	uint16_t min_len;          /* shortest valid body */
	const struct field *fields; /* NULL: body only (KE, HASH, ...); else fills p->u */
	enum isakmp_perr short_err; /* status when shorter than min_len */
	payload_check_fn check;    /* NULL: none */
};

/* The descriptor of a top-level payload type, NULL when not allowed at top level. */
const struct payload_desc *payload_desc_get(uint8_t type);

/* Read fields from in into obj. false when the input is short (in's error set). */
bool desc_read(const struct field *f, struct buf *in, void *obj);
/* Write fields of obj (F_REST writes its data). false when out is full. */
bool desc_write(const struct field *f, struct buf *out, const void *obj);

/* Generic header of payloads, proposals and transforms: next, reserved, length. */
struct gen_hdr {
	uint8_t next;
	uint16_t len;
};
extern const struct field desc_fields_gen[];
/* Read a generic header and the min_total..len bytes it covers from in into body.
 * MALFORMED when the length is below min_total or past what is left. */
enum isakmp_perr desc_read_sub(struct buf *in, size_t min_total, struct gen_hdr *h,
			       struct buf *body);

/* Field lists shared with the builder. */
extern const struct field desc_fields_id[];
extern const struct field desc_fields_cert[];
extern const struct field desc_fields_notify[];
extern const struct field desc_fields_delete[];
extern const struct field desc_fields_frag[];
extern const struct field desc_fields_cfg[];
extern const struct field desc_fields_sa[];
extern const struct field desc_fields_prop[];
extern const struct field desc_fields_trans[];

/* Wire images of proposal and transform headers (after the generic header). */
struct prop_wire {
	uint8_t num, proto, spi_len, ntrans;
	const uint8_t *spi;
};
struct trans_wire {
	uint8_t num, id;
};

/* Structured parts (sa.c): SA body after DOI/situation, attribute lists. */
enum isakmp_perr sa_decode(struct isakmp_digest *d, struct isakmp_sa *sa,
			   const uint8_t *p, size_t len);
enum isakmp_perr attrs_decode(struct isakmp_digest *d, struct buf *in,
			      const struct isakmp_attr **first, unsigned *n);
/* id.c: per-ID-type length checks; NAT-OA address. */
enum isakmp_perr id_check(const struct isakmp_id *id);
enum isakmp_perr natoa_decode(struct isakmp_natoa *o, const uint8_t *p, size_t len);

#endif
