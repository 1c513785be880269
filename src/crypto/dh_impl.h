/* dh_impl: internal interface between dh.c (the group table) and the MODP and ECP
 * back ends. Not for use outside src/crypto. */
#ifndef RACOON_CRYPTO_DH_IMPL_H
#define RACOON_CRYPTO_DH_IMPL_H

#include <gmp.h>

#include "crypto/dh.h"

/* dh_modp_primes.c */
extern const char dh_modp768_hex[], dh_modp1024_hex[], dh_modp1536_hex[], dh_modp2048_hex[],
	dh_modp3072_hex[], dh_modp4096_hex[], dh_modp6144_hex[], dh_modp8192_hex[];

struct dh_modp_impl {
	const char *p_hex; /* generator is 2 for every group */
};

struct ecc_curve;
struct dh_ecp_impl {
	const struct ecc_curve *(*curve)(void);
	size_t coord_len; /* bytes of one coordinate */
};

/* dh_modp.c */
int dh_modp_public(const struct dh_group *g, const struct buf *priv, struct buf *pub);
int dh_modp_keygen(const struct dh_group *g, unsigned exp_bits, struct buf *priv,
		   struct buf *pub);
int dh_modp_check(const struct dh_group *g, const struct buf *peer);
int dh_modp_shared(const struct dh_group *g, const struct buf *priv, const struct buf *peer,
		   struct buf *shared);

/* dh_ecp.c */
int dh_ecp_public(const struct dh_group *g, const struct buf *priv, struct buf *pub);
int dh_ecp_keygen(const struct dh_group *g, struct buf *priv, struct buf *pub);
int dh_ecp_check(const struct dh_group *g, const struct buf *peer);
int dh_ecp_shared(const struct dh_group *g, const struct buf *priv, const struct buf *peer,
		  struct buf *shared);

/* Helpers shared by both: big-endian bytes <-> mpz, and clearing secret mpz values. */
void dh_mpz_from_bytes(mpz_t z, const uint8_t *p, size_t len);
/* Writes z big-endian, left-padded to exactly len bytes into an owned buffer. */
int dh_mpz_to_buf(const mpz_t z, size_t len, bool secret, struct buf *out);
void dh_mpz_wipe_clear(mpz_t z);

#endif
