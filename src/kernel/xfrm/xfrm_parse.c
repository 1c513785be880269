/* xfrm_parse: kernel XFRM messages -> kernel.h structs, checked before use.
 *
 * XFRM attributes are all top level (no nesting), so one attribute callback checks type
 * and size of every attribute; the structs that carry variable data (algorithms,
 * templates, replay state) are checked again against their own length fields when
 * converted. Anything inconsistent makes the whole message -EBADMSG.
 */
#include "kernel/xfrm/xfrm.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <netinet/in.h>
#include <string.h>

typedef const struct nlattr *attr_table[XFRMA_MAX + 1];

/* Minimum payload sizes of the attributes we read; exact when fixed is set. */
static const struct {
	uint16_t min;
	bool fixed;
} attr_size[XFRMA_MAX + 1] = {
	[XFRMA_ALG_AUTH] = { sizeof(struct xfrm_algo), false },
	[XFRMA_ALG_CRYPT] = { sizeof(struct xfrm_algo), false },
	[XFRMA_ALG_COMP] = { sizeof(struct xfrm_algo), false },
	[XFRMA_ALG_AEAD] = { sizeof(struct xfrm_algo_aead), false },
	[XFRMA_ALG_AUTH_TRUNC] = { sizeof(struct xfrm_algo_auth), false },
	[XFRMA_ENCAP] = { sizeof(struct xfrm_encap_tmpl), true },
	[XFRMA_TMPL] = { 0, false }, /* a multiple of xfrm_user_tmpl, checked below */
	[XFRMA_SA] = { sizeof(struct xfrm_usersa_info), false },
	[XFRMA_POLICY] = { sizeof(struct xfrm_userpolicy_info), false },
	[XFRMA_LTIME_VAL] = { sizeof(struct xfrm_lifetime_cur), true },
	[XFRMA_REPLAY_VAL] = { sizeof(struct xfrm_replay_state), true },
	[XFRMA_REPLAY_ESN_VAL] = { sizeof(struct xfrm_replay_state_esn), false },
	[XFRMA_SRCADDR] = { sizeof(xfrm_address_t), true },
	[XFRMA_COADDR] = { sizeof(xfrm_address_t), true },
	[XFRMA_MARK] = { sizeof(struct xfrm_mark), true },
	[XFRMA_SA_EXTRA_FLAGS] = { sizeof(uint32_t), true },
};

static int attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(a);
	if (type > XFRMA_MAX)
		return MNL_CB_OK; /* newer kernel: skip what we do not know */
	size_t len = mnl_attr_get_payload_len(a);
	if (len < attr_size[type].min || (attr_size[type].fixed && len != attr_size[type].min))
		return MNL_CB_ERROR;
	if (type == XFRMA_TMPL && len % sizeof(struct xfrm_user_tmpl) != 0)
		return MNL_CB_ERROR;
	tb[type] = a;
	return MNL_CB_OK;
}

/* Parse the attributes after a fixed header of hdrlen bytes. libmnl's walk stops
 * silently at a truncated attribute, so also demand that it ended at the message end. */
static int parse_attrs(const struct nlmsghdr *nlh, size_t hdrlen, attr_table tb)
{
	memset(tb, 0, sizeof(attr_table));
	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + hdrlen)
		return -EBADMSG;
	const struct nlattr *a;
	const char *tail = mnl_nlmsg_get_payload_tail(nlh);
	const char *end = (const char *)nlh + nlh->nlmsg_len; /* tail is end, aligned up */
	mnl_attr_for_each(a, nlh, MNL_ALIGN(hdrlen)) {
		if ((const char *)a + a->nla_len > end || attr_cb(a, tb) != MNL_CB_OK)
			return -EBADMSG;
	}
	if ((const char *)a < tail)
		return -EBADMSG;
	return 0;
}

void xfrm_addr_from(union sockaddr_any *a, const xfrm_address_t *x, uint16_t family)
{
	memset(a, 0, sizeof(*a));
	if (family == AF_INET) {
		a->sin.sin_family = AF_INET;
		memcpy(&a->sin.sin_addr, &x->a4, 4);
	} else if (family == AF_INET6) {
		a->sin6.sin6_family = AF_INET6;
		memcpy(&a->sin6.sin6_addr, x->a6, 16);
	}
}

static bool family_ok(uint16_t f) { return f == AF_INET || f == AF_INET6; }

static uint64_t unlim(uint64_t v) { return v == XFRM_INF ? 0 : v; }

static void lifetime_from(struct kernel_lifetime *soft, struct kernel_lifetime *hard,
			  const struct xfrm_lifetime_cfg *c)
{
	soft->bytes = unlim(c->soft_byte_limit);
	hard->bytes = unlim(c->hard_byte_limit);
	soft->packets = unlim(c->soft_packet_limit);
	hard->packets = unlim(c->hard_packet_limit);
	soft->add_sec = c->soft_add_expires_seconds;
	hard->add_sec = c->hard_add_expires_seconds;
	soft->use_sec = c->soft_use_expires_seconds;
	hard->use_sec = c->hard_use_expires_seconds;
}

static int selector_from(struct kernel_selector *s, const struct xfrm_selector *x)
{
	memset(s, 0, sizeof(*s));
	if (!family_ok(x->family))
		return -EBADMSG;
	unsigned maxp = x->family == AF_INET ? 32 : 128;
	if (x->prefixlen_s > maxp || x->prefixlen_d > maxp)
		return -EBADMSG;
	xfrm_addr_from(&s->src, &x->saddr, x->family);
	xfrm_addr_from(&s->dst, &x->daddr, x->family);
	s->src_plen = x->prefixlen_s;
	s->dst_plen = x->prefixlen_d;
	s->proto = x->proto;
	s->sport = x->sport_mask ? ntohs(x->sport) : 0;
	s->dport = x->dport_mask ? ntohs(x->dport) : 0;
	s->ifindex = x->ifindex;
	return 0;
}

/* Algorithm name inside a fixed 64-byte field: must be NUL-terminated. */
static bool name_ok(const char name[64]) { return memchr(name, 0, 64) != NULL; }

/* Key bytes announced in bits must fit into the attribute. */
static bool key_fits(const struct nlattr *a, size_t fixed, unsigned bits)
{
	return bits % 8 == 0 && fixed + bits / 8 <= mnl_attr_get_payload_len(a);
}

static int algs_from(struct kernel_sa *sa, attr_table tb)
{
	if (tb[XFRMA_ALG_AEAD]) {
		const struct xfrm_algo_aead *a = mnl_attr_get_payload(tb[XFRMA_ALG_AEAD]);
		if (!name_ok(a->alg_name) || !key_fits(tb[XFRMA_ALG_AEAD], sizeof(*a), a->alg_key_len))
			return -EBADMSG;
		int e = xfrm_enc_from_name(a->alg_name, a->alg_icv_len);
		sa->enc = e < 0 ? KERNEL_ENC_NONE : (enum kernel_enc)e;
		sa->enc_key = (const uint8_t *)a->alg_key;
		sa->enc_key_len = a->alg_key_len / 8;
		sa->icv_bits = a->alg_icv_len;
	} else if (tb[XFRMA_ALG_CRYPT]) {
		const struct xfrm_algo *a = mnl_attr_get_payload(tb[XFRMA_ALG_CRYPT]);
		if (!name_ok(a->alg_name) || !key_fits(tb[XFRMA_ALG_CRYPT], sizeof(*a), a->alg_key_len))
			return -EBADMSG;
		int e = xfrm_enc_from_name(a->alg_name, 0);
		sa->enc = e < 0 ? KERNEL_ENC_NONE : (enum kernel_enc)e;
		sa->enc_key = (const uint8_t *)a->alg_key;
		sa->enc_key_len = a->alg_key_len / 8;
	}
	if (tb[XFRMA_ALG_AUTH_TRUNC]) {
		const struct xfrm_algo_auth *a = mnl_attr_get_payload(tb[XFRMA_ALG_AUTH_TRUNC]);
		if (!name_ok(a->alg_name) ||
		    !key_fits(tb[XFRMA_ALG_AUTH_TRUNC], sizeof(*a), a->alg_key_len))
			return -EBADMSG;
		int e = xfrm_auth_from_name(a->alg_name);
		sa->auth = e < 0 ? KERNEL_AUTH_NONE : (enum kernel_auth)e;
		sa->auth_key = (const uint8_t *)a->alg_key;
		sa->auth_key_len = a->alg_key_len / 8;
		sa->icv_bits = a->alg_trunc_len;
	} else if (tb[XFRMA_ALG_AUTH]) {
		const struct xfrm_algo *a = mnl_attr_get_payload(tb[XFRMA_ALG_AUTH]);
		if (!name_ok(a->alg_name) || !key_fits(tb[XFRMA_ALG_AUTH], sizeof(*a), a->alg_key_len))
			return -EBADMSG;
		int e = xfrm_auth_from_name(a->alg_name);
		sa->auth = e < 0 ? KERNEL_AUTH_NONE : (enum kernel_auth)e;
		sa->auth_key = (const uint8_t *)a->alg_key;
		sa->auth_key_len = a->alg_key_len / 8;
		sa->icv_bits = 96; /* the legacy attribute means the kernel's default */
	}
	if (tb[XFRMA_ALG_COMP]) {
		const struct xfrm_algo *a = mnl_attr_get_payload(tb[XFRMA_ALG_COMP]);
		if (!name_ok(a->alg_name))
			return -EBADMSG;
		int e = xfrm_comp_from_name(a->alg_name);
		sa->comp = e < 0 ? KERNEL_COMP_NONE : (enum kernel_comp)e;
	}
	return 0;
}

static int replay_from(struct kernel_sa *sa, const struct xfrm_usersa_info *p, attr_table tb)
{
	sa->replay_window = p->replay_window;
	sa->esn = (p->flags & XFRM_STATE_ESN) != 0;
	if (!tb[XFRMA_REPLAY_ESN_VAL])
		return 0;
	const struct xfrm_replay_state_esn *r = mnl_attr_get_payload(tb[XFRMA_REPLAY_ESN_VAL]);
	size_t len = mnl_attr_get_payload_len(tb[XFRMA_REPLAY_ESN_VAL]);
	if (r->bmp_len > XFRMA_REPLAY_ESN_MAX / 32 || sizeof(*r) + (size_t)r->bmp_len * 4 > len ||
	    r->replay_window > r->bmp_len * 32)
		return -EBADMSG;
	sa->replay_window = r->replay_window;
	return 0;
}

static int sa_info_from(struct xfrm_sa_parsed *out, const struct xfrm_usersa_info *p)
{
	struct kernel_sa *sa = &out->sa;
	if (!family_ok(p->family))
		return -EBADMSG;
	xfrm_addr_from(&sa->dst, &p->id.daddr, p->family);
	xfrm_addr_from(&sa->src, &p->saddr, p->family);
	sa->spi = ntohl(p->id.spi);
	sa->proto = (enum kernel_proto)p->id.proto;
	sa->mode = p->mode == XFRM_MODE_TUNNEL ? KERNEL_MODE_TUNNEL : KERNEL_MODE_TRANSPORT;
	sa->reqid = p->reqid;
	sa->seq = p->seq;
	lifetime_from(&sa->soft, &sa->hard, &p->lft);
	if (p->sel.family && selector_from(&out->sel, &p->sel) == 0)
		sa->sel = &out->sel;
	out->stats.bytes = p->curlft.bytes;
	out->stats.packets = p->curlft.packets;
	out->stats.add_time = p->curlft.add_time;
	out->stats.use_time = p->curlft.use_time;
	out->stats.replay_drops = p->stats.replay;
	out->stats.integrity_failed = p->stats.integrity_failed;
	out->stats.reqid = p->reqid;
	out->stats.mode = sa->mode;
	return 0;
}

static int sa_from(struct xfrm_sa_parsed *out, const struct xfrm_usersa_info *p, attr_table tb)
{
	memset(out, 0, sizeof(*out));
	int r = sa_info_from(out, p);
	if (r == 0)
		r = algs_from(&out->sa, tb);
	if (r == 0)
		r = replay_from(&out->sa, p, tb);
	if (r == 0 && tb[XFRMA_ENCAP]) {
		const struct xfrm_encap_tmpl *e = mnl_attr_get_payload(tb[XFRMA_ENCAP]);
		out->sa.encap.enabled = true;
		out->sa.encap.sport = ntohs(e->encap_sport);
		out->sa.encap.dport = ntohs(e->encap_dport);
	}
	return r;
}

int xfrm_parse_sa(const struct nlmsghdr *nlh, struct xfrm_sa_parsed *out)
{
	attr_table tb;
	if (nlh->nlmsg_type != XFRM_MSG_NEWSA && nlh->nlmsg_type != XFRM_MSG_UPDSA)
		return -EBADMSG;
	int r = parse_attrs(nlh, sizeof(struct xfrm_usersa_info), tb);
	if (r < 0)
		return r;
	/* Messages are only 4-aligned in a batch: copy fixed parts holding u64s. */
	struct xfrm_usersa_info p;
	memcpy(&p, mnl_nlmsg_get_payload(nlh), sizeof(p));
	return sa_from(out, &p, tb);
}

/* ---- Policies -------------------------------------------------------------------- */

static int tmpl_from(struct kernel_tmpl *t, const struct xfrm_user_tmpl *x)
{
	memset(t, 0, sizeof(*t));
	t->proto = (enum kernel_proto)x->id.proto;
	t->mode = x->mode == XFRM_MODE_TUNNEL ? KERNEL_MODE_TUNNEL : KERNEL_MODE_TRANSPORT;
	if (t->mode == KERNEL_MODE_TUNNEL) {
		if (!family_ok(x->family))
			return -EBADMSG;
		xfrm_addr_from(&t->dst, &x->id.daddr, x->family);
		xfrm_addr_from(&t->src, &x->saddr, x->family);
	}
	t->reqid = x->reqid;
	t->level = x->optional ? KERNEL_LEVEL_USE
		   : x->reqid ? KERNEL_LEVEL_UNIQUE : KERNEL_LEVEL_REQUIRE;
	return 0;
}

/* -ENOENT for per-socket policies (not part of the SPD proper). */
static int policy_from(struct kernel_policy *p, const struct xfrm_userpolicy_info *i,
		       const struct nlattr *tmpl)
{
	memset(p, 0, sizeof(*p));
	if (i->dir >= XFRM_POLICY_MAX)
		return -ENOENT;
	int r = selector_from(&p->sel, &i->sel);
	if (r < 0)
		return r;
	p->dir = i->dir == XFRM_POLICY_IN ? KERNEL_DIR_IN
		 : i->dir == XFRM_POLICY_OUT ? KERNEL_DIR_OUT : KERNEL_DIR_FWD;
	p->priority = i->priority;
	p->index = i->index;
	struct kernel_lifetime soft;
	lifetime_from(&soft, &p->hard, &i->lft);
	size_t n = tmpl ? mnl_attr_get_payload_len(tmpl) / sizeof(struct xfrm_user_tmpl) : 0;
	if (n > KERNEL_MAX_TMPL)
		return -E2BIG;
	const struct xfrm_user_tmpl *t = tmpl ? mnl_attr_get_payload(tmpl) : NULL;
	for (size_t k = 0; k < n; k++) {
		struct xfrm_user_tmpl copy;
		memcpy(&copy, &t[k], sizeof(copy)); /* attribute payloads are only 4-aligned */
		if ((r = tmpl_from(&p->tmpl[k], &copy)) < 0)
			return r;
	}
	p->n_tmpl = n;
	p->action = i->action == XFRM_POLICY_BLOCK ? KERNEL_POLICY_DISCARD
		    : n ? KERNEL_POLICY_IPSEC : KERNEL_POLICY_BYPASS;
	return 0;
}

int xfrm_parse_policy(const struct nlmsghdr *nlh, struct kernel_policy *out)
{
	attr_table tb;
	if (nlh->nlmsg_type != XFRM_MSG_NEWPOLICY && nlh->nlmsg_type != XFRM_MSG_UPDPOLICY)
		return -EBADMSG;
	int r = parse_attrs(nlh, sizeof(struct xfrm_userpolicy_info), tb);
	if (r < 0)
		return r;
	struct xfrm_userpolicy_info i;
	memcpy(&i, mnl_nlmsg_get_payload(nlh), sizeof(i));
	return policy_from(out, &i, tb[XFRMA_TMPL]);
}

/* ---- Events ---------------------------------------------------------------------- */

static int acquire_from(struct kernel_event *ev, const struct nlmsghdr *nlh)
{
	attr_table tb;
	int r = parse_attrs(nlh, sizeof(struct xfrm_user_acquire), tb);
	if (r < 0)
		return r;
	struct xfrm_user_acquire acq;
	const struct xfrm_user_acquire *a = &acq;
	memcpy(&acq, mnl_nlmsg_get_payload(nlh), sizeof(acq));
	ev->type = KERNEL_EV_ACQUIRE;
	r = policy_from(&ev->u.acquire.policy, &a->policy, tb[XFRMA_TMPL]);
	if (r < 0)
		return r == -ENOENT ? -EBADMSG : r;
	/* The template asking for an SA of this protocol; its family is the SA's. */
	uint16_t family = a->policy.sel.family;
	for (size_t k = 0; k < ev->u.acquire.policy.n_tmpl; k++) {
		const struct kernel_tmpl *t = &ev->u.acquire.policy.tmpl[k];
		if ((uint8_t)t->proto == a->id.proto) {
			ev->u.acquire.tmpl = *t;
			if (t->mode == KERNEL_MODE_TUNNEL)
				family = t->dst.sa.sa_family;
			break;
		}
	}
	if (!family_ok(family))
		return -EBADMSG;
	if (!ev->u.acquire.tmpl.proto)
		ev->u.acquire.tmpl.proto = (enum kernel_proto)a->id.proto;
	xfrm_addr_from(&ev->u.acquire.src, &a->saddr, family);
	xfrm_addr_from(&ev->u.acquire.dst, &a->id.daddr, family);
	ev->u.acquire.seq = a->seq;
	return 0;
}

static int expire_from(struct kernel_event *ev, const struct nlmsghdr *nlh)
{
	attr_table tb;
	int r = parse_attrs(nlh, sizeof(struct xfrm_user_expire), tb);
	if (r < 0)
		return r;
	struct xfrm_user_expire exp;
	const struct xfrm_user_expire *e = &exp;
	memcpy(&exp, mnl_nlmsg_get_payload(nlh), sizeof(exp));
	struct xfrm_sa_parsed sa;
	memset(&sa, 0, sizeof(sa));
	if ((r = sa_info_from(&sa, &e->state)) < 0)
		return r;
	ev->type = e->hard ? KERNEL_EV_EXPIRE_HARD : KERNEL_EV_EXPIRE_SOFT;
	ev->u.expire.id.src = sa.sa.src;
	ev->u.expire.id.dst = sa.sa.dst;
	ev->u.expire.id.spi = sa.sa.spi;
	ev->u.expire.id.proto = sa.sa.proto;
	ev->u.expire.reqid = sa.sa.reqid;
	ev->u.expire.stats = sa.stats;
	return 0;
}

static int mapping_from(struct kernel_event *ev, const struct nlmsghdr *nlh)
{
	attr_table tb;
	int r = parse_attrs(nlh, sizeof(struct xfrm_user_mapping), tb);
	if (r < 0)
		return r;
	struct xfrm_user_mapping map;
	const struct xfrm_user_mapping *m = &map;
	memcpy(&map, mnl_nlmsg_get_payload(nlh), sizeof(map));
	if (!family_ok(m->id.family))
		return -EBADMSG;
	ev->type = KERNEL_EV_MAPPING;
	xfrm_addr_from(&ev->u.mapping.id.dst, &m->id.daddr, m->id.family);
	ev->u.mapping.id.spi = ntohl(m->id.spi);
	ev->u.mapping.id.proto = (enum kernel_proto)m->id.proto;
	ev->u.mapping.reqid = m->reqid;
	xfrm_addr_from(&ev->u.mapping.old_addr, &m->old_saddr, m->id.family);
	xfrm_addr_from(&ev->u.mapping.new_addr, &m->new_saddr, m->id.family);
	addr_set_port(&ev->u.mapping.old_addr, ntohs(m->old_sport));
	addr_set_port(&ev->u.mapping.new_addr, ntohs(m->new_sport));
	return 0;
}

static int policy_event_from(struct kernel_event *ev, const struct nlmsghdr *nlh)
{
	attr_table tb;
	int r;
	switch (nlh->nlmsg_type) {
	case XFRM_MSG_NEWPOLICY:
	case XFRM_MSG_UPDPOLICY:
		ev->type = KERNEL_EV_POLICY_ADDED;
		return xfrm_parse_policy(nlh, &ev->u.policy.policy);
	case XFRM_MSG_DELPOLICY:
		/* An id header, the deleted policy in XFRMA_POLICY. */
		if ((r = parse_attrs(nlh, sizeof(struct xfrm_userpolicy_id), tb)) < 0)
			return r;
		if (!tb[XFRMA_POLICY])
			return -EBADMSG;
		ev->type = KERNEL_EV_POLICY_DELETED;
		struct xfrm_userpolicy_info del;
		memcpy(&del, mnl_attr_get_payload(tb[XFRMA_POLICY]), sizeof(del));
		return policy_from(&ev->u.policy.policy, &del, tb[XFRMA_TMPL]);
	case XFRM_MSG_POLEXPIRE: {
		if ((r = parse_attrs(nlh, sizeof(struct xfrm_user_polexpire), tb)) < 0)
			return r;
		struct xfrm_user_polexpire pe;
		const struct xfrm_user_polexpire *e = &pe;
		memcpy(&pe, mnl_nlmsg_get_payload(nlh), sizeof(pe));
		if (!e->hard)
			return -ENOENT; /* only the hard one removes the policy */
		ev->type = KERNEL_EV_POLEXPIRE;
		return policy_from(&ev->u.policy.policy, &e->pol, tb[XFRMA_TMPL]);
	}
	default:
		ev->type = KERNEL_EV_POLICY_FLUSHED;
		return 0;
	}
}

int xfrm_parse_event(const struct nlmsghdr *nlh, struct kernel_event *ev)
{
	struct kernel_event tmp;
	int r;
	memset(&tmp, 0, sizeof(tmp));
	switch (nlh->nlmsg_type) {
	case XFRM_MSG_ACQUIRE:
		r = acquire_from(&tmp, nlh);
		break;
	case XFRM_MSG_EXPIRE:
		r = expire_from(&tmp, nlh);
		break;
	case XFRM_MSG_MAPPING:
		r = mapping_from(&tmp, nlh);
		break;
	case XFRM_MSG_NEWPOLICY:
	case XFRM_MSG_UPDPOLICY:
	case XFRM_MSG_DELPOLICY:
	case XFRM_MSG_POLEXPIRE:
	case XFRM_MSG_FLUSHPOLICY:
		r = policy_event_from(&tmp, nlh);
		break;
	default:
		return -ENOENT;
	}
	if (r == 0)
		*ev = tmp;
	return r;
}
