/* Unit test: kernel_open("pfkey") reports what the running kernel says about AF_KEY.
 *
 * On a kernel without CONFIG_NET_KEY (like our CI host) socket(AF_KEY) fails with
 * EAFNOSUPPORT and kernel_open must return exactly -EAFNOSUPPORT; without privileges it
 * is -EPERM; with both it opens. The raw socket() call decides which case this is, and
 * the backend must agree with it.
 */
#include <check.h>
#include <errno.h>
#include <linux/pfkeyv2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "event/event.h"
#include "kernel/kernel.h"

static int raw_af_key(void)
{
	int fd = socket(PF_KEY, SOCK_RAW | SOCK_CLOEXEC, PF_KEY_V2);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

START_TEST(open_matches_kernel)
{
	int expect = raw_af_key();
	struct kernel *k = NULL;
	struct kernel_options o = { 0 };
	int r = kernel_open("pfkey", &o, &k);
	ck_assert_msg(r == expect, "kernel_open(pfkey) = %d (%s), socket(AF_KEY) = %d (%s)", r,
		      strerror(-r), expect, strerror(-expect));
	if (r == 0) {
		ck_assert_str_eq(kernel_backend_name(k), "pfkey");
		kernel_close(k);
	} else {
		ck_assert_ptr_null(k);
		/* The event socket path fails the same way, before registering anything. */
		o.events = true;
		ck_assert_int_eq(kernel_open("pfkey", &o, &k), expect);
		ck_assert_ptr_null(k);
	}
	event_loop_free();
}
END_TEST

START_TEST(caps_without_kernel)
{
	/* racoon -t checks proposals against these without opening anything. */
	const struct kernel_caps *c = kernel_pfkey_ops.caps;
	ck_assert_str_eq(c->backend, "pfkey");
	ck_assert(!c->aead && !c->esn && !c->icv_selectable);
	ck_assert_uint_eq(c->replay_window_max, 32);
	ck_assert(kernel_caps_auth_ok(c, KERNEL_AUTH_HMAC_SHA1));
	ck_assert(!kernel_caps_auth_ok(c, KERNEL_AUTH_HMAC_SHA2_256));
	ck_assert(kernel_caps_auth_ok(c, KERNEL_AUTH_HMAC_SHA2_384));
	ck_assert(kernel_caps_auth_ok(c, KERNEL_AUTH_HMAC_SHA2_512));
	ck_assert(!kernel_caps_enc_ok(c, KERNEL_ENC_AES_GCM_16, 128));
	ck_assert(kernel_caps_enc_ok(c, KERNEL_ENC_AES_CBC, 256));
	ck_assert(!kernel_caps_enc_ok(c, KERNEL_ENC_AES_CBC, 200));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("pfkey_open");
	TCase *tc = tcase_create("open");
	tcase_add_test(tc, open_matches_kernel);
	tcase_add_test(tc, caps_without_kernel);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
