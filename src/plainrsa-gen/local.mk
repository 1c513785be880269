# src/plainrsa-gen: RSA keys in the plain RSA key file format (crypto/plainrsa.h).
sbin_PROGRAMS += plainrsa-gen
plainrsa_gen_SOURCES = src/plainrsa-gen/main.c
plainrsa_gen_LDADD = src/crypto/libcrypto.a src/common/libcommon.a $(CRYPTO_LIBS)

dist_man_MANS += man/plainrsa-gen.8

# Runs the program: format, mode 0600, the numbers checked with GMP (tests/plainrsa/
# check_prsa), the key read back by our parser, option errors.
check_PROGRAMS += tests/plainrsa/check_prsa
tests_plainrsa_check_prsa_SOURCES = tests/plainrsa/check_prsa.c
tests_plainrsa_check_prsa_CFLAGS = $(AM_CFLAGS) $(GMP_CFLAGS) $(NETTLE_CFLAGS)
tests_plainrsa_check_prsa_LDADD = src/crypto/libcrypto.a src/common/libcommon.a $(CRYPTO_LIBS)
UNIT_TESTS += tests/plainrsa/plainrsa_gen.sh
EXTRA_DIST += tests/plainrsa/plainrsa_gen.sh
