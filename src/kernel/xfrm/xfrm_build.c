/* xfrm_build: XFRM netlink requests from kernel.h structs (no sockets here). */
#include "kernel/xfrm/xfrm.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/ipsec.h>
#include <linux/udp.h>
#include <netinet/in.h>
#include <string.h>

#include "common/buf.h"

#ifndef UDP_ENCAP_ESPINUDP
#define UDP_ENCAP_ESPINUDP 2
#endif

struct alg_map {
	int alg;
	const char *name;
};

static const struct alg_map enc_map[] = {
	{ KERNEL_ENC_DES, "cbc(des)" },
	{ KERNEL_ENC_3DES, "cbc(des3_ede)" },
	{ KERNEL_ENC_CAST, "cbc(cast5)" },
	{ KERNEL_ENC_BLOWFISH, "cbc(blowfish)" },
	{ KERNEL_ENC_NULL, "ecb(cipher_null)" },
	{ KERNEL_ENC_AES_CBC, "cbc(aes)" },
	{ KERNEL_ENC_AES_CTR, "rfc3686(ctr(aes))" },
	{ KERNEL_ENC_AES_GCM_8, "rfc4106(gcm(aes))" },
	{ KERNEL_ENC_AES_GCM_12, "rfc4106(gcm(aes))" },
	{ KERNEL_ENC_AES_GCM_16, "rfc4106(gcm(aes))" },
	{ KERNEL_ENC_CAMELLIA_CBC, "cbc(camellia)" },
	{ KERNEL_ENC_TWOFISH, "cbc(twofish)" },
};

static const struct alg_map auth_map[] = {
	{ KERNEL_AUTH_HMAC_MD5, "hmac(md5)" },
	{ KERNEL_AUTH_HMAC_SHA1, "hmac(sha1)" },
	{ KERNEL_AUTH_HMAC_SHA2_256, "hmac(sha256)" },
	{ KERNEL_AUTH_HMAC_SHA2_384, "hmac(sha384)" },
	{ KERNEL_AUTH_HMAC_SHA2_512, "hmac(sha512)" },
};

static const struct alg_map comp_map[] = {
	{ KERNEL_COMP_DEFLATE, "deflate" },
	{ KERNEL_COMP_LZS, "lzs" },
	{ KERNEL_COMP_LZJH, "lzjh" },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *map_name(const struct alg_map *m, size_t n, int alg)
{
	for (size_t i = 0; i < n; i++)
		if (m[i].alg == alg)
			return m[i].name;
	return NULL;
}

static int map_alg(const struct alg_map *m, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(m[i].name, name) == 0)
			return m[i].alg;
	return -1;
}

const char *xfrm_enc_name(enum kernel_enc e) { return map_name(enc_map, N(enc_map), e); }
const char *xfrm_auth_name(enum kernel_auth a) { return map_name(auth_map, N(auth_map), a); }
const char *xfrm_comp_name(enum kernel_comp c) { return map_name(comp_map, N(comp_map), c); }
int xfrm_auth_from_name(const char *n) { return map_alg(auth_map, N(auth_map), n); }
int xfrm_comp_from_name(const char *n) { return map_alg(comp_map, N(comp_map), n); }

int xfrm_enc_from_name(const char *name, unsigned aead_icv_bits)
{
	if (strcmp(name, "rfc4106(gcm(aes))") == 0) {
		switch (aead_icv_bits) {
		case 64: return KERNEL_ENC_AES_GCM_8;
		case 96: return KERNEL_ENC_AES_GCM_12;
		case 128: return KERNEL_ENC_AES_GCM_16;
		default: return -1;
		}
	}
	return map_alg(enc_map, N(enc_map), name);
}

void xfrm_addr_to(xfrm_address_t *x, const union sockaddr_any *a)
{
	memset(x, 0, sizeof(*x));
	if (a->sa.sa_family == AF_INET)
		memcpy(&x->a4, &a->sin.sin_addr, 4);
	else if (a->sa.sa_family == AF_INET6)
		memcpy(x->a6, &a->sin6.sin6_addr, 16);
}

static uint64_t lim(uint64_t v) { return v ? v : XFRM_INF; }

static void lifetime_to(struct xfrm_lifetime_cfg *c, const struct kernel_lifetime *soft,
			const struct kernel_lifetime *hard)
{
	c->soft_byte_limit = lim(soft->bytes);
	c->hard_byte_limit = lim(hard->bytes);
	c->soft_packet_limit = lim(soft->packets);
	c->hard_packet_limit = lim(hard->packets);
	c->soft_add_expires_seconds = soft->add_sec;
	c->hard_add_expires_seconds = hard->add_sec;
	c->soft_use_expires_seconds = soft->use_sec;
	c->hard_use_expires_seconds = hard->use_sec;
}

static void selector_to(struct xfrm_selector *x, const struct kernel_selector *s)
{
	memset(x, 0, sizeof(*x));
	x->family = s->src.sa.sa_family;
	xfrm_addr_to(&x->saddr, &s->src);
	xfrm_addr_to(&x->daddr, &s->dst);
	x->prefixlen_s = s->src_plen;
	x->prefixlen_d = s->dst_plen;
	x->proto = s->proto;
	x->sport = htons(s->sport);
	x->dport = htons(s->dport);
	x->sport_mask = s->sport ? 0xffff : 0;
	x->dport_mask = s->dport ? 0xffff : 0;
	x->ifindex = s->ifindex;
}

static struct nlmsghdr *start(void *buf, size_t size, uint32_t seq, uint16_t type, uint16_t flags)
{
	/* Fixed headers are put without checks below: demand room for the largest. */
	if (size < 1024)
		return NULL;
	memset(buf, 0, size < XFRM_REQ_SIZE ? size : XFRM_REQ_SIZE);
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = seq;
	return nlh;
}

static int finish(const struct nlmsghdr *nlh, bool ok)
{
	return ok ? (int)nlh->nlmsg_len : -EMSGSIZE;
}

/* Algorithm attributes. The structs carry the key after a fixed part; build them in a
 * scratch area that is wiped afterwards (it held key material). */
static bool put_algs(struct nlmsghdr *nlh, size_t size, const struct kernel_sa *sa)
{
	uint8_t tmp[sizeof(struct xfrm_algo_aead) + 512];
	bool ok = true;
	if (sa->enc && kernel_enc_is_aead(sa->enc)) {
		struct xfrm_algo_aead *a = (void *)tmp;
		memset(tmp, 0, sizeof(*a));
		strncpy(a->alg_name, xfrm_enc_name(sa->enc), sizeof(a->alg_name) - 1);
		a->alg_key_len = (unsigned)sa->enc_key_len * 8; /* salt included */
		a->alg_icv_len = sa->icv_bits ? sa->icv_bits : kernel_enc_icv_bits(sa->enc);
		memcpy(a->alg_key, sa->enc_key, sa->enc_key_len);
		ok = mnl_attr_put_check(nlh, size, XFRMA_ALG_AEAD, sizeof(*a) + sa->enc_key_len, a);
	} else if (sa->enc) {
		struct xfrm_algo *a = (void *)tmp;
		memset(tmp, 0, sizeof(*a));
		strncpy(a->alg_name, xfrm_enc_name(sa->enc), sizeof(a->alg_name) - 1);
		a->alg_key_len = (unsigned)sa->enc_key_len * 8;
		if (sa->enc_key_len)
			memcpy(a->alg_key, sa->enc_key, sa->enc_key_len);
		ok = mnl_attr_put_check(nlh, size, XFRMA_ALG_CRYPT, sizeof(*a) + sa->enc_key_len, a);
	}
	if (ok && sa->auth) {
		struct xfrm_algo_auth *a = (void *)tmp;
		memset(tmp, 0, sizeof(*a));
		strncpy(a->alg_name, xfrm_auth_name(sa->auth), sizeof(a->alg_name) - 1);
		a->alg_key_len = (unsigned)sa->auth_key_len * 8;
		/* RFC 4868: SHA-256/384/512 truncate to half; never the kernel's 96 default. */
		a->alg_trunc_len = sa->icv_bits ? sa->icv_bits : kernel_auth_icv_bits(sa->auth);
		memcpy(a->alg_key, sa->auth_key, sa->auth_key_len);
		ok = mnl_attr_put_check(nlh, size, XFRMA_ALG_AUTH_TRUNC,
					sizeof(*a) + sa->auth_key_len, a);
	}
	if (ok && sa->comp) {
		struct xfrm_algo *a = (void *)tmp;
		memset(tmp, 0, sizeof(*a));
		strncpy(a->alg_name, xfrm_comp_name(sa->comp), sizeof(a->alg_name) - 1);
		ok = mnl_attr_put_check(nlh, size, XFRMA_ALG_COMP, sizeof(*a), a);
	}
	buf_wipe(tmp, sizeof(tmp));
	return ok;
}

static bool algs_known(const struct kernel_sa *sa)
{
	if (sa->enc && !xfrm_enc_name(sa->enc))
		return false;
	if (sa->auth && !xfrm_auth_name(sa->auth))
		return false;
	if (sa->comp && !xfrm_comp_name(sa->comp))
		return false;
	return sa->enc_key_len <= 512 && sa->auth_key_len <= 512 &&
	       (!sa->enc_key_len || sa->enc_key) && (!sa->auth_key_len || sa->auth_key);
}

/* The SA's own selector: the given one, else host-to-host in transport mode. */
static void sa_selector(struct xfrm_usersa_info *p, const struct kernel_sa *sa)
{
	if (sa->sel) {
		selector_to(&p->sel, sa->sel);
		return;
	}
	memset(&p->sel, 0, sizeof(p->sel));
	p->sel.family = sa->dst.sa.sa_family;
	if (sa->mode == KERNEL_MODE_TRANSPORT && sa->proto != KERNEL_PROTO_COMP) {
		unsigned plen = sa->dst.sa.sa_family == AF_INET ? 32 : 128;
		xfrm_addr_to(&p->sel.saddr, &sa->src);
		xfrm_addr_to(&p->sel.daddr, &sa->dst);
		p->sel.prefixlen_s = p->sel.prefixlen_d = (uint8_t)plen;
	}
}

static bool put_replay(struct nlmsghdr *nlh, size_t size, struct xfrm_usersa_info *p,
		       const struct kernel_sa *sa)
{
	/* Windows beyond 32 packets and ESN need the replay_esn attribute, and then the
	 * fixed field must be 0 (the kernel refuses both at once). */
	if (!sa->esn && sa->replay_window <= 32) {
		p->replay_window = (uint8_t)sa->replay_window;
		return true;
	}
	if (sa->replay_window > XFRMA_REPLAY_ESN_MAX)
		return false;
	uint8_t tmp[sizeof(struct xfrm_replay_state_esn) + XFRMA_REPLAY_ESN_MAX / 8];
	struct xfrm_replay_state_esn *r = (void *)tmp;
	unsigned words = (sa->replay_window + 31) / 32;
	memset(tmp, 0, sizeof(tmp));
	r->bmp_len = words;
	r->replay_window = sa->replay_window;
	p->replay_window = 0;
	if (sa->esn)
		p->flags |= XFRM_STATE_ESN;
	return mnl_attr_put_check(nlh, size, XFRMA_REPLAY_ESN_VAL, sizeof(*r) + words * 4, r);
}

int xfrm_build_sa(void *buf, size_t size, uint32_t seq, const struct kernel_sa *sa, bool update)
{
	if (!algs_known(sa))
		return -EOPNOTSUPP;
	struct nlmsghdr *nlh = start(buf, size, seq, update ? XFRM_MSG_UPDSA : XFRM_MSG_NEWSA,
				     NLM_F_ACK | (update ? 0 : NLM_F_CREATE | NLM_F_EXCL));
	if (!nlh)
		return -EMSGSIZE;
	struct xfrm_usersa_info *p = mnl_nlmsg_put_extra_header(nlh, sizeof(*p));
	xfrm_addr_to(&p->id.daddr, &sa->dst);
	xfrm_addr_to(&p->saddr, &sa->src);
	p->id.spi = htonl(sa->spi);
	p->id.proto = (uint8_t)sa->proto;
	p->family = sa->dst.sa.sa_family;
	p->mode = sa->mode == KERNEL_MODE_TUNNEL ? XFRM_MODE_TUNNEL : XFRM_MODE_TRANSPORT;
	p->reqid = sa->reqid;
	p->seq = sa->seq;
	lifetime_to(&p->lft, &sa->soft, &sa->hard);
	sa_selector(p, sa);
	bool ok = put_replay(nlh, size, p, sa) && put_algs(nlh, size, sa);
	if (ok && sa->encap.enabled) {
		struct xfrm_encap_tmpl e;
		memset(&e, 0, sizeof(e));
		e.encap_type = UDP_ENCAP_ESPINUDP;
		e.encap_sport = htons(sa->encap.sport);
		e.encap_dport = htons(sa->encap.dport);
		if (sa->encap.oa.sa.sa_family)
			xfrm_addr_to(&e.encap_oa, &sa->encap.oa);
		ok = mnl_attr_put_check(nlh, size, XFRMA_ENCAP, sizeof(e), &e);
	}
	return finish(nlh, ok);
}

int xfrm_build_sa_id(void *buf, size_t size, uint32_t seq, uint16_t type,
		     const struct kernel_sa_id *id)
{
	struct nlmsghdr *nlh = start(buf, size, seq, type, type == XFRM_MSG_DELSA ? NLM_F_ACK : 0);
	if (!nlh)
		return -EMSGSIZE;
	struct xfrm_usersa_id *p = mnl_nlmsg_put_extra_header(nlh, sizeof(*p));
	xfrm_addr_to(&p->daddr, &id->dst);
	p->spi = htonl(id->spi);
	p->family = id->dst.sa.sa_family;
	p->proto = (uint8_t)id->proto;
	bool ok = true;
	if (id->src.sa.sa_family == id->dst.sa.sa_family) {
		xfrm_address_t s;
		xfrm_addr_to(&s, &id->src);
		ok = mnl_attr_put_check(nlh, size, XFRMA_SRCADDR, sizeof(s), &s);
	}
	return finish(nlh, ok);
}

int xfrm_build_allocspi(void *buf, size_t size, uint32_t seq, const struct kernel_spi_req *req)
{
	struct nlmsghdr *nlh = start(buf, size, seq, XFRM_MSG_ALLOCSPI, 0);
	if (!nlh)
		return -EMSGSIZE;
	struct xfrm_userspi_info *p = mnl_nlmsg_put_extra_header(nlh, sizeof(*p));
	xfrm_addr_to(&p->info.id.daddr, &req->dst);
	xfrm_addr_to(&p->info.saddr, &req->src);
	p->info.id.proto = (uint8_t)req->proto;
	p->info.family = req->dst.sa.sa_family;
	p->info.sel.family = req->dst.sa.sa_family;
	p->info.mode = req->mode == KERNEL_MODE_TUNNEL ? XFRM_MODE_TUNNEL : XFRM_MODE_TRANSPORT;
	p->info.reqid = req->reqid;
	p->info.seq = req->seq; /* binds the SPI to the larval state of that ACQUIRE */
	p->min = req->min ? req->min : 0x100;
	p->max = req->max ? req->max : (req->proto == KERNEL_PROTO_COMP ? 0xffff : 0xffffffffu);
	if (p->min > p->max)
		return -EINVAL;
	return finish(nlh, true);
}

static uint8_t dir_to(enum kernel_dir d)
{
	return d == KERNEL_DIR_IN ? XFRM_POLICY_IN
	       : d == KERNEL_DIR_OUT ? XFRM_POLICY_OUT : XFRM_POLICY_FWD;
}

static void tmpl_to(struct xfrm_user_tmpl *t, const struct kernel_tmpl *k, uint16_t family)
{
	memset(t, 0, sizeof(*t));
	t->id.proto = (uint8_t)k->proto;
	t->mode = k->mode == KERNEL_MODE_TUNNEL ? XFRM_MODE_TUNNEL : XFRM_MODE_TRANSPORT;
	t->family = family;
	if (k->mode == KERNEL_MODE_TUNNEL) {
		xfrm_addr_to(&t->id.daddr, &k->dst);
		xfrm_addr_to(&t->saddr, &k->src);
		t->family = k->dst.sa.sa_family ? k->dst.sa.sa_family : family;
	}
	t->reqid = k->reqid;
	t->optional = k->level == KERNEL_LEVEL_USE;
	t->share = XFRM_SHARE_ANY;
	t->aalgos = t->ealgos = t->calgos = ~0u;
}

int xfrm_build_policy(void *buf, size_t size, uint32_t seq, const struct kernel_policy *p,
		      bool update)
{
	struct nlmsghdr *nlh = start(buf, size, seq, update ? XFRM_MSG_UPDPOLICY : XFRM_MSG_NEWPOLICY,
				     NLM_F_ACK | (update ? 0 : NLM_F_CREATE | NLM_F_EXCL));
	if (!nlh)
		return -EMSGSIZE;
	struct xfrm_userpolicy_info *i = mnl_nlmsg_put_extra_header(nlh, sizeof(*i));
	selector_to(&i->sel, &p->sel);
	struct kernel_lifetime none;
	memset(&none, 0, sizeof(none));
	lifetime_to(&i->lft, &none, &p->hard);
	i->priority = p->priority;
	i->dir = dir_to(p->dir);
	i->action = p->action == KERNEL_POLICY_DISCARD ? XFRM_POLICY_BLOCK : XFRM_POLICY_ALLOW;
	i->share = XFRM_SHARE_ANY;
	if (p->action != KERNEL_POLICY_IPSEC || p->n_tmpl == 0)
		return finish(nlh, true);
	if (p->n_tmpl > KERNEL_MAX_TMPL)
		return -EINVAL;
	struct xfrm_user_tmpl t[KERNEL_MAX_TMPL];
	for (size_t k = 0; k < p->n_tmpl; k++)
		tmpl_to(&t[k], &p->tmpl[k], i->sel.family);
	return finish(nlh, mnl_attr_put_check(nlh, size, XFRMA_TMPL, sizeof(t[0]) * p->n_tmpl, t));
}

int xfrm_build_policy_id(void *buf, size_t size, uint32_t seq, uint16_t type,
			 const struct kernel_policy *p)
{
	struct nlmsghdr *nlh = start(buf, size, seq, type,
				     type == XFRM_MSG_DELPOLICY ? NLM_F_ACK : 0);
	if (!nlh)
		return -EMSGSIZE;
	struct xfrm_userpolicy_id *i = mnl_nlmsg_put_extra_header(nlh, sizeof(*i));
	selector_to(&i->sel, &p->sel);
	i->dir = dir_to(p->dir);
	return finish(nlh, true);
}

int xfrm_build_dump(void *buf, size_t size, uint32_t seq, uint16_t type)
{
	struct nlmsghdr *nlh = start(buf, size, seq, type, NLM_F_DUMP);
	return nlh ? finish(nlh, true) : -EMSGSIZE;
}

int xfrm_build_flush_sa(void *buf, size_t size, uint32_t seq, int proto)
{
	struct nlmsghdr *nlh = start(buf, size, seq, XFRM_MSG_FLUSHSA, NLM_F_ACK);
	if (!nlh)
		return -EMSGSIZE;
	struct xfrm_usersa_flush *f = mnl_nlmsg_put_extra_header(nlh, sizeof(*f));
	f->proto = proto ? (uint8_t)proto : IPSEC_PROTO_ANY;
	return finish(nlh, true);
}

int xfrm_build_flush_policy(void *buf, size_t size, uint32_t seq)
{
	struct nlmsghdr *nlh = start(buf, size, seq, XFRM_MSG_FLUSHPOLICY, NLM_F_ACK);
	return nlh ? finish(nlh, true) : -EMSGSIZE;
}
