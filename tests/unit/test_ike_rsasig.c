/* Unit tests: Main Mode with RSA signatures between two engines (ike_harness.h), with
 * a CA, certificates and plain RSA keys made at test time: X.509 and plain RSA succeed
 * (with Quick Mode after), a wrong key, an untrusted or expired certificate and an ID
 * that is not the certificate's fail with their log line and no SA, and hostile CERT
 * and SIG payloads (empty, huge, garbage) in a correctly encrypted message 5 fail
 * cleanly. */
#include "ike_harness.h"

#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cert_util.h"
#include "crypto/init.h"
#include "crypto/plainrsa.h"
#include "ike/crypt.h"
#include "ike/sa.h"
#include "isakmp/build.h"
#include "isakmp/isakmp.h"

static char dir[] = "/tmp/test_ike_rsasig.XXXXXX";
static char logpath[600];

#define DN_A "CN=a.example,O=Racoon Test"
#define DN_B "CN=b.example,O=Racoon Test"

static void path(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", dir, name);
}

/* ca.pem; a.pem/a.key, b.pem/b.key from it; rogue.pem/rogue.key from another CA;
 * old.pem (expired, key a.key); a.prsa/a.pub, b.prsa/b.pub, c.pub (another key). */
#define MK(x)                                                                     \
	do {                                                                              \
		if (!(x)) {                                                               \
			fprintf(stderr, "test set-up failed: %s\n", #x);                  \
			abort();                                                          \
		}                                                                         \
	} while (0)

static void make_files(void)
{
	gnutls_x509_privkey_t cak, ka, kb, rk, rck;
	gnutls_x509_crt_t ca, rca, ca_, cb, cr, co;
	time_t now = time(NULL);
	char p[700];
	MK(mkdtemp(dir) != NULL);
	MK((tc_key(&cak)) == 0);
	MK((tc_key(&ka)) == 0);
	MK((tc_key(&kb)) == 0);
	MK((tc_key(&rk)) == 0);
	MK((tc_key(&rck)) == 0);
	MK((tc_cert(&ca, cak, "CN=Racoon Test CA,O=Racoon Test", NULL, now - 3600,
				 now + 86400 * 30, true, NULL, NULL, 1)) == 0);
	MK((tc_cert(&rca, rck, "CN=Racoon Test CA,O=Racoon Test", NULL, now - 3600,
				 now + 86400 * 30, true, NULL, NULL, 1)) == 0); /* same name! */
	MK((tc_cert(&ca_, ka, DN_A, "198.51.100.1", now - 3600, now + 86400, false,
				 ca, cak, 2)) == 0);
	MK((tc_cert(&cb, kb, DN_B, "198.51.100.2", now - 3600, now + 86400, false,
				 ca, cak, 3)) == 0);
	MK((tc_cert(&cr, rk, DN_A, NULL, now - 3600, now + 86400, false, rca, rck, 2)) == 0);
	MK((tc_cert(&co, ka, DN_A, NULL, now - 86400 * 10, now - 86400 * 2, false, ca,
				 cak, 4)) == 0);
	struct { const char *n; gnutls_x509_crt_t c; } certs[] = {
		{ "ca.pem", ca }, { "a.pem", ca_ }, { "b.pem", cb }, { "rogue.pem", cr }, { "old.pem", co },
	};
	for (size_t i = 0; i < sizeof(certs) / sizeof(certs[0]); i++) {
		path(p, sizeof(p), certs[i].n);
		MK((tc_write_cert(p, certs[i].c)) == 0);
		gnutls_x509_crt_deinit(certs[i].c);
	}
	gnutls_x509_crt_deinit(rca);
	struct { const char *n; gnutls_x509_privkey_t k; } keys[] = {
		{ "a.key", ka }, { "b.key", kb }, { "rogue.key", rk },
	};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		path(p, sizeof(p), keys[i].n);
		MK((tc_write_key(p, keys[i].k)) == 0);
		gnutls_x509_privkey_deinit(keys[i].k);
	}
	gnutls_x509_privkey_deinit(cak);
	gnutls_x509_privkey_deinit(rck);
	/* plain RSA: private files and public ones (the PUB line) */
	const char *names[] = { "a", "b", "c" };
	for (int i = 0; i < 3; i++) {
		struct crypto_privkey *k;
		struct crypto_pubkey *pk;
		struct buf t = { 0 }, b64 = { 0 };
		MK((crypto_privkey_generate_rsa_e(2048, 65537, &k)) == 0);
		MK((crypto_plainrsa_format(k, &t)) == 0);
		MK((crypto_pubkey_from_privkey(k, &pk)) == 0);
		MK((crypto_plainrsa_pubkey_b64(pk, &b64)) == 0);
		snprintf(p, sizeof(p), "%s/%s.prsa", dir, names[i]);
		gnutls_datum_t d = { t.ptr, (unsigned)t.len };
		MK((tc_write(p, &d)) == 0);
		snprintf(p, sizeof(p), "%s/%s.pub", dir, names[i]);
		FILE *f = fopen(p, "w");
		MK(f != NULL);
		fprintf(f, ": PUB %s\n", (const char *)b64.ptr);
		fclose(f);
		buf_free(&t);
		buf_free(&b64);
		crypto_pubkey_free(pk);
		crypto_privkey_free(k);
	}
	path(logpath, sizeof(logpath), "log");
}

/* A remote {} for the peer at addr with the given certificate lines. */
static char *conf(const char *peer, const char *lines)
{
	static char bufs[2][4096];
	static int which;
	char *c = bufs[which++ & 1];
	snprintf(c, sizeof(bufs[0]),
		 "path certificate \"%s\";\n"
		 "remote %s {\n exchange_mode main;\n%s"
		 " proposal {\n  encryption_algorithm aes;\n  hash_algorithm sha256;\n"
		 "  authentication_method rsasig;\n  dh_group modp2048;\n }\n}\n" H_SAINFO(""),
		 dir, peer, lines);
	return c;
}

#define X509_A                                                                            \
	" certificate_type x509 \"a.pem\" \"a.key\";\n ca_type x509 \"ca.pem\";\n"        \
	" my_identifier asn1dn;\n"
#define X509_B                                                                            \
	" certificate_type x509 \"b.pem\" \"b.key\";\n ca_type x509 \"ca.pem\";\n"        \
	" my_identifier asn1dn;\n"

static void start(struct h_world *w, const char *ca, const char *cb)
{
	char a[4096], b[4096];
	snprintf(a, sizeof(a), "%s", conf("198.51.100.2", ca));
	snprintf(b, sizeof(b), "%s", conf("198.51.100.1", cb));
	h_init(w, a, b, NULL, NULL);
	unlink(logpath);
	struct log_options lo = { .file = logpath };
	ck_assert_int_eq(log_open(&lo), 0);
	log_set_config_level(LL_INFO);
}

static bool logged(const char *what)
{
	char line[2048];
	bool found = false;
	FILE *f = fopen(logpath, "r");
	while (f && !found && fgets(line, sizeof(line), f))
		found = strstr(line, what) != NULL;
	if (f)
		fclose(f);
	return found;
}

static void finish(struct h_world *w)
{
	log_close();
	h_fini(w);
}

/* Run a Phase 2 request from A to the end; both sides' counts. */
static void run(struct h_world *w, struct h_count *ca, struct h_count *cb)
{
	struct ike_ph2_request r = h_req(w, false);
	ck_assert_int_eq(ike_engine_initiate_ph2(w->a.e, &r), 0);
	h_pump(w);
	*ca = h_counts(w->a.e);
	*cb = h_counts(w->b.e);
}

static void assert_up(struct h_world *w)
{
	struct h_count ca, cb;
	run(w, &ca, &cb);
	ck_assert_uint_eq(ca.ph1_up, 1);
	ck_assert_uint_eq(cb.ph1_up, 1);
	ck_assert_uint_eq(ca.ph2_up, 1);
	ck_assert_uint_eq(cb.ph2_up, 1);
	ck_assert_uint_eq(ca.last.sa[0].spi_in, cb.last.sa[0].spi_out);
	ck_assert_uint_eq(ca.last.sa[0].spi_out, cb.last.sa[0].spi_in);
	ck_assert_uint_ne(ca.last.sa[0].spi_in, 0);
}

static void assert_failed(struct h_world *w, const char *line)
{
	struct h_count ca, cb;
	run(w, &ca, &cb);
	ck_assert_uint_eq(ca.ph1_up, 0);
	ck_assert_uint_eq(cb.ph1_up, 0);
	ck_assert_uint_eq(ca.ph2_up, 0);
	ck_assert_uint_eq(cb.ph2_up, 0);
	ck_assert_msg(logged(line), "no log line \"%s\"", line);
}

START_TEST(x509_certificates_from_the_payloads)
{
	struct h_world w;
	start(&w, X509_A " peers_identifier asn1dn \"" DN_B "\";\n verify_identifier on;\n",
	      X509_B " peers_identifier asn1dn \"CN=*,O=Racoon Test\";\n verify_identifier on;\n");
	assert_up(&w);
	/* messages 3 and 4 (plaintext) each asked for the certificate with a CR naming
	 * our CA */
	static struct isakmp_digest d;
	for (int i = 2; i <= 3; i++) {
		ck_assert_int_eq(isakmp_parse(w.log[i].data, w.log[i].len, &d), ISAKMP_PERR_OK);
		ck_assert_uint_eq(isakmp_count(&d, ISAKMP_PT_CR), 1);
		const struct isakmp_payload *cr = isakmp_first(&d, ISAKMP_PT_CR);
		ck_assert_uint_eq(cr->u.cert.encoding, ISAKMP_CERT_X509_SIGN);
		struct buf dn = buf_view(cr->u.cert.data, cr->u.cert.len);
		char ca[256];
		ck_assert_int_eq(crypto_dn_to_str(&dn, ca, sizeof(ca)), 0);
		ck_assert_str_eq(ca, "CN=Racoon Test CA,O=Racoon Test");
	}
	struct ike_ph1 *pb = ike_link_entry(w.b.e->ph1s.next, struct ike_ph1, all);
	ck_assert_uint_eq(pb->peer_id_type, ISAKMP_ID_DER_ASN1_DN);
	char s[256];
	ck_assert_int_eq(crypto_dn_to_str(&pb->peer_id, s, sizeof(s)), 0);
	ck_assert_str_eq(s, DN_A);
	ck_assert(logged("ISAKMP-SA established"));
	finish(&w);
}
END_TEST

START_TEST(x509_pinned_and_address_id)
{
	/* B pins A's certificate; A identifies by address (its subjectAltName) */
	struct h_world w;
	start(&w,
	      " certificate_type x509 \"a.pem\" \"a.key\";\n ca_type x509 \"ca.pem\";\n"
	      " my_identifier address;\n",
	      X509_B " peers_certfile x509 \"a.pem\";\n");
	assert_up(&w);
	finish(&w);
}
END_TEST

START_TEST(plain_rsa_keys)
{
	struct h_world w;
	start(&w, " certificate_type plain_rsa \"a.prsa\";\n peers_certfile plain_rsa \"b.pub\";\n",
	      " certificate_type plain_rsa \"b.prsa\";\n peers_certfile plain_rsa \"a.pub\";\n");
	assert_up(&w);
	finish(&w);
}
END_TEST

START_TEST(plain_rsa_wrong_key_fails)
{
	struct h_world w;
	start(&w, " certificate_type plain_rsa \"a.prsa\";\n peers_certfile plain_rsa \"b.pub\";\n",
	      " certificate_type plain_rsa \"b.prsa\";\n peers_certfile plain_rsa \"c.pub\";\n");
	assert_failed(&w, "SIG_I signature verification failed");
	finish(&w);
}
END_TEST

START_TEST(untrusted_certificate_fails)
{
	struct h_world w;
	start(&w,
	      " certificate_type x509 \"rogue.pem\" \"rogue.key\";\n ca_type x509 \"ca.pem\";\n"
	      " my_identifier asn1dn;\n",
	      X509_B);
	assert_failed(&w, "the peer's certificate is not trusted");
	finish(&w);
}
END_TEST

START_TEST(expired_certificate_fails)
{
	struct h_world w;
	start(&w,
	      " certificate_type x509 \"old.pem\" \"a.key\";\n ca_type x509 \"ca.pem\";\n"
	      " my_identifier asn1dn;\n",
	      X509_B);
	assert_failed(&w, "the peer's certificate is expired or not yet valid");
	finish(&w);
}
END_TEST

START_TEST(id_not_in_certificate_fails)
{
	struct h_world w;
	start(&w,
	      " certificate_type x509 \"a.pem\" \"a.key\";\n ca_type x509 \"ca.pem\";\n"
	      " my_identifier asn1dn \"CN=b.example,O=Racoon Test\";\n",
	      X509_B);
	assert_failed(&w, "is not in its certificate");
	finish(&w);
}
END_TEST

START_TEST(peers_identifier_mismatch_fails)
{
	struct h_world w;
	start(&w, X509_A,
	      X509_B " peers_identifier asn1dn \"CN=c.example,O=Racoon Test\";\n"
	      " verify_identifier on;\n");
	assert_failed(&w, "matches no peers_identifier");
	finish(&w);
}
END_TEST

/* Hostile message 5: A's real one is dropped and a crafted one, encrypted with the
 * real keys, goes to B instead. */
static void hostile_mm5(int cert_kind, int sig_kind, const char *line)
{
	struct h_world w;
	start(&w, X509_A, X509_B);
	struct ike_ph2_request r = h_req(&w, false);
	ck_assert_int_eq(ike_engine_initiate_ph2(w.a.e, &r), 0);
	for (int i = 0; i < 3; i++) /* MM1..MM4 */
		ck_assert(h_step(&w));
	ck_assert(h_step(&w));
	ck_assert_uint_eq(w.nq, 1); /* A's MM5 */
	w.nq = 0;
	struct ike_ph1 *pb = ike_link_entry(w.b.e->ph1s.next, struct ike_ph1, all);
	ck_assert(pb->keyed);
	struct isakmp_hdr h = { .version = ISAKMP_VERSION, .exchange = ISAKMP_EXCH_IDENT };
	memcpy(h.icookie, pb->icookie, 8);
	memcpy(h.rcookie, pb->rcookie, 8);
	struct buf msg;
	struct isakmp_builder b;
	ck_assert_int_eq(buf_init(&msg, 65536), 0);
	ck_assert_int_eq(isakmp_build_init(&b, &msg, &h), 0);
	struct buf dn = { 0 };
	ck_assert_int_eq(crypto_dn_from_str(DN_A, &dn), 0);
	isakmp_build_begin(&b, ISAKMP_PT_ID);
	uint8_t idh[4] = { ISAKMP_ID_DER_ASN1_DN, 0, 0, 0 };
	isakmp_build_put(&b, idh, 4);
	isakmp_build_put(&b, dn.ptr, dn.len);
	isakmp_build_end(&b);
	buf_free(&dn);
	static uint8_t junk[3000];
	memset(junk, 0x30, sizeof(junk));
	char p[700];
	gnutls_datum_t pem = { 0 }, der = { 0 };
	if (cert_kind == 1) /* empty */
		isakmp_build_cert(&b, ISAKMP_PT_CERT, ISAKMP_CERT_X509_SIGN, junk, 0);
	else if (cert_kind == 2) /* garbage */
		isakmp_build_cert(&b, ISAKMP_PT_CERT, ISAKMP_CERT_X509_SIGN, junk, 700);
	else if (cert_kind == 3) /* another encoding only */
		isakmp_build_cert(&b, ISAKMP_PT_CERT, ISAKMP_CERT_PGP, junk, 100);
	else if (cert_kind == 4) { /* A's real certificate */
		path(p, sizeof(p), "a.pem");
		ck_assert_int_eq(gnutls_load_file(p, &pem), 0);
		gnutls_x509_crt_t c;
		gnutls_x509_crt_init(&c);
		ck_assert_int_ge(gnutls_x509_crt_import(c, &pem, GNUTLS_X509_FMT_PEM), 0);
		ck_assert_int_ge(gnutls_x509_crt_export2(c, GNUTLS_X509_FMT_DER, &der), 0);
		gnutls_x509_crt_deinit(c);
		isakmp_build_cert(&b, ISAKMP_PT_CERT, ISAKMP_CERT_X509_SIGN, der.data, der.size);
	}
	size_t sl = sig_kind == 0 ? 0 : sig_kind == 1 ? 256 : sizeof(junk);
	isakmp_build_data(&b, ISAKMP_PT_SIG, junk, sl);
	gnutls_free(pem.data);
	gnutls_free(der.data);
	ck_assert_int_eq(isakmp_build_finish(&b), 0);
	struct oakley_iv iv = pb->iv;
	ck_assert_int_eq(ike_encrypt_msg(pb->cipher, &pb->enc_key, &iv, &msg), 0);
	ike_engine_input(w.b.e, &w.b.addr, &w.a.addr, msg.ptr, msg.len);
	buf_free(&msg);
	w.nq = 0; /* B's notify */
	ck_assert_uint_eq(h_counts(w.b.e).ph1_up, 0);
	ck_assert_msg(logged(line), "cert %d sig %d: no log line \"%s\"", cert_kind, sig_kind,
		      line);
	finish(&w);
}

START_TEST(hostile_payloads)
{
	hostile_mm5(0, 1, "sent no X.509 certificate");      /* no CERT */
	hostile_mm5(1, 1, "sent no X.509 certificate");      /* empty CERT */
	hostile_mm5(3, 1, "sent no X.509 certificate");      /* PGP only */
	hostile_mm5(2, 1, "certificate cannot be parsed");   /* garbage CERT */
	hostile_mm5(4, 0, "decrypted body does not parse"); /* empty SIG: the codec drops it */
	hostile_mm5(4, 1, "SIG_I signature verification failed"); /* garbage SIG */
	hostile_mm5(4, 2, "SIG_I signature verification failed"); /* huge SIG */
}
END_TEST

int main(void)
{
	crypto_init();
	make_files();
	Suite *s = suite_create("ike_rsasig");
	TCase *tc = tcase_create("rsasig");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, x509_certificates_from_the_payloads);
	tcase_add_test(tc, x509_pinned_and_address_id);
	tcase_add_test(tc, plain_rsa_keys);
	tcase_add_test(tc, plain_rsa_wrong_key_fails);
	tcase_add_test(tc, untrusted_certificate_fails);
	tcase_add_test(tc, expired_certificate_fails);
	tcase_add_test(tc, id_not_in_certificate_fails);
	tcase_add_test(tc, peers_identifier_mismatch_fails);
	tcase_add_test(tc, hostile_payloads);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	char cmd[700];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		failed++;
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
