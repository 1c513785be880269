# src/ike: the IKEv1 negotiation engine.
noinst_LIBRARIES += src/ike/libike.a
src_ike_libike_a_SOURCES = \
	src/ike/ike.h src/ike/sa.h src/ike/sa.c src/ike/htab.h src/ike/htab.c \
	src/ike/timer.h src/ike/timer.c src/ike/state.h src/ike/state.c \
	src/ike/handlers.h src/ike/engine.c src/ike/input.c src/ike/events.c \
	src/ike/crypt.h src/ike/crypt.c src/ike/hashmsg.h src/ike/hashmsg.c \
	src/ike/lifecycle.h src/ike/lifecycle.c src/ike/vendor.h src/ike/vendor.c \
	src/ike/phase1.h src/ike/phase1/phase1.c src/ike/phase1/proposal.c \
	src/ike/phase1/main.c src/ike/phase1/aggr.c \
	src/ike/phase1/auth_sig.c src/ike/auth_sig.h \
	src/ike/phase2.h src/ike/phase2/p2.h src/ike/phase2/quick.c \
	src/ike/phase2/proposal.c src/ike/phase2/caps.c src/ike/phase2/sainfo.c \
	src/ike/phase2/install.c \
	src/ike/phase2/policy.h src/ike/phase2/policy.c \
	src/ike/info.h src/ike/info/info.c src/ike/dpd.h src/ike/info/dpd.c \
	src/ike/glue.h src/ike/glue.c
src_ike_libike_a_CFLAGS = $(AM_CFLAGS) $(LIBSYSTEMD_CFLAGS) $(NETTLE_CFLAGS) $(GMP_CFLAGS)

IKE_TEST_LIBS = src/ike/libike.a src/spd/libspd.a src/net/libnet.a src/conf/libconf.a src/kernel/libkernel.a \
	src/isakmp/libisakmp.a src/crypto/libcrypto.a src/event/libevent.a src/log/liblog.a \
	src/common/libcommon.a $(CHECK_LIBS) $(LIBSYSTEMD_LIBS) $(LIBMNL_LIBS) \
	$(CRYPTO_LIBS)

UNIT_TESTS += tests/unit/test_ike_core
check_PROGRAMS += tests/unit/test_ike_core
tests_unit_test_ike_core_SOURCES = tests/unit/test_ike_core.c
tests_unit_test_ike_core_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_ike_core_LDADD = $(IKE_TEST_LIBS)
UNIT_TESTS += tests/unit/test_ike_exchange
check_PROGRAMS += tests/unit/test_ike_exchange
tests_unit_test_ike_exchange_SOURCES = tests/unit/test_ike_exchange.c tests/unit/ike_harness.h
tests_unit_test_ike_exchange_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_ike_exchange_LDADD = $(IKE_TEST_LIBS)
UNIT_TESTS += tests/unit/test_ike_caps
check_PROGRAMS += tests/unit/test_ike_caps
tests_unit_test_ike_caps_SOURCES = tests/unit/test_ike_caps.c tests/unit/ike_harness.h
tests_unit_test_ike_caps_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_ike_caps_LDADD = $(IKE_TEST_LIBS)
UNIT_TESTS += tests/unit/test_ike_hostile
check_PROGRAMS += tests/unit/test_ike_hostile
tests_unit_test_ike_hostile_SOURCES = tests/unit/test_ike_hostile.c tests/unit/ike_harness.h
tests_unit_test_ike_hostile_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_ike_hostile_LDADD = $(IKE_TEST_LIBS)
UNIT_TESTS += tests/unit/test_ike_lifecycle
check_PROGRAMS += tests/unit/test_ike_lifecycle
tests_unit_test_ike_lifecycle_SOURCES = tests/unit/test_ike_lifecycle.c tests/unit/ike_harness.h
tests_unit_test_ike_lifecycle_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_ike_lifecycle_LDADD = $(IKE_TEST_LIBS)
UNIT_TESTS += tests/unit/test_ike_dpd
check_PROGRAMS += tests/unit/test_ike_dpd
tests_unit_test_ike_dpd_SOURCES = tests/unit/test_ike_dpd.c tests/unit/ike_harness.h
tests_unit_test_ike_dpd_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_ike_dpd_LDADD = $(IKE_TEST_LIBS)
UNIT_TESTS += tests/unit/test_ike_mutate
check_PROGRAMS += tests/unit/test_ike_mutate
tests_unit_test_ike_mutate_SOURCES = tests/unit/test_ike_mutate.c tests/unit/ike_harness.h
tests_unit_test_ike_mutate_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_ike_mutate_LDADD = $(IKE_TEST_LIBS)
# The engine against strongSwan's charon (fixtures listed in EXTRA_DIST by src/crypto).
UNIT_TESTS += tests/unit/test_ike_oracle
check_PROGRAMS += tests/unit/test_ike_oracle
tests_unit_test_ike_oracle_SOURCES = tests/unit/test_ike_oracle.c
tests_unit_test_ike_oracle_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(NETTLE_CFLAGS)
tests_unit_test_ike_oracle_LDADD = $(IKE_TEST_LIBS)

# Main Mode with RSA signatures: X.509 (CA, pinned) and plain RSA keys made at test
# time, the refusals and hostile CERT/SIG payloads.
UNIT_TESTS += tests/unit/test_ike_rsasig
check_PROGRAMS += tests/unit/test_ike_rsasig
tests_unit_test_ike_rsasig_SOURCES = tests/unit/test_ike_rsasig.c tests/unit/ike_harness.h \
	tests/unit/cert_util.h
tests_unit_test_ike_rsasig_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(GNUTLS_CFLAGS)
tests_unit_test_ike_rsasig_LDADD = $(IKE_TEST_LIBS)
