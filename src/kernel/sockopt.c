/* sockopt: per-socket IPsec settings of IKE sockets (the same for every backend). */
#include "kernel/kernel.h"

#include <errno.h>
#include <linux/ipsec.h>
#include <linux/udp.h>
#include <linux/xfrm.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#ifndef UDP_ENCAP_ESPINUDP
#define UDP_ENCAP_ESPINUDP 2
#endif

/* A per-socket "allow" policy in each direction outranks every SPD entry, so IKE is
 * never caught by the policies it negotiates (nor by a `require` for 0.0.0.0/0). */
int kernel_socket_bypass(int fd, int family)
{
	if (family != AF_INET && family != AF_INET6)
		return -EAFNOSUPPORT;
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

int kernel_socket_udp_encap(int fd)
{
	int encap = UDP_ENCAP_ESPINUDP;
	if (setsockopt(fd, IPPROTO_UDP, UDP_ENCAP, &encap, sizeof(encap)) < 0)
		return -errno;
	return 0;
}
