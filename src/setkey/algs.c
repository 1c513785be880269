/* algs: the algorithm name table. See algs.h. */
#include <string.h>

#include "setkey/algs.h"

#define ENC KERNEL_CAP_ENC
#define AUTH KERNEL_CAP_AUTH
#define COMP KERNEL_CAP_COMP

static const char kame_only[] = "a KAME algorithm the Linux kernel does not have";
static const char no_kernel_id[] = "not supported by racoon's kernel interface";

/* Aliases come after the name dumps print, so sk_alg_by_id finds the main one. */
static const struct sk_alg table[] = {
	/* ciphers (key sizes in bytes; CTR and GCM include the 4-byte salt/nonce) */
	{ "des-cbc", ENC, KERNEL_ENC_DES, 8, 8, 0, 0,
	  "des-cbc is broken (56-bit key); use aes-cbc or aes-gcm-16", NULL },
	{ "3des-cbc", ENC, KERNEL_ENC_3DES, 24, 24, 0, 0, NULL, NULL },
	{ "null", ENC, KERNEL_ENC_NULL, 0, 0, 0, 0, NULL, NULL },
	{ "blowfish-cbc", ENC, KERNEL_ENC_BLOWFISH, 5, 56, 1, 0, NULL, NULL },
	{ "cast128-cbc", ENC, KERNEL_ENC_CAST, 5, 16, 1, 0, NULL, NULL },
	{ "twofish-cbc", ENC, KERNEL_ENC_TWOFISH, 16, 32, 8, 0, NULL, NULL },
	{ "aes-cbc", ENC, KERNEL_ENC_AES_CBC, 16, 32, 8, 0, NULL, NULL },
	{ "rijndael-cbc", ENC, KERNEL_ENC_AES_CBC, 16, 32, 8, 0, NULL, NULL },
	{ "aes-ctr", ENC, KERNEL_ENC_AES_CTR, 20, 36, 8, 0, NULL, NULL },
	{ "camellia-cbc", ENC, KERNEL_ENC_CAMELLIA_CBC, 16, 32, 8, 0, NULL, NULL },
	{ "aes-gcm-16", ENC, KERNEL_ENC_AES_GCM_16, 20, 36, 8, 128, NULL, NULL },
	{ "aes-gcm-12", ENC, KERNEL_ENC_AES_GCM_12, 20, 36, 8, 96, NULL, NULL },
	{ "aes-gcm-8", ENC, KERNEL_ENC_AES_GCM_8, 20, 36, 8, 64, NULL, NULL },
	{ "simple", ENC, 0, 0, 0, 0, 0, NULL, kame_only },
	{ "des-deriv", ENC, 0, 0, 0, 0, 0, NULL, kame_only },
	{ "des-32iv", ENC, 0, 0, 0, 0, 0, NULL, kame_only },
	{ "aes-gmac", ENC, 0, 0, 0, 0, 0, NULL, no_kernel_id },

	/* integrity: RFC ICV lengths (RFC 2403/2404/4868) */
	{ "hmac-md5", AUTH, KERNEL_AUTH_HMAC_MD5, 16, 16, 0, 96, NULL, NULL },
	{ "hmac-sha1", AUTH, KERNEL_AUTH_HMAC_SHA1, 20, 20, 0, 96, NULL, NULL },
	{ "hmac-sha256", AUTH, KERNEL_AUTH_HMAC_SHA2_256, 32, 32, 0, 128, NULL, NULL },
	{ "hmac-sha256-96", AUTH, KERNEL_AUTH_HMAC_SHA2_256, 32, 32, 0, 96,
	  "hmac-sha256-96 is the legacy 96-bit ICV (not RFC 4868): only for peers that "
	  "need it", NULL },
	{ "hmac-sha384", AUTH, KERNEL_AUTH_HMAC_SHA2_384, 48, 48, 0, 192, NULL, NULL },
	{ "hmac-sha512", AUTH, KERNEL_AUTH_HMAC_SHA2_512, 64, 64, 0, 256, NULL, NULL },
	{ "hmac-sha2-256", AUTH, KERNEL_AUTH_HMAC_SHA2_256, 32, 32, 0, 128, NULL, NULL },
	{ "hmac-sha2-384", AUTH, KERNEL_AUTH_HMAC_SHA2_384, 48, 48, 0, 192, NULL, NULL },
	{ "hmac-sha2-512", AUTH, KERNEL_AUTH_HMAC_SHA2_512, 64, 64, 0, 256, NULL, NULL },
	{ "null", AUTH, KERNEL_AUTH_NONE, 0, 0, 0, 0, NULL, NULL },
	{ "keyed-md5", AUTH, 0, 0, 0, 0, 0, NULL, kame_only },
	{ "keyed-sha1", AUTH, 0, 0, 0, 0, 0, NULL, kame_only },
	{ "tcp-md5", AUTH, 0, 0, 0, 0, 0, NULL,
	  "TCP-MD5 (RFC 2385) is set per socket on Linux, not in the SAD" },
	{ "hmac-ripemd160", AUTH, 0, 0, 0, 0, 0, NULL, no_kernel_id },
	{ "aes-xcbc-mac", AUTH, 0, 0, 0, 0, 0, NULL, no_kernel_id },

	/* compression */
	{ "deflate", COMP, KERNEL_COMP_DEFLATE, 0, 0, 0, 0, NULL, NULL },
	{ "lzs", COMP, KERNEL_COMP_LZS, 0, 0, 0, 0, NULL, NULL },
	{ "oui", COMP, 0, 0, 0, 0, 0, NULL, "a proprietary IPComp number Linux does not have" },
};

const struct sk_alg *sk_alg_find(int kind, const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		const struct sk_alg *a = &table[i];
		if (a->kind == kind && strlen(a->name) == len && memcmp(a->name, name, len) == 0)
			return a;
	}
	return NULL;
}

const struct sk_alg *sk_alg_by_id(int kind, int id, unsigned icv_bits)
{
	const struct sk_alg *first = NULL;

	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		const struct sk_alg *a = &table[i];
		if (a->kind != kind || a->id != id || a->refused)
			continue;
		if (kind != AUTH || icv_bits == 0 || a->icv_bits == icv_bits)
			return a;
		if (!first)
			first = a;
	}
	return first;
}

bool sk_alg_key_ok(const struct sk_alg *a, size_t len)
{
	if (len < a->key_min || len > a->key_max)
		return false;
	if (a->key_step == 0)
		return len == a->key_min;
	return (len - a->key_min) % a->key_step == 0;
}
