/* vendor: vendor IDs we send and recognise (racoon-reference 6.12). */
#ifndef RACOON_IKE_VENDOR_H
#define RACOON_IKE_VENDOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ike_ph1;
struct isakmp_builder;

enum ike_vid {
	IKE_VID_OURS = 0,   /* "IPSec-Tools" compatible name of this racoon */
	IKE_VID_KAME,
	IKE_VID_NATT_RFC,
	IKE_VID_NATT_02,
	IKE_VID_NATT_02N,
	IKE_VID_DPD,
	IKE_VID_FRAG,
	IKE_VID_XAUTH,
	IKE_VID_UNITY,
	IKE_VID_COUNT
};

void ike_vendor_init(void);
/* The VID's bytes and length (16 for MD5 ones; XAUTH truncated to 8). */
const uint8_t *ike_vendor_bytes(enum ike_vid v, size_t *len);
/* Which known VID a payload body is (prefix rules for DPD/FRAG/Unity), -1 if unknown. */
int ike_vendor_lookup(const uint8_t *p, size_t len);
const char *ike_vendor_name(enum ike_vid v);
/* Append the VIDs of a Phase 1 first message (ours, DPD, NAT-T, FRAG per remote). */
int ike_vendor_put(struct ike_ph1 *p, struct isakmp_builder *b);
/* Remember a received VID in p. */
void ike_vendor_note(struct ike_ph1 *p, const uint8_t *data, size_t len);

#endif
