# src/crypto: Nettle/GMP (hogweed) for ciphers, hashes, HMAC, MODP and ECP DH.
noinst_LIBRARIES += src/crypto/libcrypto.a
src_crypto_libcrypto_a_SOURCES = \
	src/crypto/hash.c src/crypto/hash.h \
	src/crypto/cipher.c src/crypto/cipher.h \
	src/crypto/random.c src/crypto/random.h \
	src/crypto/dh.c src/crypto/dh.h src/crypto/dh_impl.h \
	src/crypto/dh_modp.c src/crypto/dh_modp_primes.c \
	src/crypto/dh_ecp.c \
	src/crypto/oakley.c src/crypto/oakley.h \
	src/crypto/ipsec_alg.c src/crypto/ipsec_alg.h \
	src/crypto/pubkey.c src/crypto/pubkey.h src/crypto/readfile.h \
	src/crypto/pubkey_impl.h src/crypto/cert_verify.c \
	src/crypto/rsa_gen.c src/crypto/plainrsa.c src/crypto/plainrsa.h \
	src/crypto/init.c src/crypto/init.h
src_crypto_libcrypto_a_CFLAGS = $(AM_CFLAGS) $(NETTLE_CFLAGS) $(HOGWEED_CFLAGS) $(GMP_CFLAGS) \
	$(GNUTLS_CFLAGS)
# What a program linking libcrypto.a needs after it.
CRYPTO_LIBS = $(GNUTLS_LIBS) $(HOGWEED_LIBS) $(NETTLE_LIBS) $(GMP_LIBS)

UNIT_TESTS += tests/unit/test_crypto
check_PROGRAMS += tests/unit/test_crypto
tests_unit_test_crypto_SOURCES = tests/unit/test_crypto.c tests/unit/test_crypto_util.h
tests_unit_test_crypto_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_crypto_LDADD = src/crypto/libcrypto.a src/common/libcommon.a $(CRYPTO_LIBS) $(CHECK_LIBS)

UNIT_TESTS += tests/unit/test_crypto_dh
check_PROGRAMS += tests/unit/test_crypto_dh
tests_unit_test_crypto_dh_SOURCES = tests/unit/test_crypto_dh.c tests/unit/test_crypto_util.h
tests_unit_test_crypto_dh_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(GMP_CFLAGS)
tests_unit_test_crypto_dh_LDADD = src/crypto/libcrypto.a src/common/libcommon.a $(CRYPTO_LIBS) $(CHECK_LIBS)

# Oakley against strongSwan's charon: fixtures recorded by tests/oracle/record-strongswan.sh.
UNIT_TESTS += tests/unit/test_crypto_oakley
check_PROGRAMS += tests/unit/test_crypto_oakley
tests_unit_test_crypto_oakley_SOURCES = tests/unit/test_crypto_oakley.c tests/unit/test_crypto_util.h
tests_unit_test_crypto_oakley_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_crypto_oakley_LDADD = src/crypto/libcrypto.a src/common/libcommon.a $(CRYPTO_LIBS) $(CHECK_LIBS)
EXTRA_DIST += tests/oracle/README.md tests/oracle/record-strongswan.sh tests/oracle/extract-fixtures.py \
	tests/oracle/fixtures/mm-aes128-sha256-modp2048.txt \
	tests/oracle/fixtures/mm-3des-md5-modp1536-pfs.txt \
	tests/oracle/fixtures/mm-aes256-sha512-ecp384-pfs.txt \
	tests/oracle/fixtures/mm-aes256-sha256-ecp521.txt \
	tests/oracle/fixtures/am-aes192-sha1-modp1024-gcm.txt \
	tests/oracle/fixtures/am-aes128-sha384-ecp256-pfs.txt \
	tests/oracle/fixtures/mm-aes128-sha1-modp2048-rsa.txt

# Not part of make check: bench/bench_crypto [N] prints DH, HMAC and CBC timings.
noinst_PROGRAMS += bench/bench_crypto
bench_bench_crypto_SOURCES = bench/bench_crypto.c
bench_bench_crypto_CFLAGS = $(AM_CFLAGS) $(NETTLE_CFLAGS) $(GMP_CFLAGS)
bench_bench_crypto_LDADD = src/crypto/libcrypto.a src/common/libcommon.a $(CRYPTO_LIBS)

UNIT_TESTS += tests/unit/test_crypto_pubkey
check_PROGRAMS += tests/unit/test_crypto_pubkey
tests_unit_test_crypto_pubkey_SOURCES = tests/unit/test_crypto_pubkey.c
tests_unit_test_crypto_pubkey_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(GNUTLS_CFLAGS) $(GMP_CFLAGS)
tests_unit_test_crypto_pubkey_LDADD = src/crypto/libcrypto.a src/common/libcommon.a $(CRYPTO_LIBS) $(CHECK_LIBS)

# Live oracle: fresh charon recordings replayed through test_crypto_oakley (root, netns).
INTEGRATION_TESTS += tests/oracle/live-oracle.sh
EXTRA_DIST += tests/oracle/live-oracle.sh

# The plain RSA key format: write, parse back, refuse junk and inconsistent numbers.
UNIT_TESTS += tests/unit/test_crypto_plainrsa
check_PROGRAMS += tests/unit/test_crypto_plainrsa
tests_unit_test_crypto_plainrsa_SOURCES = tests/unit/test_crypto_plainrsa.c
tests_unit_test_crypto_plainrsa_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_crypto_plainrsa_LDADD = src/crypto/libcrypto.a src/common/libcommon.a $(CRYPTO_LIBS) $(CHECK_LIBS)
