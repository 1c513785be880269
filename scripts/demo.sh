#!/bin/sh
# demo.sh: see racoon bring up a real IPsec tunnel, from a fresh checkout (as root).
#
#   sudo scripts/demo.sh
#
# Installs what is missing (scripts/install-deps.sh), builds racoon outside the source
# tree, then runs tests/vm/scenarios/88-spd-demo.sh: two racoon peers in two network
# namespaces, setkey policies, a ping that triggers the negotiation, the SAs in both
# kernels (`ip xfrm state`, `racoonctl show-sa ipsec`) and the ping passing over ESP.
# When this kernel has no ESP (CONFIG_INET_ESP) the scenario runs in the kernel lab: a
# qemu guest with Debian's kernel (tests/vm/README.md; the first run downloads it).
# Exit status: 0 when the demo passed.
# Environment: RACOON_DEMO_BUILD (build folder, default /var/tmp/racoon-demo-build),
# RACOON_DEMO_LAB=1 (use the kernel lab even when this kernel could do it).
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=${RACOON_DEMO_BUILD:-/var/tmp/racoon-demo-build}
scenario="$src/tests/vm/scenarios/88-spd-demo.sh"
step() { printf '\n##### %s\n' "$*"; }

if [ "$(id -u)" != 0 ]; then
	echo "demo: run as root (network namespaces, the kernel's IPsec tables)" >&2
	exit 1
fi

step "1/3 dependencies (scripts/install-deps.sh installs only what is missing)"
"$src/scripts/install-deps.sh"

step "2/3 building racoon in $build"
if [ ! -x "$src/configure" ]; then
	(cd "$src" && ./autogen.sh >/dev/null)
fi
mkdir -p "$build"
cd "$build"
if [ ! -f Makefile ]; then
	"$src/configure" --prefix=/usr --sysconfdir=/etc --localstatedir=/var \
		--runstatedir=/run >configure.log 2>&1 || {
		tail -n 30 configure.log >&2
		echo "demo: configure failed (log: $build/configure.log)" >&2
		exit 1
	}
fi
make -j"$(nproc)" racoon racoonctl setkey >make.log 2>&1 || {
	tail -n 30 make.log >&2
	echo "demo: the build failed (log: $build/make.log)" >&2
	exit 1
}
echo "built: $build/racoon, racoonctl, setkey"

# Can this kernel hold an ESP SA? Try one in a scratch namespace.
host_esp() {
	ns=racoon-demo-probe-$$
	ip netns add "$ns" 2>/dev/null || return 1
	ok=1
	ip -n "$ns" xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x1000 \
		mode transport enc 'cbc(aes)' 0x00112233445566778899aabbccddeeff \
		auth-trunc 'hmac(sha256)' \
		0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff 128 \
		>/dev/null 2>&1 && ok=0
	ip netns del "$ns"
	return $ok
}

if [ "${RACOON_DEMO_LAB:-0}" != 1 ] && host_esp; then
	step "3/3 running the demo on this kernel"
	LAB_SRCDIR="$src/tests/vm" LAB_BUILDDIR="$build" bash "$scenario"
	exit $?
fi

step "3/3 this kernel has no ESP: running the demo in the kernel lab (qemu guest)"
echo "(boots Debian's kernel under TCG: allow a minute or two)"
RACOON_LAB_KEEP=1 top_builddir="$build" "$src/tests/vm/lab.sh" "$scenario" &&
	rc=0 || rc=$?
# The guest wrote the scenario's narration into the newest results folder that ran it.
out=""
for d in $(ls -td /var/tmp/racoon-lab-run.* 2>/dev/null); do
	if grep -q "88-spd-demo.sh" "$d/list" 2>/dev/null; then
		out=$d
		break
	fi
done
if [ -n "$out" ] && [ -f "$out/88-spd-demo.log" ]; then
	step "what the guest showed"
	cat "$out/88-spd-demo.log"
	rm -rf "$out"
fi
if [ "$rc" = 0 ]; then
	step "demo passed: racoon negotiated the SAs and the ping went over ESP"
else
	step "demo FAILED (exit $rc)"
fi
exit "$rc"
