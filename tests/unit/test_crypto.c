/* Unit tests: crypto/hash (hashes, HMAC PRF), crypto/cipher (CBC), crypto/random.
 * Known-answer vectors: FIPS 180 examples, RFC 1321, RFC 2202, RFC 4231, SP 800-38A,
 * FIPS 81, RFC 2144, RFC 3713 and Schneier's Blowfish vectors. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/cipher.h"
#include "crypto/hash.h"
#include "crypto/ipsec_alg.h"
#include "crypto/random.h"
#include "test_crypto_util.h"

static const struct {
	uint16_t id;
	const char *abc; /* hash("abc") */
	const char *jefe; /* HMAC(key "Jefe", "what do ya want for nothing?") */
} hash_kat[] = {
	{ CRYPTO_HASH_MD5, "900150983cd24fb0d6963f7d28e17f72", "750c783e6ab0b503eaa86e310a5db738" },
	{ CRYPTO_HASH_SHA1, "a9993e364706816aba3e25717850c26c9cd0d89d",
	  "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79" },
	{ CRYPTO_HASH_SHA2_256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	  "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
	{ CRYPTO_HASH_SHA2_384,
	  "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
	  "8086072ba1e7cc2358baeca134c825a7",
	  "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
	  "8e2240ca5e69e2c78b3239ecfab21649" },
	{ CRYPTO_HASH_SHA2_512,
	  "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
	  "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
	  "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
	  "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737" },
};

START_TEST(hash_known_answers)
{
	const struct crypto_hash *h = crypto_hash_by_ike(hash_kat[_i].id);
	ck_assert_ptr_nonnull(h);
	uint8_t out[CRYPTO_MAX_DIGEST];
	crypto_hash(h, "abc", 3, out);
	TC_ASSERT_HEX(out, h->digest_len, hash_kat[_i].abc);

	/* the same through crypto_hash_v with the input in two parts */
	struct buf a = buf_view("a", 1), bc = buf_view("bc", 2);
	const struct buf *parts[] = { &a, NULL, &bc };
	memset(out, 0, sizeof(out));
	crypto_hash_v(h, out, 3, parts);
	TC_ASSERT_HEX(out, h->digest_len, hash_kat[_i].abc);

	const char *msg = "what do ya want for nothing?";
	crypto_prf(h, "Jefe", 4, msg, strlen(msg), out);
	TC_ASSERT_HEX(out, h->digest_len, hash_kat[_i].jefe);

	/* incremental, and reusable after a digest (Nettle re-keys the context) */
	struct crypto_prf_ctx c;
	crypto_prf_init(&c, h, "Jefe", 4);
	for (int round = 0; round < 2; round++) {
		crypto_prf_update(&c, msg, 10);
		crypto_prf_update(&c, msg + 10, strlen(msg) - 10);
		memset(out, 0, sizeof(out));
		crypto_prf_digest(&c, out);
		TC_ASSERT_HEX(out, h->digest_len, hash_kat[_i].jefe);
	}
	crypto_prf_wipe(&c);
}
END_TEST

START_TEST(hmac_long_key)
{
	/* RFC 4231 test case 6: a 131-byte key is hashed first. */
	uint8_t key[131], out[CRYPTO_MAX_DIGEST];
	memset(key, 0xaa, sizeof(key));
	const char *msg = "Test Using Larger Than Block-Size Key - Hash Key First";
	crypto_prf(crypto_hash_by_ike(CRYPTO_HASH_SHA2_256), key, sizeof(key), msg, strlen(msg), out);
	TC_ASSERT_HEX(out, 32, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}
END_TEST

START_TEST(hash_lookup)
{
	ck_assert_ptr_null(crypto_hash_by_ike(0));
	ck_assert_ptr_null(crypto_hash_by_ike(3)); /* Tiger: not supported */
	ck_assert_ptr_null(crypto_hash_by_ike(7));
	ck_assert_ptr_null(crypto_hash_by_name("whirlpool"));
	ck_assert_ptr_null(crypto_hash_by_name(NULL));
	ck_assert_ptr_eq(crypto_hash_by_name("sha2_384"), crypto_hash_by_ike(CRYPTO_HASH_SHA2_384));
	ck_assert_ptr_eq(crypto_hash_by_name("SHA1"), crypto_hash_by_ike(CRYPTO_HASH_SHA1));
	ck_assert_uint_eq(crypto_hash_by_name("sha512")->digest_len, 64);
	ck_assert_uint_eq(crypto_hash_by_name("sha384")->block_len, 128);
}
END_TEST

struct cbc_kat {
	uint16_t id;
	const char *key, *iv, *plain, *cipher;
};

static const struct cbc_kat cbc_kat[] = {
	/* SP 800-38A F.2.1, F.2.3, F.2.5 (first two blocks) */
	{ CRYPTO_CIPHER_AES, "2b7e151628aed2a6abf7158809cf4f3c", "000102030405060708090a0b0c0d0e0f",
	  "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51",
	  "7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2" },
	{ CRYPTO_CIPHER_AES, "8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b",
	  "000102030405060708090a0b0c0d0e0f",
	  "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51",
	  "4f021db243bc633d7178183a9fa071e8b4d9ada9ad7dedf4e5e738763f69145a" },
	{ CRYPTO_CIPHER_AES, "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
	  "000102030405060708090a0b0c0d0e0f",
	  "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51",
	  "f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d" },
	/* FIPS 81 CBC example: "Now is the time for all " */
	{ CRYPTO_CIPHER_DES, "0123456789abcdef", "1234567890abcdef",
	  "4e6f77206973207468652074696d6520666f7220616c6c20",
	  "e5c7cdde872bf27c43e934008c389c0f683788499a7c05f6" },
	/* 3DES with K1 = K2 = K3 is single DES: the FIPS 81 example again */
	{ CRYPTO_CIPHER_3DES, "0123456789abcdef0123456789abcdef0123456789abcdef", "1234567890abcdef",
	  "4e6f77206973207468652074696d6520666f7220616c6c20",
	  "e5c7cdde872bf27c43e934008c389c0f683788499a7c05f6" },
	/* RFC 2144 B.1 (one block, zero IV = ECB): 128-, 80- and 40-bit keys */
	{ CRYPTO_CIPHER_CAST, "0123456712345678234567893456789a", "0000000000000000",
	  "0123456789abcdef", "238b4fe5847e44b2" },
	{ CRYPTO_CIPHER_CAST, "01234567123456782345", "0000000000000000", "0123456789abcdef",
	  "eb6a711a2c02271b" },
	{ CRYPTO_CIPHER_CAST, "0123456712", "0000000000000000", "0123456789abcdef",
	  "7ac816d16e9b302e" },
	/* Schneier's Blowfish ECB vectors */
	{ CRYPTO_CIPHER_BLOWFISH, "ffffffffffffffff", "0000000000000000", "ffffffffffffffff",
	  "51866fd5b85ecb8a" },
	{ CRYPTO_CIPHER_BLOWFISH, "0123456789abcdef", "0000000000000000", "1111111111111111",
	  "61f9c3802281b096" },
	/* Eric Young's set_key vectors: a 40-bit key (IKE's minimum) and a 64-bit one */
	{ CRYPTO_CIPHER_BLOWFISH, "f0e1d2c3b4", "0000000000000000", "fedcba9876543210",
	  "b39e44481bdb1e6e" },
	{ CRYPTO_CIPHER_BLOWFISH, "f0e1d2c3b4a59687", "0000000000000000", "fedcba9876543210",
	  "e87a244e2cc85e82" },
	/* RFC 3713 Appendix A */
	{ CRYPTO_CIPHER_CAMELLIA, "0123456789abcdeffedcba9876543210", "00000000000000000000000000000000",
	  "0123456789abcdeffedcba9876543210", "67673138549669730857065648eabe43" },
	{ CRYPTO_CIPHER_CAMELLIA, "0123456789abcdeffedcba98765432100011223344556677",
	  "00000000000000000000000000000000", "0123456789abcdeffedcba9876543210",
	  "b4993401b3e996f84ee5cee7d79b09b9" },
	{ CRYPTO_CIPHER_CAMELLIA,
	  "0123456789abcdeffedcba987654321000112233445566778899aabbccddeeff",
	  "00000000000000000000000000000000", "0123456789abcdeffedcba9876543210",
	  "9acc237dff16d76c20ef7c919e3a7509" },
};

START_TEST(cbc_known_answers)
{
	const struct cbc_kat *k = &cbc_kat[_i];
	const struct crypto_cipher *c = crypto_cipher_by_ike(k->id);
	ck_assert_ptr_nonnull(c);
	uint8_t key[64], iv[16], iv2[16], data[64];
	size_t klen = tc_unhex(k->key, key, sizeof(key));
	size_t ivlen = tc_unhex(k->iv, iv, sizeof(iv));
	size_t n = tc_unhex(k->plain, data, sizeof(data));
	ck_assert_uint_eq(ivlen, c->block_len);
	memcpy(iv2, iv, ivlen);
	ck_assert_int_eq(crypto_cbc_encrypt(c, key, klen, iv, data, n), 0);
	TC_ASSERT_HEX(data, n, k->cipher);
	/* the IV out is the last ciphertext block: IKEv1 chains it into the next message */
	ck_assert_mem_eq(iv, data + n - ivlen, ivlen);
	ck_assert_int_eq(crypto_cbc_decrypt(c, key, klen, iv2, data, n), 0);
	TC_ASSERT_HEX(data, n, k->plain);
	ck_assert_mem_eq(iv2, iv, ivlen);
}
END_TEST

START_TEST(cbc_refuses_bad_input)
{
	const struct crypto_cipher *aes = crypto_cipher_by_ike(CRYPTO_CIPHER_AES);
	uint8_t key[32] = { 0 }, iv[16] = { 0 }, data[32] = { 0 };
	ck_assert_int_eq(crypto_cbc_encrypt(aes, key, 16, iv, data, 15), -EINVAL);
	ck_assert_int_eq(crypto_cbc_decrypt(aes, key, 16, iv, data, 17), -EINVAL);
	ck_assert_int_eq(crypto_cbc_encrypt(aes, key, 20, iv, data, 16), -EINVAL);
	ck_assert_int_eq(crypto_cbc_encrypt(aes, key, 0, iv, data, 16), -EINVAL);
	ck_assert_int_eq(crypto_cbc_encrypt(NULL, key, 16, iv, data, 16), -EINVAL);
	ck_assert_int_eq(crypto_cbc_encrypt(aes, key, 16, iv, data, 0), 0);
	/* DES weak key 0101010101010101 and a 3DES key containing it */
	const struct crypto_cipher *des = crypto_cipher_by_ike(CRYPTO_CIPHER_DES);
	const struct crypto_cipher *des3 = crypto_cipher_by_ike(CRYPTO_CIPHER_3DES);
	uint8_t weak[24];
	memset(weak, 0x01, sizeof(weak));
	ck_assert_int_eq(crypto_cbc_encrypt(des, weak, 8, iv, data, 8), -EKEYREJECTED);
	ck_assert_int_eq(crypto_cbc_encrypt(des3, weak, 24, iv, data, 8), -EKEYREJECTED);
	ck_assert_int_eq(crypto_cbc_encrypt(des3, weak, 16, iv, data, 8), -EINVAL);
}
END_TEST

START_TEST(cipher_key_lengths)
{
	const struct crypto_cipher *aes = crypto_cipher_by_name("aes");
	ck_assert_ptr_eq(aes, crypto_cipher_by_name("rijndael"));
	ck_assert_int_eq(crypto_cipher_key_len(aes, 0), 16);
	ck_assert_int_eq(crypto_cipher_key_len(aes, 128), 16);
	ck_assert_int_eq(crypto_cipher_key_len(aes, 192), 24);
	ck_assert_int_eq(crypto_cipher_key_len(aes, 256), 32);
	ck_assert_int_eq(crypto_cipher_key_len(aes, 160), -EINVAL);
	ck_assert_int_eq(crypto_cipher_key_len(aes, 512), -EINVAL);
	ck_assert_int_eq(crypto_cipher_key_len(aes, 64), -EINVAL);
	const struct crypto_cipher *bf = crypto_cipher_by_ike(CRYPTO_CIPHER_BLOWFISH);
	ck_assert_int_eq(crypto_cipher_key_len(bf, 0), 16);
	ck_assert_int_eq(crypto_cipher_key_len(bf, 448), 56);
	ck_assert_int_eq(crypto_cipher_key_len(bf, 41), -EINVAL);
	ck_assert_int_eq(crypto_cipher_key_len(bf, 456), -EINVAL);
	const struct crypto_cipher *des3 = crypto_cipher_by_name("3des");
	ck_assert_int_eq(crypto_cipher_key_len(des3, 0), 24);
	ck_assert_int_eq(crypto_cipher_key_len(des3, 192), 24);
	ck_assert_int_eq(crypto_cipher_key_len(des3, 128), -EINVAL);
	ck_assert(crypto_cipher_by_name("des")->legacy);
	ck_assert(!des3->legacy);
	ck_assert_ptr_eq(crypto_cipher_by_name("cast128"), crypto_cipher_by_ike(CRYPTO_CIPHER_CAST));
	ck_assert_ptr_eq(crypto_cipher_by_name("camellia"), crypto_cipher_by_ike(CRYPTO_CIPHER_CAMELLIA));
	ck_assert_ptr_null(crypto_cipher_by_ike(2)); /* IDEA */
	ck_assert_ptr_null(crypto_cipher_by_ike(0));
	ck_assert_ptr_null(crypto_cipher_by_name("rc5"));
	ck_assert_ptr_null(crypto_cipher_by_name(NULL));
}
END_TEST

START_TEST(random_fills)
{
	uint8_t a[64] = { 0 }, b[64] = { 0 }, z[64] = { 0 };
	ck_assert_int_eq(crypto_random(a, sizeof(a)), 0);
	ck_assert_int_eq(crypto_random(b, sizeof(b)), 0);
	/* 512 random bits: equal to zero or to each other only if getrandom is broken */
	ck_assert(memcmp(a, z, sizeof(a)) != 0);
	ck_assert(memcmp(a, b, sizeof(a)) != 0);
	ck_assert_int_eq(crypto_random(a, 0), 0);
	/* a large request is filled completely (getrandom may return short counts) */
	size_t n = 1 << 20;
	uint8_t *big = calloc(1, n);
	ck_assert_ptr_nonnull(big);
	ck_assert_int_eq(crypto_random(big, n), 0);
	ck_assert(memcmp(big + n - 64, z, 64) != 0);
	free(big);
}
END_TEST

START_TEST(ipsec_keymat_lengths)
{
	const struct ipsec_enc_alg *gcm = ipsec_enc_by_id(IPSEC_ESP_AES_GCM_16);
	const struct ipsec_auth_alg *sha256 = ipsec_auth_by_name("hmac_sha2_256");
	ck_assert(gcm->aead);
	ck_assert_uint_eq(gcm->icv_len, 16);
	/* RFC 4106 8.1: key plus a 4-byte salt */
	ck_assert_int_eq(ipsec_enc_keymat_len(gcm, 0), 20);
	ck_assert_int_eq(ipsec_enc_keymat_len(gcm, 256), 36);
	ck_assert_int_eq(ipsec_keymat_len(gcm, 128, NULL), 20);
	ck_assert_int_eq(ipsec_enc_keymat_len(ipsec_enc_by_id(IPSEC_ESP_AES_CCM_8), 128), 19);
	ck_assert_int_eq(ipsec_enc_keymat_len(ipsec_enc_by_id(IPSEC_ESP_AES_CTR), 192), 28);
	ck_assert_int_eq(ipsec_keymat_len(ipsec_enc_by_name("aes"), 128, sha256), 48);
	ck_assert_int_eq(ipsec_keymat_len(ipsec_enc_by_name("3des"), 0, ipsec_auth_by_id(1)), 40);
	ck_assert_int_eq(ipsec_keymat_len(ipsec_enc_by_name("null"), 0, ipsec_auth_by_id(2)), 20);
	ck_assert_int_eq(ipsec_keymat_len(NULL, 0, ipsec_auth_by_id(7)), 64); /* AH */
	ck_assert_int_eq(ipsec_keymat_len(NULL, 0, NULL), -EINVAL);
	ck_assert_int_eq(ipsec_enc_keymat_len(ipsec_enc_by_name("aes"), 100), -EINVAL);
	ck_assert_int_eq(ipsec_enc_keymat_len(ipsec_enc_by_name("3des"), 128), -EINVAL);
	ck_assert_int_eq(ipsec_enc_keymat_len(ipsec_enc_by_name("blowfish"), 448), 56);
	ck_assert_uint_eq(sha256->trunc_bits, 128); /* RFC 4868 */
	ck_assert_uint_eq(ipsec_auth_by_id(IPSEC_AUTH_HMAC_SHA2_512)->trunc_bits, 256);
	ck_assert_ptr_eq(ipsec_enc_by_name("rijndael"), ipsec_enc_by_id(IPSEC_ESP_AES));
	ck_assert_ptr_eq(ipsec_enc_by_name("aes_gcm_16"), gcm); /* racoon.conf spelling */
	ck_assert_int_eq(ipsec_enc_keymat_len(ipsec_enc_by_name("twofish"), 256), 32);
	ck_assert_ptr_null(ipsec_enc_by_id(1));
	ck_assert_ptr_null(ipsec_enc_by_name("rc5"));
	ck_assert_ptr_null(ipsec_auth_by_id(3));
	ck_assert_ptr_null(ipsec_auth_by_name(NULL));
}
END_TEST

static Suite *crypto_suite(void)
{
	Suite *s = suite_create("crypto");
	TCase *tc = tcase_create("primitives");
	tcase_add_loop_test(tc, hash_known_answers, 0, sizeof(hash_kat) / sizeof(hash_kat[0]));
	tcase_add_test(tc, hmac_long_key);
	tcase_add_test(tc, hash_lookup);
	tcase_add_loop_test(tc, cbc_known_answers, 0, sizeof(cbc_kat) / sizeof(cbc_kat[0]));
	tcase_add_test(tc, cbc_refuses_bad_input);
	tcase_add_test(tc, cipher_key_lengths);
	tcase_add_test(tc, random_fills);
	tcase_add_test(tc, ipsec_keymat_lengths);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(crypto_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
