# src/kernel: the kernel interface (kernel.h), its core, and the XFRM and mock backends.
noinst_LIBRARIES += src/kernel/libkernel.a
src_kernel_libkernel_a_SOURCES = \
	src/kernel/kernel.h src/kernel/internal.h src/kernel/kernel.c \
	src/kernel/algs.c src/kernel/owner.h src/kernel/owner.c src/kernel/flush.c \
	src/kernel/sockopt.c \
	src/kernel/xfrm/xfrm.h src/kernel/xfrm/xfrm.c src/kernel/xfrm/xfrm_build.c \
	src/kernel/xfrm/xfrm_parse.c src/kernel/xfrm/xfrm_events.c \
	src/kernel/mock/mock.h src/kernel/mock/mock.c
src_kernel_libkernel_a_CFLAGS = $(AM_CFLAGS) $(LIBSYSTEMD_CFLAGS) $(LIBMNL_CFLAGS)
