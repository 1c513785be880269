/* Unit tests: SA lifecycle on a fake clock (rekey, Phase 1 rekey, expiry), INITIAL-CONTACT,
 * kernel events, and -Z. */
#include "ike_harness.h"

#include "isakmp/isakmp.h"

#define SAINFO_LIFE H_SAINFO(" lifetime time 100 sec;\n")
#define CONF_A H_CONF_HEAD("198.51.100.2", "main", "modp2048") SAINFO_LIFE
#define CONF_B H_CONF_HEAD("198.51.100.1", "main", "modp2048") SAINFO_LIFE

static void establish(struct h_world *w)
{
	struct ike_ph2_request r = h_req(w, false);
	ck_assert_int_eq(ike_engine_initiate_ph2(w->a.e, &r), 0);
	h_pump(w);
	ck_assert_uint_eq(h_counts(w->a.e).ph2_up, 1);
	ck_assert_uint_eq(h_counts(w->b.e).ph2_up, 1);
}

START_TEST(initiator_rekeys_then_old_sa_goes)
{
	struct h_world w;
	h_init(&w, CONF_A, CONF_B, "secret", "secret");
	establish(&w);
	struct h_count a0 = h_counts(w.a.e);
	ck_assert_uint_eq(a0.last.lifetime_s, 100);
	h_advance(&w, 70);
	h_pump(&w);
	ck_assert_uint_eq(h_counts(w.a.e).ph2, 1); /* before 75 s nothing happens */
	h_advance(&w, 11);                         /* 81 s: past the soft lifetime */
	h_pump(&w);
	struct h_count a1 = h_counts(w.a.e), b1 = h_counts(w.b.e);
	ck_assert_uint_eq(a1.ph2, 2);
	ck_assert_uint_eq(a1.ph2_up, 1);           /* the new one; the old is "expired" */
	ck_assert_uint_ne(a1.last.sa[0].spi_in, a0.last.sa[0].spi_in);
	ck_assert_uint_eq(b1.ph2, 2);
	ck_assert_uint_eq(b1.ph2_initiator, 0);    /* the responder never rekeys */
	ck_assert_uint_eq(a1.ph2_initiator, 2);
	ck_assert_uint_eq(kernel_mock_sa_count(w.a.k), 4);
	h_advance(&w, 30);                         /* grace / hard lifetime of the old one */
	h_pump(&w);
	struct h_count a2 = h_counts(w.a.e), b2 = h_counts(w.b.e);
	ck_assert_uint_eq(a2.ph2, 1);
	ck_assert_uint_eq(b2.ph2, 1);
	ck_assert_uint_eq(a2.last.sa[0].spi_in, b2.last.sa[0].spi_out);
	ck_assert_uint_eq(a2.last.sa[0].spi_out, b2.last.sa[0].spi_in);
	ck_assert_uint_eq(kernel_mock_sa_count(w.a.k), 2);
	ck_assert_uint_eq(kernel_mock_sa_count(w.b.k), 3); /* + h_init's larval one */
	h_fini(&w);
}
END_TEST

/* A short lifetime: the replaced SA goes at its hard lifetime (40 s), before the grace
 * period after the rekey (about 31 + 30 s) would end. */
START_TEST(replaced_sa_goes_at_its_hard_lifetime)
{
	struct h_world w;
	h_init(&w, H_CONF_HEAD("198.51.100.2", "main", "modp2048") H_SAINFO(" lifetime time 40 sec;\n"),
	       H_CONF_HEAD("198.51.100.1", "main", "modp2048") H_SAINFO(" lifetime time 40 sec;\n"),
	       "secret", "secret");
	establish(&w);
	h_advance(&w, 33); /* soft at 30..32 s: A rekeys */
	h_pump(&w);
	ck_assert_uint_eq(h_counts(w.a.e).ph2, 2);
	ck_assert_uint_eq(h_counts(w.a.e).ph2_up, 1);
	/* 41 s: both copies' hard lifetime passed. B's Delete is lost (the first datagram
	 * out is A's own, then B's): A must not wait for it, nor for its grace period. */
	w.drop_next = true;
	h_advance(&w, 8);
	h_pump(&w);
	ck_assert_uint_eq(h_counts(w.a.e).ph2, 1);
	ck_assert_uint_eq(h_counts(w.b.e).ph2, 1);
	ck_assert_uint_eq(kernel_mock_sa_count(w.a.k), 2);
	h_fini(&w);
}
END_TEST

/* The only ISAKMP SA is past its soft lifetime (no Phase 1 rekey): a Delete for an IPsec
 * SA still goes out under it, so the peer does not keep the SA. */
START_TEST(delete_goes_under_an_expired_isakmp_sa)
{
	struct h_world w;
	h_init(&w, H_CONF_HEAD_X("198.51.100.2", "main", "modp2048",
				 " lifetime time 100 sec;\n rekey off;\n")
		       H_SAINFO(" lifetime time 1000 sec;\n"),
	       H_CONF_HEAD("198.51.100.1", "main", "modp2048") H_SAINFO(" lifetime time 1000 sec;\n"),
	       "secret", "secret");
	establish(&w);
	h_advance(&w, 85); /* past both ISAKMP SAs' soft lifetime (75..80 s), before 100 s */
	h_pump(&w);
	ck_assert_uint_eq(h_counts(w.a.e).ph1, 1);
	ck_assert_uint_eq(h_counts(w.a.e).ph1_up, 0); /* expired, not established */
	ck_assert_int_eq(ike_engine_delete_ph2(w.a.e, NULL, 0), 1);
	h_pump(&w);
	ck_assert_uint_eq(h_counts(w.a.e).ph2, 0);
	ck_assert_uint_eq(h_counts(w.b.e).ph2, 0); /* B got the Delete */
	ck_assert_uint_eq(kernel_mock_sa_count(w.b.k), 1); /* h_init's larval one */
	h_fini(&w);
}
END_TEST

START_TEST(phase1_rekey_keeps_ipsec_sas)
{
	struct h_world w;
	h_init(&w,
	       "path pre_shared_key \"/x\";\nremote 198.51.100.2 {\n exchange_mode main;\n"
	       " lifetime time 200 sec;\n proposal {\n  encryption_algorithm aes;\n"
	       "  hash_algorithm sha256;\n  authentication_method pre_shared_key;\n"
	       "  dh_group modp2048;\n }\n}\n" H_SAINFO(""),
	       "path pre_shared_key \"/x\";\nremote 198.51.100.1 {\n exchange_mode main;\n"
	       " lifetime time 300 sec;\n proposal {\n  encryption_algorithm aes;\n"
	       "  hash_algorithm sha256;\n  authentication_method pre_shared_key;\n"
	       "  dh_group modp2048;\n }\n}\n" H_SAINFO(""),
	       "secret", "secret");
	establish(&w);
	h_advance(&w, 161);  /* A's soft at 150..160 s: A negotiates a new ISAKMP SA */
	h_pump(&w);
	ck_assert_uint_eq(h_counts(w.a.e).ph1, 2);
	ck_assert_uint_eq(h_counts(w.b.e).ph1, 2);
	h_advance(&w, 40);   /* 201 s: the old one's hard lifetime, Delete sent */
	h_pump(&w);
	ck_assert_uint_eq(h_counts(w.a.e).ph1, 1);
	ck_assert_uint_eq(h_counts(w.b.e).ph1, 1);
	ck_assert_uint_eq(h_counts(w.a.e).ph1_up, 1);
	ck_assert_uint_eq(h_counts(w.a.e).ph2_up, 1);
	ck_assert_uint_eq(h_counts(w.b.e).ph2_up, 1);
	/* a new Quick Mode runs under the new ISAKMP SA */
	struct ike_ph2_request r = h_req(&w, true);
	r.reqid = 9;
	ck_assert_int_eq(ike_engine_initiate_ph2(w.a.e, &r), 0);
	h_pump(&w);
	ck_assert_uint_eq(h_counts(w.b.e).ph2_up, 2);
	h_fini(&w);
}
END_TEST

/* A restarts (loses its state without Deletes) and comes back: its INITIAL-CONTACT makes
 * B drop the stale SAs. */
START_TEST(initial_contact_purges_stale_sas)
{
	struct h_world w;
	h_init(&w, CONF_A, CONF_B, "secret", "secret");
	establish(&w);
	struct h_count b0 = h_counts(w.b.e);
	h_peer_fini(&w.a);
	h_peer_init(&w, &w.a, "198.51.100.1", CONF_A, "secret");
	establish(&w);
	struct h_count b1 = h_counts(w.b.e);
	ck_assert_uint_eq(b1.ph1, 1);
	ck_assert_uint_eq(b1.ph2, 1);
	ck_assert_uint_eq(b1.ph2_up, 1);
	ck_assert_uint_eq(kernel_mock_sa_count(w.b.k), 3); /* new pair + h_init's larval */
	(void)b0;
	h_fini(&w);
}
END_TEST

/* Another identity at the same address (and port) does not purge the first one's SAs. */
START_TEST(initial_contact_needs_the_same_identity)
{
	struct h_world w;
	h_init(&w, H_CONF_HEAD_X("198.51.100.2", "main", "modp2048",
				 " my_identifier fqdn \"a.example\";\n") SAINFO_LIFE,
	       CONF_B, "secret", "secret");
	establish(&w);
	h_peer_fini(&w.a);
	h_peer_init(&w, &w.a, "198.51.100.1",
		    H_CONF_HEAD_X("198.51.100.2", "main", "modp2048",
				  " my_identifier fqdn \"c.example\";\n") SAINFO_LIFE, "secret");
	/* a fresh mock counts SPIs from the start again: skip the ones B still uses */
	struct kernel_spi_req sr = { .src = w.b.addr, .dst = w.a.addr, .proto = KERNEL_PROTO_ESP };
	for (int i = 0; i < 2; i++)
		ck_assert_int_gt(kernel_spi_alloc(w.a.k, &sr, h_spi_ignore, NULL), 0);
	kernel_dispatch(w.a.k);
	struct ike_ph2_request r = h_req(&w, false);
	r.reqid = 12;
	ck_assert_int_eq(ike_engine_initiate_ph2(w.a.e, &r), 0);
	h_pump(&w);
	struct h_count b = h_counts(w.b.e);
	ck_assert_uint_eq(b.ph1_up, 2);
	ck_assert_uint_eq(b.ph2_up, 2);
	h_fini(&w);
}
END_TEST

/* A's address goes away: its SAs there go at once, silently (nothing can leave from a
 * removed address), while B still holds its own. Traffic later brings a new Phase 1 with
 * INITIAL-CONTACT, and B drops the stale SAs. */
START_TEST(local_address_gone_then_renegotiated)
{
	struct h_world w;
	h_init(&w, CONF_A, CONF_B, "secret", "secret");
	establish(&w);
	union sockaddr_any other;
	ck_assert_int_eq(addr_parse("203.0.113.9", &other), 0);
	ck_assert_int_eq(ike_engine_local_address_gone(w.a.e, &other), 0);
	ck_assert_uint_eq(h_counts(w.a.e).ph2_up, 1);
	unsigned sent = w.a.sent;
	ck_assert_int_eq(ike_engine_local_address_gone(w.a.e, &w.a.addr), 2);
	ck_assert_uint_eq(w.a.sent, sent);
	struct h_count a = h_counts(w.a.e);
	ck_assert_uint_eq(a.ph1, 0);
	ck_assert_uint_eq(a.ph2, 0);
	ck_assert_uint_eq(kernel_mock_sa_count(w.a.k), 0);
	ck_assert_uint_eq(h_counts(w.b.e).ph2_up, 1); /* B does not know yet */
	/* the address is back and traffic triggers a Quick Mode */
	establish(&w);
	struct h_count b = h_counts(w.b.e);
	ck_assert_uint_eq(b.ph1, 1);
	ck_assert_uint_eq(b.ph2, 1);
	ck_assert_uint_eq(kernel_mock_sa_count(w.b.k), 3); /* new pair + h_init's larval */
	ck_assert_uint_eq(kernel_mock_sa_count(w.a.k), 2);
	h_fini(&w);
}
END_TEST

/* A Quick Mode still waiting for its Phase 1 goes with the address too. */
START_TEST(local_address_gone_during_negotiation)
{
	struct h_world w;
	h_init(&w, CONF_A, CONF_B, "secret", "secret");
	struct ike_ph2_request r = h_req(&w, false);
	ck_assert_int_eq(ike_engine_initiate_ph2(w.a.e, &r), 0);
	ck_assert_uint_eq(h_counts(w.a.e).ph1, 1);
	ck_assert_int_eq(ike_engine_local_address_gone(w.a.e, &w.a.addr), 2);
	struct h_count a = h_counts(w.a.e);
	ck_assert_uint_eq(a.ph1 + a.ph2, 0);
	h_advance(&w, 120); /* no timer of the freed objects fires */
	h_fini(&w);
}
END_TEST

START_TEST(kernel_acquire_and_hard_expire)
{
	struct h_world w;
	h_init(&w, CONF_A, CONF_B, "secret", "secret");
	struct kernel_event ev = { .type = KERNEL_EV_ACQUIRE };
	ev.u.acquire.src = w.a.addr;
	ev.u.acquire.dst = w.b.addr;
	addr_set_port(&ev.u.acquire.src, 0);
	addr_set_port(&ev.u.acquire.dst, 0);
	ev.u.acquire.policy.sel.src = ev.u.acquire.src;
	ev.u.acquire.policy.sel.dst = ev.u.acquire.dst;
	ev.u.acquire.policy.sel.src_plen = ev.u.acquire.policy.sel.dst_plen = 32;
	ev.u.acquire.policy.n_tmpl = 1;
	ev.u.acquire.policy.tmpl[0].proto = KERNEL_PROTO_ESP;
	ev.u.acquire.tmpl = ev.u.acquire.policy.tmpl[0];
	ev.u.acquire.seq = 42;
	ike_engine_kernel_event(w.a.e, &ev);
	h_pump(&w);
	struct h_count a = h_counts(w.a.e);
	ck_assert_uint_eq(a.ph2_up, 1);
	ck_assert_uint_eq(h_counts(w.b.e).ph2_up, 1);
	/* the kernel drops A's inbound SA: A deletes the pair and tells B */
	struct kernel_event ex = { .type = KERNEL_EV_EXPIRE_HARD };
	ex.u.expire.id.src = ev.u.acquire.dst;
	ex.u.expire.id.dst = ev.u.acquire.src;
	ex.u.expire.id.spi = a.last.sa[0].spi_in;
	ex.u.expire.id.proto = KERNEL_PROTO_ESP;
	ike_engine_kernel_event(w.a.e, &ex);
	h_pump(&w);
	ck_assert_uint_eq(h_counts(w.a.e).ph2, 0);
	ck_assert_uint_eq(h_counts(w.b.e).ph2, 0);
	ck_assert_uint_eq(h_counts(w.b.e).ph1_up, 1); /* the ISAKMP SA stays */
	h_fini(&w);
}
END_TEST

START_TEST(no_kernel_mode_installs_nothing)
{
	struct h_world w;
	memset(&w, 0, sizeof(w));
	w.no_kernel_a = true;
	/* h_init clears the world: set the flag through a second world set-up */
	h_init(&w, CONF_A, CONF_B, "secret", "secret");
	h_peer_fini(&w.a);
	w.no_kernel_a = true;
	h_peer_init(&w, &w.a, "198.51.100.1", CONF_A, "secret");
	establish(&w);
	ck_assert_uint_eq(kernel_mock_sa_count(w.a.k), 0);
	ck_assert_uint_eq(kernel_mock_calls(w.a.k, "spi_alloc"), 0);
	ck_assert_uint_eq(kernel_mock_sa_count(w.b.k), 3);
	/* shutdown under -Z: no Delete for IPsec SAs (their kernel state is not ours) */
	unsigned sent = w.a.sent;
	ike_engine_shutdown(w.a.e);
	ck_assert_uint_eq(w.a.sent, sent + 1); /* only the ISAKMP SA's Delete */
	h_pump(&w);
	ck_assert_uint_eq(h_counts(w.b.e).ph2_up, 1);
	h_fini(&w);
}
END_TEST

/* Rekey with no ISAKMP SA left (IKEv1 keeps IPsec SAs alone): a new one comes first. */
START_TEST(rekey_without_isakmp_sa)
{
	struct h_world w;
	h_init(&w, CONF_A, CONF_B, "secret", "secret");
	establish(&w);
	ck_assert_int_eq(ike_engine_delete_ph1(w.a.e, &w.b.addr), 1);
	h_pump(&w);
	ck_assert_uint_eq(h_counts(w.b.e).ph1, 0);
	h_advance(&w, 81);
	h_pump(&w);
	ck_assert_uint_eq(h_counts(w.a.e).ph1_up, 1);
	ck_assert_uint_eq(h_counts(w.b.e).ph1_up, 1);
	ck_assert_uint_eq(h_counts(w.a.e).ph2_up, 1);
	ck_assert_uint_eq(h_counts(w.a.e).ph2, 2);
	h_fini(&w);
}
END_TEST

/* A kernel soft EXPIRE is a hint: the initiator rekeys at once. */
START_TEST(kernel_soft_expire_brings_rekey_forward)
{
	struct h_world w;
	h_init(&w, CONF_A, CONF_B, "secret", "secret");
	establish(&w);
	struct h_count a = h_counts(w.a.e);
	struct kernel_event ex = { .type = KERNEL_EV_EXPIRE_SOFT };
	ex.u.expire.id.src = w.b.addr;
	ex.u.expire.id.dst = w.a.addr;
	addr_set_port(&ex.u.expire.id.src, 0);
	addr_set_port(&ex.u.expire.id.dst, 0);
	ex.u.expire.id.spi = a.last.sa[0].spi_in;
	ex.u.expire.id.proto = KERNEL_PROTO_ESP;
	ike_engine_kernel_event(w.a.e, &ex);
	h_advance(&w, 0);
	h_pump(&w);
	ck_assert_uint_eq(h_counts(w.a.e).ph2, 2);
	ck_assert_uint_eq(h_counts(w.b.e).ph2, 2);
	/* on the responder the same hint changes nothing */
	struct h_count b = h_counts(w.b.e);
	ex.u.expire.id.src = w.a.addr;
	ex.u.expire.id.dst = w.b.addr;
	addr_set_port(&ex.u.expire.id.src, 0);
	addr_set_port(&ex.u.expire.id.dst, 0);
	ex.u.expire.id.spi = b.last.sa[0].spi_in;
	ike_engine_kernel_event(w.b.e, &ex);
	h_advance(&w, 0);
	h_pump(&w);
	ck_assert_uint_eq(h_counts(w.b.e).ph2, 2);
	ck_assert_uint_eq(h_counts(w.b.e).ph2_initiator, 0);
	h_fini(&w);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("ike_lifecycle");
	TCase *t = tcase_create("all");
	tcase_set_timeout(t, 60);
	tcase_add_test(t, initiator_rekeys_then_old_sa_goes);
	tcase_add_test(t, replaced_sa_goes_at_its_hard_lifetime);
	tcase_add_test(t, delete_goes_under_an_expired_isakmp_sa);
	tcase_add_test(t, phase1_rekey_keeps_ipsec_sas);
	tcase_add_test(t, initial_contact_purges_stale_sas);
	tcase_add_test(t, initial_contact_needs_the_same_identity);
	tcase_add_test(t, local_address_gone_then_renegotiated);
	tcase_add_test(t, local_address_gone_during_negotiation);
	tcase_add_test(t, kernel_acquire_and_hard_expire);
	tcase_add_test(t, no_kernel_mode_installs_nothing);
	tcase_add_test(t, rekey_without_isakmp_sa);
	tcase_add_test(t, kernel_soft_expire_brings_rekey_forward);
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
