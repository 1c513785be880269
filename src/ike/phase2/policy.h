/* policy: Quick Mode against the kernel's SPD (the copy in ike_engine_opts.spd).
 *
 * Initiator: duplicate ACQUIREs for a negotiation already running are merged, Quick
 * Modes waiting for one Phase 1 are bounded, and a failure says that the kernel will
 * not ACQUIRE the same traffic again for xfrm_acq_expires (30 s).
 * Responder: the peer's IDs must name traffic one of our policies protects; with
 * `generate_policy on|require|unique` policies are created instead, but only for the
 * peer's own address (an authenticated peer must not pull 0.0.0.0/0 or somebody else's
 * traffic into its tunnel). Generated policies go away with the last SA using them.
 * Without an SPD copy (racoon -Z, unit tests without one) every check passes.
 */
#ifndef RACOON_IKE_PHASE2_POLICY_H
#define RACOON_IKE_PHASE2_POLICY_H

#include <stdbool.h>

#include "ike/sa.h"

/* Quick Modes that may wait for one pending Phase 1. */
#define IKE_MAX_QUEUED_QM 512

/* True when a negotiation for the same traffic (selector, peer, reqid) is already
 * running: the ACQUIRE is merged into it. */
bool ike_acquire_is_duplicate(struct ike_engine *e, const struct ike_ph2_request *r);
/* True when p already has IKE_MAX_QUEUED_QM Quick Modes waiting for it. */
bool ike_ph2_queue_full(const struct ike_ph1 *p);
/* Log, for an initiator negotiation started by an ACQUIRE, that the kernel holds the
 * traffic back for ~30 s. */
void ike_ph2_note_acquire_block(const struct ike_ph2 *q, const char *why);
/* The same for every ACQUIRE-started Quick Mode waiting on a failed Phase 1. */
void ike_ph1_note_acquire_block(const struct ike_ph1 *p);

/* Responder, for each bundle the peer offers (mode and protocols set in q): false when
 * our inbound policy for the traffic asks for other protocols, so the next bundle is
 * tried (a peer's fallback without an optional `use` protocol, for example). True
 * without an SPD copy or without a covering policy (ike_ph2_policy_check decides). */
bool ike_ph2_policy_fits(struct ike_ph2 *q);
/* Responder, after the proposal was chosen (mode known): 0, or the notify to refuse
 * with. Takes the reqid of our outbound policy's template (`unique` SAs must carry it)
 * or generates policies. */
uint16_t ike_ph2_policy_check(struct ike_ph2 *q);
/* q is going away: delete its generated policies unless another SA uses them. */
void ike_ph2_policy_release(struct ike_ph2 *q);

#endif
