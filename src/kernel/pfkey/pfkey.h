/* pfkey: the PF_KEY v2 backend (RFC 2367 with the Linux extensions); internal header.
 *
 * pfkey_msg.c frames and checks messages (header, extension lengths, 8-byte units,
 * duplicates, address sizes) and writes extensions; pfkey_build.c turns kernel.h
 * structs into requests; pfkey_parse.c turns kernel messages back into kernel.h
 * structs and events; pfkey_algs.c maps algorithm numbers and owns the capability
 * table; pfkey.c owns the request socket and the ops table; pfkey_events.c the
 * registered event socket. Builders and parsers are pure so unit tests run them
 * against byte fixtures of real kernel messages.
 *
 * Byte order: PF_KEY fields are host order except SPIs, ports and addresses.
 */
#ifndef RACOON_KERNEL_PFKEY_PFKEY_H
#define RACOON_KERNEL_PFKEY_PFKEY_H

#include <linux/pfkeyv2.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "kernel/kernel.h"

/* Requests: header + a few extensions + two keys of at most 512 bytes each. */
#define PFKEY_REQ_MAX 4096
/* Received messages; sadb_msg_len is 16 bits of 8-byte units, Linux sends far less. */
#define PFKEY_RX_SIZE 65536
/* Linux keeps reqids of "unique" templates only up to this; larger ones are replaced. */
#define PFKEY_REQID_MAX 0x3fff
/* Linux clamps sadb_sa_replay to the 32-bit bitmap of the legacy replay state. */
#define PFKEY_REPLAY_MAX 32

/* ---- Messages (pfkey_msg.c) ---------------------------------------------------------- */

/* A checked message: a copy of the header and a view of each known extension (the
 * whole extension, its own header included; len 0 when absent). */
struct pfkey_msg {
	struct sadb_msg hdr;
	struct buf ext[SADB_EXT_MAX + 1];
};

/* 0, or -EBADMSG when the framing is wrong anywhere (the message is then unusable). */
int pfkey_msg_parse(const void *data, size_t len, struct pfkey_msg *m);
static inline bool pfkey_has(const struct pfkey_msg *m, unsigned type)
{
	return type <= SADB_EXT_MAX && m->ext[type].len > 0;
}
/* Copy the fixed part of an extension (size bytes); false when absent. */
bool pfkey_ext_fixed(const struct pfkey_msg *m, unsigned type, void *out, size_t size);
/* An address extension: the address (with port) and its prefix length and protocol. */
int pfkey_ext_address(const struct pfkey_msg *m, unsigned type, union sockaddr_any *a,
		      uint8_t *plen, uint8_t *proto);
/* A key extension: a view of the key bytes (inside the message). */
int pfkey_ext_key(const struct pfkey_msg *m, unsigned type, const uint8_t **key, size_t *len);
/* Bytes of a sockaddr of this family inside PF_KEY messages (16/28), 0 if unknown. */
size_t pfkey_sockaddr_len(int family);

/* Writers: append to an owned buf; the sticky error flag reports overflow. */
void pfkey_put_hdr(struct buf *b, uint8_t type, uint8_t satype, uint32_t seq, uint32_t pid);
void pfkey_put_sa(struct buf *b, uint32_t spi, uint8_t replay, uint8_t auth, uint8_t enc);
void pfkey_put_address(struct buf *b, uint16_t type, const union sockaddr_any *a, uint8_t plen,
		       uint8_t proto, uint16_t port);
void pfkey_put_key(struct buf *b, uint16_t type, const uint8_t *key, size_t len);
void pfkey_put_lifetime(struct buf *b, uint16_t type, const struct kernel_lifetime *l);
void pfkey_put_sa2(struct buf *b, uint8_t mode, uint32_t reqid);
void pfkey_put_spirange(struct buf *b, uint32_t min, uint32_t max);
void pfkey_put_nat_t(struct buf *b, const struct kernel_encap *e);
/* Writes a sockaddr (no extension header) padded to its PF_KEY length. */
void pfkey_put_sockaddr(struct buf *b, const union sockaddr_any *a, uint16_t port);
/* Patch sadb_msg_len; 0 or -EMSGSIZE (overflow or not a multiple of 8). */
int pfkey_finish(struct buf *b);

/* ---- Algorithms and capabilities (pfkey_algs.c) -------------------------------------- */

int pfkey_auth_to_sadb(enum kernel_auth a); /* -1 when PF_KEY cannot install it */
int pfkey_enc_to_sadb(enum kernel_enc e);
int pfkey_comp_to_sadb(enum kernel_comp c);
int pfkey_auth_from_sadb(uint8_t id); /* -1 when unknown */
int pfkey_enc_from_sadb(uint8_t id);
int pfkey_comp_from_sadb(uint8_t id);
/* The ICV Linux installs over PF_KEY (icv_truncbits of xfrm_algo.c); 0 if none. */
unsigned pfkey_auth_icv_bits(enum kernel_auth a);
uint8_t pfkey_satype(enum kernel_proto p);
int pfkey_proto_from_satype(uint8_t satype); /* -1 when not ESP/AH/IPComp */

/* What Linux af_key can install; the table in use (ops->caps) starts equal to it and
 * is narrowed by the last REGISTER reply (one per process, like the kernel). */
extern const struct kernel_caps pfkey_caps_static;
extern struct kernel_caps pfkey_caps_live;
/* Narrow the table to what an SADB_REGISTER reply lists (key sizes too). 0/-EBADMSG. */
int pfkey_caps_refine(const struct pfkey_msg *reply);
void pfkey_caps_reset(void);

/* ---- Requests (pfkey_build.c): complete messages into an owned buf -------------------- */

int pfkey_build_sa(struct buf *b, uint32_t seq, uint32_t pid, const struct kernel_sa *sa,
		   bool update);
int pfkey_build_sa_id(struct buf *b, uint8_t type, uint32_t seq, uint32_t pid,
		      const struct kernel_sa_id *id);
int pfkey_build_getspi(struct buf *b, uint32_t seq, uint32_t pid, const struct kernel_spi_req *r);
int pfkey_build_policy(struct buf *b, uint32_t seq, uint32_t pid, const struct kernel_policy *p,
		       bool update);
int pfkey_build_policy_delete(struct buf *b, uint32_t seq, uint32_t pid,
			      const struct kernel_policy *p);
int pfkey_build_spdget(struct buf *b, uint32_t seq, uint32_t pid, uint32_t index);
/* DUMP, FLUSH, X_SPDDUMP, X_SPDFLUSH, REGISTER: a bare header. */
int pfkey_build_simple(struct buf *b, uint8_t type, uint8_t satype, uint32_t seq, uint32_t pid);

/* ---- Kernel messages (pfkey_parse.c) ------------------------------------------------- */

struct pfkey_sa_parsed {
	struct kernel_sa sa; /* keys point into the message */
	struct kernel_sa_stats stats;
	uint8_t state;       /* SADB_SASTATE_* */
};
int pfkey_parse_sa(const struct pfkey_msg *m, struct pfkey_sa_parsed *out);
/* A policy (X_SPDDUMP, X_SPDGET, X_SPDADD ... replies). -ENOENT for per-socket ones. */
int pfkey_parse_policy(const struct pfkey_msg *m, struct kernel_policy *out);
/* Events. An ACQUIRE names its policy only by index (*policy_index): the caller fills
 * ev->u.acquire.policy from X_SPDGET. -ENOENT for types that are not events. */
int pfkey_parse_event(const struct pfkey_msg *m, uint32_t our_pid, struct kernel_event *ev,
		      uint32_t *policy_index);
/* Fill the ACQUIRE's policy and matching template from the policy that asked. */
void pfkey_acquire_set_policy(struct kernel_event *ev, const struct kernel_policy *p);

/* ---- The backend instance (pfkey.c, pfkey_events.c) ---------------------------------- */

struct sd_event_source;
struct pfkey {
	struct kernel *k;
	int fd;                 /* requests (never registered: no ACQUIREs queue up here) */
	uint32_t pid;           /* sadb_msg_pid of our requests */
	uint8_t *rx;            /* PFKEY_RX_SIZE, malloc'ed (8-aligned) */
	int ev_fd;              /* registered socket for ACQUIRE/EXPIRE/..., -1 if none */
	uint8_t *ev_rx;
	struct sd_event_source *ev_source;
};

uint32_t pfkey_next_seq(void);
/* Open an AF_KEY socket: fd or negative errno (-EAFNOSUPPORT without CONFIG_NET_KEY). */
int pfkey_socket(bool nonblock);
int pfkey_policy_by_index(struct pfkey *p, uint32_t index, struct kernel_policy *out);
int pfkey_events_open(struct pfkey *p, const struct kernel_options *opt);
void pfkey_events_close(struct pfkey *p);
/* Read and deliver what is queued on the event socket; events delivered or -errno. */
int pfkey_events_read(struct pfkey *p);

extern const struct kernel_ops kernel_pfkey_ops;

#endif
