/* PF_KEY messages as Linux sends them (net/key/af_key.c layouts, x86-64 byte order:
 * PF_KEY fields are host order, SPIs, ports and addresses network order).
 * Written from the layouts af_key.c produces (pfkey_xfrm_state2msg, pfkey_send_acquire,
 * pfkey_xfrm_policy2msg, pfkey_send_new_mapping, compose_sadb_supported). */
#ifndef TEST_PFKEY_FIXTURES_H
#define TEST_PFKEY_FIXTURES_H

#include <stdint.h>

#define U16(v) (uint8_t)((v) & 0xff), (uint8_t)(((v) >> 8) & 0xff)
#define U32(v) U16((v) & 0xffff), U16(((v) >> 16) & 0xffff)
#define U64(v) U32(v), U32(0)
#define BE16(v) (uint8_t)(((v) >> 8) & 0xff), (uint8_t)((v) & 0xff)
#define BE32(v) BE16(((v) >> 16) & 0xffff), BE16((v) & 0xffff)
/* struct sockaddr_in: family, port, address, 8 bytes of zero */
#define SIN(a, b, c, d, port) U16(2), BE16(port), a, b, c, d, 0, 0, 0, 0, 0, 0, 0, 0
/* sadb_address with a sockaddr_in: 3 units */
#define ADDR4(type, proto, plen, a, b, c, d, port) U16(3), U16(type), proto, plen, U16(0), \
	SIN(a, b, c, d, port)
#define LIFETIME(type, alloc, bytes, add, use) U16(4), U16(type), U32(alloc), U64(bytes), \
	U64(add), U64(use)
#define HDR(type, satype, units, seq, pid) 2, type, 0, satype, U16(units), U16(0), U32(seq), U32(pid)

/* SADB_GETSPI answer for a larval ESP SA 198.51.100.2 -> 192.0.2.1, SPI 0xc0ffee01,
 * reqid 9 (pfkey_xfrm_state2msg: SA, hard, soft, current, src, dst, SA2). */
static const uint8_t fx_getspi_reply[] = {
	HDR(1, 3, 24, 7, 4242),
	U16(2), U16(1), BE32(0xc0ffee01), 0, 0 /* larval */, 0, 0, U32(0),
	LIFETIME(3, 0, 0, 0, 0),
	LIFETIME(4, 0, 0, 0, 0),
	LIFETIME(2, 0, 0, 1700000000, 0),
	ADDR4(5, 0, 32, 198, 51, 100, 2, 0),
	ADDR4(6, 0, 32, 192, 0, 2, 1, 0),
	U16(2), U16(19), 1 /* transport */, 0, U16(0), U32(0), U32(9),
};

/* SADB_ACQUIRE for ESP 192.0.2.1 -> 192.0.2.2, seq 17, outbound policy index 0x19, one
 * proposal combination (hmac-sha1 + aes-cbc) with the kernel's default lifetimes. */
static const uint8_t fx_acquire[] = {
	HDR(6, 3, 20, 17, 0),
	ADDR4(5, 0, 32, 192, 0, 2, 1, 0),
	ADDR4(6, 0, 32, 192, 0, 2, 2, 0),
	U16(2), U16(18), U16(2) /* IPSEC */, 2 /* out */, 0, U32(0x19), U32(0),
	U16(10), U16(13), 32, 0, 0, 0,
	3, 12, U16(0), U16(160), U16(160), U16(128), U16(256), U32(0), U32(0), U32(0),
	U64(0), U64(0), U64(72000), U64(86400), U64(25200), U64(28800),
};

/* SADB_EXPIRE (soft) for ESP SPI 0x00001234 192.0.2.2 -> 192.0.2.1, tunnel, reqid 5:
 * SA (dying), soft lifetime, current lifetime, addresses, SA2. */
static const uint8_t fx_expire_soft[] = {
	HDR(8, 3, 20, 0, 0),
	U16(2), U16(1), BE32(0x1234), 32, 2 /* dying */, 3, 12, U32(0),
	LIFETIME(4, 0, 0, 30, 0),
	LIFETIME(2, 3, 252, 1700000000, 1700000005),
	ADDR4(5, 0, 32, 192, 0, 2, 2, 0),
	ADDR4(6, 0, 32, 192, 0, 2, 1, 0),
	U16(2), U16(19), 2 /* tunnel */, 0, U16(0), U32(0), U32(5),
};

/* The same SA's hard expiry: the hard lifetime instead of the soft one. */
static const uint8_t fx_expire_hard[] = {
	HDR(8, 3, 20, 0, 0),
	U16(2), U16(1), BE32(0x1234), 32, 3 /* dead */, 3, 12, U32(0),
	LIFETIME(3, 0, 0, 60, 0),
	LIFETIME(2, 3, 252, 1700000000, 1700000005),
	ADDR4(5, 0, 32, 192, 0, 2, 2, 0),
	ADDR4(6, 0, 32, 192, 0, 2, 1, 0),
	U16(2), U16(19), 2, 0, U16(0), U32(0), U32(5),
};

/* The last SADB_X_SPDDUMP message (seq 0) of our dump (pid 4242): out 192.0.2.0/24 ->
 * 198.51.100.0/24 any protocol, priority 0x80000000, index 0x211, one ESP tunnel
 * request 192.0.2.1 -> 192.0.2.2 at level unique with reqid 7. sadb_msg_reserved
 * carries the policy's reference count. */
static const uint8_t fx_spddump[] = {
	2, 18, 0, 0, U16(28), U16(2), U32(0), U32(4242),
	ADDR4(5, 255, 24, 192, 0, 2, 0, 0),
	ADDR4(6, 255, 24, 198, 51, 100, 0, 0),
	LIFETIME(3, 0, 0, 0, 0),
	LIFETIME(4, 0, 0, 0, 0),
	LIFETIME(2, 0, 0, 1700000000, 0),
	U16(8), U16(18), U16(2), 2, 0, U32(0x211), U32(0x80000000),
	U16(48), U16(50), 2 /* tunnel */, 3 /* unique */, U16(0), U32(7), U32(0),
	SIN(192, 0, 2, 1, 0), SIN(192, 0, 2, 2, 0),
};

/* SADB_X_NAT_T_NEW_MAPPING: SPI 0xabcd, old 203.0.113.5:4500, new 203.0.113.9:31000. */
static const uint8_t fx_new_mapping[] = {
	HDR(23, 3, 12, 33, 0),
	U16(2), U16(1), BE32(0xabcd), 0, 0, 0, 0, U32(0),
	ADDR4(5, 0, 32, 203, 0, 113, 5, 0),
	U16(1), U16(21), BE16(4500), U16(0),
	ADDR4(6, 0, 32, 203, 0, 113, 9, 0),
	U16(1), U16(22), BE16(31000), U16(0),
};

/* SADB_REGISTER answer listing md5, sha1, sha256, sha384 (no sha512) and des, 3des,
 * null, aes-cbc, aes-ctr (no cast, blowfish, camellia, twofish). */
static const uint8_t fx_register[] = {
	HDR(7, 3, 13, 99, 4242),
	U16(5), U16(14), U32(0),
	2, 0, U16(128), U16(128), U16(0),
	3, 0, U16(160), U16(160), U16(0),
	5, 0, U16(256), U16(256), U16(0),
	6, 0, U16(384), U16(384), U16(0),
	U16(6), U16(15), U32(0),
	2, 8, U16(64), U16(64), U16(0),
	3, 8, U16(192), U16(192), U16(0),
	11, 0, U16(0), U16(0), U16(0),
	12, 8, U16(128), U16(256), U16(0),
	13, 8, U16(160), U16(288), U16(0),
};

/* Our SADB_GETSPI request: ESP 198.51.100.2 -> 192.0.2.1, ACQUIRE seq 17, tunnel,
 * reqid 9, default SPI range. */
static const uint8_t fx_getspi_request[] = {
	HDR(1, 3, 12, 17, 4242),
	U16(2), U16(19), 2, 0, U16(0), U32(0), U32(9),
	ADDR4(5, 255, 32, 198, 51, 100, 2, 0),
	ADDR4(6, 255, 32, 192, 0, 2, 1, 0),
	U16(2), U16(16), U32(0x100), U32(0xffffffff), U32(0),
};

#endif
