/* natt: the port-4500 framing of RFC 3948: non-ESP marker, keepalive, ESP. */
#include "isakmp/natt.h"

#include <errno.h>

#include "isakmp/isakmp.h"

enum isakmp_natt_kind isakmp_natt_classify(const uint8_t *p, size_t len,
					   const uint8_t **ike, size_t *ike_len)
{
	*ike = NULL;
	*ike_len = 0;
	if (!p || len == 0)
		return ISAKMP_NATT_INVALID;
	if (len == 1)
		return p[0] == ISAKMP_NATT_KEEPALIVE_BYTE ? ISAKMP_NATT_KEEPALIVE : ISAKMP_NATT_INVALID;
	if (len < ISAKMP_NON_ESP_MARKER_LEN)
		return ISAKMP_NATT_INVALID;
	if (p[0] | p[1] | p[2] | p[3]) /* a non-zero SPI: ESP in UDP (RFC 3948 2.2) */
		return ISAKMP_NATT_ESP;
	*ike = p + ISAKMP_NON_ESP_MARKER_LEN;
	*ike_len = len - ISAKMP_NON_ESP_MARKER_LEN;
	return ISAKMP_NATT_IKE;
}

int isakmp_natt_put_marker(struct buf *out)
{
	return buf_put_zero(out, ISAKMP_NON_ESP_MARKER_LEN) ? 0 : -EMSGSIZE;
}

int isakmp_natt_put_keepalive(struct buf *out)
{
	return buf_put_u8(out, ISAKMP_NATT_KEEPALIVE_BYTE) ? 0 : -EMSGSIZE;
}
