# Unit suites (Check). Each links one module library plus what it stands on.
UNIT_TESTS += tests/unit/test_common
check_PROGRAMS += tests/unit/test_common
tests_unit_test_common_SOURCES = tests/unit/test_common.c
tests_unit_test_common_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_common_LDADD = src/common/libcommon.a $(CHECK_LIBS)
