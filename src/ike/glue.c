/* glue: the engine inside the daemon (sd-event timers, sockets, kernel events). */
#include "ike/glue.h"

#include <errno.h>

#include "isakmp/natt.h"
#include "log/log.h"

struct glue {
	struct ike_engine *e;
	sd_event_source *timer, *post;
};

/* One attached engine per process is all the daemon has. */
static struct glue g;

static int on_timer(sd_event_source *s, uint64_t usec, void *ud)
{
	ike_engine_run_timers(((struct glue *)ud)->e);
	return 0;
}

/* After every iteration: point the timer at the earliest deadline. */
static int on_post(sd_event_source *s, void *ud)
{
	struct glue *gl = ud;
	uint64_t next = ike_engine_next_timer(gl->e);
	if (next == UINT64_MAX)
		return sd_event_source_set_enabled(gl->timer, SD_EVENT_OFF);
	sd_event_source_set_time(gl->timer, next);
	return sd_event_source_set_enabled(gl->timer, SD_EVENT_ONESHOT);
}

int ike_glue_attach(struct ike_engine *e, sd_event *loop)
{
	if (g.e)
		return -EBUSY;
	g.e = e;
	int r = sd_event_add_time(loop, &g.timer, CLOCK_MONOTONIC, UINT64_MAX, 0, on_timer, &g);
	if (r >= 0)
		r = sd_event_add_post(loop, &g.post, on_post, &g);
	if (r >= 0)
		r = sd_event_source_set_enabled(g.post, SD_EVENT_ON);
	if (r < 0) {
		ike_glue_detach(e);
		return r;
	}
	return 0;
}

void ike_glue_detach(struct ike_engine *e)
{
	if (g.e != e)
		return;
	g.timer = sd_event_source_disable_unref(g.timer);
	g.post = sd_event_source_disable_unref(g.post);
	g.e = NULL;
}

int ike_glue_send(void *userdata, const union sockaddr_any *from, const union sockaddr_any *to,
		  const uint8_t *data, size_t len)
{
	return net_send(from, to, data, len);
}

void ike_glue_receive(const struct ike_socket *s, const union sockaddr_any *from,
		      const union sockaddr_any *to, const uint8_t *data, size_t len,
		      void *userdata)
{
	struct ike_engine *e = userdata;
	if (s && s->natt) {
		const uint8_t *ike;
		size_t n;
		if (isakmp_natt_classify(data, len, &ike, &n) != ISAKMP_NATT_IKE)
			return; /* keepalive, stray ESP or runt */
		data = ike;
		len = n;
	}
	ike_engine_input(e, to, from, data, len);
}

void ike_glue_kernel_event(const struct kernel_event *ev, void *userdata)
{
	ike_engine_kernel_event(userdata, ev);
}
