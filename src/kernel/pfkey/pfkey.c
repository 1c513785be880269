/* pfkey: the PF_KEY backend's request socket and ops table.
 *
 * Linux answers a PF_KEY request inside sendmsg, but the socket also receives every
 * other process's SA and SPD changes (broadcast to all PF_KEY sockets). So before a
 * request the socket is drained, and afterwards only messages with our pid and the
 * request's seq (dumps: our pid and the dump type, until the one with seq 0) count as
 * the answer. Errors come back as a bare header with sadb_msg_errno set. Dumps are read
 * to their end even when the caller stops early, so nothing stale is left queued.
 */
#include "kernel/pfkey/pfkey.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "log/log.h"

#define TALK_ROUNDS 1000000 /* messages read for one request at most */

uint32_t pfkey_next_seq(void)
{
	/* One counter per process: every handle's requests stay distinct. */
	static uint32_t seq;
	if (seq == 0)
		seq = (uint32_t)getpid() << 12;
	if (++seq == 0)
		seq = 1;
	return seq;
}

int pfkey_socket(bool nonblock)
{
	int fd = socket(PF_KEY, SOCK_RAW | SOCK_CLOEXEC | (nonblock ? SOCK_NONBLOCK : 0), PF_KEY_V2);
	return fd < 0 ? -errno : fd;
}

typedef int (*reply_fn)(const struct pfkey_msg *m, void *data);

struct talk {
	uint8_t type;     /* the answer's type */
	uint8_t alt_type; /* also accepted (old kernels answer SADB_GET with SADB_DUMP) */
	bool dump;
	reply_fn fn;
	void *data;
	bool stopped;
	int result;
};

static void drain(struct pfkey *p)
{
	for (int i = 0; i < 100000; i++)
		if (recv(p->fd, p->rx, PFKEY_RX_SIZE, MSG_DONTWAIT) < 0 && errno != EINTR)
			break;
}

/* One received message: 1 when the exchange is complete, 0 to read on, <0 error. */
static int take(struct pfkey *p, const struct pfkey_msg *m, uint32_t seq, struct talk *t)
{
	const struct sadb_msg *h = &m->hdr;
	if (h->sadb_msg_pid != p->pid || (h->sadb_msg_type != t->type && h->sadb_msg_type != t->alt_type))
		return 0;
	if (!t->dump && h->sadb_msg_seq != seq)
		return 0;
	if (h->sadb_msg_errno) {
		/* An empty dump is answered with ENOENT: no entries, no error. */
		if (!(t->dump && h->sadb_msg_errno == ENOENT))
			t->result = -h->sadb_msg_errno;
		return 1;
	}
	if (t->fn && !t->stopped) {
		int r = t->fn(m, t->data);
		if (r != 0) {
			t->stopped = true;
			t->result = r;
		}
	}
	return !t->dump || h->sadb_msg_seq == 0 ? 1 : 0;
}

static int talk(struct pfkey *p, const struct buf *req, struct talk *t)
{
	struct sadb_msg h;
	memcpy(&h, req->ptr, sizeof(h));
	drain(p);
	if (send(p->fd, req->ptr, req->len, 0) < 0)
		return -errno;
	for (unsigned rounds = 0; rounds < TALK_ROUNDS; rounds++) {
		ssize_t n = recv(p->fd, p->rx, PFKEY_RX_SIZE, MSG_TRUNC);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		struct pfkey_msg m;
		if (n > PFKEY_RX_SIZE || pfkey_msg_parse(p->rx, (size_t)n, &m) < 0) {
			log_warning("kernel", "ignoring a malformed PF_KEY message (%zd bytes)", n);
			continue;
		}
		int r = take(p, &m, h.sadb_msg_seq, t);
		if (r)
			return t->result;
	}
	return -ETIMEDOUT;
}

/* Build with fn into a fresh buffer (wiped on free: it may hold keys), then talk. */
static int request(struct pfkey *p, struct talk *t, int built, struct buf *b)
{
	int r = built < 0 ? built : talk(p, b, t);
	buf_free(b);
	return r;
}

/* ---- open / close ------------------------------------------------------------------- */

static void pfkey_close(void *priv)
{
	struct pfkey *p = priv;
	if (!p)
		return;
	pfkey_events_close(p);
	if (p->fd >= 0)
		close(p->fd);
	if (p->rx)
		buf_wipe(p->rx, PFKEY_RX_SIZE);
	free(p->rx);
	free(p);
}

static int pfkey_open(struct kernel *k, const struct kernel_options *opt, void **priv)
{
	struct pfkey *p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->k = k;
	p->ev_fd = -1;
	p->pid = (uint32_t)getpid();
	p->rx = malloc(PFKEY_RX_SIZE);
	p->fd = pfkey_socket(false);
	int r = !p->rx ? -ENOMEM : p->fd < 0 ? p->fd : 0;
	if (r == 0) {
		struct timeval tv = { .tv_sec = 10 };
		setsockopt(p->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		if (opt->events)
			r = pfkey_events_open(p, opt);
	}
	if (r < 0) {
		if (r == -EAFNOSUPPORT)
			log_error("kernel", "PF_KEY: this kernel has no AF_KEY sockets "
				  "(CONFIG_NET_KEY, module af_key); use the xfrm backend");
		else
			log_error("kernel", "PF_KEY: %s", strerror(-r));
		pfkey_close(p);
		return r;
	}
	*priv = p;
	return 0;
}

/* ---- SPI, SAs ------------------------------------------------------------------------ */

static int spi_reply(const struct pfkey_msg *m, void *data)
{
	struct sadb_sa s;
	if (!pfkey_ext_fixed(m, SADB_EXT_SA, &s, sizeof(s)) || s.sadb_sa_spi == 0)
		return -EBADMSG;
	*(uint32_t *)data = ntohl(s.sadb_sa_spi);
	return 0;
}

static int pfkey_spi_alloc(void *priv, const struct kernel_spi_req *req, int64_t token)
{
	struct pfkey *p = priv;
	struct buf b;
	buf_init(&b, PFKEY_REQ_MAX);
	uint32_t spi = 0;
	struct talk t = { .type = SADB_GETSPI, .fn = spi_reply, .data = &spi };
	int built = pfkey_build_getspi(&b, req->seq ? req->seq : pfkey_next_seq(), p->pid, req);
	if (built < 0) {
		buf_free(&b);
		return built; /* nothing queued: kernel_spi_alloc reports it */
	}
	int r = request(p, &t, built, &b);
	if (r == 0 && spi == 0)
		r = -EBADMSG;
	/* Kernel refusals (no larval state, range exhausted) reach the callback. */
	kernel_spi_done(p->k, token, r, r == 0 ? spi : 0);
	return 0;
}

static int pfkey_sa_add(void *priv, const struct kernel_sa *sa, bool update)
{
	struct pfkey *p = priv;
	struct buf b;
	buf_init_secret(&b, PFKEY_REQ_MAX);
	uint32_t seq = sa->seq ? sa->seq : pfkey_next_seq();
	struct talk t = { .type = update ? SADB_UPDATE : SADB_ADD };
	return request(p, &t, pfkey_build_sa(&b, seq, p->pid, sa, update), &b);
}

static int pfkey_sa_delete(void *priv, const struct kernel_sa_id *id)
{
	struct pfkey *p = priv;
	struct buf b;
	buf_init(&b, PFKEY_REQ_MAX);
	struct talk t = { .type = SADB_DELETE };
	return request(p, &t, pfkey_build_sa_id(&b, SADB_DELETE, pfkey_next_seq(), p->pid, id), &b);
}

static int stats_reply(const struct pfkey_msg *m, void *data)
{
	struct pfkey_sa_parsed sa;
	int r = pfkey_parse_sa(m, &sa);
	if (r == 0)
		*(struct kernel_sa_stats *)data = sa.stats;
	buf_wipe(&sa, sizeof(sa));
	return r;
}

static int pfkey_sa_get(void *priv, const struct kernel_sa_id *id, struct kernel_sa_stats *st)
{
	struct pfkey *p = priv;
	struct buf b;
	buf_init(&b, PFKEY_REQ_MAX);
	struct talk t = { .type = SADB_GET, .alt_type = SADB_DUMP, .fn = stats_reply, .data = st };
	int r = request(p, &t, pfkey_build_sa_id(&b, SADB_GET, pfkey_next_seq(), p->pid, id), &b);
	buf_wipe(p->rx, PFKEY_RX_SIZE); /* the answer carried the keys */
	return r;
}

struct sa_dump_ctx {
	kernel_sa_dump_fn cb;
	void *userdata;
};

static int sa_dump_reply(const struct pfkey_msg *m, void *data)
{
	struct sa_dump_ctx *c = data;
	struct pfkey_sa_parsed sa;
	if (pfkey_parse_sa(m, &sa) < 0) {
		log_warning("kernel", "skipping an unreadable SA in the PF_KEY dump");
		return 0;
	}
	int r = c->cb(&sa.sa, &sa.stats, c->userdata);
	buf_wipe(&sa, sizeof(sa));
	return r;
}

static int pfkey_sa_dump(void *priv, kernel_sa_dump_fn cb, void *userdata)
{
	struct pfkey *p = priv;
	struct buf b;
	buf_init(&b, PFKEY_REQ_MAX);
	struct sa_dump_ctx c = { cb, userdata };
	struct talk t = { .type = SADB_DUMP, .dump = true, .fn = sa_dump_reply, .data = &c };
	int built = pfkey_build_simple(&b, SADB_DUMP, SADB_SATYPE_UNSPEC, pfkey_next_seq(), p->pid);
	int r = request(p, &t, built, &b);
	buf_wipe(p->rx, PFKEY_RX_SIZE);
	return r;
}

static int pfkey_sa_flush(void *priv, int proto)
{
	struct pfkey *p = priv;
	struct buf b;
	buf_init(&b, PFKEY_REQ_MAX);
	uint8_t satype = proto ? pfkey_satype((enum kernel_proto)proto) : SADB_SATYPE_UNSPEC;
	if (proto && !satype)
		return -EINVAL;
	struct talk t = { .type = SADB_FLUSH };
	return request(p, &t, pfkey_build_simple(&b, SADB_FLUSH, satype, pfkey_next_seq(), p->pid), &b);
}

/* ---- Policies ------------------------------------------------------------------------ */

static int pfkey_policy_add(void *priv, const struct kernel_policy *pol, bool update)
{
	struct pfkey *p = priv;
	struct buf b;
	buf_init(&b, PFKEY_REQ_MAX);
	struct talk t = { .type = update ? SADB_X_SPDUPDATE : SADB_X_SPDADD };
	return request(p, &t, pfkey_build_policy(&b, pfkey_next_seq(), p->pid, pol, update), &b);
}

static int pfkey_policy_delete(void *priv, const struct kernel_policy *pol)
{
	struct pfkey *p = priv;
	struct buf b;
	buf_init(&b, PFKEY_REQ_MAX);
	struct talk t = { .type = SADB_X_SPDDELETE };
	return request(p, &t, pfkey_build_policy_delete(&b, pfkey_next_seq(), p->pid, pol), &b);
}

static int policy_reply(const struct pfkey_msg *m, void *data)
{
	return pfkey_parse_policy(m, data);
}

int pfkey_policy_by_index(struct pfkey *p, uint32_t index, struct kernel_policy *out)
{
	struct buf b;
	buf_init(&b, PFKEY_REQ_MAX);
	struct talk t = { .type = SADB_X_SPDGET, .fn = policy_reply, .data = out };
	return request(p, &t, pfkey_build_spdget(&b, pfkey_next_seq(), p->pid, index), &b);
}

struct pol_dump_ctx {
	kernel_policy_dump_fn cb;
	void *userdata;
};

static int policy_dump_reply(const struct pfkey_msg *m, void *data)
{
	struct pol_dump_ctx *c = data;
	struct kernel_policy pol;
	int r = pfkey_parse_policy(m, &pol);
	if (r == -ENOENT)
		return 0; /* a per-socket policy */
	if (r < 0) {
		log_warning("kernel", "skipping an unreadable policy in the PF_KEY dump");
		return 0;
	}
	return c->cb(&pol, c->userdata);
}

static int pfkey_policy_dump(void *priv, kernel_policy_dump_fn cb, void *userdata)
{
	struct pfkey *p = priv;
	struct buf b;
	buf_init(&b, PFKEY_REQ_MAX);
	struct pol_dump_ctx c = { cb, userdata };
	struct talk t = { .type = SADB_X_SPDDUMP, .dump = true, .fn = policy_dump_reply, .data = &c };
	int built = pfkey_build_simple(&b, SADB_X_SPDDUMP, SADB_SATYPE_UNSPEC, pfkey_next_seq(), p->pid);
	return request(p, &t, built, &b);
}

/* PF_KEY has no lookup by selector: find it in a dump. */
struct pol_find {
	const struct kernel_policy *key;
	struct kernel_policy *out;
};

static int pol_match(const struct kernel_policy *pol, void *data)
{
	struct pol_find *f = data;
	const struct kernel_selector *a = &pol->sel, *b = &f->key->sel;
	if (pol->dir != f->key->dir || !addr_equal(&a->src, &b->src) || !addr_equal(&a->dst, &b->dst) ||
	    a->src_plen != b->src_plen || a->dst_plen != b->dst_plen || a->proto != b->proto ||
	    a->sport != b->sport || a->dport != b->dport)
		return 0;
	*f->out = *pol;
	return 1;
}

static int pfkey_policy_get(void *priv, const struct kernel_policy *key, struct kernel_policy *out)
{
	struct pol_find f = { key, out };
	int r = pfkey_policy_dump(priv, pol_match, &f);
	return r == 1 ? 0 : r < 0 ? r : -ENOENT;
}

static int pfkey_policy_flush(void *priv)
{
	struct pfkey *p = priv;
	struct buf b;
	buf_init(&b, PFKEY_REQ_MAX);
	struct talk t = { .type = SADB_X_SPDFLUSH };
	int built = pfkey_build_simple(&b, SADB_X_SPDFLUSH, SADB_SATYPE_UNSPEC, pfkey_next_seq(), p->pid);
	return request(p, &t, built, &b);
}

const struct kernel_ops kernel_pfkey_ops = {
	.name = "pfkey", .caps = &pfkey_caps_live,
	.open = pfkey_open, .close = pfkey_close, .spi_alloc = pfkey_spi_alloc,
	.sa_add = pfkey_sa_add, .sa_delete = pfkey_sa_delete, .sa_get = pfkey_sa_get,
	.sa_dump = pfkey_sa_dump, .sa_flush = pfkey_sa_flush,
	.policy_add = pfkey_policy_add, .policy_delete = pfkey_policy_delete,
	.policy_get = pfkey_policy_get, .policy_dump = pfkey_policy_dump,
	.policy_flush = pfkey_policy_flush,
};
