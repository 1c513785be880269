/* vendor: vendor ID table. MD5 of a string, except DPD (fixed bytes, RFC 3706). */
#include "ike/vendor.h"

#include <string.h>

#include "crypto/hash.h"
#include "ike/sa.h"
#include "isakmp/build.h"

struct vid {
	const char *name;
	const char *md5_of; /* NULL: fixed bytes */
	uint8_t b[16];
	size_t len;         /* bytes sent / compared */
	bool prefix;        /* received ones may be longer (capability bytes after) */
};

static struct vid vids[IKE_VID_COUNT] = {
	[IKE_VID_OURS] = { "IPSec-Tools", "IPSec-Tools", { 0 }, 16, false },
	[IKE_VID_KAME] = { "KAME/racoon", "KAME/racoon", { 0 }, 16, false },
	[IKE_VID_NATT_RFC] = { "RFC 3947", "RFC 3947", { 0 }, 16, false },
	[IKE_VID_NATT_02] = { "draft-ietf-ipsec-nat-t-ike-02", "draft-ietf-ipsec-nat-t-ike-02",
			      { 0 }, 16, false },
	[IKE_VID_NATT_02N] = { "draft-ietf-ipsec-nat-t-ike-02\\n",
			       "draft-ietf-ipsec-nat-t-ike-02\n", { 0 }, 16, false },
	[IKE_VID_DPD] = { "DPD", NULL,
			  { 0xaf, 0xca, 0xd7, 0x13, 0x68, 0xa1, 0xf1, 0xc9, 0x6b, 0x86, 0x96,
			    0xfc, 0x77, 0x57, 0x01, 0x00 }, 16, false },
	[IKE_VID_FRAG] = { "FRAGMENTATION", "FRAGMENTATION", { 0 }, 16, true },
	[IKE_VID_XAUTH] = { "draft-ietf-ipsra-isakmp-xauth-06.txt",
			    "draft-ietf-ipsra-isakmp-xauth-06.txt", { 0 }, 8, false },
	[IKE_VID_UNITY] = { "CISCO-UNITY", "CISCO-UNITY", { 0 }, 14, true },
};

void ike_vendor_init(void)
{
	const struct crypto_hash *md5 = crypto_hash_by_ike(CRYPTO_HASH_MD5);
	for (int i = 0; i < IKE_VID_COUNT; i++) {
		if (!vids[i].md5_of || !md5)
			continue;
		uint8_t d[CRYPTO_MAX_DIGEST];
		crypto_hash(md5, vids[i].md5_of, strlen(vids[i].md5_of), d);
		memcpy(vids[i].b, d, 16);
	}
}

const uint8_t *ike_vendor_bytes(enum ike_vid v, size_t *len)
{
	*len = vids[v].len;
	return vids[v].b;
}

const char *ike_vendor_name(enum ike_vid v)
{
	return (unsigned)v < IKE_VID_COUNT ? vids[v].name : "?";
}

int ike_vendor_lookup(const uint8_t *p, size_t len)
{
	for (int i = 0; i < IKE_VID_COUNT; i++) {
		const struct vid *v = &vids[i];
		if (len < v->len || (!v->prefix && len != v->len))
			continue;
		if (!memcmp(p, v->b, v->len))
			return i;
	}
	return -1;
}

static int put(struct isakmp_builder *b, enum ike_vid v)
{
	return isakmp_build_data(b, ISAKMP_PT_VID, vids[v].b, vids[v].len);
}

int ike_vendor_put(struct ike_ph1 *p, struct isakmp_builder *b)
{
	put(b, IKE_VID_OURS);
	if (p->cf.natt)
		put(b, IKE_VID_NATT_RFC);
	if (p->cf.dpd)
		put(b, IKE_VID_DPD);
	if (p->cf.frag) {
		/* capability: fragments accepted in Main and Aggressive Mode */
		uint8_t f[20];
		memcpy(f, vids[IKE_VID_FRAG].b, 16);
		f[16] = 0x80, f[17] = f[18] = f[19] = 0;
		isakmp_build_data(b, ISAKMP_PT_VID, f, sizeof(f));
	}
	return b->err;
}

void ike_vendor_note(struct ike_ph1 *p, const uint8_t *data, size_t len)
{
	int v = ike_vendor_lookup(data, len);
	switch (v) {
	case IKE_VID_OURS: case IKE_VID_KAME: p->vid_ours = true; break;
	case IKE_VID_NATT_RFC: case IKE_VID_NATT_02: case IKE_VID_NATT_02N: p->vid_natt = true; break;
	case IKE_VID_DPD: p->vid_dpd = true; break;
	case IKE_VID_FRAG: p->vid_frag = true; break;
	case IKE_VID_XAUTH: p->vid_xauth = true; break;
	case IKE_VID_UNITY: p->vid_unity = true; break;
	default: break;
	}
	if (v >= 0)
		log_debug("ike", "received Vendor ID: %s", ike_vendor_name(v));
	else
		log_debug("ike", "received unknown Vendor ID (%zu bytes)", len);
}
