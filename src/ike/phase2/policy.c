/* policy: Quick Mode against the SPD copy (see policy.h). */
#include "ike/phase2/policy.h"

#include <errno.h>
#include <string.h>

#include "conf/conf.h"
#include "kernel/kernel.h"
#include "spd/spd.h"

/* Reqids for `generate_policy unique`, as the reference: 1 .. 0x3fff. */
#define GEN_REQID_MIN 1u
#define GEN_REQID_MAX 0x3fffu
/* Generated policies sit at setkey's default priority ("prio def"), as the reference
 * racoon's do: the value is the same over XFRM and PF_KEY (both pass it through), and an
 * administrator's higher-priority policies (a Neighbor Discovery bypass) still win. */
#define GEN_PRIORITY 0x80000000u

static bool same_flow(const struct ike_ph2_request *a, const struct ike_ph2_request *b)
{
	return addr_equal(&a->src, &b->src) && addr_equal(&a->dst, &b->dst) &&
	       a->src_plen == b->src_plen && a->dst_plen == b->dst_plen &&
	       a->ulproto == b->ulproto && a->sport == b->sport && a->dport == b->dport;
}

static bool negotiating(const struct ike_ph2 *q)
{
	return !q->dead && q->state != PH2_ESTABLISHED && q->state != PH2_EXPIRED;
}

bool ike_acquire_is_duplicate(struct ike_engine *e, const struct ike_ph2_request *r)
{
	for (struct ike_link *l = e->ph2s.next; l != &e->ph2s; l = l->next) {
		const struct ike_ph2 *q = ike_link_entry(l, struct ike_ph2, all);
		if (!q->initiator || !negotiating(q) || q->req.reqid != r->reqid ||
		    q->req.tunnel != r->tunnel || !same_flow(&q->req, r))
			continue;
		union sockaddr_any a = q->req.remote, b = r->remote;
		addr_set_port(&a, 0);
		addr_set_port(&b, 0);
		if (!addr_equal(&a, &b))
			continue;
		char s[ADDR_STRLEN];
		log_debug("ike", "ACQUIRE for traffic to %s merged into the running negotiation",
			  addr_ntop(&r->dst, s));
		return true;
	}
	return false;
}

bool ike_ph2_queue_full(const struct ike_ph1 *p)
{
	unsigned n = 0;
	for (const struct ike_link *l = p->ph2s.next; l != &p->ph2s; l = l->next) {
		const struct ike_ph2 *q = ike_link_entry(l, struct ike_ph2, in_ph1);
		if (q->state == PH2_QM_I_PH1_WAIT && ++n >= IKE_MAX_QUEUED_QM)
			return true;
	}
	return false;
}

void ike_ph2_note_acquire_block(const struct ike_ph2 *q, const char *why)
{
	if (!q->initiator || !q->req.seq)
		return;
	char s[ADDR_STRLEN], d[ADDR_STRLEN];
	log_warning("ike",
		    "no IPsec SA for %s/%u -> %s/%u (%s): the kernel drops this traffic and "
		    "sends no new ACQUIRE for it for about 30 s (net.core.xfrm_acq_expires)",
		    addr_ntop(&q->req.src, s), q->req.src_plen, addr_ntop(&q->req.dst, d),
		    q->req.dst_plen, why);
}

void ike_ph1_note_acquire_block(const struct ike_ph1 *p)
{
	for (const struct ike_link *l = p->ph2s.next; l != &p->ph2s; l = l->next) {
		const struct ike_ph2 *q = ike_link_entry(l, struct ike_ph2, in_ph1);
		if (q->state == PH2_QM_I_PH1_WAIT)
			ike_ph2_note_acquire_block(q, "phase 1 failed");
	}
}

/* ---- responder ------------------------------------------------------------------ */

static enum kernel_proto kproto(uint8_t p)
{
	return p == ISAKMP_PROTO_IPSEC_AH ? KERNEL_PROTO_AH
	       : p == ISAKMP_PROTO_IPCOMP ? KERNEL_PROTO_COMP : KERNEL_PROTO_ESP;
}

static enum kernel_mode kmode(const struct ike_ph2 *q)
{
	return q->encap == IPSEC_ENCAP_TUNNEL ? KERNEL_MODE_TUNNEL : KERNEL_MODE_TRANSPORT;
}

/* The traffic of a responder's Quick Mode as a selector in direction dir (req.src is
 * our side, req.dst the peer's). */
static void flow_sel(const struct ike_ph2_request *r, enum kernel_dir dir,
		     struct kernel_selector *s)
{
	memset(s, 0, sizeof(*s));
	bool out = dir == KERNEL_DIR_OUT;
	s->src = out ? r->src : r->dst;
	s->dst = out ? r->dst : r->src;
	addr_set_port(&s->src, 0);
	addr_set_port(&s->dst, 0);
	s->src_plen = out ? r->src_plen : r->dst_plen;
	s->dst_plen = out ? r->dst_plen : r->src_plen;
	s->proto = r->ulproto;
	s->sport = out ? r->sport : r->dport;
	s->dport = out ? r->dport : r->sport;
}

/* Whether pol asks for what was negotiated: every protocol of the bundle in our mode,
 * and every template pol requires (level `use` ones are optional) in the bundle, or the
 * kernel would drop the traffic the SAs are for. */
static bool tmpl_fits(const struct ike_ph2 *q, const struct kernel_policy *pol)
{
	if (pol->action != KERNEL_POLICY_IPSEC)
		return false;
	for (unsigned i = 0; i < q->np; i++) {
		bool found = false;
		for (size_t t = 0; t < pol->n_tmpl && t < KERNEL_MAX_TMPL; t++)
			found |= pol->tmpl[t].proto == kproto(q->p[i].proto) &&
				 pol->tmpl[t].mode == kmode(q);
		if (!found)
			return false;
	}
	for (size_t t = 0; t < pol->n_tmpl && t < KERNEL_MAX_TMPL; t++) {
		bool found = pol->tmpl[t].level == KERNEL_LEVEL_USE;
		for (unsigned i = 0; i < q->np && !found; i++)
			found = pol->tmpl[t].proto == kproto(q->p[i].proto);
		if (!found)
			return false;
	}
	return true;
}

bool ike_ph2_policy_fits(struct ike_ph2 *q)
{
	if (!q->eng->o.spd)
		return true;
	struct kernel_selector in;
	flow_sel(&q->req, KERNEL_DIR_IN, &in);
	const struct kernel_policy *pin = spd_find_covering(q->eng->o.spd, KERNEL_DIR_IN, &in);
	return !pin || tmpl_fits(q, pin);
}

static uint32_t tmpl_reqid(const struct kernel_policy *pol)
{
	for (size_t t = 0; t < pol->n_tmpl && t < KERNEL_MAX_TMPL; t++)
		if (pol->tmpl[t].reqid)
			return pol->tmpl[t].reqid;
	return 0;
}

static enum conf_generate_policy genpol_mode(const struct ike_ph2 *q)
{
	const struct conf_remote *rm = q->ph1 && q->ph1->cf.name && q->eng->conf
					       ? conf_remote_by_name(q->eng->conf, q->ph1->cf.name)
					       : NULL;
	return rm ? rm->generate_policy : CONF_GENPOL_OFF;
}

/* The peer may only ask for its own address on its side. */
static bool peer_side_ok(const struct ike_ph2 *q)
{
	const struct ike_ph2_request *r = &q->req;
	union sockaddr_any peer = r->remote, side = r->dst;
	addr_set_port(&peer, 0);
	addr_set_port(&side, 0);
	unsigned full = peer.sa.sa_family == AF_INET6 ? 128 : 32;
	return r->dst_plen == full && addr_equal(&peer, &side);
}

static void policy_for(const struct ike_ph2 *q, enum kernel_dir dir, uint32_t reqid,
		       enum kernel_level level, struct kernel_policy *p)
{
	memset(p, 0, sizeof(*p));
	flow_sel(&q->req, dir, &p->sel);
	p->dir = dir;
	p->action = KERNEL_POLICY_IPSEC;
	p->priority = GEN_PRIORITY;
	/* Kernel order: IPComp innermost, then ESP, then AH outermost. */
	static const uint8_t order[] = { ISAKMP_PROTO_IPCOMP, ISAKMP_PROTO_IPSEC_ESP,
					 ISAKMP_PROTO_IPSEC_AH };
	for (size_t o = 0; o < sizeof(order); o++) {
		for (unsigned i = 0; i < q->np; i++) {
			if (q->p[i].proto != order[o] || p->n_tmpl >= KERNEL_MAX_TMPL)
				continue;
			struct kernel_tmpl *t = &p->tmpl[p->n_tmpl++];
			t->proto = kproto(q->p[i].proto);
			t->mode = kmode(q);
			t->level = level;
			t->reqid = reqid;
			if (t->mode == KERNEL_MODE_TUNNEL) {
				bool out = dir == KERNEL_DIR_OUT;
				t->src = out ? q->req.local : q->req.remote;
				t->dst = out ? q->req.remote : q->req.local;
				addr_set_port(&t->src, 0);
				addr_set_port(&t->dst, 0);
			}
		}
	}
}

static uint32_t next_gen_reqid(void)
{
	static uint32_t next = GEN_REQID_MIN;
	uint32_t r = next++;
	if (next > GEN_REQID_MAX)
		next = GEN_REQID_MIN;
	return r;
}

static void delete_generated(struct ike_ph2 *q)
{
	struct ike_engine *e = q->eng;
	enum kernel_dir dirs[] = { KERNEL_DIR_OUT, KERNEL_DIR_IN, KERNEL_DIR_FWD };
	for (size_t i = 0; i < 3; i++) {
		if (dirs[i] == KERNEL_DIR_FWD && kmode(q) != KERNEL_MODE_TUNNEL)
			continue;
		struct kernel_policy p;
		policy_for(q, dirs[i], 0, KERNEL_LEVEL_REQUIRE, &p);
		if (e->o.kernel && !e->o.no_kernel)
			kernel_policy_delete(e->o.kernel, &p);
		if (e->o.spd)
			spd_remove(e->o.spd, &p);
	}
	q->gen_policy = false;
}

static uint16_t generate(struct ike_ph2 *q, enum conf_generate_policy mode)
{
	struct ike_engine *e = q->eng;
	char s[ADDR_STRLEN], d[ADDR_STRLEN];
	if (!peer_side_ok(q)) {
		log_error("ike", "generate_policy: the peer asked for %s/%u, not its own address: "
			  "refused", addr_ntop(&q->req.dst, d), q->req.dst_plen);
		return ISAKMP_N_INVALID_ID_INFORMATION;
	}
	bool unique = mode == CONF_GENPOL_UNIQUE;
	uint32_t reqid = unique ? next_gen_reqid() : 0;
	enum kernel_level level = unique ? KERNEL_LEVEL_UNIQUE : KERNEL_LEVEL_REQUIRE;
	enum kernel_dir dirs[] = { KERNEL_DIR_OUT, KERNEL_DIR_IN, KERNEL_DIR_FWD };
	q->gen_policy = true; /* from here on, release deletes what was added */
	for (size_t i = 0; i < 3; i++) {
		if (dirs[i] == KERNEL_DIR_FWD && kmode(q) != KERNEL_MODE_TUNNEL)
			continue;
		struct kernel_policy p;
		policy_for(q, dirs[i], reqid, level, &p);
		int r = e->o.kernel && !e->o.no_kernel ? kernel_policy_add(e->o.kernel, &p) : 0;
		if (r < 0) {
			log_error("ike", "generate_policy: adding a policy failed: %s", strerror(-r));
			delete_generated(q);
			return ISAKMP_N_INVALID_ID_INFORMATION;
		}
		if (e->o.spd)
			spd_add(e->o.spd, &p);
	}
	q->req.reqid = reqid;
	log_info("ike", "generated policies for %s/%u <-> %s/%u%s", addr_ntop(&q->req.src, s),
		 q->req.src_plen, addr_ntop(&q->req.dst, d), q->req.dst_plen,
		 unique ? " (unique)" : "");
	return 0;
}

uint16_t ike_ph2_policy_check(struct ike_ph2 *q)
{
	struct ike_engine *e = q->eng;
	if (!e->o.spd)
		return 0;
	struct kernel_selector in, out;
	flow_sel(&q->req, KERNEL_DIR_IN, &in);
	flow_sel(&q->req, KERNEL_DIR_OUT, &out);
	const struct kernel_policy *pin = spd_find_covering(e->o.spd, KERNEL_DIR_IN, &in);
	const struct kernel_policy *pout = spd_find_covering(e->o.spd, KERNEL_DIR_OUT, &out);
	if (pin && tmpl_fits(q, pin)) {
		uint32_t reqid = pout && tmpl_fits(q, pout) ? tmpl_reqid(pout) : 0;
		q->req.reqid = reqid ? reqid : tmpl_reqid(pin);
		return 0;
	}
	enum conf_generate_policy mode = genpol_mode(q);
	char s[ADDR_STRLEN], d[ADDR_STRLEN];
	if (mode == CONF_GENPOL_OFF || pin) {
		log_error("ike", "Quick Mode for %s/%u <-> %s/%u refused: %s",
			  addr_ntop(&q->req.src, s), q->req.src_plen, addr_ntop(&q->req.dst, d),
			  q->req.dst_plen,
			  pin ? "our policy asks for other protocols or another mode"
			      : "no policy in our SPD covers it (and no generate_policy)");
		return ISAKMP_N_INVALID_ID_INFORMATION;
	}
	return generate(q, mode);
}

void ike_ph2_policy_release(struct ike_ph2 *q)
{
	if (!q->gen_policy)
		return;
	struct ike_engine *e = q->eng;
	/* A rekeyed SA for the same traffic keeps the policies: hand them over. */
	for (struct ike_link *l = e->ph2s.next; l != &e->ph2s; l = l->next) {
		struct ike_ph2 *o = ike_link_entry(l, struct ike_ph2, all);
		if (o != q && !o->dead && !o->initiator && same_flow(&o->req, &q->req) &&
		    addr_equal(&o->req.remote, &q->req.remote)) {
			o->gen_policy = true;
			q->gen_policy = false;
			return;
		}
	}
	delete_generated(q);
}
