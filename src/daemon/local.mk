sbin_PROGRAMS += racoon
noinst_LIBRARIES += src/daemon/libdaemon.a
src_daemon_libdaemon_a_SOURCES = \
	src/daemon/options.c src/daemon/options.h \
	src/daemon/pidfile.c src/daemon/pidfile.h \
	src/daemon/daemonize.c src/daemon/daemonize.h \
	src/daemon/listen.c src/daemon/listen.h \
	src/daemon/privs.c src/daemon/privs.h \
	src/daemon/backend.c src/daemon/backend.h \
	src/daemon/engine.c src/daemon/engine.h \
	src/daemon/adminsock.c src/daemon/adminsock.h
src_daemon_libdaemon_a_CFLAGS = $(AM_CFLAGS) $(LIBSYSTEMD_CFLAGS)
racoon_SOURCES = src/daemon/main.c
racoon_CFLAGS = $(AM_CFLAGS) $(LIBSYSTEMD_CFLAGS) $(LIBMNL_CFLAGS)
# Order: higher layers first.
racoon_LDADD = src/daemon/libdaemon.a src/admin/libadmin.a src/ike/libike.a src/spd/libspd.a src/conf/libconf.a \
	src/kernel/libkernel.a src/isakmp/libisakmp.a src/crypto/libcrypto.a \
	src/net/libnet.a src/event/libevent.a \
	src/log/liblog.a src/common/libcommon.a \
	$(LIBSYSTEMD_LIBS) $(LIBMNL_LIBS) $(CRYPTO_LIBS)
dist_man_MANS += man/racoon.8
