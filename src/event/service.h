/* service: tell the service manager (systemd, sd_notify) how racoon is doing.
 *
 * Every call is a no-op without NOTIFY_SOCKET, so the daemon calls them unconditionally.
 * Order over a daemon's life: service_starting -> service_ready (config, sockets and the
 * kernel backend are up) -> [service_reloading -> service_ready]* -> service_stopping;
 * or service_failed when start-up fails. STATUS= follows the socket and SA counts.
 */
#ifndef RACOON_EVENT_SERVICE_H
#define RACOON_EVENT_SERVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <systemd/sd-event.h>

/* Attach to the loop: WATCHDOG=1 at half of WATCHDOG_USEC (sd-event does the pings) and
 * coalesced STATUS= updates (at most one per loop iteration). 0 or negative errno. */
int service_attach(sd_event *e);
void service_detach(void);

void service_starting(void);
void service_ready(void);
/* RELOADING=1 with MONOTONIC_USEC (CLOCK_MONOTONIC, as systemd wants it). */
void service_reloading(void);
void service_stopping(void);
/* STATUS=<why> and ERRNO=<err> (err positive errno). */
void service_failed(int err, const char *why);

/* For the IKE engine: call whenever the number of ISAKMP-SAs or IPsec-SAs changes. */
void daemon_status_update(unsigned n_ph1, unsigned n_ph2);
/* For the socket set: the number of IKE sockets in use. */
void service_sockets_changed(size_t n_sockets);

/* The current one-line summary (what STATUS= carries once ready). */
const char *service_status_line(char *out, size_t n);
bool service_watchdog_enabled(void);

#endif
