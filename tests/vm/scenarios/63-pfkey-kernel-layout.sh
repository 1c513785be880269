#!/bin/bash
# The layouts of tests/unit/test_pfkey_fixtures.h against this kernel: a raw PF_KEY
# socket (no racoon code) reads a REGISTER answer, a GETSPI answer, an ACQUIRE, a soft
# and a hard EXPIRE (with the proxy address of a selector-less SA) and an X_SPDDUMP entry, checks their framing and that their
# extensions come in the order the fixtures use, and prints them in hex.
set -eu
source "$LAB_SRCDIR/lib.sh"
trap 'ip netns del pfk-l 2>/dev/null; ip netns del pfk-m 2>/dev/null; true' EXIT
ns_pair pfk-l pfk-m
ip netns exec pfk-l timeout 120 /usr/bin/python3 - <<'EOF'
import os, select, socket, struct, subprocess, sys, time

s = socket.socket(15, socket.SOCK_RAW, 2)  # PF_KEY, PF_KEY_V2
pid = os.getpid()

def msg(mtype, satype, seq, exts=b""):
    return struct.pack("<BBBBHHII", 2, mtype, 0, satype, (16 + len(exts)) // 8, 0, seq, pid) + exts

def addr(etype, ip):
    sin = struct.pack("<H", 2) + b"\0\0" + socket.inet_aton(ip) + bytes(8)
    return struct.pack("<HHBBH", 3, etype, 0, 32, 0) + sin

def ext_types(d):
    assert len(d) % 8 == 0 and struct.unpack_from("<H", d, 4)[0] * 8 == len(d), d.hex()
    off, types = 16, []
    while off < len(d):
        n, t = struct.unpack_from("<HH", d, off)
        assert n > 0, d.hex()
        types.append(t)
        off += n * 8
    assert off == len(d), d.hex()
    return types

def wait_for(mtype, what, timeout=30):
    end = time.time() + timeout
    while time.time() < end:
        r, _, _ = select.select([s], [], [], max(0.0, end - time.time()))
        if not r:
            break
        d = s.recv(65536)
        if d[1] == mtype and (what is None or what(d)):
            return d
    sys.exit("no message of type %d" % mtype)

def check(name, d, expect):
    t = ext_types(d)
    print(name, t, d.hex())
    assert d[2] == 0, "%s: errno %d" % (name, d[2])
    assert t == expect, "%s: extensions %s, fixtures assume %s" % (name, t, expect)

def sh(*a):
    subprocess.run(a, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

s.send(msg(7, 3, 1))
check("register", wait_for(7, lambda d: struct.unpack_from("<I", d, 12)[0] == pid), [14, 15])

sa2 = struct.pack("<HHBBHII", 2, 19, 1, 0, 0, 0, 9)
s.send(msg(1, 3, 2, sa2 + addr(5, "198.51.100.2") + addr(6, "192.0.2.1")))
check("getspi", wait_for(1, lambda d: struct.unpack_from("<I", d, 8)[0] == 2), [1, 3, 4, 2, 5, 6, 19])

sh("ip", "xfrm", "policy", "add", "src", "192.0.2.1", "dst", "192.0.2.2", "dir", "out",
   "tmpl", "proto", "esp", "mode", "transport", "level", "required")
subprocess.run(["ping", "-c", "1", "-W", "1", "192.0.2.2"], stdout=subprocess.DEVNULL,
               stderr=subprocess.DEVNULL)
check("acquire", wait_for(6, None), [5, 6, 18, 13])

sh("ip", "xfrm", "state", "add", "src", "192.0.2.2", "dst", "192.0.2.1", "proto", "esp",
   "spi", "0x1234", "mode", "tunnel", "reqid", "5", "replay-window", "32",
   "enc", "cbc(aes)", "0x00112233445566778899aabbccddeeff",
   "auth-trunc", "hmac(sha1)", "0x00112233445566778899aabbccddeeff00112233", "96",
   "limit", "time-soft", "2", "limit", "time-hard", "12")
check("expire-soft", wait_for(8, None), [1, 4, 2, 5, 6, 7, 19])
check("expire-hard", wait_for(8, None), [1, 3, 2, 5, 6, 7, 19])

sh("ip", "xfrm", "policy", "flush")
sh("ip", "xfrm", "policy", "add", "src", "192.0.2.0/24", "dst", "198.51.100.0/24", "dir",
   "out", "priority", "2147483648", "tmpl", "src", "192.0.2.1", "dst", "192.0.2.2",
   "proto", "esp", "mode", "tunnel", "reqid", "7", "level", "required")
s.send(msg(18, 0, 3))
check("spddump", wait_for(18, lambda d: struct.unpack_from("<I", d, 12)[0] == pid),
      [5, 6, 3, 4, 2, 18])
EOF
