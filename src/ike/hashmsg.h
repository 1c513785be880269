/* hashmsg: messages protected by a HASH payload that covers what follows it (Quick Mode
 * HASH(1)/HASH(2), informational HASH(1), RFC 2409 5.5 and 5.7). */
#ifndef RACOON_IKE_HASHMSG_H
#define RACOON_IKE_HASHMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "isakmp/build.h"
#include "isakmp/digest.h"

/* The HASH payload (which must come first) and a view of the bytes after it through the
 * last payload (padding excluded). false when the message is not shaped like that. */
bool ike_msg_hashed_rest(const struct isakmp_digest *d, const struct isakmp_payload **hash,
			 struct buf *rest);
/* Builder side: after isakmp_build_finish, the bytes after a HASH payload reserved at
 * body_off with n bytes. */
struct buf ike_msg_rest_after(const struct buf *out, size_t body_off, size_t n);
/* Start an ISAKMP message with a reserved HASH payload. */
int ike_msg_begin_hashed(struct isakmp_builder *b, struct buf *out, const uint8_t ck[16],
			 uint8_t exchange, uint32_t msgid, size_t hash_len, size_t *hash_off);

#endif
