/* addrwatch: follow the kernel's local addresses (rtnetlink) and open/close IKE sockets. */
#include "net/net.h"

#include <errno.h>
#include <stdlib.h>
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <time.h>

#include "event/event.h"
#include "log/log.h"

static struct {
	struct mnl_socket *events;
	sd_event_source *src;
	int family;
	net_address_gone_fn gone; /* survives addrwatch_stop: set once by the daemon */
	void *gone_ud;
} W;

void addrwatch_set_gone_hook(net_address_gone_fn fn, void *userdata)
{
	W.gone = fn;
	W.gone_ud = userdata;
}

struct addr_attrs {
	const struct nlattr *local, *address;
	uint32_t flags;
};

static int attr_cb(const struct nlattr *a, void *data)
{
	struct addr_attrs *t = data;
	switch (mnl_attr_get_type(a)) {
	case IFA_LOCAL:
		if (mnl_attr_validate(a, MNL_TYPE_BINARY) >= 0)
			t->local = a;
		break;
	case IFA_ADDRESS:
		if (mnl_attr_validate(a, MNL_TYPE_BINARY) >= 0)
			t->address = a;
		break;
	case IFA_FLAGS:
		if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			t->flags = mnl_attr_get_u32(a);
		break;
	}
	return MNL_CB_OK;
}

/* One RTM_NEWADDR/RTM_DELADDR message -> address; false when it is not usable. */
static bool msg_to_addr(const struct nlmsghdr *nlh, union sockaddr_any *out, uint32_t *flags)
{
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	struct addr_attrs t = { 0 };
	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*ifa)))
		return false;
	t.flags = ifa->ifa_flags;
	mnl_attr_parse(nlh, sizeof(*ifa), attr_cb, &t);
	const struct nlattr *a = ifa->ifa_family == AF_INET && t.local ? t.local : t.address;
	memset(out, 0, sizeof(*out));
	if (!a)
		return false;
	if (ifa->ifa_family == AF_INET && mnl_attr_get_payload_len(a) == 4) {
		out->sin.sin_family = AF_INET;
		memcpy(&out->sin.sin_addr, mnl_attr_get_payload(a), 4);
	} else if (ifa->ifa_family == AF_INET6 && mnl_attr_get_payload_len(a) == 16) {
		out->sin6.sin6_family = AF_INET6;
		memcpy(&out->sin6.sin6_addr, mnl_attr_get_payload(a), 16);
		if (IN6_IS_ADDR_LINKLOCAL(&out->sin6.sin6_addr))
			out->sin6.sin6_scope_id = ifa->ifa_index;
	} else {
		return false;
	}
	*flags = t.flags;
	return true;
}

/* Addresses a resync dump reported (bounded: beyond the cap an address is kept, never
 * wrongly dropped). */
#define RESYNC_MAX 256
struct seen {
	union sockaddr_any a[RESYNC_MAX];
	size_t n;
	bool overflow;
};

static bool seen_has(const struct seen *v, const union sockaddr_any *a)
{
	for (size_t i = 0; i < v->n; i++)
		if (addr_equal(&v->a[i], a))
			return true;
	return false;
}

static void seen_add(struct seen *v, const union sockaddr_any *a)
{
	if (seen_has(v, a))
		return;
	if (v->n < RESYNC_MAX)
		v->a[v->n++] = *a;
	else
		v->overflow = true;
}

static void address_gone(const union sockaddr_any *a)
{
	net_address_removed(a);
	if (W.gone)
		W.gone(a, W.gone_ud);
}

static int msg_cb(const struct nlmsghdr *nlh, void *data)
{
	struct seen *seen = data;
	union sockaddr_any a;
	uint32_t flags;
	if (nlh->nlmsg_type != RTM_NEWADDR && nlh->nlmsg_type != RTM_DELADDR)
		return MNL_CB_OK;
	if (!msg_to_addr(nlh, &a, &flags))
		return MNL_CB_OK;
	if (W.family != AF_UNSPEC && a.sa.sa_family != W.family)
		return MNL_CB_OK;
	if (nlh->nlmsg_type == RTM_DELADDR || (flags & IFA_F_DADFAILED)) {
		address_gone(&a);
		return MNL_CB_OK;
	}
	if (seen)
		seen_add(seen, &a);
	if (!(flags & IFA_F_TENTATIVE)) /* a tentative address is announced again after DAD */
		net_address_added(&a);
	return MNL_CB_OK;
}

/* Dump the current addresses on a separate socket (events keep arriving on W.events). */
static int dump_addresses(struct seen *seen)
{
	struct mnl_socket *nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!nl)
		return -errno;
	int r = -EIO;
	uint8_t buf[MNL_SOCKET_BUFFER_SIZE];
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		r = -errno;
		goto out;
	}
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = (uint32_t)time(NULL);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)W.family;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		r = -errno;
		goto out;
	}
	unsigned portid = mnl_socket_get_portid(nl);
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0) {
			r = -errno;
			break;
		}
		r = mnl_cb_run(buf, (size_t)n, nlh->nlmsg_seq, portid, msg_cb, seen);
		if (r <= MNL_CB_STOP) {
			r = r < 0 ? -errno : 0;
			break;
		}
	}
out:
	mnl_socket_close(nl);
	return r;
}

/* After lost events: the queued ones are stale (an add whose del was lost would leave a
 * socket on a vanished address), so drop them, re-read the list, and treat every address
 * we follow that the kernel no longer lists as removed. */
static void resync(int fd)
{
	uint8_t buf[MNL_SOCKET_BUFFER_SIZE];
	for (int i = 0; i < 4096 && recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0; i++)
		;
	struct seen *seen = calloc(1, sizeof(*seen));
	if (!seen || dump_addresses(seen) < 0 || seen->overflow) {
		log_warning("net", "address list not re-read completely: no address dropped");
		free(seen);
		return;
	}
	union sockaddr_any gone[RESYNC_MAX];
	size_t n = 0;
	for (const struct ike_socket *s = net_sockets(); s && n < RESYNC_MAX; s = s->next) {
		if (s->passed || s->listed || seen_has(seen, &s->local))
			continue;
		union sockaddr_any a = s->local;
		addr_set_port(&a, 0);
		bool dup = false;
		for (size_t i = 0; i < n; i++)
			dup = dup || addr_equal(&gone[i], &a);
		if (!dup)
			gone[n++] = a;
	}
	free(seen);
	for (size_t i = 0; i < n; i++)
		address_gone(&gone[i]);
}

static int on_event(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
	uint8_t buf[MNL_SOCKET_BUFFER_SIZE];
	for (int i = 0; i < 64; i++) {
		ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0 && errno == ENOBUFS) {
			log_warning("net", "address events lost: re-reading the address list");
			resync(fd);
			continue;
		}
		if (n <= 0)
			break;
		mnl_cb_run(buf, (size_t)n, 0, 0, msg_cb, NULL);
	}
	return 0;
}

int addrwatch_start(int family)
{
	W.family = family;
	W.events = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (!W.events)
		return -errno;
	unsigned groups = 0;
	if (family != AF_INET6)
		groups |= RTMGRP_IPV4_IFADDR;
	if (family != AF_INET)
		groups |= RTMGRP_IPV6_IFADDR;
	int r;
	if (mnl_socket_bind(W.events, groups, MNL_SOCKET_AUTOPID) < 0) {
		r = -errno;
		goto fail;
	}
	r = sd_event_add_io(event_loop(), &W.src, mnl_socket_get_fd(W.events), EPOLLIN, on_event,
			    NULL);
	if (r < 0)
		goto fail;
	r = dump_addresses(NULL);
	if (r < 0)
		goto fail;
	if (!net_socket_count())
		log_warning("net", "no local address usable yet: waiting for one");
	return 0;
fail:
	addrwatch_stop();
	return r;
}

void addrwatch_stop(void)
{
	W.src = sd_event_source_disable_unref(W.src);
	if (W.events)
		mnl_socket_close(W.events);
	W.events = NULL;
}
