/* events: kernel events, admin delete and shutdown. */
#include <string.h>

#include "ike/info.h"
#include "ike/lifecycle.h"
#include "ike/phase2.h"
#include "ike/phase2/policy.h"
#include "ike/sa.h"
#include "kernel/kernel.h"

static uint8_t ike_proto(enum kernel_proto p)
{
	return p == KERNEL_PROTO_AH ? ISAKMP_PROTO_IPSEC_AH
	       : p == KERNEL_PROTO_COMP ? ISAKMP_PROTO_IPCOMP : ISAKMP_PROTO_IPSEC_ESP;
}

static void acquire(struct ike_engine *e, const struct kernel_event *ev)
{
	const struct kernel_policy *pol = &ev->u.acquire.policy;
	struct ike_ph2_request r = {
		.local = ev->u.acquire.src, .remote = ev->u.acquire.dst,
		.src = pol->sel.src, .dst = pol->sel.dst,
		.src_plen = pol->sel.src_plen, .dst_plen = pol->sel.dst_plen,
		.ulproto = pol->sel.proto, .sport = pol->sel.sport, .dport = pol->sel.dport,
		.tunnel = ev->u.acquire.tmpl.mode == KERNEL_MODE_TUNNEL,
		.reqid = ev->u.acquire.tmpl.reqid, .seq = ev->u.acquire.seq,
	};
	unsigned no = 0;
	for (size_t i = 0; i < pol->n_tmpl && i < KERNEL_MAX_TMPL; i++) {
		const struct kernel_tmpl *t = &pol->tmpl[i];
		r.esp |= t->proto == KERNEL_PROTO_ESP;
		r.ah |= t->proto == KERNEL_PROTO_AH;
		r.ipcomp |= t->proto == KERNEL_PROTO_COMP;
		uint8_t p = ike_proto(t->proto);
		bool seen = false;
		for (unsigned k = 0; k < no; k++)
			seen |= r.order[k] == p;
		if (seen || no >= sizeof(r.order))
			continue;
		/* templates run innermost first; the proposal lists the outermost first */
		memmove(r.order + 1, r.order, no++);
		r.order[0] = p;
		if (t->level == KERNEL_LEVEL_USE)
			r.optional |= (uint8_t)(1u << p);
	}
	if (!pol->n_tmpl) {
		r.esp = ev->u.acquire.tmpl.proto == KERNEL_PROTO_ESP;
		r.ah = ev->u.acquire.tmpl.proto == KERNEL_PROTO_AH;
	}
	addr_set_port(&r.local, 0);
	addr_set_port(&r.remote, 0);
	if (ike_acquire_is_duplicate(e, &r))
		return;
	ike_engine_initiate_ph2(e, &r);
}

static struct ike_ph2 *by_kernel_id(struct ike_engine *e, const struct kernel_sa_id *id)
{
	uint8_t proto = ike_proto(id->proto);
	struct ike_ph2 *q = ike_ph2_by_spi(e, id->spi, proto, false, NULL);
	if (q && addr_equal(&q->req.local, &id->dst))
		return q;
	q = ike_ph2_by_spi(e, id->spi, proto, true, NULL);
	if (q && addr_equal(&q->req.remote, &id->dst))
		return q;
	return NULL;
}

void ike_engine_kernel_event(struct ike_engine *e, const struct kernel_event *ev)
{
	struct ike_ph2 *q;
	switch (ev->type) {
	case KERNEL_EV_ACQUIRE:
		acquire(e, ev);
		break;
	case KERNEL_EV_EXPIRE_SOFT:
		/* A hint: bring our own soft deadline forward (the initiator then rekeys). */
		q = by_kernel_id(e, &ev->u.expire.id);
		if (q && q->state == PH2_ESTABLISHED)
			ike_timer_arm(&e->timers, &q->t_soft, 0);
		break;
	case KERNEL_EV_EXPIRE_HARD:
		q = by_kernel_id(e, &ev->u.expire.id);
		if (q)
			ike_ph2_delete(q, true, "the kernel expired the SA");
		break;
	default:
		break;
	}
}

int ike_engine_delete_ph1(struct ike_engine *e, const union sockaddr_any *remote)
{
	int n = 0;
	struct ike_link *l = e->ph1s.next;
	while (l != &e->ph1s) {
		struct ike_ph1 *p = ike_link_entry(l, struct ike_ph1, all);
		l = l->next;
		if (remote && !addr_equal(&p->remote, remote))
			continue;
		ike_ph1_delete(p, true, "administrative delete");
		n++;
	}
	return n;
}

static bool ph2_has_proto(const struct ike_ph2 *q, uint8_t proto)
{
	for (unsigned i = 0; i < q->np; i++)
		if (q->p[i].proto == proto)
			return true;
	return false;
}

int ike_engine_delete_ph2(struct ike_engine *e, const union sockaddr_any *remote, uint8_t proto)
{
	int n = 0;
	struct ike_link *l = e->ph2s.next;
	while (l != &e->ph2s) {
		struct ike_ph2 *q = ike_link_entry(l, struct ike_ph2, all);
		l = l->next; /* deleting q frees only q */
		if (remote && !addr_equal(&q->req.remote, remote))
			continue;
		if (proto && !ph2_has_proto(q, proto))
			continue;
		ike_ph2_delete(q, true, "administrative delete");
		n++;
	}
	return n;
}

/* Shutdown: Deletes for every IPsec SA (never under -Z) and ISAKMP SA, then free. */
void ike_engine_shutdown(struct ike_engine *e)
{
	e->shutting_down = true;
	while (e->ph2s.next != &e->ph2s)
		ike_ph2_delete(ike_link_entry(e->ph2s.next, struct ike_ph2, all), true, "shutdown");
	while (e->ph1s.next != &e->ph1s)
		ike_ph1_delete(ike_link_entry(e->ph1s.next, struct ike_ph1, all), true, "shutdown");
}
