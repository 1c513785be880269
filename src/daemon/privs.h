/* privs: say clearly, before anything else fails, which privilege racoon lacks.
 *
 * racoon runs as root with a bounding set of CAP_NET_ADMIN (XFRM/PF_KEY and the per-socket
 * IPsec bypass policy), CAP_NET_BIND_SERVICE (ports below 1024) and CAP_CHOWN (admin
 * socket owner); see racoon(8), "PRIVILEGES".
 */
#ifndef RACOON_DAEMON_PRIVS_H
#define RACOON_DAEMON_PRIVS_H

#include <stdbool.h>
#include <stddef.h>

struct privs_need {
	bool net_admin;    /* kernel access and bypass policies (not with -Z) */
	bool bind_service; /* we bind a port below ip_unprivileged_port_start ourselves */
};

/* 0 when the effective set holds what is needed; else -EPERM with a message in msg
 * naming the missing capabilities and the fix. */
int privs_check(const struct privs_need *need, char *msg, size_t msglen);
/* The lowest port an unprivileged process may bind (net.ipv4.ip_unprivileged_port_start,
 * 1024 when unreadable). */
unsigned privs_unprivileged_port_start(void);

#endif
