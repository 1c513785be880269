/* monitor: setkey -x. See monitor.h. */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "event/event.h"
#include "setkey/format.h"
#include "setkey/monitor.h"

struct monitor {
	FILE *out;
	bool raw_time;
};

static void stamp(FILE *out, bool raw)
{
	struct timeval tv;
	struct tm tm;
	char s[32];

	gettimeofday(&tv, NULL);
	if (raw) {
		fprintf(out, "%lld.%06ld ", (long long)tv.tv_sec, (long)tv.tv_usec);
		return;
	}
	time_t t = tv.tv_sec;
	if (localtime_r(&t, &tm) && strftime(s, sizeof(s), "%b %d %H:%M:%S", &tm))
		fprintf(out, "%s.%06ld ", s, (long)tv.tv_usec);
}

static void sa_id_print(FILE *out, const struct kernel_sa_id *id)
{
	char s[ADDR_STRLEN], d[ADDR_STRLEN];

	fprintf(out, "%s %s %s spi=%u(0x%08x)", id->src.sa.sa_family ? addr_ntop(&id->src, s) : "-",
		addr_ntop(&id->dst, d), sk_proto_name(id->proto), id->spi, id->spi);
}

void sk_event_print(FILE *out, const struct kernel_event *ev)
{
	char a[ADDR_PORT_STRLEN], b[ADDR_PORT_STRLEN];

	switch (ev->type) {
	case KERNEL_EV_ACQUIRE:
		fprintf(out, "acquire %s -> %s %s/%s reqid=%u seq=%u\n",
			addr_ntop(&ev->u.acquire.src, a), addr_ntop(&ev->u.acquire.dst, b),
			sk_proto_name(ev->u.acquire.tmpl.proto),
			ev->u.acquire.tmpl.mode == KERNEL_MODE_TUNNEL ? "tunnel" : "transport",
			ev->u.acquire.tmpl.reqid, ev->u.acquire.seq);
		sk_policy_print(out, &ev->u.acquire.policy, 0);
		break;
	case KERNEL_EV_EXPIRE_SOFT:
	case KERNEL_EV_EXPIRE_HARD:
		fprintf(out, "expire %s ", ev->type == KERNEL_EV_EXPIRE_SOFT ? "soft" : "hard");
		sa_id_print(out, &ev->u.expire.id);
		fprintf(out, " reqid=%u bytes=%" PRIu64 " packets=%" PRIu64 "\n", ev->u.expire.reqid,
			ev->u.expire.stats.bytes, ev->u.expire.stats.packets);
		break;
	case KERNEL_EV_POLEXPIRE:
	case KERNEL_EV_POLICY_ADDED:
	case KERNEL_EV_POLICY_DELETED:
		fputs(ev->type == KERNEL_EV_POLEXPIRE ? "spdexpire\n"
		      : ev->type == KERNEL_EV_POLICY_ADDED ? "spdadd\n" : "spddelete\n", out);
		sk_policy_print(out, &ev->u.policy.policy, 0);
		break;
	case KERNEL_EV_POLICY_FLUSHED:
		fputs("spdflush\n", out);
		break;
	case KERNEL_EV_MAPPING:
		fputs("mapping ", out);
		sa_id_print(out, &ev->u.mapping.id);
		fprintf(out, " %s -> %s\n", addr_ntop_port(&ev->u.mapping.old_addr, a),
			addr_ntop_port(&ev->u.mapping.new_addr, b));
		break;
	case KERNEL_EV_RESYNC:
		fputs("events were lost (the kernel's queue overflowed)\n", out);
		break;
	}
}

static void on_event(const struct kernel_event *ev, void *ud)
{
	struct monitor *m = ud;

	stamp(m->out, m->raw_time);
	sk_event_print(m->out, ev);
	fflush(m->out);
}

static int on_signal(sd_event_source *s, const struct signalfd_siginfo *si, void *ud)
{
	(void)si;
	(void)ud;
	return sd_event_exit(sd_event_source_get_event(s), 0);
}

int sk_monitor(const char *backend, bool raw_time, FILE *out)
{
	struct monitor m = { .out = out, .raw_time = raw_time };
	struct kernel_options ko = { .events = true, .on_event = on_event, .event_userdata = &m };
	struct kernel *k = NULL;
	sigset_t ss;
	int rc;

	sigemptyset(&ss);
	sigaddset(&ss, SIGINT);
	sigaddset(&ss, SIGTERM);
	sigprocmask(SIG_BLOCK, &ss, NULL);
	rc = kernel_open(backend, &ko, &k);
	if (rc < 0) {
		fprintf(stderr, "setkey: opening the %s backend for events: %s\n", backend,
			strerror(-rc));
		return rc;
	}
	sd_event *e = event_loop();
	if ((rc = sd_event_add_signal(e, NULL, SIGINT, on_signal, NULL)) >= 0 &&
	    (rc = sd_event_add_signal(e, NULL, SIGTERM, on_signal, NULL)) >= 0)
		rc = sd_event_loop(e);
	if (rc < 0)
		fprintf(stderr, "setkey: event loop: %s\n", strerror(-rc));
	kernel_close(k);
	return rc < 0 ? rc : 0;
}
