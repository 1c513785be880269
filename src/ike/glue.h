/* glue: what racoon's main.c needs to run an engine in the daemon.
 *
 *   e = ike_engine_new(&{ .conf, .kernel (NULL with -Z), .no_kernel = opt.no_kernel,
 *                         .send = ike_glue_send }, &e);
 *   ike_glue_attach(e, event_loop());          timers on the sd-event loop
 *   net_start(..., ike_glue_receive, e);       datagrams in (NAT-T marker handled)
 *   kernel_options.on_event = ike_glue_kernel_event, .event_userdata = e
 *   on SIGTERM: ike_engine_shutdown(e); ike_glue_detach(e); ike_engine_free(e);
 *   on reload:  ike_engine_set_conf(e, conf_current());
 */
#ifndef RACOON_IKE_GLUE_H
#define RACOON_IKE_GLUE_H

#include <systemd/sd-event.h>

#include "ike/ike.h"
#include "net/net.h"

struct kernel_event;

/* Runs the engine's timers from the loop: one timer source re-armed to the earliest
 * deadline after every loop iteration (a post source). 0 or negative errno. */
int ike_glue_attach(struct ike_engine *e, sd_event *loop);
void ike_glue_detach(struct ike_engine *e);

/* ike_send_fn over net_send(); userdata unused. */
int ike_glue_send(void *userdata, const union sockaddr_any *from, const union sockaddr_any *to,
		  const uint8_t *data, size_t len);
/* net_receive_fn: userdata is the engine. On the NAT-T socket the non-ESP marker is
 * stripped and keepalives are ignored. */
void ike_glue_receive(const struct ike_socket *s, const union sockaddr_any *from,
		      const union sockaddr_any *to, const uint8_t *data, size_t len,
		      void *userdata);
/* kernel_event_fn: userdata is the engine. */
void ike_glue_kernel_event(const struct kernel_event *ev, void *userdata);

#endif
