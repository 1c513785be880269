/* Unit tests: Quick Mode proposals follow what the kernel backend can install (issue 9).
 * One peer's mock kernel answers kernel_caps() with the PF_KEY table, so HMAC-SHA-256
 * (installed with a 96-bit ICV) and AES-GCM (no AEAD) are neither offered nor selected,
 * whatever the sainfo says; the explaining line names the algorithm and XFRM. */
#include "ike_harness.h"

#include <stdio.h>
#include <unistd.h>

#include "kernel/pfkey/pfkey.h"

#define HEAD_A H_CONF_HEAD("198.51.100.2", "main", "modp2048")
#define HEAD_B H_CONF_HEAD("198.51.100.1", "main", "modp2048")
#define SAINFO(enc, auth) \
	"sainfo anonymous {\n encryption_algorithm " enc ";\n" auth "}\n"
#define AUTH(a) " authentication_algorithm " a ";\n"

static char log_path[64];

/* Both engines log (at info) into a file of our own; h_log() returns its text. */
static void log_start(void)
{
	snprintf(log_path, sizeof(log_path), "/tmp/test_ike_caps.%ld.log", (long)getpid());
	unlink(log_path);
	struct log_options o = { .file = log_path };
	ck_assert_int_eq(log_open(&o), 0);
	log_set_config_level(LL_INFO);
}

static const char *h_log(void)
{
	static char text[65536];
	log_close();
	FILE *f = fopen(log_path, "r");
	ck_assert_ptr_nonnull(f);
	size_t n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = 0;
	fclose(f);
	unlink(log_path);
	return text;
}

static void run(struct h_world *w, const char *conf_a, const char *conf_b,
		const struct kernel_caps *caps_a, const struct kernel_caps *caps_b)
{
	h_init(w, conf_a, conf_b, "secret", "secret");
	log_start();
	kernel_mock_set_caps(w->a.k, caps_a);
	kernel_mock_set_caps(w->b.k, caps_b);
	struct ike_ph2_request r = h_req(w, false);
	ck_assert_int_eq(ike_engine_initiate_ph2(w->a.e, &r), 0);
	h_pump(w);
}

/* The outbound SA (A -> B) in k, as A's last Quick Mode installed it. */
static const struct kernel_mock_sa *sa_a_to_b(struct h_world *w, struct kernel *k)
{
	struct h_count ca = h_counts(w->a.e);
	ck_assert_uint_eq(ca.ph2_up, 1);
	struct kernel_sa_id id = { .src = w->a.addr, .dst = w->b.addr,
				   .spi = ca.last.sa[0].spi_out, .proto = KERNEL_PROTO_ESP };
	addr_set_port(&id.src, 0);
	addr_set_port(&id.dst, 0);
	const struct kernel_mock_sa *s = kernel_mock_sa_find(k, &id);
	ck_assert_ptr_nonnull(s);
	return s;
}

#define SHA256_WHY                                                                        \
	"hmac-sha256: the pfkey backend installs it with a 96-bit ICV, not the 128 bits the " \
	"RFC and the peer use; use kernel_interface xfrm"

START_TEST(responder_refuses_sha256)
{
	struct h_world w;
	/* B's sainfo would take SHA-256: only its kernel backend refuses it. */
	run(&w, HEAD_A SAINFO("aes", AUTH("hmac_sha256")),
	    HEAD_B SAINFO("aes", AUTH("hmac_sha256, hmac_sha1")), NULL, &pfkey_caps_static);
	struct ike_stats s;
	ike_engine_stats(w.b.e, &s);
	ck_assert_uint_eq(h_counts(w.a.e).ph1_up, 1);
	ck_assert_uint_eq(h_counts(w.a.e).ph2_up, 0);
	ck_assert_uint_eq(h_counts(w.b.e).ph2_up, 0);
	ck_assert_uint_ge(s.notifies_sent, 1);
	ck_assert_uint_eq(kernel_mock_sa_count(w.b.k), 1); /* h_init's larval SA only */
	const char *t = h_log();
	ck_assert_ptr_nonnull(strstr(t, "NO-PROPOSAL-CHOSEN: the peer offered what the pfkey "
					"backend cannot install: " SHA256_WHY));
	ck_assert_ptr_nonnull(strstr(t, "Quick Mode from peer refused (notify 14)"));
	h_fini(&w);
}
END_TEST

START_TEST(responder_refuses_gcm)
{
	struct h_world w;
	run(&w, HEAD_A SAINFO("aes_gcm_16", ""),
	    HEAD_B SAINFO("aes_gcm_16, aes", AUTH("hmac_sha1")), NULL, &pfkey_caps_static);
	ck_assert_uint_eq(h_counts(w.a.e).ph2_up, 0);
	ck_assert_uint_eq(h_counts(w.b.e).ph2_up, 0);
	ck_assert_uint_eq(kernel_mock_sa_count(w.b.k), 1);
	const char *t = h_log();
	ck_assert_ptr_nonnull(strstr(t, "cannot install: aes-gcm-16: the pfkey backend has no "
					"AEAD algorithms; use kernel_interface xfrm"));
	h_fini(&w);
}
END_TEST

/* A offers GCM first, then AES-CBC with SHA-256 and with SHA-1: B takes the only one its
 * backend installs correctly, and both kernels hold it. */
START_TEST(responder_mixed_offer_selects_installable)
{
	struct h_world w;
	run(&w, HEAD_A SAINFO("aes_gcm_16, aes 256", AUTH("hmac_sha256, hmac_sha1")),
	    HEAD_B SAINFO("aes_gcm_16, aes 256", AUTH("hmac_sha256, hmac_sha1")), NULL,
	    &pfkey_caps_static);
	ck_assert_uint_eq(h_counts(w.b.e).ph2_up, 1);
	const struct kernel_mock_sa *x = sa_a_to_b(&w, w.a.k), *y = sa_a_to_b(&w, w.b.k);
	ck_assert_int_eq(x->sa.enc, KERNEL_ENC_AES_CBC);
	ck_assert_int_eq(x->sa.auth, KERNEL_AUTH_HMAC_SHA1);
	ck_assert_uint_eq(x->sa.enc_key_len, 32);
	ck_assert_int_eq(y->sa.enc, KERNEL_ENC_AES_CBC);
	ck_assert_int_eq(y->sa.auth, KERNEL_AUTH_HMAC_SHA1);
	ck_assert(!y->larval);
	ck_assert_ptr_null(strstr(h_log(), "NO-PROPOSAL-CHOSEN"));
	h_fini(&w);
}
END_TEST

START_TEST(initiator_filters)
{
	struct h_world w;
	/* B (XFRM-like) would take A's first proposal, GCM; A must not offer it. */
	run(&w, HEAD_A SAINFO("aes_gcm_16, aes", AUTH("hmac_sha256, hmac_sha1")),
	    HEAD_B SAINFO("aes_gcm_16, aes", AUTH("hmac_sha256, hmac_sha1")), &pfkey_caps_static,
	    NULL);
	ck_assert_uint_eq(h_counts(w.b.e).ph2_up, 1);
	const struct kernel_mock_sa *x = sa_a_to_b(&w, w.a.k);
	ck_assert_int_eq(x->sa.enc, KERNEL_ENC_AES_CBC);
	ck_assert_int_eq(x->sa.auth, KERNEL_AUTH_HMAC_SHA1);
	const char *t = h_log();
	ck_assert_ptr_nonnull(strstr(t, "not proposing aes-gcm-16: the pfkey backend has no AEAD"));
	ck_assert_ptr_nonnull(strstr(t, "not proposing " SHA256_WHY));
	ck_assert_ptr_null(strstr(t, "NO-PROPOSAL-CHOSEN"));
	h_fini(&w);
}
END_TEST

/* Nothing left to propose: the Quick Mode fails before any SPI or packet. */
START_TEST(initiator_nothing_installable_fails)
{
	struct h_world w;
	run(&w, HEAD_A SAINFO("aes_gcm_16, aes", AUTH("hmac_sha256")),
	    HEAD_B SAINFO("aes", AUTH("hmac_sha256")), &pfkey_caps_static, NULL);
	ck_assert_uint_eq(h_counts(w.a.e).ph1_up, 1);
	ck_assert_uint_eq(h_counts(w.a.e).ph2, 0);
	ck_assert_uint_eq(h_counts(w.b.e).ph2, 0);
	ck_assert_uint_eq(kernel_mock_calls(w.a.k, "spi_alloc"), 0);
	ck_assert_uint_eq(w.a.sent, 4); /* 3 MM + INITIAL-CONTACT, no Quick Mode */
	const char *t = h_log();
	ck_assert_ptr_nonnull(strstr(t, "failed in state"));
	ck_assert_ptr_nonnull(strstr(t, "nothing in the sainfo can be installed: " SHA256_WHY));
	h_fini(&w);
}
END_TEST

/* Key lengths count too: a backend with AES-128 only takes the 128-bit proposal. */
static const struct kernel_alg_cap aes128_algs[] = {
	{ KERNEL_CAP_ENC, KERNEL_ENC_AES_CBC, 128, 128, 0, 0 },
	{ KERNEL_CAP_AUTH, KERNEL_AUTH_HMAC_SHA1, 160, 160, 0, 96 },
};
static const struct kernel_caps aes128_caps = {
	.backend = "pfkey", .replay_window_max = 32, .algs = aes128_algs, .n_algs = 2,
};

START_TEST(key_length_follows_the_backend)
{
	struct h_world w;
	run(&w, HEAD_A SAINFO("aes 256, aes 128", AUTH("hmac_sha1")),
	    HEAD_B SAINFO("aes 256, aes 128", AUTH("hmac_sha1")), NULL, &aes128_caps);
	ck_assert_uint_eq(h_counts(w.b.e).ph2_up, 1);
	const struct kernel_mock_sa *x = sa_a_to_b(&w, w.a.k);
	ck_assert_uint_eq(x->sa.enc_key_len, 16);
	ck_assert_ptr_null(strstr(h_log(), "NO-PROPOSAL-CHOSEN"));
	h_fini(&w);
}
END_TEST

/* Without the pfkey table (XFRM-like mock) SHA-256 is negotiated as before. */
START_TEST(xfrm_like_backend_takes_sha256)
{
	struct h_world w;
	run(&w, HEAD_A SAINFO("aes", AUTH("hmac_sha256")), HEAD_B SAINFO("aes", AUTH("hmac_sha256")),
	    NULL, NULL);
	ck_assert_uint_eq(h_counts(w.b.e).ph2_up, 1);
	ck_assert_int_eq(sa_a_to_b(&w, w.b.k)->sa.auth, KERNEL_AUTH_HMAC_SHA2_256);
	h_log();
	h_fini(&w);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ike_caps");
	TCase *t = tcase_create("proposals");
	tcase_add_test(t, responder_refuses_sha256);
	tcase_add_test(t, responder_refuses_gcm);
	tcase_add_test(t, responder_mixed_offer_selects_installable);
	tcase_add_test(t, initiator_filters);
	tcase_add_test(t, initiator_nothing_installable_fails);
	tcase_add_test(t, key_length_follows_the_backend);
	tcase_add_test(t, xfrm_like_backend_takes_sha256);
	suite_add_tcase(s, t);
	SRunner *r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? 1 : 0;
}
