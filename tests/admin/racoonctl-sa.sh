#!/bin/sh
# Two racoon -Z negotiate when racoonctl establish-sa asks (issue 10): show-sa lists the
# same SAs on both sides (equal cookies, SPIs crosswise), status -f json meets the schema,
# show-event streams the SA events, delete-sa / flush-sa / vpn-disconnect remove the SAs
# on both sides (the peer gets the Delete), vpn-connect starts Phase 1.
set -u
TEST_SCRIPT=$0
. "${top_srcdir:-.}/tests/admin/lib.sh"

start_racoon a
start_racoon b

# Event streams: text on B, JSON on A; running before anything is negotiated.
"$CTL" -s "$W/b.sock" show-event >"$W/ev-b.txt" 2>&1 &
EV_B=$!
"$CTL" -s "$W/a.sock" -j se >"$W/ev-a.txt" 2>&1 &
EV_A=$!
PIDS="$PIDS $EV_A $EV_B"
poll 400 grep -q "listening for events" "$W/ev-b.txt" || fail "show-event did not start"
poll 400 grep -q "uid 0: show-event (JSON)" "$W/a.log" || fail "show-event -j did not start"

sa_json() { # SIDE FILE KIND: -j show-sa KIND, schema-checked
	json "$1" "$2" -j show-sa "$3"
	validate "$2"
}

# ---- Phase 1 on request, the same ISAKMP SA on both sides ------------------------------
run 0 ctl_a establish-sa -w isakmp inet $A_IP $B_IP
expect "established"
sa_json a p1a.json isakmp
sa_json b p1b.json isakmp
CHECKS=$((CHECKS + 1))
$PY - "$W/p1a.json" "$W/p1b.json" <<'PY' || fail "ISAKMP SAs differ"
import json, sys
a, b = (json.load(open(f))["phase1"] for f in sys.argv[1:3])
assert len(a) == 1 and len(b) == 1, (a, b)
a, b = a[0], b[0]
assert a["established"] and b["established"], (a, b)
assert a["role"] == "initiator" and b["role"] == "responder", (a, b)
assert a["initiator_cookie"] == b["initiator_cookie"] != "0" * 16, (a, b)
assert a["responder_cookie"] == b["responder_cookie"] != "0" * 16, (a, b)
assert a["index"] == b["index"], (a, b)
assert (a["local_address"], a["remote_address"]) == (b["remote_address"], b["local_address"])
PY
CK=$($PY -c "import json,sys; p=json.load(open(sys.argv[1]))['phase1'][0]; print(p['initiator_cookie']+':'+p['responder_cookie'])" "$W/p1a.json")
run 0 ctl_b show-sa isakmp
expect "$CK"
expect "responder"
run 0 ctl_a ss isakmp
expect "$CK"
expect "initiator"

# ---- Quick Mode on request, the same IPsec SA on both sides, SPIs crosswise ------------
run 0 ctl_a establish-sa -w esp inet $A_IP $B_IP any
expect "established"
sa_json a p2a.json ipsec
sa_json b p2b.json ipsec
CHECKS=$((CHECKS + 1))
$PY - "$W/p2a.json" "$W/p2b.json" "$W/p1a.json" <<'PY' || fail "IPsec SAs differ"
import json, sys
a, b = (json.load(open(f))["phase2"] for f in sys.argv[1:3])
p1 = json.load(open(sys.argv[3]))["phase1"][0]
assert len(a) == 1 and len(b) == 1, (a, b)
a, b = a[0], b[0]
assert a["established"] and b["established"], (a, b)
assert a["message_id"] == b["message_id"], (a, b)
assert a["phase1_index"] == b["phase1_index"] == p1["index"], (a, b, p1)
assert a["mode"] == b["mode"] == "transport"
assert a["selectors"]["src"] == b["selectors"]["dst"] == "198.51.100.1/32", (a, b)
assert a["selectors"]["dst"] == b["selectors"]["src"] == "198.51.100.2/32", (a, b)
assert a["selectors"]["protocol"] == "any"
sa, sb = a["sas"], b["sas"]
assert len(sa) == len(sb) == 1 and sa[0]["protocol"] == sb[0]["protocol"] == "esp"
assert sa[0]["spi_in"] == sb[0]["spi_out"] and sa[0]["spi_out"] == sb[0]["spi_in"], (sa, sb)
assert sa[0]["spi_in"] != sa[0]["spi_out"]
print(sa[0]["spi_in"], sa[0]["spi_out"])
PY
set -- $($PY -c "import json,sys; s=json.load(open(sys.argv[1]))['phase2'][0]['sas'][0]; print(s['spi_in'], s['spi_out'])" "$W/p2a.json")
run 0 ctl_a show-sa esp
expect "esp in:$1 out:$2"
run 0 ctl_b ss ipsec
expect "esp in:$2 out:$1"
json a ah.json -j show-sa ah
validate ah.json "d['phase2'] == []"
json b esp.json -j show-sa esp
validate esp.json "len(d['phase2']) == 1"

# ---- status, text and JSON ---------------------------------------------------------------
run 0 ctl_a status
expect "ISAKMP-SA: 1 (1 established, 0 half-open)"
expect "IPsec-SA:  1 (1 established)"
expect "esp in:$1 out:$2"
for side in a b; do
	json $side st-$side.json status -f json
	validate st-$side.json "len(d['phase1']) == 1 and len(d['phase2']) == 1" \
		"d['summary']['phase1_established'] == 1 and d['summary']['phase2_established'] == 1"
	json $side stv-$side.json status -v --format=json
	validate stv-$side.json "'dropped' in d['summary']"
done
run 0 ctl_a show-schedule
expect "next timer in"

# ---- show-event saw both SAs come up -----------------------------------------------------
poll 400 grep -q "phase2-up" "$W/ev-b.txt" || fail "no phase2-up event on B"
CHECKS=$((CHECKS + 1))
grep -q "phase1-up $B_IP\[500\]-$A_IP\[500\] spi:$CK" "$W/ev-b.txt" || fail "no phase1-up on B"
grep -q "phase2-up .* esp in:$2 out:$1" "$W/ev-b.txt" || fail "phase2-up on B: wrong SPIs"
poll 400 grep -q '"phase2-up"' "$W/ev-a.txt" || fail "no JSON phase2-up event on A"
CHECKS=$((CHECKS + 1))
$PY - "$W/ev-a.txt" "$1" <<'PY' || fail "JSON events"
import json, sys
lines = [l for l in open(sys.argv[1]) if l.strip()]
ev = [json.loads(l) for l in lines]
names = [e["event"] for e in ev]
assert names[:2] == ["phase1-up", "phase2-up"], names
assert ev[1]["spi_in"] == sys.argv[2] and ev[1]["protocol"] == "esp", ev[1]
assert ev[0]["remote_address"] == "198.51.100.2", ev[0]
PY

# ---- delete-sa: the peer gets the Delete -------------------------------------------------
no_ph2() { "$CTL" -s "$W/$1.sock" -j show-sa ipsec | grep -q '"phase2":\[\]'; }
no_ph1() { "$CTL" -s "$W/$1.sock" -j show-sa isakmp | grep -q '"phase1":\[\]'; }
run 0 ctl_a delete-sa esp inet $A_IP $B_IP any
expect "1 SA deleted"
poll 400 no_ph2 b || fail "B kept the IPsec SA A deleted"
CHECKS=$((CHECKS + 1))
no_ph2 a || fail "A kept the IPsec SA it deleted"
poll 400 grep -q "phase2-down .*Delete payload from the peer" "$W/ev-b.txt" ||
	fail "no phase2-down event on B"
grep -q "IPsec-SA deleted: ESP (Delete payload from the peer)" "$W/b.log" ||
	fail "B did not log the peer's Delete"

# ---- flush-sa ipsec, then flush-sa isakmp: again on both sides ---------------------------
run 0 ctl_a es -w esp inet $A_IP $B_IP any
poll 400 sh -c "'$CTL' -s '$W/b.sock' ss ipsec | grep -q established" || fail "no new SA on B"
run 0 ctl_b flush-sa ipsec
expect "1 SA deleted"
poll 400 no_ph2 a || fail "A kept the IPsec SA B flushed"
run 0 ctl_a fs isakmp
expect "1 SA deleted"
poll 400 no_ph1 b || fail "B kept the ISAKMP SA A flushed"
CHECKS=$((CHECKS + 1))
no_ph1 a || fail "A kept its flushed ISAKMP SA"
poll 400 grep -q "phase1-down .*Delete payload from the peer" "$W/ev-b.txt" ||
	fail "no phase1-down event on B"

# ---- delete-sa isakmp (B initiates this time), establish-sa esp without Phase 1 ---------
run 0 ctl_b establish-sa -w isakmp inet $B_IP $A_IP
run 0 ctl_b ds isakmp inet $B_IP $A_IP
expect "1 SA deleted"
poll 400 no_ph1 a || fail "A kept the ISAKMP SA B deleted"
run 0 ctl_b es -w esp inet $B_IP $A_IP any
expect "established"
run 0 ctl_a ss isakmp
expect "established"

# ---- vpn-disconnect / vpn-connect --------------------------------------------------------
run 0 ctl_a vpn-disconnect $B_IP
expect "2 SAs deleted"
poll 400 no_ph1 b || fail "B kept the ISAKMP SA after vpn-disconnect"
poll 400 no_ph2 b || fail "B kept the IPsec SA after vpn-disconnect"
run 0 ctl_a vc $B_IP
expect "negotiation started"
poll 400 sh -c "'$CTL' -s '$W/b.sock' ss isakmp | grep -q established" ||
	fail "vpn-connect did not bring Phase 1 up"
run 0 ctl_a vd $B_IP
expect "1 SA deleted"

# ---- show-event ends on SIGINT with status 0 ---------------------------------------------
kill -INT $EV_B
wait $EV_B
st=$?
CHECKS=$((CHECKS + 1))
[ $st = 0 ] || fail "show-event exited $st on SIGINT"
run 0 ctl_a status

stop_racoon a
stop_racoon b
echo "PASS: $CHECKS checks"
