# systemd units: racoon.service (generated, names the installed racoon) and racoon.socket.
systemdsystemunit_DATA += systemd/racoon.service systemd/racoon.socket
EXTRA_DIST += systemd/racoon.service.in systemd/racoon.socket
CLEANFILES += systemd/racoon.service
systemd/racoon.service: $(top_srcdir)/systemd/racoon.service.in Makefile
	$(AM_V_GEN)$(MKDIR_P) systemd && \
	sed -e 's|@sbindir[@]|$(sbindir)|g' $(top_srcdir)/systemd/racoon.service.in > $@.tmp && \
	mv $@.tmp $@
