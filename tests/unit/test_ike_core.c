/* Unit tests: src/ike building blocks (hash tables, timers, the transition table). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "event/event.h"
#include "ike/phase1.h"
#include "ike/vendor.h"
#include "ike/htab.h"
#include "ike/lifecycle.h"
#include "ike/state.h"
#include "ike/timer.h"
#include "isakmp/isakmp.h"

static uint64_t fake_now;
static uint64_t fake_clock(void) { return fake_now; }

START_TEST(siphash_reference_vector)
{
	/* SipHash-2-4 paper, appendix A: key 00..0f, message 00..0e -> a129ca6149be45e5 */
	uint8_t k[16], m[15];
	for (int i = 0; i < 16; i++)
		k[i] = (uint8_t)i;
	for (int i = 0; i < 15; i++)
		m[i] = (uint8_t)i;
	ck_assert_uint_eq(siphash24(k, m, 15), 0xa129ca6149be45e5ULL);
	ck_assert_uint_eq(siphash24(k, m, 0), 0x726fdb47dd0e0e31ULL);
}
END_TEST

struct item {
	struct htab_node n;
	int key;
};

START_TEST(htab_insert_find_remove_grow)
{
	struct htab t;
	ck_assert_int_eq(htab_init(&t), 0);
	enum { N = 1000 };
	struct item *it = calloc(N, sizeof(*it));
	for (int i = 0; i < N; i++) {
		it[i].key = i;
		htab_insert(&t, &it[i].n, htab_hash(&t, &i, sizeof(i)));
	}
	ck_assert_uint_eq(t.count, N);
	ck_assert_uint_ge(t.n_bucket, N / 2);
	for (int i = 0; i < N; i += 7) {
		uint64_t h = htab_hash(&t, &i, sizeof(i));
		struct htab_node *x = htab_next(&t, h, NULL);
		while (x && htab_entry(x, struct item, n)->key != i)
			x = htab_next(&t, h, x);
		ck_assert_ptr_nonnull(x);
	}
	htab_remove(&t, &it[5].n);
	int k = 5;
	uint64_t h = htab_hash(&t, &k, sizeof(k));
	for (struct htab_node *x = htab_next(&t, h, NULL); x; x = htab_next(&t, h, x))
		ck_assert_int_ne(htab_entry(x, struct item, n)->key, 5);
	ck_assert_uint_eq(t.count, N - 1);
	htab_fini(&t);
	free(it);
}
END_TEST

static int fired[8];
static void on_timer(struct ike_timer *t, void *owner) { fired[(intptr_t)owner]++; }

START_TEST(timers_fire_in_order_with_fake_clock)
{
	struct ike_timers ts = { 0 };
	struct ike_timer t[4];
	fake_now = 1000;
	event_clock_set(fake_clock);
	memset(fired, 0, sizeof(fired));
	for (intptr_t i = 0; i < 4; i++)
		ike_timer_init(&t[i], on_timer, (void *)i, "t");
	ike_timer_arm(&ts, &t[0], 300);
	ike_timer_arm(&ts, &t[1], 100);
	ike_timer_arm(&ts, &t[2], 200);
	ike_timer_arm(&ts, &t[3], 50);
	ike_timer_cancel(&ts, &t[3]);
	ck_assert(!ike_timer_armed(&t[3]));
	ck_assert_uint_eq(ike_timers_next(&ts), 1100);
	fake_now = 1150;
	ck_assert_uint_eq(ike_timers_run(&ts, fake_now), 1);
	ck_assert_int_eq(fired[1], 1);
	ck_assert_int_eq(fired[0] + fired[2] + fired[3], 0);
	ike_timer_arm(&ts, &t[2], 1000); /* re-arm moves it */
	fake_now = 1300;
	ck_assert_uint_eq(ike_timers_run(&ts, fake_now), 1);
	ck_assert_int_eq(fired[0], 1);
	ck_assert_int_eq(fired[2], 0);
	ck_assert_uint_eq(ike_timers_next(&ts), 2150);
	ike_timer_arm_by(&ts, &t[2], 5000); /* later than armed: stays */
	ck_assert_uint_eq(t[2].when, 2150);
	ike_timer_arm_by(&ts, &t[2], 100);  /* earlier: moves */
	ck_assert_uint_eq(t[2].when, 1400);
	ike_timer_arm_by(&ts, &t[3], 700);  /* not armed: armed */
	ck_assert(ike_timer_armed(&t[3]));
	ck_assert_uint_eq(ike_timers_next(&ts), 1400);
	ike_timers_fini(&ts);
	event_clock_set(NULL);
}
END_TEST

START_TEST(transition_table_is_valid)
{
	ck_assert_uint_eq(ike_states_check(), 0);
	ck_assert_ptr_nonnull(ike_transition_find(PH1_MM_R_START, ISAKMP_EXCH_IDENT, IKE_AUTH_PSK));
	ck_assert_str_eq(ike_transition_find(PH1_MM_R2_SENT, ISAKMP_EXCH_IDENT, IKE_AUTH_PSK)->name,
			 "main_inI3_outR3");
	ck_assert_ptr_null(ike_transition_find(PH1_ESTABLISHED, ISAKMP_EXCH_IDENT, IKE_AUTH_PSK));
	ck_assert_ptr_null(ike_transition_find(PH2_ESTABLISHED, ISAKMP_EXCH_QUICK, IKE_AUTH_PSK));
}
END_TEST

static enum ike_stf dummy(struct ike_md *md) { return STF_IGNORE; }

START_TEST(checker_finds_broken_tables)
{
	struct ike_transition bad[] = {
		/* overlapping rows */
		{ "a", PH1_MM_R_START, PH1_MM_R1_SENT, ISAKMP_EXCH_IDENT, IKE_AUTH_ANY,
		  IKE_PB(ISAKMP_PT_SA), 0, false, true, IKE_T_NONE, dummy },
		{ "b", PH1_MM_R_START, PH1_MM_R1_SENT, ISAKMP_EXCH_IDENT, IKE_AUTH_PSK,
		  IKE_PB(ISAKMP_PT_SA), 0, false, true, IKE_T_NONE, dummy },
		/* no handler, crosses phases, clear Quick Mode, required = optional */
		{ "c", PH2_QM_R_START, PH1_ESTABLISHED, ISAKMP_EXCH_QUICK, IKE_AUTH_ANY,
		  IKE_PB(ISAKMP_PT_HASH), IKE_PB(ISAKMP_PT_HASH), false, true, IKE_T_NONE, NULL },
	};
	/* plus every waiting state without a row */
	ck_assert_uint_ge(ike_states_check_table(bad, 3), 5);
}
END_TEST

START_TEST(soft_lifetime_is_80_percent_minus_jitter)
{
	ck_assert_uint_eq(ike_soft_usec(1000, 0), 800ull * 1000000);
	uint64_t lo = ike_soft_usec(1000, 0xffffffffu);
	ck_assert_uint_le(lo, 800ull * 1000000);
	ck_assert_uint_ge(lo, 750ull * 1000000);
	ck_assert_uint_eq(ike_soft_usec(0, 12345), 0);
}
END_TEST

START_TEST(lifetime_check_table)
{
	static const struct {
		int check;
		uint32_t peer, ours, want;
		bool claim;
	} rows[] = {
		{ CONF_PCHECK_OBEY, 100, 50, 100, false },
		{ CONF_PCHECK_STRICT, 40, 50, 40, false },
		{ CONF_PCHECK_STRICT, 100, 50, 0, false },
		{ CONF_PCHECK_CLAIM, 40, 50, 40, false },
		{ CONF_PCHECK_CLAIM, 100, 50, 50, true },
		{ CONF_PCHECK_EXACT, 50, 50, 50, false },
		{ CONF_PCHECK_EXACT, 40, 50, 0, false },
		{ CONF_PCHECK_STRICT, 0, 50, 50, false }, /* not proposed: ours */
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		bool claim = !rows[i].claim;
		ck_assert_msg(ike_lifetime_check(rows[i].check, rows[i].peer, rows[i].ours, &claim) ==
				      rows[i].want, "row %zu", i);
		ck_assert_msg(claim == rows[i].claim, "row %zu claim", i);
	}
}
END_TEST

START_TEST(vendor_ids_known)
{
	ike_vendor_init();
	/* MD5("RFC 3947") and the DPD bytes of RFC 3706 */
	static const uint8_t natt[16] = { 0x4a, 0x13, 0x1c, 0x81, 0x07, 0x03, 0x58, 0x45,
					  0x5c, 0x57, 0x28, 0xf2, 0x0e, 0x95, 0x45, 0x2f };
	static const uint8_t dpd[16] = { 0xaf, 0xca, 0xd7, 0x13, 0x68, 0xa1, 0xf1, 0xc9,
					 0x6b, 0x86, 0x96, 0xfc, 0x77, 0x57, 0x01, 0x00 };
	ck_assert_int_eq(ike_vendor_lookup(natt, 16), IKE_VID_NATT_RFC);
	ck_assert_int_eq(ike_vendor_lookup(dpd, 16), IKE_VID_DPD);
	ck_assert_int_eq(ike_vendor_lookup(dpd, 15), -1);
	size_t n;
	const uint8_t *f = ike_vendor_bytes(IKE_VID_FRAG, &n);
	uint8_t frag[20];
	memcpy(frag, f, 16);
	memset(frag + 16, 0x80, 4); /* capability bytes after the prefix */
	ck_assert_int_eq(ike_vendor_lookup(frag, 20), IKE_VID_FRAG);
	ck_assert_uint_eq(ike_vendor_bytes(IKE_VID_XAUTH, &n)[0] != 0 || n == 8, 1);
	ck_assert_uint_eq(n, 8);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("ike_core");
	TCase *t = tcase_create("all");
	tcase_add_test(t, siphash_reference_vector);
	tcase_add_test(t, htab_insert_find_remove_grow);
	tcase_add_test(t, timers_fire_in_order_with_fake_clock);
	tcase_add_test(t, transition_table_is_valid);
	tcase_add_test(t, checker_finds_broken_tables);
	tcase_add_test(t, soft_lifetime_is_80_percent_minus_jitter);
	tcase_add_test(t, lifetime_check_table);
	tcase_add_test(t, vendor_ids_known);
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
