#!/bin/sh
# Install what racoon needs to build and to run its whole test suite (Debian 12, as root).
set -eu
PACKAGES="
 build-essential autoconf automake libtool pkg-config clang
 libmnl-dev libsystemd-dev nettle-dev libgmp-dev libgnutls28-dev check
 iproute2 iputils-ping nftables kmod procps psmisc util-linux systemd python3 man-db
 qemu-system-x86 busybox-static cpio
 strongswan-charon strongswan-swanctl libstrongswan-standard-plugins libstrongswan-extra-plugins
 libcharon-extra-plugins
"
missing=""
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
# The kernel lab fetches Debian's kernel with apt-get download: it needs package lists.
if ! ls /var/lib/apt/lists/*_Packages >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
	apt-get update -qq
fi
if [ -n "$missing" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "install-deps: missing packages:$missing (run as root)" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends $missing </dev/null
fi
