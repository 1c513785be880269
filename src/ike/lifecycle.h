/* lifecycle: what happens to SAs over time and at the end (lifecycle.c, info/).
 *
 * Lifetimes (one model, owned by the engine): soft expiry at 80% of the lifetime minus
 * up to 5% random jitter (so two peers with equal lifetimes do not rekey together),
 * hard expiry at 100%. Kernel soft EXPIREs only bring the soft timer forward.
 * Only the initiator of an IPsec SA rekeys it; the replaced SA stays until its hard
 * expiry, or IKE_REKEY_GRACE_S after the new one is up, then is deleted with a Delete.
 */
#ifndef RACOON_IKE_LIFECYCLE_H
#define RACOON_IKE_LIFECYCLE_H

#include <stdbool.h>
#include <stdint.h>

struct ike_ph1;
struct ike_ph2;
struct ike_timer;

#define IKE_SOFT_PERCENT 80
#define IKE_SOFT_JITTER_PERCENT 5
#define IKE_REKEY_GRACE_S 30

/* Timer callbacks. */
void ike_ph1_retransmit(struct ike_ph1 *p);
void ike_ph1_negotiation_timeout(struct ike_ph1 *p);
void ike_ph1_timer_soft(struct ike_timer *t, void *owner);
void ike_ph1_timer_hard(struct ike_timer *t, void *owner);
void ike_ph2_retransmit(struct ike_ph2 *p);
void ike_ph2_negotiation_timeout(struct ike_ph2 *p);
void ike_ph2_timer_soft(struct ike_timer *t, void *owner);
void ike_ph2_timer_hard(struct ike_timer *t, void *owner);

/* Soft deadline in seconds for a lifetime (80% minus jitter drawn from the engine's
 * random source); exposed for the unit test. */
uint64_t ike_soft_usec(uint32_t lifetime_s, uint32_t jitter_rand);

/* Arm the lifetime timers of a just established SA. */
void ike_ph1_arm_lifetime(struct ike_ph1 *p);
void ike_ph2_arm_lifetime(struct ike_ph2 *p);

/* End of life: delete (with Delete payloads when send_delete), free. */
void ike_ph1_delete(struct ike_ph1 *p, bool send_delete, const char *why);
void ike_ph2_delete(struct ike_ph2 *p, bool send_delete, const char *why);
/* A negotiation failed: log with the NEGOTIATION_FAILED message id and free. */
void ike_ph1_fail(struct ike_ph1 *p, const char *why);
void ike_ph2_fail(struct ike_ph2 *p, const char *why);

#endif
