/* ipsec_alg: ESP/AH algorithm table for sizing Quick Mode KEYMAT. */
#include <errno.h>
#include <strings.h>

#include "crypto/ipsec_alg.h"

static const struct ipsec_enc_alg encs[] = {
	/* name, id, default, min, max, step, salt, icv, aead, legacy */
	{ "des", IPSEC_ESP_DES, 64, 64, 64, 0, 0, 0, false, true },
	{ "3des", IPSEC_ESP_3DES, 192, 192, 192, 0, 0, 0, false, false },
	{ "cast128", IPSEC_ESP_CAST, 128, 40, 128, 8, 0, 0, false, false },
	{ "blowfish", IPSEC_ESP_BLOWFISH, 128, 40, 448, 8, 0, 0, false, false },
	{ "null_enc", IPSEC_ESP_NULL, 0, 0, 0, 0, 0, 0, false, false },
	{ "aes", IPSEC_ESP_AES, 128, 128, 256, 64, 0, 0, false, false },
	{ "aes_ctr", IPSEC_ESP_AES_CTR, 128, 128, 256, 64, 4, 0, false, false },
	{ "aes_ccm_8", IPSEC_ESP_AES_CCM_8, 128, 128, 256, 64, 3, 8, true, false },
	{ "aes_ccm_12", IPSEC_ESP_AES_CCM_12, 128, 128, 256, 64, 3, 12, true, false },
	{ "aes_ccm_16", IPSEC_ESP_AES_CCM_16, 128, 128, 256, 64, 3, 16, true, false },
	{ "aes_gcm_8", IPSEC_ESP_AES_GCM_8, 128, 128, 256, 64, 4, 8, true, false },
	{ "aes_gcm_12", IPSEC_ESP_AES_GCM_12, 128, 128, 256, 64, 4, 12, true, false },
	{ "aes_gcm_16", IPSEC_ESP_AES_GCM_16, 128, 128, 256, 64, 4, 16, true, false },
	{ "camellia", IPSEC_ESP_CAMELLIA, 128, 128, 256, 64, 0, 0, false, false },
	{ "twofish", IPSEC_ESP_TWOFISH, 128, 128, 256, 64, 0, 0, false, false },
};

static const struct ipsec_auth_alg auths[] = {
	{ "hmac_md5", IPSEC_AUTH_HMAC_MD5, 16, 96 },
	{ "hmac_sha1", IPSEC_AUTH_HMAC_SHA1, 20, 96 },
	{ "hmac_sha256", IPSEC_AUTH_HMAC_SHA2_256, 32, 128 },
	{ "hmac_sha384", IPSEC_AUTH_HMAC_SHA2_384, 48, 192 },
	{ "hmac_sha512", IPSEC_AUTH_HMAC_SHA2_512, 64, 256 },
};

static const struct {
	const char *alias, *name;
} aliases[] = {
	{ "rijndael", "aes" },       { "null", "null_enc" },
	{ "cast", "cast128" },       { "hmac_sha", "hmac_sha1" },
	{ "hmac_sha2_256", "hmac_sha256" }, { "hmac_sha2_384", "hmac_sha384" },
	{ "hmac_sha2_512", "hmac_sha512" },
};

static const char *unalias(const char *name)
{
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (!strcasecmp(name, aliases[i].alias))
			return aliases[i].name;
	return name;
}

const struct ipsec_enc_alg *ipsec_enc_by_id(uint16_t id)
{
	for (size_t i = 0; i < sizeof(encs) / sizeof(encs[0]); i++)
		if (encs[i].id == id)
			return &encs[i];
	return NULL;
}

const struct ipsec_enc_alg *ipsec_enc_by_name(const char *name)
{
	if (!name)
		return NULL;
	name = unalias(name);
	for (size_t i = 0; i < sizeof(encs) / sizeof(encs[0]); i++)
		if (!strcasecmp(name, encs[i].name))
			return &encs[i];
	return NULL;
}

const struct ipsec_auth_alg *ipsec_auth_by_id(uint16_t id)
{
	for (size_t i = 0; i < sizeof(auths) / sizeof(auths[0]); i++)
		if (auths[i].id == id)
			return &auths[i];
	return NULL;
}

const struct ipsec_auth_alg *ipsec_auth_by_name(const char *name)
{
	if (!name)
		return NULL;
	name = unalias(name);
	for (size_t i = 0; i < sizeof(auths) / sizeof(auths[0]); i++)
		if (!strcasecmp(name, auths[i].name))
			return &auths[i];
	return NULL;
}

int ipsec_enc_keymat_len(const struct ipsec_enc_alg *e, unsigned key_bits)
{
	if (!e)
		return -EINVAL;
	if (key_bits == 0)
		key_bits = e->key_bits_default;
	if (key_bits < e->key_bits_min || key_bits > e->key_bits_max)
		return -EINVAL;
	if (e->key_bits_step ? (key_bits - e->key_bits_min) % e->key_bits_step
			     : key_bits != e->key_bits_min)
		return -EINVAL;
	return (int)(key_bits / 8 + e->salt_len);
}

int ipsec_keymat_len(const struct ipsec_enc_alg *e, unsigned key_bits,
		     const struct ipsec_auth_alg *a)
{
	int n = 0;
	if (e) {
		n = ipsec_enc_keymat_len(e, key_bits);
		if (n < 0)
			return n;
	}
	if (!e && !a)
		return -EINVAL;
	return n + (a ? (int)a->key_len : 0);
}
