#!/bin/sh
# Integration: the systemd units after a real `make install DESTDIR=...`.
# systemd-analyze verify checks that ExecStart= exists: a private mount namespace lays the
# DESTDIR's sbin over the host's (overlayfs), so the installed racoon is the one checked.
# systemd-analyze security --offline needs no running systemd; THRESHOLD is fixed here.
set -eu
THRESHOLD=30 # exposure 3.0 at most ("OK"); the units score 2.4 with systemd 252

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }
# A line of file $2 starts with the fixed string $1.
starts_line() { awk -v w="$1" 'index($0, w) == 1 { f = 1 } END { exit !f }' "$2"; }
[ "$(id -u)" = 0 ] || skip "needs root (mount namespace)"
command -v systemd-analyze >/dev/null || skip "systemd-analyze is not installed"
command -v unshare >/dev/null || skip "unshare is not installed"
: "${top_builddir:?run from make check}"

dest=$(mktemp -d /tmp/racoon-install-XXXXXX)
trap 'rm -rf "$dest"' EXIT INT TERM
make -s -C "$top_builddir" install DESTDIR="$dest" >"$dest.log" 2>&1 ||
	{ cat "$dest.log" >&2; rm -f "$dest.log"; fail "make install failed"; }
rm -f "$dest.log"

service=$(find "$dest" -name racoon.service -path '*/systemd/system/*')
socket=$(find "$dest" -name racoon.socket -path '*/systemd/system/*')
[ -n "$service" ] && [ -n "$socket" ] || fail "units not installed under $dest"
sbindir=$(sed -n 's|^ExecStart=\(/[^ ]*\)/racoon\( .*\)\{0,1\}$|\1|p' "$service")
[ -n "$sbindir" ] || fail "no absolute ExecStart= in $service"
[ -x "$dest$sbindir/racoon" ] || fail "ExecStart names $sbindir/racoon, not installed there"
# The overlay needs $sbindir to exist. A prefix that is not installed on this host yet
# (make distcheck's _inst) gets a tmpfs at its deepest existing folder, in the namespace.
base=$sbindir
while [ ! -d "$base" ]; do base=$(dirname "$base"); done
case "$base" in
/ | /usr | /usr/local | /opt | /var | /etc | /bin | /sbin | /lib* | /usr/lib*)
	[ "$base" = "$sbindir" ] || fail "$sbindir does not exist here: install prefix not testable" ;;
esac
man8=$(find "$dest" -name racoon.8 -path '*/man8/*')
[ -n "$man8" ] || fail "racoon(8) not installed"

# What the issue asks of the units, checked on the installed files.
for want in 'Type=notify' 'NotifyAccess=main' 'WatchdogSec=' 'ExecReload=/bin/kill -HUP $MAINPID' \
	'Restart=on-failure' 'RuntimeDirectory=racoon' 'StateDirectory=racoon' \
	'CapabilityBoundingSet=CAP_NET_ADMIN CAP_NET_BIND_SERVICE CAP_CHOWN' \
	'ProtectSystem=strict' 'ProtectHome=yes' 'PrivateTmp=yes' \
	'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX AF_NETLINK AF_KEY' \
	'MemoryDenyWriteExecute=yes' 'SystemCallArchitectures=native' \
	'WantedBy=multi-user.target'; do
	starts_line "$want" "$service" || fail "racoon.service lacks '$want'"
done
for want in 'ListenDatagram=0.0.0.0:500' 'ListenDatagram=[::]:500' \
	'ListenDatagram=0.0.0.0:4500' 'ListenDatagram=[::]:4500' 'BindIPv6Only=ipv6-only' \
	'WantedBy=sockets.target'; do
	starts_line "$want" "$socket" || fail "racoon.socket lacks '$want'"
done

# The man pages named in Documentation= are checked when all of them are installed.
man_opt=--man=no
if command -v man >/dev/null && find "$dest" -name racoon.conf.5 -path '*/man5/*' | grep -q .; then
	man_opt=--man=yes
fi
mandir=$(dirname "$(dirname "$man8")")
out=$(MANPATH="$mandir" unshare -m sh -c '
	mount --make-rprivate / &&
	if [ "$6" != "$2" ]; then mount -t tmpfs tmpfs "$6" && mkdir -p "$2"; fi &&
	mount -t overlay overlay -o "lowerdir=$1:$2" "$2" &&
	systemd-analyze verify "$3" "$4" "$5" 2>&1' sh "$dest$sbindir" "$sbindir" "$man_opt" \
	"$service" "$socket" "$base") || fail "systemd-analyze verify: $out"
[ -z "$out" ] || fail "systemd-analyze verify printed: $out"
echo "verify: OK ($man_opt)"

systemd-analyze security --offline=true --threshold="$THRESHOLD" "$service" >"$dest/sec" 2>&1 ||
	{ cat "$dest/sec" >&2; fail "exposure above $THRESHOLD"; }
grep 'Overall exposure level' "$dest/sec"
# The threshold is enforced: a much stricter one must fail.
if systemd-analyze security --offline=true --threshold=10 "$service" >/dev/null 2>&1; then
	fail "--threshold=10 passed: the check does not look at the unit"
fi
echo "PASS"
