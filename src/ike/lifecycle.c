/* lifecycle: retransmission, negotiation timeouts, lifetimes, rekey, delete. */
#include "ike/lifecycle.h"

#include <stdio.h>
#include <string.h>

#include "common/hexdump.h"
#include "conf/conf.h"
#include "ike/crypt.h"
#include "ike/info.h"
#include "ike/phase1.h"
#include "ike/phase2.h"
#include "ike/phase2/policy.h"
#include "ike/sa.h"

#define USEC 1000000ull

uint64_t ike_soft_usec(uint32_t lifetime_s, uint32_t jitter_rand)
{
	uint64_t life = (uint64_t)lifetime_s * USEC;
	uint64_t soft = life * IKE_SOFT_PERCENT / 100;
	uint64_t span = life * IKE_SOFT_JITTER_PERCENT / 100;
	return soft - (span ? jitter_rand % (span + 1) : 0);
}

static uint32_t jitter(struct ike_engine *e)
{
	uint32_t r = 0;
	if (ike_rand(e, &r, sizeof(r)) < 0)
		r = 0;
	return r;
}

/* ---- Phase 1 -------------------------------------------------------------------- */

void ike_ph1_retransmit(struct ike_ph1 *p)
{
	struct ike_engine *e = p->eng;
	if (!p->x.left) {
		ike_ph1_fail(p, "no answer from the peer (retransmissions exhausted)");
		return;
	}
	p->x.left--;
	e->st.retransmits++;
	log_debug("ike", "Phase 1 retransmission (%u left)", p->x.left);
	ike_xmit_resend(e, &p->x, &p->local, &p->remote, p->cf.persend);
	ike_timer_arm(&e->timers, &p->t_retrans, (uint64_t)p->cf.interval_s * USEC);
}

void ike_ph1_negotiation_timeout(struct ike_ph1 *p)
{
	ike_ph1_fail(p, "Phase 1 negotiation timed out");
}

void ike_ph1_arm_lifetime(struct ike_ph1 *p)
{
	struct ike_engine *e = p->eng;
	uint32_t life = p->lifetime_s ? p->lifetime_s : p->cf.lifetime_s;
	p->lifetime_s = life;
	ike_timer_arm(&e->timers, &p->t_soft, ike_soft_usec(life, jitter(e)));
	ike_timer_arm(&e->timers, &p->t_hard, (uint64_t)life * USEC);
}

/* Soft: no new Quick Mode on this ISAKMP SA. A new one is negotiated only when IPsec
 * SAs still depend on it and rekey allows (rekey force: always). */
void ike_ph1_timer_soft(struct ike_timer *t, void *owner)
{
	struct ike_ph1 *p = owner;
	struct log_ctx c;
	ike_ph1_ctx(p, &c);
	log_ctx(LL_INFO, "ike", &c, LOG_MSGID_PH1_EXPIRED, "ISAKMP-SA expired (soft lifetime)");
	ike_ph1_set_state(p, PH1_EXPIRED);
	bool users = p->ph2s.next != &p->ph2s;
	if (p->initiator && !p->cf.passive &&
	    (p->cf.rekey == CONF_FORCE || (p->cf.rekey == CONF_ON && users)))
		ike_ph1_start(p->eng, &p->local, &p->remote, p->cf.name, NULL);
}

void ike_ph1_timer_hard(struct ike_timer *t, void *owner)
{
	ike_ph1_delete(owner, true, "hard lifetime");
}

void ike_ph1_delete(struct ike_ph1 *p, bool send_delete, const char *why)
{
	char a[ADDR_PORT_STRLEN], b[ADDR_PORT_STRLEN], ic[17], rc[17];
	struct log_ctx c;
	ike_ph1_ctx(p, &c);
	hex_encode(p->icookie, 8, ic, sizeof(ic));
	hex_encode(p->rcookie, 8, rc, sizeof(rc));
	bool up = p->state == PH1_ESTABLISHED || p->state == PH1_EXPIRED;
	if (send_delete && p->keyed && up)
		ike_info_send_delete_ph1(p);
	ike_emit_ph1(p, up ? IKE_EV_PH1_DOWN : IKE_EV_PH1_FAILED, why);
	log_ctx(LL_INFO, "ike", &c, LOG_MSGID_PH1_DELETED,
		"ISAKMP-SA deleted %s-%s spi:%s:%s (%s)", addr_ntop_port(&p->local, a),
		addr_ntop_port(&p->remote, b), ic, rc, why);
	ike_ph1_free(p);
}

void ike_ph1_fail(struct ike_ph1 *p, const char *why)
{
	char a[ADDR_PORT_STRLEN];
	struct log_ctx c;
	ike_ph1_ctx(p, &c);
	log_ctx(LL_ERROR, "ike", &c, LOG_MSGID_NEGOTIATION_FAILED,
		"phase 1 negotiation with %s failed in state %s: %s",
		addr_ntop_port(&p->remote, a), ike_state_name(p->state), why);
	ike_emit_ph1(p, IKE_EV_PH1_FAILED, why);
	ike_ph1_note_acquire_block(p);
	ike_ph1_free(p);
}

/* ---- Phase 2 -------------------------------------------------------------------- */

void ike_ph2_retransmit(struct ike_ph2 *q)
{
	struct ike_engine *e = q->eng;
	if (!q->ph1 || !q->x.left) {
		ike_ph2_fail(q, "no answer from the peer (retransmissions exhausted)");
		return;
	}
	q->x.left--;
	e->st.retransmits++;
	ike_xmit_resend(e, &q->x, &q->ph1->local, &q->ph1->remote, q->ph1->cf.persend);
	ike_timer_arm(&e->timers, &q->t_retrans, (uint64_t)q->ph1->cf.interval_s * USEC);
}

void ike_ph2_negotiation_timeout(struct ike_ph2 *q)
{
	ike_ph2_fail(q, "Quick Mode negotiation timed out");
}

void ike_ph2_arm_lifetime(struct ike_ph2 *q)
{
	struct ike_engine *e = q->eng;
	ike_timer_cancel(&e->timers, &q->t_neg);
	ike_timer_arm(&e->timers, &q->t_soft, ike_soft_usec(q->lifetime_s, jitter(e)));
	ike_timer_arm(&e->timers, &q->t_hard, (uint64_t)q->lifetime_s * USEC);
}

/* Soft: the initiator starts the replacement; the responder only marks it (the peer
 * rekeys, or traffic triggers a new ACQUIRE). */
void ike_ph2_timer_soft(struct ike_timer *t, void *owner)
{
	struct ike_ph2 *q = owner;
	struct log_ctx c;
	ike_ph2_ctx(q, &c);
	log_ctx(LL_INFO, "ike", &c, LOG_MSGID_PH2_EXPIRED, "IPsec-SA soft lifetime reached%s",
		q->initiator ? ": rekeying" : "");
	ike_ph2_set_state(q, PH2_EXPIRED);
	if (q->initiator && !q->replaced)
		ike_ph2_start(q->eng, &q->req, q);
}

void ike_ph2_timer_hard(struct ike_timer *t, void *owner)
{
	ike_ph2_delete(owner, true, "hard lifetime");
}

void ike_ph2_delete(struct ike_ph2 *q, bool send_delete, const char *why)
{
	struct ike_engine *e = q->eng;
	struct log_ctx c;
	ike_ph2_ctx(q, &c);
	bool up = q->state == PH2_ESTABLISHED || q->state == PH2_EXPIRED;
	/* -Z: no Delete at shutdown (the peer's kernel state stays), but an admin or
	 * lifetime delete tells the peer as a kernel-backed racoon would. */
	if (up && send_delete && (!e->o.no_kernel || !e->shutting_down))
		ike_info_send_delete_ph2(e, q);
	if (up || q->installed)
		ike_emit_ph2(q, IKE_EV_PH2_DOWN, why);
	if (up)
		ike_ph2_uninstall(q);
	if (up || q->installed)
		log_ctx(LL_INFO, "ike", &c, LOG_MSGID_PH2_DELETED, "IPsec-SA deleted: %s (%s)",
			q->np ? (q->p[0].proto == ISAKMP_PROTO_IPSEC_AH ? "AH" : "ESP") : "-", why);
	ike_ph2_free(q);
}

void ike_ph2_fail(struct ike_ph2 *q, const char *why)
{
	struct log_ctx c;
	char a[ADDR_PORT_STRLEN];
	ike_ph2_ctx(q, &c);
	log_ctx(LL_ERROR, "ike", &c, LOG_MSGID_NEGOTIATION_FAILED,
		"phase 2 negotiation with %s failed in state %s: %s",
		addr_ntop_port(&q->req.remote, a), ike_state_name(q->state), why);
	ike_emit_ph2(q, IKE_EV_PH2_FAILED, why);
	ike_ph2_note_acquire_block(q, why);
	ike_ph2_free(q);
}

/* ---- Local address loss --------------------------------------------------------- */

/* The peer still holds SAs with us: our next Phase 1 must send INITIAL-CONTACT so it
 * drops them. */
static void forget_contact(struct ike_engine *e, const union sockaddr_any *remote)
{
	struct ike_peer *peer = ike_peer_get(e, remote, false);
	if (!peer)
		return;
	peer->contacted = false;
	ike_peer_maybe_free(e, peer);
}

int ike_engine_local_address_gone(struct ike_engine *e, const union sockaddr_any *addr)
{
	char a[ADDR_STRLEN], why[ADDR_STRLEN + 32];
	snprintf(why, sizeof(why), "local address %s removed", addr_ntop(addr, a));
	unsigned n1 = 0, n2 = 0;
	/* IPsec SAs first: they name the address themselves (req.local), also those whose
	 * ISAKMP SA is gone or still negotiating. */
	struct ike_link *l = e->ph2s.next;
	while (l != &e->ph2s) {
		struct ike_ph2 *q = ike_link_entry(l, struct ike_ph2, all);
		l = l->next; /* deleting q frees only q */
		if (!addr_equal(&q->req.local, addr))
			continue;
		forget_contact(e, &q->req.remote);
		ike_ph2_delete(q, false, why);
		n2++;
	}
	l = e->ph1s.next;
	while (l != &e->ph1s) {
		struct ike_ph1 *p = ike_link_entry(l, struct ike_ph1, all);
		l = l->next;
		if (!addr_equal(&p->local, addr))
			continue;
		forget_contact(e, &p->remote);
		ike_ph1_delete(p, false, why);
		n1++;
	}
	if (n1 || n2)
		log_info("ike", "%s: %u ISAKMP-SA and %u IPsec-SA removed (with their kernel SAs); "
				"traffic negotiates them again once an address fits the policies",
			 why, n1, n2);
	return (int)(n1 + n2);
}
