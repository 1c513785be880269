/* dpd: R-U-THERE probes, their ACKs and the dead peer's clean-up (see ike/dpd.h). */
#include "ike/dpd.h"

#include <string.h>

#include "common/hexdump.h"
#include "event/event.h"
#include "ike/info.h"
#include "ike/lifecycle.h"
#include "ike/phase1.h"
#include "ike/sa.h"
#include "isakmp/isakmp.h"

#define USEC 1000000ull

static void tick(struct ike_timer *t, void *owner);

void ike_dpd_init(struct ike_ph1 *p)
{
	memset(&p->dpd, 0, sizeof(p->dpd));
	ike_timer_init(&p->dpd.t, tick, p, "dpd");
}

void ike_dpd_stop(struct ike_ph1 *p)
{
	ike_timer_cancel(&p->eng->timers, &p->dpd.t);
	p->dpd.on = false;
}

void ike_dpd_start(struct ike_ph1 *p)
{
	struct ike_dpd *d = &p->dpd;
	if (!p->cf.dpd_delay)
		return;
	if (!p->cf.dpd || !p->vid_dpd) {
		log_debug("ike", "DPD: dpd_delay %u but %s: no probes", p->cf.dpd_delay,
			  !p->cf.dpd ? "dpd off" : "the peer does not support DPD");
		return;
	}
	/* RFC 3706 7: a random first sequence number. */
	if (ike_rand(p->eng, &d->seq, sizeof(d->seq)) < 0)
		d->seq = (uint32_t)event_now_usec();
	d->on = true;
	d->fails = 0;
	d->last_rx = event_now_usec();
	ike_timer_arm(&p->eng->timers, &d->t, (uint64_t)p->cf.dpd_delay * USEC);
	log_debug("ike", "DPD: probing after %us of silence, every %us, dead after %u",
		  p->cf.dpd_delay, p->cf.dpd_retry, p->cf.dpd_maxfail);
}

void ike_dpd_alive(struct ike_ph1 *p)
{
	p->dpd.last_rx = event_now_usec();
	p->dpd.fails = 0;
}

void ike_dpd_peer_probe(struct ike_ph1 *p, const struct isakmp_notify_pl *n)
{
	struct ike_dpd *d = &p->dpd;
	if (n->spi_len != 16 || n->len != 4)
		return;
	uint32_t seq = (uint32_t)n->data[0] << 24 | (uint32_t)n->data[1] << 16 |
		       (uint32_t)n->data[2] << 8 | n->data[3];
	/* Serial number order (the peer's counter may wrap): only a newer one counts. */
	if (d->have_peer_seq && (int32_t)(seq - d->peer_seq) <= 0) {
		log_debug("ike", "DPD: the peer's R-U-THERE seq %u is not newer than %u: "
			  "no proof of liveness", seq, d->peer_seq);
		return;
	}
	d->peer_seq = seq;
	d->have_peer_seq = true;
	ike_dpd_alive(p);
}

/* Another established ISAKMP SA with the same peer: that one speaks for it. */
static bool other_sa_up(const struct ike_ph1 *p)
{
	const struct ike_link *head = &p->peer->ph1s;
	for (const struct ike_link *l = head->next; l != head; l = l->next) {
		const struct ike_ph1 *o = ike_link_entry(l, struct ike_ph1, by_peer);
		if (o != p && !o->dead && o->state == PH1_ESTABLISHED &&
		    addr_equal_port(&o->remote, &p->remote))
			return true;
	}
	return false;
}

static void dead(struct ike_ph1 *p)
{
	char a[ADDR_PORT_STRLEN], ic[17], rc[17];
	const char *why = "dead peer (DPD)";
	struct log_ctx c;
	ike_ph1_ctx(p, &c);
	hex_encode(p->icookie, 8, ic, sizeof(ic));
	hex_encode(p->rcookie, 8, rc, sizeof(rc));
	log_ctx(LL_WARNING, "ike", &c, LOG_MSGID_PH1_DEAD,
		"DPD: peer %s is dead: %u R-U-THERE unanswered (ISAKMP-SA spi:%s:%s); "
		"removing its SAs", addr_ntop_port(&p->remote, a), p->dpd.fails, ic, rc);
	if (!other_sa_up(p)) {
		/* Its state is lost to us: the next Phase 1 sends INITIAL-CONTACT, so that
		 * a peer that was only silent drops the SAs it still holds. */
		p->peer->contacted = false;
		ike_ph1_purge_others(p, why);
	}
	ike_ph1_delete_tree(p, why);
}

static void tick(struct ike_timer *t, void *owner)
{
	struct ike_ph1 *p = owner;
	struct ike_dpd *d = &p->dpd;
	struct ike_engine *e = p->eng;
	/* Expired: no more probes here; its replacement probes for itself. */
	if (!d->on || p->state != PH1_ESTABLISHED) {
		d->on = false;
		return;
	}
	uint64_t now = event_now_usec(), delay = (uint64_t)p->cf.dpd_delay * USEC;
	uint64_t quiet = now > d->last_rx ? now - d->last_rx : 0;
	if (!d->fails && quiet < delay) {
		ike_timer_arm(&e->timers, &d->t, delay - quiet);
		return;
	}
	if (d->fails >= p->cf.dpd_maxfail) {
		dead(p);
		return;
	}
	if (!d->fails)
		d->seq_first = d->seq;
	uint8_t seq[4] = { (uint8_t)(d->seq >> 24), (uint8_t)(d->seq >> 16),
			   (uint8_t)(d->seq >> 8), (uint8_t)d->seq };
	log_debug("ike", "DPD: sending R-U-THERE seq %u (%u of %u)", d->seq, d->fails + 1,
		  p->cf.dpd_maxfail);
	ike_info_send_notify_data(p, ISAKMP_N_R_U_THERE, seq, sizeof(seq));
	d->seq++;
	d->fails++;
	ike_timer_arm(&e->timers, &d->t, (uint64_t)p->cf.dpd_retry * USEC);
}

void ike_dpd_ack(struct ike_ph1 *p, const struct isakmp_notify_pl *n)
{
	struct ike_dpd *d = &p->dpd;
	if (n->spi_len != 16 || n->len != 4) {
		log_debug("ike", "DPD: R-U-THERE-ACK with a %u-byte SPI and %zu bytes of data "
			  "ignored", n->spi_len, n->len);
		return;
	}
	if (memcmp(n->spi, p->icookie, 8) || memcmp(n->spi + 8, p->rcookie, 8)) {
		log_debug("ike", "DPD: R-U-THERE-ACK for other cookies ignored");
		return;
	}
	uint32_t seq = (uint32_t)n->data[0] << 24 | (uint32_t)n->data[1] << 16 |
		       (uint32_t)n->data[2] << 8 | n->data[3];
	/* Any of the unanswered probes (a late answer still proves liveness); modular
	 * arithmetic, so a wrap of the counter does not matter. */
	if (!d->on || !d->fails || (uint32_t)(seq - d->seq_first) >= d->fails) {
		log_debug("ike", "DPD: R-U-THERE-ACK seq %u not expected (%u probes unanswered "
			  "from %u): ignored", seq, d->fails, d->seq_first);
		return;
	}
	log_debug("ike", "DPD: R-U-THERE-ACK seq %u: the peer is alive", seq);
	ike_dpd_alive(p);
}
