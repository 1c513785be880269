/* backend: the kernel backend the daemon opens before READY=1 and flushes on shutdown.
 *
 * racoon.conf's kernel_interface picks XFRM (default) or PF_KEY; -Z opens none. The
 * ownership record lives in systemd's $STATE_DIRECTORY, else LOCALSTATEDIR/lib/racoon.
 */
#ifndef RACOON_DAEMON_BACKEND_H
#define RACOON_DAEMON_BACKEND_H

#include "daemon/options.h"

struct kernel;
struct racoon_conf;

#define RACOON_STATE_DIR LOCALSTATEDIR "/lib/racoon"

struct kernel_event;
typedef void (*daemon_kernel_event_fn)(const struct kernel_event *ev, void *userdata);

/* *out is NULL with -Z. Kernel events (ACQUIRE, EXPIRE, ...) go to on_event (NULL: the
 * event socket stays closed). 0 or negative errno (logged with the likely cause). */
int daemon_kernel_open(const struct options *o, const struct racoon_conf *c,
		       daemon_kernel_event_fn on_event, struct kernel **out);
/* Delete what this racoon installed (never anything else), then close. NULL is fine. */
void daemon_kernel_close(struct kernel *k);
/* The state folder in use (for messages and tests). */
const char *daemon_state_dir(char *buf, size_t n);

#endif
