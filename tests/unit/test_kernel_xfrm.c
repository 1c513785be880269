/* Unit tests: XFRM message building and parsing (src/kernel/xfrm), against our own
 * builder, recorded kernel messages (tests/unit/fixtures/kernel) and malformed input. */
#include <check.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/xfrm/xfrm.h"

#ifndef FIXTURE_DIR
#define FIXTURE_DIR "tests/unit/fixtures/kernel"
#endif

static _Alignas(8) uint8_t buf[XFRM_REQ_SIZE];

static union sockaddr_any A(const char *s)
{
	union sockaddr_any a;
	ck_assert_int_eq(addr_parse(s, &a), 0);
	return a;
}

static const uint8_t key[128] = {
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd,
	0xee, 0xff, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c,
	0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a,
};

/* A copy of exactly len bytes, so ASan sees any read past the message. */
static struct nlmsghdr *exact_copy(const void *msg, size_t len)
{
	void *p = malloc(len);
	ck_assert_ptr_nonnull(p);
	memcpy(p, msg, len);
	((struct nlmsghdr *)p)->nlmsg_len = (uint32_t)len;
	return p;
}

static const struct nlattr *find_attr(const struct nlmsghdr *nlh, size_t hdrlen, uint16_t type)
{
	const struct nlattr *a;
	mnl_attr_for_each(a, nlh, hdrlen)
		if (mnl_attr_get_type(a) == type)
			return a;
	return NULL;
}

/* ---- SAs: build -> parse ----------------------------------------------------------- */

struct sa_case {
	const char *src, *dst;
	enum kernel_proto proto;
	enum kernel_enc enc;
	size_t enc_len;
	enum kernel_auth auth;
	size_t auth_len;
	enum kernel_comp comp;
	unsigned want_icv;
	const char *want_name; /* kernel name of the cipher/aead, or of auth for AH */
};

static const struct sa_case sa_cases[] = {
	{ "192.0.2.1", "192.0.2.2", KERNEL_PROTO_ESP, KERNEL_ENC_AES_CBC, 16, KERNEL_AUTH_HMAC_SHA1, 20, 0, 96, "cbc(aes)" },
	{ "192.0.2.1", "192.0.2.2", KERNEL_PROTO_ESP, KERNEL_ENC_AES_CBC, 32, KERNEL_AUTH_HMAC_SHA2_256, 32, 0, 128, "cbc(aes)" },
	{ "192.0.2.1", "192.0.2.2", KERNEL_PROTO_ESP, KERNEL_ENC_3DES, 24, KERNEL_AUTH_HMAC_SHA2_384, 48, 0, 192, "cbc(des3_ede)" },
	{ "2001:db8::1", "2001:db8::2", KERNEL_PROTO_ESP, KERNEL_ENC_AES_CBC, 16, KERNEL_AUTH_HMAC_SHA2_512, 64, 0, 256, "cbc(aes)" },
	{ "192.0.2.1", "192.0.2.2", KERNEL_PROTO_ESP, KERNEL_ENC_AES_GCM_16, 20, 0, 0, 0, 128, "rfc4106(gcm(aes))" },
	{ "192.0.2.1", "192.0.2.2", KERNEL_PROTO_ESP, KERNEL_ENC_AES_GCM_8, 36, 0, 0, 0, 64, "rfc4106(gcm(aes))" },
	{ "192.0.2.1", "192.0.2.2", KERNEL_PROTO_ESP, KERNEL_ENC_AES_CTR, 20, KERNEL_AUTH_HMAC_MD5, 16, 0, 96, "rfc3686(ctr(aes))" },
	{ "192.0.2.1", "192.0.2.2", KERNEL_PROTO_ESP, KERNEL_ENC_NULL, 0, KERNEL_AUTH_HMAC_SHA2_256, 32, 0, 128, "ecb(cipher_null)" },
	{ "2001:db8::1", "2001:db8::2", KERNEL_PROTO_AH, 0, 0, KERNEL_AUTH_HMAC_SHA2_256, 32, 0, 128, "hmac(sha256)" },
	{ "192.0.2.1", "192.0.2.2", KERNEL_PROTO_COMP, 0, 0, 0, 0, KERNEL_COMP_DEFLATE, 0, NULL },
};

static struct kernel_sa sa_of(const struct sa_case *c, uint32_t spi)
{
	struct kernel_sa sa = { .src = A(c->src), .dst = A(c->dst), .spi = spi, .proto = c->proto,
				.mode = KERNEL_MODE_TUNNEL, .reqid = 42, .enc = c->enc,
				.enc_key = key, .enc_key_len = c->enc_len, .auth = c->auth,
				.auth_key = key + 8, .auth_key_len = c->auth_len, .comp = c->comp,
				.replay_window = 32, .seq = 7 };
	sa.soft.add_sec = 3000;
	sa.hard.add_sec = 3600;
	sa.hard.bytes = 1u << 30;
	return sa;
}

START_TEST(sa_build_parse_roundtrip)
{
	const struct sa_case *c = &sa_cases[_i];
	struct kernel_sa sa = sa_of(c, c->proto == KERNEL_PROTO_COMP ? 0x4321 : 0xc0ffee00u + (uint32_t)_i);
	for (int update = 0; update <= 1; update++) {
		int len = xfrm_build_sa(buf, sizeof(buf), 99, &sa, update);
		ck_assert_int_gt(len, 0);
		struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
		ck_assert_uint_eq(nlh->nlmsg_type, update ? XFRM_MSG_UPDSA : XFRM_MSG_NEWSA);
		ck_assert(nlh->nlmsg_flags & NLM_F_ACK);
		ck_assert(!!(nlh->nlmsg_flags & NLM_F_EXCL) == !update);
		ck_assert_uint_eq(nlh->nlmsg_seq, 99);
		struct xfrm_sa_parsed p;
		ck_assert_int_eq(xfrm_parse_sa(nlh, &p), 0);
		ck_assert(addr_equal(&p.sa.src, &sa.src));
		ck_assert(addr_equal(&p.sa.dst, &sa.dst));
		ck_assert_uint_eq(p.sa.spi, sa.spi);
		ck_assert_int_eq(p.sa.proto, c->proto);
		ck_assert_int_eq(p.sa.mode, KERNEL_MODE_TUNNEL);
		ck_assert_uint_eq(p.sa.reqid, 42);
		ck_assert_uint_eq(p.sa.seq, 7);
		ck_assert_int_eq(p.sa.enc, c->enc);
		ck_assert_uint_eq(p.sa.enc_key_len, c->enc_len);
		if (c->enc_len)
			ck_assert_mem_eq(p.sa.enc_key, key, c->enc_len);
		ck_assert_int_eq(p.sa.auth, c->auth);
		ck_assert_uint_eq(p.sa.auth_key_len, c->auth_len);
		if (c->auth_len)
			ck_assert_mem_eq(p.sa.auth_key, key + 8, c->auth_len);
		ck_assert_int_eq(p.sa.comp, c->comp);
		ck_assert_uint_eq(p.sa.icv_bits, c->want_icv);
		ck_assert_uint_eq(p.sa.replay_window, 32);
		ck_assert_uint_eq(p.sa.soft.add_sec, 3000);
		ck_assert_uint_eq(p.sa.hard.add_sec, 3600);
		ck_assert_uint_eq(p.sa.hard.bytes, 1u << 30);
		ck_assert_uint_eq(p.sa.soft.bytes, 0); /* unlimited <-> XFRM_INF */
	}
}
END_TEST

START_TEST(sha2_truncation_is_rfc4868)
{
	static const struct { enum kernel_auth a; const char *name; unsigned bits; } t[] = {
		{ KERNEL_AUTH_HMAC_SHA2_256, "hmac(sha256)", 128 },
		{ KERNEL_AUTH_HMAC_SHA2_384, "hmac(sha384)", 192 },
		{ KERNEL_AUTH_HMAC_SHA2_512, "hmac(sha512)", 256 },
		{ KERNEL_AUTH_HMAC_SHA1, "hmac(sha1)", 96 },
		{ KERNEL_AUTH_HMAC_MD5, "hmac(md5)", 96 },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct kernel_sa sa = sa_of(&sa_cases[1], 0x1000);
		sa.auth = t[i].a;
		ck_assert_int_gt(xfrm_build_sa(buf, sizeof(buf), 1, &sa, false), 0);
		const struct nlattr *a = find_attr((void *)buf, sizeof(struct xfrm_usersa_info),
						   XFRMA_ALG_AUTH_TRUNC);
		ck_assert_ptr_nonnull(a);
		ck_assert_ptr_null(find_attr((void *)buf, sizeof(struct xfrm_usersa_info), XFRMA_ALG_AUTH));
		const struct xfrm_algo_auth *x = mnl_attr_get_payload(a);
		ck_assert_str_eq(x->alg_name, t[i].name);
		ck_assert_uint_eq(x->alg_trunc_len, t[i].bits);
		ck_assert_uint_eq(x->alg_key_len, 256);
	}
	/* An explicit ICV length wins (interop with a peer that truncates to 96). */
	struct kernel_sa sa = sa_of(&sa_cases[1], 0x1000);
	sa.icv_bits = 96;
	ck_assert_int_gt(xfrm_build_sa(buf, sizeof(buf), 1, &sa, false), 0);
	const struct xfrm_algo_auth *x = mnl_attr_get_payload(
		find_attr((void *)buf, sizeof(struct xfrm_usersa_info), XFRMA_ALG_AUTH_TRUNC));
	ck_assert_uint_eq(x->alg_trunc_len, 96);
}
END_TEST

START_TEST(gcm_key_carries_salt)
{
	struct kernel_sa sa = sa_of(&sa_cases[4], 0x1000);
	ck_assert_int_gt(xfrm_build_sa(buf, sizeof(buf), 1, &sa, false), 0);
	const struct nlattr *a = find_attr((void *)buf, sizeof(struct xfrm_usersa_info), XFRMA_ALG_AEAD);
	ck_assert_ptr_nonnull(a);
	const struct xfrm_algo_aead *x = mnl_attr_get_payload(a);
	ck_assert_str_eq(x->alg_name, "rfc4106(gcm(aes))");
	ck_assert_uint_eq(x->alg_key_len, 160); /* AES-128 + 32-bit salt */
	ck_assert_uint_eq(x->alg_icv_len, 128);
	ck_assert_mem_eq(x->alg_key, key, 20);
	ck_assert_ptr_null(find_attr((void *)buf, sizeof(struct xfrm_usersa_info), XFRMA_ALG_CRYPT));
}
END_TEST

START_TEST(replay_window_and_esn)
{
	struct kernel_sa sa = sa_of(&sa_cases[1], 0x1000);
	sa.replay_window = 128;
	ck_assert_int_gt(xfrm_build_sa(buf, sizeof(buf), 1, &sa, false), 0);
	const struct xfrm_usersa_info *p = mnl_nlmsg_get_payload((void *)buf);
	ck_assert_uint_eq(p->replay_window, 0); /* the kernel refuses both at once */
	ck_assert(!(p->flags & XFRM_STATE_ESN));
	const struct nlattr *a = find_attr((void *)buf, sizeof(*p), XFRMA_REPLAY_ESN_VAL);
	ck_assert_ptr_nonnull(a);
	const struct xfrm_replay_state_esn *r = mnl_attr_get_payload(a);
	ck_assert_uint_eq(r->bmp_len, 4);
	ck_assert_uint_eq(r->replay_window, 128);
	ck_assert_uint_eq(mnl_attr_get_payload_len(a), sizeof(*r) + 16);
	struct xfrm_sa_parsed ps;
	ck_assert_int_eq(xfrm_parse_sa((void *)buf, &ps), 0);
	ck_assert_uint_eq(ps.sa.replay_window, 128);
	ck_assert(!ps.sa.esn);

	sa.replay_window = 32;
	sa.esn = true;
	ck_assert_int_gt(xfrm_build_sa(buf, sizeof(buf), 1, &sa, false), 0);
	p = mnl_nlmsg_get_payload((void *)buf);
	ck_assert(p->flags & XFRM_STATE_ESN);
	ck_assert_ptr_nonnull(find_attr((void *)buf, sizeof(*p), XFRMA_REPLAY_ESN_VAL));
	ck_assert_int_eq(xfrm_parse_sa((void *)buf, &ps), 0);
	ck_assert(ps.sa.esn);

	sa.esn = false;
	sa.replay_window = 20;
	ck_assert_int_gt(xfrm_build_sa(buf, sizeof(buf), 1, &sa, false), 0);
	p = mnl_nlmsg_get_payload((void *)buf);
	ck_assert_uint_eq(p->replay_window, 20);
	ck_assert_ptr_null(find_attr((void *)buf, sizeof(*p), XFRMA_REPLAY_ESN_VAL));

	sa.replay_window = XFRMA_REPLAY_ESN_MAX + 1;
	ck_assert_int_lt(xfrm_build_sa(buf, sizeof(buf), 1, &sa, false), 0);
}
END_TEST

START_TEST(encap_and_transport_selector)
{
	struct kernel_sa sa = sa_of(&sa_cases[1], 0x1000);
	sa.mode = KERNEL_MODE_TRANSPORT;
	sa.encap = (struct kernel_encap){ .enabled = true, .sport = 4500, .dport = 4501 };
	ck_assert_int_gt(xfrm_build_sa(buf, sizeof(buf), 1, &sa, false), 0);
	const struct xfrm_usersa_info *p = mnl_nlmsg_get_payload((void *)buf);
	ck_assert_uint_eq(p->sel.prefixlen_d, 32); /* host to host */
	ck_assert_uint_eq(p->sel.family, AF_INET);
	const struct nlattr *a = find_attr((void *)buf, sizeof(*p), XFRMA_ENCAP);
	ck_assert_ptr_nonnull(a);
	const struct xfrm_encap_tmpl *e = mnl_attr_get_payload(a);
	ck_assert_uint_eq(e->encap_type, 2); /* UDP_ENCAP_ESPINUDP */
	ck_assert_uint_eq(ntohs(e->encap_sport), 4500);
	ck_assert_uint_eq(ntohs(e->encap_dport), 4501);
	struct xfrm_sa_parsed ps;
	ck_assert_int_eq(xfrm_parse_sa((void *)buf, &ps), 0);
	ck_assert(ps.sa.encap.enabled);
	ck_assert_uint_eq(ps.sa.encap.dport, 4501);
	ck_assert_ptr_nonnull(ps.sa.sel);
	ck_assert_uint_eq(ps.sa.sel->dst_plen, 32);
}
END_TEST

START_TEST(sa_build_refuses)
{
	struct kernel_sa sa = sa_of(&sa_cases[1], 0x1000);
	sa.enc = (enum kernel_enc)99;
	ck_assert_int_eq(xfrm_build_sa(buf, sizeof(buf), 1, &sa, false), -EOPNOTSUPP);
	sa = sa_of(&sa_cases[1], 0x1000);
	sa.auth = (enum kernel_auth)42;
	ck_assert_int_eq(xfrm_build_sa(buf, sizeof(buf), 1, &sa, false), -EOPNOTSUPP);
	sa = sa_of(&sa_cases[1], 0x1000);
	sa.enc_key = NULL;
	ck_assert_int_eq(xfrm_build_sa(buf, sizeof(buf), 1, &sa, false), -EOPNOTSUPP);
	sa = sa_of(&sa_cases[1], 0x1000);
	ck_assert_int_eq(xfrm_build_sa(buf, 100, 1, &sa, false), -EMSGSIZE);
}
END_TEST

/* ---- SPI, ids, policies ------------------------------------------------------------ */

START_TEST(allocspi_request)
{
	struct kernel_spi_req q = { .src = A("192.0.2.2"), .dst = A("192.0.2.1"),
				    .proto = KERNEL_PROTO_ESP, .reqid = 5, .seq = 1234 };
	ck_assert_int_gt(xfrm_build_allocspi(buf, sizeof(buf), 3, &q), 0);
	const struct xfrm_userspi_info *s = mnl_nlmsg_get_payload((void *)buf);
	ck_assert_uint_eq(((struct nlmsghdr *)buf)->nlmsg_type, XFRM_MSG_ALLOCSPI);
	ck_assert_uint_eq(s->info.seq, 1234);
	ck_assert_uint_eq(s->info.reqid, 5);
	ck_assert_uint_eq(s->info.id.proto, IPPROTO_ESP);
	ck_assert_uint_eq(s->min, 0x100);
	ck_assert_uint_eq(s->max, 0xffffffffu);
	q.proto = KERNEL_PROTO_COMP;
	ck_assert_int_gt(xfrm_build_allocspi(buf, sizeof(buf), 3, &q), 0);
	s = mnl_nlmsg_get_payload((void *)buf);
	ck_assert_uint_eq(s->max, 0xffff);
	q.min = 10;
	q.max = 5;
	ck_assert_int_eq(xfrm_build_allocspi(buf, sizeof(buf), 3, &q), -EINVAL);
}
END_TEST

START_TEST(sa_id_request)
{
	struct kernel_sa_id id = { .src = A("2001:db8::1"), .dst = A("2001:db8::2"), .spi = 0xabcdef01,
				   .proto = KERNEL_PROTO_AH };
	ck_assert_int_gt(xfrm_build_sa_id(buf, sizeof(buf), 3, XFRM_MSG_DELSA, &id), 0);
	const struct xfrm_usersa_id *p = mnl_nlmsg_get_payload((void *)buf);
	ck_assert_uint_eq(ntohl(p->spi), 0xabcdef01);
	ck_assert_uint_eq(p->family, AF_INET6);
	ck_assert_uint_eq(p->proto, IPPROTO_AH);
	ck_assert_ptr_nonnull(find_attr((void *)buf, sizeof(*p), XFRMA_SRCADDR));
	id.src.sa.sa_family = 0; /* no source: no attribute */
	ck_assert_int_gt(xfrm_build_sa_id(buf, sizeof(buf), 3, XFRM_MSG_GETSA, &id), 0);
	ck_assert_ptr_null(find_attr((void *)buf, sizeof(*p), XFRMA_SRCADDR));
	ck_assert(!(((struct nlmsghdr *)buf)->nlmsg_flags & NLM_F_ACK));
}
END_TEST

static struct kernel_policy sample_policy(void)
{
	struct kernel_policy p = { .sel = { .src = A("2001:db8:1::"), .dst = A("2001:db8:2::"),
					    .src_plen = 48, .dst_plen = 48, .proto = 6, .dport = 443 },
				   .dir = KERNEL_DIR_FWD, .priority = 1000, .n_tmpl = 2 };
	p.tmpl[0] = (struct kernel_tmpl){ .proto = KERNEL_PROTO_AH, .mode = KERNEL_MODE_TRANSPORT,
					  .level = KERNEL_LEVEL_USE };
	p.tmpl[1] = (struct kernel_tmpl){ .proto = KERNEL_PROTO_ESP, .mode = KERNEL_MODE_TUNNEL,
					  .src = A("203.0.113.1"), .dst = A("203.0.113.2"),
					  .level = KERNEL_LEVEL_UNIQUE, .reqid = 9 };
	p.hard.add_sec = 60;
	return p;
}

START_TEST(policy_build_parse_roundtrip)
{
	struct kernel_policy p = sample_policy();
	ck_assert_int_gt(xfrm_build_policy(buf, sizeof(buf), 1, &p, false), 0);
	struct kernel_policy q;
	ck_assert_int_eq(xfrm_parse_policy((void *)buf, &q), 0);
	ck_assert_int_eq(q.dir, KERNEL_DIR_FWD);
	ck_assert_uint_eq(q.priority, 1000);
	ck_assert_uint_eq(q.sel.dport, 443);
	ck_assert_uint_eq(q.sel.sport, 0);
	ck_assert_uint_eq(q.sel.proto, 6);
	ck_assert_uint_eq(q.sel.src_plen, 48);
	ck_assert(addr_equal(&q.sel.dst, &p.sel.dst));
	ck_assert_int_eq(q.action, KERNEL_POLICY_IPSEC);
	ck_assert_uint_eq(q.n_tmpl, 2);
	ck_assert_int_eq(q.tmpl[0].level, KERNEL_LEVEL_USE);
	ck_assert_int_eq(q.tmpl[1].mode, KERNEL_MODE_TUNNEL);
	ck_assert(addr_equal(&q.tmpl[1].dst, &p.tmpl[1].dst));
	ck_assert_int_eq(q.tmpl[1].level, KERNEL_LEVEL_UNIQUE); /* reqid set, not optional */
	ck_assert_uint_eq(q.hard.add_sec, 60);

	p.action = KERNEL_POLICY_DISCARD;
	ck_assert_int_gt(xfrm_build_policy(buf, sizeof(buf), 1, &p, true), 0);
	ck_assert_uint_eq(((struct nlmsghdr *)buf)->nlmsg_type, XFRM_MSG_UPDPOLICY);
	ck_assert_int_eq(xfrm_parse_policy((void *)buf, &q), 0);
	ck_assert_int_eq(q.action, KERNEL_POLICY_DISCARD);
	ck_assert_uint_eq(q.n_tmpl, 0);

	p.action = KERNEL_POLICY_BYPASS;
	ck_assert_int_gt(xfrm_build_policy(buf, sizeof(buf), 1, &p, false), 0);
	ck_assert_int_eq(xfrm_parse_policy((void *)buf, &q), 0);
	ck_assert_int_eq(q.action, KERNEL_POLICY_BYPASS);

	ck_assert_int_gt(xfrm_build_policy_id(buf, sizeof(buf), 1, XFRM_MSG_DELPOLICY, &p), 0);
	const struct xfrm_userpolicy_id *id = mnl_nlmsg_get_payload((void *)buf);
	ck_assert_uint_eq(id->dir, XFRM_POLICY_FWD);
	ck_assert_uint_eq(ntohs(id->sel.dport), 443);
	ck_assert_uint_eq(id->sel.dport_mask, 0xffff);
}
END_TEST

/* ---- Malformed input --------------------------------------------------------------- */

/* Every truncation of a valid message either parses (cut exactly between attributes)
 * or is refused; none reads past the end (ASan). */
START_TEST(truncated_messages_rejected)
{
	struct kernel_sa sa = sa_of(&sa_cases[1], 0x1000);
	sa.replay_window = 128;
	sa.encap.enabled = true;
	int len = xfrm_build_sa(buf, sizeof(buf), 1, &sa, false);
	ck_assert_int_gt(len, 0);
	/* Attribute boundaries of the intact message. */
	size_t bounds[16], nb = 0;
	const struct nlattr *a;
	mnl_attr_for_each(a, (struct nlmsghdr *)buf, sizeof(struct xfrm_usersa_info))
		bounds[nb++] = (size_t)((const uint8_t *)mnl_attr_next(a) - buf);
	ck_assert_uint_ge(nb, 4);
	size_t hdr = MNL_NLMSG_HDRLEN + sizeof(struct xfrm_usersa_info);
	for (size_t l = MNL_NLMSG_HDRLEN; l < (size_t)len; l++) {
		struct nlmsghdr *m = exact_copy(buf, l);
		struct xfrm_sa_parsed p;
		int r = xfrm_parse_sa(m, &p);
		bool boundary = l == hdr;
		for (size_t i = 0; i < nb; i++)
			boundary |= bounds[i] == l;
		if (boundary)
			ck_assert_int_eq(r, 0);
		else
			ck_assert_msg(r == -EBADMSG, "length %zu parsed (%d)", l, r);
		free(m);
	}
}
END_TEST

/* Corrupt one attribute of a freshly built SA and expect -EBADMSG. */
static void expect_bad_sa(void (*corrupt)(struct nlmsghdr *nlh))
{
	struct kernel_sa sa = sa_of(&sa_cases[1], 0x1000);
	sa.replay_window = 128;
	sa.encap.enabled = true;
	ck_assert_int_gt(xfrm_build_sa(buf, sizeof(buf), 1, &sa, false), 0);
	corrupt((struct nlmsghdr *)buf);
	struct xfrm_sa_parsed p;
	ck_assert_int_eq(xfrm_parse_sa((struct nlmsghdr *)buf, &p), -EBADMSG);
}

static struct nlattr *attr_rw(struct nlmsghdr *nlh, uint16_t type)
{
	return (struct nlattr *)find_attr(nlh, sizeof(struct xfrm_usersa_info), type);
}

static void c_encap_len(struct nlmsghdr *n) { attr_rw(n, XFRMA_ENCAP)->nla_len = 4 + 8; }
static void c_key_len(struct nlmsghdr *n)
{
	((struct xfrm_algo *)mnl_attr_get_payload(attr_rw(n, XFRMA_ALG_CRYPT)))->alg_key_len = 4096;
}
static void c_key_bits(struct nlmsghdr *n)
{
	((struct xfrm_algo_auth *)mnl_attr_get_payload(attr_rw(n, XFRMA_ALG_AUTH_TRUNC)))->alg_key_len = 255;
}
static void c_name(struct nlmsghdr *n)
{
	memset(((struct xfrm_algo *)mnl_attr_get_payload(attr_rw(n, XFRMA_ALG_CRYPT)))->alg_name, 'a', 64);
}
static void c_family(struct nlmsghdr *n)
{
	((struct xfrm_usersa_info *)mnl_nlmsg_get_payload(n))->family = 99;
}
static void c_esn_bmp(struct nlmsghdr *n)
{
	((struct xfrm_replay_state_esn *)mnl_attr_get_payload(attr_rw(n, XFRMA_REPLAY_ESN_VAL)))->bmp_len = 1000;
}
static void c_esn_window(struct nlmsghdr *n)
{
	((struct xfrm_replay_state_esn *)mnl_attr_get_payload(attr_rw(n, XFRMA_REPLAY_ESN_VAL)))->replay_window = 4000;
}
static void c_attr_overflow(struct nlmsghdr *n) { attr_rw(n, XFRMA_ALG_CRYPT)->nla_len = 4000; }
static void c_attr_tiny(struct nlmsghdr *n) { attr_rw(n, XFRMA_ALG_AUTH_TRUNC)->nla_len = 8; }
static void c_type(struct nlmsghdr *n) { n->nlmsg_type = XFRM_MSG_NEWPOLICY; }
static void c_short(struct nlmsghdr *n) { n->nlmsg_len = MNL_NLMSG_HDRLEN + 100; }

START_TEST(wrong_sizes_rejected)
{
	expect_bad_sa(c_encap_len);
	expect_bad_sa(c_key_len);
	expect_bad_sa(c_key_bits);
	expect_bad_sa(c_name);
	expect_bad_sa(c_family);
	expect_bad_sa(c_esn_bmp);
	expect_bad_sa(c_esn_window);
	expect_bad_sa(c_attr_overflow);
	expect_bad_sa(c_attr_tiny);
	expect_bad_sa(c_type);
	expect_bad_sa(c_short);

	/* A template attribute that is not a whole number of templates. */
	struct kernel_policy p = sample_policy();
	ck_assert_int_gt(xfrm_build_policy(buf, sizeof(buf), 1, &p, false), 0);
	struct nlattr *t = (struct nlattr *)find_attr((void *)buf, sizeof(struct xfrm_userpolicy_info),
						      XFRMA_TMPL);
	t->nla_len -= 4;
	struct kernel_policy q;
	ck_assert_int_eq(xfrm_parse_policy((void *)buf, &q), -EBADMSG);
	/* Prefix longer than the family allows. */
	ck_assert_int_gt(xfrm_build_policy(buf, sizeof(buf), 1, &p, false), 0);
	((struct xfrm_userpolicy_info *)mnl_nlmsg_get_payload((void *)buf))->sel.prefixlen_s = 129;
	ck_assert_int_eq(xfrm_parse_policy((void *)buf, &q), -EBADMSG);
	/* Per-socket policies (dir >= XFRM_POLICY_MAX) are not SPD entries. */
	ck_assert_int_gt(xfrm_build_policy(buf, sizeof(buf), 1, &p, false), 0);
	((struct xfrm_userpolicy_info *)mnl_nlmsg_get_payload((void *)buf))->dir = XFRM_POLICY_MAX + 1;
	ck_assert_int_eq(xfrm_parse_policy((void *)buf, &q), -ENOENT);
}
END_TEST

/* ---- Events (synthetic; recorded ones below) --------------------------------------- */

static struct nlmsghdr *start_msg(uint16_t type, size_t hdrlen)
{
	memset(buf, 0, sizeof(buf));
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	mnl_nlmsg_put_extra_header(nlh, hdrlen);
	return nlh;
}

START_TEST(events_parsed)
{
	struct kernel_event ev;
	/* MAPPING */
	struct nlmsghdr *nlh = start_msg(XFRM_MSG_MAPPING, sizeof(struct xfrm_user_mapping));
	struct xfrm_user_mapping *m = mnl_nlmsg_get_payload(nlh);
	m->id.family = AF_INET;
	m->id.spi = htonl(0x8001);
	m->id.proto = IPPROTO_ESP;
	m->old_saddr.a4 = htonl(0xc0000201);
	m->new_saddr.a4 = htonl(0xc6336401);
	m->old_sport = htons(4500);
	m->new_sport = htons(1025);
	ck_assert_int_eq(xfrm_parse_event(nlh, &ev), 0);
	ck_assert_int_eq(ev.type, KERNEL_EV_MAPPING);
	ck_assert_uint_eq(ev.u.mapping.id.spi, 0x8001);
	char s[ADDR_PORT_STRLEN];
	ck_assert_str_eq(addr_ntop_port(&ev.u.mapping.old_addr, s), "192.0.2.1[4500]");
	ck_assert_str_eq(addr_ntop_port(&ev.u.mapping.new_addr, s), "198.51.100.1[1025]");
	m->id.family = 7;
	ck_assert_int_eq(xfrm_parse_event(nlh, &ev), -EBADMSG);

	/* POLEXPIRE: only the hard one is reported */
	nlh = start_msg(XFRM_MSG_POLEXPIRE, sizeof(struct xfrm_user_polexpire));
	struct xfrm_user_polexpire *pe = mnl_nlmsg_get_payload(nlh);
	pe->pol.sel.family = AF_INET;
	pe->pol.dir = XFRM_POLICY_OUT;
	ck_assert_int_eq(xfrm_parse_event(nlh, &ev), -ENOENT);
	pe->hard = 1;
	ck_assert_int_eq(xfrm_parse_event(nlh, &ev), 0);
	ck_assert_int_eq(ev.type, KERNEL_EV_POLEXPIRE);

	/* DELPOLICY without the deleted policy attached */
	nlh = start_msg(XFRM_MSG_DELPOLICY, sizeof(struct xfrm_userpolicy_id));
	ck_assert_int_eq(xfrm_parse_event(nlh, &ev), -EBADMSG);
	/* FLUSHPOLICY carries nothing we need */
	nlh = start_msg(XFRM_MSG_FLUSHPOLICY, 0);
	ck_assert_int_eq(xfrm_parse_event(nlh, &ev), 0);
	ck_assert_int_eq(ev.type, KERNEL_EV_POLICY_FLUSHED);
	/* Types we do not report, and short messages */
	nlh = start_msg(XFRM_MSG_NEWAE, 8);
	ck_assert_int_eq(xfrm_parse_event(nlh, &ev), -ENOENT);
	nlh = start_msg(XFRM_MSG_ACQUIRE, 8);
	ck_assert_int_eq(xfrm_parse_event(nlh, &ev), -EBADMSG);
	nlh = start_msg(XFRM_MSG_EXPIRE, 8);
	ck_assert_int_eq(xfrm_parse_event(nlh, &ev), -EBADMSG);
}
END_TEST

/* ---- Recorded kernel messages (Debian 6.1 kernel, tests/vm/record-fixtures.sh) ------- */

static struct nlmsghdr *load(const char *name, size_t *len)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", FIXTURE_DIR, name);
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "fixture %s missing", path);
	static _Alignas(8) uint8_t data[XFRM_RX_SIZE];
	size_t n = fread(data, 1, sizeof(data), f);
	fclose(f);
	ck_assert_uint_ge(n, MNL_NLMSG_HDRLEN);
	struct nlmsghdr *nlh = (struct nlmsghdr *)data;
	ck_assert_uint_eq(nlh->nlmsg_len, n);
	*len = n;
	return nlh;
}


static const uint8_t k16[16] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
				 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff };

static void parse_sa_fixture(const char *name, struct xfrm_sa_parsed *p)
{
	size_t len;
	struct nlmsghdr *nlh = load(name, &len);
	ck_assert_uint_eq(nlh->nlmsg_type, XFRM_MSG_NEWSA);
	ck_assert_int_eq(xfrm_parse_sa(nlh, p), 0);
}

START_TEST(recorded_sas)
{
	struct xfrm_sa_parsed p;
	char a[ADDR_STRLEN];
	parse_sa_fixture("sa-cbc-sha256.bin", &p);
	ck_assert_str_eq(addr_ntop(&p.sa.src, a), "192.0.2.1");
	ck_assert_str_eq(addr_ntop(&p.sa.dst, a), "192.0.2.2");
	ck_assert_uint_eq(p.sa.spi, 0xc0ffee01);
	ck_assert_int_eq(p.sa.proto, KERNEL_PROTO_ESP);
	ck_assert_int_eq(p.sa.mode, KERNEL_MODE_TUNNEL);
	ck_assert_uint_eq(p.sa.reqid, 5);
	ck_assert_uint_eq(p.sa.replay_window, 32);
	ck_assert_int_eq(p.sa.enc, KERNEL_ENC_AES_CBC);
	ck_assert_uint_eq(p.sa.enc_key_len, 16);
	ck_assert_mem_eq(p.sa.enc_key, k16, 16);
	ck_assert_int_eq(p.sa.auth, KERNEL_AUTH_HMAC_SHA2_256);
	ck_assert_uint_eq(p.sa.auth_key_len, 32);
	ck_assert_uint_eq(p.sa.icv_bits, 128);
	ck_assert_uint_eq(p.sa.soft.add_sec, 100);
	ck_assert_uint_eq(p.sa.hard.add_sec, 120);
	ck_assert_uint_eq(p.sa.hard.bytes, 1000000);
	ck_assert_uint_eq(p.sa.soft.bytes, 0);
	ck_assert_uint_gt(p.stats.add_time, 0);
	ck_assert_uint_eq(p.stats.bytes, 0);

	parse_sa_fixture("sa-gcm.bin", &p);
	ck_assert_uint_eq(p.sa.spi, 0xc0ffee02);
	ck_assert_int_eq(p.sa.mode, KERNEL_MODE_TRANSPORT);
	ck_assert_int_eq(p.sa.enc, KERNEL_ENC_AES_GCM_16);
	ck_assert_uint_eq(p.sa.enc_key_len, 20);
	ck_assert_int_eq(p.sa.auth, KERNEL_AUTH_NONE);
	ck_assert_uint_eq(p.sa.icv_bits, 128);

	parse_sa_fixture("sa-esn.bin", &p);
	ck_assert(p.sa.esn);
	ck_assert_uint_eq(p.sa.replay_window, 128);
	ck_assert_int_eq(p.sa.auth, KERNEL_AUTH_HMAC_SHA1);
	ck_assert_uint_eq(p.sa.icv_bits, 96);

	parse_sa_fixture("sa-encap.bin", &p);
	ck_assert(p.sa.encap.enabled);
	ck_assert_uint_eq(p.sa.encap.sport, 4500);
	ck_assert_uint_eq(p.sa.encap.dport, 4500);

	parse_sa_fixture("sa-comp.bin", &p);
	ck_assert_int_eq(p.sa.proto, KERNEL_PROTO_COMP);
	ck_assert_uint_eq(p.sa.spi, 0x4001);
	ck_assert_int_eq(p.sa.comp, KERNEL_COMP_DEFLATE);
	ck_assert_int_eq(p.sa.mode, KERNEL_MODE_TRANSPORT);

	parse_sa_fixture("sa-ah-sha512.bin", &p);
	ck_assert_str_eq(addr_ntop(&p.sa.dst, a), "2001:db8::2");
	ck_assert_int_eq(p.sa.proto, KERNEL_PROTO_AH);
	ck_assert_int_eq(p.sa.auth, KERNEL_AUTH_HMAC_SHA2_512);
	ck_assert_uint_eq(p.sa.auth_key_len, 64);
	ck_assert_uint_eq(p.sa.icv_bits, 256);

	parse_sa_fixture("sa-larval.bin", &p); /* what ALLOCSPI leaves behind */
	ck_assert_uint_ge(p.sa.spi, 0x100);
	ck_assert_uint_eq(p.sa.reqid, 9);
	ck_assert_int_eq(p.sa.enc, KERNEL_ENC_NONE);
	ck_assert_str_eq(addr_ntop(&p.sa.dst, a), "192.0.2.1");
}
END_TEST

static void parse_policy_fixture(const char *name, struct kernel_policy *p)
{
	size_t len;
	struct nlmsghdr *nlh = load(name, &len);
	ck_assert_int_eq(xfrm_parse_policy(nlh, p), 0);
}

START_TEST(recorded_policies)
{
	struct kernel_policy p;
	char a[ADDR_STRLEN];
	parse_policy_fixture("policy-tunnel.bin", &p);
	ck_assert_int_eq(p.dir, KERNEL_DIR_OUT);
	ck_assert_uint_eq(p.priority, 1000);
	ck_assert_str_eq(addr_ntop(&p.sel.src, a), "192.0.2.0");
	ck_assert_uint_eq(p.sel.src_plen, 24);
	ck_assert_uint_eq(p.sel.dst_plen, 24);
	ck_assert_int_eq(p.action, KERNEL_POLICY_IPSEC);
	ck_assert_uint_eq(p.n_tmpl, 1);
	ck_assert_int_eq(p.tmpl[0].mode, KERNEL_MODE_TUNNEL);
	ck_assert_str_eq(addr_ntop(&p.tmpl[0].dst, a), "203.0.113.2");
	ck_assert_uint_eq(p.tmpl[0].reqid, 5);
	ck_assert_uint_gt(p.index, 0);

	parse_policy_fixture("policy-v6-two-tmpl.bin", &p);
	ck_assert_int_eq(p.dir, KERNEL_DIR_IN);
	ck_assert_uint_eq(p.sel.proto, 6);
	ck_assert_uint_eq(p.sel.dport, 443);
	ck_assert_uint_eq(p.n_tmpl, 2);
	ck_assert_int_eq(p.tmpl[0].proto, KERNEL_PROTO_AH);
	ck_assert_int_eq(p.tmpl[0].level, KERNEL_LEVEL_USE);
	ck_assert_int_eq(p.tmpl[1].proto, KERNEL_PROTO_ESP);
	ck_assert_uint_eq(p.tmpl[1].reqid, 9);

	parse_policy_fixture("policy-block.bin", &p);
	ck_assert_int_eq(p.dir, KERNEL_DIR_FWD);
	ck_assert_int_eq(p.action, KERNEL_POLICY_DISCARD);
}
END_TEST

static void parse_event_fixture(const char *name, struct kernel_event *ev)
{
	size_t len;
	ck_assert_int_eq(xfrm_parse_event(load(name, &len), ev), 0);
}

START_TEST(recorded_events)
{
	struct kernel_event ev;
	char a[ADDR_STRLEN];
	parse_event_fixture("ev-acquire.bin", &ev);
	ck_assert_int_eq(ev.type, KERNEL_EV_ACQUIRE);
	ck_assert_uint_gt(ev.u.acquire.seq, 0);
	ck_assert_str_eq(addr_ntop(&ev.u.acquire.src, a), "192.0.2.1");
	ck_assert_str_eq(addr_ntop(&ev.u.acquire.dst, a), "192.0.2.2");
	ck_assert_int_eq(ev.u.acquire.tmpl.proto, KERNEL_PROTO_ESP);
	ck_assert_uint_eq(ev.u.acquire.tmpl.reqid, 21);
	ck_assert_int_eq(ev.u.acquire.policy.dir, KERNEL_DIR_OUT);
	ck_assert_uint_eq(ev.u.acquire.policy.sel.proto, 1);

	parse_event_fixture("ev-expire-soft.bin", &ev);
	ck_assert_int_eq(ev.type, KERNEL_EV_EXPIRE_SOFT);
	ck_assert_uint_eq(ev.u.expire.id.spi, 0x77);
	ck_assert_uint_eq(ev.u.expire.reqid, 3);
	ck_assert_str_eq(addr_ntop(&ev.u.expire.id.dst, a), "192.0.2.3");
	parse_event_fixture("ev-expire-hard.bin", &ev);
	ck_assert_int_eq(ev.type, KERNEL_EV_EXPIRE_HARD);
	ck_assert_uint_eq(ev.u.expire.id.spi, 0x77);

	parse_event_fixture("ev-newpolicy.bin", &ev);
	ck_assert_int_eq(ev.type, KERNEL_EV_POLICY_ADDED);
	ck_assert_str_eq(addr_ntop(&ev.u.policy.policy.sel.dst, a), "192.0.2.2");
	parse_event_fixture("ev-updpolicy.bin", &ev);
	ck_assert_int_eq(ev.type, KERNEL_EV_POLICY_ADDED);
	ck_assert_uint_eq(ev.u.policy.policy.priority, 5);
	parse_event_fixture("ev-delpolicy.bin", &ev);
	ck_assert_int_eq(ev.type, KERNEL_EV_POLICY_DELETED);
	ck_assert_uint_eq(ev.u.policy.policy.sel.proto, 1);
	ck_assert_uint_eq(ev.u.policy.policy.n_tmpl, 1);
	parse_event_fixture("ev-polexpire.bin", &ev);
	ck_assert_int_eq(ev.type, KERNEL_EV_POLEXPIRE);
	ck_assert_str_eq(addr_ntop(&ev.u.policy.policy.sel.src, a), "192.0.2.5");
}
END_TEST

static const char *const fixtures[] = {
	"sa-cbc-sha256.bin", "sa-gcm.bin", "sa-esn.bin", "sa-encap.bin", "sa-comp.bin",
	"sa-ah-sha512.bin", "sa-larval.bin", "policy-tunnel.bin", "policy-v6-two-tmpl.bin",
	"policy-block.bin", "ev-acquire.bin", "ev-expire-soft.bin", "ev-expire-hard.bin",
	"ev-newpolicy.bin", "ev-updpolicy.bin", "ev-delpolicy.bin", "ev-polexpire.bin",
};

/* Every prefix of every recorded message: refused or parsed, never read past its end. */
START_TEST(recorded_truncated)
{
	size_t len;
	const struct nlmsghdr *full = load(fixtures[_i], &len);
	unsigned refused = 0;
	for (size_t l = MNL_NLMSG_HDRLEN; l < len; l++) {
		struct nlmsghdr *m = exact_copy(full, l);
		struct xfrm_sa_parsed sa;
		struct kernel_policy pol;
		struct kernel_event ev;
		int r;
		if (m->nlmsg_type == XFRM_MSG_NEWSA)
			r = xfrm_parse_sa(m, &sa);
		else if (fixtures[_i][0] == 'p')
			r = xfrm_parse_policy(m, &pol);
		else
			r = xfrm_parse_event(m, &ev);
		refused += r < 0;
		free(m);
	}
	ck_assert_uint_gt(refused, 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("kernel-xfrm");
	TCase *t = tcase_create("build-parse");
	tcase_add_loop_test(t, sa_build_parse_roundtrip, 0, sizeof(sa_cases) / sizeof(sa_cases[0]));
	tcase_add_test(t, sha2_truncation_is_rfc4868);
	tcase_add_test(t, gcm_key_carries_salt);
	tcase_add_test(t, replay_window_and_esn);
	tcase_add_test(t, encap_and_transport_selector);
	tcase_add_test(t, sa_build_refuses);
	tcase_add_test(t, allocspi_request);
	tcase_add_test(t, sa_id_request);
	tcase_add_test(t, policy_build_parse_roundtrip);
	suite_add_tcase(s, t);
	TCase *b = tcase_create("malformed");
	tcase_add_test(b, truncated_messages_rejected);
	tcase_add_test(b, wrong_sizes_rejected);
	tcase_add_test(b, events_parsed);
	suite_add_tcase(s, b);
	TCase *f = tcase_create("recorded");
	tcase_add_test(f, recorded_sas);
	tcase_add_test(f, recorded_policies);
	tcase_add_test(f, recorded_events);
	tcase_add_loop_test(f, recorded_truncated, 0, sizeof(fixtures) / sizeof(fixtures[0]));
	suite_add_tcase(s, f);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(suite());
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
