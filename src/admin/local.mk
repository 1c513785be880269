# src/admin: the admin socket (protocol, server, commands); src/racoonctl: its client.
noinst_LIBRARIES += src/admin/libadmin.a
src_admin_libadmin_a_SOURCES = \
	src/admin/proto.h src/admin/proto.c \
	src/admin/json.h src/admin/json.c \
	src/admin/server.h src/admin/server.c \
	src/admin/commands.h src/admin/commands.c src/admin/commands_sa.c \
	src/admin/events.c
src_admin_libadmin_a_CFLAGS = $(AM_CFLAGS) $(LIBSYSTEMD_CFLAGS)

sbin_PROGRAMS += racoonctl
racoonctl_SOURCES = src/racoonctl/main.c
racoonctl_LDADD = src/admin/libadmin.a src/common/libcommon.a

UNIT_TESTS += tests/unit/test_admin
check_PROGRAMS += tests/unit/test_admin
tests_unit_test_admin_SOURCES = tests/unit/test_admin.c
tests_unit_test_admin_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(LIBSYSTEMD_CFLAGS)
tests_unit_test_admin_LDADD = src/admin/libadmin.a src/ike/libike.a src/spd/libspd.a src/conf/libconf.a \
	src/isakmp/libisakmp.a src/crypto/libcrypto.a src/kernel/libkernel.a \
	src/event/libevent.a src/log/liblog.a src/common/libcommon.a \
	$(CHECK_LIBS) $(LIBSYSTEMD_LIBS) $(LIBMNL_LIBS) $(HOGWEED_LIBS) $(NETTLE_LIBS) \
	$(GMP_LIBS) $(GNUTLS_LIBS)
dist_man_MANS += man/racoonctl.8
