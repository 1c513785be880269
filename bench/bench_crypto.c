/* bench_crypto: what a handshake costs in src/crypto, against the raw library calls.
 *
 * For each DH group: our dh_keygen and dh_shared (which include parsing the prime,
 * the peer check and the byte conversions) against bare mpz_powm_sec / Nettle
 * ecc_point_mul_g / ecc_point_mul; for MODP also the peer subgroup check by Jacobi
 * symbol against y^q mod p. Then HMAC and CBC figures. Medians over N runs (default 21;
 * fewer for the big groups). Not part of make check.
 * Usage: bench_crypto [N]
 */
#include <gmp.h>
#include <nettle/ecc-curve.h>
#include <nettle/ecc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto/cipher.h"
#include "crypto/dh.h"
#include "crypto/dh_impl.h"
#include "crypto/hash.h"
#include "crypto/random.h"

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(double), cmp_d);
	return v[n / 2];
}

#define MAXRUNS 101

/* Raw GMP: g^x and y^x with x of the same length our keygen uses. */
static void bench_modp_raw(const struct dh_group *g, int runs, double *kg, double *sh,
			   double *jac, double *powq)
{
	double t[4][MAXRUNS];
	mpz_t p, q, x, y, r, two;
	mpz_init_set_str(p, ((const struct dh_modp_impl *)g->impl)->p_hex, 16);
	mpz_inits(q, x, y, r, NULL);
	mpz_init_set_ui(two, 2);
	mpz_sub_ui(q, p, 1);
	mpz_divexact_ui(q, q, 2);
	gmp_randstate_t rs;
	gmp_randinit_default(rs);
	for (int i = 0; i < runs; i++) {
		mpz_urandomb(x, rs, g->exp_bits);
		mpz_setbit(x, g->exp_bits - 1);
		double a = now_us();
		mpz_powm_sec(y, two, x, p);
		double b = now_us();
		mpz_powm_sec(r, y, x, p);
		double c = now_us();
		volatile int j = mpz_jacobi(y, p);
		double d = now_us();
		mpz_powm(r, y, q, p);
		double e = now_us();
		(void)j;
		t[0][i] = b - a;
		t[1][i] = c - b;
		t[2][i] = d - c;
		t[3][i] = e - d;
	}
	*kg = median(t[0], runs);
	*sh = median(t[1], runs);
	*jac = median(t[2], runs);
	*powq = median(t[3], runs);
	mpz_clears(p, q, x, y, r, two, NULL);
	gmp_randclear(rs);
}

/* Raw Nettle: d*G and d*P. */
static void bench_ecp_raw(const struct dh_group *g, int runs, double *kg, double *sh)
{
	double t[2][MAXRUNS];
	const struct dh_ecp_impl *e = g->impl;
	const struct ecc_curve *curve = e->curve();
	struct ecc_scalar s;
	struct ecc_point pub, res;
	ecc_scalar_init(&s, curve);
	ecc_point_init(&pub, curve);
	ecc_point_init(&res, curve);
	mpz_t z;
	mpz_init(z);
	gmp_randstate_t rs;
	gmp_randinit_default(rs);
	for (int i = 0; i < runs; i++) {
		do
			mpz_urandomb(z, rs, ecc_bit_size(curve) - 1);
		while (!ecc_scalar_set(&s, z));
		double a = now_us();
		ecc_point_mul_g(&pub, &s);
		double b = now_us();
		ecc_point_mul(&res, &s, &pub);
		double c = now_us();
		t[0][i] = b - a;
		t[1][i] = c - b;
	}
	*kg = median(t[0], runs);
	*sh = median(t[1], runs);
	mpz_clear(z);
	gmp_randclear(rs);
	ecc_scalar_clear(&s);
	ecc_point_clear(&pub);
	ecc_point_clear(&res);
}

static int bench_group(const struct dh_group *g, int runs)
{
	double t[2][MAXRUNS];
	struct buf pa, qa, pb, qb, s;
	if (dh_keygen(g, 0, &pb, &qb) < 0)
		return -1;
	for (int i = 0; i < runs; i++) {
		double a = now_us();
		if (dh_keygen(g, 0, &pa, &qa) < 0)
			return -1;
		double b = now_us();
		if (dh_shared(g, &pa, &qb, &s) < 0)
			return -1;
		double c = now_us();
		t[0][i] = b - a;
		t[1][i] = c - b;
		buf_free(&pa);
		buf_free(&qa);
		buf_free(&s);
	}
	buf_free(&pb);
	buf_free(&qb);
	double kg, sh, jac = 0, powq = 0;
	if (g->ecp)
		bench_ecp_raw(g, runs, &kg, &sh);
	else
		bench_modp_raw(g, runs, &kg, &sh, &jac, &powq);
	printf("%-9s %4u  %9.1f %9.1f   %9.1f %9.1f", g->name, g->ecp ? 0 : g->exp_bits,
	       median(t[0], runs), kg, median(t[1], runs), sh);
	if (!g->ecp)
		printf("   %7.1f %9.1f", jac, powq);
	printf("\n");
	return 0;
}

static void bench_symmetric(void)
{
	uint8_t key[32], msg[4096], out[CRYPTO_MAX_DIGEST], iv[16];
	crypto_random(key, sizeof(key));
	crypto_random(msg, sizeof(msg));
	const struct crypto_hash *hs[] = { crypto_hash_by_name("sha1"), crypto_hash_by_name("sha256"),
					   crypto_hash_by_name("sha512") };
	printf("\n%-8s %14s %16s\n", "HMAC", "64 B (us)", "4 KiB (MB/s)");
	for (size_t i = 0; i < 3; i++) {
		double a = now_us();
		for (int k = 0; k < 20000; k++)
			crypto_prf(hs[i], key, 32, msg, 64, out);
		double b = now_us();
		for (int k = 0; k < 2000; k++)
			crypto_prf(hs[i], key, 32, msg, sizeof(msg), out);
		double c = now_us();
		printf("%-8s %14.3f %16.0f\n", hs[i]->name, (b - a) / 20000,
		       2000.0 * sizeof(msg) / (c - b));
	}
	printf("\n%-12s %14s %16s\n", "CBC encrypt", "256 B (us)", "4 KiB (MB/s)");
	static const struct {
		const char *name;
		size_t keylen;
	} cs[] = { { "aes", 16 }, { "aes", 32 }, { "3des", 24 }, { "camellia", 16 }, { "cast128", 16 },
		   { "blowfish", 16 } };
	for (size_t i = 0; i < sizeof(cs) / sizeof(cs[0]); i++) {
		const struct crypto_cipher *c = crypto_cipher_by_name(cs[i].name);
		memset(iv, 0, sizeof(iv));
		double a = now_us();
		for (int k = 0; k < 5000; k++)
			crypto_cbc_encrypt(c, key, cs[i].keylen, iv, msg, 256);
		double b = now_us();
		for (int k = 0; k < 500; k++)
			crypto_cbc_encrypt(c, key, cs[i].keylen, iv, msg, sizeof(msg));
		double d = now_us();
		char label[32];
		snprintf(label, sizeof(label), "%s-%zu", cs[i].name, cs[i].keylen * 8);
		printf("%-12s %14.2f %16.0f\n", label, (b - a) / 5000, 500.0 * sizeof(msg) / (d - b));
	}
}

int main(int argc, char **argv)
{
	int runs = argc > 1 ? atoi(argv[1]) : 21;
	if (runs < 1 || runs > MAXRUNS) {
		fprintf(stderr, "usage: %s [N]  (1..%d runs per group)\n", argv[0], MAXRUNS);
		return 2;
	}
	static const uint16_t ids[] = { 1, 2, 5, 14, 15, 16, 17, 18, 19, 20, 21 };
	printf("medians in microseconds; ours = dh_keygen/dh_shared, raw = bare GMP/Nettle call\n");
	printf("%-9s %4s  %9s %9s   %9s %9s   %7s %9s\n", "group", "exp", "keygen", "raw",
	       "shared", "raw", "jacobi", "y^q");
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		const struct dh_group *g = dh_group_by_id(ids[i]);
		int n = g->public_len >= 768 ? (runs + 3) / 4 : runs; /* 6144/8192 are slow */
		if (bench_group(g, n) < 0) {
			fprintf(stderr, "%s failed\n", g->name);
			return 1;
		}
	}
	bench_symmetric();
	return 0;
}
