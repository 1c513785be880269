/* cipher: IKE Phase 1 block ciphers in CBC mode (Nettle).
 *
 * The ids are the IKE Encryption Algorithm attribute values (RFC 2409 Appendix A,
 * RFC 3602 for AES, RFC 4312 for Camellia). Key lengths in the Key Length attribute are
 * in bits; 0 means "no attribute sent" and selects the default where one is allowed.
 */
#ifndef RACOON_CRYPTO_CIPHER_H
#define RACOON_CRYPTO_CIPHER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum crypto_cipher_id {
	CRYPTO_CIPHER_DES = 1,
	CRYPTO_CIPHER_BLOWFISH = 3,
	CRYPTO_CIPHER_3DES = 5,
	CRYPTO_CIPHER_CAST = 6,
	CRYPTO_CIPHER_AES = 7,
	CRYPTO_CIPHER_CAMELLIA = 8,
};

#define CRYPTO_MAX_BLOCK 16  /* AES, Camellia */
#define CRYPTO_MAX_KEY 56    /* Blowfish-448 */

struct crypto_cipher {
	const char *name;        /* racoon.conf spelling: "aes", "3des", "cast128", ... */
	uint16_t ike_id;         /* enum crypto_cipher_id */
	size_t block_len;        /* bytes */
	unsigned key_bits_default; /* used when no Key Length attribute is sent */
	unsigned key_bits_min, key_bits_max, key_bits_step;
	bool key_length_attr;    /* the Key Length attribute may be sent (variable key) */
	bool legacy;             /* DES: refused unless configured */
};

/* NULL for unknown or unsupported attribute values / names. */
const struct crypto_cipher *crypto_cipher_by_ike(uint16_t ike_id);
const struct crypto_cipher *crypto_cipher_by_name(const char *name); /* "rijndael" too */

/* Validate a Key Length attribute (bits, 0 = absent) for this cipher; returns the key
 * length in BYTES, or -EINVAL when not allowed. Absent selects key_bits_default (as
 * ipsec-tools did for AES, Blowfish, CAST, Camellia); fixed-key ciphers accept only
 * absent or their own length. */
int crypto_cipher_key_len(const struct crypto_cipher *c, unsigned key_bits);

/* CBC over len bytes in place; len must be a multiple of block_len (else -EINVAL).
 * iv (block_len bytes) is the IV on entry and the last ciphertext block on return, which
 * is what IKEv1 chains into the next message's IV. Returns 0, -EINVAL (bad key length
 * or len) or -EKEYREJECTED (a DES/3DES/Blowfish weak key). */
int crypto_cbc_encrypt(const struct crypto_cipher *c, const uint8_t *key, size_t keylen,
		       uint8_t *iv, uint8_t *data, size_t len);
int crypto_cbc_decrypt(const struct crypto_cipher *c, const uint8_t *key, size_t keylen,
		       uint8_t *iv, uint8_t *data, size_t len);

#endif
