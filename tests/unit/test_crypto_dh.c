/* Unit tests: crypto/dh. MODP primes re-derived properties, the Jacobi-symbol subgroup
 * check against y^q, key agreement in every group, RFC 5903 vectors for ECP, and the
 * refusal of bad peer values and bad private values. */
#include <check.h>
#include <errno.h>
#include <gmp.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/dh.h"
#include "crypto/dh_impl.h"
#include "crypto/init.h"
#include "crypto/random.h"
#include "test_crypto_util.h"

static const uint16_t all_groups[] = { 1, 2, 5, 14, 15, 16, 17, 18, 19, 20, 21 };
static const struct {
	uint16_t id;
	unsigned bits;
	const char *hex;
} modp[] = {
	{ 1, 768, dh_modp768_hex },     { 2, 1024, dh_modp1024_hex },
	{ 5, 1536, dh_modp1536_hex },   { 14, 2048, dh_modp2048_hex },
	{ 15, 3072, dh_modp3072_hex },  { 16, 4096, dh_modp4096_hex },
	{ 17, 6144, dh_modp6144_hex },  { 18, 8192, dh_modp8192_hex },
};

/* Every Oakley prime: the right size, the RFCs' fixed top and bottom 64 bits, the
 * pi-derived bits that all groups share, a safe prime, and p = 7 mod 8 (so g = 2 is a
 * quadratic residue: the basis of the Legendre-symbol peer check). */
START_TEST(modp_primes_are_safe_primes)
{
	mpz_t p, q;
	mpz_init_set_str(p, modp[_i].hex, 16);
	mpz_init(q);
	ck_assert_uint_eq(mpz_sizeinbase(p, 2), modp[_i].bits);
	ck_assert(strncmp(modp[_i].hex, "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1", 48) == 0);
	ck_assert_str_eq(modp[_i].hex + strlen(modp[_i].hex) - 16, "FFFFFFFFFFFFFFFF");
	ck_assert_uint_eq(mpz_fdiv_ui(p, 8), 7);
	ck_assert_int_ne(mpz_probab_prime_p(p, 1), 0);
	mpz_sub_ui(q, p, 1);
	mpz_divexact_ui(q, q, 2);
	ck_assert_int_ne(mpz_probab_prime_p(q, 1), 0);
	const struct dh_group *g = dh_group_by_id(modp[_i].id);
	ck_assert_ptr_nonnull(g);
	ck_assert_uint_eq(g->public_len * 8, modp[_i].bits);
	mpz_clear(p);
	mpz_clear(q);
}
END_TEST

static void put_mpz(const mpz_t z, uint8_t *out, size_t len)
{
	size_t n = (mpz_sizeinbase(z, 2) + 7) / 8;
	memset(out, 0, len);
	mpz_export(out + len - n, NULL, 1, 1, 1, 0, z);
}

/* The performance-notes idea, checked: for y in [2, p-2], jacobi(y, p) == 1 exactly when
 * y^q == 1 (mod p), and dh_check_public accepts exactly those. */
START_TEST(jacobi_equals_subgroup_test)
{
	static const uint16_t ids[] = { 1, 2, 14 };
	const struct dh_group *g = dh_group_by_id(ids[_i]);
	mpz_t p, q, y, t;
	gmp_randstate_t rs;
	gmp_randinit_default(rs);
	gmp_randseed_ui(rs, 5 + _i);
	mpz_init_set_str(p, ((const struct dh_modp_impl *)g->impl)->p_hex, 16);
	mpz_init(q);
	mpz_init(y);
	mpz_init(t);
	mpz_sub_ui(q, p, 1);
	mpz_divexact_ui(q, q, 2);
	int in = 0, out = 0;
	uint8_t raw[DH_MAX_PUBLIC];
	for (int k = 0; k < 64; k++) {
		mpz_sub_ui(t, p, 3);
		mpz_urandomm(y, rs, t);
		mpz_add_ui(y, y, 2); /* 2 .. p-2 */
		if (k == 0)
			mpz_set_ui(y, 2); /* the generator itself */
		mpz_powm(t, y, q, p);
		bool in_subgroup = mpz_cmp_ui(t, 1) == 0;
		ck_assert_int_eq(mpz_jacobi(y, p) == 1, in_subgroup);
		put_mpz(y, raw, g->public_len);
		struct buf v = buf_view(raw, g->public_len);
		ck_assert_int_eq(dh_check_public(g, &v), in_subgroup ? 0 : -EBADMSG);
		in_subgroup ? in++ : out++;
	}
	ck_assert_int_gt(in, 10); /* both outcomes were exercised */
	ck_assert_int_gt(out, 10);
	mpz_clear(p);
	mpz_clear(q);
	mpz_clear(y);
	mpz_clear(t);
	gmp_randclear(rs);
}
END_TEST

START_TEST(key_agreement_every_group)
{
	const struct dh_group *g = dh_group_by_id(all_groups[_i]);
	ck_assert_ptr_nonnull(g);
	struct buf pa, qa, pb, qb, s1, s2, again;
	ck_assert_int_eq(dh_keygen(g, 0, &pa, &qa), 0);
	ck_assert_int_eq(dh_keygen(g, 0, &pb, &qb), 0);
	ck_assert_uint_eq(qa.len, g->public_len);
	ck_assert_uint_eq(pa.len, g->private_len);
	ck_assert(pa.flags & BUF_SECRET);
	ck_assert_int_eq(dh_check_public(g, &qa), 0);
	ck_assert_int_eq(dh_check_public(g, &qb), 0);
	ck_assert_int_eq(dh_shared(g, &pa, &qb, &s1), 0);
	ck_assert_int_eq(dh_shared(g, &pb, &qa, &s2), 0);
	ck_assert(s1.flags & BUF_SECRET);
	ck_assert_uint_eq(s1.len, g->shared_len);
	ck_assert_mem_eq(s1.ptr, s2.ptr, s1.len);
	ck_assert(memcmp(qa.ptr, qb.ptr, qa.len) != 0);
	/* the public value is a function of the private value alone */
	ck_assert_int_eq(dh_public_from_private(g, &pa, &again), 0);
	ck_assert_mem_eq(again.ptr, qa.ptr, qa.len);
	if (!g->ecp) {
		/* the exponent has exactly the table's length: top bit set, none above */
		unsigned bits = g->exp_bits, lead = (unsigned)pa.len * 8 - bits;
		for (unsigned b = 0; b < lead; b++)
			ck_assert_uint_eq(pa.ptr[b / 8] >> (7 - b % 8) & 1, 0);
		ck_assert_uint_eq(pa.ptr[lead / 8] >> (7 - lead % 8) & 1, 1);
	}
	buf_free(&pa);
	buf_free(&qa);
	buf_free(&pb);
	buf_free(&qb);
	buf_free(&s1);
	buf_free(&s2);
	buf_free(&again);
}
END_TEST

START_TEST(exponent_lengths)
{
	const struct dh_group *g = dh_group_by_id(DH_MODP2048);
	ck_assert_uint_eq(g->exp_bits, 320); /* RFC 3526: 2 x 160-bit strength */
	ck_assert_uint_eq(dh_exp_bits(g, 0), 320);
	ck_assert_uint_eq(dh_exp_bits(g, 100), 320); /* never shorter than the table */
	ck_assert_uint_eq(dh_exp_bits(g, 512), 512);
	ck_assert_uint_eq(dh_exp_bits(g, 100000), 2047); /* "full": just below p */
	ck_assert_uint_eq(dh_exp_bits(dh_group_by_id(DH_MODP8192), 0), 620);
	ck_assert_uint_eq(dh_exp_bits(dh_group_by_id(DH_MODP1536), 0), 240);
	/* a full-length exponent still agrees */
	struct buf pa, qa, pb, qb, s1, s2;
	const struct dh_group *g2 = dh_group_by_id(DH_MODP1024);
	ck_assert_int_eq(dh_keygen(g2, 100000, &pa, &qa), 0);
	ck_assert_int_eq(dh_keygen(g2, 0, &pb, &qb), 0);
	ck_assert_uint_eq(pa.ptr[0], 0x40 | (pa.ptr[0] & 0x3f)); /* 1023 bits */
	ck_assert_int_eq(dh_shared(g2, &pa, &qb, &s1), 0);
	ck_assert_int_eq(dh_shared(g2, &pb, &qa, &s2), 0);
	ck_assert_mem_eq(s1.ptr, s2.ptr, s1.len);
	buf_free(&pa);
	buf_free(&qa);
	buf_free(&pb);
	buf_free(&qb);
	buf_free(&s1);
	buf_free(&s2);
}
END_TEST

/* RFC 5903 section 8: i, g^i = (gix, giy), r, g^r, and the shared x coordinate. */
static const struct {
	uint16_t id;
	const char *i, *gi, *r, *gr, *girx;
} rfc5903[] = {
	{ 19, "c88f01f510d9ac3f70a292daa2316de544e9aab8afe84049c62a9c57862d1433",
	  "dad0b65394221cf9b051e1feca5787d098dfe637fc90b9ef945d0c3772581180"
	  "5271a0461cdb8252d61f1c456fa3e59ab1f45b33accf5f58389e0577b8990bb3",
	  "c6ef9c5d78ae012a011164acb397ce2088685d8f06bf9be0b283ab46476bee53",
	  "d12dfb5289c8d4f81208b70270398c342296970a0bccb74c736fc7554494bf63"
	  "56fbf3ca366cc23e8157854c13c58d6aac23f046ada30f8353e74f33039872ab",
	  "d6840f6b42f6edafd13116e0e12565202fef8e9ece7dce03812464d04b9442de" },
	{ 20,
	  "099f3c7034d4a2c699884d73a375a67f7624ef7c6b3c0f160647b67414dce655"
	  "e35b538041e649ee3faef896783ab194",
	  "667842d7d180ac2cde6f74f37551f55755c7645c20ef73e31634fe72b4c55ee6"
	  "de3ac808acb4bdb4c88732aee95f41aa"
	  "9482ed1fc0eeb9cafc4984625ccfc23f65032149e0e144ada024181535a0f38e"
	  "eb9fcff3c2c947dae69b4c634573a81c",
	  "41cb0779b4bdb85d47846725fbec3c9430fab46cc8dc5060855cc9bda0aa2942"
	  "e0308312916b8ed2960e4bd55a7448fc",
	  "e558dbef53eecde3d3fccfc1aea08a89a987475d12fd950d83cfa41732bc509d"
	  "0d1ac43a0336def96fda41d0774a3571"
	  "dcfbec7aacf3196472169e838430367f66eebe3c6e70c416dd5f0c68759dd1ff"
	  "f83fa40142209dff5eaad96db9e6386c",
	  "11187331c279962d93d604243fd592cb9d0a926f422e47187521287e7156c5c4"
	  "d603135569b9e9d09cf5d4a270f59746" },
	{ 21,
	  "0037ade9319a89f4dabdb3ef411aaccca5123c61acab57b5393dce47608172a0"
	  "95aa85a30fe1c2952c6771d937ba9777f5957b2639bab072462f68c27a57382d"
	  "4a52",
	  "0015417e84dbf28c0ad3c278713349dc7df153c897a1891bd98bab4357c9ecbe"
	  "e1e3bf42e00b8e380aeae57c2d107564941885942af5a7f4601723c4195d176c"
	  "ed3e"
	  "017cae20b6641d2eeb695786d8c946146239d099e18e1d5a514c739d7cb4a10a"
	  "d8a788015ac405d7799dc75e7b7d5b6cf2261a6a7f1507438bf01beb6ca3926f"
	  "9582",
	  "0145ba99a847af43793fdd0e872e7cdfa16be30fdc780f97bccc3f078380201e"
	  "9c677d600b343757a3bdbf2a3163e4c2f869cca7458aa4a4effc311f5cb15168"
	  "5eb9",
	  "00d0b3975ac4b799f5bea16d5e13e9af971d5e9b984c9f39728b5e5739735a21"
	  "9b97c356436adc6e95bb0352f6be64a6c2912d4ef2d0433ced2b6171640012d9"
	  "460f"
	  "015c68226383956e3bd066e797b623c27ce0eac2f551a10c2c724d9852077b87"
	  "220b6536c5c408a1d2aebb8e86d678ae49cb57091f4732296579ab44fcd17f0f"
	  "c56a",
	  "01144c7d79ae6956bc8edb8e7c787c4521cb086fa64407f97894e5e6b2d79b04"
	  "d1427e73ca4baa240a34786859810c06b3c715a3a8cc3151f2bee417996d19f3"
	  "ddea" },
};

START_TEST(ecp_rfc5903_vectors)
{
	const struct dh_group *g = dh_group_by_id(rfc5903[_i].id);
	uint8_t i[66], r[66], gi[132], gr[132];
	struct buf bi = buf_view(i, tc_unhex(rfc5903[_i].i, i, sizeof(i)));
	struct buf br = buf_view(r, tc_unhex(rfc5903[_i].r, r, sizeof(r)));
	struct buf bgi = buf_view(gi, tc_unhex(rfc5903[_i].gi, gi, sizeof(gi)));
	struct buf bgr = buf_view(gr, tc_unhex(rfc5903[_i].gr, gr, sizeof(gr)));
	struct buf pub, s;
	ck_assert_int_eq(dh_public_from_private(g, &bi, &pub), 0);
	TC_ASSERT_HEX(pub.ptr, pub.len, rfc5903[_i].gi);
	buf_free(&pub);
	ck_assert_int_eq(dh_public_from_private(g, &br, &pub), 0);
	TC_ASSERT_HEX(pub.ptr, pub.len, rfc5903[_i].gr);
	buf_free(&pub);
	ck_assert_int_eq(dh_shared(g, &bi, &bgr, &s), 0);
	TC_ASSERT_HEX(s.ptr, s.len, rfc5903[_i].girx);
	buf_free(&s);
	ck_assert_int_eq(dh_shared(g, &br, &bgi, &s), 0);
	TC_ASSERT_HEX(s.ptr, s.len, rfc5903[_i].girx);
	buf_free(&s);
}
END_TEST

/* A MODP value p + delta (delta may be negative), big-endian at public_len. */
static void modp_value(const struct dh_group *g, long delta, uint8_t *out)
{
	mpz_t v;
	mpz_init_set_str(v, ((const struct dh_modp_impl *)g->impl)->p_hex, 16);
	if (delta >= 0)
		mpz_add_ui(v, v, (unsigned long)delta);
	else
		mpz_sub_ui(v, v, (unsigned long)-delta);
	put_mpz(v, out, g->public_len);
	mpz_clear(v);
}

START_TEST(modp_refuses_bad_peer_values)
{
	static const uint16_t ids[] = { 1, 2, 5, 14, 15, 16, 17, 18 };
	const struct dh_group *g = dh_group_by_id(ids[_i]);
	uint8_t v[DH_MAX_PUBLIC + 1];
	struct buf priv, pub, s;
	ck_assert_int_eq(dh_keygen(g, 0, &priv, &pub), 0);
	struct buf bv = buf_view(v, g->public_len);
	/* 0, 1 */
	memset(v, 0, sizeof(v));
	ck_assert_int_eq(dh_check_public(g, &bv), -EBADMSG);
	v[g->public_len - 1] = 1;
	ck_assert_int_eq(dh_check_public(g, &bv), -EBADMSG);
	ck_assert_int_eq(dh_shared(g, &priv, &bv, &s), -EBADMSG);
	ck_assert_ptr_null(s.ptr);
	/* p-1 (order 2), p, p+1, all ones (>= p) */
	static const long deltas[] = { -1, 0, 1 };
	for (size_t k = 0; k < 3; k++) {
		modp_value(g, deltas[k], v);
		ck_assert_int_eq(dh_check_public(g, &bv), -EBADMSG);
	}
	memset(v, 0xff, g->public_len);
	ck_assert_int_eq(dh_check_public(g, &bv), -EBADMSG);
	/* p-2 is in range but a non-residue ((-2/p) = -1 for p = 7 mod 8): wrong subgroup */
	modp_value(g, -2, v);
	ck_assert_int_eq(dh_check_public(g, &bv), -EBADMSG);
	/* 2 = g is fine; 4 = g^2 too */
	memset(v, 0, g->public_len);
	v[g->public_len - 1] = 4;
	ck_assert_int_eq(dh_check_public(g, &bv), 0);
	/* wrong lengths, even for a good value */
	struct buf shortv = buf_view(pub.ptr + 1, pub.len - 1);
	ck_assert_int_eq(dh_check_public(g, &shortv), -EBADMSG);
	memset(v, 0, sizeof(v));
	memcpy(v + 1, pub.ptr, pub.len);
	struct buf longv = buf_view(v, pub.len + 1);
	ck_assert_int_eq(dh_check_public(g, &longv), -EBADMSG);
	struct buf nullv = buf_view(NULL, 0);
	ck_assert_int_eq(dh_check_public(g, &nullv), -EBADMSG);
	ck_assert_int_eq(dh_check_public(g, NULL), -EBADMSG);
	ck_assert_int_eq(dh_check_public(g, &pub), 0);
	buf_free(&priv);
	buf_free(&pub);
}
END_TEST

START_TEST(ecp_refuses_bad_peer_values)
{
	const struct dh_group *g = dh_group_by_id(all_groups[8 + _i]);
	size_t cl = g->public_len / 2;
	struct buf priv, pub, s;
	ck_assert_int_eq(dh_keygen(g, 0, &priv, &pub), 0);
	uint8_t v[132];
	struct buf bv = buf_view(v, pub.len);
	/* not on the curve: one bit of y flipped */
	memcpy(v, pub.ptr, pub.len);
	v[pub.len - 1] ^= 1;
	ck_assert_int_eq(dh_check_public(g, &bv), -EBADMSG);
	ck_assert_int_eq(dh_shared(g, &priv, &bv, &s), -EBADMSG);
	ck_assert_ptr_null(s.ptr);
	/* (0, 0) and coordinates of all ones (>= p) */
	memset(v, 0, sizeof(v));
	ck_assert_int_eq(dh_check_public(g, &bv), -EBADMSG);
	memset(v, 0xff, sizeof(v));
	ck_assert_int_eq(dh_check_public(g, &bv), -EBADMSG);
	/* x alone (a compressed-style value) or one byte short */
	struct buf xonly = buf_view(pub.ptr, cl);
	ck_assert_int_eq(dh_check_public(g, &xonly), -EBADMSG);
	struct buf shortv = buf_view(pub.ptr, pub.len - 1);
	ck_assert_int_eq(dh_check_public(g, &shortv), -EBADMSG);
	ck_assert_int_eq(dh_check_public(g, &pub), 0);
	buf_free(&priv);
	buf_free(&pub);
}
END_TEST

START_TEST(ecp_random_junk_is_refused)
{
	/* random x || y is on the curve with negligible probability: all refused, no crash */
	const struct dh_group *g = dh_group_by_id(all_groups[8 + _i]);
	uint8_t v[132];
	struct buf bv = buf_view(v, g->public_len), s;
	struct buf priv, pub;
	ck_assert_int_eq(dh_keygen(g, 0, &priv, &pub), 0);
	for (int k = 0; k < 200; k++) {
		ck_assert_int_eq(crypto_random(v, g->public_len), 0);
		ck_assert_int_eq(dh_check_public(g, &bv), -EBADMSG);
		ck_assert_int_eq(dh_shared(g, &priv, &bv, &s), -EBADMSG);
	}
	buf_free(&priv);
	buf_free(&pub);
}
END_TEST

START_TEST(refuses_bad_private_values)
{
	const struct dh_group *g = dh_group_by_id(all_groups[_i]);
	struct buf priv, pub, s, out;
	ck_assert_int_eq(dh_keygen(g, 0, &priv, &pub), 0);
	uint8_t v[DH_MAX_PUBLIC + 1];
	memset(v, 0, sizeof(v));
	struct buf zero = buf_view(v, g->private_len);
	ck_assert_int_eq(dh_shared(g, &zero, &pub, &s), -EINVAL);
	ck_assert_int_eq(dh_public_from_private(g, &zero, &out), -EINVAL);
	struct buf toolong = buf_view(v, g->private_len + 1);
	ck_assert_int_eq(dh_public_from_private(g, &toolong, &out), -EINVAL);
	memset(v, 0xff, sizeof(v)); /* >= p, >= the curve order */
	struct buf big = buf_view(v, g->private_len);
	ck_assert_int_eq(dh_public_from_private(g, &big, &out), -EINVAL);
	ck_assert_ptr_null(out.ptr);
	buf_free(&priv);
	buf_free(&pub);
}
END_TEST

START_TEST(group_lookup)
{
	ck_assert_ptr_eq(dh_group_by_name("modp2048"), dh_group_by_id(14));
	ck_assert_ptr_eq(dh_group_by_name("14"), dh_group_by_id(14));
	ck_assert_ptr_eq(dh_group_by_name("ECP384"), dh_group_by_id(20));
	ck_assert_ptr_null(dh_group_by_name("modp999"));
	ck_assert_ptr_null(dh_group_by_name(""));
	ck_assert_ptr_null(dh_group_by_name("3"));
	ck_assert_ptr_null(dh_group_by_name("99999999999"));
	ck_assert_ptr_null(dh_group_by_name("14x"));
	ck_assert_ptr_null(dh_group_by_id(22));
	ck_assert_ptr_null(dh_group_by_id(0));
	ck_assert(dh_group_by_id(21)->ecp);
	ck_assert_uint_eq(dh_group_by_id(21)->public_len, 132);
	ck_assert_uint_eq(dh_group_by_id(21)->shared_len, 66);
}
END_TEST

START_TEST(gmp_allocations_are_wiped)
{
	/* main() called crypto_init(): GMP now frees through the wiping functions, and
	 * growing and shrinking numbers (realloc) still compute correctly. */
	ck_assert(crypto_gmp_wipes());
	mpz_t z;
	mpz_init_set_ui(z, 1);
	for (int i = 0; i < 20; i++)
		mpz_mul_2exp(z, z, 1000);
	ck_assert_uint_eq(mpz_sizeinbase(z, 2), 20001);
	mpz_realloc2(z, 64);
	ck_assert_int_eq(mpz_sgn(z), 0); /* GMP sets a value too big for the new size to 0 */
	mpz_clear(z);
}
END_TEST

static Suite *dh_suite(void)
{
	Suite *s = suite_create("crypto_dh");
	TCase *tc = tcase_create("dh");
	tcase_set_timeout(tc, 120); /* 8192-bit primality checks under sanitizers */
	size_t ng = sizeof(all_groups) / sizeof(all_groups[0]);
	tcase_add_loop_test(tc, modp_primes_are_safe_primes, 0, sizeof(modp) / sizeof(modp[0]));
	tcase_add_loop_test(tc, jacobi_equals_subgroup_test, 0, 3);
	tcase_add_loop_test(tc, key_agreement_every_group, 0, (int)ng);
	tcase_add_test(tc, exponent_lengths);
	tcase_add_loop_test(tc, ecp_rfc5903_vectors, 0, 3);
	tcase_add_loop_test(tc, modp_refuses_bad_peer_values, 0, 8);
	tcase_add_loop_test(tc, ecp_refuses_bad_peer_values, 0, 3);
	tcase_add_loop_test(tc, ecp_random_junk_is_refused, 0, 3);
	tcase_add_loop_test(tc, refuses_bad_private_values, 0, (int)ng);
	tcase_add_test(tc, group_lookup);
	tcase_add_test(tc, gmp_allocations_are_wiped);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	crypto_init(); /* as the daemon does: every DH test runs with wiping GMP allocations */
	SRunner *sr = srunner_create(dh_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
