/* Unit tests: two engines negotiate in one process (Main, Aggressive, Quick Mode). */
#include "ike_harness.h"

#include <stdio.h>

#include "ike/glue.h"
#include "ike/info.h"
#include "ike/sa.h"
#include "isakmp/isakmp.h"

#define CONF_A(mode, extra) H_CONF_HEAD("198.51.100.2", mode, "modp2048") H_SAINFO(extra)
#define CONF_B(mode, extra) H_CONF_HEAD("198.51.100.1", mode, "modp2048") H_SAINFO(extra)

/* Both sides hold the same keys for each direction, SPIs crosswise. */
static void assert_keys_crosswise(struct h_world *w)
{
	struct h_count ca = h_counts(w->a.e), cb = h_counts(w->b.e);
	ck_assert_uint_eq(ca.ph2_up, 1);
	ck_assert_uint_eq(cb.ph2_up, 1);
	ck_assert_uint_eq(ca.last.sa[0].spi_in, cb.last.sa[0].spi_out);
	ck_assert_uint_eq(ca.last.sa[0].spi_out, cb.last.sa[0].spi_in);
	ck_assert_uint_ne(ca.last.sa[0].spi_in, ca.last.sa[0].spi_out);
	struct kernel_sa_id a_out = { .src = w->a.addr, .dst = w->b.addr,
				      .spi = ca.last.sa[0].spi_out, .proto = KERNEL_PROTO_ESP };
	struct kernel_sa_id b_in = { .src = w->a.addr, .dst = w->b.addr,
				     .spi = cb.last.sa[0].spi_in, .proto = KERNEL_PROTO_ESP };
	addr_set_port(&a_out.src, 0);
	addr_set_port(&a_out.dst, 0);
	b_in.src = a_out.src;
	b_in.dst = a_out.dst;
	const struct kernel_mock_sa *x = kernel_mock_sa_find(w->a.k, &a_out);
	const struct kernel_mock_sa *y = kernel_mock_sa_find(w->b.k, &b_in);
	ck_assert_ptr_nonnull(x);
	ck_assert_ptr_nonnull(y);
	ck_assert(!y->larval);
	ck_assert_uint_eq(x->sa.enc_key_len, y->sa.enc_key_len);
	ck_assert_uint_gt(x->sa.enc_key_len, 0);
	ck_assert_mem_eq(x->enc_key, y->enc_key, x->sa.enc_key_len);
	ck_assert_uint_eq(x->sa.auth_key_len, y->sa.auth_key_len);
	ck_assert_mem_eq(x->auth_key, y->auth_key, x->sa.auth_key_len);
	ck_assert_uint_eq(kernel_mock_sa_count(w->a.k), 2);
	ck_assert_uint_eq(kernel_mock_sa_count(w->b.k), 3); /* + the larval one of h_init */
	/* The two directions have different keys. */
	struct kernel_sa_id a_in = { .src = a_out.dst, .dst = a_out.src,
				     .spi = ca.last.sa[0].spi_in, .proto = KERNEL_PROTO_ESP };
	const struct kernel_mock_sa *z = kernel_mock_sa_find(w->a.k, &a_in);
	ck_assert_ptr_nonnull(z);
	ck_assert_mem_ne(z->enc_key, x->enc_key, x->sa.enc_key_len);
}

START_TEST(main_mode_and_quick_mode)
{
	struct h_world w;
	h_init(&w, CONF_A("main", ""), CONF_B("main", ""), "secret", "secret");
	struct ike_ph2_request r = h_req(&w, false);
	ck_assert_int_eq(ike_engine_initiate_ph2(w.a.e, &r), 0);
	h_pump(&w);
	struct h_count ca = h_counts(w.a.e), cb = h_counts(w.b.e);
	ck_assert_uint_eq(ca.ph1_up, 1);
	ck_assert_uint_eq(cb.ph1_up, 1);
	assert_keys_crosswise(&w);
	ck_assert(!ca.last.tunnel);
	/* 3 MM + INITIAL-CONTACT + 2 QM from A; 3 MM + 1 QM from B */
	ck_assert_uint_eq(w.a.sent, 6);
	ck_assert_uint_eq(w.b.sent, 4);
	h_fini(&w);
}
END_TEST

START_TEST(quick_mode_pfs_tunnel)
{
	struct h_world w;
	h_init(&w, CONF_A("main", " pfs_group modp1024;\n"), CONF_B("main", " pfs_group modp1024;\n"),
	       "secret", "secret");
	struct ike_ph2_request r = h_req(&w, true);
	ck_assert_int_eq(ike_engine_initiate_ph2(w.a.e, &r), 0);
	h_pump(&w);
	assert_keys_crosswise(&w);
	ck_assert(h_counts(w.b.e).last.tunnel);
	h_fini(&w);
}
END_TEST

START_TEST(pfs_required_but_not_offered_fails)
{
	struct h_world w;
	h_init(&w, CONF_A("main", ""), CONF_B("main", " pfs_group modp1024;\n"), "secret", "secret");
	struct ike_ph2_request r = h_req(&w, false);
	ck_assert_int_eq(ike_engine_initiate_ph2(w.a.e, &r), 0);
	h_pump(&w);
	ck_assert_uint_eq(h_counts(w.a.e).ph1_up, 1);
	ck_assert_uint_eq(h_counts(w.a.e).ph2_up, 0);
	ck_assert_uint_eq(h_counts(w.b.e).ph2, 0);
	ck_assert_uint_eq(kernel_mock_sa_count(w.b.k), 1); /* h_init's larval SA only */
	h_fini(&w);
}
END_TEST

START_TEST(aggressive_mode_and_quick_mode)
{
	struct h_world w;
	h_init(&w, CONF_A("aggressive", ""), CONF_B("aggressive", ""), "secret", "secret");
	struct ike_ph2_request r = h_req(&w, false);
	ck_assert_int_eq(ike_engine_initiate_ph2(w.a.e, &r), 0);
	h_pump(&w);
	ck_assert_uint_eq(h_counts(w.a.e).ph1_up, 1);
	ck_assert_uint_eq(h_counts(w.b.e).ph1_up, 1);
	assert_keys_crosswise(&w);
	h_fini(&w);
}
END_TEST

START_TEST(wrong_psk_fails_and_times_out)
{
	struct h_world w;
	h_init(&w, CONF_A("main", ""), CONF_B("main", ""), "secret", "other");
	struct ike_ph2_request r = h_req(&w, false);
	ck_assert_int_eq(ike_engine_initiate_ph2(w.a.e, &r), 0);
	h_pump(&w);
	ck_assert_uint_eq(h_counts(w.a.e).ph1_up, 0);
	ck_assert_uint_eq(h_counts(w.b.e).ph1_up, 0);
	for (int i = 0; i < 10; i++) {
		h_advance(&w, 10);
		h_pump(&w);
	}
	struct ike_stats s;
	ike_engine_stats(w.a.e, &s);
	ck_assert_uint_eq(s.ph1 + s.ph2, 0);
	ck_assert_uint_gt(s.retransmits, 0);
	ike_engine_stats(w.b.e, &s);
	ck_assert_uint_eq(s.ph1 + s.ph2, 0);
	ck_assert_uint_gt(s.dropped, 0);
	h_fini(&w);
}
END_TEST

START_TEST(no_proposal_chosen)
{
	struct h_world w;
	h_init(&w, CONF_A("main", ""),
	       H_CONF_HEAD("198.51.100.1", "main", "modp1024") H_SAINFO(""), "secret", "secret");
	struct ike_ph2_request r = h_req(&w, false);
	ck_assert_int_eq(ike_engine_initiate_ph2(w.a.e, &r), 0);
	h_pump(&w);
	struct ike_stats s;
	ike_engine_stats(w.a.e, &s);
	ck_assert_uint_eq(s.ph1, 0); /* the clear NO-PROPOSAL-CHOSEN ended our half-open SA */
	ike_engine_stats(w.b.e, &s);
	ck_assert_uint_eq(s.ph1, 0);
	ck_assert_uint_eq(s.notifies_sent, 1);
	h_fini(&w);
}
END_TEST

START_TEST(lost_and_duplicated_packets)
{
	struct h_world w;
	h_init(&w, CONF_A("main", ""), CONF_B("main", ""), "secret", "secret");
	struct ike_ph2_request r = h_req(&w, false);
	ck_assert_int_eq(ike_engine_initiate_ph2(w.a.e, &r), 0);
	h_pump(&w);          /* established */
	/* Duplicate the last Quick Mode message B received (A's HASH(3)) by replaying all
	 * of A's cached answers: B must not install twice. */
	struct ike_stats s0, s1;
	ike_engine_stats(w.b.e, &s0);
	h_fini(&w);

	/* Lose MM I1 once: the retransmission timer recovers. */
	h_init(&w, CONF_A("main", ""), CONF_B("main", ""), "secret", "secret");
	w.drop_next = true;
	ck_assert_int_eq(ike_engine_initiate_ph2(w.a.e, &r), 0);
	h_pump(&w);
	ck_assert_uint_eq(h_counts(w.a.e).ph1_up, 0);
	h_advance(&w, 10);
	h_pump(&w);
	ck_assert_uint_eq(h_counts(w.a.e).ph1_up, 1);
	assert_keys_crosswise(&w);
	ike_engine_stats(w.a.e, &s1);
	ck_assert_uint_eq(s1.retransmits, 1);
	(void)s0;
	h_fini(&w);
}
END_TEST

START_TEST(delete_ph1_keeps_ipsec_sas)
{
	struct h_world w;
	h_init(&w, CONF_A("main", ""), CONF_B("main", ""), "secret", "secret");
	struct ike_ph2_request r = h_req(&w, false);
	ck_assert_int_eq(ike_engine_initiate_ph2(w.a.e, &r), 0);
	h_pump(&w);
	ck_assert_int_eq(ike_engine_delete_ph1(w.a.e, &w.b.addr), 1);
	h_pump(&w);
	ck_assert_uint_eq(h_counts(w.a.e).ph1, 0);
	ck_assert_uint_eq(h_counts(w.b.e).ph1, 0);
	ck_assert_uint_eq(h_counts(w.a.e).ph2_up, 1);
	ck_assert_uint_eq(h_counts(w.b.e).ph2_up, 1);
	ck_assert_uint_eq(kernel_mock_sa_count(w.b.k), 3);
	h_fini(&w);
}
END_TEST

START_TEST(admin_delete_ipsec_sa)
{
	struct h_world w;
	h_init(&w, CONF_A("main", ""), CONF_B("main", ""), "secret", "secret");
	struct ike_ph2_request r = h_req(&w, false);
	ck_assert_int_eq(ike_engine_initiate_ph2(w.a.e, &r), 0);
	h_pump(&w);
	ck_assert_int_eq(ike_engine_delete_ph2(w.a.e, &w.b.addr, ISAKMP_PROTO_IPSEC_AH), 0);
	ck_assert_int_eq(ike_engine_delete_ph2(w.a.e, &w.a.addr, 0), 0);
	ck_assert_int_eq(ike_engine_delete_ph2(w.a.e, &w.b.addr, ISAKMP_PROTO_IPSEC_ESP), 1);
	h_pump(&w);
	ck_assert_uint_eq(h_counts(w.a.e).ph2, 0);
	ck_assert_uint_eq(h_counts(w.b.e).ph2, 0); /* the peer followed the Delete */
	ck_assert_uint_eq(h_counts(w.b.e).ph1_up, 1);
	ck_assert_uint_eq(kernel_mock_sa_count(w.a.k), 0);
	ck_assert_uint_eq(kernel_mock_sa_count(w.b.k), 1); /* h_init's larval SA only */
	ck_assert_int_eq(ike_engine_delete_ph1(w.b.e, NULL), 1);
	h_pump(&w);
	ck_assert_uint_eq(h_counts(w.a.e).ph1, 0);
	h_fini(&w);
}
END_TEST

START_TEST(shutdown_sends_deletes)
{
	struct h_world w;
	h_init(&w, CONF_A("main", ""), CONF_B("main", ""), "secret", "secret");
	struct ike_ph2_request r = h_req(&w, false);
	ck_assert_int_eq(ike_engine_initiate_ph2(w.a.e, &r), 0);
	h_pump(&w);
	ike_engine_shutdown(w.a.e);
	ck_assert_uint_eq(kernel_mock_sa_count(w.a.k), 0);
	h_pump(&w);
	ck_assert_uint_eq(h_counts(w.b.e).ph2, 0);
	ck_assert_uint_eq(kernel_mock_sa_count(w.b.k), 1); /* h_init's larval SA only */
	ck_assert_uint_eq(h_counts(w.b.e).ph1, 0);
	h_fini(&w);
}
END_TEST

/* ESP + IPComp and AH-only bundles: every protocol of the bundle gets a pair. */
START_TEST(bundles_esp_ipcomp_and_ah)
{
	struct h_world w;
	h_init(&w, CONF_A("main", ""), CONF_B("main", ""), "secret", "secret");
	struct ike_ph2_request r = h_req(&w, true);
	r.ipcomp = true;
	ck_assert_int_eq(ike_engine_initiate_ph2(w.a.e, &r), 0);
	h_pump(&w);
	struct h_count ca = h_counts(w.a.e), cb = h_counts(w.b.e);
	ck_assert_uint_eq(ca.ph2_up, 1);
	ck_assert_uint_eq(cb.ph2_up, 1);
	ck_assert_uint_eq(ca.last.nproto, 2);
	ck_assert_uint_eq(ca.last.sa[1].proto, ISAKMP_PROTO_IPCOMP);
	ck_assert_uint_eq(ca.last.sa[1].spi_out, cb.last.sa[1].spi_in);
	ck_assert_uint_le(cb.last.sa[1].spi_in, 0xffff); /* a CPI */
	ck_assert_uint_eq(kernel_mock_sa_count(w.a.k), 4);
	r = h_req(&w, false);
	r.esp = false;
	r.ah = true;
	r.reqid = 11;
	ck_assert_int_eq(ike_engine_initiate_ph2(w.a.e, &r), 0);
	h_pump(&w);
	ca = h_counts(w.a.e);
	cb = h_counts(w.b.e);
	ck_assert_uint_eq(ca.ph2_up, 2);
	ck_assert_uint_eq(cb.ph2_up, 2);
	ck_assert_uint_eq(ca.last.sa[0].proto, ISAKMP_PROTO_IPSEC_AH);
	struct kernel_sa_id id = { .src = w.a.addr, .dst = w.b.addr,
				   .spi = ca.last.sa[0].spi_out, .proto = KERNEL_PROTO_AH };
	addr_set_port(&id.src, 0);
	addr_set_port(&id.dst, 0);
	const struct kernel_mock_sa *x = kernel_mock_sa_find(w.a.k, &id);
	const struct kernel_mock_sa *y = kernel_mock_sa_find(w.b.k, &id);
	ck_assert_ptr_nonnull(x);
	ck_assert_ptr_nonnull(y);
	ck_assert_uint_eq(x->sa.auth, KERNEL_AUTH_HMAC_SHA2_256); /* the sainfo's first */
	ck_assert_uint_eq(x->sa.auth_key_len, 32);
	ck_assert_mem_eq(x->auth_key, y->auth_key, 32);
	h_fini(&w);
}
END_TEST

/* proposal_check on the responder (B: 50 s, A proposes 100 s). */
static unsigned lifetime_with(const char *check, unsigned *b_life)
{
	struct h_world w;
	const char *tpl = H_CONF_HEAD_X("198.51.100.1", "main", "modp2048", " proposal_check @;\n")
		H_SAINFO(" lifetime time 50 sec;\n");
	const char *at = strchr(tpl, '@');
	char cb2[2048];
	snprintf(cb2, sizeof(cb2), "%.*s%s%s", (int)(at - tpl), tpl, check, at + 1);
	h_init(&w, H_CONF_HEAD("198.51.100.2", "main", "modp2048")
			   H_SAINFO(" lifetime time 100 sec;\n"),
	       cb2, "secret", "secret");
	struct ike_ph2_request r = h_req(&w, false);
	ck_assert_int_eq(ike_engine_initiate_ph2(w.a.e, &r), 0);
	h_pump(&w);
	struct h_count a = h_counts(w.a.e), b = h_counts(w.b.e);
	*b_life = b.ph2_up ? b.last.lifetime_s : 0;
	h_fini(&w);
	return a.ph2_up ? a.last.lifetime_s : 0;
}

START_TEST(proposal_check_lifetimes)
{
	unsigned b;
	ck_assert_uint_eq(lifetime_with("obey", &b), 100);
	ck_assert_uint_eq(b, 100);
	ck_assert_uint_eq(lifetime_with("claim", &b), 50); /* RESPONDER-LIFETIME */
	ck_assert_uint_eq(b, 50);
	ck_assert_uint_eq(lifetime_with("strict", &b), 0);
	ck_assert_uint_eq(b, 0);
	ck_assert_uint_eq(lifetime_with("exact", &b), 0);
	ck_assert_uint_eq(b, 0);
}
END_TEST

/* RFC 3706: we advertise DPD, so an R-U-THERE gets an ACK with the same sequence. */
START_TEST(dpd_r_u_there_is_answered)
{
	struct h_world w;
	h_init(&w, CONF_A("main", ""), CONF_B("main", ""), "secret", "secret");
	struct ike_ph2_request r = h_req(&w, false);
	ck_assert_int_eq(ike_engine_initiate_ph2(w.a.e, &r), 0);
	h_pump(&w);
	struct ike_ph1 *pa = ike_link_entry(w.a.e->ph1s.next, struct ike_ph1, all);
	ck_assert_int_eq(pa->state, PH1_ESTABLISHED);
	const uint8_t seq[4] = { 0, 0, 0x12, 0x34 };
	unsigned sent_b = w.b.sent;
	ike_info_send_notify_data(pa, ISAKMP_N_R_U_THERE, seq, 4);
	ck_assert_uint_eq(w.nq, 1);
	ck_assert(h_step(&w));
	ck_assert_uint_eq(w.b.sent, sent_b + 1); /* the ACK */
	struct ike_stats s0, s1;
	ike_engine_stats(w.a.e, &s0);
	ck_assert(h_step(&w));                   /* A takes it (logged, no answer) */
	ike_engine_stats(w.a.e, &s1);
	ck_assert_uint_eq(s1.dropped, s0.dropped);
	ck_assert_uint_eq(w.nq, 0);
	h_fini(&w);
}
END_TEST

/* verify_identifier: B wants A to say it is a.example (Main and Aggressive Mode). */
static unsigned ph1_with_ids(const char *mode, const char *a_id, const char *b_wants)
{
	struct h_world w;
	char ca[2048], cb[2048];
	snprintf(ca, sizeof(ca), "path pre_shared_key \"/x\";\nremote 198.51.100.2 {\n"
		 " exchange_mode %s;\n my_identifier fqdn \"%s\";\n proposal {\n"
		 "  encryption_algorithm aes;\n  hash_algorithm sha1;\n"
		 "  authentication_method pre_shared_key;\n  dh_group modp2048;\n }\n}\n",
		 mode, a_id);
	snprintf(cb, sizeof(cb), "path pre_shared_key \"/x\";\nremote 198.51.100.1 {\n"
		 " exchange_mode %s;\n verify_identifier on;\n peers_identifier fqdn \"%s\";\n"
		 " proposal {\n  encryption_algorithm aes;\n  hash_algorithm sha1;\n"
		 "  authentication_method pre_shared_key;\n  dh_group modp2048;\n }\n}\n",
		 mode, b_wants);
	h_init(&w, ca, cb, "secret", "secret");
	ck_assert_int_eq(ike_engine_initiate_ph1(w.a.e, &w.a.addr, &w.b.addr, NULL), 0);
	h_pump(&w);
	unsigned up = h_counts(w.b.e).ph1_up;
	h_fini(&w);
	return up;
}

START_TEST(verify_identifier)
{
	ck_assert_uint_eq(ph1_with_ids("main", "a.example", "a.example"), 1);
	ck_assert_uint_eq(ph1_with_ids("main", "a.example", "b.example"), 0);
	ck_assert_uint_eq(ph1_with_ids("aggressive", "a.example", "a.example"), 1);
	ck_assert_uint_eq(ph1_with_ids("aggressive", "mallory.example", "a.example"), 0);
}
END_TEST

START_TEST(ipv6_main_mode_and_quick_mode)
{
	struct h_world w;
	h_addr_a = "2001:db8::1";
	h_addr_b = "2001:db8::2";
	h_init(&w, H_CONF_HEAD("2001:db8::2", "main", "modp2048") H_SAINFO(""),
	       H_CONF_HEAD("2001:db8::1", "main", "modp2048") H_SAINFO(""), "secret", "secret");
	h_addr_a = "198.51.100.1";
	h_addr_b = "198.51.100.2";
	struct ike_ph2_request r = h_req(&w, true);
	ck_assert_int_eq(ike_engine_initiate_ph2(w.a.e, &r), 0);
	h_pump(&w);
	struct h_count ca = h_counts(w.a.e), cb = h_counts(w.b.e);
	ck_assert_uint_eq(ca.ph2_up, 1);
	ck_assert_uint_eq(cb.ph2_up, 1);
	ck_assert_uint_eq(ca.last.sa[0].spi_out, cb.last.sa[0].spi_in);
	ck_assert_int_eq(cb.last.remote.sa.sa_family, AF_INET6);
	h_fini(&w);
}
END_TEST

/* The commit bit (set on the way by anyone, it is outside the HASH): the responder
 * answers with C and sends CONNECTED after HASH(3); the initiator installs only then. */
START_TEST(commit_bit)
{
	struct h_world w;
	h_init(&w, CONF_A("main", ""), CONF_B("main", ""), "secret", "secret");
	ck_assert_int_eq(ike_engine_initiate_ph1(w.a.e, &w.a.addr, &w.b.addr, NULL), 0);
	h_pump(&w);
	struct ike_ph2_request r = h_req(&w, false);
	ck_assert_int_eq(ike_engine_initiate_ph2(w.a.e, &r), 0);
	kernel_dispatch(w.a.k); /* the SPI: I1 goes out */
	ck_assert_uint_eq(w.nq, 1);
	ck_assert_uint_eq(w.q[0].data[18], ISAKMP_EXCH_QUICK);
	w.q[0].data[19] |= ISAKMP_FLAG_C;
	ck_assert(h_step(&w)); /* I1 -> B */
	ck_assert(h_step(&w)); /* R1 (C) -> A: HASH(3) sent, waiting for CONNECTED */
	ck_assert_uint_eq(w.q[0].data[19] & ISAKMP_FLAG_C, 0);
	ck_assert_uint_eq(h_counts(w.a.e).ph2_up, 0);
	ck_assert_uint_eq(kernel_mock_sa_count(w.a.k), 1); /* the larval inbound SA only */
	ck_assert(h_step(&w)); /* HASH(3) -> B: installs, sends CONNECTED */
	ck_assert_uint_eq(h_counts(w.b.e).ph2_up, 1);
	ck_assert_uint_eq(w.nq, 1);
	w.nq = 0;              /* CONNECTED lost: A resends HASH(3), B its CONNECTED */
	h_advance(&w, 10);
	ck_assert_uint_eq(w.nq, 1);
	ck_assert(h_step(&w));
	ck_assert_uint_eq(w.nq, 1);
	ck_assert(h_step(&w)); /* CONNECTED -> A */
	ck_assert_uint_eq(h_counts(w.a.e).ph2_up, 1);
	assert_keys_crosswise(&w);
	h_fini(&w);
}
END_TEST

/* The daemon's receive path: a NAT-T datagram has the non-ESP marker stripped, a
 * keepalive is ignored. */
START_TEST(glue_receive_strips_the_natt_marker)
{
	struct h_world w;
	uint8_t m[1024];
	h_init(&w, CONF_A("main", ""), CONF_B("main", ""), "secret", "secret");
	ck_assert_int_eq(ike_engine_initiate_ph1(w.a.e, &w.a.addr, &w.b.addr, NULL), 0);
	ck_assert_uint_eq(w.nq, 1);
	struct ike_socket s = { .fd = -1, .natt = true };
	memset(m, 0, 4);
	memcpy(m + 4, w.q[0].data, w.q[0].len);
	uint8_t ka = 0xff;
	ike_glue_receive(&s, &w.a.addr, &w.b.addr, &ka, 1, w.b.e);
	ck_assert_uint_eq(h_counts(w.b.e).ph1, 0);
	ike_glue_receive(&s, &w.a.addr, &w.b.addr, m, w.q[0].len + 4, w.b.e);
	ck_assert_uint_eq(h_counts(w.b.e).ph1, 1);
	ck_assert_uint_eq(w.nq, 2); /* B answered */
	s.natt = false;             /* on port 500 the same bytes are not IKE */
	struct ike_stats st0, st1;
	ike_engine_stats(w.b.e, &st0);
	ike_glue_receive(&s, &w.a.addr, &w.b.addr, m, w.q[0].len + 4, w.b.e);
	ike_engine_stats(w.b.e, &st1);
	ck_assert_uint_eq(st1.dropped, st0.dropped + 1);
	h_fini(&w);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("ike_exchange");
	TCase *t = tcase_create("all");
	tcase_set_timeout(t, 60);
	tcase_add_test(t, main_mode_and_quick_mode);
	tcase_add_test(t, quick_mode_pfs_tunnel);
	tcase_add_test(t, pfs_required_but_not_offered_fails);
	tcase_add_test(t, aggressive_mode_and_quick_mode);
	tcase_add_test(t, wrong_psk_fails_and_times_out);
	tcase_add_test(t, no_proposal_chosen);
	tcase_add_test(t, lost_and_duplicated_packets);
	tcase_add_test(t, delete_ph1_keeps_ipsec_sas);
	tcase_add_test(t, shutdown_sends_deletes);
	tcase_add_test(t, admin_delete_ipsec_sa);
	tcase_add_test(t, glue_receive_strips_the_natt_marker);
	tcase_add_test(t, bundles_esp_ipcomp_and_ah);
	tcase_add_test(t, proposal_check_lifetimes);
	tcase_add_test(t, dpd_r_u_there_is_answered);
	tcase_add_test(t, verify_identifier);
	tcase_add_test(t, ipv6_main_mode_and_quick_mode);
	tcase_add_test(t, commit_bit);
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
