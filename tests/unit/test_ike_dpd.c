/* Unit tests: Dead Peer Detection probing (RFC 3706) on a fake clock: probes after
 * silence, ACKs, liveness from traffic, dead peers and what goes with them, hostile ACKs. */
#include "ike_harness.h"

#include "ike/crypt.h"
#include "ike/hashmsg.h"
#include "ike/info.h"
#include "ike/sa.h"
#include "isakmp/build.h"
#include "isakmp/isakmp.h"

#define DPD_10_5_3 " dpd_delay 10;\n dpd_retry 5;\n dpd_maxfail 3;\n"
#define CONF_A_DPD H_CONF_HEAD_X("198.51.100.2", "main", "modp2048", DPD_10_5_3) H_SAINFO("")
#define CONF_B_DPD H_CONF_HEAD_X("198.51.100.1", "main", "modp2048", DPD_10_5_3) H_SAINFO("")
#define CONF_A H_CONF_HEAD("198.51.100.2", "main", "modp2048") H_SAINFO("")
#define CONF_B H_CONF_HEAD("198.51.100.1", "main", "modp2048") H_SAINFO("")
#define CONF_B_NO_VID H_CONF_HEAD_X("198.51.100.1", "main", "modp2048", " dpd off;\n") H_SAINFO("")

static void establish(struct h_world *w)
{
	struct ike_ph2_request r = h_req(w, false);
	ck_assert_int_eq(ike_engine_initiate_ph2(w->a.e, &r), 0);
	h_pump(w);
	ck_assert_uint_eq(h_counts(w->a.e).ph2_up, 1);
	ck_assert_uint_eq(h_counts(w->b.e).ph2_up, 1);
}

static struct ike_ph1 *ph1_of(struct h_peer *p)
{
	ck_assert_ptr_ne(p->e->ph1s.next, &p->e->ph1s);
	return ike_link_entry(p->e->ph1s.next, struct ike_ph1, all);
}

/* The peer is silent: whatever was sent is lost. */
static void lose_all(struct h_world *w)
{
	w->nq = 0;
}

static void be32(uint32_t v, uint8_t out[4])
{
	out[0] = (uint8_t)(v >> 24), out[1] = (uint8_t)(v >> 16);
	out[2] = (uint8_t)(v >> 8), out[3] = (uint8_t)v;
}

/* An informational message with one notify under p's keys, as p's engine would send it
 * but with any SPI and data, with or without HASH(1). Returns its length in out. */
static size_t forge_info(struct ike_ph1 *p, uint16_t type, const uint8_t *spi, uint8_t spi_len,
			 const uint8_t *data, size_t len, bool with_hash, uint32_t msgid,
			 uint8_t *out, size_t cap)
{
	struct isakmp_builder b;
	struct buf msg = { 0 };
	uint8_t ck[16];
	size_t hoff = 0, hl = p->hash->digest_len;
	memcpy(ck, p->icookie, 8);
	memcpy(ck + 8, p->rcookie, 8);
	if (with_hash) {
		ck_assert_int_eq(ike_msg_begin_hashed(&b, &msg, ck, ISAKMP_EXCH_INFO, msgid, hl,
						      &hoff), 0);
	} else {
		struct isakmp_hdr h = { .version = ISAKMP_VERSION, .exchange = ISAKMP_EXCH_INFO,
					.msgid = msgid };
		memcpy(h.icookie, ck, 8);
		memcpy(h.rcookie, ck + 8, 8);
		ck_assert_int_eq(buf_init(&msg, 2048), 0);
		ck_assert_int_eq(isakmp_build_init(&b, &msg, &h), 0);
	}
	isakmp_build_notify(&b, ISAKMP_DOI_IPSEC, ISAKMP_PROTO_ISAKMP, type, spi, spi_len, data,
			    len);
	ck_assert_int_eq(isakmp_build_finish(&b), 0);
	if (with_hash) {
		struct buf rest = ike_msg_rest_after(&msg, hoff, hl);
		ck_assert_int_ge(oakley_qm_hash1(p->hash, &p->keys.a, msgid, &rest,
						 msg.ptr + hoff), 0);
	}
	struct oakley_iv iv;
	ck_assert_int_eq(oakley_iv_msgid(p->hash, &p->iv, msgid, &iv), 0);
	ck_assert_int_eq(ike_encrypt_msg(p->cipher, &p->enc_key, &iv, &msg), 0);
	ck_assert_uint_le(msg.len, cap);
	memcpy(out, msg.ptr, msg.len);
	size_t n = msg.len;
	buf_free(&msg);
	return n;
}

/* A: the prober; after dpd_delay of silence one R-U-THERE, B's ACK resets the count,
 * and the next probe after another dpd_delay carries the next sequence number. */
START_TEST(probe_after_idle_and_ack_resets)
{
	struct h_world w;
	h_init(&w, CONF_A_DPD, CONF_B, "secret", "secret");
	establish(&w);
	struct ike_ph1 *pa = ph1_of(&w.a);
	ck_assert(pa->dpd.on);
	ck_assert(!ph1_of(&w.b)->dpd.on); /* B: dpd_delay 0 */
	unsigned sa = w.a.sent, sb = w.b.sent;
	h_advance(&w, 9);
	ck_assert_uint_eq(w.nq, 0);
	ck_assert_uint_eq(w.a.sent, sa);
	h_advance(&w, 1);
	ck_assert_uint_eq(w.nq, 1);
	ck_assert_uint_eq(w.a.sent, sa + 1);
	ck_assert_uint_eq(w.q[0].data[18], ISAKMP_EXCH_INFO);
	ck_assert_uint_eq(pa->dpd.fails, 1);
	uint32_t seq0 = pa->dpd.seq_first;
	unsigned long d0 = h_dropped(w.a.e);
	ck_assert(h_step(&w));              /* B answers */
	ck_assert_uint_eq(w.b.sent, sb + 1);
	ck_assert(h_step(&w));              /* A takes the ACK */
	ck_assert_uint_eq(pa->dpd.fails, 0);
	ck_assert_uint_eq(h_dropped(w.a.e), d0);
	/* the retry deadline passes without a probe: the peer answered */
	h_advance(&w, 5);
	ck_assert_uint_eq(w.nq, 0);
	h_advance(&w, 5);
	ck_assert_uint_eq(w.nq, 1);
	ck_assert_uint_eq(pa->dpd.seq_first, seq0 + 1);
	h_pump(&w);
	ck_assert_uint_eq(pa->dpd.fails, 0);
	ck_assert_uint_eq(h_counts(w.a.e).ph2_up, 1);
	ck_assert_uint_eq(h_counts(w.b.e).ph2_up, 1);
	h_fini(&w);
}
END_TEST

/* The responder probes as well (each side by its own dpd_delay). */
START_TEST(responder_probes_too)
{
	struct h_world w;
	h_init(&w, CONF_A, CONF_B_DPD, "secret", "secret");
	establish(&w);
	struct ike_ph1 *pb = ph1_of(&w.b);
	ck_assert(pb->dpd.on);
	unsigned sa = w.a.sent, sb = w.b.sent;
	h_advance(&w, 10);
	ck_assert_uint_eq(w.b.sent, sb + 1);
	ck_assert_uint_eq(pb->dpd.fails, 1);
	h_pump(&w);
	ck_assert_uint_eq(w.a.sent, sa + 1); /* A's ACK */
	ck_assert_uint_eq(pb->dpd.fails, 0);
	h_fini(&w);
}
END_TEST

static char down_why[128];
static unsigned downs;

static void on_event(void *ud, const struct ike_event *ev)
{
	if (ev->type != IKE_EV_PH1_DOWN)
		return;
	downs++;
	snprintf(down_why, sizeof(down_why), "%s", ev->why ? ev->why : "");
}

/* B stops answering: after dpd_maxfail probes (and dpd_retry more) A removes the
 * ISAKMP SA and its IPsec SAs, in the kernel too, without sending anything. A new
 * negotiation (as an ACQUIRE would start) carries INITIAL-CONTACT, so B drops the
 * stale SAs it still holds. */
START_TEST(maxfail_unanswered_probes_remove_the_sas)
{
	struct h_world w;
	h_init(&w, CONF_A_DPD, CONF_B, "secret", "secret");
	establish(&w);
	downs = 0;
	ike_engine_set_event_hook(w.a.e, on_event, NULL);
	ck_assert_uint_eq(kernel_mock_sa_count(w.a.k), 2);
	unsigned sa = w.a.sent;
	h_advance(&w, 10);                  /* probe 1 */
	lose_all(&w);
	h_advance(&w, 5);                   /* probe 2 */
	lose_all(&w);
	h_advance(&w, 5);                   /* probe 3 */
	lose_all(&w);
	ck_assert_uint_eq(w.a.sent, sa + 3);
	ck_assert_uint_eq(ph1_of(&w.a)->dpd.fails, 3);
	h_advance(&w, 4);
	ck_assert_uint_eq(h_counts(w.a.e).ph1_up, 1); /* not before dpd_retry is over */
	ck_assert_uint_eq(downs, 0);
	h_advance(&w, 1);
	struct h_count a = h_counts(w.a.e);
	ck_assert_uint_eq(a.ph1, 0);
	ck_assert_uint_eq(a.ph2, 0);
	ck_assert_uint_eq(kernel_mock_sa_count(w.a.k), 0);
	ck_assert_uint_eq(w.a.sent, sa + 3); /* no Delete to a dead peer */
	ck_assert_uint_eq(w.nq, 0);
	struct ike_stats st;
	ike_engine_stats(w.a.e, &st);
	ck_assert_uint_eq(st.ph1, 0);
	ck_assert_uint_eq(st.ph1_established, 0);
	ck_assert_uint_eq(st.ph2, 0);
	ck_assert_uint_eq(st.ph2_established, 0);
	ck_assert_uint_eq(downs, 1);
	ck_assert_str_eq(down_why, "dead peer (DPD)");
	ck_assert_uint_eq(h_counts(w.b.e).ph2_up, 1); /* B knows nothing of it */
	/* traffic again: a new negotiation, and B is left with one pair */
	establish(&w);
	struct h_count b = h_counts(w.b.e);
	ck_assert_uint_eq(b.ph1, 1);
	ck_assert_uint_eq(b.ph2, 1);
	ck_assert_uint_eq(kernel_mock_sa_count(w.a.k), 2);
	ck_assert_uint_eq(kernel_mock_sa_count(w.b.k), 3); /* + h_init's larval one */
	struct h_count a2 = h_counts(w.a.e);
	ck_assert_uint_eq(a2.last.sa[0].spi_in, b.last.sa[0].spi_out);
	ck_assert_uint_eq(a2.last.sa[0].spi_out, b.last.sa[0].spi_in);
	h_fini(&w);
}
END_TEST

/* ACKs that do not answer an unanswered probe change nothing; a late answer to an
 * earlier probe of the same round still proves liveness. */
START_TEST(ack_sequence_and_cookies_checked)
{
	struct h_world w;
	uint8_t m[1024], seq[4];
	h_init(&w, CONF_A_DPD, CONF_B, "secret", "secret");
	establish(&w);
	struct ike_ph1 *pa = ph1_of(&w.a), *pb = ph1_of(&w.b);
	h_advance(&w, 10);
	lose_all(&w);
	ck_assert_uint_eq(pa->dpd.fails, 1);
	uint32_t s = pa->dpd.seq_first;
	/* wrong sequence numbers: the next one, an old one */
	be32(s + 1, seq);
	ike_info_send_notify_data(pb, ISAKMP_N_R_U_THERE_ACK, seq, 4);
	be32(s - 1, seq);
	ike_info_send_notify_data(pb, ISAKMP_N_R_U_THERE_ACK, seq, 4);
	ck_assert_uint_eq(w.nq, 2);
	h_pump(&w);
	ck_assert_uint_eq(pa->dpd.fails, 1);
	/* the right number under other cookies */
	uint8_t other[16];
	memset(other, 0x5a, sizeof(other));
	be32(s, seq);
	h_inject(&w.a, "198.51.100.2", m,
		 forge_info(pb, ISAKMP_N_R_U_THERE_ACK, other, 16, seq, 4, true, 0x10001, m,
			    sizeof(m)));
	ck_assert_uint_eq(pa->dpd.fails, 1);
	/* a second probe; then the late ACK of the first */
	h_advance(&w, 5);
	lose_all(&w);
	ck_assert_uint_eq(pa->dpd.fails, 2);
	ike_info_send_notify_data(pb, ISAKMP_N_R_U_THERE_ACK, seq, 4);
	h_pump(&w);
	ck_assert_uint_eq(pa->dpd.fails, 0);
	/* once answered, the same ACK again is not expected */
	ike_info_send_notify_data(pb, ISAKMP_N_R_U_THERE_ACK, seq, 4);
	h_pump(&w);
	h_advance(&w, 10);
	lose_all(&w);
	ck_assert_uint_eq(pa->dpd.fails, 1);
	be32(s, seq);
	ike_info_send_notify_data(pb, ISAKMP_N_R_U_THERE_ACK, seq, 4);
	h_pump(&w);
	ck_assert_uint_eq(pa->dpd.fails, 1);
	h_fini(&w);
}
END_TEST

/* Hostile ACKs: no HASH, in clear, short data, short SPI. Ignored, nothing crashes, the
 * count stays; the SA still works. */
START_TEST(hostile_acks_ignored)
{
	struct h_world w;
	uint8_t m[1024], seq[4], ck[16];
	h_init(&w, CONF_A_DPD, CONF_B, "secret", "secret");
	establish(&w);
	struct ike_ph1 *pa = ph1_of(&w.a), *pb = ph1_of(&w.b);
	h_advance(&w, 10);
	lose_all(&w);
	ck_assert_uint_eq(pa->dpd.fails, 1);
	be32(pa->dpd.seq_first, seq);
	memcpy(ck, pa->icookie, 8);
	memcpy(ck + 8, pa->rcookie, 8);
	unsigned long d0 = h_dropped(w.a.e);
	/* encrypted, right cookies and sequence, but no HASH(1) */
	h_inject(&w.a, "198.51.100.2", m,
		 forge_info(pb, ISAKMP_N_R_U_THERE_ACK, ck, 16, seq, 4, false, 0x20001, m,
			    sizeof(m)));
	ck_assert_uint_eq(h_dropped(w.a.e), d0 + 1);
	/* in clear */
	struct isakmp_hdr h = { .version = ISAKMP_VERSION, .exchange = ISAKMP_EXCH_INFO,
				.msgid = 0x20002 };
	memcpy(h.icookie, ck, 8);
	memcpy(h.rcookie, ck + 8, 8);
	struct buf b;
	struct isakmp_builder bl;
	ck_assert_int_eq(buf_init(&b, 512), 0);
	isakmp_build_init(&bl, &b, &h);
	isakmp_build_notify(&bl, ISAKMP_DOI_IPSEC, ISAKMP_PROTO_ISAKMP, ISAKMP_N_R_U_THERE_ACK,
			    ck, 16, seq, 4);
	ck_assert_int_eq(isakmp_build_finish(&bl), 0);
	h_inject(&w.a, "198.51.100.2", b.ptr, b.len);
	buf_free(&b);
	ck_assert_uint_eq(h_dropped(w.a.e), d0 + 2);
	/* authenticated, but short data, no data, a short SPI */
	h_inject(&w.a, "198.51.100.2", m,
		 forge_info(pb, ISAKMP_N_R_U_THERE_ACK, ck, 16, seq, 2, true, 0x20003, m,
			    sizeof(m)));
	h_inject(&w.a, "198.51.100.2", m,
		 forge_info(pb, ISAKMP_N_R_U_THERE_ACK, ck, 16, NULL, 0, true, 0x20004, m,
			    sizeof(m)));
	h_inject(&w.a, "198.51.100.2", m,
		 forge_info(pb, ISAKMP_N_R_U_THERE_ACK, ck, 8, seq, 4, true, 0x20005, m,
			    sizeof(m)));
	/* from another address with everything right */
	h_inject(&w.a, "203.0.113.9", m,
		 forge_info(pb, ISAKMP_N_R_U_THERE_ACK, ck, 16, seq, 4, true, 0x20006, m,
			    sizeof(m)));
	ck_assert_uint_eq(pa->dpd.fails, 1);
	ck_assert_uint_eq(w.nq, 0);
	/* the real one */
	h_inject(&w.a, "198.51.100.2", m,
		 forge_info(pb, ISAKMP_N_R_U_THERE_ACK, ck, 16, seq, 4, true, 0x20007, m,
			    sizeof(m)));
	ck_assert_uint_eq(pa->dpd.fails, 0);
	ck_assert_uint_eq(h_counts(w.a.e).ph2_up, 1);
	h_fini(&w);
}
END_TEST

/* Authenticated IKE traffic from the peer (a Quick Mode it starts, its own R-U-THERE)
 * postpones the probe: dpd_delay counts from the last of it. An R-U-THERE whose number
 * is not newer than the peer's last does not. */
START_TEST(peer_traffic_postpones_the_probe)
{
	struct h_world w;
	h_init(&w, CONF_A_DPD, CONF_B, "secret", "secret");
	establish(&w);
	struct ike_ph1 *pa = ph1_of(&w.a), *pb = ph1_of(&w.b);
	h_advance(&w, 8);
	struct ike_ph2_request r = { .local = w.b.addr, .remote = w.a.addr, .esp = true,
				     .reqid = 9, .src = w.b.addr, .dst = w.a.addr };
	addr_set_port(&r.src, 0);
	addr_set_port(&r.dst, 0);
	r.src_plen = r.dst_plen = 32;
	ck_assert_int_eq(ike_engine_initiate_ph2(w.b.e, &r), 0);
	h_pump(&w);
	ck_assert_uint_eq(h_counts(w.a.e).ph2_up, 2);
	unsigned sa = w.a.sent;
	h_advance(&w, 9);                  /* 17 s: 9 s after B's Quick Mode */
	ck_assert_uint_eq(w.a.sent, sa);
	uint8_t seq[4] = { 0, 0, 0, 7 };
	ike_info_send_notify_data(pb, ISAKMP_N_R_U_THERE, seq, 4);
	h_pump(&w);                         /* A answers: 1 message */
	ck_assert_uint_eq(w.a.sent, sa + 1);
	h_advance(&w, 9);                  /* 26 s: 9 s after B's R-U-THERE */
	ck_assert_uint_eq(w.a.sent, sa + 1);
	ck_assert_uint_eq(pa->dpd.fails, 0);
	/* the same sequence number again (a replay): answered, but proves nothing */
	ike_info_send_notify_data(pb, ISAKMP_N_R_U_THERE, seq, 4);
	h_pump(&w);
	ck_assert_uint_eq(w.a.sent, sa + 2);
	h_advance(&w, 1);
	ck_assert_uint_eq(w.a.sent, sa + 3);
	ck_assert_uint_eq(pa->dpd.fails, 1);
	h_fini(&w);
}
END_TEST

/* No probes with dpd_delay 0 (the default), or when the peer did not advertise DPD. */
START_TEST(no_probes_without_delay_or_peer_support)
{
	struct h_world w;
	h_init(&w, CONF_A, CONF_B, "secret", "secret");
	establish(&w);
	ck_assert(!ph1_of(&w.a)->dpd.on);
	unsigned sa = w.a.sent, sb = w.b.sent;
	for (int i = 0; i < 12; i++)
		h_advance(&w, 10);
	ck_assert_uint_eq(w.a.sent, sa);
	ck_assert_uint_eq(w.b.sent, sb);
	h_fini(&w);

	h_init(&w, CONF_A_DPD, CONF_B_NO_VID, "secret", "secret");
	establish(&w);
	ck_assert(!ph1_of(&w.a)->vid_dpd);
	ck_assert(!ph1_of(&w.a)->dpd.on);
	sa = w.a.sent;
	for (int i = 0; i < 12; i++)
		h_advance(&w, 10);
	ck_assert_uint_eq(w.a.sent, sa);
	ck_assert_uint_eq(h_counts(w.a.e).ph1_up, 1);
	h_fini(&w);
}
END_TEST

/* A dead peer's SAs under another live ISAKMP SA with it stay: that one answers. */
START_TEST(dead_sa_beside_a_live_one)
{
	struct h_world w;
	h_init(&w, CONF_A_DPD, CONF_B, "secret", "secret");
	establish(&w);
	struct ike_ph1 *old = ph1_of(&w.a);
	/* a second ISAKMP SA and a Quick Mode under it (the newest is used) */
	ck_assert_int_eq(ike_engine_initiate_ph1(w.a.e, &w.a.addr, &w.b.addr, NULL), 0);
	h_pump(&w);
	ck_assert_uint_eq(h_counts(w.a.e).ph1_up, 2);
	struct ike_ph2_request r = h_req(&w, true);
	r.reqid = 11;
	ck_assert_int_eq(ike_engine_initiate_ph2(w.a.e, &r), 0);
	h_pump(&w);
	ck_assert_uint_eq(h_counts(w.a.e).ph2_up, 2);
	/* B forgets the old ISAKMP SA (a lost Delete): its probes go unanswered */
	struct ike_ph1 *bold = NULL;
	for (struct ike_link *l = w.b.e->ph1s.next; l != &w.b.e->ph1s; l = l->next) {
		struct ike_ph1 *x = ike_link_entry(l, struct ike_ph1, all);
		if (!memcmp(x->icookie, old->icookie, 8))
			bold = x;
	}
	ck_assert_ptr_nonnull(bold);
	ike_ph1_free(bold);
	for (int i = 0; i < 12; i++) {
		h_advance(&w, 5);
		h_pump(&w);
	}
	struct h_count a = h_counts(w.a.e);
	ck_assert_uint_eq(a.ph1, 1);
	ck_assert_uint_eq(a.ph2_up, 1);
	ck_assert_uint_eq(kernel_mock_sa_count(w.a.k), 2);
	ck_assert_uint_eq(h_counts(w.b.e).ph1_up, 1);
	h_fini(&w);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("ike_dpd");
	TCase *t = tcase_create("all");
	tcase_set_timeout(t, 60);
	tcase_add_test(t, probe_after_idle_and_ack_resets);
	tcase_add_test(t, responder_probes_too);
	tcase_add_test(t, maxfail_unanswered_probes_remove_the_sas);
	tcase_add_test(t, ack_sequence_and_cookies_checked);
	tcase_add_test(t, hostile_acks_ignored);
	tcase_add_test(t, peer_traffic_postpones_the_probe);
	tcase_add_test(t, no_probes_without_delay_or_peer_support);
	tcase_add_test(t, dead_sa_beside_a_live_one);
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
