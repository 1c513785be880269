noinst_LIBRARIES += src/net/libnet.a
src_net_libnet_a_SOURCES = src/net/net.h src/net/socket.c src/net/sockset.c src/net/addrwatch.c
src_net_libnet_a_CFLAGS = $(AM_CFLAGS) $(LIBSYSTEMD_CFLAGS) $(LIBMNL_CFLAGS)
