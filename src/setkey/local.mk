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
	src/setkey/format.c src/setkey/format.h

# Unit suites: parser tables (good scripts -> model, bad scripts -> line:column).
UNIT_TESTS += tests/unit/test_setkey_parse
check_PROGRAMS += tests/unit/test_setkey_parse
tests_unit_test_setkey_parse_SOURCES = tests/unit/test_setkey_parse.c
tests_unit_test_setkey_parse_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_setkey_parse_LDADD = src/setkey/libsetkey.a src/common/libcommon.a $(CHECK_LIBS)
