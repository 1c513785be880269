/* pfkey_algs: PF_KEY algorithm numbers and what Linux af_key can install correctly.
 *
 * The truth about Linux af_key (net/key/af_key.c, net/xfrm/xfrm_algo.c):
 * - Integrity: there is no field for the ICV length; the SA gets the table's
 *   icv_truncbits: 96 for HMAC-MD5, HMAC-SHA1 and HMAC-SHA2-256 (RFC 4868 wants 128
 *   for SHA-256, so a peer following the RFC rejects every packet), 192 for
 *   HMAC-SHA2-384 and 256 for HMAC-SHA2-512 (both what RFC 4868 says).
 * - No AEAD: AES-GCM lives in xfrm_algo.c's aead_list, which PF_KEY never looks up.
 * - Replay window: sadb_sa_replay is 8 bits, and Linux clamps it to 32 packets (the
 *   bitmap of the legacy replay state); no ESN.
 * - Compression: deflate (lzs and lzjh have numbers but no kernel implementation).
 * Encryption numbers are the IKE transform IDs; integrity numbers differ from IKE's.
 */
#include "kernel/pfkey/pfkey.h"

#include <errno.h>
#include <netinet/in.h>
#include <string.h>

struct id_map {
	int ours;
	uint8_t sadb;
};

static const struct id_map auth_map[] = {
	{ KERNEL_AUTH_HMAC_MD5, SADB_AALG_MD5HMAC },
	{ KERNEL_AUTH_HMAC_SHA1, SADB_AALG_SHA1HMAC },
	{ KERNEL_AUTH_HMAC_SHA2_256, SADB_X_AALG_SHA2_256HMAC },
	{ KERNEL_AUTH_HMAC_SHA2_384, SADB_X_AALG_SHA2_384HMAC },
	{ KERNEL_AUTH_HMAC_SHA2_512, SADB_X_AALG_SHA2_512HMAC },
};

static const struct id_map enc_map[] = {
	{ KERNEL_ENC_DES, SADB_EALG_DESCBC },
	{ KERNEL_ENC_3DES, SADB_EALG_3DESCBC },
	{ KERNEL_ENC_CAST, SADB_X_EALG_CASTCBC },
	{ KERNEL_ENC_BLOWFISH, SADB_X_EALG_BLOWFISHCBC },
	{ KERNEL_ENC_NULL, SADB_EALG_NULL },
	{ KERNEL_ENC_AES_CBC, SADB_X_EALG_AESCBC },
	{ KERNEL_ENC_AES_CTR, SADB_X_EALG_AESCTR },
	{ KERNEL_ENC_CAMELLIA_CBC, SADB_X_EALG_CAMELLIACBC },
	{ KERNEL_ENC_TWOFISH, SADB_X_EALG_TWOFISHCBC },
};

static const struct id_map comp_map[] = {
	{ KERNEL_COMP_DEFLATE, SADB_X_CALG_DEFLATE },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static int to_sadb(const struct id_map *m, size_t n, int ours)
{
	for (size_t i = 0; i < n; i++)
		if (m[i].ours == ours)
			return m[i].sadb;
	return -1;
}

static int from_sadb(const struct id_map *m, size_t n, uint8_t id)
{
	for (size_t i = 0; i < n; i++)
		if (m[i].sadb == id)
			return m[i].ours;
	return -1;
}

int pfkey_auth_to_sadb(enum kernel_auth a) { return to_sadb(auth_map, N(auth_map), a); }
int pfkey_enc_to_sadb(enum kernel_enc e) { return to_sadb(enc_map, N(enc_map), e); }
int pfkey_comp_to_sadb(enum kernel_comp c) { return to_sadb(comp_map, N(comp_map), c); }
int pfkey_auth_from_sadb(uint8_t id) { return from_sadb(auth_map, N(auth_map), id); }
int pfkey_enc_from_sadb(uint8_t id) { return from_sadb(enc_map, N(enc_map), id); }
int pfkey_comp_from_sadb(uint8_t id) { return from_sadb(comp_map, N(comp_map), id); }

unsigned pfkey_auth_icv_bits(enum kernel_auth a)
{
	switch (a) {
	case KERNEL_AUTH_HMAC_MD5:
	case KERNEL_AUTH_HMAC_SHA1:
	case KERNEL_AUTH_HMAC_SHA2_256: /* not RFC 4868's 128: no field to ask for it */
		return 96;
	case KERNEL_AUTH_HMAC_SHA2_384:
		return 192;
	case KERNEL_AUTH_HMAC_SHA2_512:
		return 256;
	default:
		return 0;
	}
}

uint8_t pfkey_satype(enum kernel_proto p)
{
	return p == KERNEL_PROTO_ESP ? SADB_SATYPE_ESP
	       : p == KERNEL_PROTO_AH ? SADB_SATYPE_AH
	       : p == KERNEL_PROTO_COMP ? SADB_X_SATYPE_IPCOMP : SADB_SATYPE_UNSPEC;
}

int pfkey_proto_from_satype(uint8_t satype)
{
	return satype == SADB_SATYPE_ESP ? KERNEL_PROTO_ESP
	       : satype == SADB_SATYPE_AH ? KERNEL_PROTO_AH
	       : satype == SADB_X_SATYPE_IPCOMP ? KERNEL_PROTO_COMP : -1;
}

/* ---- Capabilities ------------------------------------------------------------------ */

/* Key sizes from xfrm_algo.c (AES-CTR's 160..288 include the 32-bit nonce). */
#define PFKEY_ALGS                                                          \
	{ KERNEL_CAP_ENC, KERNEL_ENC_NULL, 0, 0, 0, 0 },                    \
	{ KERNEL_CAP_ENC, KERNEL_ENC_DES, 64, 64, 0, 0 },                   \
	{ KERNEL_CAP_ENC, KERNEL_ENC_3DES, 192, 192, 0, 0 },                \
	{ KERNEL_CAP_ENC, KERNEL_ENC_CAST, 40, 128, 8, 0 },                 \
	{ KERNEL_CAP_ENC, KERNEL_ENC_BLOWFISH, 40, 448, 8, 0 },             \
	{ KERNEL_CAP_ENC, KERNEL_ENC_AES_CBC, 128, 256, 64, 0 },            \
	{ KERNEL_CAP_ENC, KERNEL_ENC_AES_CTR, 128, 256, 64, 0 },            \
	{ KERNEL_CAP_ENC, KERNEL_ENC_CAMELLIA_CBC, 128, 256, 64, 0 },       \
	{ KERNEL_CAP_ENC, KERNEL_ENC_TWOFISH, 128, 256, 64, 0 },            \
	{ KERNEL_CAP_AUTH, KERNEL_AUTH_HMAC_MD5, 128, 128, 0, 96 },         \
	{ KERNEL_CAP_AUTH, KERNEL_AUTH_HMAC_SHA1, 160, 160, 0, 96 },        \
	{ KERNEL_CAP_AUTH, KERNEL_AUTH_HMAC_SHA2_256, 256, 256, 0, 96 },    \
	{ KERNEL_CAP_AUTH, KERNEL_AUTH_HMAC_SHA2_384, 384, 384, 0, 192 },   \
	{ KERNEL_CAP_AUTH, KERNEL_AUTH_HMAC_SHA2_512, 512, 512, 0, 256 },   \
	{ KERNEL_CAP_COMP, KERNEL_COMP_DEFLATE, 0, 0, 0, 0 }

static const struct kernel_alg_cap all_algs[] = { PFKEY_ALGS };
/* The table in use: one per process, like the kernel it describes. */
static struct kernel_alg_cap live_algs[] = { PFKEY_ALGS };

#define PFKEY_CAPS(table)                                                            \
	.backend = "pfkey", .aead = false, .esn = false, .icv_selectable = false,     \
	.udp_encap = true, .ipcomp = true, .policy_priority = true,                  \
	.replay_window_max = PFKEY_REPLAY_MAX, .algs = table, .n_algs = N(table)

const struct kernel_caps pfkey_caps_static = { PFKEY_CAPS(all_algs) };
struct kernel_caps pfkey_caps_live = { PFKEY_CAPS(live_algs) };

void pfkey_caps_reset(void)
{
	memcpy(live_algs, all_algs, sizeof(all_algs));
	pfkey_caps_live.n_algs = N(all_algs);
}

/* Find id in a SUPPORTED extension; its key range in bits. */
static bool supported(const struct pfkey_msg *m, unsigned type, uint8_t id, uint16_t *min,
		      uint16_t *max)
{
	if (!pfkey_has(m, type))
		return false;
	struct buf v = m->ext[type];
	v.pos = sizeof(struct sadb_supported);
	struct sadb_alg a;
	while (buf_left(&v) >= sizeof(a) && buf_get_bytes(&v, &a, sizeof(a)))
		if (a.sadb_alg_id == id) {
			*min = a.sadb_alg_minbits;
			*max = a.sadb_alg_maxbits;
			return true;
		}
	return false;
}

int pfkey_caps_refine(const struct pfkey_msg *reply)
{
	if (reply->hdr.sadb_msg_type != SADB_REGISTER)
		return -EBADMSG;
	for (unsigned t = SADB_EXT_SUPPORTED_AUTH; t <= SADB_EXT_SUPPORTED_ENCRYPT; t++)
		if (pfkey_has(reply, t) &&
		    (reply->ext[t].len - sizeof(struct sadb_supported)) % sizeof(struct sadb_alg))
			return -EBADMSG;
	pfkey_caps_reset();
	size_t n = 0;
	for (size_t i = 0; i < N(all_algs); i++) {
		struct kernel_alg_cap c = all_algs[i];
		uint16_t min = 0, max = 0;
		bool ok = true;
		if (c.kind == KERNEL_CAP_AUTH)
			ok = supported(reply, SADB_EXT_SUPPORTED_AUTH,
				       (uint8_t)pfkey_auth_to_sadb(c.alg), &min, &max);
		else if (c.kind == KERNEL_CAP_ENC)
			ok = supported(reply, SADB_EXT_SUPPORTED_ENCRYPT,
				       (uint8_t)pfkey_enc_to_sadb(c.alg), &min, &max);
		if (ok && c.kind != KERNEL_CAP_COMP) {
			unsigned salt = kernel_enc_salt_len(c.kind == KERNEL_CAP_ENC ? c.alg : 0) * 8;
			/* Narrow only: the kernel may list less than it accepts, never more. */
			if (min > salt && min - salt > c.key_min)
				c.key_min = (uint16_t)(min - salt);
			if (max >= salt && max - salt < c.key_max)
				c.key_max = (uint16_t)(max - salt);
			ok = c.key_min <= c.key_max;
		}
		if (ok)
			live_algs[n++] = c;
	}
	pfkey_caps_live.n_algs = n;
	return 0;
}
