/* Unit tests: crypto/plainrsa (the plainrsa-gen key file format) and the raw RSA
 * parameter functions of crypto/pubkey: write and read back, the public key blob, and
 * refusal of junk, inconsistent numbers and the unsupported parts (selectors, several
 * keys, missing primes) with the line number. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/init.h"
#include "crypto/plainrsa.h"
#include "crypto/pubkey.h"

static struct crypto_privkey *key; /* 1024 bits, e = 3, made once in main() */
static char keytext[16384];

static struct buf txt(const char *s)
{
	return buf_view(s, strlen(s));
}

static bool same_key(const struct crypto_privkey *k, const struct crypto_pubkey *p)
{
	struct crypto_pubkey *kp = NULL;
	bool eq = crypto_pubkey_from_privkey(k, &kp) == 0 && crypto_pubkey_equal(kp, p);
	crypto_pubkey_free(kp);
	return eq;
}

/* keytext with one field's hex value replaced */
static void with_field(char *out, size_t size, const char *name, const char *hex)
{
	const char *f = strstr(keytext, name);
	ck_assert_ptr_nonnull(f);
	const char *v = strstr(f, "0x") + 2, *end = strchr(v, '\n');
	snprintf(out, size, "%.*s%s%s", (int)(v - keytext), keytext, hex, end);
}

START_TEST(format_and_parse_back)
{
	ck_assert_uint_eq(crypto_privkey_bits(key), 1024);
	ck_assert_ptr_nonnull(strstr(keytext, "\tPublicExponent: 0x03\n"));
	ck_assert_ptr_nonnull(strstr(keytext, "\t# RSA 1024 bits\n"));
	ck_assert(strncmp(keytext, "# : PUB 0s", 10) == 0);
	struct buf t = txt(keytext);
	struct crypto_privkey *k = NULL;
	struct crypto_pubkey *p = NULL, *p2 = NULL;
	unsigned line = 99;
	ck_assert_int_eq(crypto_plainrsa_parse_privkey(&t, &k, &line), 0);
	ck_assert_uint_eq(line, 0);
	ck_assert_int_eq(crypto_plainrsa_parse_pubkey(&t, &p, &line), 0); /* public half */
	ck_assert(same_key(key, p));
	/* the PUB comment line made into an entry */
	char pub[4096];
	snprintf(pub, sizeof(pub), "%.*s", (int)strcspn(keytext + 2, "\n"), keytext + 2);
	struct buf pt = txt(pub);
	ck_assert_int_eq(crypto_plainrsa_parse_pubkey(&pt, &p2, &line), 0);
	ck_assert(crypto_pubkey_equal(p, p2));
	/* the parsed private key signs like the original */
	uint8_t h[32] = { 7 };
	struct buf s1 = { 0 }, s2 = { 0 };
	ck_assert_int_eq(crypto_rsa_sign(key, h, sizeof(h), &s1), 0);
	ck_assert_int_eq(crypto_rsa_sign(k, h, sizeof(h), &s2), 0);
	ck_assert_uint_eq(s1.len, s2.len);
	ck_assert_mem_eq(s1.ptr, s2.ptr, s1.len);
	ck_assert_int_eq(crypto_rsa_verify(p2, h, sizeof(h), &s2), 0);
	/* a PUB entry is not a private key */
	struct crypto_privkey *k2 = NULL;
	ck_assert_int_eq(crypto_plainrsa_parse_privkey(&pt, &k2, &line), -EBADMSG);
	buf_free(&s1);
	buf_free(&s2);
	crypto_privkey_free(k);
	crypto_pubkey_free(p);
	crypto_pubkey_free(p2);
}
END_TEST

START_TEST(pubkey_blob)
{
	struct crypto_pubkey *p = NULL, *q = NULL;
	struct buf b64 = { 0 };
	ck_assert_int_eq(crypto_pubkey_from_privkey(key, &p), 0);
	ck_assert_int_eq(crypto_plainrsa_pubkey_b64(p, &b64), 0);
	/* RFC 3110: 0x01 0x03 then the modulus (top bit set): base64 "AQ" then O or P */
	ck_assert(strncmp((const char *)b64.ptr, "0sAQ", 4) == 0);
	ck_assert(b64.ptr[4] == 'O' || b64.ptr[4] == 'P');
	char line[4096];
	snprintf(line, sizeof(line), "# a comment\n\n  : PUB %s # trailing\n", b64.ptr);
	struct buf t = txt(line);
	ck_assert_int_eq(crypto_plainrsa_parse_pubkey(&t, &q, NULL), 0);
	ck_assert(crypto_pubkey_equal(p, q));
	/* raw (n, e) round trip */
	struct buf n = { 0 }, e = { 0 };
	struct crypto_pubkey *r = NULL;
	ck_assert_int_eq(crypto_pubkey_rsa_params(p, &n, &e), 0);
	ck_assert_uint_eq(n.len, 128);
	ck_assert_uint_eq(e.len, 1);
	ck_assert_uint_eq(e.ptr[0], 3);
	ck_assert_int_eq(crypto_pubkey_from_rsa(&n, &e, &r), 0);
	ck_assert(crypto_pubkey_equal(p, r));
	e.ptr[0] = 5;
	ck_assert(!crypto_pubkey_equal(p, NULL));
	buf_free(&n);
	buf_free(&e);
	buf_free(&b64);
	crypto_pubkey_free(p);
	crypto_pubkey_free(q);
	crypto_pubkey_free(r);
}
END_TEST

START_TEST(refusals)
{
	static const struct {
		const char *text;
		int err;
		unsigned line;
	} cases[] = {
		{ "# only a comment\n", -EBADMSG, 2 },
		{ "garbage\n", -EBADMSG, 1 },
		{ ": RSA\n", -EBADMSG, 2 },
		{ ": RSA {\n Modulus: 0x01\n", -EBADMSG, 3 },
		{ ": RSA {\n Modulus 0x01\n}\n", -EBADMSG, 2 },
		{ ": RSA {\n Modulus: 01\n}\n", -EBADMSG, 2 },
		{ ": RSA {\n Modulus: 0xzz\n}\n", -EBADMSG, 2 },
		{ ": RSA {\n Modulus: 0x01\n Modulus: 0x01\n}\n", -EBADMSG, 3 },
		{ ": RSA {\n Bogus: 0x01\n}\n", -EBADMSG, 2 },
		{ ": RSA {\n Modulus: 0x0f\n PublicExponent: 0x03\n PrivateExponent: 0x07\n}\n",
		  -EOPNOTSUPP, 1 },
		{ ": DSA { }\n", -EBADMSG, 1 },
		{ ": PUB\n", -EBADMSG, 2 },
		{ ": PUB 0s\n", -EBADMSG, 1 },
		{ ": PUB 0s!!!!\n", -EBADMSG, 1 },
		{ ": PUB 0sAA==\n", -EBADMSG, 1 },
		{ ": PUB 0sAQM=\n", -EBADMSG, 1 },            /* exponent, no modulus */
		{ ": PUB 0sBQM=\n", -EBADMSG, 1 },            /* exponent longer than the blob */
		{ "192.0.2.1 : PUB 0sAQPD\n", -EOPNOTSUPP, 1 }, /* selectors */
		{ "any 2001:db8::1 : PUB 0sAQPD\n", -EOPNOTSUPP, 1 },
		{ ": PUB { Modulus: 0x0f }\n", -EBADMSG, 1 },  /* no exponent */
		{ ": PUB 0sAQPD\n: PUB 0sAQPD\n", -EOPNOTSUPP, 2 }, /* two keys */
		{ ": PUB 0sAQPD junk\n", -EBADMSG, 1 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf t = txt(cases[i].text);
		struct crypto_privkey *k = NULL;
		struct crypto_pubkey *p = NULL;
		unsigned line = 0;
		int r = strstr(cases[i].text, "PUB") ? crypto_plainrsa_parse_pubkey(&t, &p, &line)
						       : crypto_plainrsa_parse_privkey(&t, &k, &line);
		ck_assert_msg(r == cases[i].err && line == cases[i].line,
			      "case %zu: r=%d line=%u, want %d line %u", i, r, line, cases[i].err,
			      cases[i].line);
		ck_assert_ptr_null(k);
		ck_assert_ptr_null(p);
	}
	struct buf empty = buf_view("", 0);
	struct crypto_pubkey *p = NULL;
	ck_assert_int_eq(crypto_plainrsa_parse_pubkey(&empty, &p, NULL), -EINVAL);
	/* a number over 16384 bits */
	static char huge[8192];
	int n = snprintf(huge, sizeof(huge), ": PUB { Modulus: 0x");
	memset(huge + n, 'f', 4200);
	strcpy(huge + n + 4200, "\n PublicExponent: 0x03 }\n");
	struct buf ht = txt(huge);
	ck_assert_int_eq(crypto_plainrsa_parse_pubkey(&ht, &p, NULL), -EBADMSG);
}
END_TEST

START_TEST(inconsistent_numbers)
{
	char bad[sizeof(keytext) + 64];
	struct crypto_privkey *k = NULL;
	struct buf t;
	/* a modulus that is not p*q */
	with_field(bad, sizeof(bad), "Modulus", "c0ffee01");
	t = txt(bad);
	ck_assert_int_eq(crypto_plainrsa_parse_privkey(&t, &k, NULL), -EBADMSG);
	/* wrong private exponent, exponent1 and coefficient: never silently repaired */
	with_field(bad, sizeof(bad), "PrivateExponent", "1234567");
	t = txt(bad);
	ck_assert_int_eq(crypto_plainrsa_parse_privkey(&t, &k, NULL), -EBADMSG);
	with_field(bad, sizeof(bad), "Exponent1", "3");
	t = txt(bad);
	ck_assert_int_eq(crypto_plainrsa_parse_privkey(&t, &k, NULL), -EBADMSG);
	with_field(bad, sizeof(bad), "Coefficient", "5");
	t = txt(bad);
	ck_assert_int_eq(crypto_plainrsa_parse_privkey(&t, &k, NULL), -EBADMSG);
	ck_assert_ptr_null(k);
	/* the CRT numbers may be left out: they are computed */
	struct crypto_rsa_params p;
	ck_assert_int_eq(crypto_privkey_rsa_params(key, &p), 0);
	buf_free(&p.e1);
	buf_free(&p.e2);
	buf_free(&p.coef);
	ck_assert_int_eq(crypto_privkey_from_rsa_params(&p, &k), 0);
	crypto_rsa_params_free(&p);
	crypto_privkey_free(k);
}
END_TEST

START_TEST(generate_limits)
{
	struct crypto_privkey *k = NULL;
	ck_assert_int_eq(crypto_privkey_generate_rsa_e(512, 65537, &k), -EINVAL);
	ck_assert_int_eq(crypto_privkey_generate_rsa_e(1024, 4, &k), -EINVAL);
	ck_assert_int_eq(crypto_privkey_generate_rsa_e(1024, 1, &k), -EINVAL);
	ck_assert_int_eq(crypto_privkey_generate_rsa_e(1024, 0x100000001UL, &k), -EINVAL);
	ck_assert_ptr_null(k);
}
END_TEST

/* Deterministic byte mutations of a good file: any result but a crash or a leak. */
START_TEST(mutations)
{
	size_t len = strlen(keytext);
	static char m[sizeof(keytext)];
	uint32_t x = 0x12345678;
	for (int i = 0; i < 400; i++) {
		memcpy(m, keytext, len);
		for (int j = 0; j < 1 + i % 4; j++) {
			x = x * 1103515245u + 12345u;
			m[(x >> 8) % len] = (char)(x >> 24);
		}
		size_t mlen = i % 7 == 0 ? (x >> 4) % len : len; /* some truncated */
		struct buf t = buf_view(m, mlen ? mlen : 1);
		struct crypto_privkey *k = NULL;
		struct crypto_pubkey *p = NULL;
		if (crypto_plainrsa_parse_privkey(&t, &k, NULL) == 0)
			ck_assert_ptr_nonnull(k);
		if (crypto_plainrsa_parse_pubkey(&t, &p, NULL) == 0)
			ck_assert_ptr_nonnull(p);
		crypto_privkey_free(k);
		crypto_pubkey_free(p);
	}
}
END_TEST

int main(void)
{
	crypto_init();
	struct buf t = { 0 };
	if (crypto_privkey_generate_rsa_e(1024, 3, &key) != 0 || crypto_plainrsa_format(key, &t) != 0 ||
	    t.len >= sizeof(keytext))
		abort();
	memcpy(keytext, t.ptr, t.len);
	buf_free(&t);
	Suite *s = suite_create("crypto_plainrsa");
	TCase *tc = tcase_create("plainrsa");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, format_and_parse_back);
	tcase_add_test(tc, pubkey_blob);
	tcase_add_test(tc, refusals);
	tcase_add_test(tc, inconsistent_numbers);
	tcase_add_test(tc, generate_limits);
	tcase_add_test(tc, mutations);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	crypto_privkey_free(key);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
