/* Unit tests: sd_notify messages (service.c), the -t socket warnings (listen.c) and the
 * privilege check (privs.c). No privileges needed: NOTIFY_SOCKET is a socket of ours. */
#include <check.h>
#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "conf/conf.h"
#include "daemon/listen.h"
#include "daemon/privs.h"
#include "event/event.h"
#include "event/service.h"

static char dir[64];
static int nfd = -1;

static void listener(void)
{
	snprintf(dir, sizeof(dir), "/tmp/racoon-svc-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/notify", dir);
	nfd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	ck_assert(nfd >= 0);
	ck_assert(bind(nfd, (struct sockaddr *)&sa, sizeof(sa)) == 0);
	setenv("NOTIFY_SOCKET", sa.sun_path, 1);
}

static void cleanup(void)
{
	char p[128];
	snprintf(p, sizeof(p), "%s/notify", dir);
	unlink(p);
	rmdir(dir);
	close(nfd);
}

/* The next message, or "" when none is queued (sd_notify is synchronous). */
static const char *next(void)
{
	static char m[1024];
	ssize_t n = recv(nfd, m, sizeof(m) - 1, MSG_DONTWAIT);
	m[n > 0 ? n : 0] = '\0';
	return m;
}

START_TEST(life_cycle_messages)
{
	listener();
	service_starting();
	ck_assert_str_eq(next(), "STATUS=Starting");
	service_sockets_changed(2);
	ck_assert_str_eq(next(), ""); /* not ready yet: no count updates */
	service_ready();
	ck_assert_str_eq(next(), "READY=1\nSTATUS=2 IKE sockets, 0 ISAKMP-SAs, 0 IPsec-SAs");
	service_reloading();
	const char *m = next();
	ck_assert_msg(strncmp(m, "RELOADING=1\nMONOTONIC_USEC=", 27) == 0, "%s", m);
	ck_assert_ptr_nonnull(strstr(m, "\nSTATUS=Reloading the configuration"));
	ck_assert_uint_gt(strtoull(m + 27, NULL, 10), 0);
	service_ready();
	ck_assert_str_eq(next(), "READY=1\nSTATUS=2 IKE sockets, 0 ISAKMP-SAs, 0 IPsec-SAs");
	service_stopping();
	ck_assert_str_eq(next(), "STOPPING=1\nSTATUS=Shutting down");
	cleanup();
}
END_TEST

START_TEST(counts_follow_sas_without_loop)
{
	listener();
	service_ready();
	next();
	daemon_status_update(1, 2);
	ck_assert_str_eq(next(), "STATUS=0 IKE sockets, 1 ISAKMP-SA, 2 IPsec-SAs");
	daemon_status_update(1, 2); /* unchanged: nothing sent */
	ck_assert_str_eq(next(), "");
	service_sockets_changed(1);
	ck_assert_str_eq(next(), "STATUS=1 IKE socket, 1 ISAKMP-SA, 2 IPsec-SAs");
	char line[160];
	ck_assert_str_eq(service_status_line(line, sizeof(line)),
			 "1 IKE socket, 1 ISAKMP-SA, 2 IPsec-SAs");
	cleanup();
}
END_TEST

/* With a loop, many changes in one iteration give one STATUS= with the last counts. */
START_TEST(counts_coalesced_per_iteration)
{
	listener();
	unsetenv("WATCHDOG_USEC");
	ck_assert_int_eq(service_attach(event_loop()), 0);
	ck_assert(!service_watchdog_enabled());
	service_ready();
	next();
	for (unsigned i = 1; i <= 1000; i++)
		daemon_status_update(i, 2 * i);
	ck_assert_str_eq(next(), "");
	ck_assert_int_ge(sd_event_run(event_loop(), 0), 0);
	ck_assert_str_eq(next(), "STATUS=0 IKE sockets, 1000 ISAKMP-SAs, 2000 IPsec-SAs");
	ck_assert_int_ge(sd_event_run(event_loop(), 0), 0);
	ck_assert_str_eq(next(), "");
	service_detach();
	event_loop_free();
	cleanup();
}
END_TEST

START_TEST(watchdog_enabled_from_environment)
{
	listener();
	setenv("WATCHDOG_USEC", "5000000", 1);
	unsetenv("WATCHDOG_PID");
	ck_assert_int_eq(service_attach(event_loop()), 0);
	ck_assert(service_watchdog_enabled());
	service_detach();
	event_loop_free();
	cleanup();
}
END_TEST

START_TEST(failure_status_is_one_line)
{
	listener();
	service_failed(-EADDRINUSE, "cannot bind\nREADY=1");
	char want[128];
	snprintf(want, sizeof(want), "STATUS=cannot bind READY=1\nERRNO=%d", EADDRINUSE);
	ck_assert_str_eq(next(), want);
	service_failed(EPERM, NULL);
	snprintf(want, sizeof(want), "STATUS=start-up failed\nERRNO=%d", EPERM);
	ck_assert_str_eq(next(), want);
	cleanup();
}
END_TEST

START_TEST(no_notify_socket_is_harmless)
{
	unsetenv("NOTIFY_SOCKET");
	service_starting();
	service_ready();
	daemon_status_update(3, 4);
	service_failed(EINVAL, "x");
	service_stopping();
}
END_TEST

/* ---- racoon -t warnings ---- */

static char units[64];

static void enable(const char *target, const char *unit)
{
	char p[256];
	snprintf(p, sizeof(p), "%s/%s.wants", units, target);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/%s.wants/%s", units, target, unit);
	ck_assert(symlink("/lib/systemd/system/x", p) == 0);
}

static unsigned check(const struct options *o, const struct racoon_conf *c, char **out)
{
	size_t len;
	FILE *f = open_memstream(out, &len);
	unsigned n = daemon_sockets_check(o, c, units, f);
	fclose(f);
	return n;
}

START_TEST(check_warnings)
{
	snprintf(units, sizeof(units), "/tmp/racoon-units-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(units));
	struct options o = { .isakmp_port = 500, .natt_port = 4500 };
	struct conf_remote rm[2];
	memset(rm, 0, sizeof(rm));
	rm[0].name = "gw";
	rm[0].file = "/etc/racoon/racoon.conf";
	rm[0].line = 12;
	rm[1].name = "roadwarriors";
	rm[1].passive = true;
	struct conf_listen_addr la = { .natt = false };
	struct racoon_conf c;
	memset(&c, 0, sizeof(c));
	c.remotes = rm;
	c.n_remotes = 2;
	char *out;

	/* Nothing enabled, no listen {}: nothing to say. */
	ck_assert_uint_eq(check(&o, &c, &out), 0);
	ck_assert_str_eq(out, "");
	free(out);

	/* Socket only: the active remote cannot initiate. */
	enable("sockets.target", "racoon.socket");
	ck_assert_uint_eq(check(&o, &c, &out), 1);
	ck_assert_ptr_nonnull(strstr(out, "/etc/racoon/racoon.conf:12: remote \"gw\" is not "
					  "passive, but only racoon.socket is enabled"));
	ck_assert_ptr_null(strstr(out, "roadwarriors"));
	free(out);

	/* listen {} and -p/-P disagree with the socket unit. */
	c.listen.addrs = &la;
	c.listen.n_addrs = 1;
	o.isakmp_port = 5000;
	o.ports_given = true;
	ck_assert_uint_eq(check(&o, &c, &out), 4);
	ck_assert_ptr_nonnull(strstr(out, "-p/-P do not change the ports of the listen {}"));
	ck_assert_ptr_nonnull(strstr(out, "listen {} is ignored"));
	ck_assert_ptr_nonnull(strstr(out, "bound to the -p port 5000 or the -P port 4500"));
	free(out);

	/* With racoon.service enabled too, initiators are fine. */
	enable("multi-user.target", "racoon.service");
	c.listen.n_addrs = 0;
	o.isakmp_port = 500;
	ck_assert_uint_eq(check(&o, &c, &out), 0);
	free(out);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", units);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

/* ---- privileges ---- */

START_TEST(privs_message_names_missing_capability)
{
	char msg[512];
	struct privs_need none = { 0 };
	ck_assert_int_eq(privs_check(&none, msg, sizeof(msg)), 0);
	ck_assert_str_eq(msg, "");
	/* Drop every effective capability in this (forked) test process. */
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];
	ck_assert(syscall(SYS_capget, &h, d) == 0);
	d[0].effective = d[1].effective = 0;
	ck_assert(syscall(SYS_capset, &h, d) == 0);
	struct privs_need both = { .net_admin = true, .bind_service = true };
	ck_assert_int_eq(privs_check(&both, msg, sizeof(msg)), -EPERM);
	ck_assert_ptr_nonnull(strstr(msg, "CAP_NET_ADMIN"));
	ck_assert_ptr_nonnull(strstr(msg, " and CAP_NET_BIND_SERVICE"));
	ck_assert_ptr_nonnull(strstr(msg, "run it as root"));
	struct privs_need bind_only = { .bind_service = true };
	ck_assert_int_eq(privs_check(&bind_only, msg, sizeof(msg)), -EPERM);
	ck_assert_ptr_null(strstr(msg, "CAP_NET_ADMIN"));
	ck_assert_uint_gt(privs_unprivileged_port_start(), 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("service");
	TCase *t = tcase_create("notify");
	tcase_add_test(t, life_cycle_messages);
	tcase_add_test(t, counts_follow_sas_without_loop);
	tcase_add_test(t, counts_coalesced_per_iteration);
	tcase_add_test(t, watchdog_enabled_from_environment);
	tcase_add_test(t, failure_status_is_one_line);
	tcase_add_test(t, no_notify_socket_is_harmless);
	suite_add_tcase(s, t);
	t = tcase_create("checks");
	tcase_add_test(t, check_warnings);
	tcase_add_test(t, privs_message_names_missing_capability);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(suite());
	srunner_set_fork_status(r, CK_FORK); /* each test gets a fresh service state */
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? 1 : 0;
}
