/* sa: creation, indexing, state changes and destruction of Phase 1 / Phase 2 objects. */
#include "ike/sa.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "event/event.h"
#include "ike/auth_sig.h"
#include "ike/lifecycle.h"
#include "ike/phase2.h"
#include "ike/phase2/policy.h"
#include "kernel/kernel.h"

void ike_link_init(struct ike_link *l)
{
	l->prev = l->next = l;
}

void ike_link_add(struct ike_link *head, struct ike_link *l)
{
	l->next = head->next;
	l->prev = head;
	head->next->prev = l;
	head->next = l;
}

void ike_link_del(struct ike_link *l)
{
	if (!l->next)
		return;
	l->prev->next = l->next;
	l->next->prev = l->prev;
	l->prev = l->next = l;
}

/* ---- peers -------------------------------------------------------------------- */

struct ike_peer *ike_peer_get(struct ike_engine *e, const union sockaddr_any *a, bool create)
{
	size_t n;
	const uint8_t *b = addr_bytes(a, &n);
	if (!b)
		return NULL;
	uint64_t h = htab_hash(&e->peers, b, n);
	for (struct htab_node *x = htab_next(&e->peers, h, NULL); x; x = htab_next(&e->peers, h, x)) {
		struct ike_peer *p = htab_entry(x, struct ike_peer, node);
		if (addr_equal(&p->addr, a))
			return p;
	}
	if (!create)
		return NULL;
	struct ike_peer *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->addr = *a;
	addr_set_port(&p->addr, 0);
	ike_link_init(&p->ph1s);
	htab_insert(&e->peers, &p->node, h);
	return p;
}

/* Peers exist while they have SAs or half-open attempts: spoofed sources leave nothing. */
void ike_peer_maybe_free(struct ike_engine *e, struct ike_peer *p)
{
	if (!p || p->halfopen || p->contacted || p->ph1s.next != &p->ph1s)
		return;
	htab_remove(&e->peers, &p->node);
	free(p);
}

bool ike_halfopen_take(struct ike_engine *e, const union sockaddr_any *remote)
{
	unsigned per = e->o.max_halfopen_per_peer, tot = e->o.max_halfopen_total;
	if (e->halfopen >= tot)
		return false;
	struct ike_peer *p = ike_peer_get(e, remote, true);
	if (!p)
		return false;
	if (p->halfopen >= per) {
		ike_peer_maybe_free(e, p);
		return false;
	}
	p->halfopen++;
	e->halfopen++;
	return true;
}

void ike_halfopen_release(struct ike_ph1 *p)
{
	if (!p->halfopen)
		return;
	p->halfopen = false;
	struct ike_engine *e = p->eng;
	e->halfopen--;
	struct ike_peer *peer = p->peer ? p->peer : ike_peer_get(e, &p->remote, false);
	if (peer && peer->halfopen)
		peer->halfopen--;
	if (!p->peer)
		ike_peer_maybe_free(e, peer);
}

/* ---- Phase 1 ------------------------------------------------------------------- */

static void ph1_timer_retrans(struct ike_timer *t, void *owner);
static void ph1_timer_neg(struct ike_timer *t, void *owner);

struct ike_ph1 *ike_ph1_new(struct ike_engine *e, bool initiator, const union sockaddr_any *local,
			    const union sockaddr_any *remote)
{
	struct ike_ph1 *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->eng = e;
	p->initiator = initiator;
	p->local = *local;
	p->remote = *remote;
	p->created = event_now_usec();
	ike_link_init(&p->ph2s);
	p->peer = ike_peer_get(e, remote, true);
	if (!p->peer) {
		free(p);
		return NULL;
	}
	ike_link_add(&p->peer->ph1s, &p->by_peer);
	ike_timer_init(&p->t_retrans, ph1_timer_retrans, p, "retransmit");
	ike_timer_init(&p->t_neg, ph1_timer_neg, p, "negotiation");
	ike_timer_init(&p->t_soft, ike_ph1_timer_soft, p, "soft lifetime");
	ike_timer_init(&p->t_hard, ike_ph1_timer_hard, p, "hard lifetime");
	ike_dpd_init(p);
	uint8_t *own = initiator ? p->icookie : p->rcookie;
	do {
		if (ike_rand(e, own, 8) < 0) {
			ike_link_del(&p->by_peer);
			ike_peer_maybe_free(e, p->peer);
			free(p);
			return NULL;
		}
	} while (!memcmp(own, "\0\0\0\0\0\0\0\0", 8));
	ike_link_add(&e->ph1s, &p->all);
	e->st.ph1++;
	return p;
}

static void ph1_index_icookie(struct ike_ph1 *p)
{
	struct ike_engine *e = p->eng;
	htab_insert(&e->by_icookie, &p->n_icookie, htab_hash(&e->by_icookie, p->icookie, 8));
	p->in_icookie = true;
}

static void ph1_index_cookies(struct ike_ph1 *p)
{
	struct ike_engine *e = p->eng;
	htab_insert(&e->by_cookies, &p->n_cookies, htab_hash(&e->by_cookies, p->icookie, 16));
	p->in_cookies = true;
}

/* The initiator learns CKY-R from the first answer; the responder knows both at once. */
void ike_ph1_set_rcookie(struct ike_ph1 *p, const uint8_t rcookie[8])
{
	if (p->in_cookies)
		htab_remove(&p->eng->by_cookies, &p->n_cookies);
	memcpy(p->rcookie, rcookie, 8);
	ph1_index_cookies(p);
}

/* Called once the cookies are set (initiator: CKY-I; responder: both). */
void ike_ph1_index(struct ike_ph1 *p)
{
	ph1_index_icookie(p);
	if (memcmp(p->rcookie, "\0\0\0\0\0\0\0\0", 8))
		ph1_index_cookies(p);
}

struct ike_ph1 *ike_ph1_by_cookies(struct ike_engine *e, const uint8_t ic[8], const uint8_t rc[8])
{
	uint8_t k[16];
	memcpy(k, ic, 8);
	memcpy(k + 8, rc, 8);
	uint64_t h = htab_hash(&e->by_cookies, k, 16);
	for (struct htab_node *x = htab_next(&e->by_cookies, h, NULL); x;
	     x = htab_next(&e->by_cookies, h, x)) {
		struct ike_ph1 *p = htab_entry(x, struct ike_ph1, n_cookies);
		if (!memcmp(p->icookie, ic, 8) && !memcmp(p->rcookie, rc, 8) && !p->dead)
			return p;
	}
	return NULL;
}

struct ike_ph1 *ike_ph1_by_icookie(struct ike_engine *e, const uint8_t ic[8],
				   const union sockaddr_any *remote)
{
	uint64_t h = htab_hash(&e->by_icookie, ic, 8);
	for (struct htab_node *x = htab_next(&e->by_icookie, h, NULL); x;
	     x = htab_next(&e->by_icookie, h, x)) {
		struct ike_ph1 *p = htab_entry(x, struct ike_ph1, n_icookie);
		if (!memcmp(p->icookie, ic, 8) && addr_equal_port(&p->remote, remote) && !p->dead)
			return p;
	}
	return NULL;
}

/* A walk over this peer's ISAKMP SAs only. */
struct ike_ph1 *ike_ph1_find_established(struct ike_engine *e, const union sockaddr_any *local,
					 const union sockaddr_any *remote)
{
	struct ike_ph1 *best = NULL;
	struct ike_peer *peer = ike_peer_get(e, remote, false);
	if (!peer)
		return NULL;
	for (struct ike_link *l = peer->ph1s.next; l != &peer->ph1s; l = l->next) {
		struct ike_ph1 *p = ike_link_entry(l, struct ike_ph1, by_peer);
		if (p->state != PH1_ESTABLISHED || p->dead || !addr_equal(&p->remote, remote))
			continue;
		if (local && !addr_is_any(local) && !addr_equal(&p->local, local))
			continue;
		if (!best || p->created > best->created)
			best = p;
	}
	return best;
}

void ike_ph1_set_state(struct ike_ph1 *p, enum ike_state to)
{
	if (p->state == to)
		return;
	struct log_ctx c;
	ike_ph1_ctx(p, &c);
	log_ctx(LL_DEBUG, "ike", &c, NULL, "ISAKMP-SA state %s -> %s", ike_state_name(p->state),
		ike_state_name(to));
	p->state = to;
}

bool ike_ph1_msgid_seen(struct ike_ph1 *p, uint32_t msgid)
{
	for (unsigned i = 0; i < IKE_RECENT_MSGIDS; i++)
		if (p->recent_msgid[i] == msgid)
			return true;
	return false;
}

void ike_ph1_msgid_remember(struct ike_ph1 *p, uint32_t msgid)
{
	p->recent_msgid[p->recent_pos++ % IKE_RECENT_MSGIDS] = msgid;
}

void ike_ph1_conf_free(struct ike_ph1_conf *c)
{
	free(c->name);
	c->name = NULL;
	buf_free(&c->my_id);
	for (unsigned i = 0; i < c->n_peers_id; i++)
		buf_free(&c->peers_id[i].data);
	c->n_peers_id = 0;
	char **paths[] = { &c->my_cert, &c->my_privkey, &c->ca_file, &c->ca_dir, &c->peers_certfile };
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		free(*paths[i]);
		*paths[i] = NULL;
	}
}

static void ph1_wipe(struct ike_ph1 *p)
{
	struct buf *bs[] = { &p->sa_i_b, &p->dh_priv, &p->dh_pub, &p->dh_peer, &p->gxy,
			     &p->ni, &p->nr, &p->id_i_b, &p->id_r_b, &p->skeyid, &p->enc_key,
			     &p->peer_id, &p->x.last_sent };
	for (size_t i = 0; i < sizeof(bs) / sizeof(bs[0]); i++)
		buf_free(bs[i]);
	oakley_keys_free(&p->keys);
	buf_wipe(&p->iv, sizeof(p->iv));
	ike_sig_free(p);
}

void ike_ph1_free(struct ike_ph1 *p)
{
	struct ike_engine *e = p->eng;
	struct ike_timers *ts = &e->timers;
	ike_timer_cancel(ts, &p->t_retrans);
	ike_timer_cancel(ts, &p->t_neg);
	ike_timer_cancel(ts, &p->t_soft);
	ike_timer_cancel(ts, &p->t_hard);
	ike_dpd_stop(p);
	/* Negotiations under it cannot finish; established IPsec SAs live on (IKEv1). */
	while (p->ph2s.next != &p->ph2s) {
		struct ike_ph2 *q = ike_link_entry(p->ph2s.next, struct ike_ph2, in_ph1);
		if (q->state == PH2_ESTABLISHED || q->state == PH2_EXPIRED)
			ike_ph2_detach(q);
		else
			ike_ph2_free(q);
	}
	ike_halfopen_release(p);
	ike_link_del(&p->by_peer);
	ike_peer_maybe_free(e, p->peer);
	if (p->in_cookies)
		htab_remove(&e->by_cookies, &p->n_cookies);
	if (p->in_icookie)
		htab_remove(&e->by_icookie, &p->n_icookie);
	ike_link_del(&p->all);
	if (p->state == PH1_ESTABLISHED || p->state == PH1_EXPIRED)
		e->st.ph1_established--;
	e->st.ph1--;
	ike_ph1_conf_free(&p->cf);
	ph1_wipe(p);
	free(p);
}

static void ph1_timer_retrans(struct ike_timer *t, void *owner)
{
	ike_ph1_retransmit(owner);
}

static void ph1_timer_neg(struct ike_timer *t, void *owner)
{
	ike_ph1_negotiation_timeout(owner);
}

/* ---- Phase 2 ------------------------------------------------------------------- */

static void ph2_timer_retrans(struct ike_timer *t, void *owner)
{
	ike_ph2_retransmit(owner);
}

static void ph2_timer_neg(struct ike_timer *t, void *owner)
{
	ike_ph2_negotiation_timeout(owner);
}

struct ike_ph2 *ike_ph2_new(struct ike_engine *e, struct ike_ph1 *ph1, bool initiator)
{
	struct ike_ph2 *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->eng = e;
	p->initiator = initiator;
	p->created = event_now_usec();
	ike_link_init(&p->in_ph1);
	if (ph1) {
		p->ph1 = ph1;
		ike_link_add(&ph1->ph2s, &p->in_ph1);
		memcpy(p->ck, ph1->icookie, 8);
		memcpy(p->ck + 8, ph1->rcookie, 8);
	}
	ike_timer_init(&p->t_retrans, ph2_timer_retrans, p, "retransmit");
	ike_timer_init(&p->t_neg, ph2_timer_neg, p, "negotiation");
	ike_timer_init(&p->t_soft, ike_ph2_timer_soft, p, "soft lifetime");
	ike_timer_init(&p->t_hard, ike_ph2_timer_hard, p, "hard lifetime");
	ike_link_add(&e->ph2s, &p->all);
	e->st.ph2++;
	return p;
}

static uint64_t msgid_key(const struct ike_engine *e, const uint8_t ck[16], uint32_t msgid)
{
	uint8_t k[20];
	memcpy(k, ck, 16);
	memcpy(k + 16, &msgid, 4);
	return htab_hash(&e->by_msgid, k, 20);
}

/* Binds the negotiation to the ISAKMP SA's cookies (which the message carries) and M-ID. */
void ike_ph2_set_msgid(struct ike_ph2 *p, uint32_t msgid)
{
	struct ike_engine *e = p->eng;
	if (p->in_msgid)
		htab_remove(&e->by_msgid, &p->n_msgid);
	if (p->ph1) {
		memcpy(p->ck, p->ph1->icookie, 8);
		memcpy(p->ck + 8, p->ph1->rcookie, 8);
	}
	p->msgid = msgid;
	htab_insert(&e->by_msgid, &p->n_msgid, msgid_key(e, p->ck, msgid));
	p->in_msgid = true;
}

struct ike_ph2 *ike_ph2_by_msgid(struct ike_engine *e, const uint8_t ck[16], uint32_t msgid)
{
	uint64_t h = msgid_key(e, ck, msgid);
	for (struct htab_node *x = htab_next(&e->by_msgid, h, NULL); x;
	     x = htab_next(&e->by_msgid, h, x)) {
		struct ike_ph2 *p = htab_entry(x, struct ike_ph2, n_msgid);
		if (p->msgid == msgid && !memcmp(p->ck, ck, 16) && !p->dead)
			return p;
	}
	return NULL;
}

static uint64_t spi_key(const struct ike_engine *e, uint32_t spi, uint8_t proto, bool out)
{
	uint8_t k[6] = { (uint8_t)(spi >> 24), (uint8_t)(spi >> 16), (uint8_t)(spi >> 8),
			 (uint8_t)spi, proto, out };
	return htab_hash(&e->by_spi, k, sizeof(k));
}

void ike_ph2_index_spis(struct ike_ph2 *p)
{
	struct ike_engine *e = p->eng;
	for (unsigned i = 0; i < p->np; i++) {
		struct ike_ph2_proto *q = &p->p[i];
		if (q->indexed)
			continue;
		q->owner = p;
		htab_insert(&e->by_spi, &q->n_in, spi_key(e, q->spi_in, q->proto, false));
		htab_insert(&e->by_spi, &q->n_out, spi_key(e, q->spi_out, q->proto, true));
		q->indexed = true;
	}
}

struct ike_ph2 *ike_ph2_by_spi(struct ike_engine *e, uint32_t spi, uint8_t proto, bool out,
			       unsigned *idx)
{
	uint64_t h = spi_key(e, spi, proto, out);
	for (struct htab_node *x = htab_next(&e->by_spi, h, NULL); x; x = htab_next(&e->by_spi, h, x)) {
		struct ike_ph2_proto *q = out ? htab_entry(x, struct ike_ph2_proto, n_out)
					      : htab_entry(x, struct ike_ph2_proto, n_in);
		if (q->proto != proto || (out ? q->spi_out : q->spi_in) != spi || q->owner->dead)
			continue;
		if (idx)
			*idx = (unsigned)(q - q->owner->p);
		return q->owner;
	}
	return NULL;
}

void ike_ph2_set_state(struct ike_ph2 *p, enum ike_state to)
{
	if (p->state == to)
		return;
	struct log_ctx c;
	ike_ph2_ctx(p, &c);
	log_ctx(LL_DEBUG, "ike", &c, NULL, "IPsec-SA negotiation %08x state %s -> %s", p->msgid,
		ike_state_name(p->state), ike_state_name(to));
	if (to == PH2_ESTABLISHED && p->state != PH2_ESTABLISHED)
		p->eng->st.ph2_established++;
	if (p->state == PH2_ESTABLISHED && to != PH2_ESTABLISHED)
		p->eng->st.ph2_established--;
	p->state = to;
}

void ike_ph2_detach(struct ike_ph2 *p)
{
	ike_link_del(&p->in_ph1);
	p->ph1 = NULL;
}

void ike_ph2_free(struct ike_ph2 *p)
{
	struct ike_engine *e = p->eng;
	if (p->in_installed && !p->installed)
		ike_ph2_uninstall(p); /* died between QM2 and QM3: no half bundle left */
	ike_ph2_policy_release(p);
	ike_timer_cancel(&e->timers, &p->t_retrans);
	ike_timer_cancel(&e->timers, &p->t_neg);
	ike_timer_cancel(&e->timers, &p->t_soft);
	ike_timer_cancel(&e->timers, &p->t_hard);
	for (unsigned i = 0; i < p->np; i++) {
		struct ike_ph2_proto *q = &p->p[i];
		if (q->spi_req > 0 && e->o.kernel)
			kernel_cancel(e->o.kernel, q->spi_req);
		if (q->indexed) {
			htab_remove(&e->by_spi, &q->n_in);
			htab_remove(&e->by_spi, &q->n_out);
		}
	}
	/* Neither end of a rekey may point at a freed SA. */
	if (p->rekey_by)
		p->rekey_by->rekey_of = NULL;
	if (p->rekey_of)
		p->rekey_of->rekey_by = NULL;
	if (p->in_msgid)
		htab_remove(&e->by_msgid, &p->n_msgid);
	ike_link_del(&p->in_ph1);
	ike_link_del(&p->all);
	if (p->state == PH2_ESTABLISHED)
		e->st.ph2_established--;
	e->st.ph2--;
	struct buf *bs[] = { &p->dh_priv, &p->dh_pub, &p->dh_peer, &p->gxy, &p->ni, &p->nr,
			     &p->idci, &p->idcr, &p->sa_b, &p->x.last_sent };
	for (size_t i = 0; i < sizeof(bs) / sizeof(bs[0]); i++)
		buf_free(bs[i]);
	buf_wipe(&p->iv, sizeof(p->iv));
	free(p);
}
