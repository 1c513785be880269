/* service: sd_notify readiness, reload, stop, failure, STATUS= and the watchdog. */
#include "event/service.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <systemd/sd-daemon.h>

enum phase { PH_STARTING, PH_READY, PH_RELOADING, PH_STOPPING };

static struct {
	sd_event *loop;
	sd_event_source *defer; /* pending STATUS= update */
	enum phase phase;
	size_t sockets;
	unsigned ph1, ph2;
	char last[160]; /* last STATUS= sent, to skip repeats */
	bool watchdog;
} S;

const char *service_status_line(char *out, size_t n)
{
	snprintf(out, n, "%zu IKE socket%s, %u ISAKMP-SA%s, %u IPsec-SA%s", S.sockets,
		 S.sockets == 1 ? "" : "s", S.ph1, S.ph1 == 1 ? "" : "s", S.ph2,
		 S.ph2 == 1 ? "" : "s");
	return out;
}

/* Send STATUS= with the counts when it differs from what systemd last saw. */
static void send_counts(void)
{
	char line[sizeof(S.last)];
	if (S.phase != PH_READY)
		return;
	service_status_line(line, sizeof(line));
	if (strcmp(line, S.last) == 0)
		return;
	snprintf(S.last, sizeof(S.last), "%s", line);
	sd_notifyf(0, "STATUS=%s", line);
}

static int on_defer(sd_event_source *s, void *userdata)
{
	S.defer = sd_event_source_disable_unref(S.defer);
	send_counts();
	return 0;
}

/* Counts can change thousands of times per second with many tunnels: send once per
 * loop iteration at most. */
static void counts_changed(void)
{
	if (!S.loop) {
		send_counts();
		return;
	}
	if (S.defer)
		return;
	if (sd_event_add_defer(S.loop, &S.defer, on_defer, NULL) < 0)
		send_counts();
}

int service_attach(sd_event *e)
{
	service_detach();
	S.loop = sd_event_ref(e);
	int r = sd_event_set_watchdog(e, true);
	if (r < 0)
		return r;
	S.watchdog = r > 0;
	return 0;
}

void service_detach(void)
{
	S.defer = sd_event_source_disable_unref(S.defer);
	if (S.loop)
		sd_event_set_watchdog(S.loop, false);
	S.loop = sd_event_unref(S.loop);
	S.watchdog = false;
}

bool service_watchdog_enabled(void)
{
	return S.watchdog;
}

void service_starting(void)
{
	S.phase = PH_STARTING;
	S.last[0] = '\0';
	sd_notify(0, "STATUS=Starting");
}

void service_ready(void)
{
	char line[sizeof(S.last)];
	S.phase = PH_READY;
	service_status_line(line, sizeof(line));
	snprintf(S.last, sizeof(S.last), "%s", line);
	sd_notifyf(0, "READY=1\nSTATUS=%s", line);
}

void service_reloading(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	unsigned long long usec =
		(unsigned long long)ts.tv_sec * 1000000ULL + (unsigned long long)ts.tv_nsec / 1000ULL;
	S.phase = PH_RELOADING;
	S.last[0] = '\0';
	sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu\nSTATUS=Reloading the configuration",
		   usec);
}

void service_stopping(void)
{
	S.phase = PH_STOPPING;
	S.last[0] = '\0';
	sd_notify(0, "STOPPING=1\nSTATUS=Shutting down");
}

void service_failed(int err, const char *why)
{
	char status[512];
	/* STATUS= is one line: a newline in why would start a new (bogus) assignment. */
	snprintf(status, sizeof(status), "%s", why ? why : "start-up failed");
	for (char *p = status; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	if (err < 0)
		err = -err;
	sd_notifyf(0, "STATUS=%s\nERRNO=%d", status, err);
}

void daemon_status_update(unsigned n_ph1, unsigned n_ph2)
{
	if (S.ph1 == n_ph1 && S.ph2 == n_ph2)
		return;
	S.ph1 = n_ph1;
	S.ph2 = n_ph2;
	counts_changed();
}

void service_sockets_changed(size_t n_sockets)
{
	if (S.sockets == n_sockets)
		return;
	S.sockets = n_sockets;
	counts_changed();
}
