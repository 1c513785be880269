/* Unit tests: the racoon program's exit statuses and messages for options that end
 * before the daemon starts (-h, -V, -t, -C, -B, bad usage). Needs no privileges. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nstest.h"

static char dir[64], out[128], good[128], bad[128];

static void files(void)
{
	snprintf(dir, sizeof(dir), "/tmp/racoon-cli-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(out, sizeof(out), "%s/out", dir);
	snprintf(good, sizeof(good), "%s/good.conf", dir);
	snprintf(bad, sizeof(bad), "%s/bad.conf", dir);
	ns_write_file(good, "# nothing but a comment\n");
	ns_write_file(bad, "remote {\n");
}

static void cleanup(void)
{
	unlink(out);
	unlink(good);
	unlink(bad);
	rmdir(dir);
}

/* Run racoon with up to 6 arguments; returns its exit status, output in *text. */
static int run(char **text, const char *a1, const char *a2, const char *a3, const char *a4)
{
	unlink(out);
	char *argv[] = { (char *)ns_racoon(), (char *)a1, (char *)a2, (char *)a3, (char *)a4, NULL };
	struct ns_proc p;
	ns_spawn(&p, argv, NULL, out);
	int st = ns_wait(&p);
	*text = ns_read_file(out);
	ck_assert_ptr_nonnull(*text);
	return st;
}

START_TEST(help_and_version)
{
	files();
	char *t;
	ck_assert_int_eq(run(&t, "-h", NULL, NULL, NULL), 0);
	ck_assert_ptr_nonnull(strstr(t, "usage: racoon [-46BCdFLtVvZh]"));
	free(t);
	ck_assert_int_eq(run(&t, "-V", NULL, NULL, NULL), 0);
	ck_assert_ptr_nonnull(strstr(t, "racoon " PACKAGE_VERSION "\nbuild options: "));
	free(t);
	cleanup();
}
END_TEST

static const char *const bad_usage[][2] = {
	{ "-x", NULL }, { "-p", "0" }, { "-p", "65536" }, { "-P", "x" }, { "-p", "4500" },
	{ "-f", NULL }, { "stray", NULL },
};

START_TEST(bad_usage_exits_2)
{
	files();
	char *t;
	ck_assert_int_eq(run(&t, bad_usage[_i][0], bad_usage[_i][1], NULL, NULL), 2);
	ck_assert_ptr_nonnull(strstr(t, "racoon: "));
	free(t);
	cleanup();
}
END_TEST

START_TEST(check_config)
{
	files();
	char *t;
	ck_assert_int_eq(run(&t, "-t", "-f", good, NULL), 0);
	ck_assert_ptr_nonnull(strstr(t, "configuration OK"));
	free(t);
	ck_assert_int_eq(run(&t, "-t", "-f", bad, NULL), 1);
	ck_assert_ptr_null(strstr(t, "configuration OK"));
	ck_assert_ptr_nonnull(strstr(t, "bad.conf:"));
	free(t);
	ck_assert_int_eq(run(&t, "-t", "-f", "/nonexistent/racoon.conf", NULL), 1);
	ck_assert_ptr_nonnull(strstr(t, "/nonexistent/racoon.conf"));
	free(t);
	/* -t binds nothing: a privileged port is no obstacle. */
	ck_assert_int_eq(run(&t, "-t", "-p1", "-f", good), 0);
	free(t);
	cleanup();
}
END_TEST

START_TEST(print_config_and_backupsa)
{
	files();
	char *t;
	ck_assert_int_eq(run(&t, "-C", "-f", good, NULL), 0);
	free(t);
	ck_assert_int_eq(run(&t, "-B", "-f", good, NULL), 2);
	ck_assert_ptr_nonnull(strstr(t, "-B"));
	ck_assert_ptr_nonnull(strstr(t, "not implemented"));
	free(t);
	cleanup();
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("cli");
	TCase *t = tcase_create("cli");
	tcase_set_timeout(t, 30);
	tcase_add_test(t, help_and_version);
	tcase_add_loop_test(t, bad_usage_exits_2, 0,
			    (int)(sizeof(bad_usage) / sizeof(bad_usage[0])));
	tcase_add_test(t, check_config);
	tcase_add_test(t, print_config_and_backupsa);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(suite());
	srunner_set_fork_status(r, CK_FORK);
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? 1 : 0;
}
