/* ipsec_alg: what Quick Mode needs to know about ESP/AH algorithms to size KEYMAT.
 *
 * Encryption ids are the IPsec DOI ESP Transform Identifiers (RFC 2407 4.4.4, RFC 4106
 * for GCM, RFC 4309 for CCM, RFC 3686 for CTR, RFC 4312 for Camellia); authentication
 * ids are the IPsec DOI Authentication Algorithm attribute values (RFC 2407 4.5,
 * RFC 4868 for SHA2). KEYMAT for an SA is the encryption key (plus its salt/nonce
 * bytes for counter-mode and AEAD ciphers) followed by the authentication key.
 */
#ifndef RACOON_CRYPTO_IPSEC_ALG_H
#define RACOON_CRYPTO_IPSEC_ALG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ipsec_esp_id {
	IPSEC_ESP_DES = 2,
	IPSEC_ESP_3DES = 3,
	IPSEC_ESP_CAST = 6,
	IPSEC_ESP_BLOWFISH = 7,
	IPSEC_ESP_NULL = 11,
	IPSEC_ESP_AES = 12,
	IPSEC_ESP_AES_CTR = 13,
	IPSEC_ESP_AES_CCM_8 = 14,
	IPSEC_ESP_AES_CCM_12 = 15,
	IPSEC_ESP_AES_CCM_16 = 16,
	IPSEC_ESP_AES_GCM_8 = 18,
	IPSEC_ESP_AES_GCM_12 = 19,
	IPSEC_ESP_AES_GCM_16 = 20,
	IPSEC_ESP_CAMELLIA = 22,
	IPSEC_ESP_TWOFISH = 253, /* private-use value ipsec-tools used */
};

enum ipsec_auth_id {
	IPSEC_AUTH_HMAC_MD5 = 1,
	IPSEC_AUTH_HMAC_SHA1 = 2,
	IPSEC_AUTH_HMAC_SHA2_256 = 5,
	IPSEC_AUTH_HMAC_SHA2_384 = 6,
	IPSEC_AUTH_HMAC_SHA2_512 = 7,
};

struct ipsec_enc_alg {
	const char *name;          /* racoon.conf sainfo spelling ("aes_gcm_16", ...) */
	uint16_t id;               /* enum ipsec_esp_id */
	unsigned key_bits_default; /* when no Key Length attribute is sent */
	unsigned key_bits_min, key_bits_max, key_bits_step;
	size_t salt_len;           /* KEYMAT bytes after the key: GCM/CTR 4, CCM 3 */
	size_t icv_len;            /* AEAD: ICV bytes; 0 otherwise */
	bool aead;                 /* needs no authentication algorithm */
	bool legacy;               /* DES */
};

struct ipsec_auth_alg {
	const char *name;      /* racoon.conf spelling: "hmac_sha256", ... */
	uint16_t id;           /* enum ipsec_auth_id */
	size_t key_len;        /* bytes of KEYMAT */
	unsigned trunc_bits;   /* ICV length: 96, or RFC 4868's half-digest for SHA2 */
};

const struct ipsec_enc_alg *ipsec_enc_by_id(uint16_t id);
const struct ipsec_enc_alg *ipsec_enc_by_name(const char *name); /* "rijndael" = "aes" */
const struct ipsec_auth_alg *ipsec_auth_by_id(uint16_t id);
const struct ipsec_auth_alg *ipsec_auth_by_name(const char *name); /* also "hmac_sha2_256" */

/* Encryption KEYMAT bytes (key + salt) for a Key Length attribute (bits, 0 = absent), or
 * -EINVAL when that length is not allowed. */
int ipsec_enc_keymat_len(const struct ipsec_enc_alg *e, unsigned key_bits);

/* Total KEYMAT bytes for one SA: encryption part + authentication key (auth may be NULL
 * for AEAD or AH-less ESP; enc may be NULL for AH). -EINVAL as above. */
int ipsec_keymat_len(const struct ipsec_enc_alg *e, unsigned key_bits,
		     const struct ipsec_auth_alg *a);

#endif
