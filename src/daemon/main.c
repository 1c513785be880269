/* racoon: IKEv1 key management daemon. This file only wires the modules together. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "admin/server.h"
#include "daemon/adminsock.h"
#include "daemon/backend.h"
#include "daemon/daemonize.h"
#include "daemon/engine.h"
#include "daemon/listen.h"
#include "daemon/options.h"
#include "daemon/pidfile.h"
#include "conf/conf.h"
#include "crypto/init.h"
#include "daemon/privs.h"
#include "event/event.h"
#include "event/service.h"
#include "log/log.h"
#include "net/net.h"

static struct options opt;

/* racoon.conf's `log` level (info when the file has none). */
static void apply_config_log_level(void)
{
	const struct racoon_conf *c = conf_current();
	log_set_config_level(c && c->log_level >= 0 ? (enum log_level)c->log_level : LL_INFO);
}

/* Start-up failed: say why in the log and to systemd (STATUS=, ERRNO=). */
static int start_failed(int err, const char *what)
{
	char why[512];
	snprintf(why, sizeof(why), "%s: %s", what, strerror(err < 0 ? -err : err));
	log_error("daemon", "%s", why);
	service_failed(err, why);
	return err < 0 ? err : -err;
}

/* SIGHUP and racoonctl reload-config. 0 or negative errno (the old config stays). */
static int reload(void *ud)
{
	service_reloading();
	int r = log_reopen();
	if (r < 0)
		log_warning("daemon", "cannot reopen %s: %s; still logging to the old file",
			    opt.log_file, strerror(-r));
	/* Same path as start-up; on errors the current config stays (conf_reload logs). */
	r = conf_reload(opt.config_file);
	if (r == 0)
		apply_config_log_level();
	service_ready();
	return r;
}

static int on_reload(sd_event_source *s, const struct signalfd_siginfo *si, void *ud)
{
	log_info("daemon", "SIGHUP: reloading %s", opt.config_file);
	reload(NULL);
	return 0;
}

static int on_terminate(sd_event_source *s, const struct signalfd_siginfo *si, void *ud)
{
	log_info("daemon", "%s received: shutting down", strsignal((int)si->ssi_signo));
	service_stopping();
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

/* READY=1 only once config, sockets and the kernel backend are up. */
static int run(void)
{
	service_starting();
	sd_event *e = event_loop();
	if (!e)
		return start_failed(-ENOMEM, "cannot create the event loop");
	int r = setup_signals(e);
	if (r < 0)
		return start_failed(r, "cannot watch signals");
	r = service_attach(e);
	if (r < 0) /* a malformed WATCHDOG_USEC: run without pings rather than not at all */
		log_warning("daemon", "watchdog not armed: %s", strerror(-r));
	struct kernel *kernel;
	r = daemon_kernel_open(&opt, conf_current(), daemon_engine_kernel_event, &kernel);
	if (r < 0)
		return start_failed(r, "cannot open the kernel backend");
	r = daemon_engine_start(&opt, kernel);
	if (r < 0) {
		daemon_kernel_close(kernel);
		return start_failed(r, "cannot start the IKE engine");
	}
	enum sock_source src = SOCK_SRC_ADDRESSES;
	r = daemon_sockets_start(&opt, conf_current(), daemon_engine_receive, NULL, &src);
	if (r < 0) {
		daemon_engine_stop();
		daemon_kernel_close(kernel);
		return start_failed(r, src == SOCK_SRC_SYSTEMD
					       ? "no usable socket among those passed by systemd"
					       : "cannot open the IKE sockets");
	}
	struct admin_server *admin;
	if (daemon_admin_start(conf_current(), daemon_engine(), reload, &admin) < 0)
		log_warning("daemon", "running without an admin socket: racoonctl will not work");
	const struct racoon_conf *conf = conf_current();
	char pidfile[4096];
	pidfile_path(conf ? conf->paths.pidfile : NULL, pidfile, sizeof(pidfile));
	r = pidfile_write(pidfile);
	if (r < 0)
		log_warning("daemon", "cannot write %s: %s", pidfile, strerror(-r));
	log_info("daemon", "racoon %s started (%zu sockets from %s, logging to %s)",
		 PACKAGE_VERSION, net_socket_count(), sock_source_name(src), log_sink_name());
	daemonize_done(0);
	service_ready();
	r = sd_event_loop(e);
	admin_server_stop(admin);
	daemon_engine_stop(); /* Deletes go out while the sockets are still open */
	net_stop();
	daemon_kernel_close(kernel);
	pidfile_remove();
	service_detach();
	event_loop_free();
	log_info("daemon", "racoon stopped");
	return r;
}

/* The lowest port racoon will bind itself: listen {} entries, else -p/-P. */
static unsigned lowest_port_to_bind(void)
{
	const struct racoon_conf *c = conf_current();
	unsigned low = opt.isakmp_port < opt.natt_port ? opt.isakmp_port : opt.natt_port;
	if (c && c->listen.n_addrs) {
		low = 65535;
		for (size_t i = 0; i < c->listen.n_addrs; i++)
			if (addr_port(&c->listen.addrs[i].addr) < low)
				low = addr_port(&c->listen.addrs[i].addr);
	}
	return low;
}

/* Refuse to start without the capabilities the start-up needs, with a clear message. */
static int check_privileges(void)
{
	struct privs_need need = {
		.net_admin = !opt.no_kernel,
		/* Passed sockets are bound already. */
		.bind_service = !getenv("LISTEN_FDS") &&
				lowest_port_to_bind() < privs_unprivileged_port_start(),
	};
	char msg[512];
	if (privs_check(&need, msg, sizeof(msg)) == 0)
		return 0;
	fprintf(stderr, "racoon: %s\n", msg);
	log_error("daemon", "%s", msg);
	service_failed(EPERM, msg);
	return -EPERM;
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
	if (opt.backupsa) {
		fprintf(stderr, "racoon: -B (install the SAs of the backupsa file) is not "
				"implemented yet\n");
		return 2;
	}
	umask(077);
	crypto_init(); /* before any key exists: GMP then wipes what it frees */
	struct racoon_conf *conf = NULL;
	if (conf_load(opt.config_file, &conf) < 0) { /* every error is on stderr */
		service_failed(EINVAL, "invalid configuration file");
		return 1;
	}
	if (opt.check_only) {
		daemon_sockets_check(&opt, conf, NULL, stderr);
		printf("%s: configuration OK\n", opt.config_file);
		conf_free(conf);
		return 0;
	}
	if (opt.print_config) {
		conf_print(stdout, conf);
		conf_free(conf);
		return 0;
	}
	conf_set_current(conf);
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
		service_failed(-r, "cannot open the log file");
		return 1;
	}
	apply_config_log_level();
	if (check_privileges() < 0) {
		log_close();
		return 1;
	}
	if (daemonize_wanted(opt.foreground) && (r = daemonize_start()) < 0) {
		log_error("daemon", "cannot daemonize: %s", strerror(-r));
		return 1;
	}
	r = run();
	conf_current_free();
	if (r < 0) {
		daemonize_done(1);
		log_close();
		return 1;
	}
	log_close();
	return 0;
}
