/* Unit tests: crypto/pubkey. IKEv1 RSA signatures (checked by hand with GMP: PKCS#1
 * type 1 padding over the raw hash, no DigestInfo), key and certificate loading from
 * PEM and DER, and refusal of junk. Keys and the self-signed certificate are made here
 * with GnuTLS's own X.509 writer. */
#include <check.h>
#include <errno.h>
#include <gmp.h>
#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "crypto/pubkey.h"

static gnutls_x509_privkey_t xkey;          /* 2048-bit RSA key made in main() */
static gnutls_datum_t key_pem, key_der8;    /* PKCS#1 PEM, PKCS#8 DER */
static gnutls_datum_t crt_pem, crt_der, spki_der;
static char dir[] = "/tmp/test_crypto_pubkey.XXXXXX";
static char path_key[512], path_crt[512], path_empty[512];

static void write_file(const char *name, const void *p, size_t n, char *path, size_t size)
{
	snprintf(path, size, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (!f || fwrite(p, 1, n, f) != n)
		abort();
	fclose(f);
}

static struct buf bd(const gnutls_datum_t *d)
{
	return buf_view(d->data, d->size);
}

START_TEST(private_keys_load)
{
	struct crypto_privkey *a, *b, *c;
	struct buf pem = bd(&key_pem), der = bd(&key_der8);
	ck_assert_int_eq(crypto_privkey_import(&pem, &a), 0);
	ck_assert_int_eq(crypto_privkey_import(&der, &b), 0);
	ck_assert_int_eq(crypto_privkey_load(path_key, &c), 0);
	ck_assert_uint_eq(crypto_privkey_bits(a), 2048);
	/* PKCS#1 v1.5 is deterministic: the three copies sign alike */
	uint8_t h[32] = { 1, 2, 3 };
	struct buf sa = { 0 }, sb = { 0 }, sc = { 0 };
	ck_assert_int_eq(crypto_rsa_sign(a, h, sizeof(h), &sa), 0);
	ck_assert_int_eq(crypto_rsa_sign(b, h, sizeof(h), &sb), 0);
	ck_assert_int_eq(crypto_rsa_sign(c, h, sizeof(h), &sc), 0);
	ck_assert_mem_eq(sa.ptr, sb.ptr, sa.len);
	ck_assert_mem_eq(sa.ptr, sc.ptr, sa.len);
	buf_free(&sa);
	buf_free(&sb);
	buf_free(&sc);
	crypto_privkey_free(a);
	crypto_privkey_free(b);
	crypto_privkey_free(c);
}
END_TEST

START_TEST(rsa_signature_is_ikev1_format)
{
	struct crypto_privkey *k;
	struct crypto_pubkey *pub;
	struct buf pem = bd(&key_pem), sig = { 0 };
	ck_assert_int_eq(crypto_privkey_import(&pem, &k), 0);
	ck_assert_int_eq(crypto_pubkey_from_privkey(k, &pub), 0);
	ck_assert_uint_eq(crypto_pubkey_bits(pub), 2048);
	uint8_t hash[20];
	for (int i = 0; i < 20; i++)
		hash[i] = (uint8_t)(0xa0 + i);
	ck_assert_int_eq(crypto_rsa_sign(k, hash, sizeof(hash), &sig), 0);
	ck_assert_uint_eq(sig.len, 256);

	/* sig^e mod n = 00 01 FF..FF 00 || hash, with no DigestInfo in between */
	gnutls_datum_t n, e;
	ck_assert_int_eq(gnutls_x509_privkey_export_rsa_raw(xkey, &n, &e, NULL, NULL, NULL, NULL), 0);
	mpz_t mn, me, ms;
	mpz_inits(mn, me, ms, NULL);
	mpz_import(mn, n.size, 1, 1, 1, 0, n.data);
	mpz_import(me, e.size, 1, 1, 1, 0, e.data);
	mpz_import(ms, sig.len, 1, 1, 1, 0, sig.ptr);
	mpz_powm(ms, ms, me, mn);
	uint8_t em[256] = { 0 };
	size_t len = (mpz_sizeinbase(ms, 2) + 7) / 8;
	mpz_export(em + 256 - len, NULL, 1, 1, 1, 0, ms);
	ck_assert_uint_eq(em[0], 0);
	ck_assert_uint_eq(em[1], 1);
	for (size_t i = 2; i < 256 - 21; i++)
		ck_assert_uint_eq(em[i], 0xff);
	ck_assert_uint_eq(em[256 - 21], 0);
	ck_assert_mem_eq(em + 256 - 20, hash, 20);
	mpz_clears(mn, me, ms, NULL);
	gnutls_free(n.data);
	gnutls_free(e.data);

	ck_assert_int_eq(crypto_rsa_verify(pub, hash, sizeof(hash), &sig), 0);
	hash[3] ^= 1;
	ck_assert_int_eq(crypto_rsa_verify(pub, hash, sizeof(hash), &sig), -EBADMSG);
	hash[3] ^= 1;
	sig.ptr[100] ^= 0x40;
	ck_assert_int_eq(crypto_rsa_verify(pub, hash, sizeof(hash), &sig), -EBADMSG);
	sig.ptr[100] ^= 0x40;
	struct buf shortsig = buf_view(sig.ptr, sig.len - 1);
	ck_assert_int_eq(crypto_rsa_verify(pub, hash, sizeof(hash), &shortsig), -EBADMSG);
	ck_assert_int_eq(crypto_rsa_verify(pub, hash, 0, &sig), -EINVAL);
	ck_assert_int_eq(crypto_rsa_sign(k, hash, 0, &sig), -EINVAL);
	crypto_pubkey_free(pub);
	crypto_privkey_free(k);
	buf_free(&sig);
}
END_TEST

START_TEST(certificates_load)
{
	struct crypto_cert *a, *b;
	struct buf pem = bd(&crt_pem), der = { 0 }, dn = { 0 };
	ck_assert_int_eq(crypto_cert_import(&pem, &a), 0);
	ck_assert_int_eq(crypto_cert_load(path_crt, &b), 0); /* the DER file */
	char s[256];
	ck_assert_int_eq(crypto_cert_subject(a, s, sizeof(s)), 0);
	ck_assert_str_eq(s, "CN=racoon test,O=Example");
	ck_assert_int_eq(crypto_cert_subject(b, s, 10), -ENOSPC);
	ck_assert_int_eq(crypto_cert_der(a, &der), 0);
	ck_assert_uint_eq(der.len, crt_der.size);
	ck_assert_mem_eq(der.ptr, crt_der.data, der.len);
	ck_assert_int_eq(crypto_cert_subject_der(b, &dn), 0);
	ck_assert_uint_eq(dn.ptr[0], 0x30); /* a DER SEQUENCE (RDNSequence) */
	ck_assert_uint_lt(dn.len, der.len);
	ck_assert_ptr_nonnull(memmem(der.ptr, der.len, dn.ptr, dn.len));

	/* a signature by the key verifies with the certificate's and the SPKI's key */
	struct crypto_privkey *k;
	struct crypto_pubkey *cp, *sp;
	struct buf kp = bd(&key_pem), spki = bd(&spki_der), sig = { 0 };
	ck_assert_int_eq(crypto_privkey_import(&kp, &k), 0);
	ck_assert_int_eq(crypto_cert_pubkey(b, &cp), 0);
	ck_assert_int_eq(crypto_pubkey_import(&spki, &sp), 0);
	uint8_t h[48] = { 9, 8, 7 };
	ck_assert_int_eq(crypto_rsa_sign(k, h, sizeof(h), &sig), 0);
	ck_assert_int_eq(crypto_rsa_verify(cp, h, sizeof(h), &sig), 0);
	ck_assert_int_eq(crypto_rsa_verify(sp, h, sizeof(h), &sig), 0);
	buf_free(&sig);
	buf_free(&der);
	buf_free(&dn);
	crypto_pubkey_free(cp);
	crypto_pubkey_free(sp);
	crypto_privkey_free(k);
	crypto_cert_free(a);
	crypto_cert_free(b);
}
END_TEST

START_TEST(refuses_junk)
{
	static const char junk[] = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
	struct buf j = buf_view(junk, sizeof(junk) - 1), empty = buf_view(NULL, 0);
	struct crypto_cert *c = NULL;
	struct crypto_privkey *k = NULL;
	struct crypto_pubkey *p = NULL;
	ck_assert_int_eq(crypto_cert_import(&j, &c), -EBADMSG);
	ck_assert_int_eq(crypto_privkey_import(&j, &k), -EBADMSG);
	ck_assert_int_eq(crypto_pubkey_import(&j, &p), -EBADMSG);
	ck_assert_int_eq(crypto_cert_import(&empty, &c), -EINVAL);
	ck_assert_int_eq(crypto_cert_load("/nonexistent/racoon.pem", &c), -ENOENT);
	ck_assert_int_eq(crypto_privkey_load(path_empty, &k), -EBADMSG);
	/* a certificate is not a private key, and truncated DER is refused */
	struct buf crt = bd(&crt_der), cut = buf_view(crt_der.data, crt_der.size / 2);
	ck_assert_int_eq(crypto_privkey_import(&crt, &k), -EBADMSG);
	ck_assert_int_eq(crypto_cert_import(&cut, &c), -EBADMSG);
	ck_assert_ptr_null(c);
	ck_assert_ptr_null(k);
	ck_assert_ptr_null(p);
	ck_assert_int_eq(crypto_privkey_generate_rsa(512, &k), -EINVAL);
	/* ECDSA keys are not RSA keys: refused until IKEv1 ECDSA auth exists */
	gnutls_x509_privkey_t ec;
	gnutls_datum_t ecpem;
	ck_assert_int_eq(gnutls_x509_privkey_init(&ec), 0);
	ck_assert_int_eq(gnutls_x509_privkey_generate(ec, GNUTLS_PK_ECDSA,
						      GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0), 0);
	ck_assert_int_eq(gnutls_x509_privkey_export2(ec, GNUTLS_X509_FMT_PEM, &ecpem), 0);
	struct buf e = bd(&ecpem);
	ck_assert_int_eq(crypto_privkey_import(&e, &k), -EBADMSG);
	gnutls_free(ecpem.data);
	gnutls_x509_privkey_deinit(ec);
}
END_TEST

/* A self-signed certificate for CN=racoon test,O=Example with xkey. */
static int make_cert(void)
{
	gnutls_x509_crt_t crt;
	gnutls_privkey_t pk;
	gnutls_pubkey_t pub;
	const char *err;
	unsigned char serial[] = { 1, 2, 3 };
	time_t now = time(NULL);
	if (gnutls_x509_crt_init(&crt) < 0 || gnutls_privkey_init(&pk) < 0 ||
	    gnutls_pubkey_init(&pub) < 0)
		return -1;
	int r = gnutls_privkey_import_x509(pk, xkey, 0);
	r = r < 0 ? r : gnutls_x509_crt_set_version(crt, 3);
	r = r < 0 ? r : gnutls_x509_crt_set_serial(crt, serial, sizeof(serial));
	r = r < 0 ? r : gnutls_x509_crt_set_activation_time(crt, now - 60);
	r = r < 0 ? r : gnutls_x509_crt_set_expiration_time(crt, now + 3600);
	r = r < 0 ? r : gnutls_x509_crt_set_dn(crt, "CN=racoon test,O=Example", &err);
	r = r < 0 ? r : gnutls_x509_crt_set_key(crt, xkey);
	r = r < 0 ? r : gnutls_x509_crt_privkey_sign(crt, crt, pk, GNUTLS_DIG_SHA256, 0);
	r = r < 0 ? r : gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &crt_pem);
	r = r < 0 ? r : gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &crt_der);
	r = r < 0 ? r : gnutls_pubkey_import_x509(pub, crt, 0);
	r = r < 0 ? r : gnutls_pubkey_export2(pub, GNUTLS_X509_FMT_DER, &spki_der);
	gnutls_pubkey_deinit(pub);
	gnutls_privkey_deinit(pk);
	gnutls_x509_crt_deinit(crt);
	return r;
}

static int setup(void)
{
	if (!mkdtemp(dir) || gnutls_x509_privkey_init(&xkey) < 0 ||
	    gnutls_x509_privkey_generate(xkey, GNUTLS_PK_RSA, 2048, 0) < 0 ||
	    gnutls_x509_privkey_export2(xkey, GNUTLS_X509_FMT_PEM, &key_pem) < 0 ||
	    gnutls_x509_privkey_export2_pkcs8(xkey, GNUTLS_X509_FMT_DER, NULL, GNUTLS_PKCS_PLAIN,
					      &key_der8) < 0 ||
	    make_cert() < 0)
		return -1;
	write_file("key.pem", key_pem.data, key_pem.size, path_key, sizeof(path_key));
	write_file("crt.der", crt_der.data, crt_der.size, path_crt, sizeof(path_crt));
	write_file("empty.pem", "", 0, path_empty, sizeof(path_empty));
	return 0;
}

static void teardown(void)
{
	unlink(path_key);
	unlink(path_crt);
	unlink(path_empty);
	rmdir(dir);
	gnutls_free(key_pem.data);
	gnutls_free(key_der8.data);
	gnutls_free(crt_pem.data);
	gnutls_free(crt_der.data);
	gnutls_free(spki_der.data);
	gnutls_x509_privkey_deinit(xkey);
}

int main(void)
{
	if (setup() < 0) {
		fprintf(stderr, "test_crypto_pubkey: setup failed\n");
		return EXIT_FAILURE;
	}
	Suite *s = suite_create("crypto_pubkey");
	TCase *tc = tcase_create("pubkey");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, private_keys_load);
	tcase_add_test(tc, rsa_signature_is_ikev1_format);
	tcase_add_test(tc, certificates_load);
	tcase_add_test(tc, refuses_junk);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	teardown();
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
