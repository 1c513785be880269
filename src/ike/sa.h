/* sa: the engine's objects (internal to src/ike): the engine, ISAKMP SAs (struct ike_ph1),
 * Quick Mode negotiations and their IPsec SAs (struct ike_ph2), and the message being
 * handled (struct ike_md).
 *
 * Indexes (hash tables, no list walk per packet):
 *   by_cookies  ph1 by CKY-I | CKY-R, once both are known
 *   by_icookie  ph1 by CKY-I (responder: duplicate I1; initiator: the first answer)
 *   by_msgid    ph2 by CKY-I | CKY-R | M-ID while Quick Mode runs and after
 *   by_spi      IPsec SAs by (SPI, protocol, direction) for Delete and kernel expiry
 *   peers       per peer address: half-open count, INITIAL-CONTACT sent
 */
#ifndef RACOON_IKE_SA_H
#define RACOON_IKE_SA_H

#include <stdbool.h>
#include <stdint.h>

#include "common/addr.h"
#include "common/buf.h"
#include "crypto/cipher.h"
#include "crypto/dh.h"
#include "crypto/hash.h"
#include "crypto/oakley.h"
#include "ike/dpd.h"
#include "ike/htab.h"
#include "ike/ike.h"
#include "ike/state.h"
#include "ike/timer.h"
#include "isakmp/digest.h"
#include "log/log.h"

#define IKE_MAX_MSG 65535u
#define IKE_RECENT_MSGIDS 32
#define IKE_MAX_PH2_PROTO 3
#define IKE_ID_MAX 512

/* Doubly linked list for walks that are not per packet (shutdown, show, purge). */
struct ike_link {
	struct ike_link *prev, *next;
};

/* Retransmission and duplicate detection, shared by both phases. */
struct ike_xmit {
	struct buf last_sent;   /* our last message, resent on timeout or on a duplicate */
	uint64_t last_rx_hash;  /* keyed hash of the peer's last message we acted on */
	bool have_rx;
	bool answers_rx;        /* last_sent answered that message (else: never resent for it,
				 * or two peers would bounce duplicates forever) */
	unsigned left;          /* retransmissions left */
};

/* A Phase 1 transform as numbers (wire values). */
struct ike_p1_prop {
	uint16_t enc, key_bits, hash, auth, group;
	uint32_t life_s, life_kb;
};
#define IKE_MAX_P1_PROPS 16

/* Values copied from the remote {} a Phase 1 runs under (config reload safe). */
struct ike_ph1_conf {
	char *name;
	unsigned nonce_size;
	uint32_t lifetime_s;
	int proposal_check;      /* enum conf_proposal_check */
	bool passive, initial_contact, weak_phase1_check;
	int rekey;               /* enum conf_tristate */
	uint8_t my_id_type;      /* ISAKMP_ID_* */
	struct buf my_id;        /* ID data */
	unsigned counter, interval_s, persend, phase1_s, phase2_s;
	bool verify_identifier;
	struct { uint8_t type; struct buf data; } peers_id[8]; /* peers_identifier, ISAKMP form */
	unsigned n_peers_id;
	bool dpd, natt, frag;
	unsigned dpd_delay, dpd_retry, dpd_maxfail; /* probing (ike/dpd.h), delay 0: off */
	uint8_t exchange;        /* initiator mode */
	/* RSA signatures (phase1/auth_sig.c): enum conf_cert_type values, resolved paths */
	int cert_type, peers_cert_type;
	char *my_cert, *my_privkey, *ca_file, *ca_dir, *peers_certfile;
	bool verify_cert, send_cert, send_cr;
	struct ike_p1_prop props[IKE_MAX_P1_PROPS];
	unsigned n_props;
};

struct ike_ph2;

struct ike_ph1 {
	struct ike_engine *eng;
	struct htab_node n_cookies, n_icookie;
	bool in_cookies, in_icookie;
	struct ike_link all;
	struct ike_peer *peer;   /* by address: half-open count, the peer's other SAs */
	struct ike_link by_peer;
	enum ike_state state;
	bool initiator;
	bool halfopen;           /* counted in the half-open caps */
	uint8_t exchange;        /* ISAKMP_EXCH_IDENT or _AGGRESSIVE */
	uint8_t icookie[8], rcookie[8];
	union sockaddr_any local, remote;
	struct ike_ph1_conf cf;
	uint64_t created;

	/* negotiated */
	const struct crypto_cipher *cipher;
	size_t enc_keylen;       /* bytes */
	unsigned key_bits;       /* as negotiated (0: none sent) */
	const struct crypto_hash *hash;
	const struct dh_group *dh;
	uint16_t auth_method;    /* wire value */
	enum ike_auth_class auth;
	uint32_t lifetime_s, lifetime_kb;

	/* exchange material */
	struct buf sa_i_b;       /* the initiator's SA payload body */
	struct buf dh_priv, dh_pub, dh_peer, gxy;
	struct buf ni, nr;
	struct buf id_i_b, id_r_b;
	struct buf skeyid, enc_key;
	struct oakley_keys keys;
	struct oakley_iv iv;     /* the Phase 1 CBC chain (last block) */
	bool keyed;              /* keys derived: later messages are encrypted */

	/* peer's identity once authenticated (INITIAL-CONTACT, show) */
	uint8_t peer_id_type;
	struct buf peer_id;
	bool peer_initial_contact;
	struct ike_sig *sig;     /* keys and certificates of an rsasig Phase 1 (auth_sig.c) */

	/* vendor IDs seen */
	bool vid_dpd, vid_natt, vid_frag, vid_xauth, vid_unity, vid_ours;

	struct ike_xmit x;
	struct ike_timer t_retrans, t_neg, t_soft, t_hard;
	bool soft_done;
	struct ike_dpd dpd;
	uint32_t recent_msgid[IKE_RECENT_MSGIDS];
	unsigned recent_pos;
	struct ike_link ph2s;    /* ike_ph2.in_ph1 */
	unsigned refs_dying;     /* guards against freeing inside a handler */
	bool dead;
};

struct ike_ph2_proto {
	uint8_t proto;           /* ISAKMP_PROTO_IPSEC_ESP / _AH / _IPCOMP */
	uint8_t trans_id;        /* ESP/AH/IPComp transform id */
	uint8_t trans_num;       /* its transform number (echoed by the responder) */
	uint16_t auth;           /* IPSEC_AUTH_* */
	unsigned key_bits;       /* cipher key length attribute, 0 = none */
	uint32_t spi_in, spi_out;
	int64_t spi_req;         /* pending kernel_spi_alloc, 0 when none */
	struct htab_node n_in, n_out;
	bool indexed;
	struct ike_ph2 *owner;
};

/* Values copied from the sainfo {} a Quick Mode runs under. */
struct ike_ph2_conf {
	unsigned pfs_group;
	uint32_t lifetime_s;
	int proposal_check;
	struct { uint16_t enc; unsigned keylen; } enc[16];
	unsigned n_enc;
	uint16_t auth[16];
	unsigned n_auth;
	uint16_t comp[16];
	unsigned n_comp;
};

struct ike_ph2 {
	struct ike_engine *eng;
	struct ike_ph1 *ph1;     /* NULL once the ISAKMP SA died (IPsec SAs live on) */
	struct ike_link in_ph1;
	struct ike_link all;
	struct htab_node n_msgid;
	bool in_msgid;
	uint32_t msgid;
	uint8_t ck[16];          /* the cookies of the ISAKMP SA it ran under */
	enum ike_state state;
	bool initiator;
	struct ike_ph2_request req; /* traffic and bundle (responder: from the IDs) */
	struct ike_ph2_conf cf;
	uint64_t created;

	struct ike_ph2_proto p[IKE_MAX_PH2_PROTO];
	unsigned np;
	uint16_t encap;          /* IPSEC_ENCAP_TUNNEL / _TRANSPORT */
	uint8_t prop_num;        /* the chosen proposal number (responder) */
	uint32_t lifetime_s, lifetime_kb;
	bool responder_lifetime; /* send RESPONDER-LIFETIME (proposal_check claim) */
	uint32_t peer_life_s;    /* the initiator's proposed lifetime (echoed with claim) */

	const struct dh_group *pfs;
	struct buf dh_priv, dh_pub, dh_peer, gxy;
	struct buf ni, nr;
	struct buf idci, idcr;   /* ID payload bodies (initiator's, responder's) */
	bool has_ids;
	struct buf sa_b;         /* the initiator's SA body (responder keeps the peer's) */
	struct oakley_iv iv;
	bool commit;             /* the commit bit was set on HASH(3) */

	struct ike_xmit x;
	struct ike_timer t_retrans, t_neg, t_soft, t_hard;
	bool installed;
	bool in_installed;       /* inbound SAs in the kernel (responder: from QM2 on) */
	bool gen_policy;         /* owns generate_policy policies (phase2/policy.c) */
	bool replaced;           /* a newer SA took over (rekey) */
	struct ike_ph2 *rekey_of; /* the SA this one replaces (while negotiating) */
	struct ike_ph2 *rekey_by; /* and back: the negotiation replacing this one */
	bool dead;
};

struct ike_peer {
	struct htab_node node;
	union sockaddr_any addr; /* address only (port 0) */
	unsigned halfopen;
	bool contacted;          /* INITIAL-CONTACT sent (kept: the peer authenticated) */
	struct ike_link ph1s;    /* ike_ph1.by_peer; freed when empty and not contacted */
};

struct ike_engine {
	struct ike_engine_opts o;
	const struct racoon_conf *conf;
	struct htab by_cookies, by_icookie, by_msgid, by_spi, peers;
	struct ike_link ph1s, ph2s;
	struct ike_timers timers;
	unsigned halfopen;
	struct ike_stats st;
	struct isakmp_digest *d;  /* scratch digest for the message being handled */
	uint8_t vid_ours[16];
	bool shutting_down;
	ike_event_fn ev_fn;       /* ike_engine_set_event_hook */
	void *ev_ud;
};

/* The message being handled. */
struct ike_md {
	struct ike_engine *eng;
	struct isakmp_digest *d;
	const union sockaddr_any *local, *remote;
	struct ike_ph1 *ph1;
	struct ike_ph2 *ph2;
	const struct ike_transition *t;
	const uint8_t *plain;     /* decrypted body (NULL when clear) */
	size_t plain_len;
	struct oakley_iv iv_after; /* the chain value after this message (encrypted input) */
	uint64_t rx_hash;
	uint16_t notify;          /* STF_FAIL: answer with this notify (0: none) */
	struct buf reply;         /* the handler's reply (plaintext, header first) */
	bool reply_encrypt;
	bool kill_ph1;            /* the peer deleted this ISAKMP SA: free it afterwards */
};

/* ---- lists ---- */
void ike_link_init(struct ike_link *l);
void ike_link_add(struct ike_link *head, struct ike_link *l);
void ike_link_del(struct ike_link *l);
#define ike_link_entry(p, type, member) ((type *)((char *)(p) - offsetof(type, member)))

/* ---- engine helpers (engine.c) ---- */
int ike_rand(struct ike_engine *e, void *p, size_t n);
uint64_t ike_msg_hash(const struct ike_engine *e, const uint8_t *p, size_t n);
int ike_send(struct ike_engine *e, const union sockaddr_any *from,
	     const union sockaddr_any *to, const struct buf *msg);
/* Tell the event hook (engine.c); why for DOWN / FAILED. */
void ike_emit_ph1(struct ike_ph1 *p, enum ike_event_type t, const char *why);
void ike_emit_ph2(struct ike_ph2 *q, enum ike_event_type t, const char *why);
void ike_ph1_ctx(const struct ike_ph1 *p, struct log_ctx *c);
void ike_ph2_ctx(const struct ike_ph2 *p, struct log_ctx *c);

/* ---- Phase 1 objects (sa.c) ---- */
struct ike_ph1 *ike_ph1_new(struct ike_engine *e, bool initiator, const union sockaddr_any *local,
			    const union sockaddr_any *remote);
void ike_ph1_index(struct ike_ph1 *p); /* once the cookies are set */
void ike_ph1_set_rcookie(struct ike_ph1 *p, const uint8_t rcookie[8]);
struct ike_ph1 *ike_ph1_by_cookies(struct ike_engine *e, const uint8_t ic[8], const uint8_t rc[8]);
/* The Phase 1 still without a responder cookie (initiator) or the responder's SA for a
 * repeated first message, from this peer. */
struct ike_ph1 *ike_ph1_by_icookie(struct ike_engine *e, const uint8_t ic[8],
				   const union sockaddr_any *remote);
/* The newest established ISAKMP SA with a peer (for Quick Mode), or NULL. */
struct ike_ph1 *ike_ph1_find_established(struct ike_engine *e, const union sockaddr_any *local,
					 const union sockaddr_any *remote);
void ike_ph1_set_state(struct ike_ph1 *p, enum ike_state to);
void ike_ph1_free(struct ike_ph1 *p);
/* Counted half-open Phase 1 objects; false when a cap is hit. */
bool ike_halfopen_take(struct ike_engine *e, const union sockaddr_any *remote);
void ike_halfopen_release(struct ike_ph1 *p);
struct ike_peer *ike_peer_get(struct ike_engine *e, const union sockaddr_any *a, bool create);
void ike_peer_maybe_free(struct ike_engine *e, struct ike_peer *p);
void ike_ph1_conf_free(struct ike_ph1_conf *c);
bool ike_ph1_msgid_seen(struct ike_ph1 *p, uint32_t msgid);
void ike_ph1_msgid_remember(struct ike_ph1 *p, uint32_t msgid);

/* ---- Phase 2 objects (sa.c) ---- */
struct ike_ph2 *ike_ph2_new(struct ike_engine *e, struct ike_ph1 *ph1, bool initiator);
void ike_ph2_set_msgid(struct ike_ph2 *p, uint32_t msgid);
struct ike_ph2 *ike_ph2_by_msgid(struct ike_engine *e, const uint8_t ck[16], uint32_t msgid);
/* IPsec SA by SPI: out = false: our inbound SPI, true: the peer's (our outbound). */
struct ike_ph2 *ike_ph2_by_spi(struct ike_engine *e, uint32_t spi, uint8_t proto, bool out,
			       unsigned *idx);
void ike_ph2_index_spis(struct ike_ph2 *p);
void ike_ph2_set_state(struct ike_ph2 *p, enum ike_state to);
void ike_ph2_detach(struct ike_ph2 *p); /* from its ph1 */
void ike_ph2_free(struct ike_ph2 *p);

#endif
