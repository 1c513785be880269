/* kernel: the one interface between racoon and the kernel's IPsec databases.
 *
 * Everything IKE, setkey and the tests need from the SAD/SPD goes through a `struct
 * kernel` opened by backend name ("xfrm", "pfkey", "mock"). Nothing backend-specific
 * leaks out: algorithms are the IANA IKEv1 numbers, addresses are sockaddr_any, errors
 * are negative errno.
 *
 * Asynchrony: SPI/CPI allocation is a round trip in both kernel APIs (XFRM ALLOCSPI,
 * PF_KEY SADB_GETSPI), so it always completes through a callback run from the event
 * loop, never inside kernel_spi_alloc(). Everything else returns synchronously (netlink
 * requests to the kernel are answered before sendmsg returns).
 *
 * Ownership (decision): racoon records every SA and policy it installs in an
 * append-only journal under the StateDirectory (`<state_dir>/kernel-owned`, one line
 * per add and per delete, compacted at open). Lines are written before the call returns,
 * so a killed racoon loses nothing; no fsync, because a host crash loses the kernel's
 * SAs and policies as well. After a crash the next start replays the
 * journal, and kernel_flush_own() deletes exactly those entries that still exist in the
 * kernel with the same identity (SA: proto, dst, SPI, reqid; policy: direction,
 * selector, priority). A reqid range or a mark was rejected: reqids come from the
 * administrator's policies (setkey `unique:N`), and a mark changes which packets an SA
 * or policy matches. Nothing else is ever deleted, and no protocol-wide flush is used.
 * Without a state_dir (setkey, unit tests) ownership lives in memory only.
 */
#ifndef RACOON_KERNEL_KERNEL_H
#define RACOON_KERNEL_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/addr.h"

struct kernel;

/* ---- Protocols, modes, directions ------------------------------------------------- */

enum kernel_proto {
	KERNEL_PROTO_ESP = 50,  /* IPPROTO_ESP */
	KERNEL_PROTO_AH = 51,   /* IPPROTO_AH */
	KERNEL_PROTO_COMP = 108 /* IPPROTO_COMP (IPComp, SPI field holds the CPI) */
};

enum kernel_mode {
	KERNEL_MODE_TRANSPORT = 0,
	KERNEL_MODE_TUNNEL = 1,
};

enum kernel_dir {
	KERNEL_DIR_IN = 0,
	KERNEL_DIR_OUT = 1,
	KERNEL_DIR_FWD = 2,
};

/* ---- Algorithms: IANA IKEv1 IPsec numbers (RFC 2407 and its registries) ----------- */

/* ESP transform IDs. AEAD transforms carry their salt at the end of the key:
 * AES-GCM (RFC 4106) and AES-CTR (RFC 3686) keys are the cipher key + 4 bytes. */
enum kernel_enc {
	KERNEL_ENC_NONE = 0,
	KERNEL_ENC_DES = 2,
	KERNEL_ENC_3DES = 3,
	KERNEL_ENC_CAST = 6,
	KERNEL_ENC_BLOWFISH = 7,
	KERNEL_ENC_NULL = 11,
	KERNEL_ENC_AES_CBC = 12,
	KERNEL_ENC_AES_CTR = 13,
	KERNEL_ENC_AES_GCM_8 = 18,  /* AEAD, 64-bit ICV */
	KERNEL_ENC_AES_GCM_12 = 19, /* AEAD, 96-bit ICV */
	KERNEL_ENC_AES_GCM_16 = 20, /* AEAD, 128-bit ICV: rfc4106(gcm(aes)) */
	KERNEL_ENC_CAMELLIA_CBC = 22,
	KERNEL_ENC_TWOFISH = 253,   /* KAME private number, as the reference uses */
};

/* IPsec authentication algorithm attribute values (AH and ESP). */
enum kernel_auth {
	KERNEL_AUTH_NONE = 0,
	KERNEL_AUTH_HMAC_MD5 = 1,
	KERNEL_AUTH_HMAC_SHA1 = 2,
	KERNEL_AUTH_HMAC_SHA2_256 = 5,
	KERNEL_AUTH_HMAC_SHA2_384 = 6,
	KERNEL_AUTH_HMAC_SHA2_512 = 7,
};

/* IPComp transform IDs. */
enum kernel_comp {
	KERNEL_COMP_NONE = 0,
	KERNEL_COMP_DEFLATE = 2,
	KERNEL_COMP_LZS = 3,
	KERNEL_COMP_LZJH = 4,
};

/* Names as setkey writes them ("aes-cbc", "hmac-sha256", "deflate"); NULL if unknown.
 * The parsers return the enum value or -1. */
const char *kernel_enc_name(enum kernel_enc e);
const char *kernel_auth_name(enum kernel_auth a);
const char *kernel_comp_name(enum kernel_comp c);
int kernel_enc_from_name(const char *name);
int kernel_auth_from_name(const char *name);
int kernel_comp_from_name(const char *name);
/* RFC ICV length in bits: 96 for HMAC-MD5/SHA1, 128/192/256 for SHA-256/384/512
 * (RFC 4868); 64/96/128 for the GCM transforms; 0 for none/unknown. */
unsigned kernel_auth_icv_bits(enum kernel_auth a);
unsigned kernel_enc_icv_bits(enum kernel_enc e);
bool kernel_enc_is_aead(enum kernel_enc e);
/* Bytes of salt/nonce at the end of the key (4 for GCM and CTR, else 0). */
unsigned kernel_enc_salt_len(enum kernel_enc e);

/* ---- Capabilities: what a backend can install correctly --------------------------- */

struct kernel_alg_cap {
	int kind;           /* KERNEL_CAP_ENC, _AUTH or _COMP */
	int alg;            /* enum kernel_enc / kernel_auth / kernel_comp value */
	uint16_t key_min;   /* key bits, without salt */
	uint16_t key_max;
	uint16_t key_step;  /* allowed key sizes: min, min+step, ..., max (0: only min) */
	uint16_t icv_bits;  /* ICV the backend installs (0 for ciphers / compression) */
};
#define KERNEL_CAP_ENC 1
#define KERNEL_CAP_AUTH 2
#define KERNEL_CAP_COMP 3

struct kernel_caps {
	const char *backend;        /* "xfrm", "pfkey", "mock" */
	bool aead;                  /* AES-GCM SAs */
	bool esn;                   /* 64-bit extended sequence numbers */
	bool icv_selectable;        /* false: fixed ICV lengths (PF_KEY: SHA-256 gets 96) */
	bool udp_encap;             /* NAT-T */
	bool ipcomp;
	bool policy_priority;
	uint32_t replay_window_max; /* packets */
	const struct kernel_alg_cap *algs;
	size_t n_algs;
};

/* The backend's entry for an algorithm, or NULL if it cannot install it. */
const struct kernel_alg_cap *kernel_caps_find(const struct kernel_caps *c, int kind, int alg);
/* True when the backend installs this algorithm with this key size (bits, no salt) and,
 * for integrity, with the RFC ICV length (so the peer will agree with us on the wire). */
bool kernel_caps_enc_ok(const struct kernel_caps *c, enum kernel_enc e, unsigned key_bits);
bool kernel_caps_auth_ok(const struct kernel_caps *c, enum kernel_auth a);
bool kernel_caps_comp_ok(const struct kernel_caps *c, enum kernel_comp comp);

/* ---- SAs ------------------------------------------------------------------------- */

struct kernel_lifetime {
	uint64_t bytes;   /* 0 = unlimited */
	uint64_t packets; /* 0 = unlimited */
	uint64_t add_sec; /* seconds after installation, 0 = unlimited */
	uint64_t use_sec; /* seconds after first use, 0 = unlimited */
};

/* Traffic selector (also used for policies). Prefix lengths in bits; ports in host
 * order, 0 = any; proto 0 = any. The address family is that of src. */
struct kernel_selector {
	union sockaddr_any src;
	union sockaddr_any dst;
	uint8_t src_plen;
	uint8_t dst_plen;
	uint8_t proto;
	uint16_t sport;
	uint16_t dport;
	int ifindex; /* 0 = any */
};

/* NAT-T: ESP in UDP (RFC 3948). Ports in host order. */
struct kernel_encap {
	bool enabled;
	uint16_t sport;
	uint16_t dport;
	union sockaddr_any oa; /* original address (NAT-OA), optional (family 0) */
};

struct kernel_sa {
	union sockaddr_any src; /* outer addresses; ports ignored (see encap) */
	union sockaddr_any dst;
	uint32_t spi;           /* host order; CPI for IPComp */
	enum kernel_proto proto;
	enum kernel_mode mode;
	uint32_t reqid;         /* binds the SA to the policy template with this reqid */

	enum kernel_enc enc;
	const uint8_t *enc_key; /* incl. salt for GCM/CTR; not owned */
	size_t enc_key_len;     /* bytes */
	enum kernel_auth auth;
	const uint8_t *auth_key;
	size_t auth_key_len;
	unsigned icv_bits;      /* 0 = the RFC length (kernel_auth/enc_icv_bits) */
	enum kernel_comp comp;

	struct kernel_lifetime soft;
	struct kernel_lifetime hard;
	uint32_t replay_window; /* packets; 0 = none (outbound) */
	bool esn;
	struct kernel_encap encap;
	const struct kernel_selector *sel; /* optional: restrict the SA to a selector */
	uint32_t seq;           /* the ACQUIRE's sequence number, 0 if none */
};

/* Identity of an installed SA. */
struct kernel_sa_id {
	union sockaddr_any src; /* optional for lookups (family 0); needed by PF_KEY */
	union sockaddr_any dst;
	uint32_t spi;           /* host order */
	enum kernel_proto proto;
};

struct kernel_sa_stats {
	uint64_t bytes;
	uint64_t packets;
	uint64_t add_time;      /* seconds since the epoch when installed */
	uint64_t use_time;      /* seconds since the epoch of first use, 0 = unused */
	uint32_t replay_drops;
	uint32_t integrity_failed;
	uint32_t reqid;
	enum kernel_mode mode;
};

/* ---- Policies -------------------------------------------------------------------- */

enum kernel_policy_action {
	KERNEL_POLICY_IPSEC = 0,   /* apply the templates */
	KERNEL_POLICY_BYPASS = 1,  /* setkey "none": pass in clear */
	KERNEL_POLICY_DISCARD = 2, /* drop */
};

enum kernel_level {
	KERNEL_LEVEL_REQUIRE = 0, /* traffic needs an SA; triggers ACQUIRE */
	KERNEL_LEVEL_USE = 1,     /* optional: use an SA if there is one */
	KERNEL_LEVEL_UNIQUE = 2,  /* require, and the SA is bound to this policy's reqid */
};

#define KERNEL_MAX_TMPL 4

struct kernel_tmpl {
	enum kernel_proto proto;
	enum kernel_mode mode;
	union sockaddr_any src; /* tunnel endpoints (tunnel mode only) */
	union sockaddr_any dst;
	enum kernel_level level;
	uint32_t reqid;         /* 0 = any SA of this proto/mode */
};

struct kernel_policy {
	struct kernel_selector sel;
	enum kernel_dir dir;
	enum kernel_policy_action action;
	uint32_t priority;        /* lower wins (XFRM); 0 = backend default */
	uint32_t index;           /* set by dumps; ignored on add */
	struct kernel_lifetime hard; /* POLEXPIRE after; usually zero */
	size_t n_tmpl;
	struct kernel_tmpl tmpl[KERNEL_MAX_TMPL];
};

/* ---- Events ---------------------------------------------------------------------- */

enum kernel_event_type {
	KERNEL_EV_ACQUIRE = 1,      /* traffic hit a require policy without SA */
	KERNEL_EV_EXPIRE_SOFT,      /* rekey now */
	KERNEL_EV_EXPIRE_HARD,      /* the SA is gone */
	KERNEL_EV_POLEXPIRE,        /* a policy lifetime ran out */
	KERNEL_EV_MAPPING,          /* NAT-T: peer's address/port changed */
	KERNEL_EV_POLICY_ADDED,     /* the SPD changed (setkey, ip xfrm, us) */
	KERNEL_EV_POLICY_DELETED,
	KERNEL_EV_POLICY_FLUSHED,
	KERNEL_EV_RESYNC,           /* events were lost; the SAD/SPD was dumped again */
};

struct kernel_event {
	enum kernel_event_type type;
	union {
		struct {
			struct kernel_policy policy; /* the policy that asked (incl. its tmpl) */
			struct kernel_tmpl tmpl;     /* the template that needs an SA */
			union sockaddr_any src;      /* endpoints to negotiate between */
			union sockaddr_any dst;
			uint32_t seq;                /* pass to spi_alloc and sa_update */
		} acquire;
		struct {
			struct kernel_sa_id id;
			uint32_t reqid;
			struct kernel_sa_stats stats; /* counters at expiry */
		} expire; /* soft and hard */
		struct {
			struct kernel_policy policy;
			bool by_us; /* the change came from this kernel handle */
		} policy; /* POLEXPIRE, POLICY_ADDED, POLICY_DELETED */
		struct {
			struct kernel_sa_id id;
			union sockaddr_any old_addr; /* with port */
			union sockaddr_any new_addr; /* with port */
			uint32_t reqid;
		} mapping;
		struct {
			size_t sa_lost;     /* our SAs gone while events were lost (reported as
					       EXPIRE_HARD right before this event) */
			size_t sa_present;  /* our SAs still installed */
		} resync;
	} u;
};

typedef void (*kernel_event_fn)(const struct kernel_event *ev, void *userdata);

/* ---- Opening and the calls ------------------------------------------------------- */

struct kernel_options {
	const char *state_dir; /* ownership journal folder (StateDirectory); NULL: memory */
	bool events;           /* open the event socket and register it with event_loop() */
	int event_rcvbuf;      /* event socket receive buffer (bytes); 0 = 4 MiB */
	kernel_event_fn on_event;
	void *event_userdata;
};

/* Open a backend by name ("xfrm", "pfkey", "mock"). 0 or negative errno
 * (-ENOENT: no such backend in this build, -EAFNOSUPPORT: the kernel lacks it). */
int kernel_open(const char *backend, const struct kernel_options *opt, struct kernel **out);
/* Cancels pending SPI allocations (their callbacks are not run). Leaves SAs alone. */
void kernel_close(struct kernel *k);
/* What this backend installs correctly, as of now (PF_KEY: narrowed by the kernel's
 * REGISTER answer). The IKE engine asks it at proposal time (ike/phase2/caps.c). */
const struct kernel_caps *kernel_caps(const struct kernel *k);
const char *kernel_backend_name(const struct kernel *k);

/* SPI allocation: for the inbound SA of (src -> dst, proto). range 0 = default
 * (0x100..0xffffffff for ESP/AH, 0x100..0xffff for IPComp CPIs). */
struct kernel_spi_req {
	union sockaddr_any src; /* the peer */
	union sockaddr_any dst; /* us */
	enum kernel_proto proto;
	enum kernel_mode mode;
	uint32_t reqid;
	uint32_t seq;           /* the ACQUIRE's seq when negotiating for one, else 0 */
	uint32_t min, max;
};
/* err is 0 and spi set (host order), or err < 0. Runs from the event loop. */
typedef void (*kernel_spi_fn)(void *userdata, int err, uint32_t spi);
/* Returns a request id > 0 for kernel_cancel(), or negative errno (nothing queued). */
int64_t kernel_spi_alloc(struct kernel *k, const struct kernel_spi_req *req,
			 kernel_spi_fn cb, void *userdata);
/* Drops a pending request's callback (the SA owning it died). Unknown ids are fine.
 * Callbacks may allocate or cancel, but must not kernel_close() the handle. */
void kernel_cancel(struct kernel *k, int64_t request_id);
/* Run completed requests now (tests without a loop; the loop does this by itself). */
void kernel_dispatch(struct kernel *k);

/* Outbound SAs and SAs with a peer-chosen SPI: kernel_sa_add (-EEXIST if present).
 * Inbound SAs whose SPI came from kernel_spi_alloc: kernel_sa_update (the larval
 * state becomes the real SA). Both record ownership. Request buffers are wiped. */
int kernel_sa_add(struct kernel *k, const struct kernel_sa *sa);
int kernel_sa_update(struct kernel *k, const struct kernel_sa *sa);
int kernel_sa_delete(struct kernel *k, const struct kernel_sa_id *id); /* -ENOENT if absent */
int kernel_sa_get(struct kernel *k, const struct kernel_sa_id *id, struct kernel_sa_stats *st);

/* Dumps: the callback sees each entry once; pointers inside are valid only during the
 * call. A non-zero return from the callback stops the dump and is returned. */
typedef int (*kernel_sa_dump_fn)(const struct kernel_sa *sa, const struct kernel_sa_stats *st,
				 void *userdata);
typedef int (*kernel_policy_dump_fn)(const struct kernel_policy *p, void *userdata);
int kernel_sa_dump(struct kernel *k, kernel_sa_dump_fn cb, void *userdata);
int kernel_policy_dump(struct kernel *k, kernel_policy_dump_fn cb, void *userdata);

int kernel_policy_add(struct kernel *k, const struct kernel_policy *p);    /* -EEXIST */
int kernel_policy_update(struct kernel *k, const struct kernel_policy *p); /* add or replace */
/* By selector and direction (the rest of *p is ignored). -ENOENT if absent. */
int kernel_policy_delete(struct kernel *k, const struct kernel_policy *p);

/* Delete every SA and policy this racoon installed (also by an earlier, crashed run)
 * and nothing else. Returns how many were deleted, or negative errno. */
int kernel_flush_own(struct kernel *k);
/* Whether an SA / policy is ours according to the ownership record. */
bool kernel_sa_is_own(const struct kernel *k, const struct kernel_sa_id *id);
bool kernel_policy_is_own(const struct kernel *k, const struct kernel_policy *p);

/* setkey only (`setkey -F`, `-FP`): everything of one protocol / all policies. racoon
 * itself never calls these. proto 0 = ESP, AH and IPComp. */
int kernel_sa_flush_all(struct kernel *k, int proto);
int kernel_policy_flush_all(struct kernel *k);

/* ---- Backend side ----------------------------------------------------------------- */

/* One table per backend. Calls return 0 or negative errno. The core (kernel.c) does
 * ownership, cancellation and deferred callbacks; backends only talk to the kernel. */
struct kernel_ops {
	const char *name;
	const struct kernel_caps *caps;
	int (*open)(struct kernel *k, const struct kernel_options *opt, void **priv);
	void (*close)(void *priv);
	/* Start an allocation; complete it later with kernel_spi_done(k, token, err, spi)
	 * (possibly from inside this call: the core defers the user callback). */
	int (*spi_alloc)(void *priv, const struct kernel_spi_req *req, int64_t token);
	int (*sa_add)(void *priv, const struct kernel_sa *sa, bool update);
	int (*sa_delete)(void *priv, const struct kernel_sa_id *id);
	int (*sa_get)(void *priv, const struct kernel_sa_id *id, struct kernel_sa_stats *st);
	int (*sa_dump)(void *priv, kernel_sa_dump_fn cb, void *userdata);
	int (*sa_flush)(void *priv, int proto);
	int (*policy_add)(void *priv, const struct kernel_policy *p, bool update);
	int (*policy_delete)(void *priv, const struct kernel_policy *p);
	int (*policy_get)(void *priv, const struct kernel_policy *key, struct kernel_policy *out);
	int (*policy_dump)(void *priv, kernel_policy_dump_fn cb, void *userdata);
	int (*policy_flush)(void *priv);
};

extern const struct kernel_ops kernel_xfrm_ops;
extern const struct kernel_ops kernel_pfkey_ops;
extern const struct kernel_ops kernel_mock_ops;

/* For backends: complete an SPI allocation; deliver an event (the core adds resync
 * bookkeeping for KERNEL_EV_RESYNC and ownership removal on EXPIRE_HARD). */
void kernel_spi_done(struct kernel *k, int64_t token, int err, uint32_t spi);
void kernel_emit(struct kernel *k, const struct kernel_event *ev);
/* For backends after lost events: compare the ownership record with a fresh SA dump,
 * report our vanished SAs as EXPIRE_HARD, then emit KERNEL_EV_RESYNC. */
int kernel_resync(struct kernel *k);

#endif
