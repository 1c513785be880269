/* ike_harness: two IKE engines in one process, joined by a queue of datagrams, each
 * with a mock kernel, on a fake clock (architecture idea 11). Header-only, for the
 * test_ike_* suites. */
#ifndef RACOON_TESTS_IKE_HARNESS_H
#define RACOON_TESTS_IKE_HARNESS_H

#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "event/event.h"
#include "ike/ike.h"
#include "kernel/kernel.h"
#include "kernel/mock/mock.h"
#include "log/log.h"

#define H_MAXQ 64

struct h_pkt {
	union sockaddr_any from, to;
	uint8_t data[4096];
	size_t len;
};

struct h_peer {
	struct ike_engine *e;
	struct kernel *k;
	struct racoon_conf *c;
	union sockaddr_any addr;
	const char *psk;
	unsigned sent;
};

struct h_world {
	struct h_peer a, b;
	struct h_pkt q[H_MAXQ];
	size_t nq;
	bool drop_next;     /* lose the next datagram */
	unsigned delivered;
	struct h_pkt log[H_MAXQ]; /* what was delivered, in order (first H_MAXQ) */
	unsigned cap_per_peer, cap_total; /* half-open caps for both engines (0: default) */
	bool no_kernel_a;   /* A runs as racoon -Z */
};

static uint64_t h_now = 1000000;
static inline uint64_t h_clock(void) { return h_now; }

static inline int h_send(void *ud, const union sockaddr_any *from, const union sockaddr_any *to,
		  const uint8_t *data, size_t len)
{
	struct h_world *w = ud;
	ck_assert_uint_lt(w->nq, H_MAXQ);
	ck_assert_uint_le(len, sizeof(w->q[0].data));
	if (addr_equal(from, &w->a.addr))
		w->a.sent++;
	else
		w->b.sent++;
	if (w->drop_next) {
		w->drop_next = false;
		return 0;
	}
	struct h_pkt *p = &w->q[w->nq++];
	p->from = *from;
	p->to = *to;
	memcpy(p->data, data, len);
	p->len = len;
	return 0;
}

static inline int h_psk(void *ud, const char *id, struct buf *secret)
{
	const struct h_peer *p = ud;
	if (!p->psk)
		return -ENOENT;
	return buf_dup(secret, p->psk, strlen(p->psk), true);
}

static inline void h_peer_init(struct h_world *w, struct h_peer *p, const char *addr, const char *conf,
			const char *psk)
{
	struct conf_load_opts lo = { .no_file_checks = true };
	ck_assert_int_eq(addr_parse(addr, &p->addr), 0);
	addr_set_port(&p->addr, 500);
	ck_assert_int_eq(conf_parse_string("t.conf", conf, strlen(conf), &lo, &p->c), 0);
	struct kernel_options ko = { 0 };
	ck_assert_int_eq(kernel_open("mock", &ko, &p->k), 0);
	p->psk = psk;
	bool z = p == &w->a && w->no_kernel_a;
	struct ike_engine_opts o = { .conf = p->c, .kernel = z ? NULL : p->k, .no_kernel = z,
				     .send = h_send,
				     .send_userdata = w, .psk = h_psk, .psk_userdata = p,
				     .max_halfopen_per_peer = w->cap_per_peer,
				     .max_halfopen_total = w->cap_total };
	ck_assert_int_eq(ike_engine_new(&o, &p->e), 0);
}

static inline void h_peer_fini(struct h_peer *p)
{
	ike_engine_free(p->e);
	kernel_close(p->k);
	conf_free(p->c);
}

#define H_CONF_HEAD(peer, mode, group) H_CONF_HEAD_X(peer, mode, group, "")
#define H_CONF_HEAD_X(peer, mode, group, extra)                                           \
	"path pre_shared_key \"/nonexistent/psk.txt\";\n"                                \
	"remote " peer " {\n exchange_mode " mode ";\n" extra " proposal {\n"            \
	"  encryption_algorithm aes;\n  hash_algorithm sha1;\n"                          \
	"  authentication_method pre_shared_key;\n  dh_group " group ";\n }\n}\n"
#define H_SAINFO(extra)                                                                   \
	"sainfo anonymous {\n encryption_algorithm aes, 3des;\n"                          \
	" authentication_algorithm hmac_sha256, hmac_sha1;\n"                             \
	" compression_algorithm deflate;\n" extra "}\n"

static inline void h_spi_ignore(void *ud, int err, uint32_t spi) { }

static const char *h_addr_a = "198.51.100.1", *h_addr_b = "198.51.100.2";

static inline void h_init_caps(struct h_world *w, const char *conf_a, const char *conf_b,
			const char *psk_a, const char *psk_b, unsigned per_peer, unsigned total)
{
	memset(w, 0, sizeof(*w));
	w->cap_per_peer = per_peer;
	w->cap_total = total;
	if (getenv("IKE_TEST_LOG")) { /* debugging aid: IKE_TEST_LOG=/dev/stderr */
		struct log_options lo = { .file = getenv("IKE_TEST_LOG"), .debug = 2 };
		log_open(&lo);
		log_set_config_level(LL_DEBUG);
	}
	h_now = 1000000;
	event_clock_set(h_clock);
	h_peer_init(w, &w->a, h_addr_a, conf_a, psk_a);
	h_peer_init(w, &w->b, h_addr_b, conf_b, psk_b);
	/* Both mocks count SPIs from the same start: move B's on, so the two directions
	 * of a pair get different SPIs (and so different KEYMAT). */
	struct kernel_spi_req r = { .src = w->a.addr, .dst = w->b.addr, .proto = KERNEL_PROTO_ESP };
	ck_assert_int_gt(kernel_spi_alloc(w->b.k, &r, h_spi_ignore, NULL), 0);
	kernel_dispatch(w->b.k);
}

static inline void h_init(struct h_world *w, const char *conf_a, const char *conf_b, const char *psk_a,
		   const char *psk_b)
{
	h_init_caps(w, conf_a, conf_b, psk_a, psk_b, 0, 0);
}

static inline void h_fini(struct h_world *w)
{
	h_peer_fini(&w->a);
	h_peer_fini(&w->b);
	event_clock_set(NULL);
}

/* Deliver one queued datagram (after completed SPI allocations); false when none. */
static inline bool h_step(struct h_world *w)
{
	kernel_dispatch(w->a.k);
	kernel_dispatch(w->b.k);
	if (!w->nq)
		return false;
	struct h_pkt *p = malloc(sizeof(*p));
	ck_assert_ptr_nonnull(p);
	*p = w->q[0];
	memmove(w->q, w->q + 1, (w->nq - 1) * sizeof(w->q[0]));
	w->nq--;
	struct h_peer *to = addr_equal(&p->to, &w->a.addr) ? &w->a : &w->b;
	if (w->delivered < H_MAXQ)
		w->log[w->delivered] = *p;
	w->delivered++;
	ike_engine_input(to->e, &p->to, &p->from, p->data, p->len);
	free(p);
	return true;
}

/* Deliver queued datagrams (and completed SPI allocations) until nothing moves. */
static inline void h_pump(struct h_world *w)
{
	for (int round = 0; round < 200; round++)
		if (!h_step(w) && !w->nq)
			return;
	ck_abort_msg("exchange did not settle");
}

/* A datagram from any address to a peer, outside the queue. */
static inline void h_inject(struct h_peer *to, const char *from, const uint8_t *d, size_t n)
{
	union sockaddr_any f;
	ck_assert_int_eq(addr_parse(from, &f), 0);
	addr_set_port(&f, 500);
	ike_engine_input(to->e, &to->addr, &f, d, n);
}

static inline unsigned long h_dropped(struct ike_engine *e)
{
	struct ike_stats s;
	ike_engine_stats(e, &s);
	return s.dropped;
}

/* Advance the fake clock and run both engines' timers. */
static inline void h_advance(struct h_world *w, uint64_t sec)
{
	h_now += sec * 1000000ull;
	ike_engine_run_timers(w->a.e);
	ike_engine_run_timers(w->b.e);
}

static inline struct ike_ph2_request h_req(const struct h_world *w, bool tunnel)
{
	struct ike_ph2_request r = { .local = w->a.addr, .remote = w->b.addr, .esp = true,
				     .tunnel = tunnel, .reqid = 7 };
	r.src = w->a.addr;
	r.dst = w->b.addr;
	addr_set_port(&r.src, 0);
	addr_set_port(&r.dst, 0);
	r.src_plen = r.dst_plen = r.src.sa.sa_family == AF_INET ? 32 : 128;
	return r;
}

struct h_count {
	unsigned ph1, ph1_up, ph2, ph2_up, ph2_initiator;
	struct ike_ph2_info last;
};

static inline int h_count1(const struct ike_ph1_info *i, void *ud)
{
	struct h_count *c = ud;
	c->ph1++;
	c->ph1_up += i->established;
	return 0;
}

static inline int h_count2(const struct ike_ph2_info *i, void *ud)
{
	struct h_count *c = ud;
	c->ph2++;
	c->ph2_up += i->established;
	c->ph2_initiator += i->initiator;
	if (i->established && !c->last.established)
		c->last = *i; /* the engine lists newest first */
	return 0;
}

static inline struct h_count h_counts(struct ike_engine *e)
{
	struct h_count c = { 0 };
	ike_engine_foreach_ph1(e, h_count1, &c);
	ike_engine_foreach_ph2(e, h_count2, &c);
	return c;
}

#endif
