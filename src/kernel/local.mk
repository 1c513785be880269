# src/kernel: the kernel interface (kernel.h), its core, and the XFRM and mock backends.
noinst_LIBRARIES += src/kernel/libkernel.a
src_kernel_libkernel_a_SOURCES = \
	src/kernel/kernel.h src/kernel/internal.h src/kernel/kernel.c \
	src/kernel/algs.c src/kernel/owner.h src/kernel/owner.c src/kernel/flush.c \
	src/kernel/xfrm/xfrm.h src/kernel/xfrm/xfrm.c src/kernel/xfrm/xfrm_build.c \
	src/kernel/xfrm/xfrm_parse.c src/kernel/xfrm/xfrm_events.c \
	src/kernel/mock/mock.h src/kernel/mock/mock.c
src_kernel_libkernel_a_CFLAGS = $(AM_CFLAGS) $(LIBSYSTEMD_CFLAGS) $(LIBMNL_CFLAGS)

# Unit suites: the core over the mock backend; XFRM messages against recorded replies.
KERNEL_TEST_LIBS = src/kernel/libkernel.a src/event/libevent.a src/log/liblog.a \
	src/common/libcommon.a $(LIBMNL_LIBS) $(LIBSYSTEMD_LIBS) $(CHECK_LIBS)
UNIT_TESTS += tests/unit/test_kernel
check_PROGRAMS += tests/unit/test_kernel
tests_unit_test_kernel_SOURCES = tests/unit/test_kernel.c
tests_unit_test_kernel_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_kernel_LDADD = $(KERNEL_TEST_LIBS)
UNIT_TESTS += tests/unit/test_kernel_xfrm
check_PROGRAMS += tests/unit/test_kernel_xfrm
tests_unit_test_kernel_xfrm_SOURCES = tests/unit/test_kernel_xfrm.c
tests_unit_test_kernel_xfrm_CPPFLAGS = $(AM_CPPFLAGS) \
	-DFIXTURE_DIR='"$(abs_top_srcdir)/tests/unit/fixtures/kernel"'
tests_unit_test_kernel_xfrm_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(LIBMNL_CFLAGS)
tests_unit_test_kernel_xfrm_LDADD = $(KERNEL_TEST_LIBS)

# Host: XFRM policies through the backend in a namespace of our own (no ESP needed).
INTEGRATION_TESTS += tests/netns/xfrm-policy.sh
EXTRA_DIST += tests/netns/xfrm-policy.sh
# Kernel messages recorded in the lab (tests/vm/record-fixtures.sh).
EXTRA_DIST += tests/unit/fixtures/kernel
