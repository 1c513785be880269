/* pfkey_events: the registered PF_KEY socket (ACQUIRE, EXPIRE, NAT-T mappings, SPD
 * changes).
 *
 * Linux sends ACQUIRE, EXPIRE and NEW_MAPPING only to sockets that sent SADB_REGISTER,
 * and answers the REGISTER with the algorithms it can install, which narrows the
 * capability table. One REGISTER (ESP) is enough to receive events of every SA type;
 * each REGISTER makes the kernel probe every algorithm (module requests), so we send
 * only one.
 *
 * Lost events: when the receive queue is full Linux drops PF_KEY messages silently (no
 * ENOBUFS as with netlink), so a large receive buffer is all we can do; a lost EXPIRE is
 * noticed at the next kernel_flush_own() or by the SA's owner timer.
 */
#include "kernel/pfkey/pfkey.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <systemd/sd-event.h>
#include <unistd.h>

#include "event/event.h"
#include "log/log.h"

#define EV_RCVBUF_DEFAULT (4 * 1024 * 1024)
#define EV_READS_PER_WAKEUP 256 /* then yield to the loop; it calls us again */

static void deliver(struct pfkey *p, const struct pfkey_msg *m)
{
	struct kernel_event ev;
	uint32_t index = 0;
	int r = pfkey_parse_event(m, p->pid, &ev, &index);
	if (r == -ENOENT)
		return;
	if (r < 0) {
		log_warning("kernel", "ignoring a malformed PF_KEY event (type %u)",
			    m->hdr.sadb_msg_type);
		return;
	}
	if (ev.type == KERNEL_EV_ACQUIRE) {
		/* The ACQUIRE names its policy by index only: ask for the rest. */
		struct kernel_policy pol;
		if (pfkey_policy_by_index(p, index, &pol) == 0)
			pfkey_acquire_set_policy(&ev, &pol);
		else
			log_info("kernel", "ACQUIRE %u: policy %u not readable", ev.u.acquire.seq, index);
	}
	kernel_emit(p->k, &ev);
}

int pfkey_events_read(struct pfkey *p)
{
	int delivered = 0;
	if (p->ev_fd < 0)
		return -EBADF;
	for (int i = 0; i < EV_READS_PER_WAKEUP; i++) {
		ssize_t n = recv(p->ev_fd, p->ev_rx, PFKEY_RX_SIZE, MSG_DONTWAIT | MSG_TRUNC);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == EAGAIN ? delivered : -errno;
		struct pfkey_msg m;
		if (n > PFKEY_RX_SIZE || pfkey_msg_parse(p->ev_rx, (size_t)n, &m) < 0) {
			log_warning("kernel", "ignoring a malformed PF_KEY message (%zd bytes)", n);
			continue;
		}
		deliver(p, &m);
		delivered++;
	}
	return delivered;
}

static int on_event_io(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
	int r = pfkey_events_read(userdata);
	if (r < 0)
		log_error("kernel", "PF_KEY event socket: %s", strerror(-r));
	return 0;
}

/* SADB_REGISTER for ESP and its answer (the supported algorithms). Bounded wait. */
static int do_register(struct pfkey *p)
{
	struct buf b;
	buf_init(&b, PFKEY_REQ_MAX);
	uint32_t seq = pfkey_next_seq();
	int r = pfkey_build_simple(&b, SADB_REGISTER, SADB_SATYPE_ESP, seq, p->pid);
	if (r >= 0 && send(p->ev_fd, b.ptr, b.len, 0) < 0)
		r = -errno;
	buf_free(&b);
	if (r < 0)
		return r;
	for (int i = 0; i < 1000; i++) {
		struct pollfd pfd = { .fd = p->ev_fd, .events = POLLIN };
		if (poll(&pfd, 1, 10000) <= 0)
			return -ETIMEDOUT;
		ssize_t n = recv(p->ev_fd, p->ev_rx, PFKEY_RX_SIZE, MSG_DONTWAIT | MSG_TRUNC);
		struct pfkey_msg m;
		if (n < 0 || n > PFKEY_RX_SIZE || pfkey_msg_parse(p->ev_rx, (size_t)n, &m) < 0)
			continue;
		if (m.hdr.sadb_msg_type != SADB_REGISTER || m.hdr.sadb_msg_pid != p->pid ||
		    m.hdr.sadb_msg_seq != seq)
			continue; /* an event already, or someone else's REGISTER answer */
		if (m.hdr.sadb_msg_errno)
			return -m.hdr.sadb_msg_errno;
		if (pfkey_caps_refine(&m) < 0)
			log_warning("kernel", "PF_KEY REGISTER answer unreadable: static capabilities");
		return 0;
	}
	return -ETIMEDOUT;
}

int pfkey_events_open(struct pfkey *p, const struct kernel_options *opt)
{
	p->ev_rx = malloc(PFKEY_RX_SIZE);
	if (!p->ev_rx)
		return -ENOMEM;
	p->ev_fd = pfkey_socket(true);
	if (p->ev_fd < 0)
		return p->ev_fd;
	int size = opt->event_rcvbuf > 0 ? opt->event_rcvbuf : EV_RCVBUF_DEFAULT;
	/* FORCE passes rmem_max when we have CAP_NET_ADMIN; else take what we get. */
	if (setsockopt(p->ev_fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0 &&
	    setsockopt(p->ev_fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)) < 0)
		return -errno;
	int r = do_register(p);
	if (r < 0)
		return r;
	r = sd_event_add_io(event_loop(), &p->ev_source, p->ev_fd, EPOLLIN, on_event_io, p);
	if (r < 0)
		return r;
	sd_event_source_set_description(p->ev_source, "kernel-pfkey-events");
	return 0;
}

void pfkey_events_close(struct pfkey *p)
{
	p->ev_source = sd_event_source_disable_unref(p->ev_source);
	if (p->ev_fd >= 0)
		close(p->ev_fd);
	p->ev_fd = -1;
	free(p->ev_rx);
	p->ev_rx = NULL;
}
