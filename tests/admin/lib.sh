# lib.sh: sourced by the racoonctl integration tests (racoonctl-*.sh).
#
# Needs root and unshare (exit 77, automake's SKIP, otherwise). The test runs in a new
# network namespace (two addresses of 198.51.100.0/24 on lo) and a new mount namespace
# whose tmpfs on $W holds configs, logs and admin sockets; each racoon runs in a further
# mount namespace of its own with a tmpfs /run for its pidfile. Every wait is bounded.
B=${top_builddir:-.}
S=${top_srcdir:-.}
A_IP=198.51.100.1
B_IP=198.51.100.2
W=/tmp/racoonctl-test-$(basename "$TEST_SCRIPT" .sh)
# The system interpreter when there is one (version-manager shims take seconds to start).
PY=$(command -v /usr/bin/python3 || command -v python3)
export PY

if [ -z "${RACOONCTL_TEST_INNER:-}" ]; then
	[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
	command -v unshare >/dev/null && [ -n "$PY" ] && command -v ip >/dev/null ||
		{ echo "SKIP: needs unshare, ip and python3"; exit 77; }
	unshare -n -m true 2>/dev/null || { echo "SKIP: cannot create namespaces"; exit 77; }
	mkdir -p "$W"
	RACOONCTL_TEST_INNER=1 unshare -n -m --propagation private sh "$TEST_SCRIPT"
	rc=$?
	rmdir "$W" 2>/dev/null
	exit $rc
fi

mount -t tmpfs racoonctl-test "$W" || exit 1
CTL="$B/racoonctl"
SCHEMA="$S/tests/admin/racoonctl-status.schema.json"
CHECK="$PY $S/tests/admin/check-json.py $SCHEMA"
PIDS=""
CHECKS=0

cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*"
	for f in "$W"/a.log "$W"/b.log "$W"/ev-a.txt "$W"/ev-b.txt; do
		[ -f "$f" ] && { echo "---- $f"; tail -n 40 "$f"; }
	done
	exit 1
}

# run EXPECTED_STATUS CMD...: output in $W/out, stdout+stderr.
run() {
	want=$1
	shift
	"$@" >"$W/out" 2>&1
	got=$?
	CHECKS=$((CHECKS + 1))
	[ "$got" = "$want" ] || fail "'$*' exited $got, expected $want: $(cat "$W/out")"
}

# expect TEXT: the last run's output contains TEXT.
expect() {
	grep -qF -- "$1" "$W/out" || fail "expected \"$1\" in: $(cat "$W/out")"
}

# poll N CMD...: run CMD (silently) every 50 ms until it succeeds, at most N times.
poll() {
	n=$1
	shift
	i=0
	while [ $i -lt "$n" ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}

ctl_a() { "$CTL" -s "$W/a.sock" "$@"; }
ctl_b() { "$CTL" -s "$W/b.sock" "$@"; }

# json SIDE FILE ARGS...: -j output of racoonctl on SIDE into FILE.
json() {
	side=$1
	f=$2
	shift 2
	"$CTL" -s "$W/$side.sock" "$@" >"$W/$f" 2>&1 || fail "racoonctl $*: $(cat "$W/$f")"
}

validate() { # FILE EXPR...
	f=$1
	shift
	CHECKS=$((CHECKS + 1))
	$CHECK "$W/$f" "$@" || fail "JSON $f does not meet the schema or the expectations"
}

write_conf() { # NAME ME PEER
	printf '%s shared-secret-of-the-racoonctl-test\n' "$3" >"$W/psk-$1"
	chmod 600 "$W/psk-$1"
	cat >"$W/$1.conf" <<EOF
path pre_shared_key "$W/psk-$1";
listen {
	isakmp $2 [500];
	adminsock "$W/$1.sock";
}
remote $3 {
	exchange_mode main;
	my_identifier address $2;
	proposal {
		encryption_algorithm aes;
		hash_algorithm sha256;
		authentication_method pre_shared_key;
		dh_group modp2048;
	}
}
sainfo anonymous {
	encryption_algorithm aes;
	authentication_algorithm hmac_sha256;
	compression_algorithm deflate;
}
EOF
}

start_racoon() { # NAME
	unshare -m --propagation private sh -c 'mount -t tmpfs run /run && exec "$0" "$@"' \
		"$B/racoon" -F -Z -f "$W/$1.conf" -l "$W/$1.log" >"$W/$1.out" 2>&1 &
	PIDS="$PIDS $!"
	eval "PID_$1=$!"
	poll 400 test -S "$W/$1.sock" || fail "racoon $1 did not open its admin socket"
	poll 400 grep -q "started (" "$W/$1.log" || fail "racoon $1 did not start"
}

ip link set lo up
ip addr add $A_IP/24 dev lo
ip addr add $B_IP/24 dev lo
write_conf a $A_IP $B_IP
write_conf b $B_IP $A_IP

stop_racoon() { # NAME: SIGTERM, then its exit status must be 0 (sanitizer builds: no leak)
	eval "p=\$PID_$1"
	kill "$p"
	poll 400 sh -c "! kill -0 $p" || fail "racoon $1 did not stop"
	wait "$p"
	st=$?
	CHECKS=$((CHECKS + 1))
	[ "$st" = 0 ] || fail "racoon $1 exited $st: $(cat "$W/$1.out")"
}
