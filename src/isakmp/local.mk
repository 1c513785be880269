# src/isakmp: the ISAKMP wire codec (no crypto, no state, no sockets).
noinst_LIBRARIES += src/isakmp/libisakmp.a
src_isakmp_libisakmp_a_SOURCES = \
	src/isakmp/isakmp.h src/isakmp/digest.h src/isakmp/build.h src/isakmp/names.h \
	src/isakmp/natt.h src/isakmp/print.h src/isakmp/desc.h \
	src/isakmp/desc.c src/isakmp/parse.c src/isakmp/sa.c src/isakmp/id.c \
	src/isakmp/build.c src/isakmp/names.c src/isakmp/natt.c src/isakmp/print.c \
	src/isakmp/print_log.c
