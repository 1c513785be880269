noinst_LIBRARIES += src/common/libcommon.a
src_common_libcommon_a_SOURCES = \
	src/common/buf.c src/common/buf.h \
	src/common/addr.c src/common/addr.h \
	src/common/hexdump.c src/common/hexdump.h
