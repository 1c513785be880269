# Helpers for lab scenarios: source "$LAB_SRCDIR/lib.sh".
fail() { echo "FAIL: $*" >&2; exit 1; }
# wait_for TRIES CMD...: run CMD every 0.2 s until it succeeds, at most TRIES times.
wait_for() {
	local n=$1; shift
	while [ "$n" -gt 0 ]; do
		"$@" && return 0
		n=$((n - 1))
		sleep 0.2
	done
	return 1
}
# ns_pair A B: two namespaces joined by a veth, A=192.0.2.1 B=192.0.2.2 (and 2001:db8::1/2).
ns_pair() {
	ip netns add "$1"; ip netns add "$2"
	ip -n "$1" link add veth0 type veth peer name veth0 netns "$2"
	ip -n "$1" addr add 192.0.2.1/24 dev veth0
	ip -n "$2" addr add 192.0.2.2/24 dev veth0
	ip -n "$1" addr add 2001:db8::1/64 dev veth0 nodad
	ip -n "$2" addr add 2001:db8::2/64 dev veth0 nodad
	ip -n "$1" link set veth0 up; ip -n "$1" link set lo up
	ip -n "$2" link set veth0 up; ip -n "$2" link set lo up
}
