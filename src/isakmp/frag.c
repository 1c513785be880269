/* frag: the sending half of IKE fragmentation (payload 132). */
#include "isakmp/frag.h"

#include <errno.h>
#include <string.h>

#include "isakmp/build.h"
#include "isakmp/digest.h"

int isakmp_fragment(const uint8_t *msg, size_t len, size_t max_len, uint16_t frag_id,
		    isakmp_frag_fn fn, void *arg)
{
	struct isakmp_hdr h;
	if (isakmp_parse_hdr(msg, len, &h) != ISAKMP_PERR_OK || h.length != len ||
	    max_len <= ISAKMP_FRAG_OVERHEAD)
		return -EINVAL;
	size_t chunk = max_len - ISAKMP_FRAG_OVERHEAD;
	size_t count = (len + chunk - 1) / chunk;
	if (count > ISAKMP_FRAG_MAX_COUNT)
		return -EINVAL;
	h.flags &= (uint8_t)~ISAKMP_FLAG_E;
	struct buf out;
	buf_init(&out, max_len);
	int r = 0;
	for (size_t i = 0, off = 0; i < count && r == 0; i++, off += chunk) {
		struct isakmp_builder b;
		size_t n = len - off < chunk ? len - off : chunk;
		buf_reset(&out);
		isakmp_build_init(&b, &out, &h);
		isakmp_build_frag(&b, frag_id, (uint8_t)(i + 1),
				  i + 1 == count ? ISAKMP_FRAG_LAST : 0, msg + off, n);
		r = isakmp_build_finish(&b);
		if (r == 0)
			r = fn(arg, out.ptr, out.len);
	}
	buf_free(&out);
	return r ? r : (int)count;
}
