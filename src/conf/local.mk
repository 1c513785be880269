# src/conf: racoon.conf and the PSK file -> plain structs -> validation.
noinst_LIBRARIES += src/conf/libconf.a
src_conf_libconf_a_SOURCES = \
	src/conf/conf.h src/conf/parser.h src/conf/names.h src/conf/lex.h \
	src/conf/lex.c src/conf/util.c src/conf/names.c src/conf/ident.c \
	src/conf/load.c src/conf/global.c src/conf/remote.c src/conf/sainfo.c \
	src/conf/modecfg.c src/conf/validate.c src/conf/psk.c \
	src/conf/current.c src/conf/print.c

# What a program linking libconf.a needs after it.
CONF_LIBS = src/conf/libconf.a src/log/liblog.a src/common/libcommon.a $(LIBSYSTEMD_LIBS)

UNIT_TESTS += tests/unit/test_conf
check_PROGRAMS += tests/unit/test_conf
tests_unit_test_conf_SOURCES = tests/unit/test_conf.c tests/unit/test_conf_util.h
tests_unit_test_conf_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_conf_LDADD = $(CONF_LIBS) $(CHECK_LIBS)
