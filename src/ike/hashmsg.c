/* hashmsg: HASH-first messages (see hashmsg.h). */
#include "ike/hashmsg.h"

#include <errno.h>
#include <string.h>

#include "ike/sa.h"

bool ike_msg_hashed_rest(const struct isakmp_digest *d, const struct isakmp_payload **hash,
			 struct buf *rest)
{
	if (!d->npayloads || d->payloads[0].type != ISAKMP_PT_HASH ||
	    isakmp_count(d, ISAKMP_PT_HASH) != 1)
		return false;
	const struct isakmp_payload *h = &d->payloads[0];
	const uint8_t *start = h->raw + h->raw_len, *end = d->chain + d->chain_len;
	if (start > end)
		return false;
	*hash = h;
	*rest = buf_view(start, (size_t)(end - start));
	return true;
}

struct buf ike_msg_rest_after(const struct buf *out, size_t body_off, size_t n)
{
	return buf_view(out->ptr + body_off + n, out->len - body_off - n);
}

int ike_msg_begin_hashed(struct isakmp_builder *b, struct buf *out, const uint8_t ck[16],
			 uint8_t exchange, uint32_t msgid, size_t hash_len, size_t *hash_off)
{
	struct isakmp_hdr h = { .version = ISAKMP_VERSION, .exchange = exchange, .msgid = msgid };
	memcpy(h.icookie, ck, 8);
	memcpy(h.rcookie, ck + 8, 8);
	buf_free(out);
	if (buf_init(out, IKE_MAX_MSG) < 0)
		return -ENOMEM;
	isakmp_build_init(b, out, &h);
	return isakmp_build_reserve(b, ISAKMP_PT_HASH, hash_len, hash_off);
}
