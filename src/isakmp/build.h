/* build: write an ISAKMP message payload by payload.
 *
 * The builder appends to a caller's owned struct buf: isakmp_build_init() writes the
 * header, each isakmp_build_* call appends one payload and patches the previous payload's
 * (or the header's) next-payload field; lengths are computed when a payload is closed.
 * Proposal and transform substructures get their own next fields (2/3 or 0) and the
 * "# of transforms" count filled in. Errors are sticky: every call returns 0 or the first
 * negative errno (-EMSGSIZE when out hits its cap, -EINVAL on misuse), so a run of calls
 * can be checked once at isakmp_build_finish().
 *
 * Encryption is the caller's: build the plaintext message, finish it, encrypt the bytes
 * after the header (from isakmp_build_body_off()), put the ciphertext in their place and
 * call isakmp_build_seal() to set the E flag and the final length.
 *
 * The message may start at any offset of out (out->len at init): put the 4-byte non-ESP
 * marker first for port 4500 (isakmp/natt.h).
 */
#ifndef RACOON_ISAKMP_BUILD_H
#define RACOON_ISAKMP_BUILD_H

#include <stddef.h>
#include <stdint.h>

#include "common/addr.h"
#include "common/buf.h"
#include "isakmp/isakmp.h"

struct isakmp_builder {
	struct buf *out;
	size_t start;   /* offset of the ISAKMP header in out */
	size_t np_off;  /* the next-payload byte to patch for the next payload */
	size_t pl_off;  /* open top-level payload, 0 when none (never the header) */
	uint8_t pl_type;
	size_t prop_off, trans_off; /* open proposal / transform (0: none) */
	size_t prop_np_off, trans_np_off; /* last closed sibling's next field (0: none) */
	unsigned prop_ntrans;
	int err;
	/* The last closed top-level payload: its body (after the generic header) and end,
	 * as offsets into out, for HASH_I (SAi_b) and Quick Mode hashes. */
	size_t last_body_off, last_body_len, last_end;
};

/* Start a message; h's next_payload and length are ignored (filled in later), a zero
 * version means 1.0. */
int isakmp_build_init(struct isakmp_builder *b, struct buf *out, const struct isakmp_hdr *h);

/* Generic payload: begin, body via the put helpers, end (also closes SA/ATTR nesting). */
int isakmp_build_begin(struct isakmp_builder *b, uint8_t type);
int isakmp_build_put(struct isakmp_builder *b, const void *p, size_t n);
int isakmp_build_u8(struct isakmp_builder *b, uint8_t v);
int isakmp_build_u16(struct isakmp_builder *b, uint16_t v);
int isakmp_build_u32(struct isakmp_builder *b, uint32_t v);
int isakmp_build_end(struct isakmp_builder *b);

/* KE, HASH, SIG, NONCE, VID, NAT-D (any of its numbers), GSS: the body is the data. */
int isakmp_build_data(struct isakmp_builder *b, uint8_t type, const void *p, size_t n);
/* A payload with n zero bytes of body to fill in later (HASH computed over what follows);
 * *body_off is where they are in out. */
int isakmp_build_reserve(struct isakmp_builder *b, uint8_t type, size_t n, size_t *body_off);

/* SA payload (RFC 2408 3.4-3.6): sa_begin, then per proposal proposal_begin, per
 * transform transform_begin + attributes; isakmp_build_end closes everything. A new
 * proposal/transform closes the previous one. */
int isakmp_build_sa_begin(struct isakmp_builder *b, uint32_t doi, uint32_t situation);
int isakmp_build_proposal_begin(struct isakmp_builder *b, uint8_t num, uint8_t proto,
				const uint8_t *spi, uint8_t spi_len);
int isakmp_build_transform_begin(struct isakmp_builder *b, uint8_t num, uint8_t id);
/* Data attributes, inside a transform or an ATTR payload. */
int isakmp_build_attr_tv(struct isakmp_builder *b, uint16_t type, uint16_t value);
int isakmp_build_attr_tlv(struct isakmp_builder *b, uint16_t type, const void *p, size_t n);
/* TV when the value fits 16 bits, else TLV of 4 (or 8) bytes: life durations. */
int isakmp_build_attr_num(struct isakmp_builder *b, uint16_t type, uint64_t value);

/* ID payload: raw identification data, or an address / subnet / range ID from sockaddrs
 * (IPv4 or IPv6 by family). protocol/port are the IPsec DOI fields (0 in Phase 1 IDs
 * unless the peer wants UDP/500). */
int isakmp_build_id(struct isakmp_builder *b, uint8_t id_type, uint8_t protocol,
		    uint16_t port, const void *data, size_t n);
int isakmp_build_id_addr(struct isakmp_builder *b, uint8_t protocol, uint16_t port,
			 const union sockaddr_any *a);
int isakmp_build_id_subnet(struct isakmp_builder *b, uint8_t protocol, uint16_t port,
			   const union sockaddr_any *a, unsigned prefixlen);
int isakmp_build_id_range(struct isakmp_builder *b, uint8_t protocol, uint16_t port,
			  const union sockaddr_any *from, const union sockaddr_any *to);

/* CERT or CR (type ISAKMP_PT_CERT / ISAKMP_PT_CR). */
int isakmp_build_cert(struct isakmp_builder *b, uint8_t type, uint8_t encoding,
		      const void *p, size_t n);
int isakmp_build_notify(struct isakmp_builder *b, uint32_t doi, uint8_t proto,
			uint16_t ntype, const uint8_t *spi, uint8_t spi_len, const void *data,
			size_t n);
int isakmp_build_delete(struct isakmp_builder *b, uint32_t doi, uint8_t proto,
			uint8_t spi_len, const uint8_t *spis, uint16_t nspis);
/* NAT-OA with type ISAKMP_PT_NATOA, _NATOA_DRAFT or _NATOA_BADDRAFT. */
int isakmp_build_natoa(struct isakmp_builder *b, uint8_t type, const union sockaddr_any *a);
/* Mode-cfg ATTR payload: begin, attributes, isakmp_build_end. */
int isakmp_build_cfg_begin(struct isakmp_builder *b, uint8_t cfg_type, uint16_t identifier);
int isakmp_build_frag(struct isakmp_builder *b, uint16_t id, uint8_t num, uint8_t flags,
		      const void *p, size_t n);

/* Close what is open and write the header's length. 0 or the sticky error. */
int isakmp_build_finish(struct isakmp_builder *b);
/* Where the body (first payload) starts in out. */
static inline size_t isakmp_build_body_off(const struct isakmp_builder *b)
{
	return b->start + ISAKMP_HDR_LEN;
}
/* After the body at out[start + 28 ...] was replaced (e.g. by ciphertext): OR flags into
 * the header and set its length to out->len - start. 0 or -EINVAL. */
int isakmp_build_seal(struct buf *out, size_t start, uint8_t flags);

#endif
