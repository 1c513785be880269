/* net: the UDP sockets racoon speaks IKE on (ISAKMP port and NAT-T port).
 *
 * Sockets come from three sources, in this order of precedence: sockets passed by
 * systemd (LISTEN_FDS), addresses listed in `listen {}`, or one socket per local
 * address kept in step with the kernel's address list (rtnetlink). Replies leave from
 * the address and port the request reached.
 */
#ifndef RACOON_NET_NET_H
#define RACOON_NET_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/addr.h"

#define NET_MAX_DATAGRAM 65535

struct ike_socket {
	int fd;
	union sockaddr_any local; /* what the socket is bound to (may be a wildcard) */
	bool natt;                /* NAT-T port: UDP encapsulation, non-ESP marker */
	bool passed;              /* came from systemd; never closed on address loss */
	bool listed;              /* from listen {}: never closed on address loss */
	void *source;             /* sd_event_source */
	struct ike_socket *next;
};

struct net_listen_addr {
	union sockaddr_any addr; /* with port */
	bool natt;
};

struct net_config {
	uint16_t isakmp_port; /* -p, default 500 */
	uint16_t natt_port;   /* -P, default 4500; 0 = no NAT-T sockets */
	int family;           /* AF_UNSPEC (both), AF_INET (-4) or AF_INET6 (-6) */
	const struct net_listen_addr *listen; /* listen {} entries, or NULL */
	size_t n_listen;
	bool strict_address; /* every listed address must bind */
	bool bypass;         /* install the per-socket IPsec bypass policy */
	bool follow_addresses; /* track RTM_NEWADDR/DELADDR (no listen {}, no passed fds) */
};

/* A datagram: from the peer to one of our addresses (to has our port). For the NAT-T
 * socket the 4-byte non-ESP marker is still in data; keepalives are passed as well. */
typedef void (*net_receive_fn)(const struct ike_socket *s, const union sockaddr_any *from,
			       const union sockaddr_any *to, const uint8_t *data, size_t len,
			       void *userdata);

int net_start(const struct net_config *cfg, const int *passed_fds, size_t n_passed,
	      net_receive_fn rx, void *userdata);
void net_stop(void);

/* Send from one of our addresses (with port) to a peer. 0 or negative errno. */
int net_send(const union sockaddr_any *from, const union sockaddr_any *to, const void *data,
	     size_t len);

/* Address tracking (called by the rtnetlink watcher, and by tests). */
int net_address_added(const union sockaddr_any *a);
void net_address_removed(const union sockaddr_any *a);

struct ike_socket *net_sockets(void);
size_t net_socket_count(void);
/* For a passed fd: the port it is bound to, or negative errno. */
int net_socket_port(int fd);

/* Low level (socket.c). */
int net_socket_open(const union sockaddr_any *local, bool natt, bool bypass, int *fd_out);
int net_socket_prepare(int fd, int family, bool natt, bool bypass);
ssize_t net_socket_recv(int fd, uint8_t *buf, size_t len, union sockaddr_any *from,
			union sockaddr_any *to);
int net_socket_send(int fd, const union sockaddr_any *from, const union sockaddr_any *to,
		    const void *data, size_t len);

/* rtnetlink address watcher (addrwatch.c). */
int addrwatch_start(int family);
void addrwatch_stop(void);
/* Told after the sockets of an address that went away were closed (the daemon removes
 * the SAs on it). NULL: nobody. */
typedef void (*net_address_gone_fn)(const union sockaddr_any *a, void *userdata);
void addrwatch_set_gone_hook(net_address_gone_fn fn, void *userdata);

#endif
