/* proto: admin message framing (see proto.h for the layout). */
#include "admin/proto.h"

#include <errno.h>
#include <string.h>

void admin_hdr_put(uint8_t out[ADMIN_HDR_LEN], uint16_t magic, uint16_t flags, uint32_t len)
{
	out[0] = (uint8_t)(magic >> 8);
	out[1] = (uint8_t)magic;
	out[2] = 0;
	out[3] = ADMIN_PROTO_VERSION;
	out[4] = (uint8_t)(flags >> 8);
	out[5] = (uint8_t)flags;
	out[6] = out[7] = 0;
	for (int i = 0; i < 4; i++)
		out[8 + i] = (uint8_t)(len >> (24 - 8 * i));
}

int admin_hdr_parse(const uint8_t *p, size_t n, uint16_t magic, uint32_t max,
		    struct admin_hdr *h)
{
	if (n < ADMIN_HDR_LEN)
		return -EAGAIN;
	struct buf b = buf_view(p, ADMIN_HDR_LEN);
	uint16_t reserved;
	buf_get_u16(&b, &h->magic);
	buf_get_u16(&b, &h->version);
	buf_get_u16(&b, &h->flags);
	buf_get_u16(&b, &reserved);
	buf_get_u32(&b, &h->length);
	if (h->magic != magic || h->version != ADMIN_PROTO_VERSION)
		return -EPROTO;
	if (h->length > max)
		return -EMSGSIZE;
	return 0;
}

int admin_request_build(struct buf *out, int argc, char *const *argv)
{
	size_t len = 0;
	if (argc <= 0 || argc > ADMIN_MAX_ARGS)
		return -EINVAL;
	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	if (len > ADMIN_MAX_REQUEST)
		return -EMSGSIZE;
	uint8_t *h = buf_reserve(out, ADMIN_HDR_LEN);
	if (!h)
		return -ENOMEM;
	admin_hdr_put(h, ADMIN_MAGIC_REQUEST, 0, (uint32_t)len);
	for (int i = 0; i < argc; i++)
		if (!buf_put_bytes(out, argv[i], strlen(argv[i]) + 1))
			return -ENOMEM;
	return 0;
}

int admin_request_parse(const uint8_t *body, size_t len, const char *argv[ADMIN_MAX_ARGS])
{
	if (len == 0 || body[len - 1] != '\0')
		return -EINVAL;
	int argc = 0;
	size_t off = 0;
	while (off < len) {
		if (argc == ADMIN_MAX_ARGS)
			return -EINVAL;
		argv[argc++] = (const char *)body + off;
		off += strlen((const char *)body + off) + 1;
	}
	return argv[0][0] ? argc : -EINVAL;
}

int admin_reply_build(struct buf *out, uint16_t flags, int status, const void *text, size_t len)
{
	if (len > ADMIN_MAX_REPLY - 4)
		return -EMSGSIZE;
	uint8_t *h = buf_reserve(out, ADMIN_HDR_LEN);
	if (!h)
		return -ENOMEM;
	admin_hdr_put(h, ADMIN_MAGIC_REPLY, flags, (uint32_t)(len + 4));
	if (!buf_put_u32(out, (uint32_t)(status < 0 ? -status : status)) ||
	    !buf_put_bytes(out, text, len))
		return -ENOMEM;
	return 0;
}
