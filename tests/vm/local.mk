# The kernel lab: a qemu guest booting Debian's kernel runs tests/vm/scenarios/*.sh.
# kernel-driver drives src/kernel backends from scenario scripts.
check_PROGRAMS += tests/vm/kernel-driver
tests_vm_kernel_driver_SOURCES = tests/vm/kernel-driver.c
tests_vm_kernel_driver_CFLAGS = $(AM_CFLAGS) $(LIBSYSTEMD_CFLAGS)
tests_vm_kernel_driver_LDADD = src/net/libnet.a src/kernel/libkernel.a src/event/libevent.a \
	src/log/liblog.a src/common/libcommon.a $(LIBMNL_LIBS) $(LIBSYSTEMD_LIBS)
INTEGRATION_TESTS += tests/vm/lab.sh
EXTRA_DIST += tests/vm/lab.sh tests/vm/prepare.sh tests/vm/guest-init.sh \
	tests/vm/guest-run.sh tests/vm/modprobe-helper.sh tests/vm/README.md \
	tests/vm/lib.sh tests/vm/scenarios
# Records kernel messages for tests/unit/fixtures/kernel (see record-fixtures.sh).
check_PROGRAMS += tests/vm/xfrm-record
tests_vm_xfrm_record_SOURCES = tests/vm/xfrm-record.c
tests_vm_xfrm_record_LDADD = $(LIBMNL_LIBS)
EXTRA_DIST += tests/vm/record-fixtures.sh
# A test CA and two host certificates for 85-spd-rsasig (GnuTLS, at test time).
check_PROGRAMS += tests/vm/mkcert
tests_vm_mkcert_SOURCES = tests/vm/mkcert.c tests/unit/cert_util.h
tests_vm_mkcert_CFLAGS = $(AM_CFLAGS) $(GNUTLS_CFLAGS)
tests_vm_mkcert_LDADD = $(GNUTLS_LIBS)
