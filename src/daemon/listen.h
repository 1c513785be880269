/* listen: where racoon's IKE sockets come from, and what it says when sources disagree.
 *
 * The rule (racoon(8), "SOCKETS"):
 *  1. Sockets passed by systemd (LISTEN_FDS) win. racoon then opens none of its own and
 *     does not follow address changes; `listen {}` is ignored (a warning says so). A
 *     passed socket is the ISAKMP socket when bound to the -p port (default 500), the
 *     NAT-T socket when bound to the -P port (default 4500); any other is not used.
 *  2. Otherwise `listen {}` entries, each with its own port (-p/-P do not change them).
 *  3. Otherwise one socket per local address on the -p and -P ports, following
 *     RTM_NEWADDR/RTM_DELADDR.
 */
#ifndef RACOON_DAEMON_LISTEN_H
#define RACOON_DAEMON_LISTEN_H

#include <stdio.h>

#include "daemon/options.h"
#include "net/net.h"

struct racoon_conf;

enum sock_source { SOCK_SRC_SYSTEMD, SOCK_SRC_LISTEN, SOCK_SRC_ADDRESSES };

const char *sock_source_name(enum sock_source s);

/* Take the sockets systemd passed (sd_listen_fds, which also unsets LISTEN_FDS), decide
 * the source, log it and any ignored setting, and open the sockets. c may be NULL (no
 * listen {}). 0 or negative errno (logged). */
int daemon_sockets_start(const struct options *o, const struct racoon_conf *c,
			 net_receive_fn rx, void *userdata, enum sock_source *used);

/* Where to look for enabled units; tests pass their own folder. */
#define RACOON_UNIT_ENABLE_DIR SYSCONFDIR "/systemd/system"

/* racoon -t: warn about socket sources that disagree and, when racoon.socket is enabled
 * without racoon.service (a socket-only setup), about remotes that are not passive (no
 * racoon runs to hear the kernel's ACQUIREs for them). Returns the number of warnings. */
unsigned daemon_sockets_check(const struct options *o, const struct racoon_conf *c,
			      const char *unit_dir, FILE *out);

#endif
