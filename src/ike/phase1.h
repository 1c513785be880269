/* phase1: what Main and Aggressive Mode share (strongSwan's phase1.c idea): remote
 * selection, the proposal, DH and nonces, SKEYID and the keys, IDs, HASH_I / HASH_R,
 * and what happens once an ISAKMP SA is established. */
#ifndef RACOON_IKE_PHASE1_H
#define RACOON_IKE_PHASE1_H

#include <stdbool.h>
#include <stdint.h>

#include "ike/sa.h"
#include "isakmp/build.h"

struct conf_remote;

/* The remote {} for a peer: by name, else the first with its address, else the first
 * anonymous one that allows the exchange (0: any). NULL when none. */
const struct conf_remote *ike_remote_find(const struct ike_engine *e, const char *name,
					  const union sockaddr_any *peer, uint8_t exchange);
/* Copy what the SA needs from the remote {} and the timer {}. 0 or -ENOMEM. */
int ike_ph1_load_conf(struct ike_ph1 *p, const struct conf_remote *rm);
/* The remote's proposals as wire numbers (PSK ones only; others are skipped). */
unsigned ike_p1_props_from_conf(const struct conf_remote *rm, struct ike_p1_prop *out,
				unsigned max);

/* Build our SA payload (initiator) from props and keep its body in p->sa_i_b. */
int ike_p1_build_sa(struct ike_ph1 *p, struct isakmp_builder *b, const struct ike_p1_prop *pr,
		    unsigned n);
/* Responder: choose a transform of the peer's SA payload against ours (proposal_check
 * decides lifetimes); set p's algorithms; echo the choice into b. ISAKMP_N_* or 0. */
uint16_t ike_p1_select(struct ike_ph1 *p, const struct isakmp_payload *sa,
		       const struct ike_p1_prop *ours, unsigned n, struct isakmp_builder *b);
/* Initiator: check the responder's answer is one of ours; set p's algorithms. */
uint16_t ike_p1_accept(struct ike_ph1 *p, const struct isakmp_payload *sa,
		       const struct ike_p1_prop *ours, unsigned n);

/* A new responder SA for a first message (half-open caps apply). NULL: dropped. */
struct ike_ph1 *ike_ph1_new_responder(struct ike_engine *e, const union sockaddr_any *local,
				      const union sockaddr_any *remote,
				      const struct isakmp_hdr *h);
/* Start an initiator SA: remote lookup, first message out. */
int ike_ph1_start(struct ike_engine *e, const union sockaddr_any *local,
		  const union sockaddr_any *remote, const char *remote_name, struct ike_ph1 **out);

/* Our DH key pair and nonce (kept in p). 0 or negative errno. */
int ike_ph1_make_ke_nonce(struct ike_ph1 *p);
/* Take the peer's KE and nonce payloads. ISAKMP_N_* or 0. */
uint16_t ike_ph1_take_ke_nonce(struct ike_ph1 *p, const struct isakmp_digest *d);
/* Our ID payload body (type, protocol, port, data) into p->id_i_b or id_r_b. */
int ike_ph1_make_id(struct ike_ph1 *p);
/* verify_identifier: the peer's ID is one of peers_identifier (true when not asked). */
bool ike_ph1_peer_id_ok(const struct ike_ph1 *p);
/* Keep the peer's ID payload body. */
int ike_ph1_take_id(struct ike_ph1 *p, const struct isakmp_payload *id);
/* g^xy, SKEYID (PSK looked up by peer address or, with id_known, its ID), SKEYID_d/a/e,
 * the encryption key and the Phase 1 IV. ISAKMP_N_* or 0. */
uint16_t ike_ph1_derive(struct ike_ph1 *p, bool by_id);
/* HASH_I (of_initiator) or HASH_R into out (digest_len bytes). */
int ike_ph1_hash(struct ike_ph1 *p, bool of_initiator, uint8_t *out);
/* Verify the peer's HASH payload. */
bool ike_ph1_verify_hash(struct ike_ph1 *p, const struct isakmp_payload *h);
/* Append KE, NONCE and our vendor IDs to b. */
int ike_ph1_put_ke_nonce(struct ike_ph1 *p, struct isakmp_builder *b);
/* Start a message of p's exchange into out. */
int ike_ph1_msg_begin(struct ike_ph1 *p, struct isakmp_builder *b, struct buf *out);
/* Note N (INITIAL-CONTACT) and VID payloads of a message. */
void ike_ph1_note_payloads(struct ike_ph1 *p, const struct isakmp_digest *d);

/* INITIAL-CONTACT: delete the older SAs of p's peer (address and port). */
void ike_ph1_purge_old(struct ike_ph1 *p);
/* The same with another reason (logged for each SA): DPD. */
void ike_ph1_purge_others(struct ike_ph1 *p, const char *why);
/* o's IPsec SAs (kernel SAs, generated policies), then o; no Delete payloads. */
void ike_ph1_delete_tree(struct ike_ph1 *o, const char *why);
/* Lifetime per proposal_check (racoon-reference 6.8): the value to use, or 0 when the
 * peer's value is refused. *claim: ours is shorter and must be announced. */
uint32_t ike_lifetime_check(int proposal_check, uint32_t peer, uint32_t ours, bool *claim);
/* Established: log, lifetime timers, DPD, INITIAL-CONTACT, waiting Quick Modes. */
void ike_ph1_established(struct ike_ph1 *p);

#endif
