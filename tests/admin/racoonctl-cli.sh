#!/bin/sh
# racoonctl against a running racoon -Z (issue 10): usage errors, every command and alias
# with its exit status and message, text and JSON output without SAs (validated against
# racoonctl-status.schema.json), hostile admin clients, reload-config good and broken.
set -u
TEST_SCRIPT=$0
. "${top_srcdir:-.}/tests/admin/lib.sh"

# ---- racoonctl alone: usage errors exit 2, an absent daemon 1 --------------------------
run 2 "$CTL"
expect "usage: racoonctl"
run 0 "$CTL" -h
expect "establish-sa (es)"
run 2 "$CTL" -x status
run 2 "$CTL" frobnicate
expect 'unknown command "frobnicate"'
run 2 "$CTL" -s "$W/a.sock" status 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 \
	22 23 24 25 26 27 28 29 30 31 32
expect "too many arguments"
run 1 "$CTL" -s "$W/nothing.sock" status
expect "cannot connect to $W/nothing.sock"

start_racoon a

# ---- every command and alias, no SA yet ------------------------------------------------
for c in reload-config rc; do
	run 0 ctl_a $c
	expect "configuration reloaded"
done
for c in show-schedule sc; do
	run 0 ctl_a $c
	expect "timer"
done
for c in show-sa ss; do
	for k in isakmp esp ah ipsec; do
		run 0 ctl_a $c $k
		expect "Local"
	done
done
for c in flush-sa fs; do
	for k in isakmp esp ah ipsec; do
		run 0 ctl_a $c $k
		expect "0 SAs deleted"
	done
done
for c in status st; do
	run 0 ctl_a $c
	expect "ISAKMP-SA: 0 (0 established, 0 half-open)"
	run 0 ctl_a $c -v
	expect "retransmits:"
	run 0 ctl_a $c -f text
	expect "IPsec-SA:  0 (0 established)"
done
for c in delete-sa ds; do
	run 1 ctl_a $c isakmp inet $A_IP $B_IP
	expect "no such SA"
	run 1 ctl_a $c esp inet $A_IP $B_IP any
	expect "no such SA"
done
for c in vpn-disconnect vd; do
	run 1 ctl_a $c $B_IP
	expect "no SA with that gateway"
done
for c in logout-user lu; do
	run 1 ctl_a $c alice
	expect "no XAUTH server"
done
for c in get-cert gc; do
	run 1 ctl_a $c inet $A_IP $B_IP
	expect "pre-shared keys only"
done
run 1 ctl_a establish-sa -u alice isakmp inet $A_IP $B_IP
expect "XAUTH client credentials are not supported"
run 1 ctl_a vpn-connect -u alice $B_IP
expect "not supported"
# Nobody answers at B (not started): the negotiation starts, then is flushed.
for c in establish-sa es; do
	run 0 ctl_a $c isakmp inet $A_IP $B_IP
	expect "negotiation started"
done
run 0 ctl_a vc $B_IP
expect "negotiation started"
run 0 ctl_a status
expect "half-open"
run 0 ctl_a fs isakmp
run 0 ctl_a status
expect "ISAKMP-SA: 0 (0 established, 0 half-open)"

run 0 ctl_a -d status
expect "524100010000000000000007737461747573"
run 0 ctl_a -l ss isakmp
expect "Cookies"

# ---- JSON without SAs ------------------------------------------------------------------
json a st.json status -f json
validate st.json "d['phase1'] == [] and d['phase2'] == []" "d['summary']['phase1'] == 0"
json a st2.json st --format=json -v
validate st2.json "'retransmits' in d['summary']"
json a st3.json -j status
validate st3.json "d['phase1'] == []"
json a ss1.json -j show-sa isakmp
validate ss1.json "d['phase1'] == []" "'phase2' not in d"
json a ss2.json -j ss ipsec
validate ss2.json "d['phase2'] == []" "'phase1' not in d"

# ---- bad arguments: exit 2 with the usage line on stderr -------------------------------
run 2 ctl_a show-sa
expect "usage: show-sa isakmp|esp|ah|ipsec"
run 2 ctl_a show-sa bogus
expect "usage: show-sa"
run 2 ctl_a flush-sa everything
expect "usage: flush-sa"
run 2 ctl_a status -f yaml
expect "usage: status [-v] [-f text|json]"
run 2 ctl_a status --format=xml
run 2 ctl_a status -x
run 2 ctl_a delete-sa isakmp inet $A_IP
expect "saopts:"
run 2 ctl_a delete-sa isakmp inet6 $A_IP $B_IP
run 2 ctl_a establish-sa -q isakmp inet $A_IP $B_IP
expect "usage: establish-sa"
run 2 ctl_a establish-sa esp inet $A_IP/33 $B_IP any
run 2 ctl_a establish-sa esp inet $A_IP $B_IP nosuchproto
run 2 ctl_a establish-sa esp inet $A_IP/24 $B_IP any
expect "host addresses"
run 2 ctl_a establish-sa ipcomp inet $A_IP $B_IP any
run 2 ctl_a es isakmp inet not-an-address $B_IP
run 2 ctl_a vpn-connect 2001:db8::1
expect "usage: vpn-connect"
run 2 ctl_a vpn-disconnect
run 2 ctl_a logout-user a-login-name-longer-than-31-characters
expect "at most 31 characters"
run 2 ctl_a get-cert ipx $A_IP $B_IP
expect "usage: get-cert"
# What racoonctl cannot check itself is checked by racoon: the daemon still serves.
run 0 ctl_a status

# ---- hostile clients: garbage, nothing, half a header, a lying length ------------------
CHECKS=$((CHECKS + 1))
$PY - "$W/a.sock" "$CTL" <<'PY' || fail "hostile clients"
import socket, struct, subprocess, sys
path, ctl = sys.argv[1], sys.argv[2]
def conn():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(20)  # a bound, not an assertion: the server closes much sooner
    s.connect(path)
    return s
def closed_by_server(s):
    try:
        return s.recv(100) == b""
    except ConnectionResetError:
        return True
def reply(s):
    data = b""
    while len(data) < 12:
        k = s.recv(4096)
        if not k:
            break
        data += k
    if len(data) < 12:
        return None
    n = struct.unpack("!I", data[8:12])[0]
    while len(data) < 12 + n:
        k = s.recv(4096)
        if not k:
            break
        data += k
    return data[:2], struct.unpack("!H", data[4:6])[0], struct.unpack("!I", data[12:16])[0], data[16:12 + n]
silent = conn()
half = conn()
half.sendall(b"RA\x00\x01\x00")
garbage = conn()
garbage.sendall(b"GET / HTTP/1.0\r\n\r\n" * 3)
huge = conn()
huge.sendall(b"RA\x00\x01\x00\x00\x00\x00\x7f\xff\xff\xff")
version = conn()
version.sendall(b"RA\x00\x09\x00\x00\x00\x00\x00\x00\x00\x05show\x00")
unterminated = conn()
unterminated.sendall(b"RA\x00\x01\x00\x00\x00\x00\x00\x00\x00\x06status")
empty = conn()
empty.sendall(b"RA\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00")
# the daemon keeps serving others while silent and half stay connected
r = subprocess.run([ctl, "-s", path, "status"], capture_output=True, text=True, timeout=60)
assert r.returncode == 0 and "ISAKMP-SA:" in r.stdout, r
for name, s in (("garbage", garbage), ("huge", huge), ("version", version)):
    assert closed_by_server(s), name + " was not dropped"
for name, s in (("unterminated", unterminated), ("empty", empty)):
    m = reply(s)
    assert m and m[0] == b"Ra" and m[2] == 22 and b"malformed request" in m[3], (name, m)
# a request split over many writes is served
split = conn()
req = b"RA\x00\x01\x00\x00\x00\x00\x00\x00\x00\x07status\x00"
for b in req:
    split.send(bytes([b]))
m = reply(split)
assert m and m[2] == 0 and b"ISAKMP-SA:" in m[3], m
# the half header completed late is still served
half.sendall(b"\x00\x00\x00\x00\x00\x00\x07status\x00")
m = reply(half)
assert m and m[2] == 0, m
# a client that half-closes after its request still gets the whole reply
hc = conn()
hc.sendall(req)
hc.shutdown(socket.SHUT_WR)
m = reply(hc)
assert m and m[2] == 0 and b"IPsec-SA:" in m[3], m
r = subprocess.run([ctl, "-s", path, "show-sa", "isakmp"], capture_output=True, text=True, timeout=60)
assert r.returncode == 0, r
silent.close()
print("hostile clients: ok")
PY
run 0 ctl_a status
grep -q "malformed request" "$W/a.log" || fail "no log line for the garbage client"

# ---- reload-config: a good file, then a broken one (the old configuration stays) -------
printf '\n# reloaded by the test\nlog info;\n' >>"$W/a.conf"
run 0 ctl_a reload-config
expect "configuration reloaded"
cp "$W/a.conf" "$W/a.conf.good"
printf 'remote {{{ this is not racoon.conf\n' >>"$W/a.conf"
run 1 ctl_a reload-config
expect "the configuration has errors: the old one stays"
run 1 ctl_a rc
run 0 ctl_a status
cp "$W/a.conf.good" "$W/a.conf"
run 0 ctl_a rc

# ---- establish-sa -w reports a failed negotiation (nobody answers at B) ----------------
printf 'timer {\n\tcounter 1;\n\tinterval 1 sec;\n\tphase1 5 sec;\n}\n' >>"$W/a.conf"
run 0 ctl_a rc
run 1 ctl_a establish-sa -w isakmp inet $A_IP $B_IP
expect "the negotiation failed"
expect '"event":"phase1-failed"'

# ---- shutdown: the socket goes away with racoon -----------------------------------------
stop_racoon a
CHECKS=$((CHECKS + 1))
[ ! -e "$W/a.sock" ] || fail "admin socket left behind"
run 1 ctl_a status
expect "cannot connect"
echo "PASS: $CHECKS checks"
