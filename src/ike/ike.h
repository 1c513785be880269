/* ike: the IKEv1 negotiation engine (Main, Aggressive, Quick Mode, informational).
 *
 * One engine object holds every ISAKMP SA (Phase 1) and IPsec SA negotiation (Phase 2)
 * of a racoon process. It talks to the world through three seams, so two engines can be
 * joined in one process for tests:
 *   - datagrams in: ike_engine_input(); datagrams out: the send callback;
 *   - the kernel: a struct kernel (kernel/kernel.h; the mock backend in tests), or none
 *     at all with no_kernel (racoon -Z: log what would be installed);
 *   - time: event_now_usec() (replaceable), with due timers run by ike_engine_run_timers().
 * The configuration is read through the racoon_conf given at creation (or replaced with
 * ike_engine_set_conf); values the SAs need later are copied into them.
 */
#ifndef RACOON_IKE_IKE_H
#define RACOON_IKE_IKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/addr.h"
#include "common/buf.h"

struct racoon_conf;
struct conf_remote;
struct kernel;
struct kernel_event;
struct ike_engine;
struct spd;

/* Send one datagram from `from` (our address and port) to `to`. 0 or negative errno. */
typedef int (*ike_send_fn)(void *userdata, const union sockaddr_any *from,
			   const union sockaddr_any *to, const uint8_t *data, size_t len);
/* Pre-shared key for a peer id ("192.0.2.1", "vpn.example.com", ...). On success secret
 * is a buf_init_secret() buffer. 0 or negative errno (-ENOENT: no key). */
typedef int (*ike_psk_fn)(void *userdata, const char *id, struct buf *secret);
/* Random bytes (nonces, cookies, SPIs...). 0 or negative errno. */
typedef int (*ike_random_fn)(void *userdata, void *p, size_t n);

struct ike_engine_opts {
	const struct racoon_conf *conf; /* not owned; must outlive the engine or be replaced */
	struct kernel *kernel;          /* not owned; NULL only with no_kernel */
	bool no_kernel;                 /* -Z: negotiate, log what would be installed */
	struct spd *spd;                /* not owned; the SPD copy Quick Mode checks (NULL: none) */
	ike_send_fn send;
	void *send_userdata;
	ike_psk_fn psk;                 /* NULL: conf_psk_lookup() on conf */
	void *psk_userdata;
	ike_random_fn random;           /* NULL: crypto_random() (tests give fixed bytes) */
	void *random_userdata;
	/* Half-open Phase 1 caps (0: the defaults below). */
	unsigned max_halfopen_per_peer;
	unsigned max_halfopen_total;
	uint16_t isakmp_port;           /* 0: 500 */
	const char *vendor_id;          /* our vendor ID string (MD5 sent), NULL: ours */
};

#define IKE_DEFAULT_HALFOPEN_PER_PEER 16
#define IKE_DEFAULT_HALFOPEN_TOTAL 4096

/* 0 or negative errno (-EPROTO: the transition table failed its start-up check). */
int ike_engine_new(const struct ike_engine_opts *o, struct ike_engine **out);
/* Drops every SA object without sending anything (see ike_engine_shutdown). */
void ike_engine_free(struct ike_engine *e);
/* A reloaded configuration: new negotiations use it; running SAs keep their values. */
void ike_engine_set_conf(struct ike_engine *e, const struct racoon_conf *conf);

/* A datagram for the ISAKMP port (NAT-T: without the non-ESP marker). Never fails:
 * whatever a peer sends is answered, dropped or logged. */
void ike_engine_input(struct ike_engine *e, const union sockaddr_any *local,
		      const union sockaddr_any *remote, const uint8_t *data, size_t len);

/* Kernel events (ACQUIRE starts negotiations, EXPIRE is a hint to the lifetime model). */
void ike_engine_kernel_event(struct ike_engine *e, const struct kernel_event *ev);

/* Timers: run everything due now (event_now_usec); the earliest deadline (absolute
 * microseconds on the event clock), UINT64_MAX when none. */
void ike_engine_run_timers(struct ike_engine *e);
uint64_t ike_engine_next_timer(const struct ike_engine *e);

/* What an initiator wants from Quick Mode: the traffic to protect and how. */
struct ike_ph2_request {
	union sockaddr_any local;   /* our IKE address (port: ours, 0 = ISAKMP port) */
	union sockaddr_any remote;  /* the peer (port 0 = ISAKMP port) */
	/* selector: src = local side, dst = remote side; ports 0 = any; proto 0 = any */
	union sockaddr_any src, dst;
	uint8_t src_plen, dst_plen, ulproto;
	uint16_t sport, dport;      /* host order, 0 = any */
	bool tunnel;
	bool esp, ah, ipcomp;       /* the protocols of the bundle (SPD template) */
	/* The bundle in proposal order, outermost first (ISAKMP_PROTO_*; order[0] == 0: ESP,
	 * AH, IPComp). From an ACQUIRE: the reverse of the policy's templates, which the
	 * kernel lists innermost first, as the reference racoon proposes them. */
	uint8_t order[3];
	uint8_t optional;           /* 1 << ISAKMP_PROTO_*: templates of level `use` */
	uint32_t reqid;
	uint32_t seq;               /* the ACQUIRE's seq, 0 if none */
	const char *remote_name;    /* a named remote, or NULL: by address */
};

/* Start Phase 1 only (racoonctl establish-sa isakmp). 0 or negative errno. */
int ike_engine_initiate_ph1(struct ike_engine *e, const union sockaddr_any *local,
			    const union sockaddr_any *remote, const char *remote_name);
/* Start Quick Mode (Phase 1 first if there is no ISAKMP SA with that peer). */
int ike_engine_initiate_ph2(struct ike_engine *e, const struct ike_ph2_request *r);

/* Admin delete (remote NULL: every peer) and shutdown: Delete payloads sent (with
 * no_kernel, IPsec SA Deletes are skipped at shutdown only), kernel SAs removed. */
int ike_engine_delete_ph1(struct ike_engine *e, const union sockaddr_any *remote);
/* Admin delete of IPsec SAs: those with remote (NULL: every peer) carrying proto
 * (ISAKMP_PROTO_IPSEC_ESP/AH, 0: any). Delete payloads sent. Returns how many. */
int ike_engine_delete_ph2(struct ike_engine *e, const union sockaddr_any *remote, uint8_t proto);
void ike_engine_shutdown(struct ike_engine *e);
/* One of our addresses went away (RTM_DELADDR): every ISAKMP and IPsec SA (also those
 * still negotiating) with it as our end is removed, kernel SAs and generated policies
 * included, without Delete payloads (they could not leave from that address). The next
 * Phase 1 with those peers sends INITIAL-CONTACT again, so they drop their stale SAs
 * when traffic brings the tunnel back. Returns how many SAs went. */
int ike_engine_local_address_gone(struct ike_engine *e, const union sockaddr_any *addr);

/* ---- Introspection (racoonctl show-sa, tests) ---------------------------------- */

struct ike_ph1_info {
	uint8_t icookie[8], rcookie[8];
	union sockaddr_any local, remote;
	const char *state;       /* "established", "main-I2-sent", ... */
	bool established;
	bool initiator;
	uint8_t exchange;        /* 2 Main, 4 Aggressive */
	uint32_t lifetime_s;
	uint64_t created_usec;
};
struct ike_ph2_info {
	union sockaddr_any local, remote;
	const char *state;
	bool established;
	bool initiator;
	uint32_t msgid;
	uint8_t nproto;
	struct {
		uint8_t proto;      /* ISAKMP_PROTO_IPSEC_ESP ... */
		uint32_t spi_in, spi_out;
	} sa[3];
	bool tunnel;
	uint32_t lifetime_s;
	uint8_t cookies[16];        /* the parent ISAKMP SA's (zero: none yet) */
	union sockaddr_any src, dst; /* the selector, as in struct ike_ph2_request */
	uint8_t src_plen, dst_plen, ulproto;
	uint16_t sport, dport;
	uint32_t reqid;
};
typedef int (*ike_ph1_visit_fn)(const struct ike_ph1_info *i, void *userdata);
typedef int (*ike_ph2_visit_fn)(const struct ike_ph2_info *i, void *userdata);
int ike_engine_foreach_ph1(struct ike_engine *e, ike_ph1_visit_fn fn, void *userdata);
int ike_engine_foreach_ph2(struct ike_engine *e, ike_ph2_visit_fn fn, void *userdata);

struct ike_stats {
	unsigned ph1, ph1_established, ph1_halfopen;
	unsigned ph2, ph2_established;
	unsigned long dropped;        /* datagrams dropped (bad, unknown, unauthenticated) */
	unsigned long duplicates;     /* retransmissions answered from the cache */
	unsigned long retransmits;    /* our own resends */
	unsigned long notifies_sent;
	unsigned peers;               /* peer records (SAs, half-open attempts or contacted) */
};
void ike_engine_stats(const struct ike_engine *e, struct ike_stats *s);

/* ---- Events (racoonctl show-event) --------------------------------------------- */

enum ike_event_type {
	IKE_EV_PH1_UP,          /* ISAKMP SA established */
	IKE_EV_PH1_DOWN,        /* an established ISAKMP SA deleted (why: the reason) */
	IKE_EV_PH1_FAILED,      /* a Phase 1 negotiation failed */
	IKE_EV_PH2_UP,          /* IPsec SA established */
	IKE_EV_PH2_DOWN,
	IKE_EV_PH2_FAILED,
};
struct ike_event {
	enum ike_event_type type;
	const union sockaddr_any *local, *remote;
	uint8_t icookie[8], rcookie[8]; /* the ISAKMP SA's (Phase 2: its parent's) */
	uint32_t msgid;                 /* Phase 2: the Quick Mode message id */
	uint8_t proto;                  /* Phase 2: the first protocol of the bundle */
	uint32_t spi_in, spi_out;       /* of that protocol */
	const char *why;                /* DOWN / FAILED: the reason, else NULL */
};
typedef void (*ike_event_fn)(void *userdata, const struct ike_event *ev);
/* One observer (NULL: none). Called synchronously; it must not call back into the engine. */
void ike_engine_set_event_hook(struct ike_engine *e, ike_event_fn fn, void *userdata);

#endif
