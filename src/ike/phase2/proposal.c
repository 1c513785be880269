/* proposal: Quick Mode SA payloads (RFC 2407 4.5): ESP / AH / IPComp bundles, one
 * proposal number per bundle, every enc x auth combination of the sainfo. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "conf/conf.h"
#include "ike/phase1.h"
#include "ike/phase2/p2.h"
#include "ike/phase2/policy.h"
#include "kernel/kernel.h"
#include "log/log.h"

struct p2_trans {
	uint8_t num, id;
	uint16_t auth;      /* IPSEC_AUTH_*, 0 = none */
	uint16_t encap;
	uint16_t group;
	unsigned key_bits;
	uint32_t life_s, life_kb;
};

static uint8_t ah_id_of(uint16_t auth)
{
	switch (auth) {
	case IPSEC_AUTH_HMAC_MD5: return ISAKMP_AH_MD5;
	case IPSEC_AUTH_HMAC_SHA1: return ISAKMP_AH_SHA;
	case IPSEC_AUTH_HMAC_SHA2_256: return ISAKMP_AH_SHA2_256;
	case IPSEC_AUTH_HMAC_SHA2_384: return ISAKMP_AH_SHA2_384;
	case IPSEC_AUTH_HMAC_SHA2_512: return ISAKMP_AH_SHA2_512;
	default: return 0;
	}
}

static bool is_aead(uint16_t enc)
{
	return enc == ISAKMP_ESP_AES_GCM_8 || enc == ISAKMP_ESP_AES_GCM_12 ||
	       enc == ISAKMP_ESP_AES_GCM_16;
}

static void put_attrs(struct isakmp_builder *b, const struct p2_trans *t)
{
	if (t->life_s) {
		isakmp_build_attr_tv(b, IPSEC_ATTR_SA_LIFE_TYPE, IPSEC_LIFE_SECONDS);
		isakmp_build_attr_num(b, IPSEC_ATTR_SA_LIFE_DURATION, t->life_s);
	}
	if (t->life_kb) {
		isakmp_build_attr_tv(b, IPSEC_ATTR_SA_LIFE_TYPE, IPSEC_LIFE_KILOBYTES);
		isakmp_build_attr_num(b, IPSEC_ATTR_SA_LIFE_DURATION, t->life_kb);
	}
	if (t->group)
		isakmp_build_attr_tv(b, IPSEC_ATTR_GROUP_DESC, t->group);
	isakmp_build_attr_tv(b, IPSEC_ATTR_ENCAP_MODE, t->encap);
	if (t->auth)
		isakmp_build_attr_tv(b, IPSEC_ATTR_AUTH, t->auth);
	if (t->key_bits)
		isakmp_build_attr_tv(b, IPSEC_ATTR_KEY_LENGTH, (uint16_t)t->key_bits);
}

static void put_proto(struct isakmp_builder *b, uint8_t pnum, const struct ike_ph2_proto *pp,
		      const struct p2_trans *t)
{
	uint8_t spi[4] = { (uint8_t)(pp->spi_in >> 24), (uint8_t)(pp->spi_in >> 16),
			   (uint8_t)(pp->spi_in >> 8), (uint8_t)pp->spi_in };
	bool comp = pp->proto == ISAKMP_PROTO_IPCOMP;
	isakmp_build_proposal_begin(b, pnum, pp->proto, comp ? spi + 2 : spi, comp ? 2 : 4);
	isakmp_build_transform_begin(b, t->num, t->id);
	put_attrs(b, t);
}

/* The transform for protocol q->p[k] in the proposal of encryption i and integrity j;
 * false when that pair is no proposal of its own (AEAD: only with j == 0). */
static bool combo_trans(const struct ike_ph2 *q, unsigned i, unsigned j, unsigned k,
			struct p2_trans *t)
{
	const struct ike_ph2_conf *cf = &q->cf;
	uint16_t auth = cf->n_auth ? cf->auth[j] : 0;
	bool aead = q->req.esp && is_aead(cf->enc[i].enc);
	const struct ike_ph2_proto *pp = &q->p[k];
	if (aead && j > 0)
		return false; /* AEAD: one proposal without an auth attribute */
	*t = (struct p2_trans){ .num = 1, .encap = q->encap, .group = (uint16_t)cf->pfs_group,
				.life_s = cf->lifetime_s };
	if (pp->proto == ISAKMP_PROTO_IPSEC_ESP) {
		t->id = (uint8_t)cf->enc[i].enc;
		t->key_bits = cf->enc[i].keylen;
		t->auth = aead ? 0 : auth;
	} else if (pp->proto == ISAKMP_PROTO_IPSEC_AH) {
		t->id = ah_id_of(auth);
		t->auth = auth;
	} else {
		t->id = cf->n_comp ? (uint8_t)cf->comp[0] : ISAKMP_IPCOMP_DEFLATE;
		t->group = 0;
	}
	return true;
}

/* Whether the kernel backend installs every protocol of proposal (i, j) but those in
 * skip (1 << ISAKMP_PROTO_*). */
static bool combo_installable(const struct ike_ph2 *q, unsigned i, unsigned j, unsigned skip,
			      char *why, size_t n)
{
	const struct kernel_caps *c = ike_p2_caps(q->eng);
	for (unsigned k = 0; k < q->np; k++) {
		struct p2_trans t;
		if (!(skip & 1u << q->p[k].proto) && combo_trans(q, i, j, k, &t) &&
		    !ike_p2_installable(c, q->p[k].proto, t.id, t.auth, t.key_bits, why, n))
			return false;
	}
	return true;
}

static unsigned n_enc_of(const struct ike_ph2 *q) { return q->req.esp ? q->cf.n_enc : 1; }
static unsigned n_auth_of(const struct ike_ph2 *q) { return q->cf.n_auth ? q->cf.n_auth : 1; }

/* The protocols of q from templates of level `use` (optional), as 1 << ISAKMP_PROTO_*;
 * 0 when nothing would be left without them. */
static unsigned optional_protos(const struct ike_ph2 *q)
{
	unsigned opt = 0, req = 0;
	for (unsigned k = 0; k < q->np; k++) {
		if (q->req.optional & 1u << q->p[k].proto)
			opt |= 1u << q->p[k].proto;
		else
			req |= 1u << q->p[k].proto;
	}
	return req ? opt : 0;
}

bool ike_p2_offerable(struct ike_ph2 *q, char *why, size_t n)
{
	unsigned ok = 0;
	char skip[256] = "";
	snprintf(why, n, "the sainfo has no algorithms");
	for (unsigned i = 0; i < n_enc_of(q); i++)
		for (unsigned j = 0; j < n_auth_of(q); j++) {
			struct p2_trans t;
			char w[256];
			if (!combo_trans(q, i, j, 0, &t))
				continue;
			/* the required protocols are enough (the fallback bundle) */
			if (combo_installable(q, i, j, optional_protos(q), w, sizeof(w)))
				ok++;
			else if (strcmp(w, skip)) { /* each reason once (they repeat per pair) */
				log_info("ike", "not proposing %s", w);
				snprintf(skip, sizeof(skip), "%s", w);
				snprintf(why, n, "nothing in the sainfo can be installed: %s", w);
			}
		}
	return ok > 0;
}

/* One proposal number per installable enc x auth combination, for the protocols of q
 * not in skip. */
static void put_bundles(struct ike_ph2 *q, struct isakmp_builder *b, uint8_t *pnum,
			unsigned skip)
{
	char why[256];
	unsigned n_enc = skip & 1u << ISAKMP_PROTO_IPSEC_ESP ? 1 : n_enc_of(q);
	for (unsigned i = 0; i < n_enc; i++) {
		for (unsigned j = 0; j < n_auth_of(q); j++) {
			struct p2_trans t;
			if (!combo_trans(q, i, j, 0, &t) ||
			    !combo_installable(q, i, j, skip, why, sizeof(why)))
				continue;
			for (unsigned k = 0; k < q->np; k++) {
				if (skip & 1u << q->p[k].proto)
					continue;
				combo_trans(q, i, j, k, &t);
				put_proto(b, *pnum, &q->p[k], &t);
			}
			if (*pnum == 255)
				return;
			(*pnum)++;
		}
	}
}

int ike_p2_build_sa(struct ike_ph2 *q, struct isakmp_builder *b)
{
	uint8_t pnum = 1;
	isakmp_build_sa_begin(b, ISAKMP_DOI_IPSEC, ISAKMP_SIT_IDENTITY_ONLY);
	put_bundles(q, b, &pnum, 0);
	/* Templates of level `use` are optional: the same again without them, so a peer
	 * that cannot do them still gives us the required ones (ike_p2_accept). */
	unsigned opt = optional_protos(q);
	if (opt && pnum < 255)
		put_bundles(q, b, &pnum, opt);
	if (pnum == 1)
		return -ENOTSUP; /* ike_p2_offerable() said why before the SPIs were taken */
	int r = isakmp_build_end(b);
	if (r == 0) {
		buf_free(&q->sa_b);
		r = buf_dup(&q->sa_b, b->out->ptr + b->last_body_off, b->last_body_len, false);
	}
	return r;
}

static bool decode(const struct isakmp_transform *tr, struct p2_trans *o)
{
	memset(o, 0, sizeof(*o));
	o->num = tr->num;
	o->id = tr->id;
	uint16_t life_type = 0;
	for (unsigned i = 0; i < tr->nattrs; i++) {
		const struct isakmp_attr *a = &tr->attrs[i];
		uint64_t v;
		if (!isakmp_attr_u64(a, &v))
			return false;
		if (v > UINT32_MAX)
			v = UINT32_MAX;
		switch (a->type) {
		case IPSEC_ATTR_SA_LIFE_TYPE: life_type = (uint16_t)v; break;
		case IPSEC_ATTR_SA_LIFE_DURATION:
			if (life_type == IPSEC_LIFE_SECONDS)
				o->life_s = (uint32_t)v;
			else if (life_type == IPSEC_LIFE_KILOBYTES)
				o->life_kb = (uint32_t)v;
			else
				return false;
			break;
		case IPSEC_ATTR_GROUP_DESC: o->group = (uint16_t)v; break;
		case IPSEC_ATTR_ENCAP_MODE: o->encap = (uint16_t)v; break;
		case IPSEC_ATTR_AUTH: o->auth = (uint16_t)v; break;
		case IPSEC_ATTR_KEY_LENGTH: o->key_bits = (unsigned)v; break;
		default: return false;
		}
	}
	if (o->encap == IPSEC_ENCAP_UDP_TUNNEL || o->encap == IPSEC_ENCAP_UDP_TUNNEL_DRAFT)
		o->encap = IPSEC_ENCAP_TUNNEL;
	if (o->encap == IPSEC_ENCAP_UDP_TRANSPORT || o->encap == IPSEC_ENCAP_UDP_TRANSPORT_DRAFT)
		o->encap = IPSEC_ENCAP_TRANSPORT;
	if (!o->encap)
		o->encap = IPSEC_ENCAP_TRANSPORT; /* RFC 2407 4.5: unspecified -> host dependent */
	return true;
}

static bool in_list(const uint16_t *l, unsigned n, uint16_t v)
{
	for (unsigned i = 0; i < n; i++)
		if (l[i] == v)
			return true;
	return false;
}

static bool keylen_ok(int check, unsigned peer, unsigned ours)
{
	if (check == CONF_PCHECK_OBEY)
		return true;
	if (check == CONF_PCHECK_EXACT)
		return peer == ours;
	return peer >= ours;
}

/* Whether we accept transform t for protocol proto under q's sainfo. */
static bool acceptable(const struct ike_ph2 *q, uint8_t proto, const struct p2_trans *t)
{
	const struct ike_ph2_conf *cf = &q->cf;
	char why[256];
	if (!ike_p2_installable(ike_p2_caps(q->eng), proto, t->id, t->auth, t->key_bits, why,
				sizeof(why)))
		return false; /* never select what the kernel would install wrongly */
	switch (proto) {
	case ISAKMP_PROTO_IPSEC_ESP:
		for (unsigned i = 0; i < cf->n_enc; i++) {
			if (cf->enc[i].enc != t->id ||
			    !keylen_ok(cf->proposal_check, t->key_bits, cf->enc[i].keylen))
				continue;
			if (is_aead(t->id) ? t->auth == 0
					   : in_list(cf->auth, cf->n_auth, t->auth))
				return ike_p2_enc_key_len(t->id, t->key_bits) >= 0;
		}
		return false;
	case ISAKMP_PROTO_IPSEC_AH:
		return t->auth && ah_id_of(t->auth) == t->id && in_list(cf->auth, cf->n_auth, t->auth);
	case ISAKMP_PROTO_IPCOMP:
		return in_list(cf->comp, cf->n_comp, t->id) || (!cf->n_comp && t->id == ISAKMP_IPCOMP_DEFLATE);
	default:
		return false;
	}
}

/* PFS: if we want it, the peer must offer our group; if we do not, any known group. */
static bool group_ok(const struct ike_ph2 *q, uint16_t g)
{
	if (q->cf.pfs_group)
		return g == q->cf.pfs_group;
	return !g || dh_group_by_id(g);
}

/* One bundle: proposals [i, j) with the same number. */
static bool try_bundle(struct ike_ph2 *q, const struct isakmp_proposal *ps, unsigned n,
		       struct p2_trans *chosen)
{
	uint16_t encap = 0, group = 0xffff;
	uint32_t life = 0;
	if (n > IKE_MAX_PH2_PROTO)
		return false;
	for (unsigned i = 0; i < n; i++) {
		const struct isakmp_proposal *p = &ps[i];
		bool comp = p->proto == ISAKMP_PROTO_IPCOMP;
		if (p->spi_len != (comp ? 2 : 4) && !(comp && p->spi_len == 4))
			return false;
		for (unsigned k = 0; k < i; k++)
			if (ps[k].proto == p->proto)
				return false;
		bool found = false;
		for (unsigned t = 0; t < p->ntransforms && !found; t++) {
			struct p2_trans tr;
			if (!decode(&p->transforms[t], &tr) || !acceptable(q, p->proto, &tr))
				continue;
			if (encap && tr.encap != encap)
				continue;
			if (!comp && (!group_ok(q, tr.group) || (group != 0xffff && tr.group != group)))
				continue;
			bool claim = false;
			uint32_t l = ike_lifetime_check(q->cf.proposal_check, tr.life_s,
							q->cf.lifetime_s, &claim);
			if (!l)
				continue;
			q->responder_lifetime |= claim;
			q->peer_life_s = tr.life_s;
			chosen[i] = tr;
			chosen[i].life_s = l;
			encap = tr.encap;
			if (!comp)
				group = tr.group;
			life = l;
			found = true;
		}
		if (!found)
			return false;
	}
	q->np = n;
	for (unsigned i = 0; i < n; i++) {
		struct ike_ph2_proto *pp = &q->p[i];
		const struct isakmp_proposal *p = &ps[i];
		memset(pp, 0, sizeof(*pp));
		pp->proto = p->proto;
		pp->trans_id = chosen[i].id;
		pp->auth = chosen[i].auth;
		pp->key_bits = chosen[i].key_bits;
		for (unsigned k = 0; k < p->spi_len; k++)
			pp->spi_out = pp->spi_out << 8 | p->spi[k];
		pp->owner = q;
	}
	q->encap = encap;
	q->lifetime_s = life;
	q->lifetime_kb = chosen[0].life_kb;
	q->pfs = group != 0xffff && group ? dh_group_by_id(group) : NULL;
	return true;
}

/* Nothing chosen: if the peer offered transforms our backend cannot install, say which
 * and what to do, since the configuration alone does not explain the refusal. */
static void explain_refusal(const struct ike_ph2 *q, const struct isakmp_sa *s)
{
	const struct kernel_caps *c = ike_p2_caps(q->eng);
	char all[768] = "", why[256];
	size_t len = 0;
	for (unsigned i = 0; c && i < s->nproposals; i++) {
		const struct isakmp_proposal *p = &s->proposals[i];
		for (unsigned t = 0; t < p->ntransforms; t++) {
			struct p2_trans tr;
			if (!decode(&p->transforms[t], &tr) ||
			    ike_p2_installable(c, p->proto, tr.id, tr.auth, tr.key_bits, why,
					       sizeof(why)) ||
			    strstr(all, why))
				continue;
			int w = snprintf(all + len, sizeof(all) - len, "%s%s", len ? "; " : "", why);
			if (w < 0 || (size_t)w >= sizeof(all) - len)
				break;
			len += (size_t)w;
		}
	}
	if (len)
		log_error("ike", "NO-PROPOSAL-CHOSEN: the peer offered what the %s backend cannot "
				 "install: %s", c->backend, all);
}

uint16_t ike_p2_select(struct ike_ph2 *q, const struct isakmp_payload *sa)
{
	const struct isakmp_sa *s = &sa->u.sa;
	struct p2_trans chosen[IKE_MAX_PH2_PROTO];
	if (s->doi != ISAKMP_DOI_IPSEC)
		return ISAKMP_N_DOI_NOT_SUPPORTED;
	if (s->situation != ISAKMP_SIT_IDENTITY_ONLY)
		return ISAKMP_N_SITUATION_NOT_SUPPORTED;
	/* First the bundles our policy asks for (policy.h); failing that the first we can
	 * do, which ike_ph2_policy_check then refuses with the reason in the log. */
	for (int pass = 0; pass < 2; pass++) {
		for (unsigned i = 0; i < s->nproposals;) {
			unsigned j = i + 1;
			while (j < s->nproposals && s->proposals[j].num == s->proposals[i].num)
				j++;
			if (try_bundle(q, &s->proposals[i], j - i, chosen) &&
			    (pass || ike_ph2_policy_fits(q))) {
				q->prop_num = s->proposals[i].num;
				for (unsigned k = 0; k < q->np; k++)
					q->p[k].trans_num = chosen[k].num; /* echoed in the answer */
				return 0;
			}
			i = j;
		}
	}
	explain_refusal(q, s);
	return ISAKMP_N_NO_PROPOSAL_CHOSEN;
}

/* RFC 2407 4.6.3.1: our shorter lifetime, for the initiator to adopt. */
static int put_responder_lifetime(struct ike_ph2 *q, struct isakmp_builder *b)
{
	const struct ike_ph2_proto *pp = &q->p[0];
	uint8_t spi[4] = { (uint8_t)(pp->spi_in >> 24), (uint8_t)(pp->spi_in >> 16),
			   (uint8_t)(pp->spi_in >> 8), (uint8_t)pp->spi_in };
	uint32_t l = q->lifetime_s;
	uint8_t a[12] = { 0x80, IPSEC_ATTR_SA_LIFE_TYPE, 0, IPSEC_LIFE_SECONDS,
			  0, IPSEC_ATTR_SA_LIFE_DURATION, 0, 4,
			  (uint8_t)(l >> 24), (uint8_t)(l >> 16), (uint8_t)(l >> 8), (uint8_t)l };
	return isakmp_build_notify(b, ISAKMP_DOI_IPSEC, pp->proto, ISAKMP_N_RESPONDER_LIFETIME,
				   spi, 4, a, sizeof(a));
}

uint32_t ike_p2_responder_lifetime(const struct isakmp_notify_pl *n)
{
	const uint8_t *p = n->data, *end = n->data + n->len;
	uint16_t type = 0;
	uint32_t out = 0;
	while (end - p >= 4) {
		uint16_t t = (uint16_t)(p[0] << 8 | p[1]), v = (uint16_t)(p[2] << 8 | p[3]);
		uint64_t val = v;
		p += 4;
		if (!(t & ISAKMP_ATTR_AF_TV)) {
			if (v > 8 || end - p < v)
				return 0;
			val = 0;
			for (unsigned i = 0; i < v; i++)
				val = val << 8 | p[i];
			p += v;
		}
		t &= ISAKMP_ATTR_TYPE_MASK;
		if (t == IPSEC_ATTR_SA_LIFE_TYPE)
			type = (uint16_t)val;
		else if (t == IPSEC_ATTR_SA_LIFE_DURATION && type == IPSEC_LIFE_SECONDS)
			out = val > UINT32_MAX ? UINT32_MAX : (uint32_t)val;
	}
	return out;
}

int ike_p2_build_reply(struct ike_ph2 *q, struct isakmp_builder *b)
{
	isakmp_build_sa_begin(b, ISAKMP_DOI_IPSEC, ISAKMP_SIT_IDENTITY_ONLY);
	for (unsigned k = 0; k < q->np; k++) {
		const struct ike_ph2_proto *pp = &q->p[k];
		bool comp = pp->proto == ISAKMP_PROTO_IPCOMP;
		struct p2_trans t = { .num = pp->trans_num, .id = pp->trans_id, .auth = pp->auth,
				      .encap = q->encap, .key_bits = pp->key_bits,
				      .group = (!comp && q->pfs) ? q->pfs->id : 0,
				      .life_s = q->responder_lifetime ? q->peer_life_s : q->lifetime_s,
				      .life_kb = q->lifetime_kb };
		put_proto(b, q->prop_num, pp, &t);
	}
	int r = isakmp_build_end(b);
	if (r == 0 && q->responder_lifetime)
		r = put_responder_lifetime(q, b);
	return r;
}

/* The responder chose a bundle without some `use` protocols: drop them from q (their
 * SPIs are not indexed yet; the kernel's larval SAs expire by themselves). */
static bool drop_declined(struct ike_ph2 *q, const struct isakmp_sa *s)
{
	if (s->nproposals >= q->np)
		return s->nproposals == q->np;
	unsigned k = 0, n = 0;
	for (unsigned i = 0; i < q->np; i++) {
		if (k < s->nproposals && s->proposals[k].proto == q->p[i].proto) {
			if (n != i) {
				q->p[n] = q->p[i];
				memset(&q->p[i], 0, sizeof(q->p[i]));
			}
			n++;
			k++;
		} else if (!(q->req.optional & 1u << q->p[i].proto)) {
			return false;
		} else {
			log_info("ike", "the peer declined the optional (level use) %s SA",
				 q->p[i].proto == ISAKMP_PROTO_IPCOMP ? "IPComp"
				 : q->p[i].proto == ISAKMP_PROTO_IPSEC_AH ? "AH" : "ESP");
		}
	}
	if (k != s->nproposals || !n)
		return false;
	q->np = n;
	return true;
}

uint16_t ike_p2_accept(struct ike_ph2 *q, const struct isakmp_payload *sa)
{
	const struct isakmp_sa *s = &sa->u.sa;
	if (s->doi != ISAKMP_DOI_IPSEC || !s->nproposals || !drop_declined(q, s))
		return ISAKMP_N_BAD_PROPOSAL_SYNTAX;
	for (unsigned i = 0; i < s->nproposals; i++) {
		const struct isakmp_proposal *p = &s->proposals[i];
		struct ike_ph2_proto *pp = &q->p[i];
		struct p2_trans t;
		if (p->num != s->proposals[0].num || p->proto != pp->proto ||
		    p->ntransforms != 1 || !decode(&p->transforms[0], &t))
			return ISAKMP_N_BAD_PROPOSAL_SYNTAX;
		bool comp = p->proto == ISAKMP_PROTO_IPCOMP;
		if (!acceptable(q, p->proto, &t) || t.encap != q->encap ||
		    (!comp && t.group != q->cf.pfs_group) ||
		    (t.life_s && t.life_s > q->cf.lifetime_s))
			return ISAKMP_N_NO_PROPOSAL_CHOSEN;
		if (p->spi_len < 2 || p->spi_len > 4)
			return ISAKMP_N_INVALID_SPI;
		pp->spi_out = 0;
		for (unsigned k = 0; k < p->spi_len; k++)
			pp->spi_out = pp->spi_out << 8 | p->spi[k];
		pp->trans_id = t.id;
		pp->auth = t.auth;
		pp->key_bits = t.key_bits;
		q->lifetime_s = t.life_s ? t.life_s : q->cf.lifetime_s;
		q->lifetime_kb = t.life_kb;
	}
	return 0;
}
