/* mock: the in-memory kernel backend for unit tests (see mock.h). */
#include "kernel/mock/mock.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "kernel/internal.h"

struct held_spi {
	int64_t token;
	uint32_t spi;
};

struct mock {
	struct kernel *k;
	struct kernel_mock_sa *sa;
	size_t n_sa, cap_sa;
	struct kernel_policy *pol;
	size_t n_pol, cap_pol;
	struct held_spi *held;
	size_t n_held, cap_held;
	bool hold;
	int fail_next;
	uint32_t next_spi;
	struct { const char *op; unsigned n; } calls[16];
};

static const struct kernel_caps mock_caps;

static struct mock *mock_of(struct kernel *k)
{
	return kernel_ops_of(k) == &kernel_mock_ops ? kernel_priv_of(k) : NULL;
}

/* Count the call; return the injected failure once. */
static int enter(struct mock *m, const char *op)
{
	size_t i;
	for (i = 0; i < 16 && m->calls[i].op; i++)
		if (strcmp(m->calls[i].op, op) == 0)
			break;
	if (i < 16) {
		m->calls[i].op = op;
		m->calls[i].n++;
	}
	int r = m->fail_next;
	m->fail_next = 0;
	return r;
}

static bool grow(void **arr, size_t *cap, size_t n, size_t elem)
{
	if (n < *cap)
		return true;
	size_t nc = *cap ? *cap * 2 : 16;
	void *p = realloc(*arr, nc * elem);
	if (!p)
		return false;
	*arr = p;
	*cap = nc;
	return true;
}

static bool same_addr(const union sockaddr_any *a, const union sockaddr_any *b)
{
	return a->sa.sa_family == b->sa.sa_family && addr_equal(a, b);
}

static struct kernel_mock_sa *find_sa(struct mock *m, const union sockaddr_any *dst,
				      uint32_t spi, int proto)
{
	for (size_t i = 0; i < m->n_sa; i++)
		if (m->sa[i].sa.spi == spi && (int)m->sa[i].sa.proto == proto &&
		    same_addr(&m->sa[i].sa.dst, dst))
			return &m->sa[i];
	return NULL;
}

static bool same_sel(const struct kernel_policy *a, const struct kernel_policy *b)
{
	const struct kernel_selector *x = &a->sel, *y = &b->sel;
	return a->dir == b->dir && same_addr(&x->src, &y->src) && same_addr(&x->dst, &y->dst) &&
	       x->src_plen == y->src_plen && x->dst_plen == y->dst_plen &&
	       x->proto == y->proto && x->sport == y->sport && x->dport == y->dport &&
	       x->ifindex == y->ifindex;
}

static struct kernel_policy *find_pol(struct mock *m, const struct kernel_policy *key)
{
	for (size_t i = 0; i < m->n_pol; i++)
		if (same_sel(&m->pol[i], key))
			return &m->pol[i];
	return NULL;
}

static void store_sa(struct kernel_mock_sa *d, const struct kernel_sa *sa, bool larval)
{
	buf_wipe(d, sizeof(*d));
	d->sa = *sa;
	d->sa.sel = NULL;
	d->sa.enc_key_len = sa->enc_key_len > 64 ? 64 : sa->enc_key_len;
	d->sa.auth_key_len = sa->auth_key_len > 64 ? 64 : sa->auth_key_len;
	if (sa->enc_key)
		memcpy(d->enc_key, sa->enc_key, d->sa.enc_key_len);
	if (sa->auth_key)
		memcpy(d->auth_key, sa->auth_key, d->sa.auth_key_len);
	d->sa.enc_key = d->enc_key;
	d->sa.auth_key = d->auth_key;
	d->larval = larval;
	d->stats.reqid = sa->reqid;
	d->stats.mode = sa->mode;
}

/* ---- ops --------------------------------------------------------------------------- */

static int mock_open(struct kernel *k, const struct kernel_options *opt, void **priv)
{
	struct mock *m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->k = k;
	m->next_spi = 0xc0000100u;
	*priv = m;
	return 0;
}

static void mock_close(void *priv)
{
	struct mock *m = priv;
	if (m->sa)
		buf_wipe(m->sa, m->cap_sa * sizeof(*m->sa));
	free(m->sa);
	free(m->pol);
	free(m->held);
	free(m);
}

static int mock_spi_alloc(void *priv, const struct kernel_spi_req *req, int64_t token)
{
	struct mock *m = priv;
	int r = enter(m, "spi_alloc");
	if (r < 0)
		return r;
	uint32_t lo = req->min ? req->min : 0x100;
	uint32_t hi = req->max ? req->max : (req->proto == KERNEL_PROTO_COMP ? 0xffff : 0xffffffffu);
	if (lo > hi)
		return -EINVAL;
	uint32_t spi = lo + (m->next_spi++ % (hi - lo + 1u ? hi - lo + 1u : 1u));
	while (find_sa(m, &req->dst, spi, (int)req->proto) && spi < hi)
		spi++;
	if (!grow((void **)&m->sa, &m->cap_sa, m->n_sa, sizeof(*m->sa)))
		return -ENOMEM;
	struct kernel_sa larval;
	memset(&larval, 0, sizeof(larval));
	larval.src = req->src;
	larval.dst = req->dst;
	larval.spi = spi;
	larval.proto = req->proto;
	larval.mode = req->mode;
	larval.reqid = req->reqid;
	store_sa(&m->sa[m->n_sa++], &larval, true);
	if (!m->hold) {
		kernel_spi_done(m->k, token, 0, spi);
		return 0;
	}
	if (!grow((void **)&m->held, &m->cap_held, m->n_held, sizeof(*m->held)))
		return -ENOMEM;
	m->held[m->n_held++] = (struct held_spi){ token, spi };
	return 0;
}

static int mock_sa_add(void *priv, const struct kernel_sa *sa, bool update)
{
	struct mock *m = priv;
	int r = enter(m, update ? "sa_update" : "sa_add");
	if (r < 0)
		return r;
	struct kernel_mock_sa *cur = find_sa(m, &sa->dst, sa->spi, (int)sa->proto);
	if (update) {
		if (!cur)
			return -ESRCH;
		store_sa(cur, sa, false);
		return 0;
	}
	if (cur)
		return -EEXIST;
	if (!grow((void **)&m->sa, &m->cap_sa, m->n_sa, sizeof(*m->sa)))
		return -ENOMEM;
	store_sa(&m->sa[m->n_sa++], sa, false);
	return 0;
}

static int mock_sa_delete(void *priv, const struct kernel_sa_id *id)
{
	struct mock *m = priv;
	int r = enter(m, "sa_delete");
	if (r < 0)
		return r;
	struct kernel_mock_sa *cur = find_sa(m, &id->dst, id->spi, (int)id->proto);
	if (!cur)
		return -ESRCH;
	size_t i = (size_t)(cur - m->sa);
	buf_wipe(cur, sizeof(*cur));
	memmove(cur, cur + 1, (m->n_sa - i - 1) * sizeof(*cur));
	m->n_sa--;
	for (size_t j = i; j < m->n_sa; j++) { /* keys moved with their SA */
		m->sa[j].sa.enc_key = m->sa[j].enc_key;
		m->sa[j].sa.auth_key = m->sa[j].auth_key;
	}
	return 0;
}

static int mock_sa_get(void *priv, const struct kernel_sa_id *id, struct kernel_sa_stats *st)
{
	struct mock *m = priv;
	int r = enter(m, "sa_get");
	if (r < 0)
		return r;
	struct kernel_mock_sa *cur = find_sa(m, &id->dst, id->spi, (int)id->proto);
	if (!cur)
		return -ESRCH;
	*st = cur->stats;
	return 0;
}

static int mock_sa_dump(void *priv, kernel_sa_dump_fn cb, void *userdata)
{
	struct mock *m = priv;
	int r = enter(m, "sa_dump");
	if (r < 0)
		return r;
	for (size_t i = 0; i < m->n_sa; i++)
		if ((r = cb(&m->sa[i].sa, &m->sa[i].stats, userdata)) != 0)
			return r;
	return 0;
}

static int mock_sa_flush(void *priv, int proto)
{
	struct mock *m = priv;
	int r = enter(m, "sa_flush");
	if (r < 0)
		return r;
	size_t k = 0;
	for (size_t i = 0; i < m->n_sa; i++) {
		if (proto == 0 || (int)m->sa[i].sa.proto == proto)
			continue;
		m->sa[k] = m->sa[i];
		m->sa[k].sa.enc_key = m->sa[k].enc_key;
		m->sa[k].sa.auth_key = m->sa[k].auth_key;
		k++;
	}
	buf_wipe(m->sa + k, (m->n_sa - k) * sizeof(*m->sa));
	m->n_sa = k;
	return 0;
}

static int mock_policy_add(void *priv, const struct kernel_policy *p, bool update)
{
	struct mock *m = priv;
	int r = enter(m, update ? "policy_update" : "policy_add");
	if (r < 0)
		return r;
	struct kernel_policy *cur = find_pol(m, p);
	if (cur && !update)
		return -EEXIST;
	if (!cur) {
		if (!grow((void **)&m->pol, &m->cap_pol, m->n_pol, sizeof(*m->pol)))
			return -ENOMEM;
		cur = &m->pol[m->n_pol++];
	}
	*cur = *p;
	cur->index = (uint32_t)(m->n_pol * 8 + p->dir);
	return 0;
}

static int mock_policy_delete(void *priv, const struct kernel_policy *p)
{
	struct mock *m = priv;
	int r = enter(m, "policy_delete");
	if (r < 0)
		return r;
	struct kernel_policy *cur = find_pol(m, p);
	if (!cur)
		return -ENOENT;
	size_t i = (size_t)(cur - m->pol);
	memmove(cur, cur + 1, (m->n_pol - i - 1) * sizeof(*cur));
	m->n_pol--;
	return 0;
}

static int mock_policy_get(void *priv, const struct kernel_policy *key, struct kernel_policy *out)
{
	struct mock *m = priv;
	int r = enter(m, "policy_get");
	if (r < 0)
		return r;
	struct kernel_policy *cur = find_pol(m, key);
	if (!cur)
		return -ENOENT;
	*out = *cur;
	return 0;
}

static int mock_policy_dump(void *priv, kernel_policy_dump_fn cb, void *userdata)
{
	struct mock *m = priv;
	int r = enter(m, "policy_dump");
	if (r < 0)
		return r;
	for (size_t i = 0; i < m->n_pol; i++)
		if ((r = cb(&m->pol[i], userdata)) != 0)
			return r;
	return 0;
}

static int mock_policy_flush(void *priv)
{
	struct mock *m = priv;
	int r = enter(m, "policy_flush");
	if (r < 0)
		return r;
	m->n_pol = 0;
	return 0;
}

/* The mock accepts what XFRM does, so engine tests see the same refusals. */
static const struct kernel_alg_cap mock_algs[] = {
	{ KERNEL_CAP_ENC, KERNEL_ENC_NULL, 0, 0, 0, 0 },
	{ KERNEL_CAP_ENC, KERNEL_ENC_DES, 64, 64, 0, 0 },
	{ KERNEL_CAP_ENC, KERNEL_ENC_3DES, 192, 192, 0, 0 },
	{ KERNEL_CAP_ENC, KERNEL_ENC_AES_CBC, 128, 256, 64, 0 },
	{ KERNEL_CAP_ENC, KERNEL_ENC_AES_GCM_16, 128, 256, 64, 128 },
	{ KERNEL_CAP_AUTH, KERNEL_AUTH_HMAC_MD5, 128, 128, 0, 96 },
	{ KERNEL_CAP_AUTH, KERNEL_AUTH_HMAC_SHA1, 160, 160, 0, 96 },
	{ KERNEL_CAP_AUTH, KERNEL_AUTH_HMAC_SHA2_256, 256, 256, 0, 128 },
	{ KERNEL_CAP_AUTH, KERNEL_AUTH_HMAC_SHA2_384, 384, 384, 0, 192 },
	{ KERNEL_CAP_AUTH, KERNEL_AUTH_HMAC_SHA2_512, 512, 512, 0, 256 },
	{ KERNEL_CAP_COMP, KERNEL_COMP_DEFLATE, 0, 0, 0, 0 },
};

static const struct kernel_caps mock_caps = {
	.backend = "mock", .aead = true, .esn = true, .icv_selectable = true,
	.udp_encap = true, .ipcomp = true, .policy_priority = true,
	.replay_window_max = 4096,
	.algs = mock_algs, .n_algs = sizeof(mock_algs) / sizeof(mock_algs[0]),
};

const struct kernel_ops kernel_mock_ops = {
	.name = "mock", .caps = &mock_caps,
	.open = mock_open, .close = mock_close, .spi_alloc = mock_spi_alloc,
	.sa_add = mock_sa_add, .sa_delete = mock_sa_delete, .sa_get = mock_sa_get,
	.sa_dump = mock_sa_dump, .sa_flush = mock_sa_flush,
	.policy_add = mock_policy_add, .policy_delete = mock_policy_delete,
	.policy_get = mock_policy_get, .policy_dump = mock_policy_dump,
	.policy_flush = mock_policy_flush,
};

/* ---- Test hooks -------------------------------------------------------------------- */

void kernel_mock_hold_spi(struct kernel *k, bool hold)
{
	struct mock *m = mock_of(k);
	if (m)
		m->hold = hold;
}

size_t kernel_mock_release_spi(struct kernel *k)
{
	struct mock *m = mock_of(k);
	if (!m)
		return 0;
	size_t n = m->n_held;
	m->n_held = 0;
	for (size_t i = 0; i < n; i++)
		kernel_spi_done(k, m->held[i].token, 0, m->held[i].spi);
	return n;
}

void kernel_mock_fail_next(struct kernel *k, int err)
{
	struct mock *m = mock_of(k);
	if (m)
		m->fail_next = err;
}

size_t kernel_mock_sa_count(struct kernel *k)
{
	struct mock *m = mock_of(k);
	return m ? m->n_sa : 0;
}

size_t kernel_mock_policy_count(struct kernel *k)
{
	struct mock *m = mock_of(k);
	return m ? m->n_pol : 0;
}

const struct kernel_mock_sa *kernel_mock_sa_find(struct kernel *k, const struct kernel_sa_id *id)
{
	struct mock *m = mock_of(k);
	return m ? find_sa(m, &id->dst, id->spi, (int)id->proto) : NULL;
}

int kernel_mock_add_foreign_sa(struct kernel *k, const struct kernel_sa *sa)
{
	struct mock *m = mock_of(k);
	return m ? mock_sa_add(m, sa, false) : -EINVAL;
}

int kernel_mock_add_foreign_policy(struct kernel *k, const struct kernel_policy *p)
{
	struct mock *m = mock_of(k);
	return m ? mock_policy_add(m, p, true) : -EINVAL;
}

int kernel_mock_remove_sa(struct kernel *k, const struct kernel_sa_id *id)
{
	struct mock *m = mock_of(k);
	return m ? mock_sa_delete(m, id) : -EINVAL;
}

int kernel_mock_set_stats(struct kernel *k, const struct kernel_sa_id *id,
			  const struct kernel_sa_stats *st)
{
	struct mock *m = mock_of(k);
	struct kernel_mock_sa *cur = m ? find_sa(m, &id->dst, id->spi, (int)id->proto) : NULL;
	if (!cur)
		return -ENOENT;
	cur->stats = *st;
	return 0;
}

void kernel_mock_inject(struct kernel *k, const struct kernel_event *ev)
{
	kernel_emit(k, ev);
}

void kernel_mock_set_caps(struct kernel *k, const struct kernel_caps *c)
{
	if (mock_of(k))
		kernel_set_caps(k, c);
}

unsigned kernel_mock_calls(struct kernel *k, const char *op)
{
	struct mock *m = mock_of(k);
	for (size_t i = 0; m && i < 16 && m->calls[i].op; i++)
		if (strcmp(m->calls[i].op, op) == 0)
			return m->calls[i].n;
	return 0;
}
