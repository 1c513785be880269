/* event: the daemon's sd-event loop and a clock that tests can replace. */
#ifndef RACOON_EVENT_EVENT_H
#define RACOON_EVENT_EVENT_H

#include <stdint.h>
#include <systemd/sd-event.h>

/* The process-wide loop (created on first use). */
sd_event *event_loop(void);
void event_loop_free(void);

/* Monotonic time in microseconds; tests install their own source with event_clock_set. */
uint64_t event_now_usec(void);
void event_clock_set(uint64_t (*now)(void));

/* One-shot timer relative to now (CLOCK_MONOTONIC). *out may be NULL (floating source). */
int event_timer_add(sd_event_source **out, uint64_t usec_from_now,
		    sd_event_time_handler_t cb, void *userdata);

#endif
