/* cipher: IKE CBC ciphers over Nettle's block functions and generic CBC. */
#include <errno.h>
#include <nettle/aes.h>
#include <nettle/blowfish.h>
#include <nettle/camellia.h>
#include <nettle/cast128.h>
#include <nettle/cbc.h>
#include <nettle/des.h>
#include <strings.h>

#include "common/buf.h"
#include "crypto/cipher.h"

static const struct crypto_cipher ciphers[] = {
	/* name, id, block, default, min, max, step, key attr, legacy */
	{ "des", CRYPTO_CIPHER_DES, 8, 64, 64, 64, 0, false, true },
	{ "blowfish", CRYPTO_CIPHER_BLOWFISH, 8, 128, 40, 448, 8, true, false },
	{ "3des", CRYPTO_CIPHER_3DES, 8, 192, 192, 192, 0, false, false },
	{ "cast128", CRYPTO_CIPHER_CAST, 8, 128, 40, 128, 8, true, false },
	{ "aes", CRYPTO_CIPHER_AES, 16, 128, 128, 256, 64, true, false },
	{ "camellia", CRYPTO_CIPHER_CAMELLIA, 16, 128, 128, 256, 64, true, false },
};

static const struct {
	const char *alias, *name;
} cipher_aliases[] = {
	{ "rijndael", "aes" },
	{ "cast", "cast128" },
	{ "des3", "3des" },
};

const struct crypto_cipher *crypto_cipher_by_ike(uint16_t ike_id)
{
	for (size_t i = 0; i < sizeof(ciphers) / sizeof(ciphers[0]); i++)
		if (ciphers[i].ike_id == ike_id)
			return &ciphers[i];
	return NULL;
}

const struct crypto_cipher *crypto_cipher_by_name(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < sizeof(cipher_aliases) / sizeof(cipher_aliases[0]); i++)
		if (!strcasecmp(name, cipher_aliases[i].alias))
			name = cipher_aliases[i].name;
	for (size_t i = 0; i < sizeof(ciphers) / sizeof(ciphers[0]); i++)
		if (!strcasecmp(name, ciphers[i].name))
			return &ciphers[i];
	return NULL;
}

int crypto_cipher_key_len(const struct crypto_cipher *c, unsigned key_bits)
{
	if (key_bits == 0)
		return (int)(c->key_bits_default / 8);
	if (key_bits < c->key_bits_min || key_bits > c->key_bits_max)
		return -EINVAL;
	if (c->key_bits_step ? (key_bits - c->key_bits_min) % c->key_bits_step
			     : key_bits != c->key_bits_min)
		return -EINVAL;
	return (int)(key_bits / 8);
}

/* One keyed context of any of our ciphers; wiped after every call. */
union cipher_ctx {
	struct des_ctx des;
	struct des3_ctx des3;
	struct blowfish_ctx blowfish;
	struct cast128_ctx cast;
	struct aes128_ctx aes128;
	struct aes192_ctx aes192;
	struct aes256_ctx aes256;
	struct camellia128_ctx cam128;
	struct camellia256_ctx cam256; /* also 192 */
};

/* Key the context for one direction and pick the block function. */
static int cipher_setup(const struct crypto_cipher *c, const uint8_t *key, size_t keylen,
			bool enc, union cipher_ctx *ctx, nettle_cipher_func **f)
{
	if (crypto_cipher_key_len(c, (unsigned)keylen * 8) != (int)keylen || keylen > CRYPTO_MAX_KEY)
		return -EINVAL;
	switch (c->ike_id) {
	case CRYPTO_CIPHER_DES:
		*f = (nettle_cipher_func *)(enc ? des_encrypt : des_decrypt);
		return des_set_key(&ctx->des, key) ? 0 : -EKEYREJECTED;
	case CRYPTO_CIPHER_3DES:
		*f = (nettle_cipher_func *)(enc ? des3_encrypt : des3_decrypt);
		return des3_set_key(&ctx->des3, key) ? 0 : -EKEYREJECTED;
	case CRYPTO_CIPHER_BLOWFISH:
		*f = (nettle_cipher_func *)(enc ? blowfish_encrypt : blowfish_decrypt);
		return blowfish_set_key(&ctx->blowfish, keylen, key) ? 0 : -EKEYREJECTED;
	case CRYPTO_CIPHER_CAST:
		*f = (nettle_cipher_func *)(enc ? cast128_encrypt : cast128_decrypt);
		cast5_set_key(&ctx->cast, keylen, key);
		return 0;
	case CRYPTO_CIPHER_AES:
		if (keylen == 16) {
			*f = (nettle_cipher_func *)(enc ? aes128_encrypt : aes128_decrypt);
			(enc ? aes128_set_encrypt_key : aes128_set_decrypt_key)(&ctx->aes128, key);
		} else if (keylen == 24) {
			*f = (nettle_cipher_func *)(enc ? aes192_encrypt : aes192_decrypt);
			(enc ? aes192_set_encrypt_key : aes192_set_decrypt_key)(&ctx->aes192, key);
		} else {
			*f = (nettle_cipher_func *)(enc ? aes256_encrypt : aes256_decrypt);
			(enc ? aes256_set_encrypt_key : aes256_set_decrypt_key)(&ctx->aes256, key);
		}
		return 0;
	case CRYPTO_CIPHER_CAMELLIA:
		if (keylen == 16) {
			*f = (nettle_cipher_func *)camellia128_crypt;
			(enc ? camellia128_set_encrypt_key : camellia128_set_decrypt_key)(&ctx->cam128, key);
		} else {
			*f = (nettle_cipher_func *)camellia256_crypt; /* 192 shares the 256 ctx */
			if (keylen == 24)
				(enc ? camellia192_set_encrypt_key : camellia192_set_decrypt_key)(&ctx->cam256, key);
			else
				(enc ? camellia256_set_encrypt_key : camellia256_set_decrypt_key)(&ctx->cam256, key);
		}
		return 0;
	}
	return -EINVAL;
}

static int cbc_run(const struct crypto_cipher *c, const uint8_t *key, size_t keylen,
		   uint8_t *iv, uint8_t *data, size_t len, bool enc)
{
	union cipher_ctx ctx;
	nettle_cipher_func *f = NULL;
	if (!c || !key || !iv || (len && !data) || len % c->block_len)
		return -EINVAL;
	int r = cipher_setup(c, key, keylen, enc, &ctx, &f);
	if (r == 0 && len) {
		if (enc)
			cbc_encrypt(&ctx, f, c->block_len, iv, len, data, data);
		else
			cbc_decrypt(&ctx, f, c->block_len, iv, len, data, data);
	}
	buf_wipe(&ctx, sizeof(ctx));
	return r;
}

int crypto_cbc_encrypt(const struct crypto_cipher *c, const uint8_t *key, size_t keylen,
		       uint8_t *iv, uint8_t *data, size_t len)
{
	return cbc_run(c, key, keylen, iv, data, len, true);
}

int crypto_cbc_decrypt(const struct crypto_cipher *c, const uint8_t *key, size_t keylen,
		       uint8_t *iv, uint8_t *data, size_t len)
{
	return cbc_run(c, key, keylen, iv, data, len, false);
}
