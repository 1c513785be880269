/* Unit tests: common/buf, common/addr, common/hexdump. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/addr.h"
#include "common/buf.h"
#include "common/hexdump.h"

START_TEST(buf_reads_are_bounded)
{
	const uint8_t d[] = { 0x01, 0x02, 0x03, 0x04, 0x05 };
	struct buf b = buf_view(d, sizeof(d));
	uint32_t v32;
	uint16_t v16;
	ck_assert(buf_get_u32(&b, &v32));
	ck_assert_uint_eq(v32, 0x01020304);
	ck_assert(!buf_get_u16(&b, &v16)); /* one byte left */
	ck_assert_uint_eq(v16, 0);
	ck_assert(!buf_ok(&b));
	uint8_t v8;
	ck_assert(!buf_get_u8(&b, &v8)); /* error is sticky */
}
END_TEST

START_TEST(buf_sub_views)
{
	const uint8_t d[] = { 1, 2, 3, 4 };
	struct buf b = buf_view(d, sizeof(d)), s;
	ck_assert(buf_get_sub(&b, 3, &s));
	ck_assert_uint_eq(buf_left(&s), 3);
	ck_assert_uint_eq(buf_left(&b), 1);
	ck_assert(!buf_get_sub(&b, 2, &s));
	ck_assert(!buf_ok(&s));
}
END_TEST

START_TEST(buf_writes_respect_max)
{
	struct buf b;
	buf_init(&b, 6);
	ck_assert(buf_put_u32(&b, 0xdeadbeef));
	ck_assert(buf_put_u16(&b, 0x0102));
	ck_assert(!buf_put_u8(&b, 9));
	ck_assert(!buf_ok(&b));
	ck_assert_uint_eq(b.len, 6);
	ck_assert_uint_eq(b.ptr[0], 0xde);
	buf_reset(&b);
	ck_assert(buf_ok(&b));
	ck_assert(buf_put_u16(&b, 7));
	ck_assert(buf_patch_u16(&b, 0, 0x1234));
	ck_assert(!buf_patch_u32(&b, 0, 1));
	ck_assert_uint_eq(b.ptr[0], 0x12);
	buf_free(&b);
}
END_TEST

START_TEST(buf_secret_and_ct)
{
	struct buf b;
	buf_init_secret(&b, 1024);
	for (int i = 0; i < 200; i++) /* grows several times; old copies are wiped */
		ck_assert(buf_put_u8(&b, (uint8_t)i));
	ck_assert(buf_equal_ct(b.ptr, b.ptr, b.len));
	uint8_t other[200];
	memcpy(other, b.ptr, 200);
	other[199] ^= 1;
	ck_assert(!buf_equal_ct(b.ptr, other, 200));
	buf_free(&b);
	ck_assert_ptr_null(b.ptr);
}
END_TEST

START_TEST(addr_parse_and_print)
{
	union sockaddr_any a, b;
	char s[ADDR_PORT_STRLEN];
	ck_assert_int_eq(addr_parse("192.0.2.1", &a), 0);
	addr_set_port(&a, 500);
	ck_assert_str_eq(addr_ntop_port(&a, s), "192.0.2.1[500]");
	ck_assert_int_eq(addr_parse("2001:db8::1", &b), 0);
	ck_assert_str_eq(addr_ntop(&b, s), "2001:db8::1");
	ck_assert(!addr_equal(&a, &b));
	ck_assert_int_eq(addr_parse("fe80::1%7", &b), 0);
	ck_assert_uint_eq(b.sin6.sin6_scope_id, 7);
	ck_assert_int_eq(addr_parse("192.0.2.300", &a), -EINVAL);
	ck_assert_int_eq(addr_parse("", &a), -EINVAL);
	ck_assert_int_eq(addr_parse("fe80::1%", &a), -EINVAL);
	ck_assert_int_eq(addr_parse("0.0.0.0", &a), 0);
	ck_assert(addr_is_any(&a));
}
END_TEST

START_TEST(hex_round_trip)
{
	uint8_t out[4];
	char s[9];
	ck_assert_int_eq(hex_decode("0xDEADbeef", out, sizeof(out)), 4);
	ck_assert_str_eq(hex_encode(out, 4, s, sizeof(s)), "deadbeef");
	ck_assert_int_eq(hex_decode("abc", out, sizeof(out)), -EINVAL);
	ck_assert_int_eq(hex_decode("zz", out, sizeof(out)), -EINVAL);
	ck_assert_int_eq(hex_decode("0011223344", out, sizeof(out)), -ENOSPC);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("common");
	TCase *t = tcase_create("all");
	tcase_add_test(t, buf_reads_are_bounded);
	tcase_add_test(t, buf_sub_views);
	tcase_add_test(t, buf_writes_respect_max);
	tcase_add_test(t, buf_secret_and_ct);
	tcase_add_test(t, addr_parse_and_print);
	tcase_add_test(t, hex_round_trip);
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
