/* The engine against an SPD copy (src/ike/phase2/policy.c): a responder accepts only
 * Quick Modes its policies cover (or generate_policy creates, for the peer's own address
 * only), takes the reqid of its policy, generated policies leave with their SAs, and an
 * initiator merges duplicate ACQUIREs. Two engines over mock kernels (ike_harness.h). */
#include "ike_harness.h"

#include "ike/phase2/policy.h" /* IKE_MAX_QUEUED_QM */
#include "isakmp/isakmp.h"
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

/* The responder's address goes away: its SAs and the policies it generated go, the
 * setkey-made ones stay. */
START_TEST(address_gone_removes_generated_policies)
{
	struct h_world w;
	setup(&w, CONF_B_GEN);
	struct kernel_policy mine = b_policy(&w, KERNEL_DIR_FWD, 0);
	ck_assert_int_eq(addr_parse("203.0.113.0", &mine.sel.src), 0);
	mine.sel.src_plen = 24;
	ck_assert_int_eq(kernel_policy_add(w.b.k, &mine), 0);
	struct ike_ph2_request r = h_req(&w, false);
	ck_assert_int_eq(ike_engine_initiate_ph2(w.a.e, &r), 0);
	h_pump(&w);
	ck_assert_uint_eq(h_counts(w.b.e).ph2_up, 1);
	ck_assert_uint_eq(kernel_mock_policy_count(w.b.k), 3);
	ck_assert_int_eq(ike_engine_local_address_gone(w.b.e, &w.b.addr), 2);
	ck_assert_uint_eq(h_counts(w.b.e).ph2, 0);
	ck_assert_uint_eq(kernel_mock_policy_count(w.b.k), 1); /* setkey's stays */
	ck_assert_uint_eq(spd_count(spd_b), 0);
	ck_assert_uint_eq(kernel_mock_sa_count(w.b.k), 1);     /* h_init's larval one */
	teardown(&w);
}
END_TEST

/* Generated policies have setkey's default priority in every direction (the reference
 * racoon's PRIORITY_DEFAULT), not 0, which would beat every administrator's policy. */
static int default_prio(const struct kernel_policy *p, void *ud)
{
	unsigned *dirs = ud;
	ck_assert_uint_eq(p->priority, 0x80000000u);
	*dirs |= 1u << p->dir;
	return 0;
}

START_TEST(generate_policy_tunnel_has_fwd)
{
	struct h_world w;
	setup(&w, CONF_B_GEN);
	struct ike_ph2_request r = h_req(&w, true);
	ck_assert_int_eq(ike_engine_initiate_ph2(w.a.e, &r), 0);
	h_pump(&w);
	ck_assert_uint_eq(h_counts(w.b.e).ph2_up, 1);
	ck_assert_uint_eq(kernel_mock_policy_count(w.b.k), 3);
	unsigned dirs = 0;
	ck_assert_int_eq(kernel_policy_dump(w.b.k, default_prio, &dirs), 0);
	ck_assert_uint_eq(dirs, 1u << KERNEL_DIR_IN | 1u << KERNEL_DIR_OUT | 1u << KERNEL_DIR_FWD);
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

/* An ACQUIRE for A -> B in transport mode whose policy lists n templates (kernel order,
 * innermost first). */
static struct kernel_event bundle_acquire(const struct h_world *w, const enum kernel_proto *pr,
					  const enum kernel_level *lv, size_t n)
{
	struct kernel_event ev = { .type = KERNEL_EV_ACQUIRE };
	struct kernel_policy *p = &ev.u.acquire.policy;
	p->dir = KERNEL_DIR_OUT;
	p->sel.src = w->a.addr;
	p->sel.dst = w->b.addr;
	addr_set_port(&p->sel.src, 0);
	addr_set_port(&p->sel.dst, 0);
	p->sel.src_plen = p->sel.dst_plen = 32;
	p->n_tmpl = n;
	for (size_t i = 0; i < n; i++) {
		p->tmpl[i].proto = pr[i];
		p->tmpl[i].level = lv[i];
		p->tmpl[i].mode = KERNEL_MODE_TRANSPORT;
	}
	ev.u.acquire.tmpl = p->tmpl[0];
	ev.u.acquire.src = p->sel.src;
	ev.u.acquire.dst = p->sel.dst;
	ev.u.acquire.seq = 3;
	return ev;
}

struct protos { uint8_t p[3]; unsigned n, up; };
static int get_protos(const struct ike_ph2_info *i, void *ud)
{
	struct protos *o = ud;
	if (!i->established)
		return 0;
	o->up++;
	o->n = i->nproto;
	for (unsigned k = 0; k < i->nproto && k < 3; k++)
		o->p[k] = i->sa[k].proto;
	return 0;
}
static struct protos protos_of(struct ike_engine *e)
{
	struct protos o = { { 0 }, 0, 0 };
	ike_engine_foreach_ph2(e, get_protos, &o);
	return o;
}

/* The proposal lists the bundle outermost first: the reverse of the templates (the
 * kernel applies the first template first, innermost), as the reference racoon does. */
START_TEST(proposal_follows_template_order)
{
	static const enum kernel_level req2[] = { KERNEL_LEVEL_REQUIRE, KERNEL_LEVEL_REQUIRE };
	static const enum kernel_proto esp_ah[] = { KERNEL_PROTO_ESP, KERNEL_PROTO_AH };
	static const enum kernel_proto ah_esp[] = { KERNEL_PROTO_AH, KERNEL_PROTO_ESP };
	struct h_world w;
	h_init(&w, CONF_A, CONF_B, "secret", "secret");
	struct kernel_event ev = bundle_acquire(&w, esp_ah, req2, 2);
	ike_engine_kernel_event(w.a.e, &ev);
	h_pump(&w);
	struct protos a = protos_of(w.a.e), b = protos_of(w.b.e);
	ck_assert_uint_eq(a.up, 1);
	ck_assert_uint_eq(b.up, 1);
	ck_assert_uint_eq(a.n, 2);
	ck_assert_uint_eq(a.p[0], ISAKMP_PROTO_IPSEC_AH);  /* outer */
	ck_assert_uint_eq(a.p[1], ISAKMP_PROTO_IPSEC_ESP); /* inner */
	ck_assert_uint_eq(b.p[0], ISAKMP_PROTO_IPSEC_AH);  /* the responder keeps the order */
	ck_assert_int_eq(ike_engine_delete_ph2(w.a.e, NULL, 0), 1);
	h_pump(&w);
	ev = bundle_acquire(&w, ah_esp, req2, 2);
	ike_engine_kernel_event(w.a.e, &ev);
	h_pump(&w);
	a = protos_of(w.a.e);
	ck_assert_uint_eq(a.up, 1);
	ck_assert_uint_eq(a.p[0], ISAKMP_PROTO_IPSEC_ESP);
	ck_assert_uint_eq(a.p[1], ISAKMP_PROTO_IPSEC_AH);
	h_fini(&w);
}
END_TEST

/* IPComp at level `use`: a responder whose policy has only ESP takes the fallback
 * bundle without it, and the initiator goes on with ESP alone. */
START_TEST(use_template_is_optional)
{
	static const enum kernel_proto pr[] = { KERNEL_PROTO_COMP, KERNEL_PROTO_ESP };
	static const enum kernel_level lv[] = { KERNEL_LEVEL_USE, KERNEL_LEVEL_REQUIRE };
	struct h_world w;
	setup(&w, CONF_B);
	struct kernel_policy in = b_policy(&w, KERNEL_DIR_IN, 0);
	ck_assert_int_eq(spd_add(spd_b, &in), 0);
	struct kernel_event ev = bundle_acquire(&w, pr, lv, 2);
	ike_engine_kernel_event(w.a.e, &ev);
	h_pump(&w);
	struct protos a = protos_of(w.a.e), b = protos_of(w.b.e);
	ck_assert_uint_eq(a.up, 1);
	ck_assert_uint_eq(b.up, 1);
	ck_assert_uint_eq(a.n, 1);
	ck_assert_uint_eq(a.p[0], ISAKMP_PROTO_IPSEC_ESP);
	ck_assert_uint_eq(b.n, 1);
	teardown(&w);
}
END_TEST

/* The same at level `require`: no fallback, the responder refuses. */
START_TEST(require_template_is_not_optional)
{
	static const enum kernel_proto pr[] = { KERNEL_PROTO_COMP, KERNEL_PROTO_ESP };
	static const enum kernel_level lv[] = { KERNEL_LEVEL_REQUIRE, KERNEL_LEVEL_REQUIRE };
	struct h_world w;
	setup(&w, CONF_B);
	struct kernel_policy in = b_policy(&w, KERNEL_DIR_IN, 0);
	ck_assert_int_eq(spd_add(spd_b, &in), 0);
	struct kernel_event ev = bundle_acquire(&w, pr, lv, 2);
	ike_engine_kernel_event(w.a.e, &ev);
	h_pump(&w);
	ck_assert_uint_eq(protos_of(w.a.e).up, 0);
	ck_assert_uint_eq(protos_of(w.b.e).up, 0);
	teardown(&w);
}
END_TEST

/* A responder whose policy requires AH+ESP refuses ESP alone (the kernel would drop the
 * traffic), but accepts it when AH is only `use`. */
START_TEST(responder_needs_required_templates)
{
	struct h_world w;
	setup(&w, CONF_B);
	struct kernel_policy in = b_policy(&w, KERNEL_DIR_IN, 0);
	in.n_tmpl = 2;
	in.tmpl[1] = in.tmpl[0];
	in.tmpl[1].proto = KERNEL_PROTO_AH;
	ck_assert_int_eq(spd_add(spd_b, &in), 0);
	struct ike_ph2_request r = h_req(&w, false);
	ck_assert_int_eq(ike_engine_initiate_ph2(w.a.e, &r), 0);
	h_pump(&w);
	ck_assert_uint_eq(h_counts(w.b.e).ph2_up, 0);
	spd_remove(spd_b, &in);
	in.tmpl[1].level = KERNEL_LEVEL_USE;
	ck_assert_int_eq(spd_add(spd_b, &in), 0);
	r.reqid = 8;
	ck_assert_int_eq(ike_engine_initiate_ph2(w.a.e, &r), 0);
	h_pump(&w);
	ck_assert_uint_eq(h_counts(w.b.e).ph2_up, 1);
	teardown(&w);
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
	tcase_add_test(t, address_gone_removes_generated_policies);
	tcase_add_test(t, generate_policy_refuses_broad_ids);
	suite_add_tcase(s, t);
	t = tcase_create("initiator");
	tcase_add_test(t, duplicate_acquires_merged);
	tcase_add_test(t, queue_behind_phase1_is_bounded);
	tcase_add_test(t, proposal_follows_template_order);
	tcase_add_test(t, use_template_is_optional);
	tcase_add_test(t, require_template_is_not_optional);
	tcase_add_test(t, responder_needs_required_templates);
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
