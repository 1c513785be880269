# src/spd: the in-memory copy of the kernel's SPD.
noinst_LIBRARIES += src/spd/libspd.a
src_spd_libspd_a_SOURCES = src/spd/spd.h src/spd/spd.c

UNIT_TESTS += tests/unit/test_spd
check_PROGRAMS += tests/unit/test_spd
tests_unit_test_spd_SOURCES = tests/unit/test_spd.c
tests_unit_test_spd_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_spd_LDADD = src/spd/libspd.a src/kernel/libkernel.a src/event/libevent.a \
	src/log/liblog.a src/common/libcommon.a $(CHECK_LIBS) $(LIBSYSTEMD_LIBS) $(LIBMNL_LIBS)

UNIT_TESTS += tests/unit/test_spd_ike
check_PROGRAMS += tests/unit/test_spd_ike
tests_unit_test_spd_ike_SOURCES = tests/unit/test_spd_ike.c tests/unit/ike_harness.h
tests_unit_test_spd_ike_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_spd_ike_LDADD = $(IKE_TEST_LIBS)

# The demo (README's first command) runs the SPD-driven lab scenario 88.
EXTRA_DIST += scripts/demo.sh
