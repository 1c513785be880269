/* Integration: racoon with real systemd programs, outside PID 1 (needs root).
 * Notify protocol (our own NOTIFY_SOCKET), watchdog, failed start, socket activation with
 * systemd-socket-activate, and a real systemd-journald read back with journalctl. */
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <linux/pfkeyv2.h>
#include <linux/udp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "log/log.h"
#include "nstest.h"

#define CONF NS_DIR "/empty.conf"
#define LOG NS_DIR "/racoon.log"
#define OUT NS_DIR "/stdout"
#define NOTIFY NS_DIR "/notify"
#define PIDFILE "/run/racoon/racoon.pid"
#define TRIES 500 /* x 20 ms */

static void setup(void)
{
	ns_enter();
	ns_write_file(CONF, "# an empty racoon.conf\n");
}

static uint64_t mono_usec(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static long pidfile_pid(void)
{
	char *s = ns_read_file(PIDFILE);
	long v = s ? strtol(s, NULL, 10) : -1;
	free(s);
	return v;
}

/* Next message that is not a watchdog ping; counts the pings seen on the way. */
static bool next_state(int fd, char *m, size_t n, int *pings)
{
	for (int k = 0; k < 1000; k++) {
		pid_t sender;
		if (!ns_notify_next(fd, m, n, &sender, TRIES))
			return false;
		if (strcmp(m, "WATCHDOG=1") == 0) {
			(*pings)++;
			continue;
		}
		return true;
	}
	return false;
}

/* READY=1 -> RELOADING=1 (MONOTONIC_USEC) -> READY=1 -> STOPPING=1, with watchdog pings. */
START_TEST(notify_order_and_watchdog)
{
	setup();
	int nfd = ns_notify_open(NOTIFY);
	char *env[] = { "NOTIFY_SOCKET=" NOTIFY, "WATCHDOG_USEC=200000", NULL };
	struct ns_proc p;
	char *argv[] = { (char *)ns_racoon(), "-F", "-f", CONF, "-l", LOG, "-p", "5000", "-P",
			 "5001", NULL };
	ns_spawn(&p, argv, env, OUT);
	char m[4096];
	int pings = 0;
	/* STATUS=Starting may come first; READY=1 must come before anything else. */
	ck_assert(next_state(nfd, m, sizeof(m), &pings));
	if (strcmp(m, "STATUS=Starting") == 0)
		ck_assert(next_state(nfd, m, sizeof(m), &pings));
	ck_assert_msg(ns_notify_has(m, "READY=1"), "first state: %s", m);
	ck_assert_msg(strstr(m, "STATUS=4 IKE sockets, 0 ISAKMP-SAs, 0 IPsec-SAs") != NULL,
		      "%s", m);
	/* Repeated pings at half of WATCHDOG_USEC. */
	for (int k = 0; k < 200 && pings < 3; k++) {
		ck_assert(ns_notify_next(nfd, m, sizeof(m), NULL, TRIES));
		ck_assert_str_eq(m, "WATCHDOG=1");
		pings++;
	}
	ck_assert_int_ge(pings, 3);

	uint64_t before = mono_usec();
	ck_assert_int_eq(kill(p.pid, SIGHUP), 0);
	ck_assert(next_state(nfd, m, sizeof(m), &pings));
	uint64_t after = mono_usec();
	ck_assert_msg(ns_notify_has(m, "RELOADING=1"), "after SIGHUP: %s", m);
	const char *mu = strstr(m, "MONOTONIC_USEC=");
	ck_assert_ptr_nonnull(mu);
	unsigned long long v = strtoull(mu + 15, NULL, 10);
	ck_assert_msg(v >= before && v <= after, "MONOTONIC_USEC %llu not in [%llu, %llu]", v,
		      (unsigned long long)before, (unsigned long long)after);
	ck_assert(next_state(nfd, m, sizeof(m), &pings));
	ck_assert_msg(ns_notify_has(m, "READY=1"), "after reload: %s", m);

	ck_assert_int_eq(kill(p.pid, SIGTERM), 0);
	ck_assert(next_state(nfd, m, sizeof(m), &pings));
	ck_assert_msg(ns_notify_has(m, "STOPPING=1"), "after SIGTERM: %s", m);
	ck_assert_int_eq(ns_wait(&p), 0);
	close(nfd);
}
END_TEST

/* Without WATCHDOG_USEC no pings at all; a malformed one is a warning, not a failure. */
static char *const watchdog_env[][3] = {
	{ "NOTIFY_SOCKET=" NOTIFY, NULL, NULL },
	{ "NOTIFY_SOCKET=" NOTIFY, "WATCHDOG_USEC=bogus", NULL },
};

START_TEST(no_watchdog_unless_asked)
{
	setup();
	int nfd = ns_notify_open(NOTIFY);
	char *const *env = watchdog_env[_i];
	struct ns_proc p;
	char *argv[] = { (char *)ns_racoon(), "-F", "-f", CONF, "-p", "5000", "-P", "5001", NULL };
	ns_spawn(&p, argv, env, OUT);
	char seen[8192] = "";
	ck_assert(ns_notify_wait(nfd, "READY=1", seen, sizeof(seen), TRIES));
	ck_assert_int_eq(kill(p.pid, SIGTERM), 0);
	ck_assert(ns_notify_wait(nfd, "STOPPING=1", seen, sizeof(seen), TRIES));
	ck_assert_int_eq(ns_wait(&p), 0);
	ck_assert_msg(strstr(seen, "WATCHDOG=1") == NULL, "%s", seen);
	close(nfd);
}
END_TEST

static void expect_failure(char *const argv[], const char *errno_line, const char *status)
{
	int nfd = ns_notify_open(NOTIFY);
	char *env[] = { "NOTIFY_SOCKET=" NOTIFY, NULL };
	struct ns_proc p;
	ns_spawn(&p, argv, env, OUT);
	ck_assert_int_eq(ns_wait(&p), 1);
	char m[4096];
	bool found = false;
	while (!found && ns_notify_next(nfd, m, sizeof(m), NULL, 5))
		found = ns_notify_has(m, errno_line);
	ck_assert_msg(found, "no %s", errno_line);
	ck_assert_msg(strstr(m, status) != NULL, "\"%s\" lacks \"%s\"", m, status);
	ck_assert_msg(!ns_notify_has(m, "READY=1"), "%s", m);
	close(nfd);
}

START_TEST(failed_start_sends_errno_and_status)
{
	setup();
	ns_write_file(NS_DIR "/bad.conf", "this is { not racoon.conf\n");
	char *bad[] = { (char *)ns_racoon(), "-F", "-f", NS_DIR "/bad.conf", "-p", "5000", "-P",
			"5001", NULL };
	expect_failure(bad, "ERRNO=22", "STATUS=invalid configuration file");
	char *noperm[] = { "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
			   (char *)ns_racoon(), "-F", "-f", CONF, "-p", "5000", "-P", "5001", NULL };
	expect_failure(noperm, "ERRNO=1", "STATUS=racoon lacks CAP_NET_ADMIN");
}
END_TEST

/* READY=1 needs the kernel backend: PF_KEY on a kernel without it fails the start;
 * with it (af_key loaded) racoon starts on PF_KEY. */
START_TEST(kernel_backend_before_ready)
{
	setup();
	ns_write_file(NS_DIR "/pfkey.conf", "kernel_interface pfkey;\n");
	char *argv[] = { (char *)ns_racoon(), "-F", "-f", NS_DIR "/pfkey.conf", "-l", LOG, "-p",
			 "5000", "-P", "5001", NULL };
	int probe = socket(AF_KEY, SOCK_RAW | SOCK_CLOEXEC, PF_KEY_V2);
	if (probe < 0) {
		char want[32];
		snprintf(want, sizeof(want), "ERRNO=%d", errno);
		expect_failure(argv, want, "STATUS=cannot open the kernel backend");
		ck_assert(ns_wait_for_text(LOG, "this kernel lacks PF_KEY", 1));
		return;
	}
	close(probe);
	int nfd = ns_notify_open(NOTIFY);
	char *env[] = { "NOTIFY_SOCKET=" NOTIFY, NULL };
	struct ns_proc p;
	ns_spawn(&p, argv, env, OUT);
	char seen[8192] = "";
	ck_assert_msg(ns_notify_wait(nfd, "READY=1", seen, sizeof(seen), TRIES), "%s", seen);
	ck_assert(ns_wait_for_text(LOG, "kernel backend pfkey opened", 1));
	ck_assert_int_eq(kill(p.pid, SIGTERM), 0);
	ck_assert_int_eq(ns_wait(&p), 0);
	close(nfd);
}
END_TEST

static int sockopt_of(pid_t pid, int fd, int level, int name)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	ck_assert_msg(pidfd >= 0, "pidfd_open: %s", strerror(errno));
	int mine = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	ck_assert_msg(mine >= 0, "pidfd_getfd: %s", strerror(errno));
	int v = -1;
	socklen_t l = sizeof(v);
	ck_assert(getsockopt(mine, level, name, &v, &l) == 0);
	close(mine);
	close(pidfd);
	return v;
}

/* The first datagram starts racoon; it reads it and holds the passed sockets only.
 * No -F: with LISTEN_FDS racoon must not fork anyway. */
START_TEST(socket_activation)
{
	setup();
	struct ns_proc p;
	char *argv[] = { "systemd-socket-activate", "--datagram", "-l", "127.0.0.1:5000", "-l",
			 "127.0.0.1:5001", "-l", "[::1]:5000", (char *)ns_racoon(), "-d", "-v",
			 "-f", CONF, "-l", LOG, "-p", "5000", "-P", "5001", NULL };
	ns_spawn(&p, argv, NULL, OUT);
	ck_assert(ns_wait_for_text(OUT, "[::1]:5000", TRIES));
	ck_assert(access(LOG, F_OK) != 0); /* not started before the first datagram */
	ck_assert_int_eq(ns_udp_send("127.0.0.1", 5000, "activation-probe", 16), 0);
	ck_assert(ns_wait_for_text(LOG, "started (3 sockets from sockets passed by systemd",
				   TRIES));
	ck_assert(ns_wait_for_text(LOG, "::1[5000] used for ISAKMP (passed by systemd)", 1));
	ck_assert(ns_wait_for_text(LOG, "127.0.0.1[5000] used for ISAKMP (passed by systemd)", 1));
	ck_assert(ns_wait_for_text(LOG, "127.0.0.1[5001] used for NAT-T (passed by systemd)", 1));
	/* The datagram that triggered the start was read, dumped by -v. */
	ck_assert(ns_wait_for_text(LOG, "16 bytes from 127.0.0.1[", TRIES));
	ck_assert(ns_wait_for_text(LOG, "61637469766174696f6e2d70726f6265", TRIES));
	/* No second socket on either port, and no fork (systemd-socket-activate execs racoon
	 * in its own process, so the pid we started is racoon's). */
	ck_assert_int_eq(ns_udp_sockets_on_port(5000), 2); /* 127.0.0.1 and ::1 */
	ck_assert_int_eq(ns_udp_sockets_on_port(5001), 1);
	ck_assert_int_eq(ns_udp_send("::1", 5000, "v6-probe", 8), 0);
	ck_assert(ns_wait_for_text(LOG, "8 bytes from ::1[", TRIES));
	ck_assert(ns_wait_for_text(LOG, "to ::1[5000]", TRIES));
	ck_assert_int_eq(pidfile_pid(), p.pid);
	/* Set on the passed fds what racoon sets on its own. */
	ck_assert_int_eq(sockopt_of(p.pid, 3, IPPROTO_IP, IP_PKTINFO), 1);
	ck_assert_int_eq(sockopt_of(p.pid, 4, IPPROTO_IP, IP_PKTINFO), 1);
	ck_assert_int_eq(sockopt_of(p.pid, 3, IPPROTO_UDP, UDP_ENCAP), 0);
	ck_assert_int_eq(sockopt_of(p.pid, 4, IPPROTO_UDP, UDP_ENCAP), UDP_ENCAP_ESPINUDP);
	ck_assert_int_eq(sockopt_of(p.pid, 5, IPPROTO_IPV6, IPV6_RECVPKTINFO), 1);
	ck_assert_int_eq(sockopt_of(p.pid, 5, IPPROTO_UDP, UDP_ENCAP), 0);
	ck_assert_int_eq(kill(p.pid, SIGTERM), 0);
	ck_assert_int_eq(ns_wait(&p), 0);
}
END_TEST

/* Passed sockets on neither -p nor -P: not used, start fails with a reason. */
START_TEST(socket_activation_port_mismatch_fails)
{
	setup();
	int nfd = ns_notify_open(NOTIFY);
	struct ns_proc p;
	char *argv[] = { "systemd-socket-activate", "--datagram", "-l", "127.0.0.1:5002", "-E",
			 "NOTIFY_SOCKET=" NOTIFY, (char *)ns_racoon(), "-F", "-f", CONF, "-l", LOG,
			 "-p", "5000", "-P", "5001", NULL };
	ns_spawn(&p, argv, NULL, OUT);
	ck_assert(ns_wait_for_text(OUT, "127.0.0.1:5002", TRIES));
	ck_assert_int_eq(ns_udp_send("127.0.0.1", 5002, "x", 1), 0);
	ck_assert_int_eq(ns_wait(&p), 1);
	ck_assert(ns_wait_for_text(LOG, "passed socket 127.0.0.1[5002] is on neither the ISAKMP "
					"port 5000 nor the NAT-T port 5001", 1));
	char seen[8192] = "";
	ck_assert_msg(ns_notify_wait(nfd, "ERRNO=99", seen, sizeof(seen), 5), "%s", seen);
	ck_assert_msg(strstr(seen, "STATUS=no usable socket among those passed by systemd") != NULL,
		      "%s", seen);
	close(nfd);
}
END_TEST

/* ---- journal ---- */

static void assert_field(const char *json, const char *field_value)
{
	ck_assert_msg(strstr(json, field_value) != NULL, "%s lacks %s", json, field_value);
}

static int event_line;
static void log_ike_event(void)
{
	union sockaddr_any remote, local;
	addr_parse("198.51.100.7", &remote);
	addr_set_port(&remote, 4500);
	addr_parse("192.0.2.10", &local);
	addr_set_port(&local, 4500);
	static const uint8_t ic[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	static const uint8_t rc[8] = { 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8 };
	struct log_ctx c = { .remote = &remote, .local = &local, .icookie = ic, .rcookie = rc,
			     .phase = 2, .spi = 0xc0ffee01 };
	event_line = __LINE__ + 1;
	log_ctx(LL_NOTIFY, "ike", &c, LOG_MSGID_PH2_ESTABLISHED, "IPsec-SA established");
}

START_TEST(journal_fields)
{
	struct ns_proc journald;
	setup();
	ns_journald_start(&journald);
	/* The racoon process: its own lines carry the caller's location and subsystem. */
	struct ns_proc p;
	char *argv[] = { (char *)ns_racoon(), "-F", "-f", CONF, "-p", "5000", "-P", "5001", NULL };
	ns_spawn(&p, argv, NULL, OUT);
	char m[64];
	snprintf(m, sizeof(m), "_PID=%d", (int)p.pid);
	char *j = ns_journal_json(m, "started (");
	ck_assert_ptr_nonnull(j);
	free(j);
	pid_t pid = p.pid;
	ck_assert_int_eq(kill(pid, SIGTERM), 0);
	ck_assert_int_eq(ns_wait(&p), 0);
	char match[128];
	snprintf(match, sizeof(match), "_PID=%d CODE_FUNC=run", (int)pid);
	j = ns_journal_json(match, "racoon stopped");
	assert_field(j, "\"SYSLOG_IDENTIFIER\":\"racoon\"");
	assert_field(j, "\"PRIORITY\":\"6\"");
	assert_field(j, "\"RACOON_SUBSYSTEM\":\"daemon\"");
	assert_field(j, "\"CODE_FUNC\":\"run\"");
	assert_field(j, "main.c\"");
	assert_field(j, "\"CODE_LINE\":\"");
	assert_field(j, "\"MESSAGE\":\"daemon: racoon stopped\"");
	free(j);

	/* An IKE event from the logging layer itself, with peer fields and a MESSAGE_ID. */
	struct log_options lo = { .ident = "racoon" };
	ck_assert_int_eq(log_open(&lo), 0);
	ck_assert_str_eq(log_sink_name(), "journal");
	log_ike_event();
	log_close();
	j = ns_journal_json("MESSAGE_ID=" LOG_MSGID_PH2_ESTABLISHED, "IPsec-SA established");
	assert_field(j, "\"MESSAGE_ID\":\"" LOG_MSGID_PH2_ESTABLISHED "\"");
	assert_field(j, "\"PRIORITY\":\"5\"");
	assert_field(j, "\"RACOON_SUBSYSTEM\":\"ike\"");
	assert_field(j, "\"REMOTE_ADDR\":\"198.51.100.7\"");
	assert_field(j, "\"REMOTE_PORT\":\"4500\"");
	assert_field(j, "\"LOCAL_ADDR\":\"192.0.2.10\"");
	assert_field(j, "\"ISAKMP_COOKIES\":\"0102030405060708:a1a2a3a4a5a6a7a8\"");
	assert_field(j, "\"PHASE\":\"2\"");
	assert_field(j, "\"SPI\":\"c0ffee01\"");
	assert_field(j, "\"CODE_FUNC\":\"log_ike_event\"");
	assert_field(j, "test_systemd.c\"");
	char line[64];
	snprintf(line, sizeof(line), "\"CODE_LINE\":\"%d\"", event_line);
	assert_field(j, line);
	assert_field(j, "192.0.2.10[4500]<=>198.51.100.7[4500] IPsec-SA established");
	free(j);
	ns_journald_stop(&journald);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("systemd");
	TCase *t = tcase_create("systemd");
	tcase_set_timeout(t, 60);
	tcase_add_test(t, notify_order_and_watchdog);
	tcase_add_loop_test(t, no_watchdog_unless_asked, 0, 2);
	tcase_add_test(t, failed_start_sends_errno_and_status);
	tcase_add_test(t, kernel_backend_before_ready);
	tcase_add_test(t, socket_activation);
	tcase_add_test(t, socket_activation_port_mismatch_fails);
	tcase_add_test(t, journal_fields);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	ns_require_root();
	const char *tools[] = { "systemd-socket-activate", "journalctl", "setpriv" };
	for (size_t i = 0; i < sizeof(tools) / sizeof(tools[0]); i++)
		if (ns_sh("command -v %s >/dev/null", tools[i]) != 0) {
			fprintf(stderr, "SKIP: %s is not installed\n", tools[i]);
			return 77;
		}
	if (access("/lib/systemd/systemd-journald", X_OK) != 0) {
		fprintf(stderr, "SKIP: /lib/systemd/systemd-journald is not installed\n");
		return 77;
	}
	SRunner *r = srunner_create(suite());
	srunner_set_fork_status(r, CK_FORK);
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? 1 : 0;
}
