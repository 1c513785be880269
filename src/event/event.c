/* event: process-wide sd-event loop and replaceable clock. */
#include "event/event.h"

#include <errno.h>
#include <time.h>

static sd_event *loop;
static uint64_t (*clock_fn)(void);

sd_event *event_loop(void)
{
	if (!loop && sd_event_default(&loop) < 0)
		return NULL;
	return loop;
}

void event_loop_free(void)
{
	loop = sd_event_unref(loop);
}

static uint64_t real_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

uint64_t event_now_usec(void)
{
	return clock_fn ? clock_fn() : real_now();
}

void event_clock_set(uint64_t (*now)(void))
{
	clock_fn = now;
}

int event_timer_add(sd_event_source **out, uint64_t usec_from_now,
		    sd_event_time_handler_t cb, void *userdata)
{
	sd_event *e = event_loop();
	if (!e)
		return -ENOMEM;
	return sd_event_add_time_relative(e, out, CLOCK_MONOTONIC, usec_from_now, 0, cb, userdata);
}
