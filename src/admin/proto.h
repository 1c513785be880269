/* proto: the admin socket's wire protocol, shared by racoon and racoonctl.
 *
 * A UNIX stream connection carries one request and its reply (show-event keeps the
 * connection and streams replies until the client closes it). Every message is a
 * 12-byte header in network byte order followed by a body:
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  magic "RA" (request) or "Ra" (reply)  |   version (1)        |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |            flags              |           reserved            |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                       body length (bytes)                     |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Request body: the command and its arguments as NUL-terminated strings (argv).
 * Reply body: a 4-byte status (0 or a positive errno value) then UTF-8 text or JSON.
 * Reply flags: MORE further replies follow on this connection (show-event); JSON the text
 * is JSON; USAGE the status is EINVAL because the arguments were wrong.
 */
#ifndef RACOON_ADMIN_PROTO_H
#define RACOON_ADMIN_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"

#define ADMIN_PROTO_VERSION 1
#define ADMIN_HDR_LEN 12
#define ADMIN_MAGIC_REQUEST 0x5241u /* "RA" */
#define ADMIN_MAGIC_REPLY 0x5261u   /* "Ra" */
#define ADMIN_FLAG_MORE 0x0001u
#define ADMIN_FLAG_JSON 0x0002u     /* reply body is JSON */
#define ADMIN_FLAG_USAGE 0x0004u    /* reply: the request's arguments were wrong */
#define ADMIN_MAX_REQUEST 8192u     /* body bytes */
#define ADMIN_MAX_ARGS 32
#define ADMIN_MAX_REPLY (4u * 1024u * 1024u)

struct admin_hdr {
	uint16_t magic;
	uint16_t version;
	uint16_t flags;
	uint32_t length;
};

/* Header codec. Parse: 0, -EAGAIN (fewer than 12 bytes), -EPROTO (bad magic or version),
 * -EMSGSIZE (body longer than max). */
void admin_hdr_put(uint8_t out[ADMIN_HDR_LEN], uint16_t magic, uint16_t flags, uint32_t len);
int admin_hdr_parse(const uint8_t *p, size_t n, uint16_t magic, uint32_t max,
		    struct admin_hdr *h);

/* Request: build from argv; parse a body into argv pointers (into body, which must stay
 * alive). Parse returns argc, or -EINVAL (empty, not NUL-terminated, too many args). */
int admin_request_build(struct buf *out, int argc, char *const *argv);
int admin_request_parse(const uint8_t *body, size_t len, const char *argv[ADMIN_MAX_ARGS]);

/* Reply: header + status + text. */
int admin_reply_build(struct buf *out, uint16_t flags, int status, const void *text, size_t len);

#endif
