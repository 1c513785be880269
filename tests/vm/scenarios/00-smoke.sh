#!/bin/bash
# The guest kernel has what the other scenarios rely on: ESP SAs, PF_KEY sockets.
set -eu
ip netns add smoke
trap 'ip netns del smoke' EXIT
ip -n smoke xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x100 mode tunnel \
	enc 'cbc(aes)' 0x00112233445566778899aabbccddeeff \
	auth-trunc 'hmac(sha1)' 0x00112233445566778899aabbccddeeff00112233 96
ip -n smoke xfrm state | grep -q 'spi 0x00000100'
grep -q '^ *[0-9]*: .*' /proc/net/pfkey 2>/dev/null || test -e /proc/net/pfkey
