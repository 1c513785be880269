#!/bin/sh
# SIGHUP end to end: a running racoon (-Z, high ports, no kernel) keeps its configuration
# when the file turns bad, and switches when it is good again. Run as nobody when started
# as root, so the test never touches the system's pid file.
set -u
racoon="$(cd "${top_builddir:-.}" && pwd)/racoon"
dir=$(mktemp -d "${TMPDIR:-/tmp}/racoon-reload.XXXXXX") || exit 1
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT
run_as=
if [ "$(id -u)" -eq 0 ]; then
	if ! command -v setpriv >/dev/null; then
		echo "reload: running as root needs setpriv to drop to nobody" >&2
		exit 77
	fi
	chmod 755 "$dir"
	run_as="setpriv --reuid=65534 --regid=65534 --clear-groups"
fi
port=$((20000 + $$ % 20000))
conf="$dir/racoon.conf"
log="$dir/racoon.log"
printf 'log info;\ntimer { counter 3; }\n' > "$conf"
touch "$log"
chmod 644 "$conf"
chmod 666 "$log"

# Wait (bounded: 100 x 0.1 s) until the log has $1 at least $2 times.
wait_log() {
	i=0
	while [ "$i" -lt 100 ]; do
		[ "$(grep -c -- "$1" "$log")" -ge "$2" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "FAIL: no '$1' (x$2) in the log:" >&2
	cat "$log" >&2
	return 1
}

$run_as "$racoon" -F -Z -p "$port" -P $((port + 1)) -f "$conf" -l "$log" > "$dir/out" 2>&1 &
pid=$!
wait_log "started" 1 || exit 1

# A broken file: the error is logged with FILE:LINE and the old config stays.
printf 'log info;\ntimer { counter 4 }\n' > "$conf"
kill -HUP "$pid"
wait_log "has errors: keeping the current configuration" 1 || exit 1
grep -q "$conf:2: missing ';'" "$log" || { echo "FAIL: no FILE:LINE error" >&2; exit 1; }
kill -0 "$pid" || { echo "FAIL: racoon died on a bad reload" >&2; exit 1; }

# A good file switches.
printf 'log info;\ntimer { counter 4; }\nlisten { isakmp 127.0.0.1 [%s]; }\n' "$port" > "$conf"
kill -HUP "$pid"
wait_log "loaded $conf" 1 || exit 1
wait_log "listen addresses changed: this takes effect when racoon restarts" 1 || exit 1
kill -0 "$pid" || { echo "FAIL: racoon died on a good reload" >&2; exit 1; }

kill -TERM "$pid"
wait_log "racoon stopped" 1 || exit 1
wait "$pid"
rc=$?
pid=
[ "$rc" -eq 0 ] || { echo "FAIL: racoon exited with $rc" >&2; exit 1; }
echo "ok: a broken reload keeps the old configuration, a good one switches"
