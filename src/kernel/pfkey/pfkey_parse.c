/* pfkey_parse: checked PF_KEY messages -> kernel.h structs and events.
 *
 * pfkey_msg_parse() has already checked the framing (lengths, duplicates, address
 * sizes); here each extension's contents are checked before use: key bits against the
 * extension, ipsecrequest lengths against the policy extension, families against each
 * other. Anything inconsistent makes the whole message -EBADMSG.
 */
#include "kernel/pfkey/pfkey.h"

#include <errno.h>
#include <linux/ipsec.h>
#include <string.h>

static enum kernel_mode mode_from(uint8_t m)
{
	return m == IPSEC_MODE_TUNNEL ? KERNEL_MODE_TUNNEL : KERNEL_MODE_TRANSPORT;
}

static void lifetime_from(struct kernel_lifetime *l, const struct sadb_lifetime *s)
{
	l->packets = s->sadb_lifetime_allocations;
	l->bytes = s->sadb_lifetime_bytes;
	l->add_sec = s->sadb_lifetime_addtime;
	l->use_sec = s->sadb_lifetime_usetime;
}

/* Both endpoint addresses, same family, ports dropped. */
static int endpoints(const struct pfkey_msg *m, union sockaddr_any *src, union sockaddr_any *dst)
{
	if (pfkey_ext_address(m, SADB_EXT_ADDRESS_SRC, src, NULL, NULL) < 0 ||
	    pfkey_ext_address(m, SADB_EXT_ADDRESS_DST, dst, NULL, NULL) < 0 ||
	    src->sa.sa_family != dst->sa.sa_family)
		return -EBADMSG;
	addr_set_port(src, 0);
	addr_set_port(dst, 0);
	return 0;
}

static int algs_from(const struct pfkey_msg *m, const struct sadb_sa *s, struct kernel_sa *sa)
{
	if (s->sadb_sa_auth) {
		int a = pfkey_auth_from_sadb(s->sadb_sa_auth);
		sa->auth = a < 0 ? KERNEL_AUTH_NONE : (enum kernel_auth)a;
		sa->icv_bits = pfkey_auth_icv_bits(sa->auth); /* PF_KEY does not report it */
	}
	if (s->sadb_sa_encrypt && sa->proto == KERNEL_PROTO_COMP) {
		int c = pfkey_comp_from_sadb(s->sadb_sa_encrypt);
		sa->comp = c < 0 ? KERNEL_COMP_NONE : (enum kernel_comp)c;
	} else if (s->sadb_sa_encrypt) {
		int e = pfkey_enc_from_sadb(s->sadb_sa_encrypt);
		sa->enc = e < 0 ? KERNEL_ENC_NONE : (enum kernel_enc)e;
	}
	int r = pfkey_ext_key(m, SADB_EXT_KEY_AUTH, &sa->auth_key, &sa->auth_key_len);
	if (r == -EBADMSG)
		return r;
	r = pfkey_ext_key(m, SADB_EXT_KEY_ENCRYPT, &sa->enc_key, &sa->enc_key_len);
	return r == -EBADMSG ? r : 0;
}

static void nat_t_from(const struct pfkey_msg *m, struct kernel_encap *e)
{
	struct sadb_x_nat_t_type t;
	struct sadb_x_nat_t_port p;
	if (!pfkey_ext_fixed(m, SADB_X_EXT_NAT_T_TYPE, &t, sizeof(t)) || !t.sadb_x_nat_t_type_type)
		return;
	e->enabled = true;
	if (pfkey_ext_fixed(m, SADB_X_EXT_NAT_T_SPORT, &p, sizeof(p)))
		e->sport = ntohs(p.sadb_x_nat_t_port_port);
	if (pfkey_ext_fixed(m, SADB_X_EXT_NAT_T_DPORT, &p, sizeof(p)))
		e->dport = ntohs(p.sadb_x_nat_t_port_port);
	if (pfkey_ext_address(m, SADB_X_EXT_NAT_T_OA, &e->oa, NULL, NULL) < 0)
		memset(&e->oa, 0, sizeof(e->oa));
}

int pfkey_parse_sa(const struct pfkey_msg *m, struct pfkey_sa_parsed *out)
{
	memset(out, 0, sizeof(*out));
	struct kernel_sa *sa = &out->sa;
	struct sadb_sa s;
	int proto = pfkey_proto_from_satype(m->hdr.sadb_msg_satype);
	if (proto < 0 || !pfkey_ext_fixed(m, SADB_EXT_SA, &s, sizeof(s)))
		return -EBADMSG;
	if (endpoints(m, &sa->src, &sa->dst) < 0)
		return -EBADMSG;
	sa->proto = (enum kernel_proto)proto;
	sa->spi = ntohl(s.sadb_sa_spi);
	sa->replay_window = s.sadb_sa_replay;
	out->state = s.sadb_sa_state;
	int r = algs_from(m, &s, sa);
	if (r < 0)
		return r;
	struct sadb_x_sa2 sa2;
	if (pfkey_ext_fixed(m, SADB_X_EXT_SA2, &sa2, sizeof(sa2))) {
		sa->mode = mode_from(sa2.sadb_x_sa2_mode);
		sa->reqid = sa2.sadb_x_sa2_reqid;
	}
	struct sadb_lifetime l;
	if (pfkey_ext_fixed(m, SADB_EXT_LIFETIME_HARD, &l, sizeof(l)))
		lifetime_from(&sa->hard, &l);
	if (pfkey_ext_fixed(m, SADB_EXT_LIFETIME_SOFT, &l, sizeof(l)))
		lifetime_from(&sa->soft, &l);
	if (pfkey_ext_fixed(m, SADB_EXT_LIFETIME_CURRENT, &l, sizeof(l))) {
		out->stats.packets = l.sadb_lifetime_allocations;
		out->stats.bytes = l.sadb_lifetime_bytes;
		out->stats.add_time = l.sadb_lifetime_addtime;
		out->stats.use_time = l.sadb_lifetime_usetime;
	}
	nat_t_from(m, &sa->encap);
	out->stats.reqid = sa->reqid;
	out->stats.mode = sa->mode;
	return 0;
}

/* ---- Policies ------------------------------------------------------------------------ */

static int tmpl_from(struct buf *rq_view, const struct sadb_x_ipsecrequest *rq,
		     struct kernel_tmpl *t)
{
	memset(t, 0, sizeof(*t));
	if (rq->sadb_x_ipsecrequest_proto != KERNEL_PROTO_ESP &&
	    rq->sadb_x_ipsecrequest_proto != KERNEL_PROTO_AH &&
	    rq->sadb_x_ipsecrequest_proto != KERNEL_PROTO_COMP)
		return -EBADMSG;
	t->proto = (enum kernel_proto)rq->sadb_x_ipsecrequest_proto;
	t->mode = mode_from(rq->sadb_x_ipsecrequest_mode);
	t->reqid = rq->sadb_x_ipsecrequest_reqid;
	t->level = rq->sadb_x_ipsecrequest_level == IPSEC_LEVEL_USE ? KERNEL_LEVEL_USE
		   : rq->sadb_x_ipsecrequest_level == IPSEC_LEVEL_UNIQUE ? KERNEL_LEVEL_UNIQUE
		   : KERNEL_LEVEL_REQUIRE;
	if (t->mode != KERNEL_MODE_TUNNEL)
		return 0;
	/* Tunnel endpoints: two sockaddrs of one family right after the request. */
	uint16_t fam;
	if (buf_left(rq_view) < sizeof(fam))
		return -EBADMSG;
	memcpy(&fam, buf_cur(rq_view), sizeof(fam));
	size_t sl = pfkey_sockaddr_len(fam);
	if (!sl || !buf_get_bytes(rq_view, &t->src, sl) || !buf_get_bytes(rq_view, &t->dst, sl) ||
	    t->dst.sa.sa_family != fam)
		return -EBADMSG;
	addr_set_port(&t->src, 0);
	addr_set_port(&t->dst, 0);
	return 0;
}

static int tmpls_from(const struct pfkey_msg *m, struct kernel_policy *p)
{
	struct buf v = m->ext[SADB_X_EXT_POLICY];
	v.pos = sizeof(struct sadb_x_policy);
	/* Bounded: each request is at least 16 bytes long. */
	while (buf_left(&v) >= sizeof(struct sadb_x_ipsecrequest)) {
		struct sadb_x_ipsecrequest rq;
		memcpy(&rq, buf_cur(&v), sizeof(rq));
		struct buf one;
		if (rq.sadb_x_ipsecrequest_len < sizeof(rq) ||
		    !buf_get_sub(&v, rq.sadb_x_ipsecrequest_len, &one))
			return -EBADMSG;
		if (p->n_tmpl >= KERNEL_MAX_TMPL)
			return -E2BIG;
		one.pos = sizeof(rq);
		int r = tmpl_from(&one, &rq, &p->tmpl[p->n_tmpl]);
		if (r < 0)
			return r;
		p->n_tmpl++;
	}
	return buf_left(&v) == 0 ? 0 : -EBADMSG;
}

int pfkey_parse_policy(const struct pfkey_msg *m, struct kernel_policy *out)
{
	memset(out, 0, sizeof(*out));
	struct sadb_x_policy x;
	uint8_t sproto, dproto;
	if (!pfkey_ext_fixed(m, SADB_X_EXT_POLICY, &x, sizeof(x)))
		return -EBADMSG;
	if (x.sadb_x_policy_dir < IPSEC_DIR_INBOUND || x.sadb_x_policy_dir > IPSEC_DIR_FWD)
		return -ENOENT; /* per-socket or unknown direction: not the SPD proper */
	struct kernel_selector *s = &out->sel;
	if (pfkey_ext_address(m, SADB_EXT_ADDRESS_SRC, &s->src, &s->src_plen, &sproto) < 0 ||
	    pfkey_ext_address(m, SADB_EXT_ADDRESS_DST, &s->dst, &s->dst_plen, &dproto) < 0 ||
	    s->src.sa.sa_family != s->dst.sa.sa_family)
		return -EBADMSG;
	s->proto = dproto == IPSEC_ULPROTO_ANY ? 0 : dproto;
	s->sport = addr_port(&s->src);
	s->dport = addr_port(&s->dst);
	addr_set_port(&s->src, 0);
	addr_set_port(&s->dst, 0);
	out->dir = (enum kernel_dir)(x.sadb_x_policy_dir - 1);
	out->priority = x.sadb_x_policy_priority;
	out->index = x.sadb_x_policy_id;
	struct sadb_lifetime l;
	if (pfkey_ext_fixed(m, SADB_EXT_LIFETIME_HARD, &l, sizeof(l)))
		lifetime_from(&out->hard, &l);
	switch (x.sadb_x_policy_type) {
	case IPSEC_POLICY_IPSEC:
		out->action = KERNEL_POLICY_IPSEC;
		return tmpls_from(m, out);
	case IPSEC_POLICY_DISCARD:
		out->action = KERNEL_POLICY_DISCARD;
		return 0;
	case IPSEC_POLICY_NONE:
	case IPSEC_POLICY_BYPASS:
		out->action = KERNEL_POLICY_BYPASS;
		return 0;
	default:
		return -EBADMSG;
	}
}

/* ---- Events ---------------------------------------------------------------------------- */

static int acquire_from(const struct pfkey_msg *m, struct kernel_event *ev, uint32_t *index)
{
	struct sadb_x_policy x;
	int proto = pfkey_proto_from_satype(m->hdr.sadb_msg_satype);
	if (proto < 0 || !pfkey_ext_fixed(m, SADB_X_EXT_POLICY, &x, sizeof(x)))
		return -EBADMSG;
	ev->type = KERNEL_EV_ACQUIRE;
	if (endpoints(m, &ev->u.acquire.src, &ev->u.acquire.dst) < 0)
		return -EBADMSG;
	ev->u.acquire.seq = m->hdr.sadb_msg_seq;
	/* Until X_SPDGET fills it in: what the ACQUIRE itself says. */
	struct kernel_policy *p = &ev->u.acquire.policy;
	p->dir = x.sadb_x_policy_dir >= IPSEC_DIR_INBOUND && x.sadb_x_policy_dir <= IPSEC_DIR_FWD
		 ? (enum kernel_dir)(x.sadb_x_policy_dir - 1) : KERNEL_DIR_OUT;
	p->index = x.sadb_x_policy_id;
	p->priority = x.sadb_x_policy_priority;
	p->action = KERNEL_POLICY_IPSEC;
	ev->u.acquire.tmpl.proto = (enum kernel_proto)proto;
	*index = x.sadb_x_policy_id;
	return 0;
}

void pfkey_acquire_set_policy(struct kernel_event *ev, const struct kernel_policy *p)
{
	enum kernel_proto proto = ev->u.acquire.tmpl.proto;
	ev->u.acquire.policy = *p;
	for (size_t i = 0; i < p->n_tmpl; i++)
		if (p->tmpl[i].proto == proto) {
			ev->u.acquire.tmpl = p->tmpl[i];
			return;
		}
}

static int expire_from(const struct pfkey_msg *m, struct kernel_event *ev)
{
	struct pfkey_sa_parsed sa;
	int r = pfkey_parse_sa(m, &sa);
	if (r < 0)
		return r;
	/* Linux sends the hard lifetime with hard expiries, the soft one with soft ones. */
	bool hard = pfkey_has(m, SADB_EXT_LIFETIME_HARD);
	if (hard == pfkey_has(m, SADB_EXT_LIFETIME_SOFT))
		return -EBADMSG;
	ev->type = hard ? KERNEL_EV_EXPIRE_HARD : KERNEL_EV_EXPIRE_SOFT;
	ev->u.expire.id.src = sa.sa.src;
	ev->u.expire.id.dst = sa.sa.dst;
	ev->u.expire.id.spi = sa.sa.spi;
	ev->u.expire.id.proto = sa.sa.proto;
	ev->u.expire.reqid = sa.sa.reqid;
	ev->u.expire.stats = sa.stats;
	return 0;
}

/* SA, old address + NAT_T_SPORT, new address + NAT_T_DPORT (the SA's own destination is
 * not in the message: id.dst stays unset). */
static int mapping_from(const struct pfkey_msg *m, struct kernel_event *ev)
{
	struct sadb_sa s;
	struct sadb_x_nat_t_port sp, dp;
	if (!pfkey_ext_fixed(m, SADB_EXT_SA, &s, sizeof(s)) ||
	    !pfkey_ext_fixed(m, SADB_X_EXT_NAT_T_SPORT, &sp, sizeof(sp)) ||
	    !pfkey_ext_fixed(m, SADB_X_EXT_NAT_T_DPORT, &dp, sizeof(dp)) ||
	    m->hdr.sadb_msg_satype != SADB_SATYPE_ESP)
		return -EBADMSG;
	ev->type = KERNEL_EV_MAPPING;
	if (endpoints(m, &ev->u.mapping.old_addr, &ev->u.mapping.new_addr) < 0)
		return -EBADMSG;
	ev->u.mapping.id.spi = ntohl(s.sadb_sa_spi);
	ev->u.mapping.id.proto = KERNEL_PROTO_ESP;
	ev->u.mapping.id.src = ev->u.mapping.old_addr;
	addr_set_port(&ev->u.mapping.old_addr, ntohs(sp.sadb_x_nat_t_port_port));
	addr_set_port(&ev->u.mapping.new_addr, ntohs(dp.sadb_x_nat_t_port_port));
	return 0;
}

int pfkey_parse_event(const struct pfkey_msg *m, uint32_t our_pid, struct kernel_event *ev,
		      uint32_t *policy_index)
{
	if (m->hdr.sadb_msg_errno)
		return -ENOENT; /* someone's error reply */
	struct kernel_event e;
	memset(&e, 0, sizeof(e));
	int r;
	*policy_index = 0;
	switch (m->hdr.sadb_msg_type) {
	case SADB_ACQUIRE:
		r = acquire_from(m, &e, policy_index);
		break;
	case SADB_EXPIRE:
		r = expire_from(m, &e);
		break;
	case SADB_X_NAT_T_NEW_MAPPING:
		r = mapping_from(m, &e);
		break;
	case SADB_X_SPDADD:
	case SADB_X_SPDUPDATE:
	case SADB_X_SPDDELETE:
	case SADB_X_SPDDELETE2:
		e.type = m->hdr.sadb_msg_type == SADB_X_SPDADD || m->hdr.sadb_msg_type == SADB_X_SPDUPDATE
			 ? KERNEL_EV_POLICY_ADDED : KERNEL_EV_POLICY_DELETED;
		r = pfkey_parse_policy(m, &e.u.policy.policy);
		e.u.policy.by_us = our_pid && m->hdr.sadb_msg_pid == our_pid;
		break;
	case SADB_X_SPDFLUSH:
		e.type = KERNEL_EV_POLICY_FLUSHED;
		r = 0;
		break;
	default:
		return -ENOENT;
	}
	if (r == 0)
		*ev = e;
	return r;
}
