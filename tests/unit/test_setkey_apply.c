/* Unit tests: setkey's apply step against the mock kernel backend. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event/event.h"
#include "kernel/kernel.h"
#include "kernel/mock/mock.h"
#include "setkey/apply.h"
#include "setkey/cmd.h"
#include "setkey/monitor.h"

#define K16 "0x00112233445566778899aabbccddeeff"
#define K32 K16 "0f0e0d0c0b0a09080706050403020100"

static struct kernel *k;
static char *out;
static size_t outlen;

static void setup(void)
{
	ck_assert_int_eq(kernel_open("mock", NULL, &k), 0);
	out = NULL;
}

static void teardown(void)
{
	kernel_close(k);
	free(out);
	event_loop_free();
}

/* Parse text and apply it; the output lands in `out`. Returns sk_apply's result. */
static int run(const char *text, bool rfc, struct sk_apply_result *r)
{
	struct sk_script s;
	struct sk_error e;
	struct sk_parse_opts po = { .no_dns = true };
	ck_assert_msg(sk_parse(text, strlen(text), &po, &s, &e) == 0, "%u:%u: %s", e.line, e.col,
		      e.msg);
	free(out);
	out = NULL;
	FILE *f = open_memstream(&out, &outlen);
	struct sk_apply_opts o = { .rfc_mode = rfc, .fmt_flags = 1, .out = f };
	int rc = sk_apply(k, &s, &o, r);
	fclose(f);
	sk_script_free(&s);
	return rc;
}

START_TEST(policies_and_fwd_twins)
{
	struct sk_apply_result r;
	ck_assert_int_eq(run("spdadd 192.0.2.0/24 198.51.100.0/24 any -P out ipsec esp/transport//require;"
			     "spdadd 198.51.100.0/24 192.0.2.0/24 any -P in ipsec esp/transport//require;",
			     true, &r), 0);
	ck_assert_uint_eq(r.done, 2);
	ck_assert_uint_eq(kernel_mock_policy_count(k), 3); /* out, in, fwd twin */
	ck_assert_int_eq(run("spddump;", true, &r), 0);    /* the twin is hidden */
	ck_assert_ptr_nonnull(strstr(out, "\tin prio def ipsec\n"));
	ck_assert_ptr_null(strstr(out, "\tfwd "));
	ck_assert_int_eq(run("spddump;", false, &r), 0);   /* -k shows it */
	ck_assert_ptr_nonnull(strstr(out, "\tfwd prio def ipsec\n"));
	ck_assert_int_eq(run("spddelete 198.51.100.0/24 192.0.2.0/24 any -P in;", true, &r), 0);
	ck_assert_uint_eq(kernel_mock_policy_count(k), 1);
	ck_assert_int_eq(run("spdadd 198.51.100.0/24 192.0.2.0/24 any -P in none;", false, &r), 0);
	ck_assert_uint_eq(kernel_mock_policy_count(k), 2); /* -k: no twin */
	/* deleting an in policy without a twin in RFC mode is fine */
	ck_assert_int_eq(run("spddelete 198.51.100.0/24 192.0.2.0/24 any -P in;", true, &r), 0);
	ck_assert_int_eq(run("spdflush; spddump;", true, &r), 0);
	ck_assert_uint_eq(kernel_mock_policy_count(k), 0);
	ck_assert_str_eq(out, "No SPD entries.\n");
}
END_TEST

START_TEST(stops_at_first_error)
{
	struct sk_apply_result r;
	const char *script = "spdadd 192.0.2.1 198.51.100.1 any -P out none;\n"
			     "spdadd 192.0.2.2 198.51.100.2 any -P out none;\n"
			     "spdadd 192.0.2.1 198.51.100.1 any -P out discard;\n"
			     "spdadd 192.0.2.3 198.51.100.3 any -P out none;\n";
	ck_assert_int_eq(run(script, true, &r), -EEXIST);
	ck_assert_uint_eq(r.done, 2);
	ck_assert_int_eq(r.err, -EEXIST);
	ck_assert_ptr_nonnull(strstr(r.msg, "out policy"));
	ck_assert_uint_eq(kernel_mock_policy_count(k), 2); /* the 4th never ran */

	/* a failing backend call on the very first command */
	kernel_mock_fail_next(k, -ENOBUFS);
	ck_assert_int_eq(run("spdflush; spdadd 192.0.2.9 198.51.100.9 any -P out none;", true, &r),
			 -ENOBUFS);
	ck_assert_uint_eq(r.done, 0);
	ck_assert_uint_eq(kernel_mock_policy_count(k), 2);
}
END_TEST

START_TEST(twin_failure_takes_the_in_policy_back)
{
	struct sk_apply_result r;
	struct sk_script s;
	struct sk_error e;
	const char *fwd = "spdadd 198.51.100.0/24 192.0.2.0/24 any -P fwd none;";
	ck_assert_int_eq(sk_parse(fwd, strlen(fwd), NULL, &s, &e), 0);
	ck_assert_int_eq(kernel_mock_add_foreign_policy(k, &s.cmds[0].u.spd.pol), 0);
	sk_script_free(&s);
	ck_assert_int_eq(run("spdadd 198.51.100.0/24 192.0.2.0/24 any -P in none;", true, &r),
			 -EEXIST);
	ck_assert_uint_eq(r.done, 0);
	ck_assert_ptr_nonnull(strstr(r.msg, "taken back"));
	ck_assert_uint_eq(kernel_mock_policy_count(k), 1); /* only the foreign fwd policy */
}
END_TEST

static const struct kernel_mock_sa *find_sa(const char *dst, uint32_t spi, int proto)
{
	struct kernel_sa_id id = { .spi = spi, .proto = (enum kernel_proto)proto };
	ck_assert_int_eq(addr_parse(dst, &id.dst), 0);
	return kernel_mock_sa_find(k, &id);
}

START_TEST(sas_keys_and_icv)
{
	struct sk_apply_result r;
	ck_assert_int_eq(run("add 192.0.2.1 192.0.2.2 esp 0x1000 -m tunnel -u 4 -E aes-cbc " K16
			     " -A hmac-sha256 " K32 ";"
			     "add 192.0.2.2 192.0.2.1 esp 0x1001 -E aes-cbc " K16
			     " -A hmac-sha256-96 " K32 ";",
			     true, &r), 0);
	const struct kernel_mock_sa *m = find_sa("192.0.2.2", 0x1000, KERNEL_PROTO_ESP);
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(m->sa.icv_bits, 128);
	ck_assert_int_eq(m->sa.mode, KERNEL_MODE_TUNNEL);
	ck_assert_uint_eq(m->sa.reqid, 4);
	ck_assert_uint_eq(m->sa.enc_key_len, 16);
	ck_assert_uint_eq(m->enc_key[15], 0xff);
	ck_assert_uint_eq(m->sa.auth_key_len, 32);
	ck_assert_uint_eq(m->auth_key[31], 0x00);
	m = find_sa("192.0.2.1", 0x1001, KERNEL_PROTO_ESP);
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(m->sa.icv_bits, 96);

	ck_assert_int_eq(run("get 192.0.2.1 192.0.2.2 esp 0x1000;", true, &r), 0);
	ck_assert_ptr_nonnull(strstr(out, "esp mode=tunnel spi=4096(0x00001000) reqid=4"));
	ck_assert_ptr_nonnull(strstr(out, "A: hmac-sha256  00112233 44556677"));
	ck_assert_ptr_nonnull(strstr(out, "icv=128 "));
	ck_assert_int_eq(run("dump esp;", true, &r), 0);
	ck_assert_ptr_nonnull(strstr(out, "A: hmac-sha256-96 "));
	ck_assert_ptr_nonnull(strstr(out, "icv=96 "));
	ck_assert_int_eq(run("dump ah;", true, &r), 0);
	ck_assert_str_eq(out, "No SAD entries.\n");
	ck_assert_int_eq(run("get 192.0.2.1 192.0.2.2 esp 0x9999;", true, &r), -ENOENT);
	ck_assert_str_eq(r.msg, "no such SA");
	ck_assert_int_eq(run("add 192.0.2.1 192.0.2.2 esp 0x1000 -E null -A hmac-md5 " K16 ";",
			     true, &r), -EEXIST);
	/* the mock backend has no CAST: refused before any kernel call */
	unsigned adds = kernel_mock_calls(k, "sa_add");
	ck_assert_int_eq(run("add 192.0.2.1 192.0.2.2 esp 0x1002 -E cast128-cbc " K16 ";", true, &r),
			 -EOPNOTSUPP);
	ck_assert_ptr_nonnull(strstr(r.msg, "cannot install cast128-cbc"));
	ck_assert_uint_eq(kernel_mock_calls(k, "sa_add"), adds);
}
END_TEST

START_TEST(deleteall_flush_getspi)
{
	struct sk_apply_result r;
	ck_assert_int_eq(run("add 192.0.2.1 192.0.2.2 esp 0x1000 -E aes-cbc " K16 ";"
			     "add 192.0.2.1 192.0.2.2 esp 0x1001 -E aes-cbc " K16 ";"
			     "add 192.0.2.1 192.0.2.3 esp 0x1002 -E aes-cbc " K16 ";"
			     "add 192.0.2.1 192.0.2.2 ah 0x1003 -A hmac-sha1 " K16 "01020304;",
			     true, &r), 0);
	ck_assert_uint_eq(kernel_mock_sa_count(k), 4);
	ck_assert_int_eq(run("deleteall 192.0.2.1 192.0.2.2 esp;", true, &r), 0);
	ck_assert_uint_eq(kernel_mock_sa_count(k), 2);
	ck_assert_ptr_nonnull(find_sa("192.0.2.3", 0x1002, KERNEL_PROTO_ESP));
	ck_assert_int_eq(run("delete 192.0.2.1 192.0.2.3 esp 0x1002;", true, &r), 0);
	ck_assert_int_eq(run("delete 192.0.2.1 192.0.2.3 esp 0x1002;", true, &r), -ENOENT);
	ck_assert_int_eq(run("getspi 198.51.100.1 192.0.2.1 esp 0x3000 -m tunnel -u 9;", true, &r), 0);
	const struct kernel_mock_sa *m = find_sa("192.0.2.1", 0x3000, KERNEL_PROTO_ESP);
	ck_assert_ptr_nonnull(m);
	ck_assert(m->larval);
	ck_assert_int_eq(run("flush ah;", true, &r), 0);
	ck_assert_ptr_null(find_sa("192.0.2.2", 0x1003, KERNEL_PROTO_AH));
	ck_assert_int_eq(run("flush;", true, &r), 0);
	ck_assert_uint_eq(kernel_mock_sa_count(k), 0);
}
END_TEST

START_TEST(unique_without_reqid_gets_a_free_one)
{
	struct sk_apply_result r;
	ck_assert_int_eq(run("spdadd 192.0.2.0/24 198.51.100.0/24 any -P out ipsec "
			     "esp/transport//unique:20000;"
			     "spdadd 192.0.2.0/24 198.51.100.0/24 any -P in ipsec esp/transport//unique "
			     "ah/transport//unique:7 ipcomp/transport//unique;",
			     true, &r), 0);
	ck_assert_int_eq(run("spddump;", false, &r), 0);
	/* 20000 is the highest in use: the two automatic ones follow it, the twin shares them */
	const char *in = strstr(out, "\tin prio");
	const char *fwd = strstr(out, "\tfwd prio");
	ck_assert_ptr_nonnull(in);
	ck_assert_ptr_nonnull(fwd);
	ck_assert_ptr_nonnull(strstr(in, "esp/transport//unique:20001\n\tah/transport//unique:7\n"
					 "\tipcomp/transport//unique:20002\n"));
	ck_assert_ptr_nonnull(strstr(fwd, "esp/transport//unique:20001\n"));
}
END_TEST

START_TEST(monitor_lines)
{
	struct kernel_event ev;
	FILE *f;

	memset(&ev, 0, sizeof(ev));
	ev.type = KERNEL_EV_EXPIRE_SOFT;
	ck_assert_int_eq(addr_parse("192.0.2.1", &ev.u.expire.id.src), 0);
	ck_assert_int_eq(addr_parse("192.0.2.2", &ev.u.expire.id.dst), 0);
	ev.u.expire.id.spi = 0x1000;
	ev.u.expire.id.proto = KERNEL_PROTO_ESP;
	ev.u.expire.reqid = 3;
	ev.u.expire.stats.bytes = 100;
	f = open_memstream(&out, &outlen);
	sk_event_print(f, &ev);
	ev.type = KERNEL_EV_POLICY_FLUSHED;
	sk_event_print(f, &ev);
	memset(&ev, 0, sizeof(ev));
	ev.type = KERNEL_EV_ACQUIRE;
	ck_assert_int_eq(addr_parse("192.0.2.1", &ev.u.acquire.src), 0);
	ck_assert_int_eq(addr_parse("198.51.100.1", &ev.u.acquire.dst), 0);
	ev.u.acquire.tmpl.proto = KERNEL_PROTO_ESP;
	ev.u.acquire.tmpl.mode = KERNEL_MODE_TUNNEL;
	ev.u.acquire.seq = 42;
	ev.u.acquire.policy.dir = KERNEL_DIR_OUT;
	ev.u.acquire.policy.priority = 0x80000000u;
	ck_assert_int_eq(addr_parse("192.0.2.0", &ev.u.acquire.policy.sel.src), 0);
	ck_assert_int_eq(addr_parse("198.51.100.0", &ev.u.acquire.policy.sel.dst), 0);
	ev.u.acquire.policy.sel.src_plen = 24;
	ev.u.acquire.policy.sel.dst_plen = 24;
	sk_event_print(f, &ev);
	fclose(f);
	ck_assert_str_eq(out,
		"expire soft 192.0.2.1 192.0.2.2 esp spi=4096(0x00001000) reqid=3 bytes=100 packets=0\n"
		"spdflush\n"
		"acquire 192.0.2.1 -> 198.51.100.1 esp/tunnel reqid=0 seq=42\n"
		"192.0.2.0/24[any] 198.51.100.0/24[any] any\n"
		"\tout prio def ipsec\n"
		"\tlifetime: 0(s) validtime: 0(s)\n"
		"\tspid=0\n");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("setkey_apply");
	TCase *tc = tcase_create("apply");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, policies_and_fwd_twins);
	tcase_add_test(tc, stops_at_first_error);
	tcase_add_test(tc, twin_failure_takes_the_in_policy_back);
	tcase_add_test(tc, sas_keys_and_icv);
	tcase_add_test(tc, deleteall_flush_getspi);
	tcase_add_test(tc, unique_without_reqid_gets_a_free_one);
	tcase_add_test(tc, monitor_lines);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
