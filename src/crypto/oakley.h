/* oakley: the IKEv1 key schedule and exchange hashes (RFC 2409 section 5, Appendix B).
 *
 * Pure functions: byte strings in, byte strings out. "prf" is the negotiated hash used as
 * HMAC (RFC 2409 section 5: no PRF attribute -> HMAC of the hash); "hash" is the plain
 * negotiated hash (IVs). Inputs are struct buf used whole (ptr, len; the cursor is
 * ignored). Outputs named struct buf * must be zeroed or freed on entry and become owned
 * secret buffers; on error they are left freed. Returns 0 or a negative errno, except
 * the functions writing a hash into uint8_t *out (oakley_hash_i/_r, oakley_qm_hash1/2/3):
 * they return the number of bytes written (the PRF's digest_len, > 0) or a negative
 * errno, so test them with "< 0".
 * Names follow the RFC: Ni_b/Nr_b are nonce payload bodies, SAi_b the initiator's SA
 * payload body, IDii_b/IDir_b ID payload bodies (all without the generic header),
 * g^xi/g^xr public values, g^xy the shared secret, CKY-I/CKY-R the 8-byte cookies.
 */
#ifndef RACOON_CRYPTO_OAKLEY_H
#define RACOON_CRYPTO_OAKLEY_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "crypto/cipher.h"
#include "crypto/hash.h"

#define OAKLEY_COOKIE_LEN 8

/* A CBC IV or "last ciphertext block"; len = the cipher's block length. */
struct oakley_iv {
	uint8_t b[CRYPTO_MAX_BLOCK];
	size_t len;
};

/* SKEYID = prf(pre-shared-key, Ni_b | Nr_b) */
int oakley_skeyid_psk(const struct crypto_hash *prf, const struct buf *psk,
		      const struct buf *ni, const struct buf *nr, struct buf *skeyid);
/* SKEYID = prf(Ni_b | Nr_b, g^xy)   (signature authentication) */
int oakley_skeyid_sig(const struct crypto_hash *prf, const struct buf *ni,
		      const struct buf *nr, const struct buf *gxy, struct buf *skeyid);

/* SKEYID_d = prf(SKEYID, g^xy | CKY-I | CKY-R | 0)
 * SKEYID_a = prf(SKEYID, SKEYID_d | g^xy | CKY-I | CKY-R | 1)
 * SKEYID_e = prf(SKEYID, SKEYID_a | g^xy | CKY-I | CKY-R | 2) */
struct oakley_keys {
	struct buf d, a, e;
};
int oakley_skeyid_dae(const struct crypto_hash *prf, const struct buf *skeyid,
		      const struct buf *gxy, const uint8_t *cky_i, const uint8_t *cky_r,
		      struct oakley_keys *out);
void oakley_keys_free(struct oakley_keys *k);

/* The Phase 1 encryption key: SKEYID_e truncated to key_len, or when the PRF gives less,
 * K1 | K2 | ... with K1 = prf(SKEYID_e, 0), Ki = prf(SKEYID_e, Ki-1) (Appendix B). */
int oakley_enc_key(const struct crypto_hash *prf, const struct buf *skeyid_e, size_t key_len,
		   struct buf *key);

/* Phase 1 IV = hash(g^xi | g^xr) truncated to block_len. */
int oakley_iv_phase1(const struct crypto_hash *hash, const struct buf *gxi,
		     const struct buf *gxr, size_t block_len, struct oakley_iv *iv);
/* The first IV of a Quick Mode or informational exchange with message id msgid (host
 * order): hash(last Phase 1 CBC block | M-ID) truncated to the same length. */
int oakley_iv_msgid(const struct crypto_hash *hash, const struct oakley_iv *p1_last,
		    uint32_t msgid, struct oakley_iv *iv);

/* HASH_I = prf(SKEYID, g^xi | g^xr | CKY-I | CKY-R | SAi_b | IDii_b)
 * HASH_R = prf(SKEYID, g^xr | g^xi | CKY-R | CKY-I | SAi_b | IDir_b)
 * Both take the values in initiator/responder order; out gets digest_len bytes. */
int oakley_hash_i(const struct crypto_hash *prf, const struct buf *skeyid,
		  const struct buf *gxi, const struct buf *gxr, const uint8_t *cky_i,
		  const uint8_t *cky_r, const struct buf *sai_b, const struct buf *idii_b,
		  uint8_t *out);
int oakley_hash_r(const struct crypto_hash *prf, const struct buf *skeyid,
		  const struct buf *gxi, const struct buf *gxr, const uint8_t *cky_i,
		  const uint8_t *cky_r, const struct buf *sai_b, const struct buf *idir_b,
		  uint8_t *out);

/* Quick Mode (RFC 2409 section 5.5); rest = the message's bytes after the HASH payload.
 * HASH(1) = prf(SKEYID_a, M-ID | rest)   (also the informational HASH, section 5.7)
 * HASH(2) = prf(SKEYID_a, M-ID | Ni_b | rest)
 * HASH(3) = prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b) */
int oakley_qm_hash1(const struct crypto_hash *prf, const struct buf *skeyid_a, uint32_t msgid,
		    const struct buf *rest, uint8_t *out);
int oakley_qm_hash2(const struct crypto_hash *prf, const struct buf *skeyid_a, uint32_t msgid,
		    const struct buf *ni, const struct buf *rest, uint8_t *out);
int oakley_qm_hash3(const struct crypto_hash *prf, const struct buf *skeyid_a, uint32_t msgid,
		    const struct buf *ni, const struct buf *nr, uint8_t *out);

/* KEYMAT = K1 | K2 | ... truncated to len, with
 * K1 = prf(SKEYID_d, [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b), Ki = prf(SKEYID_d, Ki-1 | ...)
 * gxy_qm is NULL without PFS. spi (host order) is the SPI of the SA being keyed: the one
 * its receiver chose, so inbound and outbound SAs get different KEYMAT. protocol is the
 * IPsec protocol id (PROTO_IPSEC_AH 2, PROTO_IPSEC_ESP 3). For AES-GCM ask for key bytes
 * + 4: the last 4 bytes are the salt (RFC 4106 section 8.1). */
int oakley_keymat(const struct crypto_hash *prf, const struct buf *skeyid_d,
		  const struct buf *gxy_qm, uint8_t protocol, uint32_t spi, const struct buf *ni,
		  const struct buf *nr, size_t len, struct buf *keymat);

#endif
