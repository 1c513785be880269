noinst_LIBRARIES += src/log/liblog.a
src_log_liblog_a_SOURCES = src/log/log.c src/log/log.h
src_log_liblog_a_CFLAGS = $(AM_CFLAGS) $(LIBSYSTEMD_CFLAGS)
