/* Unit tests: the packet printer into the log (`racoon -v`), through a log file. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "isakmp/print.h"
#include "log/log.h"
#include "test_isakmp_samples.h"

static struct isakmp_digest dg;
static char dir[64], path[128];

static void setup(void)
{
	strcpy(dir, "/tmp/racoon-isakmp-log-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/log", dir);
}

static void teardown(void)
{
	unlink(path);
	rmdir(dir);
}

/* Log the parsed sample with the given -v count and level; the log file's text. */
static char *log_sample(enum sample s, int verbose, enum log_level lvl)
{
	static char text[16384];
	struct log_options o = { .file = path, .verbose = verbose };
	struct buf m;
	unlink(path);
	ck_assert_int_eq(log_open(&o), 0);
	log_set_config_level(lvl);
	buf_init(&m, 0);
	ck_assert_int_eq(sample_build(s, &m), 0);
	ck_assert_int_eq(isakmp_parse(m.ptr, m.len, &dg), ISAKMP_PERR_OK);
	isakmp_log_digest("isakmp", "received packet", &dg);
	buf_free(&m);
	log_close();
	FILE *f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	size_t n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = 0;
	fclose(f);
	return text;
}

START_TEST(verbose_prints_packets)
{
	char *t = log_sample(S_MM1, 1, LL_DEBUG);
	ck_assert_ptr_nonnull(strstr(t, "received packet"));
	ck_assert_ptr_nonnull(strstr(t, "ISAKMP MAIN"));
	ck_assert_ptr_nonnull(strstr(t, "ENCRYPTION_ALGORITHM=AES_CBC"));
	ck_assert_ptr_nonnull(strstr(t, "VID len=16"));
}
END_TEST

START_TEST(quiet_without_v_or_debug)
{
	ck_assert_ptr_null(strstr(log_sample(S_MM1, 0, LL_DEBUG), "ISAKMP MAIN"));
	ck_assert_ptr_null(strstr(log_sample(S_MM1, 1, LL_INFO), "ISAKMP MAIN"));
}
END_TEST

START_TEST(secrets_only_at_debug2)
{
	char *t = log_sample(S_CFG, 1, LL_DEBUG);
	ck_assert_ptr_nonnull(strstr(t, "XAUTH_USER_PASSWORD <hidden, 6 bytes>"));
	ck_assert_ptr_null(strstr(t, "733363726574"));
	t = log_sample(S_CFG, 1, LL_DEBUG2);
	ck_assert_ptr_nonnull(strstr(t, "XAUTH_USER_PASSWORD len=6 733363726574"));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("isakmp_log");
	TCase *t = tcase_create("log");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, verbose_prints_packets);
	tcase_add_test(t, quiet_without_v_or_debug);
	tcase_add_test(t, secrets_only_at_debug2);
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
