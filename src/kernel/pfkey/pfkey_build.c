/* pfkey_build: PF_KEY requests from kernel.h structs (no sockets here).
 *
 * What PF_KEY cannot express is refused here with -EOPNOTSUPP rather than installed
 * differently: an ICV length other than the fixed one, AEAD, ESN, a replay window
 * above 32, interface-bound selectors, a reqid on an optional ("use") template.
 * One thing is dropped instead: kernel_sa.sel. PF_KEY has no SA selector (Linux
 * installs PF_KEY SAs with an empty one); the policy's template still binds the SA.
 * The caller wipes buffers that held keys (buf_init_secret does it on free).
 */
#include "kernel/pfkey/pfkey.h"

#include <errno.h>
#include <linux/ipsec.h>
#include <string.h>

static uint8_t mode_to(enum kernel_mode m)
{
	return m == KERNEL_MODE_TUNNEL ? IPSEC_MODE_TUNNEL : IPSEC_MODE_TRANSPORT;
}

static uint8_t full_plen(const union sockaddr_any *a)
{
	return a->sa.sa_family == AF_INET ? 32 : 128;
}

static int fin(struct buf *b)
{
	int r = pfkey_finish(b);
	return r < 0 ? -EMSGSIZE : r;
}

/* The algorithm fields of sadb_sa for this SA, or -EOPNOTSUPP. */
static int sa_algs(const struct kernel_sa *sa, uint8_t *auth, uint8_t *enc)
{
	*auth = *enc = 0;
	if (sa->esn || sa->replay_window > PFKEY_REPLAY_MAX || kernel_enc_is_aead(sa->enc))
		return -EOPNOTSUPP;
	if (sa->auth) {
		int a = pfkey_auth_to_sadb(sa->auth);
		if (a < 0 || (sa->icv_bits && sa->icv_bits != pfkey_auth_icv_bits(sa->auth)))
			return -EOPNOTSUPP; /* Linux would install another ICV length */
		*auth = (uint8_t)a;
	} else if (sa->icv_bits) {
		return -EOPNOTSUPP;
	}
	if (sa->proto == KERNEL_PROTO_COMP) {
		int c = pfkey_comp_to_sadb(sa->comp);
		if (c < 0)
			return -EOPNOTSUPP;
		*enc = (uint8_t)c; /* KAME overloads sadb_sa_encrypt with the compressor */
	} else if (sa->enc) {
		int e = pfkey_enc_to_sadb(sa->enc);
		if (e < 0)
			return -EOPNOTSUPP;
		*enc = (uint8_t)e;
	}
	if ((sa->enc_key_len && !sa->enc_key) || (sa->auth_key_len && !sa->auth_key))
		return -EINVAL;
	return 0;
}

int pfkey_build_sa(struct buf *b, uint32_t seq, uint32_t pid, const struct kernel_sa *sa,
		   bool update)
{
	uint8_t auth, enc;
	int r = sa_algs(sa, &auth, &enc);
	if (r < 0)
		return r;
	if (sa->src.sa.sa_family != sa->dst.sa.sa_family || !pfkey_sockaddr_len(sa->dst.sa.sa_family))
		return -EINVAL;
	if (sa->encap.enabled && sa->proto != KERNEL_PROTO_ESP)
		return -EINVAL;
	pfkey_put_hdr(b, update ? SADB_UPDATE : SADB_ADD, pfkey_satype(sa->proto), seq, pid);
	pfkey_put_sa(b, sa->spi, (uint8_t)sa->replay_window, auth, enc);
	pfkey_put_sa2(b, mode_to(sa->mode), sa->reqid);
	/* Linux wants both lifetimes or neither; zero means unlimited in both. */
	pfkey_put_lifetime(b, SADB_EXT_LIFETIME_HARD, &sa->hard);
	pfkey_put_lifetime(b, SADB_EXT_LIFETIME_SOFT, &sa->soft);
	pfkey_put_address(b, SADB_EXT_ADDRESS_SRC, &sa->src, full_plen(&sa->src), IPSEC_ULPROTO_ANY, 0);
	pfkey_put_address(b, SADB_EXT_ADDRESS_DST, &sa->dst, full_plen(&sa->dst), IPSEC_ULPROTO_ANY, 0);
	if (sa->auth)
		pfkey_put_key(b, SADB_EXT_KEY_AUTH, sa->auth_key, sa->auth_key_len);
	/* ESP needs the encryption key extension even for the null cipher (0 bits). */
	if (sa->proto == KERNEL_PROTO_ESP)
		pfkey_put_key(b, SADB_EXT_KEY_ENCRYPT, sa->enc_key, sa->enc_key_len);
	if (sa->encap.enabled)
		pfkey_put_nat_t(b, &sa->encap);
	return fin(b);
}

/* A lookup needs both addresses of one family; the kernel matches on dst only. */
static union sockaddr_any id_src(const struct kernel_sa_id *id)
{
	union sockaddr_any s;
	if (id->src.sa.sa_family == id->dst.sa.sa_family)
		return id->src;
	memset(&s, 0, sizeof(s));
	s.sa.sa_family = id->dst.sa.sa_family;
	return s;
}

int pfkey_build_sa_id(struct buf *b, uint8_t type, uint32_t seq, uint32_t pid,
		      const struct kernel_sa_id *id)
{
	if (!pfkey_sockaddr_len(id->dst.sa.sa_family) || !pfkey_satype(id->proto))
		return -EINVAL;
	union sockaddr_any src = id_src(id);
	pfkey_put_hdr(b, type, pfkey_satype(id->proto), seq, pid);
	pfkey_put_sa(b, id->spi, 0, 0, 0);
	pfkey_put_address(b, SADB_EXT_ADDRESS_SRC, &src, full_plen(&src), IPSEC_ULPROTO_ANY, 0);
	pfkey_put_address(b, SADB_EXT_ADDRESS_DST, &id->dst, full_plen(&id->dst), IPSEC_ULPROTO_ANY, 0);
	return fin(b);
}

int pfkey_build_getspi(struct buf *b, uint32_t seq, uint32_t pid, const struct kernel_spi_req *r)
{
	if (r->src.sa.sa_family != r->dst.sa.sa_family || !pfkey_sockaddr_len(r->dst.sa.sa_family) ||
	    !pfkey_satype(r->proto))
		return -EINVAL;
	uint32_t min = r->min ? r->min : 0x100;
	uint32_t max = r->max ? r->max : (r->proto == KERNEL_PROTO_COMP ? 0xffff : 0xffffffffu);
	if (min > max)
		return -EINVAL;
	/* seq is the ACQUIRE's when there is one: the kernel finds the larval SA by it. */
	pfkey_put_hdr(b, SADB_GETSPI, pfkey_satype(r->proto), seq, pid);
	pfkey_put_sa2(b, mode_to(r->mode), r->reqid);
	pfkey_put_address(b, SADB_EXT_ADDRESS_SRC, &r->src, full_plen(&r->src), IPSEC_ULPROTO_ANY, 0);
	pfkey_put_address(b, SADB_EXT_ADDRESS_DST, &r->dst, full_plen(&r->dst), IPSEC_ULPROTO_ANY, 0);
	pfkey_put_spirange(b, min, max);
	return fin(b);
}

/* ---- Policies ------------------------------------------------------------------------ */

static int selector_put(struct buf *b, const struct kernel_selector *s)
{
	int fam = s->src.sa.sa_family;
	if (!pfkey_sockaddr_len(fam) || s->dst.sa.sa_family != fam)
		return -EINVAL;
	if (s->ifindex)
		return -EOPNOTSUPP; /* PF_KEY selectors have no interface */
	uint8_t proto = s->proto ? s->proto : IPSEC_ULPROTO_ANY;
	pfkey_put_address(b, SADB_EXT_ADDRESS_SRC, &s->src, s->src_plen, proto, s->sport);
	pfkey_put_address(b, SADB_EXT_ADDRESS_DST, &s->dst, s->dst_plen, proto, s->dport);
	return 0;
}

/* Linux keeps a template's reqid only at level "unique" (and only up to 0x3fff); a
 * required template with a reqid is what XFRM calls unique as well. */
static int level_to(const struct kernel_tmpl *t, uint8_t *level)
{
	if (t->reqid > PFKEY_REQID_MAX)
		return -ERANGE;
	if (t->level == KERNEL_LEVEL_USE) {
		if (t->reqid)
			return -EOPNOTSUPP;
		*level = IPSEC_LEVEL_USE;
	} else if (t->level == KERNEL_LEVEL_UNIQUE || t->reqid) {
		*level = IPSEC_LEVEL_UNIQUE;
	} else {
		*level = IPSEC_LEVEL_REQUIRE;
	}
	return 0;
}

/* One sadb_x_ipsecrequest (its length is in bytes), endpoints in tunnel mode. */
static int tmpl_put(struct buf *b, const struct kernel_tmpl *t)
{
	uint8_t level;
	int r = level_to(t, &level);
	if (r < 0)
		return r;
	if (t->proto != KERNEL_PROTO_ESP && t->proto != KERNEL_PROTO_AH && t->proto != KERNEL_PROTO_COMP)
		return -EINVAL;
	size_t sl = 0;
	if (t->mode == KERNEL_MODE_TUNNEL) {
		sl = pfkey_sockaddr_len(t->dst.sa.sa_family);
		if (!sl || t->src.sa.sa_family != t->dst.sa.sa_family)
			return -EINVAL;
	}
	struct sadb_x_ipsecrequest rq = {
		.sadb_x_ipsecrequest_len = (uint16_t)(sizeof(rq) + 2 * sl),
		.sadb_x_ipsecrequest_proto = (uint16_t)t->proto,
		.sadb_x_ipsecrequest_mode = mode_to(t->mode),
		.sadb_x_ipsecrequest_level = level,
		.sadb_x_ipsecrequest_reqid = t->reqid,
	};
	buf_put_bytes(b, &rq, sizeof(rq));
	if (sl) {
		pfkey_put_sockaddr(b, &t->src, 0);
		pfkey_put_sockaddr(b, &t->dst, 0);
	}
	return 0;
}

static uint16_t policy_type(enum kernel_policy_action a)
{
	return a == KERNEL_POLICY_IPSEC ? IPSEC_POLICY_IPSEC
	       : a == KERNEL_POLICY_DISCARD ? IPSEC_POLICY_DISCARD : IPSEC_POLICY_NONE;
}

/* sadb_x_policy and its requests; the length is patched once the requests are in. */
static int xpolicy_put(struct buf *b, const struct kernel_policy *p)
{
	if (p->dir > KERNEL_DIR_FWD || p->n_tmpl > KERNEL_MAX_TMPL)
		return -EINVAL;
	size_t start = b->len;
	struct sadb_x_policy x = {
		.sadb_x_policy_exttype = SADB_X_EXT_POLICY,
		.sadb_x_policy_type = policy_type(p->action),
		.sadb_x_policy_dir = (uint8_t)(p->dir + 1), /* IPSEC_DIR_INBOUND = 1, ... */
		.sadb_x_policy_priority = p->priority, /* same kernel value as over XFRM */
	};
	buf_put_bytes(b, &x, sizeof(x));
	for (size_t i = 0; p->action == KERNEL_POLICY_IPSEC && i < p->n_tmpl; i++) {
		int r = tmpl_put(b, &p->tmpl[i]);
		if (r < 0)
			return r;
	}
	if (!buf_ok(b) || (b->len - start) % 8)
		return -EMSGSIZE;
	x.sadb_x_policy_len = (uint16_t)((b->len - start) / 8);
	memcpy(b->ptr + start, &x.sadb_x_policy_len, sizeof(x.sadb_x_policy_len));
	return 0;
}

int pfkey_build_policy(struct buf *b, uint32_t seq, uint32_t pid, const struct kernel_policy *p,
		       bool update)
{
	if (p->action == KERNEL_POLICY_IPSEC && !p->n_tmpl)
		return -EINVAL;
	pfkey_put_hdr(b, update ? SADB_X_SPDUPDATE : SADB_X_SPDADD, SADB_SATYPE_UNSPEC, seq, pid);
	int r = selector_put(b, &p->sel);
	if (r == 0)
		r = xpolicy_put(b, p);
	if (r < 0)
		return r;
	if (p->hard.add_sec || p->hard.use_sec || p->hard.bytes || p->hard.packets)
		pfkey_put_lifetime(b, SADB_EXT_LIFETIME_HARD, &p->hard);
	return fin(b);
}

int pfkey_build_policy_delete(struct buf *b, uint32_t seq, uint32_t pid,
			      const struct kernel_policy *p)
{
	struct kernel_policy key;
	memset(&key, 0, sizeof(key));
	key.sel = p->sel;
	key.dir = p->dir;
	key.action = KERNEL_POLICY_IPSEC; /* the kernel reads only the direction */
	pfkey_put_hdr(b, SADB_X_SPDDELETE, SADB_SATYPE_UNSPEC, seq, pid);
	int r = selector_put(b, &key.sel);
	if (r == 0)
		r = xpolicy_put(b, &key);
	return r < 0 ? r : fin(b);
}

int pfkey_build_spdget(struct buf *b, uint32_t seq, uint32_t pid, uint32_t index)
{
	struct sadb_x_policy x = {
		.sadb_x_policy_len = sizeof(x) / 8, .sadb_x_policy_exttype = SADB_X_EXT_POLICY,
		.sadb_x_policy_id = index,
	};
	pfkey_put_hdr(b, SADB_X_SPDGET, SADB_SATYPE_UNSPEC, seq, pid);
	buf_put_bytes(b, &x, sizeof(x));
	return fin(b);
}

int pfkey_build_simple(struct buf *b, uint8_t type, uint8_t satype, uint32_t seq, uint32_t pid)
{
	pfkey_put_hdr(b, type, satype, seq, pid);
	return fin(b);
}
