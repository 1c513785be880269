/* rsa_gen: RSA key generation with a chosen public exponent. GnuTLS always picks 65537,
 * plainrsa-gen lets the admin choose (-e), so the primes come from Nettle and the key is
 * handed to GnuTLS through crypto_privkey_from_rsa_params (which checks it again). */
#include <errno.h>
#include <nettle/bignum.h>
#include <nettle/rsa.h>

#include "crypto/pubkey.h"
#include "crypto/random.h"

struct rng {
	int err;
};

static void rng_fill(void *ctx, size_t len, uint8_t *dst)
{
	struct rng *g = ctx;
	int r = crypto_random(dst, len);
	if (r < 0 && g->err == 0)
		g->err = r; /* the key is thrown away below */
}

static int mpz_to_buf(const mpz_t x, bool secret, struct buf *out)
{
	size_t len = nettle_mpz_sizeinbase_256_u(x);
	int r = secret ? buf_init_secret(out, len) : buf_init(out, len);
	uint8_t *p = r == 0 ? buf_reserve(out, len) : NULL;
	if (r == 0 && !p)
		r = -ENOMEM;
	if (r < 0) {
		buf_free(out);
		return r;
	}
	nettle_mpz_get_str_256(len, p, x);
	return 0;
}

int crypto_privkey_generate_rsa_e(unsigned bits, unsigned long e, struct crypto_privkey **out)
{
	if (bits < 1024 || bits > 16384 || e < 3 || !(e & 1) || e > 0xffffffffUL || !out)
		return -EINVAL;
	struct rsa_public_key pub;
	struct rsa_private_key key;
	struct rng g = { 0 };
	rsa_public_key_init(&pub);
	rsa_private_key_init(&key);
	mpz_set_ui(pub.e, e);
	int r = rsa_generate_keypair(&pub, &key, &g, rng_fill, NULL, NULL, bits, 0) ? g.err : -EINVAL;
	struct crypto_rsa_params p = { 0 };
	if (r == 0)
		r = mpz_to_buf(pub.n, false, &p.n);
	if (r == 0)
		r = mpz_to_buf(pub.e, false, &p.e);
	if (r == 0)
		r = mpz_to_buf(key.d, true, &p.d);
	if (r == 0)
		r = mpz_to_buf(key.p, true, &p.p1);
	if (r == 0)
		r = mpz_to_buf(key.q, true, &p.p2);
	if (r == 0)
		r = crypto_privkey_from_rsa_params(&p, out);
	crypto_rsa_params_free(&p);
	rsa_private_key_clear(&key); /* crypto_init() makes GMP wipe the limbs it frees */
	rsa_public_key_clear(&pub);
	return r;
}
