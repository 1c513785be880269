/* phase2: Quick Mode objects and the IPsec SAs they install. */
#ifndef RACOON_IKE_PHASE2_H
#define RACOON_IKE_PHASE2_H

#include "ike/sa.h"

/* A responder negotiation for a new message id (IV derived from the Phase 1 chain). */
struct ike_ph2 *ike_ph2_new_responder(struct ike_ph1 *p, uint32_t msgid);
/* Established: log, lifetime timers, retire a replaced SA. */
void ike_ph2_established(struct ike_ph2 *q);
/* Phase 1 is up: start the Quick Modes waiting for it. */
void ike_ph2_ph1_ready(struct ike_ph1 *p);
/* Start a Quick Mode for a request (rekey: replaces old). 0 or negative errno. */
int ike_ph2_start(struct ike_engine *e, const struct ike_ph2_request *r, struct ike_ph2 *old);
/* Remove the kernel SAs of q (both directions, every protocol of the bundle). */
void ike_ph2_uninstall(struct ike_ph2 *q);

#endif
