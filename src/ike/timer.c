/* timer: a binary min-heap of SA-owned deadlines (see timer.h). */
#include "ike/timer.h"

#include <errno.h>
#include <stdlib.h>

#include "event/event.h"

void ike_timer_init(struct ike_timer *t, ike_timer_fn fn, void *owner, const char *what)
{
	t->when = 0;
	t->idx = (size_t)-1;
	t->fn = fn;
	t->owner = owner;
	t->what = what;
}

static void swap(struct ike_timers *ts, size_t a, size_t b)
{
	struct ike_timer *x = ts->heap[a];
	ts->heap[a] = ts->heap[b];
	ts->heap[b] = x;
	ts->heap[a]->idx = a;
	ts->heap[b]->idx = b;
}

static void sift_up(struct ike_timers *ts, size_t i)
{
	while (i > 0) {
		size_t p = (i - 1) / 2;
		if (ts->heap[p]->when <= ts->heap[i]->when)
			break;
		swap(ts, p, i);
		i = p;
	}
}

static void sift_down(struct ike_timers *ts, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < ts->n && ts->heap[l]->when < ts->heap[m]->when)
			m = l;
		if (r < ts->n && ts->heap[r]->when < ts->heap[m]->when)
			m = r;
		if (m == i)
			return;
		swap(ts, i, m);
		i = m;
	}
}

void ike_timer_cancel(struct ike_timers *ts, struct ike_timer *t)
{
	if (!ike_timer_armed(t))
		return;
	size_t i = t->idx;
	ts->n--;
	if (i != ts->n) {
		ts->heap[i] = ts->heap[ts->n];
		ts->heap[i]->idx = i;
		sift_down(ts, i);
		sift_up(ts, i);
	}
	t->idx = (size_t)-1;
}

int ike_timer_arm(struct ike_timers *ts, struct ike_timer *t, uint64_t usec)
{
	ike_timer_cancel(ts, t);
	if (ts->n == ts->cap) {
		size_t cap = ts->cap ? ts->cap * 2 : 64;
		struct ike_timer **h = realloc(ts->heap, cap * sizeof(*h));
		if (!h)
			return -ENOMEM;
		ts->heap = h;
		ts->cap = cap;
	}
	uint64_t now = event_now_usec();
	t->when = usec > UINT64_MAX - now ? UINT64_MAX : now + usec;
	t->idx = ts->n;
	ts->heap[ts->n++] = t;
	sift_up(ts, t->idx);
	return 0;
}

int ike_timer_arm_by(struct ike_timers *ts, struct ike_timer *t, uint64_t usec)
{
	uint64_t now = event_now_usec();
	uint64_t when = usec > UINT64_MAX - now ? UINT64_MAX : now + usec;
	if (ike_timer_armed(t) && t->when <= when)
		return 0;
	return ike_timer_arm(ts, t, usec);
}

uint64_t ike_timers_next(const struct ike_timers *ts)
{
	return ts->n ? ts->heap[0]->when : UINT64_MAX;
}

size_t ike_timers_run(struct ike_timers *ts, uint64_t now)
{
	size_t ran = 0;
	/* Bounded: a callback that re-arms for `now` again would loop; such a timer waits
	 * for the next call instead. */
	size_t budget = ts->n;
	while (ts->n && ts->heap[0]->when <= now && budget--) {
		struct ike_timer *t = ts->heap[0];
		ike_timer_cancel(ts, t);
		t->fn(t, t->owner);
		ran++;
	}
	return ran;
}

void ike_timers_fini(struct ike_timers *ts)
{
	for (size_t i = 0; i < ts->n; i++)
		ts->heap[i]->idx = (size_t)-1;
	free(ts->heap);
	ts->heap = NULL;
	ts->n = ts->cap = 0;
}
