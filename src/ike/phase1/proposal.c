/* proposal: the Phase 1 SA payload: what we offer, what we choose, what we accept. */
#include <string.h>

#include "conf/conf.h"
#include "ike/phase1.h"

uint32_t ike_lifetime_check(int check, uint32_t peer, uint32_t ours, bool *claim)
{
	if (claim)
		*claim = false;
	if (!peer) /* not proposed: ours */
		return ours;
	switch (check) {
	case CONF_PCHECK_OBEY:
		return peer;
	case CONF_PCHECK_EXACT:
		return peer == ours ? peer : 0;
	case CONF_PCHECK_CLAIM:
		if (peer <= ours)
			return peer;
		if (claim)
			*claim = true;
		return ours;
	case CONF_PCHECK_STRICT:
	default:
		return peer <= ours ? peer : 0;
	}
}

static void put_transform(struct isakmp_builder *b, uint8_t num, const struct ike_p1_prop *p)
{
	isakmp_build_transform_begin(b, num, ISAKMP_TRANS_KEY_IKE);
	isakmp_build_attr_tv(b, OAKLEY_ATTR_ENC, p->enc);
	if (p->key_bits)
		isakmp_build_attr_tv(b, OAKLEY_ATTR_KEY_LENGTH, p->key_bits);
	isakmp_build_attr_tv(b, OAKLEY_ATTR_HASH, p->hash);
	isakmp_build_attr_tv(b, OAKLEY_ATTR_AUTH, p->auth);
	isakmp_build_attr_tv(b, OAKLEY_ATTR_GROUP_DESC, p->group);
	if (p->life_s) {
		isakmp_build_attr_tv(b, OAKLEY_ATTR_LIFE_TYPE, OAKLEY_LIFE_SECONDS);
		isakmp_build_attr_num(b, OAKLEY_ATTR_LIFE_DURATION, p->life_s);
	}
	if (p->life_kb) {
		isakmp_build_attr_tv(b, OAKLEY_ATTR_LIFE_TYPE, OAKLEY_LIFE_KILOBYTES);
		isakmp_build_attr_num(b, OAKLEY_ATTR_LIFE_DURATION, p->life_kb);
	}
}

static int keep_sa_body(struct ike_ph1 *p, struct isakmp_builder *b)
{
	buf_free(&p->sa_i_b);
	return buf_dup(&p->sa_i_b, b->out->ptr + b->last_body_off, b->last_body_len, false);
}

int ike_p1_build_sa(struct ike_ph1 *p, struct isakmp_builder *b, const struct ike_p1_prop *pr,
		    unsigned n)
{
	isakmp_build_sa_begin(b, ISAKMP_DOI_IPSEC, ISAKMP_SIT_IDENTITY_ONLY);
	isakmp_build_proposal_begin(b, 1, ISAKMP_PROTO_ISAKMP, NULL, 0);
	for (unsigned i = 0; i < n; i++)
		put_transform(b, (uint8_t)(i + 1), &pr[i]);
	int r = isakmp_build_end(b);
	if (r < 0)
		return r;
	return keep_sa_body(p, b);
}

/* Decode one transform; false when it carries something we do not speak. */
static bool decode(const struct isakmp_transform *t, struct ike_p1_prop *o)
{
	memset(o, 0, sizeof(*o));
	if (t->id != ISAKMP_TRANS_KEY_IKE)
		return false;
	uint16_t life_type = 0;
	for (unsigned i = 0; i < t->nattrs; i++) {
		const struct isakmp_attr *a = &t->attrs[i];
		uint64_t v;
		if (!isakmp_attr_u64(a, &v))
			return false;
		switch (a->type) {
		case OAKLEY_ATTR_ENC: o->enc = (uint16_t)v; break;
		case OAKLEY_ATTR_HASH: o->hash = (uint16_t)v; break;
		case OAKLEY_ATTR_AUTH: o->auth = (uint16_t)v; break;
		case OAKLEY_ATTR_GROUP_DESC: o->group = (uint16_t)v; break;
		case OAKLEY_ATTR_KEY_LENGTH: o->key_bits = (uint16_t)v; break;
		case OAKLEY_ATTR_LIFE_TYPE: life_type = (uint16_t)v; break;
		case OAKLEY_ATTR_LIFE_DURATION:
			if (v > UINT32_MAX)
				v = UINT32_MAX;
			if (life_type == OAKLEY_LIFE_SECONDS)
				o->life_s = (uint32_t)v;
			else if (life_type == OAKLEY_LIFE_KILOBYTES)
				o->life_kb = (uint32_t)v;
			else
				return false;
			break;
		default:
			return false; /* group type/prime, PRF, ...: not supported */
		}
	}
	return o->enc && o->hash && o->auth && o->group;
}

static bool algs_equal(const struct ike_p1_prop *a, const struct ike_p1_prop *b)
{
	return a->enc == b->enc && a->hash == b->hash && a->auth == b->auth &&
	       a->group == b->group;
}

/* Key length: equal, or both absent / default. strict and claim allow a longer key
 * from the peer. */
static bool keylen_ok(int check, const struct ike_p1_prop *peer, const struct ike_p1_prop *ours)
{
	const struct crypto_cipher *c = crypto_cipher_by_ike(ours->enc);
	unsigned pk = peer->key_bits ? peer->key_bits : (c ? c->key_bits_default : 0);
	unsigned ok = ours->key_bits ? ours->key_bits : (c ? c->key_bits_default : 0);
	if (check == CONF_PCHECK_OBEY)
		return true;
	if (check == CONF_PCHECK_EXACT)
		return pk == ok;
	return pk >= ok;
}

/* Set the SA's algorithms from a transform; false when we cannot run it. */
static bool adopt(struct ike_ph1 *p, const struct ike_p1_prop *t, uint32_t life)
{
	const struct crypto_cipher *c = crypto_cipher_by_ike(t->enc);
	const struct crypto_hash *h = crypto_hash_by_ike(t->hash);
	const struct dh_group *g = dh_group_by_id(t->group);
	/* rsasig in Main Mode only (Aggressive Mode runs PSK handlers) */
	bool sig = t->auth == OAKLEY_AUTH_RSA_SIG && p->exchange == ISAKMP_EXCH_IDENT;
	if (!c || !h || !g || (t->auth != OAKLEY_AUTH_PSK && !sig))
		return false;
	int kl = crypto_cipher_key_len(c, t->key_bits);
	if (kl < 0)
		return false;
	p->cipher = c;
	p->enc_keylen = (size_t)kl;
	p->key_bits = t->key_bits;
	p->hash = h;
	p->dh = g;
	p->auth_method = t->auth;
	p->auth = sig ? IKE_AUTH_SIG : IKE_AUTH_PSK;
	p->lifetime_s = life;
	p->lifetime_kb = t->life_kb;
	return true;
}

static uint16_t check_sa_shape(const struct isakmp_payload *sa)
{
	const struct isakmp_sa *s = &sa->u.sa;
	if (s->doi != ISAKMP_DOI_IPSEC)
		return ISAKMP_N_DOI_NOT_SUPPORTED;
	if (s->situation != ISAKMP_SIT_IDENTITY_ONLY)
		return ISAKMP_N_SITUATION_NOT_SUPPORTED;
	if (s->nproposals != 1 || s->proposals[0].proto != ISAKMP_PROTO_ISAKMP)
		return ISAKMP_N_BAD_PROPOSAL_SYNTAX;
	return 0;
}

uint16_t ike_p1_select(struct ike_ph1 *p, const struct isakmp_payload *sa,
		       const struct ike_p1_prop *ours, unsigned n, struct isakmp_builder *b)
{
	uint16_t bad = check_sa_shape(sa);
	if (bad)
		return bad;
	const struct isakmp_proposal *pr = &sa->u.sa.proposals[0];
	for (unsigned i = 0; i < pr->ntransforms; i++) {
		struct ike_p1_prop t;
		if (!decode(&pr->transforms[i], &t))
			continue;
		for (unsigned j = 0; j < n; j++) {
			if (!algs_equal(&t, &ours[j]) || !keylen_ok(p->cf.proposal_check, &t, &ours[j]))
				continue;
			uint32_t life = ike_lifetime_check(p->cf.proposal_check, t.life_s,
							   ours[j].life_s, NULL);
			if (!life || !adopt(p, &t, life))
				continue;
			/* Keep the initiator's SA body (HASH_I/R) and echo the transform. */
			buf_free(&p->sa_i_b);
			if (buf_dup(&p->sa_i_b, sa->body, sa->len, false) < 0)
				return ISAKMP_N_PAYLOAD_MALFORMED;
			struct ike_p1_prop echo = t;
			echo.life_s = life;
			isakmp_build_sa_begin(b, ISAKMP_DOI_IPSEC, ISAKMP_SIT_IDENTITY_ONLY);
			isakmp_build_proposal_begin(b, pr->num, ISAKMP_PROTO_ISAKMP, NULL, 0);
			put_transform(b, pr->transforms[i].num, &echo);
			isakmp_build_end(b);
			return 0;
		}
	}
	return ISAKMP_N_NO_PROPOSAL_CHOSEN;
}

uint16_t ike_p1_accept(struct ike_ph1 *p, const struct isakmp_payload *sa,
		       const struct ike_p1_prop *ours, unsigned n)
{
	uint16_t bad = check_sa_shape(sa);
	if (bad)
		return bad;
	const struct isakmp_proposal *pr = &sa->u.sa.proposals[0];
	struct ike_p1_prop t;
	if (pr->ntransforms != 1 || !decode(&pr->transforms[0], &t))
		return ISAKMP_N_BAD_PROPOSAL_SYNTAX;
	for (unsigned j = 0; j < n; j++) {
		const struct ike_p1_prop *o = &ours[j];
		if (!algs_equal(&t, o) || t.key_bits != o->key_bits)
			continue;
		/* A responder may shorten our lifetime, never extend it. */
		if (t.life_s > o->life_s && o->life_s)
			continue;
		if (adopt(p, &t, t.life_s ? t.life_s : o->life_s))
			return 0;
	}
	return ISAKMP_N_NO_PROPOSAL_CHOSEN;
}
