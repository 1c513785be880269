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

UNIT_TESTS += tests/unit/test_conf_files
check_PROGRAMS += tests/unit/test_conf_files
tests_unit_test_conf_files_SOURCES = tests/unit/test_conf_files.c tests/unit/test_conf_util.h
tests_unit_test_conf_files_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) \
	-DCONF_FIXTURES='"$(abs_top_srcdir)/tests/conf"'
tests_unit_test_conf_files_LDADD = $(CONF_LIBS) $(CHECK_LIBS)

# Hand-written configurations: what admins run, and broken ones with the error expected.
CONF_GOOD_FIXTURES = \
	tests/conf/site-to-site-psk.conf tests/conf/roadwarrior-gateway.conf \
	tests/conf/certificates.conf tests/conf/natt-client.conf \
	tests/conf/inheritance.conf tests/conf/includes.conf \
	tests/conf/include.d/10-peer-a.conf tests/conf/include.d/20-peer-b.conf \
	tests/conf/ipv6.conf tests/conf/reference-style.conf tests/conf/extensions.conf
CONF_BAD_FIXTURES = \
	tests/conf/bad/gcm-with-auth.conf tests/conf/bad/group-sainfo.conf \
	tests/conf/bad/include-loop.conf tests/conf/bad/include-missing.conf \
	tests/conf/bad/inherit-undefined.conf tests/conf/bad/ldap-xauth.conf \
	tests/conf/bad/missing-semicolon.conf tests/conf/bad/reference-ldap_cfg.conf \
	tests/conf/bad/unclosed-remote.conf
EXTRA_DIST += $(CONF_GOOD_FIXTURES) $(CONF_BAD_FIXTURES)

# Deterministic mutation of the sample configs through the fuzz harness (tests/fuzz/mutate.c).
check_PROGRAMS += tests/fuzz/mutate_conf
tests_fuzz_mutate_conf_SOURCES = tests/fuzz/mutate.c tests/fuzz/fuzz_conf.c
tests_fuzz_mutate_conf_LDADD = $(CONF_LIBS)
UNIT_TESTS += tests/fuzz/mutate_conf.sh
EXTRA_DIST += tests/fuzz/mutate_conf.sh

# libFuzzer binary (make fuzz, clang): every source of the parser instrumented.
FUZZ_CONF_SRCS = $(top_srcdir)/tests/fuzz/fuzz_conf.c \
	$(top_srcdir)/src/conf/lex.c $(top_srcdir)/src/conf/util.c \
	$(top_srcdir)/src/conf/names.c $(top_srcdir)/src/conf/ident.c \
	$(top_srcdir)/src/conf/load.c $(top_srcdir)/src/conf/global.c \
	$(top_srcdir)/src/conf/remote.c $(top_srcdir)/src/conf/sainfo.c \
	$(top_srcdir)/src/conf/modecfg.c $(top_srcdir)/src/conf/validate.c \
	$(top_srcdir)/src/conf/psk.c $(top_srcdir)/src/conf/print.c \
	$(top_srcdir)/src/log/log.c $(top_srcdir)/src/common/buf.c \
	$(top_srcdir)/src/common/addr.c $(top_srcdir)/src/common/hexdump.c
tests/fuzz/fuzz_conf: $(FUZZ_CONF_SRCS)
	@$(MKDIR_P) tests/fuzz
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(FUZZ_CONF_SRCS) $(LIBSYSTEMD_LIBS)
CLEANFILES += tests/fuzz/fuzz_conf
if HAVE_LIBFUZZER
fuzz: tests/fuzz/fuzz_conf
endif

# racoon -t / -C on real files (needs neither root nor the kernel).
UNIT_TESTS += tests/conf/racoon-t.sh
EXTRA_DIST += tests/conf/racoon-t.sh
dist_man_MANS += man/racoon.conf.5

# SIGHUP on a running racoon (-Z, high ports): bad file keeps the old config, good switches.
INTEGRATION_TESTS += tests/conf/reload.sh
EXTRA_DIST += tests/conf/reload.sh
