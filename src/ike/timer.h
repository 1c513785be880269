/* timer: deadlines owned by SA objects, kept in one binary heap per engine.
 *
 * Time comes from event_now_usec(), which tests replace with a fake clock. The engine
 * runs due timers from ike_engine_run_timers(); the daemon arms one sd-event timer for
 * the earliest deadline. A timer is embedded in its owner and cancelled when the owner
 * dies, so a callback never sees freed memory.
 */
#ifndef RACOON_IKE_TIMER_H
#define RACOON_IKE_TIMER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ike_timer;
typedef void (*ike_timer_fn)(struct ike_timer *t, void *owner);

struct ike_timer {
	uint64_t when;  /* absolute, microseconds on the event clock */
	size_t idx;     /* position in the heap, SIZE_MAX when not armed */
	ike_timer_fn fn;
	void *owner;
	const char *what; /* for debug logs: "retransmit", "soft", ... */
};

struct ike_timers {
	struct ike_timer **heap;
	size_t n, cap;
};

void ike_timer_init(struct ike_timer *t, ike_timer_fn fn, void *owner, const char *what);
static inline bool ike_timer_armed(const struct ike_timer *t) { return t->idx != (size_t)-1; }

/* (Re)arm at now + usec. 0 or -ENOMEM. */
int ike_timer_arm(struct ike_timers *ts, struct ike_timer *t, uint64_t usec);
void ike_timer_cancel(struct ike_timers *ts, struct ike_timer *t);
/* Arm at now + usec unless already armed for an earlier deadline. 0 or -ENOMEM. */
int ike_timer_arm_by(struct ike_timers *ts, struct ike_timer *t, uint64_t usec);

/* Earliest deadline, UINT64_MAX when none. */
uint64_t ike_timers_next(const struct ike_timers *ts);
/* Run every timer due at `now`; a callback may arm or cancel timers. Returns how many ran. */
size_t ike_timers_run(struct ike_timers *ts, uint64_t now);
void ike_timers_fini(struct ike_timers *ts);

#endif
