/* Unit tests: crypto/oakley. The main test replays IKEv1 exchanges recorded from
 * strongSwan's charon (tests/oracle/fixtures, made by tests/oracle/record-strongswan.sh):
 * from the inputs charon logged, our functions must give the keys, IVs, hashes,
 * ciphertexts and KEYMAT charon computed. Then a few vectors computed independently
 * (Python's hmac) and the refusal of bad arguments. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/cipher.h"
#include "crypto/dh.h"
#include "crypto/hash.h"
#include "crypto/ipsec_alg.h"
#include "crypto/oakley.h"
#include "crypto/pubkey.h"
#include "test_crypto_util.h"

#define MAX_FIXTURES 32
#define MAX_KEYS 64

static char *fixture_paths[MAX_FIXTURES];
static int n_fixtures;

struct fixture {
	char *key[MAX_KEYS], *val[MAX_KEYS];
	int n;
	uint8_t scratch[MAX_KEYS][4096]; /* decoded values, by key slot */
	struct buf b[MAX_KEYS];
};

static void fixture_load(struct fixture *f, const char *path)
{
	FILE *fp = fopen(path, "r");
	ck_assert_msg(fp != NULL, "cannot open %s", path);
	char line[8192];
	f->n = 0;
	while (fgets(line, sizeof(line), fp)) {
		char *k = strtok(line, " \t\r\n"), *v = strtok(NULL, " \t\r\n");
		if (!k || k[0] == '#' || !v)
			continue;
		ck_assert_int_lt(f->n, MAX_KEYS);
		f->key[f->n] = strdup(k);
		f->val[f->n] = strdup(v);
		f->n++;
	}
	fclose(fp);
}

static void fixture_free(struct fixture *f)
{
	for (int i = 0; i < f->n; i++) {
		free(f->key[i]);
		free(f->val[i]);
	}
}

static int fx_slot(const struct fixture *f, const char *key)
{
	for (int i = 0; i < f->n; i++)
		if (!strcmp(f->key[i], key))
			return i;
	return -1;
}

static bool fx_has(const struct fixture *f, const char *key)
{
	return fx_slot(f, key) >= 0;
}

static const char *fx_hex(const struct fixture *f, const char *key)
{
	int i = fx_slot(f, key);
	ck_assert_msg(i >= 0, "fixture lacks %s", key);
	return f->val[i];
}

/* A view of the decoded bytes of key (valid as long as f). */
static const struct buf *fx(struct fixture *f, const char *key)
{
	int i = fx_slot(f, key);
	ck_assert_msg(i >= 0, "fixture lacks %s", key);
	size_t n = tc_unhex(f->val[i], f->scratch[i], sizeof(f->scratch[i]));
	f->b[i] = buf_view(f->scratch[i], n);
	return &f->b[i];
}

static unsigned long fx_num(const struct fixture *f, const char *key)
{
	return strtoul(fx_hex(f, key), NULL, 10);
}

static uint32_t fx_u32(struct fixture *f, const char *key)
{
	const struct buf *b = fx(f, key);
	ck_assert_uint_eq(b->len, 4);
	return (uint32_t)b->ptr[0] << 24 | (uint32_t)b->ptr[1] << 16 | (uint32_t)b->ptr[2] << 8 |
	       b->ptr[3];
}

#define ASSERT_BUF_FX(f, got, key) TC_ASSERT_HEX((got)->ptr, (got)->len, fx_hex(f, key))

/* charon's SIG payloads verify over HASH_I/HASH_R with the peers' certificates */
static void verify_signatures(struct fixture *f, const struct crypto_hash *h)
{
	static const char *const who[][3] = { { "cert_i", "sig_i", "hash_i" },
					      { "cert_r", "sig_r", "hash_r" } };
	for (int i = 0; i < 2; i++) {
		struct crypto_cert *cert;
		struct crypto_pubkey *pub;
		ck_assert_int_eq(crypto_cert_import(fx(f, who[i][0]), &cert), 0);
		ck_assert_int_eq(crypto_cert_pubkey(cert, &pub), 0);
		const struct buf *hash = fx(f, who[i][2]);
		ck_assert_uint_eq(hash->len, h->digest_len);
		ck_assert_int_eq(crypto_rsa_verify(pub, hash->ptr, hash->len, fx(f, who[i][1])), 0);
		uint8_t other[CRYPTO_MAX_DIGEST];
		memcpy(other, hash->ptr, hash->len);
		other[0] ^= 1;
		ck_assert_int_eq(crypto_rsa_verify(pub, other, hash->len, fx(f, who[i][1])), -EBADMSG);
		crypto_pubkey_free(pub);
		crypto_cert_free(cert);
	}
}

static void replay_phase1(struct fixture *f, const struct crypto_hash *h,
			  const struct crypto_cipher *c, struct oakley_keys *k)
{
	const struct dh_group *g = dh_group_by_id((uint16_t)fx_num(f, "group"));
	ck_assert_ptr_nonnull(g);
	/* charon's public values pass our peer check (range, subgroup, curve) */
	ck_assert_int_eq(dh_check_public(g, fx(f, "gxi")), 0);
	ck_assert_int_eq(dh_check_public(g, fx(f, "gxr")), 0);
	ck_assert_uint_eq(fx(f, "gxy")->len, g->shared_len);

	struct buf skeyid = { 0 }, key = { 0 };
	if (fx_num(f, "auth") == 1)
		ck_assert_int_eq(oakley_skeyid_psk(h, fx(f, "psk"), fx(f, "ni"), fx(f, "nr"), &skeyid), 0);
	else
		ck_assert_int_eq(oakley_skeyid_sig(h, fx(f, "ni"), fx(f, "nr"), fx(f, "gxy"), &skeyid), 0);
	ASSERT_BUF_FX(f, &skeyid, "skeyid");
	ck_assert_int_eq(oakley_skeyid_dae(h, &skeyid, fx(f, "gxy"), fx(f, "cky_i")->ptr,
					   fx(f, "cky_r")->ptr, k), 0);
	ASSERT_BUF_FX(f, &k->d, "skeyid_d");
	ASSERT_BUF_FX(f, &k->a, "skeyid_a");
	ASSERT_BUF_FX(f, &k->e, "skeyid_e");

	int klen = crypto_cipher_key_len(c, (unsigned)fx_num(f, "keybits"));
	ck_assert_int_gt(klen, 0);
	ck_assert_int_eq(oakley_enc_key(h, &k->e, (size_t)klen, &key), 0);
	ASSERT_BUF_FX(f, &key, "enc_key");

	struct oakley_iv iv;
	ck_assert_int_eq(oakley_iv_phase1(h, fx(f, "gxi"), fx(f, "gxr"), c->block_len, &iv), 0);
	TC_ASSERT_HEX(iv.b, iv.len, fx_hex(f, "iv_p1"));

	uint8_t out[CRYPTO_MAX_DIGEST];
	ck_assert_int_eq(oakley_hash_i(h, &skeyid, fx(f, "gxi"), fx(f, "gxr"), fx(f, "cky_i")->ptr,
				       fx(f, "cky_r")->ptr, fx(f, "sai_b"), fx(f, "idii_b"), out),
			 (int)h->digest_len);
	TC_ASSERT_HEX(out, h->digest_len, fx_hex(f, "hash_i"));
	ck_assert_int_eq(oakley_hash_r(h, &skeyid, fx(f, "gxi"), fx(f, "gxr"), fx(f, "cky_i")->ptr,
				       fx(f, "cky_r")->ptr, fx(f, "sai_b"), fx(f, "idir_b"), out),
			 (int)h->digest_len);
	TC_ASSERT_HEX(out, h->digest_len, fx_hex(f, "hash_r"));
	if (fx_num(f, "auth") == 3)
		verify_signatures(f, h);

	/* the first encrypted Phase 1 message, with our key and IV */
	uint8_t msg[2048], ivb[CRYPTO_MAX_BLOCK];
	const struct buf *plain = fx(f, "p1_msg_plain");
	memcpy(msg, plain->ptr, plain->len);
	memcpy(ivb, fx(f, "p1_msg_iv")->ptr, c->block_len);
	ck_assert_int_eq(crypto_cbc_encrypt(c, key.ptr, key.len, ivb, msg, plain->len), 0);
	TC_ASSERT_HEX(msg, plain->len, fx_hex(f, "p1_msg_cipher"));
	buf_free(&skeyid);
	buf_free(&key);
}

static void replay_phase2(struct fixture *f, const struct crypto_hash *h,
			  const struct crypto_cipher *c, const struct oakley_keys *k)
{
	struct oakley_iv last = { .len = c->block_len }, iv;
	memcpy(last.b, fx(f, "p1_last")->ptr, c->block_len);
	uint32_t mid = (uint32_t)fx_num(f, "qm_mid");
	ck_assert_int_eq(oakley_iv_msgid(h, &last, mid, &iv), 0);
	TC_ASSERT_HEX(iv.b, iv.len, fx_hex(f, "qm_iv"));

	uint8_t out[CRYPTO_MAX_DIGEST];
	ck_assert_int_eq(oakley_qm_hash1(h, &k->a, mid, fx(f, "qm_rest1"), out), (int)h->digest_len);
	TC_ASSERT_HEX(out, h->digest_len, fx_hex(f, "qm_hash1"));
	ck_assert_int_eq(oakley_qm_hash2(h, &k->a, mid, fx(f, "qm_ni"), fx(f, "qm_rest2"), out),
			 (int)h->digest_len);
	TC_ASSERT_HEX(out, h->digest_len, fx_hex(f, "qm_hash2"));
	ck_assert_int_eq(oakley_qm_hash3(h, &k->a, mid, fx(f, "qm_ni"), fx(f, "qm_nr"), out),
			 (int)h->digest_len);
	TC_ASSERT_HEX(out, h->digest_len, fx_hex(f, "qm_hash3"));

	/* Quick Mode message 1 encrypted with the Phase 1 key and the derived IV */
	struct buf key = { 0 };
	int klen = crypto_cipher_key_len(c, (unsigned)fx_num(f, "keybits"));
	ck_assert_int_eq(oakley_enc_key(h, &k->e, (size_t)klen, &key), 0);
	uint8_t msg[2048];
	const struct buf *plain = fx(f, "qm_msg_plain");
	memcpy(msg, plain->ptr, plain->len);
	ck_assert_mem_eq(fx(f, "qm_msg_iv")->ptr, iv.b, iv.len);
	ck_assert_int_eq(crypto_cbc_encrypt(c, key.ptr, key.len, iv.b, msg, plain->len), 0);
	TC_ASSERT_HEX(msg, plain->len, fx_hex(f, "qm_msg_cipher"));
	buf_free(&key);

	/* PFS: charon's Quick Mode public values pass our check too */
	const struct buf *gxy_qm = NULL;
	if (fx_has(f, "qm_gxy")) {
		const struct dh_group *g = NULL;
		for (uint16_t id = 1; id <= 21 && !g; id++) {
			const struct dh_group *t = dh_group_by_id(id);
			if (t && t->public_len == fx(f, "qm_gxi")->len &&
			    t->shared_len == fx(f, "qm_gxy")->len)
				g = t;
		}
		ck_assert_ptr_nonnull(g);
		ck_assert_int_eq(dh_check_public(g, fx(f, "qm_gxi")), 0);
		ck_assert_int_eq(dh_check_public(g, fx(f, "qm_gxr")), 0);
		gxy_qm = fx(f, "qm_gxy");
	}
	/* our ESP table sizes KEYMAT as charon did (GCM salt, SHA2 key lengths) */
	const struct ipsec_enc_alg *ee = ipsec_enc_by_id((uint16_t)fx_num(f, "esp_enc"));
	const struct ipsec_auth_alg *ea = ipsec_auth_by_id((uint16_t)fx_num(f, "esp_auth"));
	ck_assert_ptr_nonnull(ee);
	ck_assert(ea || ee->aead);
	ck_assert_int_eq(ipsec_keymat_len(ee, (unsigned)fx_num(f, "esp_keybits"), ea),
			 (int)fx(f, "keymat_i2r")->len);
	static const char *const dirs[][2] = { { "spi_i2r", "keymat_i2r" },
					       { "spi_r2i", "keymat_r2i" } };
	for (int d = 0; d < 2; d++) {
		struct buf km = { 0 };
		size_t len = fx(f, dirs[d][1])->len;
		ck_assert_int_eq(oakley_keymat(h, &k->d, gxy_qm, (uint8_t)fx_num(f, "proto"),
					       fx_u32(f, dirs[d][0]), fx(f, "qm_ni"), fx(f, "qm_nr"),
					       len, &km), 0);
		ck_assert(km.flags & BUF_SECRET);
		ASSERT_BUF_FX(f, &km, dirs[d][1]);
		buf_free(&km);
	}

	/* the informational exchange (a Delete) */
	uint32_t imid = (uint32_t)fx_num(f, "info_mid");
	ck_assert_int_eq(oakley_iv_msgid(h, &last, imid, &iv), 0);
	TC_ASSERT_HEX(iv.b, iv.len, fx_hex(f, "info_iv"));
	ck_assert_int_eq(oakley_qm_hash1(h, &k->a, imid, fx(f, "info_rest"), out), (int)h->digest_len);
	TC_ASSERT_HEX(out, h->digest_len, fx_hex(f, "info_hash"));
}

START_TEST(strongswan_oracle)
{
	struct fixture *f = calloc(1, sizeof(*f));
	ck_assert_ptr_nonnull(f);
	fixture_load(f, fixture_paths[_i]);
	const struct crypto_hash *h = crypto_hash_by_ike((uint16_t)fx_num(f, "hash"));
	const struct crypto_cipher *c = crypto_cipher_by_ike((uint16_t)fx_num(f, "cipher"));
	ck_assert_ptr_nonnull(h);
	ck_assert_ptr_nonnull(c);
	struct oakley_keys k;
	replay_phase1(f, h, c, &k);
	replay_phase2(f, h, c, &k);
	oakley_keys_free(&k);
	fixture_free(f);
	free(f);
}
END_TEST

START_TEST(skeyid_signature)
{
	/* prf(Ni_b | Nr_b, g^xy), reference values from Python's hmac module */
	uint8_t ni[16], nr[16], gxy[20];
	for (int i = 0; i < 16; i++) {
		ni[i] = (uint8_t)i;
		nr[i] = (uint8_t)(16 + i);
	}
	memset(gxy, 0xaa, sizeof(gxy));
	struct buf bni = buf_view(ni, 16), bnr = buf_view(nr, 16), bg = buf_view(gxy, 20), s = { 0 };
	ck_assert_int_eq(oakley_skeyid_sig(crypto_hash_by_ike(CRYPTO_HASH_SHA1), &bni, &bnr, &bg, &s), 0);
	TC_ASSERT_HEX(s.ptr, s.len, "dc73a28dbe62e5fd54f32faf7e3f052fe8788142");
	ck_assert(s.flags & BUF_SECRET);
	buf_free(&s);
	const struct crypto_hash *sha256 = crypto_hash_by_ike(CRYPTO_HASH_SHA2_256);
	ck_assert_int_eq(oakley_skeyid_sig(sha256, &bni, &bnr, &bg, &s), 0);
	TC_ASSERT_HEX(s.ptr, s.len, "6fb91c8562d65abd07b63181b0f40809511f08eca878633e5acea97552f321a6");
	buf_free(&s);
	/* nonces longer than RFC 2409 allows in total are refused, not truncated */
	uint8_t big[300] = { 0 };
	struct buf bbig = buf_view(big, sizeof(big));
	const struct crypto_hash *sha1 = crypto_hash_by_ike(CRYPTO_HASH_SHA1);
	ck_assert_int_eq(oakley_skeyid_sig(sha1, &bbig, &bbig, &bg, &s), -EINVAL);
	ck_assert_ptr_null(s.ptr);
}
END_TEST

START_TEST(enc_key_expansion)
{
	/* Appendix B with HMAC-MD5 over 40 bytes (three blocks), from Python's hmac */
	uint8_t e[16];
	memset(e, 0x0b, sizeof(e));
	struct buf be = buf_view(e, sizeof(e)), key = { 0 };
	ck_assert_int_eq(oakley_enc_key(crypto_hash_by_ike(CRYPTO_HASH_MD5), &be, 40, &key), 0);
	TC_ASSERT_HEX(key.ptr, key.len,
		      "0400b1498f4d94516c941b564c51ace16c765be6f901238e10dd58c7b4ea55ba67faf30a11ab75ec");
	buf_free(&key);
	/* no expansion when SKEYID_e is long enough: a plain prefix */
	ck_assert_int_eq(oakley_enc_key(crypto_hash_by_ike(CRYPTO_HASH_MD5), &be, 8, &key), 0);
	ck_assert_mem_eq(key.ptr, e, 8);
	ck_assert_uint_eq(key.len, 8);
	buf_free(&key);
}
END_TEST

START_TEST(refuses_bad_arguments)
{
	const struct crypto_hash *h = crypto_hash_by_ike(CRYPTO_HASH_SHA1);
	uint8_t b[32] = { 1 }, out[CRYPTO_MAX_DIGEST];
	struct buf v = buf_view(b, sizeof(b)), o = { 0 };
	struct oakley_keys k;
	struct oakley_iv iv, last = { .len = 16 };
	ck_assert_int_eq(oakley_skeyid_psk(NULL, &v, &v, &v, &o), -EINVAL);
	ck_assert_int_eq(oakley_skeyid_psk(h, NULL, &v, &v, &o), -EINVAL);
	ck_assert_int_eq(oakley_skeyid_dae(h, &v, &v, NULL, b, &k), -EINVAL);
	ck_assert_int_eq(oakley_enc_key(h, &v, 0, &o), -EINVAL);
	ck_assert_int_eq(oakley_enc_key(h, &v, 100000, &o), -EINVAL);
	ck_assert_int_eq(oakley_iv_phase1(h, &v, &v, 0, &iv), -EINVAL);
	ck_assert_int_eq(oakley_iv_phase1(h, &v, &v, 32, &iv), -EINVAL);
	ck_assert_int_eq(oakley_iv_phase1(crypto_hash_by_ike(CRYPTO_HASH_MD5), &v, &v, 16, &iv), 0);
	last.len = 0;
	ck_assert_int_eq(oakley_iv_msgid(h, &last, 1, &iv), -EINVAL);
	ck_assert_int_eq(oakley_hash_i(h, &v, &v, &v, b, b, NULL, &v, out), -EINVAL);
	ck_assert_int_eq(oakley_qm_hash1(h, &v, 1, NULL, out), -EINVAL);
	ck_assert_int_eq(oakley_qm_hash3(h, &v, 1, &v, NULL, out), -EINVAL);
	ck_assert_int_eq(oakley_keymat(h, &v, NULL, 3, 1, &v, &v, 0, &o), -EINVAL);
	ck_assert_int_eq(oakley_keymat(h, &v, NULL, 3, 1, NULL, &v, 16, &o), -EINVAL);
	ck_assert_ptr_null(o.ptr);
	/* KEYMAT: the first bytes do not depend on how much is asked for; SPIs matter */
	struct buf a = { 0 }, bb = { 0 }, c = { 0 };
	ck_assert_int_eq(oakley_keymat(h, &v, NULL, 3, 0x1234, &v, &v, 20, &a), 0);
	ck_assert_int_eq(oakley_keymat(h, &v, NULL, 3, 0x1234, &v, &v, 64, &bb), 0);
	ck_assert_int_eq(oakley_keymat(h, &v, NULL, 3, 0x1235, &v, &v, 20, &c), 0);
	ck_assert_mem_eq(a.ptr, bb.ptr, 20);
	ck_assert(memcmp(a.ptr, c.ptr, 20) != 0);
	ck_assert_uint_eq(bb.len, 64);
	buf_free(&a);
	buf_free(&bb);
	buf_free(&c);
}
END_TEST

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void find_fixtures(void)
{
	const char *top = getenv("top_srcdir");
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/tests/oracle/fixtures", top ? top : ".");
	DIR *d = opendir(dir);
	if (!d)
		return; /* the oracle test then fails on n_fixtures */
	struct dirent *e;
	while ((e = readdir(d)) && n_fixtures < MAX_FIXTURES) {
		size_t n = strlen(e->d_name);
		if (n > 4 && !strcmp(e->d_name + n - 4, ".txt")) {
			char *p = malloc(strlen(dir) + n + 2);
			sprintf(p, "%s/%s", dir, e->d_name);
			fixture_paths[n_fixtures++] = p;
		}
	}
	closedir(d);
	qsort(fixture_paths, (size_t)n_fixtures, sizeof(char *), cmp_str);
}

START_TEST(oracle_fixtures_present)
{
	/* Main and Aggressive Mode, PSK and RSA signatures, with and without PFS. */
	ck_assert_int_ge(n_fixtures, 7);
}
END_TEST

static Suite *oakley_suite(void)
{
	Suite *s = suite_create("crypto_oakley");
	TCase *tc = tcase_create("oakley");
	tcase_add_test(tc, oracle_fixtures_present);
	tcase_add_loop_test(tc, strongswan_oracle, 0, n_fixtures);
	tcase_add_test(tc, skeyid_signature);
	tcase_add_test(tc, enc_key_expansion);
	tcase_add_test(tc, refuses_bad_arguments);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	find_fixtures();
	SRunner *sr = srunner_create(oakley_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	for (int i = 0; i < n_fixtures; i++)
		free(fixture_paths[i]);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
