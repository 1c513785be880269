/* racoon: IKEv1 key management daemon. This file only wires the modules together. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "daemon/daemonize.h"
#include "daemon/options.h"
#include "daemon/pidfile.h"
#include "event/event.h"
#include "log/log.h"
#include "net/net.h"

static struct options opt;

/* Until the racoon.conf parser is wired in, the daemon accepts a file that holds only
 * blanks and comments. */
static int load_config(const char *path, FILE *err)
{
	FILE *f = fopen(path, "re");
	if (!f) {
		fprintf(err, "racoon: %s: %s\n", path, strerror(errno));
		return -1;
	}
	char line[4096];
	int lineno = 0, rc = 0;
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		char *p = line + strspn(line, " \t\r\n");
		if (*p && *p != '#') {
			fprintf(err, "%s:%d: configuration statements are not supported yet\n", path,
				lineno);
			rc = -1;
			break;
		}
	}
	fclose(f);
	return rc;
}

static void on_datagram(const struct ike_socket *s, const union sockaddr_any *from,
			const union sockaddr_any *to, const uint8_t *data, size_t len, void *ud)
{
	char f[ADDR_PORT_STRLEN], t[ADDR_PORT_STRLEN];
	log_debug("net", "%zu bytes from %s to %s", len, addr_ntop_port(from, f),
		  addr_ntop_port(to, t));
	log_hexdump("net", "received packet", data, len);
}

static int on_reload(sd_event_source *s, const struct signalfd_siginfo *si, void *ud)
{
	log_info("daemon", "SIGHUP: reloading %s", opt.config_file);
	if (load_config(opt.config_file, stderr) < 0)
		log_error("daemon", "reload failed: keeping the current configuration");
	return 0;
}

static int on_terminate(sd_event_source *s, const struct signalfd_siginfo *si, void *ud)
{
	log_info("daemon", "%s received: shutting down", strsignal((int)si->ssi_signo));
	sd_notify(0, "STOPPING=1");
	return sd_event_exit(sd_event_source_get_event(s), 0);
}

static int setup_signals(sd_event *e)
{
	sigset_t ss;
	sigemptyset(&ss);
	sigaddset(&ss, SIGHUP);
	sigaddset(&ss, SIGTERM);
	sigaddset(&ss, SIGINT);
	sigprocmask(SIG_BLOCK, &ss, NULL);
	signal(SIGPIPE, SIG_IGN);
	int r = sd_event_add_signal(e, NULL, SIGHUP, on_reload, NULL);
	if (r >= 0)
		r = sd_event_add_signal(e, NULL, SIGTERM, on_terminate, NULL);
	if (r >= 0)
		r = sd_event_add_signal(e, NULL, SIGINT, on_terminate, NULL);
	return r;
}

static int run(void)
{
	sd_event *e = event_loop();
	if (!e)
		return -ENOMEM;
	int r = setup_signals(e);
	if (r < 0)
		return r;
	int n_passed = sd_listen_fds(1);
	if (n_passed < 0)
		n_passed = 0;
	int passed[64];
	for (int i = 0; i < n_passed && i < 64; i++)
		passed[i] = SD_LISTEN_FDS_START + i;
	struct net_config nc = {
		.isakmp_port = opt.isakmp_port,
		.natt_port = opt.natt_port,
		.family = opt.family,
		.bypass = !opt.no_kernel,
		.follow_addresses = true,
	};
	r = net_start(&nc, passed, (size_t)(n_passed < 64 ? n_passed : 64), on_datagram, NULL);
	if (r < 0) {
		log_error("daemon", "cannot open the IKE sockets: %s", strerror(-r));
		return r;
	}
	r = pidfile_write(RACOON_DEFAULT_PIDFILE);
	if (r < 0)
		log_warning("daemon", "cannot write %s: %s", RACOON_DEFAULT_PIDFILE, strerror(-r));
	log_info("daemon", "racoon %s started (%zu sockets, logging to %s)", PACKAGE_VERSION,
		 net_socket_count(), log_sink_name());
	daemonize_done(0);
	sd_notify(0, "READY=1");
	r = sd_event_loop(e);
	net_stop();
	pidfile_remove();
	event_loop_free();
	log_info("daemon", "racoon stopped");
	return r;
}

int main(int argc, char **argv)
{
	switch (options_parse(argc, argv, &opt, stdout, stderr)) {
	case OPTIONS_EXIT_OK:
		return 0;
	case OPTIONS_EXIT_FAIL:
		return 2;
	case OPTIONS_RUN:
		break;
	}
	umask(077);
	if (load_config(opt.config_file, stderr) < 0)
		return 1;
	if (opt.check_only) {
		printf("%s: configuration OK\n", opt.config_file);
		return 0;
	}
	if (opt.print_config)
		return 0;
	struct log_options lo = {
		.file = opt.log_file,
		.foreground_copy = opt.foreground,
		.location_prefix = opt.location,
		.debug = opt.debug,
		.verbose = opt.verbose,
	};
	int r = log_open(&lo);
	if (r < 0) {
		fprintf(stderr, "racoon: cannot open log file %s: %s\n", opt.log_file, strerror(-r));
		return 1;
	}
	if (daemonize_wanted(opt.foreground) && (r = daemonize_start()) < 0) {
		log_error("daemon", "cannot daemonize: %s", strerror(-r));
		return 1;
	}
	r = run();
	if (r < 0) {
		sd_notifyf(0, "STATUS=start-up failed: %s\nERRNO=%d", strerror(-r), -r);
		daemonize_done(1);
		log_close();
		return 1;
	}
	log_close();
	return 0;
}
