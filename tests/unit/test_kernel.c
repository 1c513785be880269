/* Unit tests: src/kernel core over the mock backend (async SPI, ownership, events),
 * algorithm tables and capabilities, the ownership journal. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel/kernel.h"
#include "kernel/mock/mock.h"
#include "kernel/owner.h"

static union sockaddr_any A(const char *s)
{
	union sockaddr_any a;
	ck_assert_int_eq(addr_parse(s, &a), 0);
	return a;
}

static const uint8_t key16[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
static const uint8_t key32[32] = { 0xaa, 0xbb };

static struct kernel_sa esp_sa(const char *src, const char *dst, uint32_t spi, uint32_t reqid)
{
	struct kernel_sa sa = { .src = A(src), .dst = A(dst), .spi = spi, .proto = KERNEL_PROTO_ESP,
				.reqid = reqid, .enc = KERNEL_ENC_AES_CBC, .enc_key = key16,
				.enc_key_len = 16, .auth = KERNEL_AUTH_HMAC_SHA2_256,
				.auth_key = key32, .auth_key_len = 32 };
	return sa;
}

static struct kernel_sa_id id_of(const struct kernel_sa *sa)
{
	struct kernel_sa_id id = { .src = sa->src, .dst = sa->dst, .spi = sa->spi, .proto = sa->proto };
	return id;
}

static struct kernel_policy policy(const char *src, const char *dst, uint8_t plen,
				   enum kernel_dir dir, uint32_t prio)
{
	struct kernel_policy p = { .sel = { .src = A(src), .dst = A(dst), .src_plen = plen,
					    .dst_plen = plen },
				   .dir = dir, .priority = prio, .n_tmpl = 1 };
	p.tmpl[0].proto = KERNEL_PROTO_ESP;
	p.tmpl[0].reqid = 7;
	return p;
}

static struct kernel *open_mock(const char *state_dir)
{
	struct kernel *k = NULL;
	struct kernel_options o = { .state_dir = state_dir };
	ck_assert_int_eq(kernel_open("mock", &o, &k), 0);
	return k;
}

/* ---- algorithms and capabilities -------------------------------------------------- */

START_TEST(alg_names_and_icv)
{
	ck_assert_int_eq(kernel_enc_from_name("aes-cbc"), KERNEL_ENC_AES_CBC);
	ck_assert_int_eq(kernel_enc_from_name("rijndael-cbc"), KERNEL_ENC_AES_CBC);
	ck_assert_str_eq(kernel_enc_name(KERNEL_ENC_AES_CBC), "aes-cbc");
	ck_assert_int_eq(kernel_auth_from_name("hmac-sha256"), KERNEL_AUTH_HMAC_SHA2_256);
	ck_assert_int_eq(kernel_comp_from_name("deflate"), KERNEL_COMP_DEFLATE);
	ck_assert_int_eq(kernel_enc_from_name("rot13"), -1);
	ck_assert_int_eq(kernel_enc_from_name(NULL), -1);
	ck_assert_ptr_null(kernel_auth_name((enum kernel_auth)99));
	/* RFC 2403/2404 and RFC 4868 */
	ck_assert_uint_eq(kernel_auth_icv_bits(KERNEL_AUTH_HMAC_MD5), 96);
	ck_assert_uint_eq(kernel_auth_icv_bits(KERNEL_AUTH_HMAC_SHA1), 96);
	ck_assert_uint_eq(kernel_auth_icv_bits(KERNEL_AUTH_HMAC_SHA2_256), 128);
	ck_assert_uint_eq(kernel_auth_icv_bits(KERNEL_AUTH_HMAC_SHA2_384), 192);
	ck_assert_uint_eq(kernel_auth_icv_bits(KERNEL_AUTH_HMAC_SHA2_512), 256);
	ck_assert_uint_eq(kernel_enc_icv_bits(KERNEL_ENC_AES_GCM_16), 128);
	ck_assert_uint_eq(kernel_enc_icv_bits(KERNEL_ENC_AES_GCM_8), 64);
	ck_assert(kernel_enc_is_aead(KERNEL_ENC_AES_GCM_12));
	ck_assert(!kernel_enc_is_aead(KERNEL_ENC_AES_CBC));
	ck_assert_uint_eq(kernel_enc_salt_len(KERNEL_ENC_AES_GCM_16), 4);
	ck_assert_uint_eq(kernel_enc_salt_len(KERNEL_ENC_AES_CTR), 4);
	ck_assert_uint_eq(kernel_enc_salt_len(KERNEL_ENC_3DES), 0);
}
END_TEST

START_TEST(caps_refuse_what_a_backend_cannot_install)
{
	struct kernel *k = open_mock(NULL);
	const struct kernel_caps *c = kernel_caps(k);
	ck_assert_str_eq(c->backend, "mock");
	ck_assert(kernel_caps_enc_ok(c, KERNEL_ENC_AES_CBC, 128));
	ck_assert(kernel_caps_enc_ok(c, KERNEL_ENC_AES_CBC, 256));
	ck_assert(!kernel_caps_enc_ok(c, KERNEL_ENC_AES_CBC, 160));
	ck_assert(!kernel_caps_enc_ok(c, KERNEL_ENC_AES_CBC, 512));
	ck_assert(kernel_caps_enc_ok(c, KERNEL_ENC_AES_GCM_16, 128));
	ck_assert(!kernel_caps_enc_ok(c, KERNEL_ENC_BLOWFISH, 128)); /* not in the table */
	ck_assert(kernel_caps_auth_ok(c, KERNEL_AUTH_HMAC_SHA2_256));
	ck_assert(kernel_caps_comp_ok(c, KERNEL_COMP_DEFLATE));
	ck_assert(!kernel_caps_comp_ok(c, KERNEL_COMP_LZS));
	kernel_close(k);

	/* A PF_KEY-like backend: SHA-256 gets a 96-bit ICV, no AEAD. */
	static const struct kernel_alg_cap algs[] = {
		{ KERNEL_CAP_AUTH, KERNEL_AUTH_HMAC_SHA2_256, 256, 256, 0, 96 },
		{ KERNEL_CAP_AUTH, KERNEL_AUTH_HMAC_SHA1, 160, 160, 0, 96 },
		{ KERNEL_CAP_ENC, KERNEL_ENC_AES_GCM_16, 128, 256, 64, 128 },
	};
	struct kernel_caps pf = { .backend = "pf", .algs = algs, .n_algs = 3 };
	ck_assert(!kernel_caps_auth_ok(&pf, KERNEL_AUTH_HMAC_SHA2_256));
	ck_assert(kernel_caps_auth_ok(&pf, KERNEL_AUTH_HMAC_SHA1));
	ck_assert(!kernel_caps_enc_ok(&pf, KERNEL_ENC_AES_GCM_16, 128));
	ck_assert_ptr_null(kernel_caps_find(NULL, KERNEL_CAP_AUTH, KERNEL_AUTH_HMAC_SHA1));
}
END_TEST

START_TEST(open_unknown_backend)
{
	struct kernel *k = NULL;
	ck_assert_int_eq(kernel_open("nope", NULL, &k), -ENOENT);
	ck_assert_int_eq(kernel_open(NULL, NULL, &k), -ENOENT);
	ck_assert_ptr_null(k);
}
END_TEST

/* ---- SPI allocation ---------------------------------------------------------------- */

struct spi_result {
	int calls;
	int err;
	uint32_t spi;
	struct kernel *k; /* for the re-entrant case */
	int64_t again;
};

static void on_spi(void *ud, int err, uint32_t spi)
{
	struct spi_result *r = ud;
	r->calls++;
	r->err = err;
	r->spi = spi;
}

static void on_spi_again(void *ud, int err, uint32_t spi)
{
	struct spi_result *r = ud;
	on_spi(ud, err, spi);
	if (r->calls == 1) {
		struct kernel_spi_req q = { .src = A("192.0.2.2"), .dst = A("192.0.2.1"),
					    .proto = KERNEL_PROTO_ESP };
		r->again = kernel_spi_alloc(r->k, &q, on_spi_again, r);
	}
}

START_TEST(spi_completes_later_never_inline)
{
	struct kernel *k = open_mock(NULL);
	struct spi_result r = { 0 };
	struct kernel_spi_req q = { .src = A("192.0.2.2"), .dst = A("192.0.2.1"),
				    .proto = KERNEL_PROTO_ESP, .reqid = 3 };
	int64_t id = kernel_spi_alloc(k, &q, on_spi, &r);
	ck_assert_int_gt(id, 0);
	ck_assert_int_eq(r.calls, 0); /* not inline */
	kernel_dispatch(k);
	ck_assert_int_eq(r.calls, 1);
	ck_assert_int_eq(r.err, 0);
	ck_assert_uint_ge(r.spi, 0x100);
	kernel_dispatch(k);
	ck_assert_int_eq(r.calls, 1); /* exactly once */

	/* Held by the backend: nothing until released. */
	kernel_mock_hold_spi(k, true);
	struct spi_result r2 = { 0 };
	q.proto = KERNEL_PROTO_COMP;
	ck_assert_int_gt(kernel_spi_alloc(k, &q, on_spi, &r2), 0);
	kernel_dispatch(k);
	ck_assert_int_eq(r2.calls, 0);
	ck_assert_uint_eq(kernel_mock_release_spi(k), 1);
	ck_assert_int_eq(r2.calls, 0);
	kernel_dispatch(k);
	ck_assert_int_eq(r2.calls, 1);
	ck_assert_uint_le(r2.spi, 0xffff); /* a CPI */
	ck_assert_uint_ge(r2.spi, 0x100);
	kernel_close(k);
}
END_TEST

START_TEST(spi_cancel_and_reentry)
{
	struct kernel *k = open_mock(NULL);
	struct kernel_spi_req q = { .src = A("192.0.2.2"), .dst = A("192.0.2.1"),
				    .proto = KERNEL_PROTO_ESP };
	struct spi_result r = { 0 };
	int64_t id = kernel_spi_alloc(k, &q, on_spi, &r);
	kernel_cancel(k, id);
	kernel_cancel(k, 12345); /* unknown: harmless */
	kernel_dispatch(k);
	ck_assert_int_eq(r.calls, 0);

	/* A callback that allocates again gets its second answer in a later round. */
	struct spi_result r2 = { .k = k };
	ck_assert_int_gt(kernel_spi_alloc(k, &q, on_spi_again, &r2), 0);
	kernel_dispatch(k);
	ck_assert_int_eq(r2.calls, 1);
	ck_assert_int_gt(r2.again, 0);
	kernel_dispatch(k);
	ck_assert_int_eq(r2.calls, 2);

	/* Invalid requests queue nothing; backend failures are returned, no callback. */
	struct spi_result r3 = { 0 };
	struct kernel_spi_req bad = q;
	bad.src = A("2001:db8::1");
	ck_assert_int_eq(kernel_spi_alloc(k, &bad, on_spi, &r3), -EINVAL);
	ck_assert_int_eq(kernel_spi_alloc(k, &q, NULL, &r3), -EINVAL);
	kernel_mock_fail_next(k, -ENOSPC);
	ck_assert_int_eq(kernel_spi_alloc(k, &q, on_spi, &r3), -ENOSPC);
	kernel_dispatch(k);
	ck_assert_int_eq(r3.calls, 0);
	/* Pending at close: freed, never called. */
	kernel_mock_hold_spi(k, true);
	ck_assert_int_gt(kernel_spi_alloc(k, &q, on_spi, &r3), 0);
	kernel_close(k);
	ck_assert_int_eq(r3.calls, 0);
}
END_TEST

/* ---- SAs ------------------------------------------------------------------------------ */

START_TEST(inbound_sa_from_allocspi_needs_update)
{
	struct kernel *k = open_mock(NULL);
	struct spi_result r = { 0 };
	struct kernel_spi_req q = { .src = A("192.0.2.2"), .dst = A("192.0.2.1"),
				    .proto = KERNEL_PROTO_ESP, .reqid = 4 };
	kernel_spi_alloc(k, &q, on_spi, &r);
	kernel_dispatch(k);
	struct kernel_sa sa = esp_sa("192.0.2.2", "192.0.2.1", r.spi, 4);
	ck_assert_int_eq(kernel_sa_add(k, &sa), -EEXIST);
	ck_assert_int_eq(kernel_sa_update(k, &sa), 0);
	struct kernel_sa_id id = id_of(&sa);
	const struct kernel_mock_sa *m = kernel_mock_sa_find(k, &id);
	ck_assert_ptr_nonnull(m);
	ck_assert(!m->larval);
	ck_assert_mem_eq(m->sa.enc_key, key16, 16);
	ck_assert(kernel_sa_is_own(k, &id));

	struct kernel_sa_stats st = { .bytes = 1234, .packets = 5, .reqid = 4 };
	ck_assert_int_eq(kernel_mock_set_stats(k, &id, &st), 0);
	struct kernel_sa_stats got;
	ck_assert_int_eq(kernel_sa_get(k, &id, &got), 0);
	ck_assert_uint_eq(got.bytes, 1234);
	ck_assert_uint_eq(got.packets, 5);

	ck_assert_int_eq(kernel_sa_delete(k, &id), 0);
	ck_assert(!kernel_sa_is_own(k, &id));
	ck_assert_int_eq(kernel_sa_delete(k, &id), -ENOENT);
	ck_assert_int_eq(kernel_sa_get(k, &id, &got), -ENOENT);
	/* An update with no larval state is refused too. */
	ck_assert_int_eq(kernel_sa_update(k, &sa), -ENOENT);
	kernel_close(k);
}
END_TEST

START_TEST(bad_sas_refused)
{
	struct kernel *k = open_mock(NULL);
	struct kernel_sa sa = esp_sa("192.0.2.1", "2001:db8::2", 0x1000, 0);
	ck_assert_int_eq(kernel_sa_add(k, &sa), -EINVAL); /* mixed families */
	sa = esp_sa("192.0.2.1", "192.0.2.2", 0, 0);
	ck_assert_int_eq(kernel_sa_add(k, &sa), -EINVAL); /* SPI 0 */
	sa = esp_sa("192.0.2.1", "192.0.2.2", 0x1000, 0);
	sa.enc = KERNEL_ENC_AES_GCM_16;
	ck_assert_int_eq(kernel_sa_add(k, &sa), -EINVAL); /* AEAD plus HMAC */
	sa = esp_sa("192.0.2.1", "192.0.2.2", 0x1000, 0);
	sa.proto = KERNEL_PROTO_AH;
	ck_assert_int_eq(kernel_sa_add(k, &sa), -EINVAL); /* AH with a cipher */
	sa = esp_sa("192.0.2.1", "192.0.2.2", 0x10000, 0);
	sa.proto = KERNEL_PROTO_COMP;
	sa.enc = KERNEL_ENC_NONE;
	sa.auth = KERNEL_AUTH_NONE;
	sa.comp = KERNEL_COMP_DEFLATE;
	ck_assert_int_eq(kernel_sa_add(k, &sa), -EINVAL); /* CPI beyond 16 bits */
	sa = esp_sa("192.0.2.1", "192.0.2.2", 0x1000, 0);
	sa.proto = (enum kernel_proto)17;
	ck_assert_int_eq(kernel_sa_add(k, &sa), -EINVAL);
	sa = esp_sa("192.0.2.1", "192.0.2.2", 0x1000, 0);
	sa.enc_key_len = 4096;
	ck_assert_int_eq(kernel_sa_add(k, &sa), -EINVAL);
	ck_assert_uint_eq(kernel_mock_calls(k, "sa_add"), 0); /* none reached the backend */
	ck_assert_uint_eq(kernel_mock_sa_count(k), 0);
	struct kernel_sa_id none = { .spi = 1 };
	struct kernel_sa_stats st;
	ck_assert_int_eq(kernel_sa_delete(k, &none), -EINVAL);
	ck_assert_int_eq(kernel_sa_get(k, &none, &st), -EINVAL);

	/* A backend failure is not recorded as ours. */
	sa = esp_sa("192.0.2.1", "192.0.2.2", 0x1000, 0);
	kernel_mock_fail_next(k, -ENOMEM);
	ck_assert_int_eq(kernel_sa_add(k, &sa), -ENOMEM);
	struct kernel_sa_id id = id_of(&sa);
	ck_assert(!kernel_sa_is_own(k, &id));
	kernel_close(k);
}
END_TEST

/* ---- ownership --------------------------------------------------------------------- */

START_TEST(flush_own_removes_only_ours)
{
	struct kernel *k = open_mock(NULL);
	struct kernel_sa a = esp_sa("192.0.2.1", "192.0.2.2", 0x1001, 8);
	struct kernel_sa b = esp_sa("2001:db8::1", "2001:db8::2", 0x1002, 8);
	struct kernel_sa c = esp_sa("192.0.2.1", "192.0.2.2", 0x1003, 8);
	struct kernel_sa foreign = esp_sa("192.0.2.1", "192.0.2.2", 0x2001, 8);
	ck_assert_int_eq(kernel_sa_add(k, &a), 0);
	ck_assert_int_eq(kernel_sa_add(k, &b), 0);
	ck_assert_int_eq(kernel_sa_add(k, &c), 0);
	ck_assert_int_eq(kernel_mock_add_foreign_sa(k, &foreign), 0);
	/* c is deleted behind our back and someone installs the same SPI (other reqid). */
	struct kernel_sa_id cid = id_of(&c);
	ck_assert_int_eq(kernel_mock_remove_sa(k, &cid), 0);
	struct kernel_sa c2 = esp_sa("192.0.2.1", "192.0.2.2", 0x1003, 99);
	ck_assert_int_eq(kernel_mock_add_foreign_sa(k, &c2), 0);

	struct kernel_policy p1 = policy("192.0.2.0", "198.51.100.0", 24, KERNEL_DIR_OUT, 100);
	struct kernel_policy p2 = policy("198.51.100.0", "192.0.2.0", 24, KERNEL_DIR_IN, 100);
	struct kernel_policy pf = policy("203.0.113.0", "198.51.100.0", 24, KERNEL_DIR_OUT, 5);
	ck_assert_int_eq(kernel_policy_add(k, &p1), 0);
	ck_assert_int_eq(kernel_policy_add(k, &p1), -EEXIST);
	ck_assert_int_eq(kernel_policy_add(k, &p2), 0);
	ck_assert_int_eq(kernel_mock_add_foreign_policy(k, &pf), 0);
	/* p2 replaced by someone else with another priority: theirs now. */
	struct kernel_policy p2b = p2;
	p2b.priority = 300;
	ck_assert_int_eq(kernel_mock_add_foreign_policy(k, &p2b), 0);
	ck_assert(kernel_policy_is_own(k, &p1));
	ck_assert(!kernel_policy_is_own(k, &pf));

	ck_assert_int_eq(kernel_flush_own(k), 3); /* a, b, p1 */
	ck_assert_uint_eq(kernel_mock_sa_count(k), 2);
	struct kernel_sa_id fid = id_of(&foreign);
	ck_assert_ptr_nonnull(kernel_mock_sa_find(k, &fid));
	ck_assert_ptr_nonnull(kernel_mock_sa_find(k, &cid));
	ck_assert_uint_eq(kernel_mock_policy_count(k), 2);
	ck_assert_uint_eq(kernel_mock_calls(k, "sa_flush"), 0); /* never protocol-wide */
	ck_assert_uint_eq(kernel_mock_calls(k, "policy_flush"), 0);
	ck_assert_int_eq(kernel_flush_own(k), 0);
	kernel_close(k);
}
END_TEST

START_TEST(flush_own_keeps_record_on_errors)
{
	struct kernel *k = open_mock(NULL);
	struct kernel_sa a = esp_sa("192.0.2.1", "192.0.2.2", 0x1001, 8);
	ck_assert_int_eq(kernel_sa_add(k, &a), 0);
	kernel_mock_fail_next(k, -EIO); /* the sa_get of the flush */
	ck_assert_int_eq(kernel_flush_own(k), -EIO);
	struct kernel_sa_id id = id_of(&a);
	ck_assert(kernel_sa_is_own(k, &id));
	ck_assert_int_eq(kernel_flush_own(k), 1);
	ck_assert_uint_eq(kernel_mock_sa_count(k), 0);
	kernel_close(k);
}
END_TEST

static char *tmpdir(void)
{
	char *d = strdup("/tmp/test_kernel.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(d));
	return d;
}

static void rmdir_all(char *d)
{
	char p[256];
	snprintf(p, sizeof(p), "%s/%s", d, OWNER_FILE);
	unlink(p);
	snprintf(p, sizeof(p), "%s/%s.new", d, OWNER_FILE);
	unlink(p);
	rmdir(d);
	free(d);
}

START_TEST(journal_survives_a_crash)
{
	char *d = tmpdir();
	struct kernel *k = open_mock(d);
	struct kernel_sa a = esp_sa("192.0.2.1", "192.0.2.2", 0x1001, 8);
	struct kernel_sa b = esp_sa("2001:db8::1", "2001:db8::2", 0xdeadbeef, 9);
	struct kernel_sa c = esp_sa("192.0.2.1", "192.0.2.2", 0x1003, 8);
	struct kernel_policy p = policy("2001:db8::", "2001:db8:1::", 48, KERNEL_DIR_FWD, 77);
	p.sel.proto = 6;
	p.sel.dport = 443;
	ck_assert_int_eq(kernel_sa_add(k, &a), 0);
	ck_assert_int_eq(kernel_sa_add(k, &b), 0);
	ck_assert_int_eq(kernel_sa_add(k, &c), 0);
	ck_assert_int_eq(kernel_policy_add(k, &p), 0);
	struct kernel_sa_id cid = id_of(&c);
	ck_assert_int_eq(kernel_sa_delete(k, &cid), 0);
	kernel_close(k); /* no flush: as after SIGKILL */

	k = open_mock(d);
	struct kernel_sa_id aid = id_of(&a), bid = id_of(&b);
	ck_assert(kernel_sa_is_own(k, &aid));
	ck_assert(kernel_sa_is_own(k, &bid));
	ck_assert(!kernel_sa_is_own(k, &cid));
	ck_assert(kernel_policy_is_own(k, &p));
	/* Ports in lookups do not matter (SA identity is dst, SPI, proto). */
	addr_set_port(&aid.dst, 4500);
	ck_assert(kernel_sa_is_own(k, &aid));
	/* This mock kernel is empty: the flush finds none of them and forgets them all. */
	ck_assert_int_eq(kernel_flush_own(k), 0);
	kernel_close(k);
	k = open_mock(d);
	ck_assert(!kernel_sa_is_own(k, &bid));
	ck_assert(!kernel_policy_is_own(k, &p));
	kernel_close(k);
	rmdir_all(d);
}
END_TEST

START_TEST(journal_ignores_garbage_and_partial_lines)
{
	char *d = tmpdir();
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", d, OWNER_FILE);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("S+ 50 00001001 192.0.2.2 192.0.2.1 8\n"
	      "garbage line\n"
	      "S+ 50 zz 192.0.2.2 192.0.2.1 8\n"
	      "S+ 50 00001002 not-an-address 192.0.2.1 8\n"
	      "P+ 9 1 192.0.2.0/24 198.51.100.0/24 0 0 0 0\n"      /* bad direction */
	      "P+ 1 100 192.0.2.0/24 198.51.100.0/240 0 0 0 0\n"   /* bad prefix */
	      "P+ 1 100 192.0.2.0/24 198.51.100.0/24 0 0 0 0\n"
	      "S+ 50 00001003 192.0.2.2 192.0.2.1 8\n"
	      "S- 50 00001003 192.0.2.2\n"
	      "S+ 50 00001004 192.0.2.2 192.0.2.1", f); /* cut off by the crash */
	fclose(f);
	struct kernel *k = open_mock(d);
	struct kernel_sa_id id = { .dst = A("192.0.2.2"), .spi = 0x1001, .proto = KERNEL_PROTO_ESP };
	ck_assert(kernel_sa_is_own(k, &id));
	id.spi = 0x1003;
	ck_assert(!kernel_sa_is_own(k, &id));
	id.spi = 0x1004;
	ck_assert(!kernel_sa_is_own(k, &id));
	struct kernel_policy p = policy("192.0.2.0", "198.51.100.0", 24, KERNEL_DIR_OUT, 100);
	ck_assert(kernel_policy_is_own(k, &p));
	kernel_close(k);
	/* Compacted at open: only the two live entries remain. */
	f = fopen(path, "r");
	char line[256];
	int n = 0;
	while (fgets(line, sizeof(line), f))
		n++;
	fclose(f);
	ck_assert_int_eq(n, 2);
	rmdir_all(d);
}
END_TEST

START_TEST(journal_unwritable_folder)
{
	struct kernel *k = NULL;
	struct kernel_options o = { .state_dir = "/nonexistent/racoon-test" };
	ck_assert_int_lt(kernel_open("mock", &o, &k), 0);
	ck_assert_ptr_null(k);
}
END_TEST

START_TEST(owner_scales)
{
	struct owner *o;
	ck_assert_int_eq(owner_open(NULL, &o), 0);
	struct kernel_sa_id id = { .dst = A("198.51.100.1"), .proto = KERNEL_PROTO_ESP };
	for (uint32_t i = 1; i <= 100000; i++) {
		id.spi = i;
		ck_assert_int_eq(owner_sa_add(o, &id, i), 0);
	}
	ck_assert_uint_eq(owner_count(o), 100000);
	id.spi = 77777;
	const struct owned *e = owner_sa_find(o, &id);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->reqid, 77777);
	owner_sa_del(o, &id);
	ck_assert_ptr_null(owner_sa_find(o, &id));
	ck_assert_uint_eq(owner_count(o), 99999);
	ck_assert_int_eq(owner_sa_add(o, &(struct kernel_sa_id){ .dst = id.dst, .spi = 1,
								.proto = KERNEL_PROTO_ESP }, 5), 0);
	ck_assert_uint_eq(owner_count(o), 99999); /* same key: replaced, not added */
	owner_close(o);
}
END_TEST

/* ---- events ------------------------------------------------------------------------ */

struct ev_log {
	int n;
	struct kernel_event last[8];
};

static void on_event(const struct kernel_event *ev, void *ud)
{
	struct ev_log *l = ud;
	if (l->n < 8)
		l->last[l->n] = *ev;
	l->n++;
}

START_TEST(events_update_ownership)
{
	struct ev_log log = { 0 };
	struct kernel_options o = { .on_event = on_event, .event_userdata = &log };
	struct kernel *k = NULL;
	ck_assert_int_eq(kernel_open("mock", &o, &k), 0);
	struct kernel_sa a = esp_sa("192.0.2.1", "192.0.2.2", 0x1001, 8);
	ck_assert_int_eq(kernel_sa_add(k, &a), 0);
	struct kernel_event ev = { .type = KERNEL_EV_EXPIRE_HARD };
	ev.u.expire.id = id_of(&a);
	kernel_mock_inject(k, &ev);
	ck_assert_int_eq(log.n, 1);
	ck_assert_int_eq(log.last[0].type, KERNEL_EV_EXPIRE_HARD);
	ck_assert(!kernel_sa_is_own(k, &ev.u.expire.id));

	struct kernel_policy p1 = policy("192.0.2.0", "198.51.100.0", 24, KERNEL_DIR_OUT, 1);
	struct kernel_policy p2 = policy("192.0.2.0", "198.51.100.0", 24, KERNEL_DIR_IN, 1);
	ck_assert_int_eq(kernel_policy_add(k, &p1), 0);
	ck_assert_int_eq(kernel_policy_add(k, &p2), 0);
	struct kernel_event pe = { .type = KERNEL_EV_POLICY_ADDED };
	pe.u.policy.policy = p1;
	pe.u.policy.by_us = true; /* our own notification: still ours */
	kernel_mock_inject(k, &pe);
	ck_assert(kernel_policy_is_own(k, &p1));
	pe.u.policy.by_us = false; /* someone replaced it */
	kernel_mock_inject(k, &pe);
	ck_assert(!kernel_policy_is_own(k, &p1));
	struct kernel_event fl = { .type = KERNEL_EV_POLICY_FLUSHED };
	kernel_mock_inject(k, &fl);
	ck_assert(!kernel_policy_is_own(k, &p2));
	ck_assert_int_eq(log.n, 4);
	kernel_close(k);
}
END_TEST

START_TEST(resync_reports_lost_sas)
{
	struct ev_log log = { 0 };
	struct kernel_options o = { .on_event = on_event, .event_userdata = &log };
	struct kernel *k = NULL;
	ck_assert_int_eq(kernel_open("mock", &o, &k), 0);
	struct kernel_sa a = esp_sa("192.0.2.1", "192.0.2.2", 0x1001, 8);
	struct kernel_sa b = esp_sa("192.0.2.1", "192.0.2.2", 0x1002, 8);
	struct kernel_sa c = esp_sa("192.0.2.1", "192.0.2.2", 0x1003, 8);
	ck_assert_int_eq(kernel_sa_add(k, &a), 0);
	ck_assert_int_eq(kernel_sa_add(k, &b), 0);
	ck_assert_int_eq(kernel_sa_add(k, &c), 0);
	struct kernel_sa_id bid = id_of(&b);
	ck_assert_int_eq(kernel_mock_remove_sa(k, &bid), 0);
	ck_assert_int_eq(kernel_resync(k), 0);
	ck_assert_int_eq(log.n, 2);
	ck_assert_int_eq(log.last[0].type, KERNEL_EV_EXPIRE_HARD);
	ck_assert_uint_eq(log.last[0].u.expire.id.spi, 0x1002);
	ck_assert_uint_eq(log.last[0].u.expire.reqid, 8);
	ck_assert_int_eq(log.last[1].type, KERNEL_EV_RESYNC);
	ck_assert_uint_eq(log.last[1].u.resync.sa_lost, 1);
	ck_assert_uint_eq(log.last[1].u.resync.sa_present, 2);
	ck_assert(!kernel_sa_is_own(k, &bid));
	kernel_close(k);
}
END_TEST

START_TEST(policy_dump_and_bad_policies)
{
	struct kernel *k = open_mock(NULL);
	struct kernel_policy p = policy("192.0.2.0", "198.51.100.0", 24, KERNEL_DIR_OUT, 1);
	p.n_tmpl = 0; /* IPsec action without templates */
	ck_assert_int_eq(kernel_policy_add(k, &p), -EINVAL);
	p = policy("192.0.2.0", "2001:db8::", 24, KERNEL_DIR_OUT, 1);
	ck_assert_int_eq(kernel_policy_add(k, &p), -EINVAL);
	p = policy("192.0.2.0", "198.51.100.0", 33, KERNEL_DIR_OUT, 1);
	ck_assert_int_eq(kernel_policy_add(k, &p), -EINVAL);
	p = policy("192.0.2.0", "198.51.100.0", 24, (enum kernel_dir)5, 1);
	ck_assert_int_eq(kernel_policy_add(k, &p), -EINVAL);
	p = policy("192.0.2.0", "198.51.100.0", 24, KERNEL_DIR_OUT, 1);
	p.n_tmpl = KERNEL_MAX_TMPL + 1;
	ck_assert_int_eq(kernel_policy_add(k, &p), -EINVAL);
	p = policy("192.0.2.0", "198.51.100.0", 24, KERNEL_DIR_OUT, 1);
	p.action = KERNEL_POLICY_BYPASS;
	p.n_tmpl = 0;
	ck_assert_int_eq(kernel_policy_add(k, &p), 0);
	p.priority = 9;
	ck_assert_int_eq(kernel_policy_update(k, &p), 0);
	ck_assert_uint_eq(kernel_mock_policy_count(k), 1);
	ck_assert(kernel_policy_is_own(k, &p));
	ck_assert_int_eq(kernel_policy_delete(k, &p), 0);
	ck_assert_int_eq(kernel_policy_delete(k, &p), -ENOENT);
	ck_assert(!kernel_policy_is_own(k, &p));
	kernel_close(k);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("kernel");
	TCase *t = tcase_create("core");
	tcase_add_test(t, alg_names_and_icv);
	tcase_add_test(t, caps_refuse_what_a_backend_cannot_install);
	tcase_add_test(t, open_unknown_backend);
	tcase_add_test(t, spi_completes_later_never_inline);
	tcase_add_test(t, spi_cancel_and_reentry);
	tcase_add_test(t, inbound_sa_from_allocspi_needs_update);
	tcase_add_test(t, bad_sas_refused);
	tcase_add_test(t, flush_own_removes_only_ours);
	tcase_add_test(t, flush_own_keeps_record_on_errors);
	tcase_add_test(t, journal_survives_a_crash);
	tcase_add_test(t, journal_ignores_garbage_and_partial_lines);
	tcase_add_test(t, journal_unwritable_folder);
	tcase_add_test(t, owner_scales);
	tcase_add_test(t, events_update_ownership);
	tcase_add_test(t, resync_reports_lost_sas);
	tcase_add_test(t, policy_dump_and_bad_policies);
	tcase_set_timeout(t, 60);
	suite_add_tcase(s, t);
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
