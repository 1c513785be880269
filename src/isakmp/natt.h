/* natt: what arrives on the NAT-T port 4500 (RFC 3948 2.2, 2.3).
 *
 * An IKE message after a 4-byte zero non-ESP marker, a NAT keepalive (the single byte
 * 0xFF), or an ESP packet (non-zero SPI first; the kernel takes those on an encap socket,
 * so seeing one in user space means the socket is not set up for ESP-in-UDP).
 */
#ifndef RACOON_ISAKMP_NATT_H
#define RACOON_ISAKMP_NATT_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"

enum isakmp_natt_kind {
	ISAKMP_NATT_INVALID = 0, /* too short to be anything: drop */
	ISAKMP_NATT_IKE,         /* ike, ike_len: the IKE message after the marker */
	ISAKMP_NATT_KEEPALIVE,
	ISAKMP_NATT_ESP,
};

enum isakmp_natt_kind isakmp_natt_classify(const uint8_t *p, size_t len,
					   const uint8_t **ike, size_t *ike_len);
/* Append the 4-byte non-ESP marker (before isakmp_build_init). 0 or -EMSGSIZE. */
int isakmp_natt_put_marker(struct buf *out);
/* Append one keepalive byte. 0 or -EMSGSIZE. */
int isakmp_natt_put_keepalive(struct buf *out);

#endif
