# conf: the sample configuration, installed to $(sysconfdir)/racoon/. psk.txt holds
# secrets, so it is installed with mode 0600 (and never over an existing one).
racoonconfdir = $(sysconfdir)/racoon
dist_racoonconf_DATA = conf/racoon.conf
EXTRA_DIST += conf/psk.txt

install-data-local: install-conf-psk
install-conf-psk:
	$(MKDIR_P) '$(DESTDIR)$(racoonconfdir)'
	@if test -f '$(DESTDIR)$(racoonconfdir)/psk.txt'; then \
		echo "keeping the existing $(DESTDIR)$(racoonconfdir)/psk.txt"; \
	else \
		echo " $(INSTALL) -m 0600 conf/psk.txt '$(DESTDIR)$(racoonconfdir)/psk.txt'"; \
		$(INSTALL) -m 0600 '$(srcdir)/conf/psk.txt' '$(DESTDIR)$(racoonconfdir)/psk.txt'; \
	fi
uninstall-local: uninstall-conf-psk
uninstall-conf-psk:
	rm -f '$(DESTDIR)$(racoonconfdir)/psk.txt'
.PHONY: install-conf-psk uninstall-conf-psk
