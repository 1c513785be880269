/* Unit tests: spd (the SPD copy) — matching, priorities, order, events, load from a kernel. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel.h"
#include "kernel/mock/mock.h"
#include "spd/spd.h"

static struct kernel_selector sel(const char *src, int splen, const char *dst, int dplen,
				  int proto, int sport, int dport)
{
	struct kernel_selector s;
	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(addr_parse(src, &s.src), 0);
	ck_assert_int_eq(addr_parse(dst, &s.dst), 0);
	s.src_plen = (uint8_t)splen;
	s.dst_plen = (uint8_t)dplen;
	s.proto = (uint8_t)proto;
	s.sport = (uint16_t)sport;
	s.dport = (uint16_t)dport;
	return s;
}

static struct kernel_policy pol(struct kernel_selector s, enum kernel_dir dir, uint32_t prio,
				enum kernel_policy_action action)
{
	struct kernel_policy p;
	memset(&p, 0, sizeof(p));
	p.sel = s;
	p.dir = dir;
	p.priority = prio;
	p.action = action;
	return p;
}

START_TEST(selector_containment)
{
	struct kernel_selector net = sel("192.0.2.0", 24, "198.51.100.0", 24, 0, 0, 0);
	struct kernel_selector host = sel("192.0.2.7", 32, "198.51.100.9", 32, 6, 1000, 80);
	struct kernel_selector other = sel("192.0.3.7", 32, "198.51.100.9", 32, 6, 1000, 80);
	struct kernel_selector tcp80 = sel("192.0.2.0", 24, "198.51.100.0", 24, 6, 0, 80);
	struct kernel_selector udp = sel("192.0.2.0", 24, "198.51.100.0", 24, 17, 0, 0);
	struct kernel_selector v6 = sel("2001:db8::1", 128, "2001:db8::2", 128, 0, 0, 0);
	ck_assert(spd_selector_contains(&net, &host));
	ck_assert(!spd_selector_contains(&net, &other));
	ck_assert(spd_selector_contains(&tcp80, &host));
	ck_assert(!spd_selector_contains(&udp, &host));
	ck_assert(!spd_selector_contains(&host, &net));
	ck_assert(!spd_selector_contains(&net, &v6));
	struct kernel_selector odd = sel("192.0.2.128", 25, "198.51.100.0", 24, 0, 0, 0);
	ck_assert(!spd_selector_contains(&odd, &host)); /* .7 is in the lower half */
	ck_assert(spd_selector_equal(&net, &net));
	ck_assert(!spd_selector_equal(&net, &tcp80));
}
END_TEST

START_TEST(lookup_by_priority_then_order)
{
	struct spd *s = spd_new();
	struct kernel_selector flow = sel("192.0.2.7", 32, "198.51.100.9", 32, 1, 0, 0);
	ck_assert_ptr_null(spd_lookup(s, KERNEL_DIR_OUT, &flow));
	struct kernel_policy wide = pol(sel("0.0.0.0", 0, "0.0.0.0", 0, 0, 0, 0), KERNEL_DIR_OUT,
					100, KERNEL_POLICY_IPSEC);
	struct kernel_policy net = pol(sel("192.0.2.0", 24, "198.51.100.0", 24, 0, 0, 0),
				       KERNEL_DIR_OUT, 100, KERNEL_POLICY_BYPASS);
	ck_assert_int_eq(spd_add(s, &wide), 0);
	ck_assert_int_eq(spd_add(s, &net), 0);
	/* same priority: the first installed wins, even though the second is narrower */
	ck_assert_int_eq(spd_lookup(s, KERNEL_DIR_OUT, &flow)->action, KERNEL_POLICY_IPSEC);
	/* a lower priority value wins */
	net.priority = 50;
	ck_assert_int_eq(spd_add(s, &net), 0); /* update in place */
	ck_assert_uint_eq(spd_count(s), 2);
	ck_assert_int_eq(spd_lookup(s, KERNEL_DIR_OUT, &flow)->action, KERNEL_POLICY_BYPASS);
	/* an exact host policy sits in the hash table and still competes by priority */
	struct kernel_policy host = pol(sel("192.0.2.7", 32, "198.51.100.9", 32, 0, 0, 0),
					KERNEL_DIR_OUT, 10, KERNEL_POLICY_DISCARD);
	ck_assert_int_eq(spd_add(s, &host), 0);
	ck_assert_int_eq(spd_lookup(s, KERNEL_DIR_OUT, &flow)->action, KERNEL_POLICY_DISCARD);
	/* direction matters */
	ck_assert_ptr_null(spd_lookup(s, KERNEL_DIR_IN, &flow));
	ck_assert_int_eq(spd_remove(s, &host), 0);
	ck_assert_int_eq(spd_remove(s, &host), -ENOENT);
	ck_assert_int_eq(spd_lookup(s, KERNEL_DIR_OUT, &flow)->action, KERNEL_POLICY_BYPASS);
	ck_assert_ptr_nonnull(spd_find_exact(s, KERNEL_DIR_OUT, &net.sel));
	ck_assert_ptr_null(spd_find_exact(s, KERNEL_DIR_IN, &net.sel));
	spd_free(s);
}
END_TEST

START_TEST(many_host_policies)
{
	struct spd *s = spd_new();
	char a[64];
	for (int i = 0; i < 2000; i++) {
		snprintf(a, sizeof(a), "2001:db8::%x", i + 1);
		struct kernel_policy p = pol(sel("2001:db8:ffff::1", 128, a, 128, 0, 0, 0),
					     KERNEL_DIR_OUT, (uint32_t)i, KERNEL_POLICY_IPSEC);
		ck_assert_int_eq(spd_add(s, &p), 0);
	}
	ck_assert_uint_eq(spd_count(s), 2000);
	struct kernel_selector flow = sel("2001:db8:ffff::1", 128, "2001:db8::4d2", 128, 58, 0, 0);
	const struct kernel_policy *p = spd_lookup(s, KERNEL_DIR_OUT, &flow);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(p->priority, 0x4d2 - 1);
	spd_free(s);
}
END_TEST

START_TEST(events_and_load)
{
	struct kernel *k;
	struct kernel_options ko = { 0 };
	ck_assert_int_eq(kernel_open("mock", &ko, &k), 0);
	struct kernel_policy a = pol(sel("192.0.2.1", 32, "198.51.100.1", 32, 0, 0, 0),
				     KERNEL_DIR_OUT, 5, KERNEL_POLICY_IPSEC);
	struct kernel_policy b = pol(sel("198.51.100.1", 32, "192.0.2.1", 32, 0, 0, 0),
				     KERNEL_DIR_IN, 5, KERNEL_POLICY_IPSEC);
	ck_assert_int_eq(kernel_mock_add_foreign_policy(k, &a), 0);
	ck_assert_int_eq(kernel_mock_add_foreign_policy(k, &b), 0);
	struct spd *s = spd_new();
	ck_assert_int_eq(spd_load(s, k), 0);
	ck_assert_uint_eq(spd_count(s), 2);

	struct kernel_event ev = { .type = KERNEL_EV_POLICY_DELETED };
	ev.u.policy.policy = a;
	spd_on_event(s, k, &ev);
	ck_assert_uint_eq(spd_count(s), 1);
	ev.type = KERNEL_EV_POLICY_ADDED;
	spd_on_event(s, k, &ev);
	ck_assert_uint_eq(spd_count(s), 2);
	ev.type = KERNEL_EV_POLICY_FLUSHED;
	spd_on_event(s, k, &ev);
	ck_assert_uint_eq(spd_count(s), 0);
	ev.type = KERNEL_EV_RESYNC; /* reload from the kernel */
	spd_on_event(s, k, &ev);
	ck_assert_uint_eq(spd_count(s), 2);

	kernel_mock_fail_next(k, -EIO);
	ck_assert_int_eq(spd_load(s, k), -EIO);
	spd_free(s);
	kernel_close(k);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("spd");
	TCase *t = tcase_create("all");
	tcase_add_test(t, selector_containment);
	tcase_add_test(t, lookup_by_priority_then_order);
	tcase_add_test(t, many_host_policies);
	tcase_add_test(t, events_and_load);
	suite_add_tcase(su, t);
	SRunner *r = srunner_create(su);
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
