/* algs: names and RFC properties of the IPsec algorithms, and capability lookups. */
#include "kernel/kernel.h"

#include <string.h>

struct alg_name {
	int alg;
	const char *name;
};

/* setkey's names (the first entry of an algorithm is the one printed). */
static const struct alg_name enc_names[] = {
	{ KERNEL_ENC_DES, "des-cbc" },
	{ KERNEL_ENC_3DES, "3des-cbc" },
	{ KERNEL_ENC_CAST, "cast128-cbc" },
	{ KERNEL_ENC_BLOWFISH, "blowfish-cbc" },
	{ KERNEL_ENC_NULL, "null" },
	{ KERNEL_ENC_AES_CBC, "aes-cbc" },
	{ KERNEL_ENC_AES_CBC, "rijndael-cbc" },
	{ KERNEL_ENC_AES_CTR, "aes-ctr" },
	{ KERNEL_ENC_AES_GCM_8, "aes-gcm-8" },
	{ KERNEL_ENC_AES_GCM_12, "aes-gcm-12" },
	{ KERNEL_ENC_AES_GCM_16, "aes-gcm-16" },
	{ KERNEL_ENC_AES_GCM_16, "aes-gcm" },
	{ KERNEL_ENC_CAMELLIA_CBC, "camellia-cbc" },
	{ KERNEL_ENC_TWOFISH, "twofish-cbc" },
};

static const struct alg_name auth_names[] = {
	{ KERNEL_AUTH_HMAC_MD5, "hmac-md5" },
	{ KERNEL_AUTH_HMAC_SHA1, "hmac-sha1" },
	{ KERNEL_AUTH_HMAC_SHA2_256, "hmac-sha256" },
	{ KERNEL_AUTH_HMAC_SHA2_384, "hmac-sha384" },
	{ KERNEL_AUTH_HMAC_SHA2_512, "hmac-sha512" },
	{ KERNEL_AUTH_NONE, "null" },
};

static const struct alg_name comp_names[] = {
	{ KERNEL_COMP_DEFLATE, "deflate" },
	{ KERNEL_COMP_LZS, "lzs" },
	{ KERNEL_COMP_LZJH, "lzjh" },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *name_of(const struct alg_name *t, size_t n, int alg)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].alg == alg)
			return t[i].name;
	return NULL;
}

static int from_name(const struct alg_name *t, size_t n, const char *name)
{
	if (!name)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i].name, name) == 0)
			return t[i].alg;
	return -1;
}

const char *kernel_enc_name(enum kernel_enc e) { return name_of(enc_names, N(enc_names), e); }
const char *kernel_auth_name(enum kernel_auth a) { return name_of(auth_names, N(auth_names), a); }
const char *kernel_comp_name(enum kernel_comp c) { return name_of(comp_names, N(comp_names), c); }
int kernel_enc_from_name(const char *n) { return from_name(enc_names, N(enc_names), n); }
int kernel_auth_from_name(const char *n) { return from_name(auth_names, N(auth_names), n); }
int kernel_comp_from_name(const char *n) { return from_name(comp_names, N(comp_names), n); }

unsigned kernel_auth_icv_bits(enum kernel_auth a)
{
	switch (a) {
	case KERNEL_AUTH_HMAC_MD5:
	case KERNEL_AUTH_HMAC_SHA1:
		return 96; /* RFC 2403, 2404 */
	case KERNEL_AUTH_HMAC_SHA2_256:
		return 128; /* RFC 4868 */
	case KERNEL_AUTH_HMAC_SHA2_384:
		return 192;
	case KERNEL_AUTH_HMAC_SHA2_512:
		return 256;
	default:
		return 0;
	}
}

unsigned kernel_enc_icv_bits(enum kernel_enc e)
{
	switch (e) {
	case KERNEL_ENC_AES_GCM_8:
		return 64;
	case KERNEL_ENC_AES_GCM_12:
		return 96;
	case KERNEL_ENC_AES_GCM_16:
		return 128;
	default:
		return 0;
	}
}

bool kernel_enc_is_aead(enum kernel_enc e) { return kernel_enc_icv_bits(e) != 0; }

unsigned kernel_enc_salt_len(enum kernel_enc e)
{
	return (kernel_enc_is_aead(e) || e == KERNEL_ENC_AES_CTR) ? 4 : 0;
}

const struct kernel_alg_cap *kernel_caps_find(const struct kernel_caps *c, int kind, int alg)
{
	for (size_t i = 0; c && i < c->n_algs; i++)
		if (c->algs[i].kind == kind && c->algs[i].alg == alg)
			return &c->algs[i];
	return NULL;
}

bool kernel_caps_enc_ok(const struct kernel_caps *c, enum kernel_enc e, unsigned key_bits)
{
	const struct kernel_alg_cap *a = kernel_caps_find(c, KERNEL_CAP_ENC, e);
	if (!a || (kernel_enc_is_aead(e) && !c->aead))
		return false;
	if (kernel_enc_is_aead(e) && a->icv_bits != kernel_enc_icv_bits(e))
		return false;
	if (key_bits < a->key_min || key_bits > a->key_max)
		return false;
	if (a->key_step == 0)
		return key_bits == a->key_min;
	return (key_bits - a->key_min) % a->key_step == 0;
}

bool kernel_caps_auth_ok(const struct kernel_caps *c, enum kernel_auth a)
{
	const struct kernel_alg_cap *e = kernel_caps_find(c, KERNEL_CAP_AUTH, a);
	/* An ICV the peer does not expect makes every packet fail authentication. */
	return e && e->icv_bits == kernel_auth_icv_bits(a);
}

bool kernel_caps_comp_ok(const struct kernel_caps *c, enum kernel_comp comp)
{
	return c && c->ipcomp && kernel_caps_find(c, KERNEL_CAP_COMP, comp);
}
