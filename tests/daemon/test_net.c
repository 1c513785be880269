/* Integration: the IKE socket layer in-process, in a private network namespace (root).
 * Address tracking over rtnetlink, replies from the address a request reached, passed
 * sockets and the socket-source rule of daemon/listen.c. */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "conf/conf.h"
#include "daemon/listen.h"
#include "event/event.h"
#include "log/log.h"
#include "net/net.h"
#include "nstest.h"

#define LOG NS_DIR "/net.log"
/* A dummy interface; kernels built without it get a veth pair (both ends ours). */
#define LINK_UP                                                                          \
	"{ ip link add d0 type dummy 2>/dev/null || "                                    \
	"{ ip link add d0 type veth peer name d0p && ip link set d0p up; }; } && "       \
	"ip link set d0 up && "

static void setup(void)
{
	ns_enter();
	struct log_options lo = { .file = LOG, .debug = 1 };
	ck_assert_int_eq(log_open(&lo), 0);
}

static void teardown_net(void)
{
	net_stop();
	event_loop_free();
	log_close();
}

static union sockaddr_any sa(const char *a, unsigned port)
{
	union sockaddr_any x;
	ck_assert_int_eq(addr_parse(a, &x), 0);
	addr_set_port(&x, (uint16_t)port);
	return x;
}

static bool has_socket(const char *a, unsigned port, bool natt)
{
	union sockaddr_any x = sa(a, port);
	for (struct ike_socket *s = net_sockets(); s; s = s->next)
		if (addr_equal_port(&s->local, &x) && s->natt == natt)
			return true;
	return false;
}

/* Run the loop until has_socket(a, port) == want; bounded (200 x 50 ms at most). */
static bool loop_until(const char *a, unsigned port, bool want)
{
	for (int i = 0; i < 200; i++) {
		if (has_socket(a, port, false) == want)
			return true;
		sd_event_run(event_loop(), 50000);
	}
	return false;
}

START_TEST(address_added_and_removed)
{
	setup();
	struct net_config nc = { .isakmp_port = 5000, .natt_port = 5001, .bypass = true,
				 .follow_addresses = true };
	ck_assert_int_eq(net_start(&nc, NULL, 0, NULL, NULL), 0);
	ck_assert(has_socket("127.0.0.1", 5000, false));
	ck_assert(has_socket("127.0.0.1", 5001, true));
	ck_assert(has_socket("::1", 5000, false));
	ck_assert(!has_socket("192.0.2.10", 5000, false));
	ck_assert_int_eq(ns_sh(LINK_UP
			       "ip addr add 192.0.2.10/24 dev d0 && "
			       "ip addr add 2001:db8::10/64 dev d0 nodad"), 0);
	ck_assert(loop_until("192.0.2.10", 5000, true));
	ck_assert(loop_until("2001:db8::10", 5000, true));
	ck_assert(has_socket("192.0.2.10", 5001, true));
	ck_assert(has_socket("2001:db8::10", 5001, true));
	ck_assert_int_eq(ns_udp_sockets_on_port(5000), 4);
	ck_assert_int_eq(ns_sh("ip addr del 192.0.2.10/24 dev d0"), 0);
	ck_assert(loop_until("192.0.2.10", 5000, false));
	ck_assert(!has_socket("192.0.2.10", 5001, true));
	ck_assert(has_socket("2001:db8::10", 5000, false)); /* the other address stays */
	ck_assert_int_eq(ns_udp_sockets_on_port(5000), 3);
	ck_assert_int_eq(ns_sh("ip link del d0"), 0);
	ck_assert(loop_until("2001:db8::10", 5000, false));
	ck_assert_int_eq(net_socket_count(), 4);
	ck_assert(ns_wait_for_text(LOG, "192.0.2.10[5000] no longer used: address removed", 1));
	teardown_net();
}
END_TEST

/* Lost address events (ENOBUFS): racoon re-reads the list and an address that vanished
 * meanwhile is treated as removed (sockets closed, the daemon told). The flood of add/del
 * pairs overflows the event socket while the loop does not run; the last deletion is lost. */
static union sockaddr_any gone_addr;
static int gone_calls;
static void on_gone(const union sockaddr_any *a, void *ud)
{
	(void)ud;
	gone_addr = *a;
	gone_calls++;
}

START_TEST(lost_events_resync_drops_vanished_address)
{
	setup();
	struct net_config nc = { .isakmp_port = 5000, .natt_port = 5001, .bypass = true,
				 .follow_addresses = true };
	addrwatch_set_gone_hook(on_gone, NULL);
	ck_assert_int_eq(net_start(&nc, NULL, 0, NULL, NULL), 0);
	ck_assert_int_eq(ns_sh(LINK_UP "ip addr add 192.0.2.10/24 dev d0 && "
				       "ip addr add 203.0.113.11/24 dev d0"), 0);
	ck_assert(loop_until("192.0.2.10", 5000, true));
	ck_assert(loop_until("203.0.113.11", 5000, true));
	FILE *f = fopen(NS_DIR "/flood.batch", "w");
	ck_assert(f != NULL);
	for (int i = 0; i < 2000; i++) {
		fprintf(f, "address add 198.51.100.%d/32 dev d0\n", 1 + i % 250);
		fprintf(f, "address del 198.51.100.%d/32 dev d0\n", 1 + i % 250);
	}
	fprintf(f, "address del 192.0.2.10/24 dev d0\n");
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(ns_sh("ip -batch " NS_DIR "/flood.batch"), 0);
	gone_calls = 0;
	ck_assert(loop_until("192.0.2.10", 5000, false));
	ck_assert(ns_wait_for_text(LOG, "address events lost", 1));
	ck_assert(!has_socket("192.0.2.10", 5001, true));
	ck_assert(has_socket("203.0.113.11", 5000, false)); /* still there: kept */
	ck_assert(!has_socket("198.51.100.1", 5000, false)); /* flood leftovers: none */
	ck_assert_int_ge(gone_calls, 1);
	union sockaddr_any want = sa("192.0.2.10", 0);
	ck_assert(addr_equal(&gone_addr, &want));
	addrwatch_set_gone_hook(NULL, NULL);
	teardown_net();
}
END_TEST

/* -4: IPv6 addresses get no socket. */
START_TEST(family_restricts_tracking)
{
	setup();
	struct net_config nc = { .isakmp_port = 5000, .natt_port = 5001, .family = AF_INET,
				 .follow_addresses = true };
	ck_assert_int_eq(net_start(&nc, NULL, 0, NULL, NULL), 0);
	ck_assert_int_eq(ns_sh(LINK_UP
			       "ip addr add 2001:db8::10/64 dev d0 nodad && "
			       "ip addr add 192.0.2.10/24 dev d0"), 0);
	ck_assert(loop_until("192.0.2.10", 5000, true));
	ck_assert(!has_socket("2001:db8::10", 5000, false));
	ck_assert(!has_socket("::1", 5000, false));
	teardown_net();
}
END_TEST

/* ---- replies ---- */

static int echoes;
static void echo(const struct ike_socket *s, const union sockaddr_any *from,
		 const union sockaddr_any *to, const uint8_t *data, size_t len, void *ud)
{
	/* Reply from the address and port the request reached. */
	if (net_send(to, from, data, len) == 0)
		echoes++;
}

/* Send from a client bound to client_addr to dst; return the reply's source address. */
static void roundtrip(const char *client_addr, const char *dst, unsigned port, char *src_out)
{
	union sockaddr_any c = sa(client_addr, 0), d = sa(dst, port), r;
	int fd = socket(c.sa.sa_family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	ck_assert(fd >= 0);
	ck_assert(bind(fd, &c.sa, addr_len(&c)) == 0);
	ck_assert(sendto(fd, "ping", 4, 0, &d.sa, addr_len(&d)) == 4);
	int before = echoes;
	for (int i = 0; i < 200 && echoes == before; i++)
		sd_event_run(event_loop(), 50000);
	ck_assert_int_eq(echoes, before + 1);
	char buf[16];
	socklen_t rl = sizeof(r);
	ssize_t n = -1;
	for (int i = 0; i < 200 && n < 0; i++) {
		n = recvfrom(fd, buf, sizeof(buf), 0, &r.sa, &rl);
		if (n < 0)
			usleep(10000);
	}
	ck_assert_int_eq(n, 4);
	ck_assert_uint_eq(addr_port(&r), port);
	addr_ntop(&r, src_out);
	close(fd);
}

static void add_test_addresses(void)
{
	ck_assert_int_eq(ns_sh(LINK_UP
			       "ip addr add 192.0.2.10/24 dev d0 && "
			       "ip addr add 198.51.100.10/24 dev d0 && "
			       "ip addr add 203.0.113.5/24 dev d0 && "
			       "ip addr add 2001:db8::10/64 dev d0 nodad && "
			       "ip addr add 2001:db8::20/64 dev d0 nodad && "
			       "ip addr add 2001:db8::5/64 dev d0 nodad"), 0);
}

static int wildcard_socket(int family, unsigned port)
{
	union sockaddr_any a;
	memset(&a, 0, sizeof(a));
	a.sa.sa_family = (sa_family_t)family;
	addr_set_port(&a, (uint16_t)port);
	int fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ck_assert(fd >= 0);
	int on = 1;
	if (family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
	ck_assert(bind(fd, &a.sa, addr_len(&a)) == 0);
	return fd;
}

/* A wildcard (passed) socket answers from the address each request reached. */
START_TEST(reply_from_request_address_on_wildcard)
{
	setup();
	add_test_addresses();
	int fds[2] = { wildcard_socket(AF_INET, 5000), wildcard_socket(AF_INET6, 5000) };
	struct net_config nc = { .isakmp_port = 5000, .natt_port = 5001, .bypass = true };
	ck_assert_int_eq(net_start(&nc, fds, 2, echo, NULL), 0);
	ck_assert_int_eq(net_socket_count(), 2);
	char src[ADDR_STRLEN];
	roundtrip("203.0.113.5", "198.51.100.10", 5000, src);
	ck_assert_str_eq(src, "198.51.100.10");
	roundtrip("203.0.113.5", "192.0.2.10", 5000, src);
	ck_assert_str_eq(src, "192.0.2.10");
	roundtrip("2001:db8::5", "2001:db8::20", 5000, src);
	ck_assert_str_eq(src, "2001:db8::20");
	roundtrip("2001:db8::5", "2001:db8::10", 5000, src);
	ck_assert_str_eq(src, "2001:db8::10");
	teardown_net();
}
END_TEST

/* Per-address sockets answer from their own address. */
START_TEST(reply_from_request_address_per_address)
{
	setup();
	add_test_addresses();
	struct net_config nc = { .isakmp_port = 5000, .natt_port = 5001, .bypass = true,
				 .follow_addresses = true };
	ck_assert_int_eq(net_start(&nc, NULL, 0, echo, NULL), 0);
	ck_assert(loop_until("198.51.100.10", 5000, true));
	char src[ADDR_STRLEN];
	roundtrip("203.0.113.5", "198.51.100.10", 5000, src);
	ck_assert_str_eq(src, "198.51.100.10");
	roundtrip("203.0.113.5", "192.0.2.10", 5001, src);
	ck_assert_str_eq(src, "192.0.2.10");
	teardown_net();
}
END_TEST

/* Passed fds: by port; a TCP socket, a wrong port and a wrong family are not used. */
START_TEST(passed_sockets_by_port)
{
	setup();
	int tcp = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int fds[4] = { wildcard_socket(AF_INET, 5001), wildcard_socket(AF_INET, 5002), tcp,
		       wildcard_socket(AF_INET6, 5000) };
	struct net_config nc = { .isakmp_port = 5000, .natt_port = 5001, .family = AF_INET };
	ck_assert_int_eq(net_start(&nc, fds, 4, NULL, NULL), 0);
	ck_assert_int_eq(net_socket_count(), 1);
	ck_assert(net_sockets()->natt && net_sockets()->passed);
	ck_assert_int_eq(fcntl(fds[1], F_GETFD), -1); /* closed: not ours to keep */
	ck_assert_int_eq(fcntl(tcp, F_GETFD), -1);
	ck_assert_int_eq(fcntl(fds[3], F_GETFD), -1);
	ck_assert(ns_wait_for_text(LOG, "is on neither the ISAKMP port 5000 nor the NAT-T port "
					"5001", 1));
	ck_assert(ns_wait_for_text(LOG, "is not a UDP socket", 1));
	ck_assert(ns_wait_for_text(LOG, "not of the family chosen with -4/-6", 1));
	teardown_net();
	setup();
	int bad[1] = { wildcard_socket(AF_INET, 6000) };
	ck_assert_int_eq(net_start(&nc, bad, 1, NULL, NULL), -EADDRNOTAVAIL);
	teardown_net();
}
END_TEST

/* LISTEN_FDS wins over listen {}: logged, and no socket of our own is opened. */
START_TEST(systemd_sockets_win_over_listen)
{
	setup();
	int fd = wildcard_socket(AF_INET, 5000);
	ck_assert(dup2(fd, 3) == 3);
	if (fd != 3)
		close(fd);
	char pid[32];
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	setenv("LISTEN_PID", pid, 1);
	setenv("LISTEN_FDS", "1", 1);
	struct conf_listen_addr la[1] = { { .addr = sa("127.0.0.1", 5500), .natt = false } };
	struct racoon_conf c;
	memset(&c, 0, sizeof(c));
	c.listen.addrs = la;
	c.listen.n_addrs = 1;
	struct options o = { .isakmp_port = 5000, .natt_port = 5001, .no_kernel = true };
	enum sock_source used;
	ck_assert_int_eq(daemon_sockets_start(&o, &c, NULL, NULL, &used), 0);
	ck_assert_int_eq(used, SOCK_SRC_SYSTEMD);
	ck_assert_ptr_null(getenv("LISTEN_FDS")); /* not passed on to children */
	ck_assert_int_eq(net_socket_count(), 1);
	ck_assert_int_eq(ns_udp_sockets_on_port(5500), 0);
	ck_assert(ns_wait_for_text(LOG, "listen {} (1 entry) is ignored", 1));
	teardown_net();
}
END_TEST

/* Without LISTEN_FDS, listen {} entries are used as written (their own ports). */
START_TEST(listen_entries_without_systemd)
{
	setup();
	unsetenv("LISTEN_FDS");
	struct conf_listen_addr la[2] = { { .addr = sa("127.0.0.1", 5500) },
					  { .addr = sa("127.0.0.1", 5501), .natt = true } };
	struct racoon_conf c;
	memset(&c, 0, sizeof(c));
	c.listen.addrs = la;
	c.listen.n_addrs = 2;
	struct options o = { .isakmp_port = 5000, .natt_port = 5001, .no_kernel = true,
			     .ports_given = true };
	enum sock_source used;
	ck_assert_int_eq(daemon_sockets_start(&o, &c, NULL, NULL, &used), 0);
	ck_assert_int_eq(used, SOCK_SRC_LISTEN);
	ck_assert(has_socket("127.0.0.1", 5500, false));
	ck_assert(has_socket("127.0.0.1", 5501, true));
	ck_assert_int_eq(net_socket_count(), 2);
	ck_assert(ns_wait_for_text(LOG, "-p/-P do not change the ports of listen {} entries", 1));
	/* Listed sockets survive the loss of their address. */
	union sockaddr_any lo = sa("127.0.0.1", 0);
	net_address_removed(&lo);
	ck_assert_int_eq(net_socket_count(), 2);
	teardown_net();
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("net");
	TCase *t = tcase_create("net");
	tcase_set_timeout(t, 60);
	tcase_add_test(t, address_added_and_removed);
	tcase_add_test(t, family_restricts_tracking);
	tcase_add_test(t, lost_events_resync_drops_vanished_address);
	tcase_add_test(t, reply_from_request_address_on_wildcard);
	tcase_add_test(t, reply_from_request_address_per_address);
	tcase_add_test(t, passed_sockets_by_port);
	tcase_add_test(t, systemd_sockets_win_over_listen);
	tcase_add_test(t, listen_entries_without_systemd);
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
