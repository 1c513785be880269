#!/bin/sh
# Build racoon and run the whole test suite: unit suites, integration suites (network
# namespaces, systemd tools, the qemu kernel lab), the unit suites again under
# AddressSanitizer + UndefinedBehaviorSanitizer, and `make distcheck`.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
"$top/scripts/install-deps.sh"
./autogen.sh >/dev/null 2>&1
jobs=$(nproc)
# Check's per-test timeouts are for a quiet machine; CI machines are shared and ASan is slow.
export CK_TIMEOUT_MULTIPLIER=10

echo "== build and make check"
mkdir -p build && cd build
[ -f Makefile ] || ../configure --prefix=/usr --sysconfdir=/etc --localstatedir=/var --runstatedir=/run >/dev/null
make -j"$jobs" >/dev/null
make -j"$jobs" check || { cat test-suite.log 2>/dev/null | tail -200; exit 1; }
cd "$top"

echo "== unit suites under ASan + UBSan"
mkdir -p build-asan && cd build-asan
[ -f Makefile ] || ../configure CC=gcc \
	CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	LDFLAGS="-fsanitize=address,undefined" >/dev/null
make -j"$jobs" >/dev/null
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	make -j"$jobs" check-unit || { tail -200 test-suite.log; exit 1; }
cd "$top"

echo "== distcheck (unit suites from the tarball)"
cd build
make -j"$jobs" distcheck TESTS='$(UNIT_TESTS)' >/dev/null || { echo "distcheck failed"; exit 1; }
echo "== all tests passed"
