# Daemon tests: unit suites (no privileges) and integration suites (root, namespaces,
# systemd programs). nstest.c holds the namespace and process helpers.
UNIT_TESTS += tests/daemon/test_options
check_PROGRAMS += tests/daemon/test_options
tests_daemon_test_options_SOURCES = tests/daemon/test_options.c
tests_daemon_test_options_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_daemon_test_options_LDADD = src/daemon/libdaemon.a $(CHECK_LIBS)

INTEGRATION_TESTS += tests/daemon/test_daemon
check_PROGRAMS += tests/daemon/test_daemon
tests_daemon_test_daemon_SOURCES = tests/daemon/test_daemon.c tests/daemon/nstest.c \
	tests/daemon/nstest.h
tests_daemon_test_daemon_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_daemon_test_daemon_LDADD = $(CHECK_LIBS)

INTEGRATION_TESTS += tests/daemon/test_systemd
check_PROGRAMS += tests/daemon/test_systemd
tests_daemon_test_systemd_SOURCES = tests/daemon/test_systemd.c tests/daemon/nstest.c \
	tests/daemon/nstest.h
tests_daemon_test_systemd_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(LIBSYSTEMD_CFLAGS)
tests_daemon_test_systemd_LDADD = src/log/liblog.a src/common/libcommon.a $(CHECK_LIBS) \
	$(LIBSYSTEMD_LIBS)

INTEGRATION_TESTS += tests/daemon/test_net
check_PROGRAMS += tests/daemon/test_net
tests_daemon_test_net_SOURCES = tests/daemon/test_net.c tests/daemon/nstest.c \
	tests/daemon/nstest.h
tests_daemon_test_net_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(LIBSYSTEMD_CFLAGS)
tests_daemon_test_net_LDADD = src/daemon/libdaemon.a src/net/libnet.a src/event/libevent.a \
	src/log/liblog.a src/common/libcommon.a $(CHECK_LIBS) $(LIBSYSTEMD_LIBS) $(LIBMNL_LIBS)

UNIT_TESTS += tests/daemon/test_service
check_PROGRAMS += tests/daemon/test_service
tests_daemon_test_service_SOURCES = tests/daemon/test_service.c
tests_daemon_test_service_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(LIBSYSTEMD_CFLAGS)
tests_daemon_test_service_LDADD = src/daemon/libdaemon.a src/net/libnet.a \
	src/event/libevent.a src/log/liblog.a src/common/libcommon.a $(CHECK_LIBS) \
	$(LIBSYSTEMD_LIBS) $(LIBMNL_LIBS)

UNIT_TESTS += tests/daemon/test_log
check_PROGRAMS += tests/daemon/test_log
tests_daemon_test_log_SOURCES = tests/daemon/test_log.c
tests_daemon_test_log_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_daemon_test_log_LDADD = src/log/liblog.a src/common/libcommon.a $(CHECK_LIBS) \
	$(LIBSYSTEMD_LIBS)

INTEGRATION_TESTS += tests/daemon/test_units.sh
EXTRA_DIST += tests/daemon/test_units.sh

UNIT_TESTS += tests/daemon/test_cli
check_PROGRAMS += tests/daemon/test_cli
tests_daemon_test_cli_SOURCES = tests/daemon/test_cli.c tests/daemon/nstest.c \
	tests/daemon/nstest.h
tests_daemon_test_cli_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_daemon_test_cli_LDADD = $(CHECK_LIBS)

# Two daemons negotiate through racoonctl (needs racoonctl built).
INTEGRATION_TESTS += tests/daemon/test_e2e
check_PROGRAMS += tests/daemon/test_e2e
tests_daemon_test_e2e_SOURCES = tests/daemon/test_e2e.c tests/daemon/nstest.c \
	tests/daemon/nstest.h
tests_daemon_test_e2e_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_daemon_test_e2e_LDADD = $(CHECK_LIBS)
