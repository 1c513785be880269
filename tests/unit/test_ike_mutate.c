/* Unit tests: deterministic mutations of every message of a Main Mode + Quick Mode
 * negotiation, fed to the engine that should receive it. Nothing may crash or leak
 * (ASan build); once the exchange is encrypted, every mutation outside the last cipher
 * block must be dropped and the negotiation must then complete with the real message. */
#include "ike_harness.h"

#include "isakmp/isakmp.h"

#include <stdio.h>

#define SI H_SAINFO(" pfs_group modp1024;\n")
static const char *const conf_a[2] = { H_CONF_HEAD("198.51.100.2", "main", "modp1024") SI,
				       H_CONF_HEAD("198.51.100.2", "aggressive", "modp1024") SI };
static const char *const conf_b[2] = { H_CONF_HEAD("198.51.100.1", "main", "modp1024") SI,
				       H_CONF_HEAD("198.51.100.1", "aggressive", "modp1024") SI };

/* Main Mode: 0 I1, 1 R1, 2 I2, 3 R2, 4 I3, 5 R3, 6 INITIAL-CONTACT, 7 QM I1, 8 QM R1,
 * 9 QM I2; from 4 on they are authenticated. Aggressive Mode: 0 I1, 1 R1, 2 I2 (HASH_I),
 * 3 INITIAL-CONTACT, 4..6 Quick Mode; from 2 on. */
static const int first_protected[2] = { 4, 2 };
static const int n_messages[2] = { 10, 7 };

static void run(int aggr, int target, size_t stride)
{
	struct h_world w;
	const int FIRST_PROTECTED = first_protected[aggr];
	if (target >= n_messages[aggr])
		return;
	h_init(&w, conf_a[aggr], conf_b[aggr], "secret", "secret");
	struct ike_ph2_request r = h_req(&w, false);
	ck_assert_int_eq(ike_engine_initiate_ph2(w.a.e, &r), 0);
	for (int i = 0; i < target; i++)
		ck_assert(h_step(&w));
	kernel_dispatch(w.b.k);
	ck_assert_uint_ge(w.nq, 1);
	struct h_pkt *orig = malloc(sizeof(*orig)), *m = malloc(sizeof(*m));
	ck_assert_ptr_nonnull(orig);
	ck_assert_ptr_nonnull(m);
	*orig = w.q[0];
	struct h_peer *to = addr_equal(&orig->to, &w.a.addr) ? &w.a : &w.b;
	bool all_dropped = true;
	unsigned accepted_bad = 0;
	size_t keep = w.nq;
	for (size_t p = 0; p < orig->len; p += p < ISAKMP_HDR_LEN ? 1 : stride) {
		*m = *orig;
		m->data[p] ^= (uint8_t)(1u << (p % 8));
		unsigned long before = h_dropped(to->e);
		ike_engine_input(to->e, &m->to, &m->from, m->data, m->len);
		if (h_dropped(to->e) == before) {
			all_dropped = false;
			/* The codec tolerates a non-zero RESERVED byte in a generic payload
			 * header (RFC 2408 says it must be zero): same content, not a forgery. */
			bool reserved = !(orig->data[19] & ISAKMP_FLAG_E) && p == ISAKMP_HDR_LEN + 1;
			if (target >= FIRST_PROTECTED && p + 16 < orig->len && !reserved)
				accepted_bad++, fprintf(stderr, "accepted: message %d byte %zu\n", target, p);
		}
		w.nq = keep; /* forget whatever the forgery made anyone send */
	}
	size_t cuts[] = { orig->len - 1, orig->len - 4, ISAKMP_HDR_LEN, ISAKMP_HDR_LEN - 1, 1 };
	for (size_t k = 0; k < sizeof(cuts) / sizeof(cuts[0]); k++) {
		unsigned long before = h_dropped(to->e);
		ike_engine_input(to->e, &orig->to, &orig->from, orig->data, cuts[k]);
		ck_assert_uint_eq(h_dropped(to->e), before + 1);
		w.nq = keep;
	}
	ck_assert_msg(accepted_bad == 0, "message %d: %u forgeries accepted", target, accepted_bad);
	h_pump(&w);
	if (target >= FIRST_PROTECTED && all_dropped) {
		ck_assert_uint_eq(h_counts(w.a.e).ph2_up, 1);
		ck_assert_uint_eq(h_counts(w.b.e).ph2_up, 1);
	}
	free(orig);
	free(m);
	h_fini(&w);
}

START_TEST(mutate_each_main_mode_message)
{
	run(0, _i, 1);
}
END_TEST

START_TEST(mutate_each_aggressive_mode_message)
{
	run(1, _i, 1);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("ike_mutate");
	TCase *t = tcase_create("all");
	tcase_set_timeout(t, 120);
	tcase_add_loop_test(t, mutate_each_main_mode_message, 0, 10);
	tcase_add_loop_test(t, mutate_each_aggressive_mode_message, 0, 7);
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
