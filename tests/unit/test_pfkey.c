/* Unit tests: the PF_KEY backend's message framing, builders and parsers against byte
 * fixtures of kernel messages, malformed messages, refusals and the capability table. */
#include <check.h>
#include <errno.h>
#include <linux/ipsec.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/pfkey/pfkey.h"
#include "test_pfkey_fixtures.h"

static union sockaddr_any ip(const char *s)
{
	union sockaddr_any a;
	ck_assert_int_eq(addr_parse(s, &a), 0);
	return a;
}

static void parse_ok(const uint8_t *d, size_t n, struct pfkey_msg *m)
{
	ck_assert_int_eq(pfkey_msg_parse(d, n, m), 0);
}

static bool ip_is(const union sockaddr_any *a, const char *s)
{
	union sockaddr_any b = ip(s);
	return addr_equal(a, &b);
}

/* ---- Kernel messages ------------------------------------------------------------------- */

START_TEST(getspi_reply)
{
	struct pfkey_msg m;
	parse_ok(fx_getspi_reply, sizeof(fx_getspi_reply), &m);
	ck_assert_uint_eq(m.hdr.sadb_msg_type, SADB_GETSPI);
	struct pfkey_sa_parsed sa;
	ck_assert_int_eq(pfkey_parse_sa(&m, &sa), 0);
	ck_assert_uint_eq(sa.sa.spi, 0x0a9d6a82);
	ck_assert_int_eq(sa.sa.proto, KERNEL_PROTO_ESP);
	ck_assert_int_eq(sa.state, SADB_SASTATE_LARVAL);
	ck_assert_uint_eq(sa.sa.reqid, 9);
	ck_assert_int_eq(sa.sa.mode, KERNEL_MODE_TRANSPORT);
	ck_assert(ip_is(&sa.sa.src, "198.51.100.2") && ip_is(&sa.sa.dst, "192.0.2.1"));
	ck_assert_uint_eq(sa.stats.add_time, 0x6b092259);
	ck_assert_uint_eq(m.hdr.sadb_msg_seq, 2);
	ck_assert_ptr_null(sa.sa.enc_key);
}
END_TEST

START_TEST(acquire_event)
{
	struct pfkey_msg m;
	parse_ok(fx_acquire, sizeof(fx_acquire), &m);
	struct kernel_event ev;
	uint32_t index;
	ck_assert_int_eq(pfkey_parse_event(&m, 4242, &ev, &index), 0);
	ck_assert_int_eq(ev.type, KERNEL_EV_ACQUIRE);
	ck_assert_uint_eq(ev.u.acquire.seq, 1);
	ck_assert_uint_eq(index, 1);
	ck_assert(ip_is(&ev.u.acquire.src, "192.0.2.1") && ip_is(&ev.u.acquire.dst, "192.0.2.2"));
	ck_assert_int_eq(ev.u.acquire.tmpl.proto, KERNEL_PROTO_ESP);
	ck_assert_int_eq(ev.u.acquire.policy.dir, KERNEL_DIR_OUT);
	/* X_SPDGET's answer completes it: the template of the ACQUIRE's protocol. */
	struct kernel_policy p;
	memset(&p, 0, sizeof(p));
	p.n_tmpl = 2;
	p.tmpl[0].proto = KERNEL_PROTO_AH;
	p.tmpl[0].reqid = 3;
	p.tmpl[1].proto = KERNEL_PROTO_ESP;
	p.tmpl[1].reqid = 4;
	p.tmpl[1].level = KERNEL_LEVEL_UNIQUE;
	pfkey_acquire_set_policy(&ev, &p);
	ck_assert_uint_eq(ev.u.acquire.tmpl.reqid, 4);
	ck_assert_uint_eq(ev.u.acquire.policy.n_tmpl, 2);
}
END_TEST

START_TEST(expire_soft_and_hard)
{
	struct pfkey_msg m;
	struct kernel_event ev;
	uint32_t index;
	parse_ok(fx_expire_soft, sizeof(fx_expire_soft), &m);
	ck_assert_int_eq(pfkey_parse_event(&m, 4242, &ev, &index), 0);
	ck_assert_int_eq(ev.type, KERNEL_EV_EXPIRE_SOFT);
	ck_assert_uint_eq(ev.u.expire.id.spi, 0x1234);
	ck_assert_int_eq(ev.u.expire.id.proto, KERNEL_PROTO_ESP);
	ck_assert(ip_is(&ev.u.expire.id.dst, "192.0.2.1") && ip_is(&ev.u.expire.id.src, "192.0.2.2"));
	ck_assert_uint_eq(ev.u.expire.reqid, 5);
	ck_assert_uint_eq(ev.u.expire.stats.add_time, 0x6b09225b);
	ck_assert_uint_eq(ev.u.expire.stats.bytes, 0);
	ck_assert_int_eq(ev.u.expire.stats.mode, KERNEL_MODE_TUNNEL);
	parse_ok(fx_expire_hard, sizeof(fx_expire_hard), &m);
	ck_assert_int_eq(pfkey_parse_event(&m, 4242, &ev, &index), 0);
	ck_assert_int_eq(ev.type, KERNEL_EV_EXPIRE_HARD);
	ck_assert_uint_eq(ev.u.expire.id.spi, 0x1234);
}
END_TEST

START_TEST(spddump_entry)
{
	struct pfkey_msg m;
	parse_ok(fx_spddump, sizeof(fx_spddump), &m);
	struct kernel_policy p;
	ck_assert_int_eq(pfkey_parse_policy(&m, &p), 0);
	ck_assert_int_eq(p.dir, KERNEL_DIR_OUT);
	ck_assert(ip_is(&p.sel.src, "192.0.2.0") && ip_is(&p.sel.dst, "198.51.100.0"));
	ck_assert_uint_eq(p.sel.src_plen, 24);
	ck_assert_uint_eq(p.sel.dst_plen, 24);
	ck_assert_uint_eq(p.sel.proto, 0);
	ck_assert_uint_eq(p.priority, 0x80000000u);
	ck_assert_uint_eq(p.index, 0x211);
	ck_assert_int_eq(p.action, KERNEL_POLICY_IPSEC);
	ck_assert_uint_eq(p.n_tmpl, 1);
	ck_assert_int_eq(p.tmpl[0].proto, KERNEL_PROTO_ESP);
	ck_assert_int_eq(p.tmpl[0].mode, KERNEL_MODE_TUNNEL);
	ck_assert_int_eq(p.tmpl[0].level, KERNEL_LEVEL_UNIQUE);
	ck_assert_uint_eq(p.tmpl[0].reqid, 7);
	ck_assert(ip_is(&p.tmpl[0].src, "192.0.2.1") && ip_is(&p.tmpl[0].dst, "192.0.2.2"));
}
END_TEST

START_TEST(new_mapping_event)
{
	struct pfkey_msg m;
	parse_ok(fx_new_mapping, sizeof(fx_new_mapping), &m);
	struct kernel_event ev;
	uint32_t index;
	ck_assert_int_eq(pfkey_parse_event(&m, 4242, &ev, &index), 0);
	ck_assert_int_eq(ev.type, KERNEL_EV_MAPPING);
	ck_assert_uint_eq(ev.u.mapping.id.spi, 0xabcd);
	ck_assert(ip_is(&ev.u.mapping.old_addr, "203.0.113.5"));
	ck_assert_uint_eq(addr_port(&ev.u.mapping.old_addr), 4500);
	ck_assert(ip_is(&ev.u.mapping.new_addr, "203.0.113.9"));
	ck_assert_uint_eq(addr_port(&ev.u.mapping.new_addr), 31000);
}
END_TEST

START_TEST(spd_change_events)
{
	/* An SPDADD broadcast looks like a dump entry; by_us follows sadb_msg_pid. */
	uint8_t msg[sizeof(fx_spddump)];
	memcpy(msg, fx_spddump, sizeof(msg));
	msg[1] = SADB_X_SPDADD;
	struct pfkey_msg m;
	parse_ok(msg, sizeof(msg), &m);
	struct kernel_event ev;
	uint32_t index;
	ck_assert_int_eq(pfkey_parse_event(&m, 4242, &ev, &index), 0);
	ck_assert_int_eq(ev.type, KERNEL_EV_POLICY_ADDED);
	ck_assert(ev.u.policy.by_us);
	ck_assert_int_eq(pfkey_parse_event(&m, 4343, &ev, &index), 0);
	ck_assert(!ev.u.policy.by_us);
	msg[1] = SADB_X_SPDDELETE2;
	parse_ok(msg, sizeof(msg), &m);
	ck_assert_int_eq(pfkey_parse_event(&m, 4242, &ev, &index), 0);
	ck_assert_int_eq(ev.type, KERNEL_EV_POLICY_DELETED);
	/* Not events: SA notifications, REGISTER answers, error replies. */
	parse_ok(fx_register, sizeof(fx_register), &m);
	ck_assert_int_eq(pfkey_parse_event(&m, 4242, &ev, &index), -ENOENT);
	parse_ok(fx_getspi_reply, sizeof(fx_getspi_reply), &m);
	ck_assert_int_eq(pfkey_parse_event(&m, 4242, &ev, &index), -ENOENT);
}
END_TEST

/* ---- Requests --------------------------------------------------------------------------- */

START_TEST(getspi_request_bytes)
{
	struct kernel_spi_req r = { .src = ip("198.51.100.2"), .dst = ip("192.0.2.1"),
				    .proto = KERNEL_PROTO_ESP, .mode = KERNEL_MODE_TUNNEL,
				    .reqid = 9, .seq = 17 };
	struct buf b;
	buf_init(&b, PFKEY_REQ_MAX);
	ck_assert_int_eq(pfkey_build_getspi(&b, 17, 4242, &r), (int)sizeof(fx_getspi_request));
	ck_assert_mem_eq(b.ptr, fx_getspi_request, sizeof(fx_getspi_request));
	buf_free(&b);
	r.min = 0x2000;
	r.max = 0x1000;
	buf_init(&b, PFKEY_REQ_MAX);
	ck_assert_int_eq(pfkey_build_getspi(&b, 17, 4242, &r), -EINVAL);
	buf_free(&b);
}
END_TEST

static const uint8_t ekey[20] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20 };
static const uint8_t akey[64] = { 0xa1, 0xa2, 0xa3, [63] = 0xff };

static struct kernel_sa esp_sa(void)
{
	struct kernel_sa sa = {
		.src = ip("192.0.2.1"), .dst = ip("192.0.2.2"), .spi = 0x01020304,
		.proto = KERNEL_PROTO_ESP, .mode = KERNEL_MODE_TUNNEL, .reqid = 11,
		.enc = KERNEL_ENC_AES_CTR, .enc_key = ekey, .enc_key_len = 20,
		.auth = KERNEL_AUTH_HMAC_SHA2_512, .auth_key = akey, .auth_key_len = 64,
		.replay_window = 32,
		.soft = { .add_sec = 3000, .bytes = 1000000 },
		.hard = { .add_sec = 3600, .packets = 5000000000ull },
		.encap = { .enabled = true, .sport = 4500, .dport = 4501 },
	};
	return sa;
}

START_TEST(sa_round_trip)
{
	struct kernel_sa in = esp_sa();
	struct buf b;
	buf_init_secret(&b, PFKEY_REQ_MAX);
	int n = pfkey_build_sa(&b, 77, 4242, &in, false);
	ck_assert_int_gt(n, 0);
	ck_assert_int_eq(n % 8, 0);
	struct pfkey_msg m;
	parse_ok(b.ptr, b.len, &m);
	ck_assert_uint_eq(m.hdr.sadb_msg_type, SADB_ADD);
	ck_assert_uint_eq(m.hdr.sadb_msg_seq, 77);
	struct sadb_sa s;
	ck_assert(pfkey_ext_fixed(&m, SADB_EXT_SA, &s, sizeof(s)));
	ck_assert_uint_eq(s.sadb_sa_auth, SADB_X_AALG_SHA2_512HMAC);
	ck_assert_uint_eq(s.sadb_sa_encrypt, SADB_X_EALG_AESCTR);
	struct pfkey_sa_parsed out;
	ck_assert_int_eq(pfkey_parse_sa(&m, &out), 0);
	ck_assert_uint_eq(out.sa.spi, in.spi);
	ck_assert_int_eq(out.sa.mode, KERNEL_MODE_TUNNEL);
	ck_assert_uint_eq(out.sa.reqid, 11);
	ck_assert_int_eq(out.sa.enc, KERNEL_ENC_AES_CTR);
	ck_assert_int_eq(out.sa.auth, KERNEL_AUTH_HMAC_SHA2_512);
	ck_assert_uint_eq(out.sa.icv_bits, 256);
	ck_assert_uint_eq(out.sa.enc_key_len, 20);
	ck_assert_mem_eq(out.sa.enc_key, ekey, 20);
	ck_assert_uint_eq(out.sa.auth_key_len, 64);
	ck_assert_mem_eq(out.sa.auth_key, akey, 64);
	ck_assert_uint_eq(out.sa.soft.add_sec, 3000);
	ck_assert_uint_eq(out.sa.soft.bytes, 1000000);
	ck_assert_uint_eq(out.sa.hard.add_sec, 3600);
	ck_assert_uint_eq(out.sa.hard.packets, UINT32_MAX); /* saturated, not wrapped */
	ck_assert_uint_eq(out.sa.replay_window, 32);
	ck_assert(out.sa.encap.enabled);
	ck_assert_uint_eq(out.sa.encap.sport, 4500);
	ck_assert_uint_eq(out.sa.encap.dport, 4501);
	buf_free(&b);
}
END_TEST

START_TEST(sa_ipcomp_and_null)
{
	struct kernel_sa c = { .src = ip("2001:db8::1"), .dst = ip("2001:db8::2"), .spi = 0x4242,
			       .proto = KERNEL_PROTO_COMP, .comp = KERNEL_COMP_DEFLATE };
	struct buf b;
	buf_init_secret(&b, PFKEY_REQ_MAX);
	ck_assert_int_gt(pfkey_build_sa(&b, 1, 1, &c, false), 0);
	struct pfkey_msg m;
	parse_ok(b.ptr, b.len, &m);
	struct pfkey_sa_parsed out;
	ck_assert_int_eq(pfkey_parse_sa(&m, &out), 0);
	ck_assert_int_eq(out.sa.proto, KERNEL_PROTO_COMP);
	ck_assert_int_eq(out.sa.comp, KERNEL_COMP_DEFLATE);
	ck_assert(ip_is(&out.sa.dst, "2001:db8::2"));
	buf_free(&b);
	/* ESP with the null cipher still carries a (0-bit) encryption key extension. */
	struct kernel_sa n = esp_sa();
	n.enc = KERNEL_ENC_NULL;
	n.enc_key = NULL;
	n.enc_key_len = 0;
	n.encap.enabled = false;
	buf_init_secret(&b, PFKEY_REQ_MAX);
	ck_assert_int_gt(pfkey_build_sa(&b, 1, 1, &n, true), 0);
	parse_ok(b.ptr, b.len, &m);
	ck_assert_uint_eq(m.hdr.sadb_msg_type, SADB_UPDATE);
	ck_assert(pfkey_has(&m, SADB_EXT_KEY_ENCRYPT));
	ck_assert(!pfkey_has(&m, SADB_X_EXT_NAT_T_TYPE));
	buf_free(&b);
}
END_TEST

static int build_sa_result(const struct kernel_sa *sa)
{
	struct buf b;
	buf_init_secret(&b, PFKEY_REQ_MAX);
	int r = pfkey_build_sa(&b, 1, 1, sa, false);
	buf_free(&b);
	return r;
}

START_TEST(sa_refusals)
{
	struct kernel_sa sa = esp_sa();
	ck_assert_int_gt(build_sa_result(&sa), 0);
	/* SHA-256 over PF_KEY is 96 bits: asking for RFC 4868's 128 must fail, not lie. */
	sa.auth = KERNEL_AUTH_HMAC_SHA2_256;
	sa.auth_key_len = 32;
	sa.icv_bits = 128;
	ck_assert_int_eq(build_sa_result(&sa), -EOPNOTSUPP);
	sa.icv_bits = 96;
	ck_assert_int_gt(build_sa_result(&sa), 0);
	sa = esp_sa();
	sa.auth = KERNEL_AUTH_NONE;
	sa.auth_key_len = 0;
	sa.enc = KERNEL_ENC_AES_GCM_16;
	ck_assert_int_eq(build_sa_result(&sa), -EOPNOTSUPP);
	sa = esp_sa();
	sa.esn = true;
	ck_assert_int_eq(build_sa_result(&sa), -EOPNOTSUPP);
	sa = esp_sa();
	sa.replay_window = 64;
	ck_assert_int_eq(build_sa_result(&sa), -EOPNOTSUPP);
	sa = esp_sa();
	sa.dst = ip("2001:db8::2");
	ck_assert_int_eq(build_sa_result(&sa), -EINVAL);
	sa = esp_sa();
	sa.proto = KERNEL_PROTO_AH; /* NAT-T is ESP only */
	ck_assert_int_eq(build_sa_result(&sa), -EINVAL);
	/* Keys beyond the request buffer fail cleanly. */
	static uint8_t big[600];
	sa = esp_sa();
	sa.auth_key = big;
	sa.auth_key_len = sizeof(big);
	ck_assert_int_eq(build_sa_result(&sa), -EMSGSIZE);
}
END_TEST

static struct kernel_policy tunnel_policy(void)
{
	struct kernel_policy p = {
		.sel = { .src = ip("192.0.2.0"), .dst = ip("198.51.100.0"), .src_plen = 24,
			 .dst_plen = 24, .proto = 6, .dport = 80 },
		.dir = KERNEL_DIR_FWD, .action = KERNEL_POLICY_IPSEC, .priority = 0x7fffff00,
		.n_tmpl = 2,
	};
	p.tmpl[0] = (struct kernel_tmpl){ .proto = KERNEL_PROTO_COMP, .mode = KERNEL_MODE_TUNNEL,
					  .src = ip("2001:db8::1"), .dst = ip("2001:db8::2"),
					  .level = KERNEL_LEVEL_USE };
	p.tmpl[1] = (struct kernel_tmpl){ .proto = KERNEL_PROTO_ESP, .mode = KERNEL_MODE_TRANSPORT,
					  .level = KERNEL_LEVEL_REQUIRE, .reqid = 12 };
	return p;
}

START_TEST(policy_round_trip)
{
	struct kernel_policy in = tunnel_policy();
	struct buf b;
	buf_init(&b, PFKEY_REQ_MAX);
	ck_assert_int_gt(pfkey_build_policy(&b, 5, 4242, &in, true), 0);
	struct pfkey_msg m;
	parse_ok(b.ptr, b.len, &m);
	ck_assert_uint_eq(m.hdr.sadb_msg_type, SADB_X_SPDUPDATE);
	struct kernel_policy out;
	ck_assert_int_eq(pfkey_parse_policy(&m, &out), 0);
	ck_assert_int_eq(out.dir, KERNEL_DIR_FWD);
	ck_assert_uint_eq(out.priority, 0x7fffff00);
	ck_assert_uint_eq(out.sel.proto, 6);
	ck_assert_uint_eq(out.sel.dport, 80);
	ck_assert_uint_eq(out.sel.sport, 0);
	ck_assert_uint_eq(out.sel.src_plen, 24);
	ck_assert_uint_eq(out.n_tmpl, 2);
	ck_assert_int_eq(out.tmpl[0].mode, KERNEL_MODE_TUNNEL);
	ck_assert_int_eq(out.tmpl[0].level, KERNEL_LEVEL_USE);
	ck_assert(ip_is(&out.tmpl[0].dst, "2001:db8::2"));
	/* A required template with a reqid goes out as "unique" (all Linux keeps). */
	ck_assert_int_eq(out.tmpl[1].level, KERNEL_LEVEL_UNIQUE);
	ck_assert_uint_eq(out.tmpl[1].reqid, 12);
	buf_free(&b);
	/* Bypass and discard carry no requests. */
	in.action = KERNEL_POLICY_BYPASS;
	buf_init(&b, PFKEY_REQ_MAX);
	ck_assert_int_gt(pfkey_build_policy(&b, 5, 4242, &in, false), 0);
	parse_ok(b.ptr, b.len, &m);
	ck_assert_int_eq(pfkey_parse_policy(&m, &out), 0);
	ck_assert_int_eq(out.action, KERNEL_POLICY_BYPASS);
	ck_assert_uint_eq(out.n_tmpl, 0);
	buf_free(&b);
}
END_TEST

static int build_policy_result(const struct kernel_policy *p)
{
	struct buf b;
	buf_init(&b, PFKEY_REQ_MAX);
	int r = pfkey_build_policy(&b, 1, 1, p, false);
	buf_free(&b);
	return r;
}

START_TEST(policy_refusals)
{
	struct kernel_policy p = tunnel_policy();
	p.tmpl[1].reqid = PFKEY_REQID_MAX + 1; /* Linux would silently pick another */
	ck_assert_int_eq(build_policy_result(&p), -ERANGE);
	p = tunnel_policy();
	p.tmpl[0].reqid = 3; /* "use" keeps no reqid in Linux */
	ck_assert_int_eq(build_policy_result(&p), -EOPNOTSUPP);
	p = tunnel_policy();
	p.sel.ifindex = 2;
	ck_assert_int_eq(build_policy_result(&p), -EOPNOTSUPP);
	p = tunnel_policy();
	p.n_tmpl = 0;
	ck_assert_int_eq(build_policy_result(&p), -EINVAL);
	p = tunnel_policy();
	p.tmpl[0].src = ip("192.0.2.1");
	ck_assert_int_eq(build_policy_result(&p), -EINVAL);
}
END_TEST

/* ---- Capabilities ---------------------------------------------------------------------- */

START_TEST(caps_truth_and_refine)
{
	const struct kernel_caps *c = &pfkey_caps_live;
	pfkey_caps_reset();
	ck_assert(!kernel_caps_auth_ok(c, KERNEL_AUTH_HMAC_SHA2_256));
	ck_assert_uint_eq(kernel_caps_find(c, KERNEL_CAP_AUTH, KERNEL_AUTH_HMAC_SHA2_256)->icv_bits, 96);
	ck_assert(kernel_caps_auth_ok(c, KERNEL_AUTH_HMAC_SHA2_512));
	ck_assert(kernel_caps_enc_ok(c, KERNEL_ENC_CAMELLIA_CBC, 128));
	ck_assert(!kernel_caps_enc_ok(c, KERNEL_ENC_AES_GCM_8, 128));
	ck_assert(!kernel_caps_comp_ok(c, KERNEL_COMP_LZS));
	ck_assert(kernel_caps_comp_ok(c, KERNEL_COMP_DEFLATE));
	struct pfkey_msg m;
	/* The lab kernel's answer lists everything in the table: nothing is dropped. */
	parse_ok(fx_register, sizeof(fx_register), &m);
	ck_assert_int_eq(pfkey_caps_refine(&m), 0);
	ck_assert_uint_eq(c->n_algs, pfkey_caps_static.n_algs);
	ck_assert(kernel_caps_enc_ok(c, KERNEL_ENC_BLOWFISH, 448));
	ck_assert(kernel_caps_enc_ok(c, KERNEL_ENC_AES_CTR, 128));
	ck_assert(!kernel_caps_auth_ok(c, KERNEL_AUTH_HMAC_SHA2_256));
	/* A kernel without some modules lists less. */
	parse_ok(fx_register_narrow, sizeof(fx_register_narrow), &m);
	ck_assert_int_eq(pfkey_caps_refine(&m), 0);
	ck_assert(!kernel_caps_auth_ok(c, KERNEL_AUTH_HMAC_SHA2_512)); /* not listed */
	ck_assert(kernel_caps_auth_ok(c, KERNEL_AUTH_HMAC_SHA2_384));
	ck_assert(!kernel_caps_enc_ok(c, KERNEL_ENC_CAMELLIA_CBC, 128));
	ck_assert(kernel_caps_enc_ok(c, KERNEL_ENC_AES_CTR, 256)); /* 288 - 32 bits of nonce */
	ck_assert(kernel_caps_comp_ok(c, KERNEL_COMP_DEFLATE));
	/* The static truth is untouched. */
	ck_assert(kernel_caps_enc_ok(&pfkey_caps_static, KERNEL_ENC_CAMELLIA_CBC, 128));
	pfkey_caps_reset();
	ck_assert(kernel_caps_auth_ok(c, KERNEL_AUTH_HMAC_SHA2_512));
}
END_TEST

/* ---- Malformed messages ---------------------------------------------------------------- */

START_TEST(malformed_framing)
{
	uint8_t msg[sizeof(fx_getspi_reply) + 8];
	struct pfkey_msg m;
	memcpy(msg, fx_getspi_reply, sizeof(fx_getspi_reply));
	/* Misaligned: not a multiple of 8 bytes. */
	ck_assert_int_eq(pfkey_msg_parse(msg, sizeof(fx_getspi_reply) - 4, &m), -EBADMSG);
	/* Shorter than a header. */
	ck_assert_int_eq(pfkey_msg_parse(msg, 8, &m), -EBADMSG);
	/* sadb_msg_len past the end of what was received. */
	ck_assert_int_eq(pfkey_msg_parse(msg, sizeof(fx_getspi_reply) - 8, &m), -EBADMSG);
	/* Wrong version. */
	msg[0] = 1;
	ck_assert_int_eq(pfkey_msg_parse(msg, sizeof(fx_getspi_reply), &m), -EBADMSG);
	msg[0] = 2;
	/* An extension of length 0 (the SA at offset 16). */
	msg[16] = 0;
	ck_assert_int_eq(pfkey_msg_parse(msg, sizeof(fx_getspi_reply), &m), -EBADMSG);
	/* An extension running past the end (SA2 claims 3 units, 2 remain). */
	memcpy(msg, fx_getspi_reply, sizeof(fx_getspi_reply));
	msg[sizeof(fx_getspi_reply) - 16] = 3;
	ck_assert_int_eq(pfkey_msg_parse(msg, sizeof(fx_getspi_reply), &m), -EBADMSG);
	/* Truncated extension: shorter than its fixed part (lifetime of 1 unit). */
	memcpy(msg, fx_expire_soft, sizeof(fx_expire_soft));
	msg[32] = 1;
	ck_assert_int_eq(pfkey_msg_parse(msg, sizeof(fx_expire_soft), &m), -EBADMSG);
	/* Reserved extension type 0, and a duplicate. */
	memcpy(msg, fx_getspi_reply, sizeof(fx_getspi_reply));
	msg[18] = 0;
	ck_assert_int_eq(pfkey_msg_parse(msg, sizeof(fx_getspi_reply), &m), -EBADMSG);
	memcpy(msg, fx_getspi_reply, sizeof(fx_getspi_reply));
	msg[32 + 2] = 4; /* hard lifetime relabelled soft: two soft lifetimes */
	ck_assert_int_eq(pfkey_msg_parse(msg, sizeof(fx_getspi_reply), &m), -EBADMSG);
	/* An unknown extension type (a newer kernel) is skipped, not an error. */
	memcpy(msg, fx_getspi_reply, sizeof(fx_getspi_reply));
	msg[sizeof(fx_getspi_reply) - 16 + 2] = 200;
	ck_assert_int_eq(pfkey_msg_parse(msg, sizeof(fx_getspi_reply), &m), 0);
	ck_assert(!pfkey_has(&m, SADB_X_EXT_SA2));
}
END_TEST

START_TEST(malformed_contents)
{
	static uint8_t msg[8192];
	struct pfkey_msg m;
	struct kernel_policy p;
	/* Address: unknown family, prefix too long, IPv6 sockaddr in an IPv4-sized ext. */
	size_t src = 16 + 16 + 96; /* ADDRESS_SRC in the GETSPI answer */
	memcpy(msg, fx_getspi_reply, sizeof(fx_getspi_reply));
	msg[src + 8] = 99;
	ck_assert_int_eq(pfkey_msg_parse(msg, sizeof(fx_getspi_reply), &m), -EBADMSG);
	memcpy(msg, fx_getspi_reply, sizeof(fx_getspi_reply));
	msg[src + 5] = 33;
	ck_assert_int_eq(pfkey_msg_parse(msg, sizeof(fx_getspi_reply), &m), -EBADMSG);
	memcpy(msg, fx_getspi_reply, sizeof(fx_getspi_reply));
	msg[src + 8] = AF_INET6;
	ck_assert_int_eq(pfkey_msg_parse(msg, sizeof(fx_getspi_reply), &m), -EBADMSG);
	/* ipsecrequest: length below its header, and past the policy extension. */
	size_t rq = 16 + 24 + 24 + 96 + 16;
	memcpy(msg, fx_spddump, sizeof(fx_spddump));
	msg[rq] = 8;
	parse_ok(msg, sizeof(fx_spddump), &m);
	ck_assert_int_eq(pfkey_parse_policy(&m, &p), -EBADMSG);
	msg[rq] = 56;
	parse_ok(msg, sizeof(fx_spddump), &m);
	ck_assert_int_eq(pfkey_parse_policy(&m, &p), -EBADMSG);
	/* A tunnel request whose second sockaddr is of another family. */
	memcpy(msg, fx_spddump, sizeof(fx_spddump));
	msg[rq + 16 + 16] = 10;
	parse_ok(msg, sizeof(fx_spddump), &m);
	ck_assert_int_eq(pfkey_parse_policy(&m, &p), -EBADMSG);
	/* A per-socket direction is not part of the SPD. */
	memcpy(msg, fx_spddump, sizeof(fx_spddump));
	msg[rq - 16 + 6] = 4;
	parse_ok(msg, sizeof(fx_spddump), &m);
	ck_assert_int_eq(pfkey_parse_policy(&m, &p), -ENOENT);
	/* An ACQUIRE without its policy extension. */
	memcpy(msg, fx_acquire, sizeof(fx_acquire));
	msg[16 + 48 + 2] = 200;
	parse_ok(msg, sizeof(fx_acquire), &m);
	struct kernel_event ev;
	uint32_t index;
	ck_assert_int_eq(pfkey_parse_event(&m, 1, &ev, &index), -EBADMSG);
	/* An EXPIRE with both lifetimes cannot say which expiry it is. */
	memcpy(msg, fx_expire_soft, sizeof(fx_expire_soft));
	msg[16 + 16 + 32 + 2] = SADB_EXT_LIFETIME_HARD;
	parse_ok(msg, sizeof(fx_expire_soft), &m);
	ck_assert_int_eq(pfkey_parse_event(&m, 1, &ev, &index), -EBADMSG);
}
END_TEST

START_TEST(malformed_key_bits)
{
	struct kernel_sa in = esp_sa();
	struct buf b;
	buf_init_secret(&b, PFKEY_REQ_MAX);
	ck_assert_int_gt(pfkey_build_sa(&b, 1, 1, &in, false), 0);
	struct pfkey_msg m;
	parse_ok(b.ptr, b.len, &m);
	/* Claim more key bits than the extension holds. */
	struct buf *k = &m.ext[SADB_EXT_KEY_AUTH];
	size_t off = (size_t)(k->ptr - b.ptr) + 4;
	uint16_t bits = 4096;
	memcpy(b.ptr + off, &bits, sizeof(bits));
	parse_ok(b.ptr, b.len, &m);
	struct pfkey_sa_parsed out;
	ck_assert_int_eq(pfkey_parse_sa(&m, &out), -EBADMSG);
	bits = 7; /* not whole bytes */
	memcpy(b.ptr + off, &bits, sizeof(bits));
	parse_ok(b.ptr, b.len, &m);
	ck_assert_int_eq(pfkey_parse_sa(&m, &out), -EBADMSG);
	buf_free(&b);
}
END_TEST

/* Every single-byte change of every fixture: never a crash, never a read out of bounds
 * (the sanitizer build checks the latter). Deterministic. */
START_TEST(mutations_never_crash)
{
	static const struct {
		const uint8_t *d;
		size_t n;
	} fx[] = {
		{ fx_getspi_reply, sizeof(fx_getspi_reply) }, { fx_acquire, sizeof(fx_acquire) },
		{ fx_expire_soft, sizeof(fx_expire_soft) }, { fx_spddump, sizeof(fx_spddump) },
		{ fx_new_mapping, sizeof(fx_new_mapping) }, { fx_register, sizeof(fx_register) },
		{ fx_register_narrow, sizeof(fx_register_narrow) }, { fx_expire_hard, sizeof(fx_expire_hard) },
	};
	static const uint8_t vals[] = { 0, 1, 2, 3, 8, 0x7f, 0x80, 0xff };
	unsigned parsed = 0;
	for (size_t f = 0; f < sizeof(fx) / sizeof(fx[0]); f++) {
		uint8_t *msg = malloc(fx[f].n);
		for (size_t i = 0; i < fx[f].n; i++)
			for (size_t v = 0; v < sizeof(vals); v++) {
				memcpy(msg, fx[f].d, fx[f].n);
				msg[i] = vals[v];
				struct pfkey_msg m;
				if (pfkey_msg_parse(msg, fx[f].n, &m) < 0)
					continue;
				parsed++;
				struct pfkey_sa_parsed sa;
				struct kernel_policy p;
				struct kernel_event ev;
				uint32_t index;
				(void)pfkey_parse_sa(&m, &sa);
				(void)pfkey_parse_policy(&m, &p);
				(void)pfkey_parse_event(&m, 1, &ev, &index);
				(void)pfkey_caps_refine(&m);
			}
		free(msg);
	}
	pfkey_caps_reset();
	ck_assert_uint_gt(parsed, 100); /* the mutations did reach the extension parsers */
}
END_TEST

int main(void)
{
	Suite *s = suite_create("pfkey");
	TCase *tc = tcase_create("kernel messages");
	tcase_add_test(tc, getspi_reply);
	tcase_add_test(tc, acquire_event);
	tcase_add_test(tc, expire_soft_and_hard);
	tcase_add_test(tc, spddump_entry);
	tcase_add_test(tc, new_mapping_event);
	tcase_add_test(tc, spd_change_events);
	suite_add_tcase(s, tc);
	tc = tcase_create("requests");
	tcase_add_test(tc, getspi_request_bytes);
	tcase_add_test(tc, sa_round_trip);
	tcase_add_test(tc, sa_ipcomp_and_null);
	tcase_add_test(tc, sa_refusals);
	tcase_add_test(tc, policy_round_trip);
	tcase_add_test(tc, policy_refusals);
	tcase_add_test(tc, caps_truth_and_refine);
	suite_add_tcase(s, tc);
	tc = tcase_create("malformed");
	tcase_add_test(tc, malformed_framing);
	tcase_add_test(tc, malformed_contents);
	tcase_add_test(tc, malformed_key_bits);
	tcase_add_test(tc, mutations_never_crash);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
