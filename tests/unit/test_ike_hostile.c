/* Unit tests: hostile peers against the IKE engine, with a valid negotiation beside
 * them that must still complete. */
#include "ike_harness.h"

#include "isakmp/build.h"
#include "isakmp/isakmp.h"

#define CONF_A(mode) H_CONF_HEAD("198.51.100.2", mode, "modp2048") H_SAINFO("")
#define CONF_B(mode) H_CONF_HEAD("198.51.100.1", mode, "modp2048") H_SAINFO("")
#define CONF_B_ANON(mode)                                                                 \
	H_CONF_HEAD("198.51.100.1", mode, "modp2048")                                     \
	"remote anonymous {\n exchange_mode " mode ";\n proposal {\n"                     \
	"  encryption_algorithm aes;\n  hash_algorithm sha1;\n"                          \
	"  authentication_method pre_shared_key;\n  dh_group modp2048;\n }\n}\n" H_SAINFO("")

#define EVIL "203.0.113.9"

/* A message of one payload (type pt, body of n bytes of 0x41) with the given header. */
static size_t craft(uint8_t *out, size_t cap, const uint8_t ic[8], const uint8_t rc[8],
		    uint8_t exch, uint8_t flags, uint32_t msgid, uint8_t pt, size_t n)
{
	struct buf b;
	struct isakmp_builder bl;
	struct isakmp_hdr h = { .version = ISAKMP_VERSION, .exchange = exch, .msgid = msgid };
	memcpy(h.icookie, ic, 8);
	memcpy(h.rcookie, rc, 8);
	ck_assert_int_eq(buf_init(&b, cap), 0);
	isakmp_build_init(&bl, &b, &h);
	uint8_t body[256];
	memset(body, 0x41, sizeof(body));
	isakmp_build_data(&bl, pt, body, n);
	ck_assert_int_eq(isakmp_build_finish(&bl), 0);
	if (flags)
		ck_assert_int_eq(isakmp_build_seal(&b, 0, flags), 0);
	memcpy(out, b.ptr, b.len);
	size_t len = b.len;
	buf_free(&b);
	return len;
}

/* Raw encrypted-looking body: header with E set and n bytes of junk. */
static size_t craft_enc(uint8_t *out, const uint8_t ic[8], const uint8_t rc[8], uint8_t exch,
			uint32_t msgid, size_t n)
{
	memset(out, 0, 28);
	memcpy(out, ic, 8);
	memcpy(out + 8, rc, 8);
	out[16] = ISAKMP_PT_HASH;
	out[17] = ISAKMP_VERSION;
	out[18] = exch;
	out[19] = ISAKMP_FLAG_E;
	out[20] = (uint8_t)(msgid >> 24), out[21] = (uint8_t)(msgid >> 16);
	out[22] = (uint8_t)(msgid >> 8), out[23] = (uint8_t)msgid;
	uint32_t len = (uint32_t)(28 + n);
	out[24] = (uint8_t)(len >> 24), out[25] = (uint8_t)(len >> 16);
	out[26] = (uint8_t)(len >> 8), out[27] = (uint8_t)len;
	for (size_t i = 0; i < n; i++)
		out[28 + i] = (uint8_t)(i * 37 + 11);
	return 28 + n;
}

static const uint8_t ck1[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, ck2[8] = { 9, 9, 9, 9, 9, 9, 9, 9 };

START_TEST(clear_garbage_beside_a_negotiation)
{
	struct h_world w;
	uint8_t m[600];
	h_init(&w, CONF_A("main"), CONF_B("main"), "secret", "secret");
	struct ike_ph2_request r = h_req(&w, false);
	ck_assert_int_eq(ike_engine_initiate_ph2(w.a.e, &r), 0);
	unsigned long d0 = h_dropped(w.b.e);
	/* wrong (unknown) cookies, from the peer's own address */
	h_inject(&w.b, "198.51.100.1", m, craft(m, sizeof(m), ck1, ck2, ISAKMP_EXCH_IDENT, 0, 0,
						ISAKMP_PT_KE, 64));
	/* Phase 2 before Phase 1 */
	h_inject(&w.b, EVIL, m, craft_enc(m, ck1, ck2, ISAKMP_EXCH_QUICK, 77, 64));
	/* an unprotected Delete for cookies nobody has */
	h_inject(&w.b, EVIL, m, craft(m, sizeof(m), ck1, ck2, ISAKMP_EXCH_INFO, 0, 5, ISAKMP_PT_D, 8));
	/* garbage after a valid first message */
	ck_assert_uint_eq(w.nq, 1);
	memcpy(m, w.q[0].data, w.q[0].len);
	memset(m + w.q[0].len, 0xee, 16);
	h_inject(&w.b, "198.51.100.1", m, w.q[0].len + 16);
	/* a truncated header */
	h_inject(&w.b, EVIL, m, 20);
	ck_assert_uint_eq(h_dropped(w.b.e), d0 + 5);
	ck_assert_uint_eq(h_counts(w.b.e).ph1, 0);
	h_pump(&w);
	ck_assert_uint_eq(h_counts(w.a.e).ph2_up, 1);
	ck_assert_uint_eq(h_counts(w.b.e).ph2_up, 1);
	ck_assert_uint_eq(h_counts(w.b.e).ph1, 1);
	h_fini(&w);
}
END_TEST

/* After a negotiation: replays, unknown message ids, bad padding, clear Delete, all from
 * the peer's address with the right cookies. Nothing changes, a new Quick Mode works. */
START_TEST(forgeries_under_an_established_sa)
{
	struct h_world w;
	uint8_t m[2048];
	h_init(&w, CONF_A("main"), CONF_B("main"), "secret", "secret");
	struct ike_ph2_request r = h_req(&w, false);
	ck_assert_int_eq(ike_engine_initiate_ph2(w.a.e, &r), 0);
	h_pump(&w);
	struct h_count cb = h_counts(w.b.e);
	ck_assert_uint_eq(cb.ph2_up, 1);
	/* find B's cookies and A's Quick Mode I1 in the log */
	int qi = -1, ii = -1;
	for (unsigned i = 0; i < w.delivered && i < H_MAXQ; i++) {
		if (w.log[i].data[18] == ISAKMP_EXCH_QUICK && qi < 0)
			qi = (int)i;
		if (w.log[i].data[18] == ISAKMP_EXCH_INFO && ii < 0)
			ii = (int)i;
	}
	ck_assert_int_ge(qi, 0);
	ck_assert_int_ge(ii, 0);
	const struct h_pkt *q1 = &w.log[qi];
	const uint8_t *ic = q1->data, *rc = q1->data + 8;
	size_t kern = kernel_mock_sa_count(w.b.k);
	unsigned long d0 = h_dropped(w.b.e);
	/* replay of Quick Mode I1 and of the INITIAL-CONTACT informational */
	h_inject(&w.b, "198.51.100.1", q1->data, q1->len);
	h_inject(&w.b, "198.51.100.1", w.log[ii].data, w.log[ii].len);
	/* the same I1 with another message id (new IV: decrypts to junk) */
	memcpy(m, q1->data, q1->len);
	m[23] ^= 0x5a;
	h_inject(&w.b, "198.51.100.1", m, q1->len);
	/* unknown message id, junk body; and a body that is not whole cipher blocks */
	h_inject(&w.b, "198.51.100.1", m, craft_enc(m, ic, rc, ISAKMP_EXCH_QUICK, 0x1234, 64));
	h_inject(&w.b, "198.51.100.1", m, craft_enc(m, ic, rc, ISAKMP_EXCH_QUICK, 0x1235, 61));
	h_inject(&w.b, "198.51.100.1", m, craft_enc(m, ic, rc, ISAKMP_EXCH_INFO, 0x1236, 64));
	/* unprotected Delete and Notify under the real cookies (CVE-2004-0164) */
	h_inject(&w.b, "198.51.100.1", m,
		 craft(m, sizeof(m), ic, rc, ISAKMP_EXCH_INFO, 0, 0x99, ISAKMP_PT_D, 24));
	h_inject(&w.b, "198.51.100.1", m,
		 craft(m, sizeof(m), ic, rc, ISAKMP_EXCH_INFO, 0, 0x9a, ISAKMP_PT_N, 24));
	/* Quick Mode from another address under the real cookies */
	h_inject(&w.b, EVIL, q1->data, q1->len);
	ck_assert_uint_eq(h_dropped(w.b.e), d0 + 9);
	cb = h_counts(w.b.e);
	ck_assert_uint_eq(cb.ph1_up, 1);
	ck_assert_uint_eq(cb.ph2, 1);
	ck_assert_uint_eq(cb.ph2_up, 1);
	ck_assert_uint_eq(kernel_mock_sa_count(w.b.k), kern);
	ck_assert_uint_eq(w.nq, 0); /* nothing answered */
	/* a new Quick Mode still works */
	r.reqid = 8;
	r.tunnel = true;
	ck_assert_int_eq(ike_engine_initiate_ph2(w.a.e, &r), 0);
	h_pump(&w);
	ck_assert_uint_eq(h_counts(w.a.e).ph2_up, 2);
	ck_assert_uint_eq(h_counts(w.b.e).ph2_up, 2);
	h_fini(&w);
}
END_TEST

/* Aggressive Mode: a tampered HASH_I is dropped; the responder's retransmission makes
 * the initiator resend its cached answer and the negotiation completes. */
START_TEST(bad_hash_then_retransmission)
{
	struct h_world w;
	h_init(&w, CONF_A("aggressive"), CONF_B("aggressive"), "secret", "secret");
	struct ike_ph2_request r = h_req(&w, false);
	ck_assert_int_eq(ike_engine_initiate_ph2(w.a.e, &r), 0);
	ck_assert(h_step(&w)); /* I1 -> B */
	ck_assert(h_step(&w)); /* R1 -> A: A is established, sends I2 (and more) */
	ck_assert_uint_eq(h_counts(w.a.e).ph1_up, 1);
	ck_assert_uint_ge(w.nq, 1);
	w.q[0].data[w.q[0].len - 1] ^= 1; /* last byte of HASH_I */
	ck_assert(h_step(&w));
	ck_assert_uint_eq(h_counts(w.b.e).ph1_up, 0);
	ck_assert_uint_eq(h_counts(w.b.e).ph1, 1);
	h_pump(&w);                   /* the rest cannot be decrypted by B: dropped */
	ck_assert_uint_eq(h_counts(w.b.e).ph1_up, 0);
	h_advance(&w, 10);            /* B resends R1, A answers from its cache */
	h_pump(&w);
	ck_assert_uint_eq(h_counts(w.b.e).ph1_up, 1);
	struct ike_stats s;
	ike_engine_stats(w.a.e, &s);
	ck_assert_uint_ge(s.duplicates, 1);
	h_fini(&w);
}
END_TEST

START_TEST(duplicate_first_message_gets_cached_answer)
{
	struct h_world w;
	h_init(&w, CONF_A("main"), CONF_B("main"), "secret", "secret");
	struct ike_ph2_request r = h_req(&w, false);
	ck_assert_int_eq(ike_engine_initiate_ph2(w.a.e, &r), 0);
	struct h_pkt i1 = w.q[0];
	ck_assert(h_step(&w));
	h_inject(&w.b, "198.51.100.1", i1.data, i1.len);
	ck_assert_uint_eq(h_counts(w.b.e).ph1, 1);
	ck_assert_uint_eq(w.nq, 2);
	ck_assert_mem_eq(w.q[0].data, w.q[1].data, w.q[0].len);
	struct ike_stats s;
	ike_engine_stats(w.b.e, &s);
	ck_assert_uint_eq(s.duplicates, 1);
	h_pump(&w);
	ck_assert_uint_eq(h_counts(w.a.e).ph2_up, 1);
	h_fini(&w);
}
END_TEST

START_TEST(half_open_caps_and_expiry)
{
	struct h_world w;
	uint8_t m[1024];
	h_init_caps(&w, CONF_A("main"), CONF_B_ANON("main"), "secret", "secret", 2, 3);
	ck_assert_int_eq(ike_engine_initiate_ph1(w.a.e, &w.a.addr, &w.b.addr, NULL), 0);
	struct h_pkt i1 = w.q[0];
	/* an attacker replays A's first message with new cookies from one address */
	for (int i = 0; i < 4; i++) {
		memcpy(m, i1.data, i1.len);
		m[0] ^= (uint8_t)(i + 1);
		h_inject(&w.b, EVIL, m, i1.len);
	}
	ck_assert_uint_eq(h_counts(w.b.e).ph1, 2); /* per-peer cap */
	memcpy(m, i1.data, i1.len);
	m[1] ^= 0x33;
	h_inject(&w.b, "203.0.113.10", m, i1.len);
	ck_assert_uint_eq(h_counts(w.b.e).ph1, 3); /* total cap reached */
	h_pump(&w);                                /* A's own is refused too (total) */
	ck_assert_uint_eq(h_counts(w.b.e).ph1_up, 0);
	struct ike_stats st;
	ike_engine_stats(w.b.e, &st);
	ck_assert_uint_eq(st.peers, 2); /* the two attacking addresses */
	h_advance(&w, 31);                         /* half-open SAs expire */
	ck_assert_uint_eq(h_counts(w.b.e).ph1, 0);
	ike_engine_stats(w.b.e, &st);
	ck_assert_uint_eq(st.peers, 0);            /* spoofed sources leave nothing behind */
	ck_assert_uint_eq(st.ph1_halfopen, 0);
	/* A retransmits and now gets through */
	h_pump(&w);
	for (int i = 0; i < 3 && !h_counts(w.b.e).ph1_up; i++) {
		h_advance(&w, 10);
		h_pump(&w);
	}
	ck_assert_uint_eq(h_counts(w.b.e).ph1_up, 0); /* A's own SA timed out at 30 s too */
	ck_assert_int_eq(ike_engine_initiate_ph1(w.a.e, &w.a.addr, &w.b.addr, NULL), 0);
	h_pump(&w);
	ck_assert_uint_eq(h_counts(w.b.e).ph1_up, 1);
	h_fini(&w);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("ike_hostile");
	TCase *t = tcase_create("all");
	tcase_set_timeout(t, 60);
	tcase_add_test(t, clear_garbage_beside_a_negotiation);
	tcase_add_test(t, forgeries_under_an_established_sa);
	tcase_add_test(t, bad_hash_then_retransmission);
	tcase_add_test(t, duplicate_first_message_gets_cached_answer);
	tcase_add_test(t, half_open_caps_and_expiry);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(suite());
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
