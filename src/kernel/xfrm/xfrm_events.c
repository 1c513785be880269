/* xfrm_events: the multicast socket for ACQUIRE, EXPIRE, POLICY and MAPPING messages.
 *
 * A large receive buffer absorbs bursts (thousands of SAs expiring together). When it
 * overflows anyway the kernel reports ENOBUFS: events were lost, among them possibly
 * an EXPIRE, so we resynchronise from a dump instead of hiding the loss with
 * NETLINK_NO_ENOBUFS.
 */
#include "kernel/xfrm/xfrm.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <systemd/sd-event.h>
#include <unistd.h>

#include "event/event.h"
#include "log/log.h"

#define EV_RCVBUF_DEFAULT (4 * 1024 * 1024)
#define EV_READS_PER_WAKEUP 256 /* then yield to the loop; it calls us again */

static const unsigned ev_groups[] = {
	XFRMNLGRP_ACQUIRE, XFRMNLGRP_EXPIRE, XFRMNLGRP_POLICY, XFRMNLGRP_MAPPING,
};

struct ev_ctx {
	struct xfrm *x;
	int delivered;
};

static int ev_msg(const struct nlmsghdr *nlh, void *data)
{
	struct ev_ctx *c = data;
	struct kernel_event ev;
	int r = xfrm_parse_event(nlh, &ev);
	if (r == -ENOENT)
		return MNL_CB_OK;
	if (r < 0) {
		log_warning("kernel", "ignoring a malformed XFRM event (type %u)", nlh->nlmsg_type);
		return MNL_CB_OK;
	}
	if (ev.type == KERNEL_EV_POLICY_ADDED || ev.type == KERNEL_EV_POLICY_DELETED ||
	    ev.type == KERNEL_EV_POLEXPIRE)
		ev.u.policy.by_us = nlh->nlmsg_pid == c->x->portid && nlh->nlmsg_pid != 0;
	kernel_emit(c->x->k, &ev);
	c->delivered++;
	return MNL_CB_OK;
}

int xfrm_events_read(struct xfrm *x)
{
	struct ev_ctx c = { x, 0 };
	if (x->ev_fd < 0)
		return -EBADF;
	for (int i = 0; i < EV_READS_PER_WAKEUP; i++) {
		ssize_t n = recv(x->ev_fd, x->ev_rx, XFRM_RX_SIZE, MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == ENOBUFS) {
			x->ev_lost++;
			/* Drain what is queued first: the dump then reflects the newest state. */
			continue;
		}
		if (n < 0 && errno != EAGAIN)
			return -errno;
		if (n <= 0)
			break;
		/* Events carry no sequence numbers: 0/0 skips libmnl's seq and portid checks. */
		if (mnl_cb_run(x->ev_rx, (size_t)n, 0, 0, ev_msg, &c) == MNL_CB_ERROR)
			log_warning("kernel", "a truncated XFRM event datagram was ignored");
	}
	if (x->ev_lost) {
		log_warning("kernel", "XFRM event socket overflowed (ENOBUFS): resynchronising");
		x->ev_lost = 0;
		kernel_resync(x->k);
	}
	return c.delivered;
}

static int on_event_io(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
	int r = xfrm_events_read(userdata);
	if (r < 0 && r != -EAGAIN)
		log_error("kernel", "XFRM event socket: %s", strerror(-r));
	return 0;
}

int xfrm_events_open(struct xfrm *x, const struct kernel_options *opt)
{
	x->ev_rx = malloc(XFRM_RX_SIZE);
	if (!x->ev_rx)
		return -ENOMEM;
	x->ev_fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_XFRM);
	if (x->ev_fd < 0)
		return errno == EPROTONOSUPPORT ? -EAFNOSUPPORT : -errno;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	if (bind(x->ev_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	for (size_t i = 0; i < sizeof(ev_groups) / sizeof(ev_groups[0]); i++)
		if (setsockopt(x->ev_fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &ev_groups[i],
			       sizeof(ev_groups[i])) < 0)
			return -errno;
	int size = opt->event_rcvbuf > 0 ? opt->event_rcvbuf : EV_RCVBUF_DEFAULT;
	/* FORCE passes rmem_max when we have CAP_NET_ADMIN; else take what we get. */
	if (setsockopt(x->ev_fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0 &&
	    setsockopt(x->ev_fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)) < 0)
		return -errno;
	int r = sd_event_add_io(event_loop(), &x->ev_source, x->ev_fd, EPOLLIN, on_event_io, x);
	if (r < 0)
		return r;
	sd_event_source_set_description(x->ev_source, "kernel-xfrm-events");
	return 0;
}

void xfrm_events_close(struct xfrm *x)
{
	x->ev_source = sd_event_source_disable_unref(x->ev_source);
	if (x->ev_fd >= 0)
		close(x->ev_fd);
	x->ev_fd = -1;
	free(x->ev_rx);
	x->ev_rx = NULL;
}
