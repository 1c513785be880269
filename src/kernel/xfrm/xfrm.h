/* xfrm: the XFRM netlink backend (internal header; users see only kernel.h).
 *
 * Message building (xfrm_build.c) and parsing (xfrm_parse.c) are pure functions over
 * byte buffers so unit tests run them against recorded kernel messages; xfrm.c owns the
 * request socket and the ops table; xfrm_events.c the multicast event socket.
 */
#ifndef RACOON_KERNEL_XFRM_XFRM_H
#define RACOON_KERNEL_XFRM_XFRM_H

#include <linux/netlink.h>
#include <linux/xfrm.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/kernel.h"

/* Requests fit in one page plus keys; kernel messages are read into a 64 KiB buffer. */
#define XFRM_REQ_SIZE 4096
#define XFRM_RX_SIZE 65536

/* Kernel crypto names for our algorithms; NULL when XFRM has none. */
const char *xfrm_enc_name(enum kernel_enc e);
const char *xfrm_auth_name(enum kernel_auth a);
const char *xfrm_comp_name(enum kernel_comp c);
/* Reverse lookups for dumps: -1 when unknown. aead ICV bits pick the GCM variant. */
int xfrm_enc_from_name(const char *name, unsigned aead_icv_bits);
int xfrm_auth_from_name(const char *name);
int xfrm_comp_from_name(const char *name);

/* Builders: write one complete netlink message into buf (size XFRM_REQ_SIZE at least)
 * and return its length, or negative errno. seq goes into nlmsg_seq. */
int xfrm_build_sa(void *buf, size_t size, uint32_t seq, const struct kernel_sa *sa, bool update);
int xfrm_build_sa_id(void *buf, size_t size, uint32_t seq, uint16_t type,
		     const struct kernel_sa_id *id);
int xfrm_build_allocspi(void *buf, size_t size, uint32_t seq, const struct kernel_spi_req *req);
int xfrm_build_policy(void *buf, size_t size, uint32_t seq, const struct kernel_policy *p,
		      bool update);
int xfrm_build_policy_id(void *buf, size_t size, uint32_t seq, uint16_t type,
			 const struct kernel_policy *p);
int xfrm_build_dump(void *buf, size_t size, uint32_t seq, uint16_t type);
int xfrm_build_flush_sa(void *buf, size_t size, uint32_t seq, int proto);
int xfrm_build_flush_policy(void *buf, size_t size, uint32_t seq);

/* Parsers: a whole netlink message (header included) as received. 0 or -EBADMSG.
 * A parsed SA's keys point into the message. */
struct xfrm_sa_parsed {
	struct kernel_sa sa;
	struct kernel_sa_stats stats;
	struct kernel_selector sel;
};
int xfrm_parse_sa(const struct nlmsghdr *nlh, struct xfrm_sa_parsed *out);
int xfrm_parse_policy(const struct nlmsghdr *nlh, struct kernel_policy *out);
/* Any multicast event message -> kernel_event. -EBADMSG, or -ENOENT for types we
 * do not report (then *ev is untouched). */
int xfrm_parse_event(const struct nlmsghdr *nlh, struct kernel_event *ev);

/* Conversions shared by builder and parser. */
void xfrm_addr_to(xfrm_address_t *x, const union sockaddr_any *a);
void xfrm_addr_from(union sockaddr_any *a, const xfrm_address_t *x, uint16_t family);

/* The backend instance (xfrm.c: requests, xfrm_events.c: events). */
struct mnl_socket;
struct sd_event_source;
struct xfrm {
	struct kernel *k;
	struct mnl_socket *nl;       /* requests */
	uint32_t portid;             /* of nl: tells our own SPD changes from others' */
	uint32_t seq;
	uint8_t *rx;                 /* XFRM_RX_SIZE, malloc'ed so it is 8-aligned */
	int ev_fd;                   /* multicast events, -1 when not opened */
	uint8_t *ev_rx;
	struct sd_event_source *ev_source;
	uint64_t ev_lost;            /* ENOBUFS seen */
};

int xfrm_events_open(struct xfrm *x, const struct kernel_options *opt);
void xfrm_events_close(struct xfrm *x);
/* Read and dispatch what is pending on the event socket (the sd-event handler calls
 * this too). Returns the number of events delivered, or negative errno; after ENOBUFS
 * it has already resynchronised (kernel_resync) and returns the events read so far. */
int xfrm_events_read(struct xfrm *x);

#endif
