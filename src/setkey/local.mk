# src/setkey: the parser, command model and output (libsetkey.a, no kernel needed) and
# the setkey program that drives the kernel backends through kernel/kernel.h.
noinst_LIBRARIES += src/setkey/libsetkey.a
src_setkey_libsetkey_a_SOURCES = \
	src/setkey/error.h \
	src/setkey/lex.c src/setkey/lex.h \
	src/setkey/value.c src/setkey/value.h \
	src/setkey/algs.c src/setkey/algs.h \
	src/setkey/cmd.h src/setkey/parser.h \
	src/setkey/parse.c src/setkey/parse_sa.c src/setkey/parse_spd.c \
	src/setkey/policy.c src/setkey/policy.h \
	src/setkey/format.c src/setkey/format.h \
	src/setkey/input.c src/setkey/input.h \
	src/setkey/apply.c src/setkey/apply.h \
	src/setkey/monitor.c src/setkey/monitor.h
src_setkey_libsetkey_a_CFLAGS = $(AM_CFLAGS) $(LIBSYSTEMD_CFLAGS)

# Unit suites: parser tables (good scripts -> model, bad scripts -> line:column).
UNIT_TESTS += tests/unit/test_setkey_parse
check_PROGRAMS += tests/unit/test_setkey_parse
tests_unit_test_setkey_parse_SOURCES = tests/unit/test_setkey_parse.c
tests_unit_test_setkey_parse_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_setkey_parse_LDADD = src/setkey/libsetkey.a src/common/libcommon.a $(CHECK_LIBS)

# apply.c against the mock backend: order, RFC-mode fwd twins, stop at the first error.
UNIT_TESTS += tests/unit/test_setkey_apply
check_PROGRAMS += tests/unit/test_setkey_apply
tests_unit_test_setkey_apply_SOURCES = tests/unit/test_setkey_apply.c
tests_unit_test_setkey_apply_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(LIBSYSTEMD_CFLAGS)
tests_unit_test_setkey_apply_LDADD = src/setkey/libsetkey.a src/kernel/libkernel.a \
	src/event/libevent.a src/log/liblog.a src/common/libcommon.a \
	$(LIBMNL_LIBS) $(LIBSYSTEMD_LIBS) $(CHECK_LIBS)

# The program: scripts, dumps, flushes and the monitor over kernel/kernel.h.
sbin_PROGRAMS += setkey
setkey_SOURCES = src/setkey/main.c
setkey_CFLAGS = $(AM_CFLAGS) $(LIBSYSTEMD_CFLAGS)
setkey_LDADD = src/setkey/libsetkey.a src/kernel/libkernel.a src/event/libevent.a \
	src/log/liblog.a src/common/libcommon.a $(LIBMNL_LIBS) $(LIBSYSTEMD_LIBS)

# On the host kernel in a namespace of our own (root): policies vs `ip xfrm policy`,
# parse errors, a kernel error mid-script.
INTEGRATION_TESTS += tests/setkey/host_policies.sh
EXTRA_DIST += tests/setkey/host_policies.sh

dist_man_MANS += man/setkey.8

# Deterministic mutations of seed scripts through the fuzz harness (tests/fuzz/mutate.c),
# and the libFuzzer binary for `make fuzz` (clang).
check_PROGRAMS += tests/setkey/mutate_setkey
tests_setkey_mutate_setkey_SOURCES = tests/fuzz/mutate.c tests/setkey/fuzz_setkey.c
tests_setkey_mutate_setkey_LDADD = src/setkey/libsetkey.a src/common/libcommon.a
UNIT_TESTS += tests/setkey/mutate_setkey.sh
EXTRA_DIST += tests/setkey/mutate_setkey.sh tests/setkey/corpus
FUZZ_SETKEY_SRCS = $(top_srcdir)/tests/setkey/fuzz_setkey.c \
	$(top_srcdir)/src/setkey/lex.c $(top_srcdir)/src/setkey/value.c \
	$(top_srcdir)/src/setkey/algs.c $(top_srcdir)/src/setkey/parse.c \
	$(top_srcdir)/src/setkey/parse_sa.c $(top_srcdir)/src/setkey/parse_spd.c \
	$(top_srcdir)/src/setkey/policy.c $(top_srcdir)/src/setkey/format.c \
	$(top_srcdir)/src/common/buf.c $(top_srcdir)/src/common/addr.c
tests/setkey/fuzz_setkey: $(FUZZ_SETKEY_SRCS)
	@$(MKDIR_P) tests/setkey
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(FUZZ_SETKEY_SRCS)
CLEANFILES += tests/setkey/fuzz_setkey
if HAVE_LIBFUZZER
fuzz: tests/setkey/fuzz_setkey
endif
