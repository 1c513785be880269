/* xfrm: the XFRM backend's request socket and ops table.
 *
 * Requests go over one NETLINK_XFRM socket and are answered before the next request is
 * sent (the kernel handles them inside sendmsg, so recv returns at once); dumps are read
 * to their NLMSG_DONE even when the caller stops early, so no stale reply can be taken
 * for the next request's. Buffers that carried keys are wiped after use.
 */
#include "kernel/xfrm/xfrm.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "common/buf.h"
#include "log/log.h"

typedef int (*reply_fn)(const struct nlmsghdr *nlh, void *data);

struct talk {
	reply_fn fn;
	void *data;
	bool single;  /* a GET: the first reply ends the exchange */
	bool stopped; /* the caller's dump callback asked to stop: drain the rest */
	int result;
};

static int talk_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk *t = data;
	if (!t->stopped && t->fn) {
		int r = t->fn(nlh, t->data);
		if (r != 0) {
			t->stopped = true;
			t->result = r;
		}
	}
	return t->single ? MNL_CB_STOP : MNL_CB_OK;
}

/* Send one request of len bytes and read until its ACK, error, reply or dump end. */
static int talk(struct xfrm *x, void *req, size_t len, bool secret, struct talk *t)
{
	ssize_t n = mnl_socket_sendto(x->nl, req, len);
	int saved = errno;
	if (secret)
		buf_wipe(req, len);
	if (n < 0)
		return -saved;
	uint32_t seq = ((struct nlmsghdr *)req)->nlmsg_seq;
	/* Bounded: each round consumes kernel output; SO_RCVTIMEO stops a silent kernel. */
	for (unsigned rounds = 0; rounds < 1000000; rounds++) {
		n = mnl_socket_recvfrom(x->nl, x->rx, XFRM_RX_SIZE);
		if (n < 0)
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		int r = mnl_cb_run(x->rx, (size_t)n, seq, x->portid, talk_cb, t);
		if (r == MNL_CB_ERROR)
			return errno ? -errno : -EBADMSG;
		if (r == MNL_CB_STOP)
			return t->result;
	}
	return -ETIMEDOUT;
}

static uint32_t next_seq(struct xfrm *x)
{
	if (++x->seq == 0)
		x->seq = 1;
	return x->seq;
}

/* ---- open / close ------------------------------------------------------------------- */

static void xfrm_close(void *priv)
{
	struct xfrm *x = priv;
	if (!x)
		return;
	xfrm_events_close(x);
	if (x->nl)
		mnl_socket_close(x->nl);
	free(x->rx);
	free(x);
}

static int xfrm_open(struct kernel *k, const struct kernel_options *opt, void **priv)
{
	struct xfrm *x = calloc(1, sizeof(*x));
	if (!x)
		return -ENOMEM;
	x->k = k;
	x->ev_fd = -1;
	x->rx = malloc(XFRM_RX_SIZE);
	x->nl = mnl_socket_open2(NETLINK_XFRM, SOCK_CLOEXEC);
	int r = 0;
	if (!x->rx)
		r = -ENOMEM;
	else if (!x->nl)
		r = errno == EPROTONOSUPPORT ? -EAFNOSUPPORT : -errno;
	else if (mnl_socket_bind(x->nl, 0, MNL_SOCKET_AUTOPID) < 0)
		r = -errno;
	if (r == 0) {
		struct timeval tv = { .tv_sec = 10 };
		setsockopt(mnl_socket_get_fd(x->nl), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		x->portid = mnl_socket_get_portid(x->nl);
		x->seq = (uint32_t)getpid() << 8;
		if (opt->events)
			r = xfrm_events_open(x, opt);
	}
	if (r < 0) {
		log_error("kernel", "XFRM netlink: %s", strerror(-r));
		xfrm_close(x);
		return r;
	}
	*priv = x;
	return 0;
}

/* ---- SPI, SAs ------------------------------------------------------------------------ */

static int spi_reply(const struct nlmsghdr *nlh, void *data)
{
	struct xfrm_sa_parsed p;
	int r = xfrm_parse_sa(nlh, &p);
	if (r == 0)
		*(uint32_t *)data = p.sa.spi;
	return r == 0 ? 1 : r; /* 1: got it */
}

static int xfrm_spi_alloc(void *priv, const struct kernel_spi_req *req, int64_t token)
{
	struct xfrm *x = priv;
	uint8_t buf[XFRM_REQ_SIZE];
	int len = xfrm_build_allocspi(buf, sizeof(buf), next_seq(x), req);
	if (len < 0)
		return len;
	uint32_t spi = 0;
	struct talk t = { .fn = spi_reply, .data = &spi, .single = true };
	int r = talk(x, buf, (size_t)len, false, &t);
	if (r == 1 && spi == 0)
		r = -EBADMSG;
	/* Kernel refusals (no such larval state, range exhausted) reach the callback. */
	kernel_spi_done(x->k, token, r == 1 ? 0 : (r < 0 ? r : -EBADMSG), spi);
	return 0;
}

static int xfrm_sa_add(void *priv, const struct kernel_sa *sa, bool update)
{
	struct xfrm *x = priv;
	uint8_t buf[XFRM_REQ_SIZE];
	int len = xfrm_build_sa(buf, sizeof(buf), next_seq(x), sa, update);
	if (len < 0) {
		buf_wipe(buf, sizeof(buf));
		return len;
	}
	struct talk t = { 0 };
	int r = talk(x, buf, (size_t)len, true, &t);
	buf_wipe(buf, sizeof(buf));
	return r;
}

static int xfrm_sa_delete(void *priv, const struct kernel_sa_id *id)
{
	struct xfrm *x = priv;
	uint8_t buf[XFRM_REQ_SIZE];
	int len = xfrm_build_sa_id(buf, sizeof(buf), next_seq(x), XFRM_MSG_DELSA, id);
	if (len < 0)
		return len;
	struct talk t = { 0 };
	return talk(x, buf, (size_t)len, false, &t);
}

static int stats_reply(const struct nlmsghdr *nlh, void *data)
{
	struct xfrm_sa_parsed p;
	int r = xfrm_parse_sa(nlh, &p);
	if (r == 0)
		*(struct kernel_sa_stats *)data = p.stats;
	buf_wipe(&p, sizeof(p));
	return r == 0 ? 1 : r;
}

static int xfrm_sa_get(void *priv, const struct kernel_sa_id *id, struct kernel_sa_stats *st)
{
	struct xfrm *x = priv;
	uint8_t buf[XFRM_REQ_SIZE];
	int len = xfrm_build_sa_id(buf, sizeof(buf), next_seq(x), XFRM_MSG_GETSA, id);
	if (len < 0)
		return len;
	struct talk t = { .fn = stats_reply, .data = st, .single = true };
	int r = talk(x, buf, (size_t)len, false, &t);
	buf_wipe(x->rx, XFRM_RX_SIZE); /* the reply carried the keys */
	return r == 1 ? 0 : (r < 0 ? r : -EBADMSG);
}

struct sa_dump_ctx {
	kernel_sa_dump_fn cb;
	void *userdata;
};

static int sa_dump_reply(const struct nlmsghdr *nlh, void *data)
{
	struct sa_dump_ctx *c = data;
	struct xfrm_sa_parsed p;
	if (xfrm_parse_sa(nlh, &p) < 0) {
		log_warning("kernel", "skipping an unreadable SA in the XFRM dump");
		return 0;
	}
	int r = c->cb(&p.sa, &p.stats, c->userdata);
	buf_wipe(&p, sizeof(p));
	return r;
}

static int xfrm_sa_dump(void *priv, kernel_sa_dump_fn cb, void *userdata)
{
	struct xfrm *x = priv;
	uint8_t buf[XFRM_REQ_SIZE];
	int len = xfrm_build_dump(buf, sizeof(buf), next_seq(x), XFRM_MSG_GETSA);
	if (len < 0)
		return len;
	struct sa_dump_ctx c = { cb, userdata };
	struct talk t = { .fn = sa_dump_reply, .data = &c };
	int r = talk(x, buf, (size_t)len, false, &t);
	buf_wipe(x->rx, XFRM_RX_SIZE);
	return r;
}

static int xfrm_sa_flush(void *priv, int proto)
{
	struct xfrm *x = priv;
	uint8_t buf[XFRM_REQ_SIZE];
	int len = xfrm_build_flush_sa(buf, sizeof(buf), next_seq(x), proto);
	if (len < 0)
		return len;
	struct talk t = { 0 };
	return talk(x, buf, (size_t)len, false, &t);
}

/* ---- Policies ------------------------------------------------------------------------ */

static int xfrm_policy_add(void *priv, const struct kernel_policy *p, bool update)
{
	struct xfrm *x = priv;
	uint8_t buf[XFRM_REQ_SIZE];
	int len = xfrm_build_policy(buf, sizeof(buf), next_seq(x), p, update);
	if (len < 0)
		return len;
	struct talk t = { 0 };
	return talk(x, buf, (size_t)len, false, &t);
}

static int xfrm_policy_delete(void *priv, const struct kernel_policy *p)
{
	struct xfrm *x = priv;
	uint8_t buf[XFRM_REQ_SIZE];
	int len = xfrm_build_policy_id(buf, sizeof(buf), next_seq(x), XFRM_MSG_DELPOLICY, p);
	if (len < 0)
		return len;
	struct talk t = { 0 };
	return talk(x, buf, (size_t)len, false, &t);
}

static int policy_reply(const struct nlmsghdr *nlh, void *data)
{
	int r = xfrm_parse_policy(nlh, data);
	return r == 0 ? 1 : r;
}

static int xfrm_policy_get(void *priv, const struct kernel_policy *key, struct kernel_policy *out)
{
	struct xfrm *x = priv;
	uint8_t buf[XFRM_REQ_SIZE];
	int len = xfrm_build_policy_id(buf, sizeof(buf), next_seq(x), XFRM_MSG_GETPOLICY, key);
	if (len < 0)
		return len;
	struct talk t = { .fn = policy_reply, .data = out, .single = true };
	int r = talk(x, buf, (size_t)len, false, &t);
	return r == 1 ? 0 : (r < 0 ? r : -EBADMSG);
}

struct pol_dump_ctx {
	kernel_policy_dump_fn cb;
	void *userdata;
};

static int policy_dump_reply(const struct nlmsghdr *nlh, void *data)
{
	struct pol_dump_ctx *c = data;
	struct kernel_policy p;
	int r = xfrm_parse_policy(nlh, &p);
	if (r == -ENOENT)
		return 0; /* a per-socket policy */
	if (r < 0) {
		log_warning("kernel", "skipping an unreadable policy in the XFRM dump");
		return 0;
	}
	return c->cb(&p, c->userdata);
}

static int xfrm_policy_dump(void *priv, kernel_policy_dump_fn cb, void *userdata)
{
	struct xfrm *x = priv;
	uint8_t buf[XFRM_REQ_SIZE];
	int len = xfrm_build_dump(buf, sizeof(buf), next_seq(x), XFRM_MSG_GETPOLICY);
	if (len < 0)
		return len;
	struct pol_dump_ctx c = { cb, userdata };
	struct talk t = { .fn = policy_dump_reply, .data = &c };
	return talk(x, buf, (size_t)len, false, &t);
}

static int xfrm_policy_flush(void *priv)
{
	struct xfrm *x = priv;
	uint8_t buf[XFRM_REQ_SIZE];
	int len = xfrm_build_flush_policy(buf, sizeof(buf), next_seq(x));
	if (len < 0)
		return len;
	struct talk t = { 0 };
	return talk(x, buf, (size_t)len, false, &t);
}

/* ---- Capabilities ------------------------------------------------------------------- */

static const struct kernel_alg_cap xfrm_algs[] = {
	{ KERNEL_CAP_ENC, KERNEL_ENC_NULL, 0, 0, 0, 0 },
	{ KERNEL_CAP_ENC, KERNEL_ENC_DES, 64, 64, 0, 0 },
	{ KERNEL_CAP_ENC, KERNEL_ENC_3DES, 192, 192, 0, 0 },
	{ KERNEL_CAP_ENC, KERNEL_ENC_CAST, 40, 128, 8, 0 },
	{ KERNEL_CAP_ENC, KERNEL_ENC_BLOWFISH, 40, 448, 8, 0 },
	{ KERNEL_CAP_ENC, KERNEL_ENC_AES_CBC, 128, 256, 64, 0 },
	{ KERNEL_CAP_ENC, KERNEL_ENC_AES_CTR, 128, 256, 64, 0 },
	{ KERNEL_CAP_ENC, KERNEL_ENC_AES_GCM_8, 128, 256, 64, 64 },
	{ KERNEL_CAP_ENC, KERNEL_ENC_AES_GCM_12, 128, 256, 64, 96 },
	{ KERNEL_CAP_ENC, KERNEL_ENC_AES_GCM_16, 128, 256, 64, 128 },
	{ KERNEL_CAP_ENC, KERNEL_ENC_CAMELLIA_CBC, 128, 256, 64, 0 },
	{ KERNEL_CAP_ENC, KERNEL_ENC_TWOFISH, 128, 256, 64, 0 },
	{ KERNEL_CAP_AUTH, KERNEL_AUTH_HMAC_MD5, 128, 128, 0, 96 },
	{ KERNEL_CAP_AUTH, KERNEL_AUTH_HMAC_SHA1, 160, 160, 0, 96 },
	{ KERNEL_CAP_AUTH, KERNEL_AUTH_HMAC_SHA2_256, 256, 256, 0, 128 },
	{ KERNEL_CAP_AUTH, KERNEL_AUTH_HMAC_SHA2_384, 384, 384, 0, 192 },
	{ KERNEL_CAP_AUTH, KERNEL_AUTH_HMAC_SHA2_512, 512, 512, 0, 256 },
	{ KERNEL_CAP_COMP, KERNEL_COMP_DEFLATE, 0, 0, 0, 0 },
	{ KERNEL_CAP_COMP, KERNEL_COMP_LZS, 0, 0, 0, 0 },
	{ KERNEL_CAP_COMP, KERNEL_COMP_LZJH, 0, 0, 0, 0 },
};

static const struct kernel_caps xfrm_caps = {
	.backend = "xfrm", .aead = true, .esn = true, .icv_selectable = true,
	.udp_encap = true, .ipcomp = true, .policy_priority = true,
	.replay_window_max = XFRMA_REPLAY_ESN_MAX,
	.algs = xfrm_algs, .n_algs = sizeof(xfrm_algs) / sizeof(xfrm_algs[0]),
};

const struct kernel_ops kernel_xfrm_ops = {
	.name = "xfrm", .caps = &xfrm_caps,
	.open = xfrm_open, .close = xfrm_close, .spi_alloc = xfrm_spi_alloc,
	.sa_add = xfrm_sa_add, .sa_delete = xfrm_sa_delete, .sa_get = xfrm_sa_get,
	.sa_dump = xfrm_sa_dump, .sa_flush = xfrm_sa_flush,
	.policy_add = xfrm_policy_add, .policy_delete = xfrm_policy_delete,
	.policy_get = xfrm_policy_get, .policy_dump = xfrm_policy_dump,
	.policy_flush = xfrm_policy_flush,
};
