/* dh: Diffie-Hellman for IKE: MODP groups 1, 2, 5, 14-18 (RFC 2409, RFC 3526) over GMP
 * with mpz_powm_sec, and ECP groups 19-21 (RFC 5903) over Nettle's ECC.
 *
 * Pure functions on byte strings: a private value, a public value and a shared secret
 * are all plain bytes, so the work can move to a worker thread (no global state, no
 * logging of secrets). Wire formats: MODP public values and shared secrets are
 * big-endian, left-padded to the modulus length; ECP public values are x || y and the
 * shared secret is x alone (RFC 5903 section 7, 9).
 */
#ifndef RACOON_CRYPTO_DH_H
#define RACOON_CRYPTO_DH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"

/* IKE Group Description attribute values. */
enum dh_group_id {
	DH_MODP768 = 1,
	DH_MODP1024 = 2,
	DH_MODP1536 = 5,
	DH_MODP2048 = 14,
	DH_MODP3072 = 15,
	DH_MODP4096 = 16,
	DH_MODP6144 = 17,
	DH_MODP8192 = 18,
	DH_ECP256 = 19,
	DH_ECP384 = 20,
	DH_ECP521 = 21,
};

#define DH_MAX_PUBLIC 1024 /* MODP-8192 */

struct dh_group {
	const char *name;    /* racoon.conf spelling: "modp2048", "ecp256", ... */
	uint16_t id;         /* enum dh_group_id */
	bool ecp;
	size_t public_len;   /* bytes on the wire (KE payload data) */
	size_t shared_len;   /* bytes of g^xy */
	size_t private_len;  /* bytes of a private value (modulus or order length) */
	unsigned exp_bits;   /* MODP: default = minimum exponent bits (RFC 3526 table) */
	const void *impl;    /* internal */
};

/* NULL for unknown ids / names ("modp1024" or the number as text). */
const struct dh_group *dh_group_by_id(uint16_t id);
const struct dh_group *dh_group_by_name(const char *name);

/* Effective MODP exponent length for a configured value: 0 -> the table default; values
 * below the table are raised to it (never shorter); above the modulus -> full length. */
unsigned dh_exp_bits(const struct dh_group *g, unsigned configured_bits);

/* A new key pair. priv becomes an owned secret buffer (private_len bytes), pub an owned
 * buffer of public_len bytes; both must be zeroed or freed on entry. exp_bits as for
 * dh_exp_bits (ignored for ECP). 0 or negative errno; on error both are freed. */
int dh_keygen(const struct dh_group *g, unsigned exp_bits, struct buf *priv, struct buf *pub);

/* The public value for a given private value (tests, known-answer vectors).
 * -EINVAL when priv is out of range (0, or >= the order for ECP). */
int dh_public_from_private(const struct dh_group *g, const struct buf *priv, struct buf *pub);

/* Check a peer's public value: exact length; MODP: 1 < y < p-1 and y in the prime-order
 * subgroup (Legendre symbol for these safe-prime groups); ECP: a point on the curve.
 * 0, or -EBADMSG for a bad value. */
int dh_check_public(const struct dh_group *g, const struct buf *peer_pub);

/* g^xy from our private value and the peer's public value (checked as above first).
 * shared becomes an owned secret buffer of shared_len bytes. 0, -EBADMSG (bad peer
 * value), -EINVAL (bad private value) or -ENOMEM; on error shared is freed. */
int dh_shared(const struct dh_group *g, const struct buf *priv, const struct buf *peer_pub,
	      struct buf *shared);

#endif
