/* conf/names: the algorithm, group and identifier keywords of racoon.conf, as data.
 *
 * Each table is sorted by name (bsearch). Names the reference knows but we refuse
 * (Linux has no such algorithm, or the feature is not implemented) live in a second
 * table with the reason, so the error says why instead of "unknown".
 */
#include <stdlib.h>
#include <string.h>

#include "conf/names.h"
#include "conf/parser.h"

const struct kw kw_ike_enc[] = {
	{ "3des", CONF_IKE_3DES },	   { "aes", CONF_IKE_AES },
	{ "blowfish", CONF_IKE_BLOWFISH }, { "camellia", CONF_IKE_CAMELLIA },
	{ "cast128", CONF_IKE_CAST128 },   { "des", CONF_IKE_DES },
};
const size_t kw_ike_enc_n = sizeof(kw_ike_enc) / sizeof(kw_ike_enc[0]);

const struct kw kw_hash[] = {
	{ "md5", CONF_HASH_MD5 },	     { "sha1", CONF_HASH_SHA1 },
	{ "sha256", CONF_HASH_SHA256 },	     { "sha2_256", CONF_HASH_SHA256 },
	{ "sha2_384", CONF_HASH_SHA384 },    { "sha2_512", CONF_HASH_SHA512 },
	{ "sha384", CONF_HASH_SHA384 },	     { "sha512", CONF_HASH_SHA512 },
};
const size_t kw_hash_n = sizeof(kw_hash) / sizeof(kw_hash[0]);

const struct kw kw_auth_method[] = {
	{ "hybrid_rsa_client", CONF_AUTH_HYBRID_RSA_CLIENT },
	{ "hybrid_rsa_server", CONF_AUTH_HYBRID_RSA_SERVER },
	{ "pre_shared_key", CONF_AUTH_PSK },
	{ "rsasig", CONF_AUTH_RSASIG },
	{ "xauth_psk_client", CONF_AUTH_XAUTH_PSK_CLIENT },
	{ "xauth_psk_server", CONF_AUTH_XAUTH_PSK_SERVER },
	{ "xauth_rsa_client", CONF_AUTH_XAUTH_RSA_CLIENT },
	{ "xauth_rsa_server", CONF_AUTH_XAUTH_RSA_SERVER },
};
const size_t kw_auth_method_n = sizeof(kw_auth_method) / sizeof(kw_auth_method[0]);

const struct kw kw_dh_group[] = {
	{ "1", 1 },	      { "14", 14 },	    { "15", 15 },	  { "16", 16 },
	{ "17", 17 },	      { "18", 18 },	    { "19", 19 },	  { "2", 2 },
	{ "20", 20 },	      { "21", 21 },	    { "5", 5 },		  { "ecp256", 19 },
	{ "ecp384", 20 },     { "ecp521", 21 },     { "modp1024", 2 },	  { "modp1536", 5 },
	{ "modp2048", 14 },   { "modp3072", 15 },   { "modp4096", 16 },	  { "modp6144", 17 },
	{ "modp768", 1 },     { "modp8192", 18 },
};
const size_t kw_dh_group_n = sizeof(kw_dh_group) / sizeof(kw_dh_group[0]);

const struct kw kw_esp_enc[] = {
	{ "3des", CONF_ESP_3DES },	   { "aes", CONF_ESP_AES },
	{ "aes_gcm_12", CONF_ESP_AES_GCM_12 }, { "aes_gcm_16", CONF_ESP_AES_GCM_16 },
	{ "aes_gcm_8", CONF_ESP_AES_GCM_8 }, { "blowfish", CONF_ESP_BLOWFISH },
	{ "camellia", CONF_ESP_CAMELLIA }, { "cast128", CONF_ESP_CAST128 },
	{ "des", CONF_ESP_DES },	   { "null", CONF_ESP_NULL },
	{ "null_enc", CONF_ESP_NULL },	   { "rijndael", CONF_ESP_AES },
	{ "twofish", CONF_ESP_TWOFISH },
};
const size_t kw_esp_enc_n = sizeof(kw_esp_enc) / sizeof(kw_esp_enc[0]);

const struct kw kw_esp_auth[] = {
	{ "hmac_md5", CONF_AUTH_ALG_HMAC_MD5 },	      { "hmac_sha1", CONF_AUTH_ALG_HMAC_SHA1 },
	{ "hmac_sha256", CONF_AUTH_ALG_HMAC_SHA256 }, { "hmac_sha2_256", CONF_AUTH_ALG_HMAC_SHA256 },
	{ "hmac_sha2_384", CONF_AUTH_ALG_HMAC_SHA384 }, { "hmac_sha2_512", CONF_AUTH_ALG_HMAC_SHA512 },
	{ "hmac_sha384", CONF_AUTH_ALG_HMAC_SHA384 }, { "hmac_sha512", CONF_AUTH_ALG_HMAC_SHA512 },
	{ "non_auth", CONF_AUTH_ALG_NONE },
};
const size_t kw_esp_auth_n = sizeof(kw_esp_auth) / sizeof(kw_esp_auth[0]);

const struct kw kw_comp[] = { { "deflate", CONF_COMP_DEFLATE } };
const size_t kw_comp_n = 1;

const struct kw kw_id_type[] = {
	{ "address", CONF_ID_ADDRESS }, { "asn1dn", CONF_ID_ASN1DN }, { "fqdn", CONF_ID_FQDN },
	{ "keyid", CONF_ID_KEYID },	{ "user_fqdn", CONF_ID_USER_FQDN },
};
const size_t kw_id_type_n = sizeof(kw_id_type) / sizeof(kw_id_type[0]);

/* Known to the reference, refused here, with the reason. Sorted. */
static const struct refused {
	const char *name;
	const char *why;
} refused[] = {
	{ "3", "EC2N groups are not implemented (use modp2048 or ecp256)" },
	{ "3idea", "3IDEA is not supported by the Linux kernel" },
	{ "4", "EC2N groups are not implemented (use modp2048 or ecp256)" },
	{ "des_iv32", "DES-IV32 is not supported by the Linux kernel" },
	{ "des_iv64", "DES-IV64 is not supported by the Linux kernel" },
	{ "des_mac", "DES-MAC is not supported by the Linux kernel" },
	{ "dsssig", "DSS signatures are not implemented" },
	{ "ec2n155", "EC2N groups are not implemented (use modp2048 or ecp256)" },
	{ "ec2n185", "EC2N groups are not implemented (use modp2048 or ecp256)" },
	{ "gssapi_krb", "GSS-API/Kerberos authentication is not implemented" },
	{ "hybrid_dss_client", "hybrid DSS authentication is not implemented" },
	{ "hybrid_dss_server", "hybrid DSS authentication is not implemented" },
	{ "idea", "IDEA is not supported (not built in the reference either)" },
	{ "kpdk", "KPDK is not supported by the Linux kernel" },
	{ "lzs", "LZS compression is not supported by the Linux kernel" },
	{ "oui", "OUI compression is not supported by the Linux kernel" },
	{ "rc4", "RC4 is not supported by the Linux kernel" },
	{ "rc5", "RC5 is not supported (not built in the reference either)" },
	{ "rsaenc", "RSA encryption authentication is not implemented" },
	{ "rsarev", "revised RSA encryption authentication is not implemented" },
	{ "tiger", "the Tiger hash is not implemented" },
	{ "xauth_dss_client", "XAuth with DSS is not implemented" },
	{ "xauth_dss_server", "XAuth with DSS is not implemented" },
	{ "xauth_rsaenc_client", "XAuth with RSA encryption is not implemented" },
	{ "xauth_rsaenc_server", "XAuth with RSA encryption is not implemented" },
	{ "xauth_rsarev_client", "XAuth with revised RSA encryption is not implemented" },
	{ "xauth_rsarev_server", "XAuth with revised RSA encryption is not implemented" },
};

static int refused_cmp(const void *k, const void *e)
{
	return strcmp(k, ((const struct refused *)e)->name);
}

const char *names_refused(const char *word)
{
	const struct refused *r =
		bsearch(word, refused, sizeof(refused) / sizeof(refused[0]), sizeof(*r), refused_cmp);
	return r ? r->why : NULL;
}

bool get_kw_or_refused(struct parser *p, const struct kw *tab, size_t n, const char *what,
		       int *out)
{
	const char *why = p->tok.type == TOK_WORD ? names_refused(p->tok.text) : NULL;
	if (why && kw_lookup(tab, n, p->tok.text) < 0) {
		perr(p, "%s '%s' is refused: %s", what, p->tok.text, why);
		next(p);
		return false;
	}
	return get_kw(p, tab, n, what, out);
}

bool get_dh_group(struct parser *p, unsigned *out)
{
	int v;
	if (!get_kw_or_refused(p, kw_dh_group, kw_dh_group_n, "DH group", &v))
		return false;
	*out = (unsigned)v;
	return true;
}

static const char *name_of(const struct kw *tab, size_t n, unsigned v)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned)tab[i].value == v)
			return tab[i].name;
	return "?";
}

const char *conf_ike_enc_name(unsigned v) { return name_of(kw_ike_enc, kw_ike_enc_n, v); }
const char *conf_hash_name(unsigned v) { return name_of(kw_hash, kw_hash_n, v); }
const char *conf_esp_auth_name(unsigned v) { return name_of(kw_esp_auth, kw_esp_auth_n, v); }
const char *conf_id_type_name(unsigned v) { return name_of(kw_id_type, kw_id_type_n, v); }

const char *conf_auth_method_name(unsigned v)
{
	return name_of(kw_auth_method, kw_auth_method_n, v);
}

const char *conf_esp_enc_name(unsigned v)
{
	if (v == CONF_ESP_NULL)
		return "null_enc";
	return name_of(kw_esp_enc, kw_esp_enc_n, v);
}

const char *conf_dh_group_name(unsigned v)
{
	/* Prefer the names over the numbers: the table has both. */
	static const char *const names[] = {
		[1] = "modp768",   [2] = "modp1024",  [5] = "modp1536", [14] = "modp2048",
		[15] = "modp3072", [16] = "modp4096", [17] = "modp6144", [18] = "modp8192",
		[19] = "ecp256",   [20] = "ecp384",   [21] = "ecp521",
	};
	return v < sizeof(names) / sizeof(names[0]) && names[v] ? names[v] : "?";
}

const char *conf_exchange_name(unsigned v)
{
	switch (v) {
	case CONF_EXCH_MAIN: return "main";
	case CONF_EXCH_AGGRESSIVE: return "aggressive";
	case CONF_EXCH_BASE: return "base";
	default: return "?";
	}
}

/* Key lengths each cipher accepts (bits). */
bool names_keylen_ok(bool esp, unsigned alg, unsigned bits, unsigned *deflt)
{
	bool aes_like = esp ? (alg == CONF_ESP_AES || alg == CONF_ESP_CAMELLIA ||
			       alg == CONF_ESP_TWOFISH || alg == CONF_ESP_AES_GCM_8 ||
			       alg == CONF_ESP_AES_GCM_12 || alg == CONF_ESP_AES_GCM_16)
			    : (alg == CONF_IKE_AES || alg == CONF_IKE_CAMELLIA);
	bool blowfish = esp ? alg == CONF_ESP_BLOWFISH : alg == CONF_IKE_BLOWFISH;
	bool cast = esp ? alg == CONF_ESP_CAST128 : alg == CONF_IKE_CAST128;
	*deflt = 0;
	if (aes_like) {
		*deflt = 128;
		return bits == 0 || bits == 128 || bits == 192 || bits == 256;
	}
	if (blowfish) {
		*deflt = 128;
		return bits == 0 || (bits >= 40 && bits <= 448 && bits % 8 == 0);
	}
	if (cast) {
		*deflt = 128;
		return bits == 0 || (bits >= 40 && bits <= 128 && bits % 8 == 0);
	}
	return bits == 0; /* fixed-size ciphers take no key length */
}

bool names_esp_is_aead(unsigned alg)
{
	return alg == CONF_ESP_AES_GCM_8 || alg == CONF_ESP_AES_GCM_12 ||
	       alg == CONF_ESP_AES_GCM_16;
}
