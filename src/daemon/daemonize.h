/* daemonize: detach from the terminal, but report start-up failure to the caller. */
#ifndef RACOON_DAEMON_DAEMONIZE_H
#define RACOON_DAEMON_DAEMONIZE_H

#include <stdbool.h>

/* systemd tracks the main pid: never fork when it passed sockets or wants notifications. */
bool daemonize_wanted(bool foreground);
/* Fork; the parent waits until the child calls daemonize_done() and exits with its
 * status. Returns 0 in the child, negative errno on failure (no fork happened). */
int daemonize_start(void);
/* In the child: tell the waiting parent how start-up went (0 = running). */
void daemonize_done(int exit_status);

#endif
