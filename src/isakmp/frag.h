/* frag: split a message into IKE fragments (payload 132, the Cisco/Microsoft scheme racoon
 * speaks; not RFC 7383). Reassembly keeps state and belongs to the IKE engine; the
 * parser gives it each fragment's id, number, last flag and data (isakmp/digest.h).
 */
#ifndef RACOON_ISAKMP_FRAG_H
#define RACOON_ISAKMP_FRAG_H

#include <stddef.h>
#include <stdint.h>

#include "isakmp/isakmp.h"

/* racoon's size for a whole fragment message (ISAKMP_FRAG_MAXLEN) */
#define ISAKMP_FRAG_MSG_MAX 552u
/* header + fragment payload header: what each fragment message adds to its data */
#define ISAKMP_FRAG_OVERHEAD (ISAKMP_HDR_LEN + 8u)
/* fragment numbers are one byte */
#define ISAKMP_FRAG_MAX_COUNT 255u

/* Called once per fragment message, in order; non-zero stops the split. */
typedef int (*isakmp_frag_fn)(void *arg, const uint8_t *frag, size_t len);

/* Split the ISAKMP message msg (usually already encrypted) into fragment messages of at
 * most max_len bytes: each carries msg's header (cookies, exchange, message ID; the E flag
 * cleared, the fragment payload itself is plaintext) with next payload FRAG and one
 * fragment payload with id frag_id, numbers 1, 2, ... and ISAKMP_FRAG_LAST on the last.
 * Returns the number of fragments, -EINVAL (not a message, max_len too small for one data
 * byte, more than 255 fragments needed) or fn's non-zero return. */
int isakmp_fragment(const uint8_t *msg, size_t len, size_t max_len, uint16_t frag_id,
		    isakmp_frag_fn fn, void *arg);

#endif
