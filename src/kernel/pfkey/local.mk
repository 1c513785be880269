# src/kernel/pfkey: the PF_KEY v2 backend, part of libkernel.a (included after
# src/kernel/local.mk), and its unit suites.
src_kernel_libkernel_a_SOURCES += \
	src/kernel/pfkey/pfkey.h src/kernel/pfkey/pfkey.c src/kernel/pfkey/pfkey_msg.c \
	src/kernel/pfkey/pfkey_algs.c src/kernel/pfkey/pfkey_build.c \
	src/kernel/pfkey/pfkey_parse.c src/kernel/pfkey/pfkey_events.c

PFKEY_TEST_LDADD = src/kernel/libkernel.a src/event/libevent.a src/log/liblog.a \
	src/common/libcommon.a $(LIBMNL_LIBS) $(LIBSYSTEMD_LIBS) $(CHECK_LIBS)

UNIT_TESTS += tests/unit/test_pfkey tests/unit/test_pfkey_open
check_PROGRAMS += tests/unit/test_pfkey tests/unit/test_pfkey_open
tests_unit_test_pfkey_SOURCES = tests/unit/test_pfkey.c tests/unit/test_pfkey_fixtures.h
tests_unit_test_pfkey_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(LIBSYSTEMD_CFLAGS)
tests_unit_test_pfkey_LDADD = $(PFKEY_TEST_LDADD)
tests_unit_test_pfkey_open_SOURCES = tests/unit/test_pfkey_open.c
tests_unit_test_pfkey_open_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(LIBSYSTEMD_CFLAGS)
tests_unit_test_pfkey_open_LDADD = $(PFKEY_TEST_LDADD)
