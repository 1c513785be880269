/* hash: IKE hash algorithms and their HMAC PRFs (Nettle behind a small table).
 *
 * The ids are the IKE Phase 1 Hash Algorithm attribute values (RFC 2409 Appendix A,
 * RFC 4868 for SHA2). In IKEv1 the PRF is the HMAC of the negotiated hash unless a PRF
 * attribute is negotiated (none is in use), so one descriptor serves for both.
 */
#ifndef RACOON_CRYPTO_HASH_H
#define RACOON_CRYPTO_HASH_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"

enum crypto_hash_id {
	CRYPTO_HASH_MD5 = 1,
	CRYPTO_HASH_SHA1 = 2,
	CRYPTO_HASH_SHA2_256 = 4,
	CRYPTO_HASH_SHA2_384 = 5,
	CRYPTO_HASH_SHA2_512 = 6,
};

#define CRYPTO_MAX_DIGEST 64 /* SHA-512 */

struct nettle_hash;

struct crypto_hash {
	const char *name;       /* racoon.conf spelling: "md5", "sha1", "sha256", ... */
	uint16_t ike_id;        /* enum crypto_hash_id */
	size_t digest_len;      /* bytes */
	size_t block_len;       /* bytes (HMAC block) */
	const struct nettle_hash *nettle;
};

/* NULL for unknown or unsupported attribute values / names. */
const struct crypto_hash *crypto_hash_by_ike(uint16_t ike_id);
const struct crypto_hash *crypto_hash_by_name(const char *name); /* also "sha2_256" etc. */

/* One-shot hash of the concatenation of n byte strings; out gets digest_len bytes. */
void crypto_hash_v(const struct crypto_hash *h, uint8_t *out, size_t n,
		   const struct buf *const parts[]);
void crypto_hash(const struct crypto_hash *h, const void *p, size_t len, uint8_t *out);

/* Incremental HMAC, keyed once and reusable: after prf_digest it is keyed again.
 * Wipe with crypto_prf_wipe (it holds key-derived state). */
struct crypto_prf_ctx {
	const struct crypto_hash *h;
	/* inner, outer and running state of the largest hash we use (SHA-512) */
	uint8_t state[3][256] __attribute__((aligned(16)));
};
void crypto_prf_init(struct crypto_prf_ctx *c, const struct crypto_hash *h,
		     const void *key, size_t keylen);
void crypto_prf_update(struct crypto_prf_ctx *c, const void *p, size_t len);
void crypto_prf_digest(struct crypto_prf_ctx *c, uint8_t *out); /* digest_len bytes */
void crypto_prf_wipe(struct crypto_prf_ctx *c);

/* One-shot HMAC of one message. */
void crypto_prf(const struct crypto_hash *h, const void *key, size_t keylen, const void *msg,
		size_t msglen, uint8_t *out);

#endif
