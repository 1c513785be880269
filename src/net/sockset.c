/* sockset: the set of IKE sockets, their event sources, and which one sends a reply. */
#include "net/net.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "event/event.h"
#include "event/service.h"
#include "log/log.h"

static struct {
	struct net_config cfg;
	struct ike_socket *list;
	net_receive_fn rx;
	void *rx_data;
	uint8_t *rxbuf;
} N;

struct ike_socket *net_sockets(void)
{
	return N.list;
}

size_t net_socket_count(void)
{
	size_t n = 0;
	for (struct ike_socket *s = N.list; s; s = s->next)
		n++;
	return n;
}

static int on_readable(sd_event_source *src, int fd, uint32_t revents, void *userdata)
{
	struct ike_socket *s = userdata;
	/* Bounded: at most 64 datagrams per wake-up so one busy socket cannot starve the rest. */
	for (int i = 0; i < 64; i++) {
		union sockaddr_any from, to;
		ssize_t n = net_socket_recv(fd, N.rxbuf, NET_MAX_DATAGRAM, &from, &to);
		if (n == -EAGAIN || n == -EWOULDBLOCK)
			break;
		if (n == -EMSGSIZE) {
			log_warning("net", "dropped an oversized datagram");
			continue;
		}
		if (n < 0) {
			log_debug("net", "recvmsg: %s", strerror((int)-n));
			break;
		}
		if (N.rx)
			N.rx(s, &from, &to, N.rxbuf, (size_t)n, N.rx_data);
	}
	return 0;
}

static int add_socket(int fd, const union sockaddr_any *local, bool natt, bool passed,
		      bool listed)
{
	struct ike_socket *s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->fd = fd;
	s->local = *local;
	s->natt = natt;
	s->passed = passed;
	s->listed = listed;
	sd_event_source *src = NULL;
	int r = sd_event_add_io(event_loop(), &src, fd, EPOLLIN, on_readable, s);
	if (r < 0) {
		free(s);
		return r;
	}
	s->source = src;
	s->next = N.list;
	N.list = s;
	service_sockets_changed(net_socket_count());
	char a[ADDR_PORT_STRLEN];
	log_info("net", "%s used for %s%s", addr_ntop_port(local, a), natt ? "NAT-T" : "ISAKMP",
		 passed ? " (passed by systemd)" : "");
	return 0;
}

static void free_socket(struct ike_socket *s)
{
	sd_event_source_disable_unref(s->source);
	close(s->fd);
	free(s);
}

static bool family_wanted(int family)
{
	return N.cfg.family == AF_UNSPEC || N.cfg.family == family;
}

static int open_one(const union sockaddr_any *addr, bool natt, bool listed)
{
	int fd, r = net_socket_open(addr, natt, N.cfg.bypass, &fd);
	char a[ADDR_PORT_STRLEN];
	if (r < 0) {
		log_error("net", "cannot use %s for %s: %s%s", addr_ntop_port(addr, a),
			  natt ? "NAT-T" : "ISAKMP", strerror(-r),
			  r == -EACCES || r == -EPERM ? " (racoon needs CAP_NET_BIND_SERVICE and "
							  "CAP_NET_ADMIN: run it as root)"
						      : "");
		return r;
	}
	r = add_socket(fd, addr, natt, false, listed);
	if (r < 0)
		close(fd);
	return r;
}

int net_address_added(const union sockaddr_any *addr)
{
	if (!family_wanted(addr->sa.sa_family))
		return 0;
	for (struct ike_socket *s = N.list; s; s = s->next)
		if (addr_equal(&s->local, addr))
			return 0;
	union sockaddr_any a = *addr;
	addr_set_port(&a, N.cfg.isakmp_port);
	int r = open_one(&a, false, false);
	if (r == 0 && N.cfg.natt_port) {
		addr_set_port(&a, N.cfg.natt_port);
		r = open_one(&a, true, false);
	}
	return r;
}

void net_address_removed(const union sockaddr_any *addr)
{
	struct ike_socket **pp = &N.list;
	while (*pp) {
		struct ike_socket *s = *pp;
		if (!s->passed && !s->listed && addr_equal(&s->local, addr)) {
			char a[ADDR_PORT_STRLEN];
			log_info("net", "%s no longer used: address removed",
				 addr_ntop_port(&s->local, a));
			*pp = s->next;
			free_socket(s);
			service_sockets_changed(net_socket_count());
		} else {
			pp = &s->next;
		}
	}
}

int net_socket_port(int fd)
{
	union sockaddr_any a;
	socklen_t sl = sizeof(a);
	int type;
	socklen_t tl = sizeof(type);
	int proto;
	socklen_t pl = sizeof(proto);
	if (getsockname(fd, &a.sa, &sl) < 0 || getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tl) < 0 ||
	    getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &pl) < 0)
		return -errno;
	if (type != SOCK_DGRAM || proto != IPPROTO_UDP ||
	    (a.sa.sa_family != AF_INET && a.sa.sa_family != AF_INET6))
		return -EPROTOTYPE;
	return addr_port(&a);
}

/* Sockets from systemd: ISAKMP or NAT-T by the port they are bound to (a socket unit
 * names all its fds alike, so the name cannot tell them apart). A passed socket gets the
 * options our own sockets get; one that cannot, or that is on neither port, is closed. */
static int adopt_passed(const int *fds, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		union sockaddr_any a;
		socklen_t sl = sizeof(a);
		int port = net_socket_port(fds[i]);
		if (port < 0 || getsockname(fds[i], &a.sa, &sl) < 0) {
			log_warning("net", "passed fd %d is not a UDP socket: not used", fds[i]);
			close(fds[i]);
			continue;
		}
		char as[ADDR_PORT_STRLEN];
		addr_ntop_port(&a, as);
		bool natt;
		if (port == N.cfg.isakmp_port)
			natt = false;
		else if (N.cfg.natt_port && port == N.cfg.natt_port)
			natt = true;
		else {
			log_warning("net", "passed socket %s is on neither the ISAKMP port %u nor "
					   "the NAT-T port %u (-p/-P): not used",
				    as, N.cfg.isakmp_port, N.cfg.natt_port);
			close(fds[i]);
			continue;
		}
		if (!family_wanted(a.sa.sa_family)) {
			log_warning("net", "passed socket %s is not of the family chosen with -4/-6: "
					   "not used", as);
			close(fds[i]);
			continue;
		}
		int r = net_socket_prepare(fds[i], a.sa.sa_family, natt, N.cfg.bypass);
		if (r < 0) {
			log_error("net", "passed socket %s: cannot set its socket options: %s%s", as,
				  strerror(-r),
				  r == -EPERM ? " (racoon needs CAP_NET_ADMIN)" : "");
			close(fds[i]);
			continue;
		}
		r = add_socket(fds[i], &a, natt, true, false);
		if (r < 0) {
			close(fds[i]);
			return r;
		}
	}
	return net_socket_count() ? 0 : -EADDRNOTAVAIL;
}

int net_start(const struct net_config *cfg, const int *passed_fds, size_t n_passed,
	      net_receive_fn rx, void *userdata)
{
	N.cfg = *cfg;
	N.rx = rx;
	N.rx_data = userdata;
	N.rxbuf = malloc(NET_MAX_DATAGRAM);
	if (!N.rxbuf)
		return -ENOMEM;
	if (n_passed) {
		int r = adopt_passed(passed_fds, n_passed);
		if (r < 0)
			log_error("net", "none of the %zu sockets passed by systemd is usable", n_passed);
		return r;
	}
	if (cfg->n_listen) {
		size_t ok = 0;
		int last = -EADDRNOTAVAIL;
		for (size_t i = 0; i < cfg->n_listen; i++) {
			int r = open_one(&cfg->listen[i].addr, cfg->listen[i].natt, true);
			if (r == 0)
				ok++;
			else if (cfg->strict_address)
				return r;
			else
				last = r;
		}
		return ok ? 0 : last; /* the reason, when not one entry could be used */
	}
	return addrwatch_start(cfg->family);
}

int net_send(const union sockaddr_any *from, const union sockaddr_any *to, const void *data,
	     size_t len)
{
	struct ike_socket *wild = NULL;
	for (struct ike_socket *s = N.list; s; s = s->next) {
		if (s->local.sa.sa_family != to->sa.sa_family ||
		    addr_port(&s->local) != addr_port(from))
			continue;
		if (addr_equal(&s->local, from))
			return net_socket_send(s->fd, NULL, to, data, len);
		if (addr_is_any(&s->local) && !wild)
			wild = s;
	}
	if (wild)
		return net_socket_send(wild->fd, from, to, data, len);
	return -EADDRNOTAVAIL;
}

void net_stop(void)
{
	addrwatch_stop();
	while (N.list) {
		struct ike_socket *s = N.list;
		N.list = s->next;
		free_socket(s);
	}
	free(N.rxbuf);
	memset(&N, 0, sizeof(N));
}
