# src/isakmp: the ISAKMP wire codec (no crypto, no state, no sockets).
noinst_LIBRARIES += src/isakmp/libisakmp.a
src_isakmp_libisakmp_a_SOURCES = \
	src/isakmp/isakmp.h src/isakmp/digest.h src/isakmp/build.h src/isakmp/names.h \
	src/isakmp/natt.h src/isakmp/print.h src/isakmp/desc.h src/isakmp/frag.h \
	src/isakmp/desc.c src/isakmp/parse.c src/isakmp/sa.c src/isakmp/id.c \
	src/isakmp/build.c src/isakmp/names.c src/isakmp/natt.c src/isakmp/print.c \
	src/isakmp/print_log.c src/isakmp/frag.c

# Unit suites.
UNIT_TESTS += tests/unit/test_isakmp tests/unit/test_isakmp_malformed
check_PROGRAMS += tests/unit/test_isakmp tests/unit/test_isakmp_malformed
ISAKMP_TEST_LIBS = src/isakmp/libisakmp.a src/common/libcommon.a
tests_unit_test_isakmp_SOURCES = tests/unit/test_isakmp.c \
	tests/unit/test_isakmp_samples.c tests/unit/test_isakmp_samples.h
tests_unit_test_isakmp_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_isakmp_CPPFLAGS = $(AM_CPPFLAGS) \
	-DISAKMP_CORPUS_DIR='"$(abs_top_srcdir)/tests/fuzz/corpus/isakmp"'
tests_unit_test_isakmp_LDADD = $(ISAKMP_TEST_LIBS) $(CHECK_LIBS)
tests_unit_test_isakmp_malformed_SOURCES = tests/unit/test_isakmp_malformed.c
tests_unit_test_isakmp_malformed_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_isakmp_malformed_LDADD = $(ISAKMP_TEST_LIBS) $(CHECK_LIBS)

UNIT_TESTS += tests/unit/test_isakmp_log
check_PROGRAMS += tests/unit/test_isakmp_log
tests_unit_test_isakmp_log_SOURCES = tests/unit/test_isakmp_log.c \
	tests/unit/test_isakmp_samples.c tests/unit/test_isakmp_samples.h
tests_unit_test_isakmp_log_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_isakmp_log_LDADD = src/isakmp/libisakmp.a src/log/liblog.a \
	src/common/libcommon.a $(CHECK_LIBS) $(LIBSYSTEMD_LIBS)

# Messages written by strongSwan's charon (the crypto module's oracle fixtures).
UNIT_TESTS += tests/unit/test_isakmp_interop
check_PROGRAMS += tests/unit/test_isakmp_interop
tests_unit_test_isakmp_interop_SOURCES = tests/unit/test_isakmp_interop.c \
	tests/unit/test_isakmp_samples.c tests/unit/test_isakmp_samples.h
tests_unit_test_isakmp_interop_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_isakmp_interop_CPPFLAGS = $(AM_CPPFLAGS) \
	-DORACLE_DIR='"$(abs_top_srcdir)/tests/oracle/fixtures"'
tests_unit_test_isakmp_interop_LDADD = $(ISAKMP_TEST_LIBS) $(CHECK_LIBS)

# Deterministic mutation of the seed corpus through the fuzz harness (tests/fuzz/mutate.c).
check_PROGRAMS += tests/fuzz/mutate_isakmp
tests_fuzz_mutate_isakmp_SOURCES = tests/fuzz/mutate.c tests/fuzz/fuzz_isakmp.c \
	tests/unit/test_isakmp_samples.c tests/unit/test_isakmp_samples.h
tests_fuzz_mutate_isakmp_LDADD = $(ISAKMP_TEST_LIBS)
UNIT_TESTS += tests/fuzz/mutate_isakmp.sh
EXTRA_DIST += tests/fuzz/mutate_isakmp.sh tests/fuzz/corpus/isakmp

# Regenerates the seed corpus (built with the tests, never run by them):
# tests/fuzz/gen_isakmp_corpus $(top_srcdir)/tests/fuzz/corpus/isakmp
check_PROGRAMS += tests/fuzz/gen_isakmp_corpus
tests_fuzz_gen_isakmp_corpus_SOURCES = tests/fuzz/gen_isakmp_corpus.c \
	tests/unit/test_isakmp_samples.c tests/unit/test_isakmp_samples.h
tests_fuzz_gen_isakmp_corpus_LDADD = $(ISAKMP_TEST_LIBS)

# libFuzzer binary (make fuzz, clang): all sources instrumented. Makefile.am sets
# FUZZ_TARGETS after the includes, so the target hangs on `fuzz` directly.
FUZZ_ISAKMP_SRCS = $(top_srcdir)/tests/fuzz/fuzz_isakmp.c \
	$(top_srcdir)/tests/unit/test_isakmp_samples.c \
	$(top_srcdir)/src/isakmp/desc.c $(top_srcdir)/src/isakmp/parse.c \
	$(top_srcdir)/src/isakmp/sa.c $(top_srcdir)/src/isakmp/id.c \
	$(top_srcdir)/src/isakmp/build.c $(top_srcdir)/src/isakmp/names.c \
	$(top_srcdir)/src/isakmp/natt.c $(top_srcdir)/src/isakmp/print.c \
	$(top_srcdir)/src/isakmp/frag.c \
	$(top_srcdir)/src/common/buf.c $(top_srcdir)/src/common/addr.c \
	$(top_srcdir)/src/common/hexdump.c
tests/fuzz/fuzz_isakmp: $(FUZZ_ISAKMP_SRCS)
	@$(MKDIR_P) tests/fuzz
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(FUZZ_ISAKMP_SRCS)
CLEANFILES += tests/fuzz/fuzz_isakmp
if HAVE_LIBFUZZER
fuzz: tests/fuzz/fuzz_isakmp
endif

# Not part of make check: ns per parse/build of Main Mode messages.
noinst_PROGRAMS += bench/bench_isakmp
bench_bench_isakmp_SOURCES = bench/bench_isakmp.c \
	tests/unit/test_isakmp_samples.c tests/unit/test_isakmp_samples.h
bench_bench_isakmp_LDADD = $(ISAKMP_TEST_LIBS)
