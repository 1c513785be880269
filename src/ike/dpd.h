/* dpd: Dead Peer Detection probing (RFC 3706) for an established ISAKMP SA (info/dpd.c).
 *
 * Runs when dpd_delay > 0, we advertise DPD (`dpd on`) and the peer sent the DPD vendor
 * ID. After dpd_delay seconds without proof of liveness the SA sends R-U-THERE (a
 * protected notify, SPI = the cookies, data = a 32-bit sequence number: random first,
 * one more per probe), then again every dpd_retry seconds; dpd_retry seconds after the
 * dpd_maxfail-th unanswered probe the peer is dead: the ISAKMP SA and its IPsec SAs go
 * (kernel SAs and generated policies too, no Delete payloads), and so do the peer's
 * other SAs unless another established ISAKMP SA with it remains; the next Phase 1 with
 * it sends INITIAL-CONTACT again.
 * Proof of liveness: an R-U-THERE-ACK with the SA's cookies and the sequence number of
 * an unanswered probe, the peer's own R-U-THERE with a higher sequence number than its
 * last (an old one replayed proves nothing), or a Quick Mode message, all under this
 * ISAKMP SA (authenticated). Kernel byte counters are not consulted: ESP shows only that
 * the peer's kernel is there, not its IKE daemon.
 */
#ifndef RACOON_IKE_DPD_H
#define RACOON_IKE_DPD_H

#include <stdbool.h>
#include <stdint.h>

#include "ike/timer.h"

struct ike_ph1;
struct isakmp_notify_pl;

struct ike_dpd {
	struct ike_timer t;
	bool on;            /* probing runs on this SA */
	unsigned fails;     /* probes sent since the last proof of liveness */
	uint32_t seq_first; /* sequence number of the first of those */
	uint32_t seq;       /* the next probe's */
	uint64_t last_rx;   /* the last proof of liveness (event clock) */
	uint32_t peer_seq;  /* the sequence number of the peer's last R-U-THERE */
	bool have_peer_seq;
};

/* From ike_ph1_new (the timer), ike_ph1_free, and once the SA is established. */
void ike_dpd_init(struct ike_ph1 *p);
void ike_dpd_stop(struct ike_ph1 *p);
void ike_dpd_start(struct ike_ph1 *p);
/* An authenticated message from the peer under p (see above). */
void ike_dpd_alive(struct ike_ph1 *p);
/* The peer's R-U-THERE under p (HASH verified; answered by info.c either way). */
void ike_dpd_peer_probe(struct ike_ph1 *p, const struct isakmp_notify_pl *n);
/* An R-U-THERE-ACK under p (HASH verified): the failure count goes back to 0 when it
 * answers one of the unanswered probes; anything else is logged and ignored. */
void ike_dpd_ack(struct ike_ph1 *p, const struct isakmp_notify_pl *n);

#endif
