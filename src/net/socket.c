/* socket: open an IKE UDP socket, set its options, receive and send with the local address. */
#include "net/net.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/ipsec.h>
#include <linux/udp.h>
#include <linux/xfrm.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log/log.h"

#ifndef UDP_ENCAP_ESPINUDP
#define UDP_ENCAP_ESPINUDP 2
#endif

/* IKE traffic must never be caught by the IPsec policies it negotiates: a per-socket
 * "allow" policy in both directions takes precedence over the SPD. */
static int set_bypass(int fd, int family)
{
	int level = family == AF_INET ? IPPROTO_IP : IPPROTO_IPV6;
	int opt = family == AF_INET ? IP_XFRM_POLICY : IPV6_XFRM_POLICY;
	for (int dir = XFRM_POLICY_IN; dir <= XFRM_POLICY_OUT; dir++) {
		struct xfrm_userpolicy_info p;
		memset(&p, 0, sizeof(p));
		p.sel.family = (uint16_t)family;
		p.dir = (uint8_t)dir;
		p.action = XFRM_POLICY_ALLOW;
		p.share = XFRM_SHARE_ANY;
		p.lft.soft_byte_limit = p.lft.hard_byte_limit = XFRM_INF;
		p.lft.soft_packet_limit = p.lft.hard_packet_limit = XFRM_INF;
		if (setsockopt(fd, level, opt, &p, sizeof(p)) < 0)
			return -errno;
	}
	return 0;
}

int net_socket_prepare(int fd, int family, bool natt, bool bypass)
{
	int on = 1;
	if (family == AF_INET) {
		if (setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &on, sizeof(on)) < 0)
			return -errno;
	} else {
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof(on)) < 0)
			return -errno;
	}
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return -errno;
	if (bypass) {
		int r = set_bypass(fd, family);
		if (r < 0)
			return r;
	}
	if (natt) {
		int encap = UDP_ENCAP_ESPINUDP;
		if (setsockopt(fd, IPPROTO_UDP, UDP_ENCAP, &encap, sizeof(encap)) < 0)
			return -errno;
	}
	return 0;
}

int net_socket_open(const union sockaddr_any *local, bool natt, bool bypass, int *fd_out)
{
	int family = local->sa.sa_family;
	int fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP);
	if (fd < 0)
		return -errno;
	int on = 1, r;
	if (family == AF_INET6 &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on)) < 0)
		goto fail_errno;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) < 0)
		goto fail_errno;
	/* An address still in DAD or just removed is not bindable yet: allow it. */
	if (family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_FREEBIND, &on, sizeof(on));
	else
		setsockopt(fd, IPPROTO_IP, IP_FREEBIND, &on, sizeof(on));
	if (bind(fd, &local->sa, addr_len(local)) < 0)
		goto fail_errno;
	r = net_socket_prepare(fd, family, natt, bypass);
	if (r < 0) {
		close(fd);
		return r;
	}
	*fd_out = fd;
	return 0;
fail_errno:
	r = -errno;
	close(fd);
	return r;
}

ssize_t net_socket_recv(int fd, uint8_t *buf, size_t len, union sockaddr_any *from,
			union sockaddr_any *to)
{
	struct iovec iov = { buf, len };
	union {
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
		struct cmsghdr align;
	} cbuf;
	struct msghdr msg = {
		.msg_name = from, .msg_namelen = sizeof(*from),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf.buf, .msg_controllen = sizeof(cbuf.buf),
	};
	memset(from, 0, sizeof(*from));
	ssize_t n = recvmsg(fd, &msg, MSG_DONTWAIT | MSG_TRUNC);
	if (n < 0)
		return -errno;
	if ((size_t)n > len || (msg.msg_flags & MSG_TRUNC))
		return -EMSGSIZE;
	/* Our side: the socket's address, refined by the packet's destination. */
	socklen_t sl = sizeof(*to);
	if (getsockname(fd, &to->sa, &sl) < 0)
		return -errno;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO &&
		    to->sa.sa_family == AF_INET) {
			struct in_pktinfo pi;
			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			to->sin.sin_addr = pi.ipi_addr;
		} else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO &&
			   to->sa.sa_family == AF_INET6) {
			struct in6_pktinfo pi;
			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			to->sin6.sin6_addr = pi.ipi6_addr;
			if (IN6_IS_ADDR_LINKLOCAL(&pi.ipi6_addr))
				to->sin6.sin6_scope_id = pi.ipi6_ifindex;
		}
	}
	return n;
}

int net_socket_send(int fd, const union sockaddr_any *from, const union sockaddr_any *to,
		    const void *data, size_t len)
{
	struct iovec iov = { (void *)data, len };
	union {
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
		struct cmsghdr align;
	} cbuf;
	struct msghdr msg = {
		.msg_name = (void *)&to->sa, .msg_namelen = addr_len(to),
		.msg_iov = &iov, .msg_iovlen = 1,
	};
	memset(&cbuf, 0, sizeof(cbuf));
	/* On a wildcard socket, choose the source address explicitly. */
	if (from && !addr_is_any(from)) {
		struct cmsghdr *c;
		msg.msg_control = cbuf.buf;
		if (from->sa.sa_family == AF_INET) {
			struct in_pktinfo pi = { .ipi_spec_dst = from->sin.sin_addr };
			msg.msg_controllen = CMSG_SPACE(sizeof(pi));
			c = CMSG_FIRSTHDR(&msg);
			c->cmsg_level = IPPROTO_IP;
			c->cmsg_type = IP_PKTINFO;
			c->cmsg_len = CMSG_LEN(sizeof(pi));
			memcpy(CMSG_DATA(c), &pi, sizeof(pi));
		} else {
			struct in6_pktinfo pi = { .ipi6_addr = from->sin6.sin6_addr,
						  .ipi6_ifindex = from->sin6.sin6_scope_id };
			msg.msg_controllen = CMSG_SPACE(sizeof(pi));
			c = CMSG_FIRSTHDR(&msg);
			c->cmsg_level = IPPROTO_IPV6;
			c->cmsg_type = IPV6_PKTINFO;
			c->cmsg_len = CMSG_LEN(sizeof(pi));
			memcpy(CMSG_DATA(c), &pi, sizeof(pi));
		}
	}
	ssize_t n = sendmsg(fd, &msg, MSG_DONTWAIT);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EMSGSIZE;
}
