/* The engine against an SPD copy (src/ike/phase2/policy.c): a responder accepts only
 * Quick Modes its policies cover (or generate_policy creates, for the peer's own address
 * only), takes the reqid of its policy, generated policies leave with their SAs, and an
 * initiator merges duplicate ACQUIREs. Two engines over mock kernels (ike_harness.h). */
#include "ike_harness.h"

#include "ike/phase2/policy.h" /* IKE_MAX_QUEUED_QM */
#include "ike/sa.h"             /* to hand B's engine an SPD copy */
#include "spd/spd.h"

#define CONF_A H_CONF_HEAD("198.51.100.2", "main", "modp1024") H_SAINFO("")
#define CONF_B H_CONF_HEAD("198.51.100.1", "main", "modp1024") H_SAINFO("")
#define CONF_B_GEN                                                                      \
	H_CONF_HEAD_X("198.51.100.1", "main", "modp1024", " generate_policy on;\n")       \
	H_SAINFO("")

static struct spd *spd_b;

static void setup(struct h_world *w, const char *conf_b)
{
	h_init(w, CONF_A, conf_b, "secret", "secret");
	spd_b = spd_new();
	ck_assert_ptr_nonnull(spd_b);
	w->b.e->o.spd = spd_b;
}

static void teardown(struct h_world *w)
{
	h_fini(w);
	spd_free(spd_b);
	spd_b = NULL;
}

/* B's policy for traffic from A (dir in) or to A (dir out), ESP transport. */
static struct kernel_policy b_policy(const struct h_world *w, enum kernel_dir dir,
				     uint32_t reqid)
{
	struct kernel_policy p = { .dir = dir, .action = KERNEL_POLICY_IPSEC, .n_tmpl = 1 };
	p.sel.src = dir == KERNEL_DIR_IN ? w->a.addr : w->b.addr;
	p.sel.dst = dir == KERNEL_DIR_IN ? w->b.addr : w->a.addr;
	addr_set_port(&p.sel.src, 0);
	addr_set_port(&p.sel.dst, 0);
	p.sel.src_plen = p.sel.dst_plen = 32;
	p.tmpl[0].proto = KERNEL_PROTO_ESP;
	p.tmpl[0].mode = KERNEL_MODE_TRANSPORT;
	p.tmpl[0].reqid = reqid;
	return p;
}

static int find_reqid(const struct kernel_sa *sa, const struct kernel_sa_stats *st, void *ud)
{
	uint32_t *want = ud;
	return sa->reqid == *want ? 1 : 0;
}

START_TEST(refused_without_policy)
{
	struct h_world w;
	setup(&w, CONF_B);
	size_t before = kernel_mock_sa_count(w.b.k); /* the harness's SPI warm-up */
	struct ike_ph2_request r = h_req(&w, false);
	ck_assert_int_eq(ike_engine_initiate_ph2(w.a.e, &r), 0);
	h_pump(&w);
	ck_assert_uint_eq(h_counts(w.a.e).ph1_up, 1);
	ck_assert_uint_eq(h_counts(w.b.e).ph2_up, 0);
	ck_assert_uint_eq(h_counts(w.a.e).ph2_up, 0);
	ck_assert_uint_eq(kernel_mock_sa_count(w.b.k), before);
	teardown(&w);
}
END_TEST

START_TEST(accepted_with_policy_takes_its_reqid)
{
	struct h_world w;
	setup(&w, CONF_B);
	struct kernel_policy in = b_policy(&w, KERNEL_DIR_IN, 0);
	struct kernel_policy out = b_policy(&w, KERNEL_DIR_OUT, 42);
	ck_assert_int_eq(spd_add(spd_b, &in), 0);
	ck_assert_int_eq(spd_add(spd_b, &out), 0);
	struct ike_ph2_request r = h_req(&w, false);
	ck_assert_int_eq(ike_engine_initiate_ph2(w.a.e, &r), 0);
	h_pump(&w);
	ck_assert_uint_eq(h_counts(w.b.e).ph2_up, 1);
	ck_assert_uint_eq(h_counts(w.a.e).ph2_up, 1);
	uint32_t want = 42;
	ck_assert_int_eq(kernel_sa_dump(w.b.k, find_reqid, &want), 1);
	teardown(&w);
}
END_TEST

START_TEST(wrong_mode_refused)
{
	struct h_world w;
	setup(&w, CONF_B);
	struct kernel_policy in = b_policy(&w, KERNEL_DIR_IN, 0);
	ck_assert_int_eq(spd_add(spd_b, &in), 0);
	struct ike_ph2_request r = h_req(&w, true); /* tunnel, the policy says transport */
	ck_assert_int_eq(ike_engine_initiate_ph2(w.a.e, &r), 0);
	h_pump(&w);
	ck_assert_uint_eq(h_counts(w.b.e).ph2_up, 0);
	teardown(&w);
}
END_TEST

START_TEST(generate_policy_for_the_peer)
{
	struct h_world w;
	setup(&w, CONF_B_GEN);
	struct ike_ph2_request r = h_req(&w, false);
	ck_assert_int_eq(ike_engine_initiate_ph2(w.a.e, &r), 0);
	h_pump(&w);
	ck_assert_uint_eq(h_counts(w.b.e).ph2_up, 1);
	ck_assert_uint_eq(kernel_mock_policy_count(w.b.k), 2); /* in + out, transport */
	ck_assert_uint_eq(spd_count(spd_b), 2);
	struct kernel_policy in = b_policy(&w, KERNEL_DIR_IN, 0);
	ck_assert_ptr_nonnull(spd_find_exact(spd_b, KERNEL_DIR_IN, &in.sel));
	/* The SA goes, its policies go. */
	ck_assert_int_eq(ike_engine_delete_ph2(w.b.e, NULL, 0), 1);
	ck_assert_uint_eq(kernel_mock_policy_count(w.b.k), 0);
	ck_assert_uint_eq(spd_count(spd_b), 0);
	teardown(&w);
}
END_TEST

START_TEST(generate_policy_tunnel_has_fwd)
{
	struct h_world w;
	setup(&w, CONF_B_GEN);
	struct ike_ph2_request r = h_req(&w, true);
	ck_assert_int_eq(ike_engine_initiate_ph2(w.a.e, &r), 0);
	h_pump(&w);
	ck_assert_uint_eq(h_counts(w.b.e).ph2_up, 1);
	ck_assert_uint_eq(kernel_mock_policy_count(w.b.k), 3);
	ike_engine_shutdown(w.b.e);
	ck_assert_uint_eq(kernel_mock_policy_count(w.b.k), 0);
	teardown(&w);
}
END_TEST

START_TEST(generate_policy_refuses_broad_ids)
{
	struct h_world w;
	setup(&w, CONF_B_GEN);
	struct ike_ph2_request r = h_req(&w, true);
	/* An authenticated peer asks for its whole subnet (others' addresses). */
	ck_assert_int_eq(addr_parse("198.51.100.0", &r.src), 0);
	r.src_plen = 24;
	ck_assert_int_eq(ike_engine_initiate_ph2(w.a.e, &r), 0);
	h_pump(&w);
	ck_assert_uint_eq(h_counts(w.b.e).ph2_up, 0);
	ck_assert_uint_eq(kernel_mock_policy_count(w.b.k), 0);
	/* And another host's address. */
	r = h_req(&w, true);
	ck_assert_int_eq(addr_parse("198.51.100.77", &r.src), 0);
	ck_assert_int_eq(ike_engine_initiate_ph2(w.a.e, &r), 0);
	h_pump(&w);
	ck_assert_uint_eq(h_counts(w.b.e).ph2_up, 0);
	ck_assert_uint_eq(kernel_mock_policy_count(w.b.k), 0);
	teardown(&w);
}
END_TEST

static struct kernel_event acquire_ev(const struct h_world *w, const char *dst, uint32_t seq)
{
	struct kernel_event ev = { .type = KERNEL_EV_ACQUIRE };
	struct kernel_policy *p = &ev.u.acquire.policy;
	p->dir = KERNEL_DIR_OUT;
	p->sel.src = w->a.addr;
	ck_assert_int_eq(addr_parse(dst, &p->sel.dst), 0);
	addr_set_port(&p->sel.src, 0);
	p->sel.src_plen = p->sel.dst_plen = 32;
	p->n_tmpl = 1;
	p->tmpl[0].proto = KERNEL_PROTO_ESP;
	p->tmpl[0].mode = KERNEL_MODE_TUNNEL;
	p->tmpl[0].src = w->a.addr;
	p->tmpl[0].dst = w->b.addr;
	ev.u.acquire.tmpl = p->tmpl[0];
	ev.u.acquire.src = w->a.addr;
	ev.u.acquire.dst = w->b.addr;
	ev.u.acquire.seq = seq;
	return ev;
}

START_TEST(duplicate_acquires_merged)
{
	struct h_world w;
	h_init(&w, CONF_A, CONF_B, "secret", "secret");
	struct kernel_event e1 = acquire_ev(&w, "203.0.113.5", 1);
	struct kernel_event e2 = acquire_ev(&w, "203.0.113.6", 4);
	for (int i = 0; i < 3; i++)
		ike_engine_kernel_event(w.a.e, &e1); /* before Phase 1 is up */
	ike_engine_kernel_event(w.a.e, &e2);
	ck_assert_uint_eq(h_counts(w.a.e).ph2, 2);
	ck_assert_uint_eq(h_counts(w.a.e).ph1, 1);
	h_pump(&w);
	ike_engine_kernel_event(w.a.e, &e1); /* established: a new ACQUIRE is a new need */
	ck_assert_uint_eq(h_counts(w.a.e).ph2, 3);
	h_pump(&w);
	struct h_count a = h_counts(w.a.e);
	ck_assert_uint_eq(a.ph1, 1);
	ck_assert_uint_eq(a.ph2_up, 3);
	h_fini(&w);
}
END_TEST

START_TEST(queue_behind_phase1_is_bounded)
{
	struct h_world w;
	h_init(&w, CONF_A, CONF_B, "secret", "secret");
	unsigned ok = 0, full = 0;
	for (unsigned i = 0; i < IKE_MAX_QUEUED_QM + 20; i++) {
		struct ike_ph2_request r = h_req(&w, false);
		r.ulproto = 17;
		r.dport = (uint16_t)(1000 + i);
		int rc = ike_engine_initiate_ph2(w.a.e, &r);
		ok += rc == 0;
		full += rc == -ENOBUFS;
	}
	ck_assert_uint_eq(ok, IKE_MAX_QUEUED_QM);
	ck_assert_uint_eq(full, 20);
	ck_assert_uint_eq(h_counts(w.a.e).ph1, 1);
	h_fini(&w);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("spd_ike");
	TCase *t = tcase_create("responder");
	tcase_add_test(t, refused_without_policy);
	tcase_add_test(t, accepted_with_policy_takes_its_reqid);
	tcase_add_test(t, wrong_mode_refused);
	tcase_add_test(t, generate_policy_for_the_peer);
	tcase_add_test(t, generate_policy_tunnel_has_fwd);
	tcase_add_test(t, generate_policy_refuses_broad_ids);
	suite_add_tcase(s, t);
	t = tcase_create("initiator");
	tcase_add_test(t, duplicate_acquires_merged);
	tcase_add_test(t, queue_behind_phase1_is_bounded);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(suite());
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? 1 : 0;
}
