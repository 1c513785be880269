/* engine: the IKE engine inside the daemon, wired as ike/glue.h describes, with
 * STATUS= following its SA counts and reloads handed to it. One engine per process. */
#ifndef RACOON_DAEMON_ENGINE_H
#define RACOON_DAEMON_ENGINE_H

#include "daemon/options.h"
#include "net/net.h"

struct kernel;
struct kernel_event;
struct ike_engine;

/* k may be NULL only with -Z. 0 or negative errno. */
int daemon_engine_start(const struct options *o, struct kernel *k);
/* Shutdown: Deletes to the peers and our kernel SAs removed; needs the sockets still open. */
void daemon_engine_stop(void);
struct ike_engine *daemon_engine(void);

/* For kernel_options.on_event before the engine exists (events wait for nothing: they
 * are dropped until daemon_engine_start, which runs before the loop). */
void daemon_engine_kernel_event(const struct kernel_event *ev, void *userdata);
/* net_receive_fn: -d logs every datagram, -v dumps it, then the engine gets it. */
void daemon_engine_receive(const struct ike_socket *s, const union sockaddr_any *from,
			   const union sockaddr_any *to, const uint8_t *data, size_t len,
			   void *userdata);

#endif
