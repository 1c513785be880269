/* engine: create, feed, reload and stop the IKE engine for the daemon. */
#include "daemon/engine.h"

#include <errno.h>
#include <string.h>

#include "conf/conf.h"
#include "event/event.h"
#include "event/service.h"
#include "ike/glue.h"
#include "ike/ike.h"
#include "log/log.h"
#include "spd/spd.h"

static struct {
	struct ike_engine *e;
	sd_event_source *post; /* STATUS= counts after every loop iteration */
	struct spd *spd;       /* the SPD copy Quick Mode checks, kept current from events */
	struct kernel *k;
} D;

struct ike_engine *daemon_engine(void)
{
	return D.e;
}

void daemon_engine_kernel_event(const struct kernel_event *ev, void *userdata)
{
	if (D.spd) /* first, so the engine sees the SPD as the event left it */
		spd_on_event(D.spd, D.k, ev);
	if (D.e)
		ike_glue_kernel_event(ev, D.e);
}

void daemon_engine_receive(const struct ike_socket *s, const union sockaddr_any *from,
			   const union sockaddr_any *to, const uint8_t *data, size_t len,
			   void *userdata)
{
	char f[ADDR_PORT_STRLEN], t[ADDR_PORT_STRLEN];
	log_debug("net", "%zu bytes from %s to %s", len, addr_ntop_port(from, f),
		  addr_ntop_port(to, t));
	log_hexdump("net", "received packet", data, len);
	if (D.e)
		ike_glue_receive(s, from, to, data, len, D.e);
}

/* A local address went away: the SAs on it cannot carry traffic any more. They go now,
 * and traffic brings them back through ACQUIRE (racoon(8), "ADDRESS CHANGES"). */
static void on_address_gone(const union sockaddr_any *a, void *userdata)
{
	if (D.e)
		ike_engine_local_address_gone(D.e, a);
}

/* A reload went through (conf_reload switched): new negotiations use the new config. */
static void on_conf_change(const struct racoon_conf *old, const struct racoon_conf *cur,
			   void *userdata)
{
	if (D.e && cur)
		ike_engine_set_conf(D.e, cur);
}

static int on_post(sd_event_source *s, void *userdata)
{
	struct ike_stats st;
	if (!D.e)
		return 0;
	ike_engine_stats(D.e, &st);
	daemon_status_update(st.ph1_established, st.ph2_established);
	return 0;
}

int daemon_engine_start(const struct options *o, struct kernel *k)
{
	if (k && !o->no_kernel) {
		D.spd = spd_new();
		int lr = D.spd ? spd_load(D.spd, k) : -ENOMEM;
		if (lr < 0) {
			spd_free(D.spd);
			D.spd = NULL;
			return lr;
		}
		D.k = k;
	}
	struct ike_engine_opts eo = {
		.conf = conf_current(),
		.spd = D.spd,
		.kernel = k,
		.no_kernel = o->no_kernel || !k,
		.send = ike_glue_send,
		.isakmp_port = o->isakmp_port,
	};
	int r = ike_engine_new(&eo, &D.e);
	if (r < 0) {
		D.e = NULL;
		spd_free(D.spd);
		D.spd = NULL;
		return r;
	}
	r = ike_glue_attach(D.e, event_loop());
	if (r >= 0)
		r = sd_event_add_post(event_loop(), &D.post, on_post, NULL);
	if (r >= 0)
		r = sd_event_source_set_enabled(D.post, SD_EVENT_ON);
	if (r < 0) {
		daemon_engine_stop();
		return r;
	}
	conf_set_change_hook(on_conf_change, NULL);
	addrwatch_set_gone_hook(on_address_gone, NULL);
	return 0;
}

void daemon_engine_stop(void)
{
	if (!D.e)
		return;
	conf_set_change_hook(NULL, NULL);
	addrwatch_set_gone_hook(NULL, NULL);
	ike_engine_shutdown(D.e);
	ike_glue_detach(D.e);
	ike_engine_free(D.e);
	D.e = NULL;
	D.post = sd_event_source_disable_unref(D.post);
	spd_free(D.spd);
	D.spd = NULL;
	D.k = NULL;
}
