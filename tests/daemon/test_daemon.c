/* Integration: the racoon process in private namespaces (needs root).
 * Start/stop, pidfile, sockets and datagrams, every logging flag, fork rules, the
 * privilege message, syslog fallback. */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nstest.h"

#define CONF NS_DIR "/empty.conf"
#define LOG NS_DIR "/racoon.log"
#define OUT NS_DIR "/stdout"
#define PIDFILE "/run/racoon/racoon.pid"
#define TRIES 500 /* x 20 ms */

static void setup(void)
{
	ns_enter();
	ns_write_file(CONF, "# an empty racoon.conf\n");
}

static long pidfile_pid(void)
{
	char *s = ns_read_file(PIDFILE);
	long v = s ? strtol(s, NULL, 10) : -1;
	free(s);
	return v;
}

static void assert_log_has(const char *path, const char *needle)
{
	ck_assert_msg(ns_wait_for_text(path, needle, TRIES), "%s lacks \"%s\"", path, needle);
}

static void assert_log_lacks(const char *path, const char *needle)
{
	char *s = ns_read_file(path);
	ck_assert_msg(s != NULL, "%s unreadable", path);
	ck_assert_msg(strstr(s, needle) == NULL, "%s has \"%s\"", path, needle);
	free(s);
}

static void stop(struct ns_proc *p)
{
	ck_assert_int_eq(kill(p->pid, SIGTERM), 0);
	ck_assert_int_eq(ns_wait(p), 0);
}

/* racoon -F -f EMPTY -p 5000: starts, logs where it listens, stops cleanly on SIGTERM. */
START_TEST(start_logs_sockets_and_stops_on_sigterm)
{
	setup();
	struct ns_proc p;
	char *argv[] = { (char *)ns_racoon(), "-F", "-f", CONF, "-p", "5000", NULL };
	ns_spawn(&p, argv, NULL, OUT);
	assert_log_has(OUT, "started");
	assert_log_has(OUT, "kernel backend xfrm opened (state in /var/lib/racoon)");
	assert_log_has(OUT, "127.0.0.1[5000] used for ISAKMP");
	assert_log_has(OUT, "127.0.0.1[4500] used for NAT-T");
	assert_log_has(OUT, "::1[5000] used for ISAKMP");
	ck_assert_int_eq(ns_udp_sockets_on_port(5000), 2);
	ck_assert_int_eq(pidfile_pid(), p.pid);
	stop(&p);
	ck_assert_msg(access(PIDFILE, F_OK) != 0, "pidfile left behind");
	assert_log_has(OUT, "racoon stopped");
}
END_TEST

/* racoon.conf's `path pidfile`: relative names are below /run. */
START_TEST(configured_pidfile)
{
	setup();
	ns_write_file(NS_DIR "/pid.conf", "path pidfile \"custom.pid\";\n");
	struct ns_proc p;
	char *argv[] = { (char *)ns_racoon(), "-F", "-f", NS_DIR "/pid.conf", "-p", "5000", "-P",
			 "5001", NULL };
	ns_spawn(&p, argv, NULL, OUT);
	assert_log_has(OUT, "started");
	char *s = ns_read_file("/run/custom.pid");
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(strtol(s, NULL, 10), p.pid);
	free(s);
	ck_assert(access(PIDFILE, F_OK) != 0);
	stop(&p);
	ck_assert(access("/run/custom.pid", F_OK) != 0);
}
END_TEST

START_TEST(sigint_also_stops_cleanly)
{
	setup();
	struct ns_proc p;
	char *argv[] = { (char *)ns_racoon(), "-F", "-f", CONF, "-p", "5000", "-P", "5001", NULL };
	ns_spawn(&p, argv, NULL, OUT);
	assert_log_has(OUT, "started");
	ck_assert_int_eq(kill(p.pid, SIGINT), 0);
	ck_assert_int_eq(ns_wait(&p), 0);
	ck_assert(access(PIDFILE, F_OK) != 0);
}
END_TEST

/* SIGPIPE is ignored: a stray one must not kill the daemon. */
START_TEST(sigpipe_is_ignored)
{
	setup();
	struct ns_proc p;
	char *argv[] = { (char *)ns_racoon(), "-F", "-f", CONF, "-p", "5000", "-P", "5001", NULL };
	ns_spawn(&p, argv, NULL, OUT);
	assert_log_has(OUT, "started");
	ck_assert_int_eq(kill(p.pid, SIGPIPE), 0);
	ck_assert_int_eq(kill(p.pid, SIGHUP), 0);
	assert_log_has(OUT, "SIGHUP: reloading"); /* handled after the SIGPIPE: still alive */
	stop(&p);
}
END_TEST

/* SIGHUP: a broken file keeps the running config; a fixed one is loaded; -l reopened. */
START_TEST(sighup_reloads_and_survives_errors)
{
	setup();
	struct ns_proc p;
	char *argv[] = { (char *)ns_racoon(), "-F", "-f", CONF, "-l", LOG, "-p", "5000", "-P",
			 "5001", NULL };
	ns_spawn(&p, argv, NULL, OUT);
	assert_log_has(LOG, "started");
	ns_write_file(CONF, "remote {\n");
	ck_assert_int_eq(kill(p.pid, SIGHUP), 0);
	assert_log_has(LOG, "has errors: keeping the current configuration");
	ck_assert_int_eq(waitpid(p.pid, NULL, WNOHANG), 0);
	ck_assert(rename(LOG, LOG ".1") == 0); /* logrotate */
	ns_write_file(CONF, "# fixed\n");
	ck_assert_int_eq(kill(p.pid, SIGHUP), 0);
	assert_log_has(LOG, "loaded " CONF);
	stop(&p);
	assert_log_has(LOG, "racoon stopped");
}
END_TEST

/* Bind a given port on 127.0.0.1 and receive a datagram there (-d and -v show it). */
START_TEST(receives_datagram_on_given_port)
{
	setup();
	struct ns_proc p;
	char *argv[] = { (char *)ns_racoon(), "-F", "-d", "-v", "-f", CONF, "-l", LOG,
			 "-p", "5000", "-P", "5001", NULL };
	ns_spawn(&p, argv, NULL, OUT);
	assert_log_has(LOG, "started");
	ck_assert_int_eq(ns_udp_send("127.0.0.1", 5000, "hello-racoon", 12), 0);
	assert_log_has(LOG, "12 bytes from 127.0.0.1[");
	assert_log_has(LOG, "to 127.0.0.1[5000]");
	assert_log_has(LOG, "68656c6c6f2d7261636f6f6e"); /* -v: the packet dump */
	ck_assert_int_eq(ns_udp_send("::1", 5001, "v6", 2), 0);
	assert_log_has(LOG, "to ::1[5001]");
	stop(&p);
}
END_TEST

/* Datagrams reach the IKE engine: an ISAKMP header that lies about its length is dropped
 * with a message, on the ISAKMP port and (after the non-ESP marker) on the NAT-T port. */
START_TEST(datagrams_reach_the_engine)
{
	setup();
	struct ns_proc p;
	char *argv[] = { (char *)ns_racoon(), "-F", "-Z", "-f", CONF, "-l", LOG, "-p", "5000",
			 "-P", "5001", NULL };
	ns_spawn(&p, argv, NULL, OUT);
	assert_log_has(LOG, "started");
	/* icookie, zero rcookie, next payload SA, version 1.0, Main Mode, length 36 (is 28) */
	static const unsigned char hdr[28] = { 1, 2, 3, 4, 5, 6, 7, 8, [16] = 1, 0x10, 2,
					       [27] = 36 };
	ck_assert_int_eq(ns_udp_send("127.0.0.1", 5000, hdr, sizeof(hdr)), 0);
	assert_log_has(LOG, "ike: dropped a message from 127.0.0.1[");
	stop(&p);
	unlink(LOG);
	ns_spawn(&p, argv, NULL, OUT);
	assert_log_has(LOG, "started");
	static const unsigned char keepalive[1] = { 0xff };
	ck_assert_int_eq(ns_udp_send("127.0.0.1", 5001, keepalive, 1), 0);
	unsigned char natt[32] = { 0 }; /* non-ESP marker, then the header */
	memcpy(natt + 4, hdr, sizeof(hdr));
	ck_assert_int_eq(ns_udp_send("127.0.0.1", 5001, natt, sizeof(natt)), 0);
	assert_log_has(LOG, "ike: dropped a message from 127.0.0.1[");
	stop(&p);
	char *log = ns_read_file(LOG);
	char *first = strstr(log, "ike: dropped");
	ck_assert_ptr_nonnull(first);
	ck_assert_msg(strstr(first + 1, "ike: dropped") == NULL, "the keepalive reached the "
								  "engine: %s", log);
	free(log);
}
END_TEST

/* Without -d no debug lines; without -v no packet dumps. */
START_TEST(debug_and_verbose_are_off_by_default)
{
	setup();
	struct ns_proc p;
	char *argv[] = { (char *)ns_racoon(), "-F", "-f", CONF, "-l", LOG, "-p", "5000", "-P",
			 "5001", NULL };
	ns_spawn(&p, argv, NULL, OUT);
	assert_log_has(LOG, "started");
	ck_assert_int_eq(ns_udp_send("127.0.0.1", 5000, "hello-racoon", 12), 0);
	stop(&p);
	assert_log_lacks(LOG, "debug:");
	assert_log_lacks(LOG, "68656c6c6f");
}
END_TEST

START_TEST(family_flags_limit_sockets)
{
	setup();
	struct ns_proc p;
	char *a4[] = { (char *)ns_racoon(), "-F", "-4", "-f", CONF, "-p", "5000", "-P", "5001", NULL };
	ns_spawn(&p, a4, NULL, OUT);
	assert_log_has(OUT, "started");
	ck_assert_int_eq(ns_udp_sockets_on_port(5000), 1);
	stop(&p);
	assert_log_lacks(OUT, "::1[5000]");
	unlink(OUT);
	char *a6[] = { (char *)ns_racoon(), "-F", "-6", "-f", CONF, "-p", "5000", "-P", "5001", NULL };
	ns_spawn(&p, a6, NULL, OUT);
	assert_log_has(OUT, "::1[5000] used for ISAKMP");
	ck_assert_int_eq(ns_udp_sockets_on_port(5000), 1);
	stop(&p);
	assert_log_lacks(OUT, "127.0.0.1[5000]");
}
END_TEST

/* -l: lines go to the file, -L prefixes file:line:function, -F copies them to stdout. */
START_TEST(log_file_location_and_stdout_copy)
{
	setup();
	struct ns_proc p;
	char *argv[] = { (char *)ns_racoon(), "-F", "-L", "-f", CONF, "-l", LOG, "-p", "5000",
			 "-P", "5001", NULL };
	ns_spawn(&p, argv, NULL, OUT);
	assert_log_has(LOG, "started");
	assert_log_has(LOG, "main.c:");
	assert_log_has(LOG, ":run(): daemon: racoon");
	assert_log_has(OUT, "listen.c:");
	assert_log_has(OUT, "daemon: using every local address");
	stop(&p);
}
END_TEST

/* With stdout already the journal (JOURNAL_STREAM names it), -F copies nothing. */
START_TEST(journal_stream_suppresses_stdout_copy)
{
	setup();
	ns_write_file(OUT, "");
	struct stat st;
	ck_assert(stat(OUT, &st) == 0);
	char js[128];
	snprintf(js, sizeof(js), "JOURNAL_STREAM=%llu:%llu", (unsigned long long)st.st_dev,
		 (unsigned long long)st.st_ino);
	char *env[] = { js, NULL };
	struct ns_proc p;
	char *argv[] = { (char *)ns_racoon(), "-F", "-f", CONF, "-l", LOG, "-p", "5000", "-P",
			 "5001", NULL };
	ns_spawn(&p, argv, env, OUT);
	assert_log_has(LOG, "started");
	stop(&p);
	assert_log_lacks(OUT, "started");
	assert_log_lacks(OUT, "daemon:");
}
END_TEST

/* Without -F (and no systemd), racoon forks; the starter exits 0 once it runs. */
START_TEST(daemonizes_without_foreground)
{
	setup();
	/* The daemon is reparented to us, so we can reap it and see its exit status. */
	ck_assert(prctl(PR_SET_CHILD_SUBREAPER, 1) == 0);
	struct ns_proc p;
	char *argv[] = { (char *)ns_racoon(), "-f", CONF, "-l", LOG, "-p", "5000", "-P", "5001",
			 NULL };
	ns_spawn(&p, argv, NULL, OUT);
	pid_t starter = p.pid;
	ck_assert_int_eq(ns_wait(&p), 0);
	ck_assert(ns_wait_for_file(PIDFILE, TRIES));
	long dpid = pidfile_pid();
	ck_assert_int_gt(dpid, 0);
	ck_assert_int_ne(dpid, starter);
	ck_assert_int_eq(kill((pid_t)dpid, 0), 0);
	/* Detached: a new session, and (double fork) not its leader. */
	ck_assert_int_ne(getsid((pid_t)dpid), getsid(0));
	ck_assert_int_ne(getsid((pid_t)dpid), dpid);
	struct ns_proc d = { .pid = (pid_t)dpid };
	stop(&d);
	ck_assert(access(PIDFILE, F_OK) != 0);
	assert_log_has(LOG, "racoon stopped");
}
END_TEST

/* A start-up failure after the fork reaches the starting command's exit status. */
START_TEST(daemonized_failure_returns_1)
{
	setup();
	union {
		struct sockaddr_in sin;
		struct sockaddr sa;
	} a = { .sin = { .sin_family = AF_INET, .sin_port = htons(5000),
			 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) } };
	int holder = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ck_assert(bind(holder, &a.sa, sizeof(a.sin)) == 0); /* no SO_REUSEADDR: exclusive */
	ns_write_file(NS_DIR "/busy.conf", "listen { isakmp 127.0.0.1 [5000]; }\n");
	struct ns_proc p;
	char *argv[] = { (char *)ns_racoon(), "-f", NS_DIR "/busy.conf", "-l", LOG, NULL };
	ns_spawn(&p, argv, NULL, OUT);
	ck_assert_int_eq(ns_wait(&p), 1);
	assert_log_has(LOG, "cannot use 127.0.0.1[5000] for ISAKMP: Address already in use");
	assert_log_has(LOG, "cannot open the IKE sockets: Address already in use");
	ck_assert(access(PIDFILE, F_OK) != 0);
	close(holder);
}
END_TEST

/* NOTIFY_SOCKET set: never fork, even without -F (systemd tracks the main pid). */
START_TEST(never_forks_under_systemd)
{
	setup();
	int nfd = ns_notify_open(NS_DIR "/notify");
	char *env[] = { "NOTIFY_SOCKET=" NS_DIR "/notify", NULL };
	struct ns_proc p;
	char *argv[] = { (char *)ns_racoon(), "-f", CONF, "-l", LOG, "-p", "5000", "-P", "5001",
			 NULL };
	ns_spawn(&p, argv, env, OUT);
	char seen[8192] = "";
	ck_assert_msg(ns_notify_wait(nfd, "READY=1", seen, sizeof(seen), TRIES), "seen: %s", seen);
	ck_assert_int_eq(pidfile_pid(), p.pid);
	ck_assert_int_eq(waitpid(p.pid, NULL, WNOHANG), 0); /* still running: did not fork */
	stop(&p);
	close(nfd);
}
END_TEST

/* Without CAP_NET_ADMIN racoon says so and exits 1; with -Z and high ports it runs. */
START_TEST(clear_message_without_privileges)
{
	setup();
	chmod(NS_DIR, 0777);
	struct ns_proc p;
	char *argv[] = { "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
			 (char *)ns_racoon(), "-F", "-f", CONF, "-p", "5000", "-P", "5001", NULL };
	ns_spawn(&p, argv, NULL, OUT);
	ck_assert_int_eq(ns_wait(&p), 1);
	assert_log_has(OUT, "racoon lacks CAP_NET_ADMIN");
	assert_log_has(OUT, "run it as root");
	unlink(OUT);
	char *low[] = { "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
			(char *)ns_racoon(), "-F", "-Z", "-f", CONF, "-p", "500", "-P", "5001", NULL };
	ns_spawn(&p, low, NULL, OUT);
	ck_assert_int_eq(ns_wait(&p), 1);
	assert_log_has(OUT, "CAP_NET_BIND_SERVICE");
	unlink(OUT);
	char *ok[] = { "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
		       (char *)ns_racoon(), "-F", "-Z", "-f", CONF, "-p", "5000", "-P", "5001", NULL };
	ns_spawn(&p, ok, NULL, OUT);
	assert_log_has(OUT, "started");
	stop(&p);
}
END_TEST

/* No journal socket: syslog (LOG_DAEMON). /dev is a fresh tmpfs in this mount namespace,
 * so the /dev/log we listen on is ours alone. */
START_TEST(syslog_when_no_journal)
{
	setup();
	/* Keep /dev/null usable: park it, mount the fresh /dev, bind it back. */
	ns_write_file(NS_DIR "/null", "");
	ck_assert(mount("/dev/null", NS_DIR "/null", NULL, MS_BIND, NULL) == 0);
	ck_assert(mount("tmpfs", "/dev", "tmpfs", 0, "mode=0755") == 0);
	ns_write_file("/dev/null", "");
	ck_assert(mount(NS_DIR "/null", "/dev/null", NULL, MS_BIND, NULL) == 0);
	ck_assert(access("/dev/log", F_OK) != 0);
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct sockaddr_un sa = { .sun_family = AF_UNIX, .sun_path = "/dev/log" };
	ck_assert(bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0);
	struct ns_proc p;
	char *argv[] = { (char *)ns_racoon(), "-F", "-f", CONF, "-p", "5000", "-P", "5001", NULL };
	ns_spawn(&p, argv, NULL, OUT);
	char m[2048];
	bool started = false;
	for (int i = 0; i < 50 && !started; i++) {
		if (!ns_notify_next(fd, m, sizeof(m), NULL, TRIES))
			break;
		started = strstr(m, "started (") != NULL;
		if (started) {
			ck_assert_msg(strncmp(m, "<30>", 4) == 0, "not daemon.info: %s", m);
			char tag[64];
			snprintf(tag, sizeof(tag), "racoon[%d]: info: daemon: ", (int)p.pid);
			ck_assert_msg(strstr(m, tag) != NULL, "%s lacks %s", m, tag);
			ck_assert_msg(strstr(m, "logging to syslog") != NULL, "%s", m);
		}
	}
	ck_assert_msg(started, "no start message on /dev/log");
	stop(&p);
	close(fd);
}
END_TEST

/* racoon -t in a socket-only setup: warns about a remote that is not passive and about
 * listen {}; /etc/systemd/system is a tmpfs of this mount namespace. */
START_TEST(check_warns_about_socket_only_setup)
{
	setup();
	ck_assert(mount("tmpfs", SYSCONFDIR "/systemd/system", "tmpfs", 0, "mode=0755") == 0);
	ck_assert_int_eq(ns_sh("mkdir -p " SYSCONFDIR "/systemd/system/sockets.target.wants && "
			       "ln -s /lib/systemd/system/racoon.socket " SYSCONFDIR
			       "/systemd/system/sockets.target.wants/racoon.socket"), 0);
	ns_write_file(NS_DIR "/gw.conf",
		      "path pre_shared_key \"" NS_DIR "/psk.txt\";\n"
		      "listen { isakmp 127.0.0.1 [500]; }\n"
		      "remote \"gw\" {\n"
		      "  remote_address 198.51.100.1;\n"
		      "  exchange_mode main;\n"
		      "  proposal { encryption_algorithm aes; hash_algorithm sha256;\n"
		      "    authentication_method pre_shared_key; dh_group modp2048; }\n"
		      "}\n"
		      "remote \"rw\" {\n"
		      "  passive on;\n"
		      "  exchange_mode main;\n"
		      "  proposal { encryption_algorithm aes; hash_algorithm sha256;\n"
		      "    authentication_method pre_shared_key; dh_group modp2048; }\n"
		      "}\n");
	ns_write_file(NS_DIR "/psk.txt", "198.51.100.1 secret\n");
	ck_assert(chmod(NS_DIR "/psk.txt", 0600) == 0);
	struct ns_proc p;
	char *argv[] = { (char *)ns_racoon(), "-t", "-f", NS_DIR "/gw.conf", NULL };
	ns_spawn(&p, argv, NULL, OUT);
	int st = ns_wait(&p);
	char *out = ns_read_file(OUT);
	ck_assert_msg(st == 0, "racoon -t: %d: %s", st, out);
	ck_assert_msg(strstr(out, "remote \"gw\" is not passive, but only racoon.socket is "
				  "enabled") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "remote \"rw\"") == NULL, "%s", out);
	ck_assert_msg(strstr(out, "listen {} is ignored") != NULL, "%s", out);
	free(out);
	/* Enabling racoon.service as well silences the remote warning. */
	ck_assert_int_eq(ns_sh("mkdir -p " SYSCONFDIR "/systemd/system/multi-user.target.wants && "
			       "ln -s /lib/systemd/system/racoon.service " SYSCONFDIR
			       "/systemd/system/multi-user.target.wants/racoon.service"), 0);
	unlink(OUT);
	ns_spawn(&p, argv, NULL, OUT);
	ck_assert_int_eq(ns_wait(&p), 0);
	out = ns_read_file(OUT);
	ck_assert_msg(strstr(out, "is not passive") == NULL, "%s", out);
	free(out);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("daemon");
	TCase *t = tcase_create("process");
	tcase_set_timeout(t, 60);
	tcase_add_test(t, start_logs_sockets_and_stops_on_sigterm);
	tcase_add_test(t, configured_pidfile);
	tcase_add_test(t, sigint_also_stops_cleanly);
	tcase_add_test(t, sigpipe_is_ignored);
	tcase_add_test(t, sighup_reloads_and_survives_errors);
	tcase_add_test(t, receives_datagram_on_given_port);
	tcase_add_test(t, datagrams_reach_the_engine);
	tcase_add_test(t, debug_and_verbose_are_off_by_default);
	tcase_add_test(t, family_flags_limit_sockets);
	tcase_add_test(t, log_file_location_and_stdout_copy);
	tcase_add_test(t, journal_stream_suppresses_stdout_copy);
	tcase_add_test(t, daemonizes_without_foreground);
	tcase_add_test(t, daemonized_failure_returns_1);
	tcase_add_test(t, never_forks_under_systemd);
	tcase_add_test(t, clear_message_without_privileges);
	tcase_add_test(t, syslog_when_no_journal);
	tcase_add_test(t, check_warns_about_socket_only_setup);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	ns_require_root();
	SRunner *r = srunner_create(suite());
	srunner_set_fork_status(r, CK_FORK);
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? 1 : 0;
}
