/* engine: the engine object, its seams (send, random, kernel, clock) and timers. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "crypto/random.h"
#include "event/event.h"
#include "ike/lifecycle.h"
#include "ike/sa.h"
#include "ike/vendor.h"
#include "kernel/kernel.h"

int ike_rand(struct ike_engine *e, void *p, size_t n)
{
	if (e->o.random)
		return e->o.random(e->o.random_userdata, p, n);
	return crypto_random(p, n);
}

/* Keyed with the engine's secret table key, so a peer cannot make two different
 * messages look like duplicates of each other. */
uint64_t ike_msg_hash(const struct ike_engine *e, const uint8_t *p, size_t n)
{
	return htab_hash(&e->by_msgid, p, n);
}

int ike_send(struct ike_engine *e, const union sockaddr_any *from,
	     const union sockaddr_any *to, const struct buf *msg)
{
	if (!e->o.send)
		return -ENOTCONN;
	char a[ADDR_PORT_STRLEN], b[ADDR_PORT_STRLEN];
	log_debug("ike", "sending %zu bytes %s -> %s", msg->len, addr_ntop_port(from, a),
		  addr_ntop_port(to, b));
	int r = e->o.send(e->o.send_userdata, from, to, msg->ptr, msg->len);
	if (r < 0)
		log_warning("ike", "sending to %s failed: %s", addr_ntop_port(to, b), strerror(-r));
	return r;
}

void ike_ph1_ctx(const struct ike_ph1 *p, struct log_ctx *c)
{
	memset(c, 0, sizeof(*c));
	c->remote = &p->remote;
	c->local = &p->local;
	c->icookie = p->icookie;
	c->rcookie = p->rcookie;
	c->phase = 1;
}

void ike_ph2_ctx(const struct ike_ph2 *p, struct log_ctx *c)
{
	memset(c, 0, sizeof(*c));
	c->remote = &p->req.remote;
	c->local = &p->req.local;
	c->icookie = p->ck;
	c->rcookie = p->ck + 8;
	c->phase = 2;
	c->spi = p->np ? p->p[0].spi_in : 0;
}

int ike_engine_new(const struct ike_engine_opts *o, struct ike_engine **out)
{
	*out = NULL;
	if (!o->kernel && !o->no_kernel)
		return -EINVAL;
	unsigned bad = ike_states_check();
	if (bad) {
		log_error("ike", "the IKEv1 transition table has %u problems: refusing to start", bad);
		return -EPROTO;
	}
	struct ike_engine *e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->o = *o;
	if (!e->o.max_halfopen_per_peer)
		e->o.max_halfopen_per_peer = IKE_DEFAULT_HALFOPEN_PER_PEER;
	if (!e->o.max_halfopen_total)
		e->o.max_halfopen_total = IKE_DEFAULT_HALFOPEN_TOTAL;
	if (!e->o.isakmp_port)
		e->o.isakmp_port = 500;
	e->conf = o->conf;
	ike_link_init(&e->ph1s);
	ike_link_init(&e->ph2s);
	e->d = malloc(sizeof(*e->d));
	int r = e->d ? 0 : -ENOMEM;
	struct htab *tabs[] = { &e->by_cookies, &e->by_icookie, &e->by_msgid, &e->by_spi,
				&e->peers };
	for (size_t i = 0; i < sizeof(tabs) / sizeof(tabs[0]) && !r; i++)
		r = htab_init(tabs[i]);
	if (!r)
		ike_vendor_init();
	if (r) {
		ike_engine_free(e);
		return r;
	}
	*out = e;
	return 0;
}

void ike_engine_set_conf(struct ike_engine *e, const struct racoon_conf *conf)
{
	e->conf = conf;
}

static void free_peers(struct ike_engine *e)
{
	if (!e->peers.bucket)
		return;
	for (size_t i = 0; i < e->peers.n_bucket; i++) {
		struct htab_node *n = e->peers.bucket[i];
		while (n) {
			struct htab_node *next = n->next;
			free(htab_entry(n, struct ike_peer, node));
			n = next;
		}
	}
}

void ike_engine_free(struct ike_engine *e)
{
	if (!e)
		return;
	while (e->ph1s.next && e->ph1s.next != &e->ph1s)
		ike_ph1_free(ike_link_entry(e->ph1s.next, struct ike_ph1, all));
	while (e->ph2s.next && e->ph2s.next != &e->ph2s)
		ike_ph2_free(ike_link_entry(e->ph2s.next, struct ike_ph2, all));
	free_peers(e);
	htab_fini(&e->by_cookies);
	htab_fini(&e->by_icookie);
	htab_fini(&e->by_msgid);
	htab_fini(&e->by_spi);
	htab_fini(&e->peers);
	ike_timers_fini(&e->timers);
	free(e->d);
	free(e);
}

void ike_engine_set_event_hook(struct ike_engine *e, ike_event_fn fn, void *userdata)
{
	e->ev_fn = fn;
	e->ev_ud = userdata;
}

void ike_emit_ph1(struct ike_ph1 *p, enum ike_event_type t, const char *why)
{
	struct ike_engine *e = p->eng;
	if (!e->ev_fn)
		return;
	struct ike_event ev = { .type = t, .local = &p->local, .remote = &p->remote, .why = why };
	memcpy(ev.icookie, p->icookie, 8);
	memcpy(ev.rcookie, p->rcookie, 8);
	e->ev_fn(e->ev_ud, &ev);
}

void ike_emit_ph2(struct ike_ph2 *q, enum ike_event_type t, const char *why)
{
	struct ike_engine *e = q->eng;
	if (!e->ev_fn)
		return;
	struct ike_event ev = { .type = t, .local = &q->req.local, .remote = &q->req.remote,
				.msgid = q->msgid, .why = why };
	memcpy(ev.icookie, q->ck, 8);
	memcpy(ev.rcookie, q->ck + 8, 8);
	if (q->np) {
		ev.proto = q->p[0].proto;
		ev.spi_in = q->p[0].spi_in;
		ev.spi_out = q->p[0].spi_out;
	}
	e->ev_fn(e->ev_ud, &ev);
}

void ike_engine_run_timers(struct ike_engine *e)
{
	ike_timers_run(&e->timers, event_now_usec());
}

uint64_t ike_engine_next_timer(const struct ike_engine *e)
{
	return ike_timers_next(&e->timers);
}

void ike_engine_stats(const struct ike_engine *e, struct ike_stats *s)
{
	*s = e->st;
	s->ph1_halfopen = e->halfopen;
	s->peers = (unsigned)e->peers.count;
}

int ike_engine_foreach_ph1(struct ike_engine *e, ike_ph1_visit_fn fn, void *ud)
{
	for (struct ike_link *l = e->ph1s.next; l != &e->ph1s; l = l->next) {
		struct ike_ph1 *p = ike_link_entry(l, struct ike_ph1, all);
		struct ike_ph1_info i = {
			.local = p->local, .remote = p->remote, .state = ike_state_name(p->state),
			.established = p->state == PH1_ESTABLISHED, .initiator = p->initiator,
			.exchange = p->exchange, .lifetime_s = p->lifetime_s,
			.created_usec = p->created,
		};
		memcpy(i.icookie, p->icookie, 8);
		memcpy(i.rcookie, p->rcookie, 8);
		int r = fn(&i, ud);
		if (r)
			return r;
	}
	return 0;
}

int ike_engine_foreach_ph2(struct ike_engine *e, ike_ph2_visit_fn fn, void *ud)
{
	for (struct ike_link *l = e->ph2s.next; l != &e->ph2s; l = l->next) {
		struct ike_ph2 *p = ike_link_entry(l, struct ike_ph2, all);
		struct ike_ph2_info i = {
			.local = p->req.local, .remote = p->req.remote,
			.state = ike_state_name(p->state), .established = p->state == PH2_ESTABLISHED,
			.initiator = p->initiator, .msgid = p->msgid, .nproto = (uint8_t)p->np,
			.tunnel = p->req.tunnel, .lifetime_s = p->lifetime_s,
			.src = p->req.src, .dst = p->req.dst, .src_plen = p->req.src_plen,
			.dst_plen = p->req.dst_plen, .ulproto = p->req.ulproto,
			.sport = p->req.sport, .dport = p->req.dport, .reqid = p->req.reqid,
		};
		memcpy(i.cookies, p->ck, 16);
		for (unsigned k = 0; k < p->np; k++) {
			i.sa[k].proto = p->p[k].proto;
			i.sa[k].spi_in = p->p[k].spi_in;
			i.sa[k].spi_out = p->p[k].spi_out;
		}
		int r = fn(&i, ud);
		if (r)
			return r;
	}
	return 0;
}
