/* dh_modp: MODP Diffie-Hellman over GMP with the side-channel-silent mpz_powm_sec.
 *
 * Peer check. Each group's p is a safe prime (p = 2q + 1, q prime) with p = 7 mod 8,
 * so g = 2 is a quadratic residue and generates the subgroup of order q (the residues).
 * By Euler's criterion y^q = (y/p) (mod p), the Legendre symbol, which for prime p is
 * the Jacobi symbol: so "y^q == 1" (RFC 2785's subgroup test) is exactly
 * mpz_jacobi(y, p) == 1, at the cost of a gcd instead of a modular exponentiation.
 * Together with 1 < y < p-1 this refuses the small-subgroup values 0, 1, p-1 and every
 * element outside the order-q subgroup (test_crypto_dh cross-checks both computations).
 * The public value is not secret, so the variable-time Jacobi routine is fine.
 */
#include <errno.h>
#include <string.h>

#include "crypto/dh_impl.h"
#include "crypto/random.h"

static const struct dh_modp_impl *modp(const struct dh_group *g)
{
	return g->impl;
}

static void load_p(const struct dh_group *g, mpz_t p)
{
	mpz_init_set_str(p, modp(g)->p_hex, 16);
}

/* x must be in [2, p-2]; a private value is padded to private_len bytes. */
static int load_priv(const struct dh_group *g, const struct buf *priv, const mpz_t p, mpz_t x)
{
	mpz_init(x);
	if (!priv->ptr || priv->len == 0 || priv->len > g->private_len)
		return -EINVAL;
	dh_mpz_from_bytes(x, priv->ptr, priv->len);
	mpz_t pm1;
	mpz_init(pm1);
	mpz_sub_ui(pm1, p, 1);
	int ok = mpz_cmp_ui(x, 1) > 0 && mpz_cmp(x, pm1) < 0;
	mpz_clear(pm1);
	return ok ? 0 : -EINVAL;
}

static int powm_to_buf(const struct dh_group *g, const mpz_t base, const mpz_t x,
		       const mpz_t p, bool secret, struct buf *out)
{
	mpz_t r;
	mpz_init(r);
	mpz_powm_sec(r, base, x, p);
	int ret = dh_mpz_to_buf(r, g->public_len, secret, out);
	dh_mpz_wipe_clear(r);
	return ret;
}

int dh_modp_public(const struct dh_group *g, const struct buf *priv, struct buf *pub)
{
	mpz_t p, x, two;
	load_p(g, p);
	int r = load_priv(g, priv, p, x);
	if (r == 0) {
		mpz_init_set_ui(two, 2);
		r = powm_to_buf(g, two, x, p, false, pub);
		mpz_clear(two);
	}
	dh_mpz_wipe_clear(x);
	mpz_clear(p);
	return r;
}

/* A random exponent of exactly exp_bits bits (top bit set), so its length, and with it
 * the time of the exponentiation, does not depend on the secret. */
static int random_exponent(const struct dh_group *g, unsigned exp_bits, struct buf *priv)
{
	size_t n = (exp_bits + 7) / 8;
	uint8_t raw[1024];
	if (n == 0 || n > sizeof(raw) || n > g->private_len)
		return -EINVAL;
	int r = crypto_random(raw, n);
	if (r == 0) {
		unsigned top = exp_bits - (unsigned)(n - 1) * 8; /* bits used in raw[0], 1..8 */
		raw[0] &= (uint8_t)(0xffu >> (8 - top));
		raw[0] |= (uint8_t)(1u << (top - 1));
		r = buf_init_secret(priv, g->private_len);
		uint8_t *d = r == 0 ? buf_reserve(priv, g->private_len) : NULL;
		if (d) {
			memset(d, 0, g->private_len - n);
			memcpy(d + g->private_len - n, raw, n);
		} else if (r == 0) {
			r = -ENOMEM;
		}
	}
	buf_wipe(raw, sizeof(raw));
	return r;
}

int dh_modp_keygen(const struct dh_group *g, unsigned exp_bits, struct buf *priv,
		   struct buf *pub)
{
	/* exp_bits <= bits(p) - 1 with the top bit set gives 2^(b-1) <= x < p - 1. */
	int r = random_exponent(g, exp_bits, priv);
	if (r == 0)
		r = dh_modp_public(g, priv, pub);
	return r;
}

int dh_modp_check(const struct dh_group *g, const struct buf *peer)
{
	mpz_t p, y;
	load_p(g, p);
	mpz_init(y);
	dh_mpz_from_bytes(y, peer->ptr, peer->len);
	int r = -EBADMSG;
	if (mpz_cmp_ui(y, 1) > 0) {
		mpz_sub_ui(p, p, 1);
		if (mpz_cmp(y, p) < 0) {
			mpz_add_ui(p, p, 1);
			if (mpz_jacobi(y, p) == 1)
				r = 0;
		}
	}
	mpz_clear(y);
	mpz_clear(p);
	return r;
}

int dh_modp_shared(const struct dh_group *g, const struct buf *priv, const struct buf *peer,
		   struct buf *shared)
{
	mpz_t p, x, y;
	load_p(g, p);
	int r = load_priv(g, priv, p, x);
	if (r == 0) {
		mpz_init(y);
		dh_mpz_from_bytes(y, peer->ptr, peer->len);
		r = powm_to_buf(g, y, x, p, true, shared);
		mpz_clear(y);
	}
	dh_mpz_wipe_clear(x);
	mpz_clear(p);
	return r;
}
