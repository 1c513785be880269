/* dh: the IKE Diffie-Hellman group table and the dispatch to MODP / ECP. */
#include <errno.h>
#include <nettle/ecc-curve.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crypto/dh_impl.h"

static const struct dh_modp_impl modp768 = { dh_modp768_hex }, modp1024 = { dh_modp1024_hex },
	modp1536 = { dh_modp1536_hex }, modp2048 = { dh_modp2048_hex },
	modp3072 = { dh_modp3072_hex }, modp4096 = { dh_modp4096_hex },
	modp6144 = { dh_modp6144_hex }, modp8192 = { dh_modp8192_hex };

static const struct dh_ecp_impl ecp256 = { nettle_get_secp_256r1, 32 },
	ecp384 = { nettle_get_secp_384r1, 48 }, ecp521 = { nettle_get_secp_521r1, 66 };

/* Exponent bits: RFC 3526's table, twice its larger ("estimate 2") strength, e.g. 320
 * bits for MODP-2048. Groups 1 and 2 predate that table: twice an 80-bit strength for
 * 1024 (with margin, 200) and 160 bits for 768 (a group that should not be used). */
static const struct dh_group groups[] = {
	{ "modp768", DH_MODP768, false, 96, 96, 96, 160, &modp768 },
	{ "modp1024", DH_MODP1024, false, 128, 128, 128, 200, &modp1024 },
	{ "modp1536", DH_MODP1536, false, 192, 192, 192, 240, &modp1536 },
	{ "modp2048", DH_MODP2048, false, 256, 256, 256, 320, &modp2048 },
	{ "modp3072", DH_MODP3072, false, 384, 384, 384, 420, &modp3072 },
	{ "modp4096", DH_MODP4096, false, 512, 512, 512, 480, &modp4096 },
	{ "modp6144", DH_MODP6144, false, 768, 768, 768, 540, &modp6144 },
	{ "modp8192", DH_MODP8192, false, 1024, 1024, 1024, 620, &modp8192 },
	{ "ecp256", DH_ECP256, true, 64, 32, 32, 0, &ecp256 },
	{ "ecp384", DH_ECP384, true, 96, 48, 48, 0, &ecp384 },
	{ "ecp521", DH_ECP521, true, 132, 66, 66, 0, &ecp521 },
};

const struct dh_group *dh_group_by_id(uint16_t id)
{
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		if (groups[i].id == id)
			return &groups[i];
	return NULL;
}

const struct dh_group *dh_group_by_name(const char *name)
{
	if (!name || !*name)
		return NULL;
	char *end;
	unsigned long n = strtoul(name, &end, 10);
	if (*end == '\0' && n <= 0xffff)
		return dh_group_by_id((uint16_t)n);
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		if (!strcasecmp(name, groups[i].name))
			return &groups[i];
	return NULL;
}

unsigned dh_exp_bits(const struct dh_group *g, unsigned configured_bits)
{
	unsigned full = (unsigned)g->private_len * 8 - 1; /* exponents below p */
	if (g->ecp)
		return 0;
	if (configured_bits < g->exp_bits)
		configured_bits = g->exp_bits;
	return configured_bits > full ? full : configured_bits;
}

int dh_keygen(const struct dh_group *g, unsigned exp_bits, struct buf *priv, struct buf *pub)
{
	if (!g || !priv || !pub)
		return -EINVAL;
	memset(priv, 0, sizeof(*priv));
	memset(pub, 0, sizeof(*pub));
	int r = g->ecp ? dh_ecp_keygen(g, priv, pub)
		       : dh_modp_keygen(g, dh_exp_bits(g, exp_bits), priv, pub);
	if (r < 0) {
		buf_free(priv);
		buf_free(pub);
	}
	return r;
}

int dh_public_from_private(const struct dh_group *g, const struct buf *priv, struct buf *pub)
{
	if (!g || !priv || !pub)
		return -EINVAL;
	memset(pub, 0, sizeof(*pub));
	int r = g->ecp ? dh_ecp_public(g, priv, pub) : dh_modp_public(g, priv, pub);
	if (r < 0)
		buf_free(pub);
	return r;
}

int dh_check_public(const struct dh_group *g, const struct buf *peer)
{
	if (!g || !peer || !peer->ptr || peer->len != g->public_len)
		return -EBADMSG;
	return g->ecp ? dh_ecp_check(g, peer) : dh_modp_check(g, peer);
}

int dh_shared(const struct dh_group *g, const struct buf *priv, const struct buf *peer,
	      struct buf *shared)
{
	if (!g || !priv || !shared)
		return -EINVAL;
	memset(shared, 0, sizeof(*shared));
	int r = dh_check_public(g, peer);
	if (r == 0)
		r = g->ecp ? dh_ecp_shared(g, priv, peer, shared)
			   : dh_modp_shared(g, priv, peer, shared);
	if (r < 0)
		buf_free(shared);
	return r;
}

void dh_mpz_from_bytes(mpz_t z, const uint8_t *p, size_t len)
{
	mpz_import(z, len, 1, 1, 1, 0, p);
}

int dh_mpz_to_buf(const mpz_t z, size_t len, bool secret, struct buf *out)
{
	size_t n = mpz_sgn(z) ? (mpz_sizeinbase(z, 2) + 7) / 8 : 0;
	if (n > len)
		return -EINVAL;
	int r = secret ? buf_init_secret(out, len) : buf_init(out, len);
	if (r < 0)
		return r;
	uint8_t *d = buf_reserve(out, len);
	if (!d)
		return -ENOMEM;
	memset(d, 0, len - n);
	if (n)
		mpz_export(d + (len - n), NULL, 1, 1, 1, 0, z);
	return 0;
}

void dh_mpz_wipe_clear(mpz_t z)
{
	/* GMP frees limbs without clearing them; wipe the whole allocation first. */
	if (z->_mp_d && z->_mp_alloc > 0)
		buf_wipe(z->_mp_d, (size_t)z->_mp_alloc * sizeof(mp_limb_t));
	mpz_clear(z);
}
