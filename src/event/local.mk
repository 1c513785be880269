noinst_LIBRARIES += src/event/libevent.a
src_event_libevent_a_SOURCES = src/event/event.c src/event/event.h \
	src/event/service.c src/event/service.h
src_event_libevent_a_CFLAGS = $(AM_CFLAGS) $(LIBSYSTEMD_CFLAGS)
