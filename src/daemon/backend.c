/* backend: open and close the kernel backend for the daemon. */
#include "daemon/backend.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "conf/conf.h"
#include "kernel/kernel.h"
#include "log/log.h"

const char *daemon_state_dir(char *buf, size_t n)
{
	/* systemd sets STATE_DIRECTORY to StateDirectory=, several joined by ':'. */
	const char *s = getenv("STATE_DIRECTORY");
	if (s && s[0] == '/') {
		size_t len = strcspn(s, ":");
		snprintf(buf, n, "%.*s", (int)len, s);
	} else {
		snprintf(buf, n, "%s", RACOON_STATE_DIR);
	}
	return buf;
}

int daemon_kernel_open(const struct options *o, const struct racoon_conf *c,
		       daemon_kernel_event_fn on_event, struct kernel **out)
{
	*out = NULL;
	if (o->no_kernel) {
		log_info("daemon", "-Z: no kernel backend, no SA or policy will be installed");
		return 0;
	}
	const char *name = c && c->kernel_interface == CONF_KERNEL_PFKEY ? "pfkey" : "xfrm";
	char dir[4096];
	daemon_state_dir(dir, sizeof(dir));
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		int r = -errno;
		log_error("daemon", "cannot create the state folder %s: %s", dir, strerror(-r));
		return r;
	}
	struct kernel_options ko = { .state_dir = dir, .events = on_event != NULL,
				     .on_event = on_event };
	/* pfkey_buffer: af_key drops events silently once this queue is full. */
	if (c && c->kernel_interface == CONF_KERNEL_PFKEY && c->pfkey_buffer_kib)
		ko.event_rcvbuf = (int)(c->pfkey_buffer_kib * 1024u);
	int r = kernel_open(name, &ko, out);
	if (r < 0) {
		log_error("daemon", "cannot open the %s kernel backend: %s%s", name, strerror(-r),
			  r == -EAFNOSUPPORT || r == -EPROTONOSUPPORT
				  ? (c && c->kernel_interface == CONF_KERNEL_PFKEY
					     ? " (this kernel lacks PF_KEY, CONFIG_NET_KEY: use "
					       "kernel_interface xfrm)"
					     : " (this kernel lacks XFRM netlink, "
					       "CONFIG_XFRM_USER)")
				  : "");
		return r;
	}
	log_info("daemon", "kernel backend %s opened (state in %s)", name, dir);
	return 0;
}

void daemon_kernel_close(struct kernel *k)
{
	if (!k)
		return;
	int n = kernel_flush_own(k);
	if (n > 0)
		log_info("daemon", "deleted %d SAs and policies racoon had installed", n);
	else if (n < 0)
		log_warning("daemon", "could not delete our own SAs and policies: %s",
			    strerror(-n));
	kernel_close(k);
}
