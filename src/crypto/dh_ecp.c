/* dh_ecp: ECP Diffie-Hellman (RFC 5903) over Nettle's side-channel-silent ECC.
 *
 * The KE payload carries x || y, each coordinate left-padded to the field size; the
 * shared secret is the x coordinate of the product alone (RFC 5903 sections 7 and 9).
 * ecc_point_set refuses coordinates >= p and points not on the curve, which is the
 * whole peer check these prime-order curves need (cofactor 1).
 */
#include <errno.h>
#include <nettle/ecc.h>

#include "crypto/dh_impl.h"
#include "crypto/random.h"

static const struct dh_ecp_impl *ecp(const struct dh_group *g)
{
	return g->impl;
}

static void scalar_wipe_clear(struct ecc_scalar *s)
{
	buf_wipe(s->p, (size_t)ecc_size(s->ecc) * sizeof(mp_limb_t));
	ecc_scalar_clear(s);
}

/* 0 < d < n, else -EINVAL. */
static int load_scalar(const struct dh_group *g, const struct buf *priv, struct ecc_scalar *s)
{
	ecc_scalar_init(s, ecp(g)->curve());
	if (!priv->ptr || priv->len == 0 || priv->len > g->private_len)
		return -EINVAL;
	mpz_t z;
	mpz_init(z);
	dh_mpz_from_bytes(z, priv->ptr, priv->len);
	int ok = ecc_scalar_set(s, z);
	dh_mpz_wipe_clear(z);
	return ok ? 0 : -EINVAL;
}

/* Coordinates of pt, each padded to coord_len, into out (x only, or x || y). */
static int point_to_buf(const struct dh_group *g, const struct ecc_point *pt, bool with_y,
			bool secret, struct buf *out)
{
	size_t cl = ecp(g)->coord_len;
	mpz_t x, y;
	struct buf bx = { 0 }, by = { 0 };
	mpz_init(x);
	mpz_init(y);
	ecc_point_get(pt, x, y);
	int r = dh_mpz_to_buf(x, cl, secret, &bx);
	if (r == 0 && with_y)
		r = dh_mpz_to_buf(y, cl, secret, &by);
	if (r == 0) {
		r = secret ? buf_init_secret(out, 2 * cl) : buf_init(out, 2 * cl);
		if (r == 0 && !buf_put_bytes(out, bx.ptr, bx.len))
			r = -ENOMEM;
		if (r == 0 && with_y && !buf_put_bytes(out, by.ptr, by.len))
			r = -ENOMEM;
	}
	buf_free(&bx);
	buf_free(&by);
	dh_mpz_wipe_clear(x);
	dh_mpz_wipe_clear(y);
	return r;
}

int dh_ecp_public(const struct dh_group *g, const struct buf *priv, struct buf *pub)
{
	struct ecc_scalar s;
	int r = load_scalar(g, priv, &s);
	if (r == 0) {
		struct ecc_point pt;
		ecc_point_init(&pt, s.ecc);
		ecc_point_mul_g(&pt, &s);
		r = point_to_buf(g, &pt, true, false, pub);
		ecc_point_clear(&pt);
	}
	scalar_wipe_clear(&s);
	return r;
}

int dh_ecp_keygen(const struct dh_group *g, struct buf *priv, struct buf *pub)
{
	size_t n = g->private_len;
	unsigned bits = ecc_bit_size(ecp(g)->curve());
	uint8_t top_mask = (uint8_t)(bits % 8 ? 0xffu >> (8 - bits % 8) : 0xffu);
	int r = buf_init_secret(priv, n);
	uint8_t *d = r == 0 ? buf_reserve(priv, n) : NULL;
	if (!d)
		return r < 0 ? r : -ENOMEM;
	/* Rejection sampling for 0 < d < order: a retry is rare for these curves. */
	for (int tries = 0; tries < 64; tries++) {
		r = crypto_random(d, n);
		if (r < 0)
			return r;
		d[0] &= top_mask;
		r = dh_ecp_public(g, priv, pub);
		if (r != -EINVAL)
			return r;
	}
	return -EAGAIN;
}

/* Peer point from x || y; 0 or -EBADMSG. pt must be initialised. */
static int load_point(const struct dh_group *g, const struct buf *peer, struct ecc_point *pt)
{
	size_t cl = ecp(g)->coord_len;
	mpz_t x, y;
	mpz_init(x);
	mpz_init(y);
	dh_mpz_from_bytes(x, peer->ptr, cl);
	dh_mpz_from_bytes(y, peer->ptr + cl, cl);
	int ok = ecc_point_set(pt, x, y);
	mpz_clear(x);
	mpz_clear(y);
	return ok ? 0 : -EBADMSG;
}

int dh_ecp_check(const struct dh_group *g, const struct buf *peer)
{
	struct ecc_point pt;
	ecc_point_init(&pt, ecp(g)->curve());
	int r = load_point(g, peer, &pt);
	ecc_point_clear(&pt);
	return r;
}

int dh_ecp_shared(const struct dh_group *g, const struct buf *priv, const struct buf *peer,
		  struct buf *shared)
{
	struct ecc_scalar s;
	struct ecc_point pt, res;
	int r = load_scalar(g, priv, &s);
	ecc_point_init(&pt, s.ecc);
	ecc_point_init(&res, s.ecc);
	if (r == 0)
		r = load_point(g, peer, &pt);
	if (r == 0) {
		ecc_point_mul(&res, &s, &pt);
		r = point_to_buf(g, &res, false, true, shared);
	}
	buf_wipe(res.p, (size_t)ecc_size(res.ecc) * 2 * sizeof(mp_limb_t));
	ecc_point_clear(&res);
	ecc_point_clear(&pt);
	scalar_wipe_clear(&s);
	return r;
}
