/* Unit tests: log sinks and levels (file, stdout copy, JOURNAL_STREAM, -L, -d, -v,
 * reopen, sink choice). The journal and syslog themselves are exercised in the
 * integration suites with a real journald and a private /dev/log. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log/log.h"

static char dir[64], path[128], out[128];

static void mkdirs(void)
{
	snprintf(dir, sizeof(dir), "/tmp/racoon-log-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/racoon.log", dir);
	snprintf(out, sizeof(out), "%s/stdout", dir);
}

static void rmdirs(void)
{
	unlink(path);
	unlink(out);
	char p[160];
	snprintf(p, sizeof(p), "%s/racoon.log.1", dir);
	unlink(p);
	rmdir(dir);
}

static char *slurp(const char *p)
{
	FILE *f = fopen(p, "r");
	if (!f)
		return strdup("");
	static char b[65536];
	size_t n = fread(b, 1, sizeof(b) - 1, f);
	b[n] = '\0';
	fclose(f);
	return strdup(b);
}

static void redirect_stdout(void)
{
	ck_assert_ptr_nonnull(freopen(out, "w", stdout));
}

START_TEST(file_sink_levels_and_location)
{
	mkdirs();
	struct log_options o = { .file = path, .location_prefix = true };
	ck_assert_int_eq(log_open(&o), 0);
	ck_assert_str_eq(log_sink_name(), "file");
	ck_assert_int_eq(log_level_get(), LL_INFO);
	log_info("net", "visible %d", 42);
	log_debug("net", "hidden");
	int line = __LINE__ + 1;
	log_error("ike", "an error");
	log_close();
	char *s = slurp(path);
	ck_assert_ptr_nonnull(strstr(s, ": info: "));
	ck_assert_ptr_nonnull(strstr(s, "net: visible 42"));
	ck_assert_ptr_null(strstr(s, "hidden"));
	char loc[128];
	snprintf(loc, sizeof(loc), "test_log.c:%d:file_sink_levels_and_location_fn(): ike: an error",
		 line);
	ck_assert_msg(strstr(s, loc) != NULL, "%s lacks %s", s, loc);
	free(s);
	rmdirs();
}
END_TEST

/* -d raises the level above the config's; LL_DEBUG2 allows secrets. */
START_TEST(debug_count_and_config_level)
{
	mkdirs();
	struct log_options o = { .file = path, .debug = 1 };
	ck_assert_int_eq(log_open(&o), 0);
	ck_assert_int_eq(log_level_get(), LL_DEBUG);
	ck_assert(!log_secrets_enabled());
	log_debug("conf", "debug line");
	log_set_config_level(LL_WARNING);
	ck_assert_int_eq(log_level_get(), LL_NOTIFY);
	log_info("conf", "info line");
	log_set_config_level(LL_DEBUG);
	ck_assert_int_eq(log_level_get(), LL_DEBUG2);
	ck_assert(log_secrets_enabled());
	o.debug = 5; /* capped */
	ck_assert_int_eq(log_open(&o), 0);
	ck_assert_int_eq(log_level_get(), LL_DEBUG2);
	log_close();
	log_set_config_level(LL_INFO);
	char *s = slurp(path);
	ck_assert_ptr_nonnull(strstr(s, "debug: conf: debug line"));
	ck_assert_ptr_null(strstr(s, "info line"));
	free(s);
	rmdirs();
}
END_TEST

START_TEST(level_names)
{
	ck_assert_int_eq(log_level_parse("error"), LL_ERROR);
	ck_assert_int_eq(log_level_parse("notify"), LL_NOTIFY);
	ck_assert_int_eq(log_level_parse("debug2"), LL_DEBUG2);
	ck_assert_int_eq(log_level_parse("DEBUG"), -1);
	ck_assert_int_eq(log_level_parse(""), -1);
	ck_assert_str_eq(log_level_name(LL_WARNING), "warning");
	ck_assert_str_eq(log_level_name((enum log_level)99), "?");
}
END_TEST

START_TEST(stdout_copy_with_foreground)
{
	mkdirs();
	redirect_stdout();
	struct log_options o = { .file = path, .foreground_copy = true };
	ck_assert_int_eq(log_open(&o), 0);
	log_notify("daemon", "copied");
	log_close();
	fflush(stdout);
	char *s = slurp(out);
	ck_assert_str_eq(s, "notify: daemon: copied\n");
	free(s);
	rmdirs();
}
END_TEST

START_TEST(journal_stream_means_no_copy)
{
	mkdirs();
	redirect_stdout();
	struct stat st;
	ck_assert(fstat(fileno(stdout), &st) == 0);
	char js[64];
	snprintf(js, sizeof(js), "%llu:%llu", (unsigned long long)st.st_dev,
		 (unsigned long long)st.st_ino);
	setenv("JOURNAL_STREAM", js, 1);
	struct log_options o = { .file = path, .foreground_copy = true };
	ck_assert_int_eq(log_open(&o), 0);
	log_notify("daemon", "not copied");
	/* A JOURNAL_STREAM naming another file (stdout was redirected): copy again. */
	setenv("JOURNAL_STREAM", "1:2", 1);
	ck_assert_int_eq(log_open(&o), 0);
	log_notify("daemon", "copied");
	setenv("JOURNAL_STREAM", "garbage", 1);
	ck_assert_int_eq(log_open(&o), 0);
	log_notify("daemon", "copied too");
	log_close();
	unsetenv("JOURNAL_STREAM");
	fflush(stdout);
	char *s = slurp(out);
	ck_assert_str_eq(s, "notify: daemon: copied\nnotify: daemon: copied too\n");
	free(s);
	rmdirs();
}
END_TEST

/* -v dumps packets at debug level only. */
START_TEST(hexdump_needs_verbose_and_debug)
{
	mkdirs();
	const unsigned char pkt[40] = { 0xde, 0xad, 0xbe, 0xef, [39] = 0x01 };
	struct log_options o = { .file = path, .debug = 1 };
	ck_assert_int_eq(log_open(&o), 0);
	log_hexdump("net", "no -v", pkt, sizeof(pkt));
	o.verbose = 1;
	ck_assert_int_eq(log_open(&o), 0);
	ck_assert_int_eq(log_verbose(), 1);
	log_hexdump("net", "packet", pkt, sizeof(pkt));
	log_hexdump("net", "empty", NULL, 0);
	log_close();
	char *s = slurp(path);
	ck_assert_ptr_null(strstr(s, "no -v"));
	ck_assert_ptr_nonnull(strstr(s, "net: packet (40 bytes)"));
	ck_assert_ptr_nonnull(strstr(s, "0000: deadbeef"));
	ck_assert_ptr_nonnull(strstr(s, "0020: 0000000000000001"));
	ck_assert_ptr_nonnull(strstr(s, "net: empty (0 bytes)"));
	free(s);
	rmdirs();
}
END_TEST

/* SIGHUP after logrotate: the new file gets the lines. */
START_TEST(reopen_follows_rotation)
{
	mkdirs();
	struct log_options o = { .file = path };
	ck_assert_int_eq(log_open(&o), 0);
	log_info("daemon", "before");
	char rotated[160];
	snprintf(rotated, sizeof(rotated), "%s/racoon.log.1", dir);
	ck_assert(rename(path, rotated) == 0);
	ck_assert_int_eq(log_reopen(), 0);
	log_info("daemon", "after");
	log_close();
	char *a = slurp(rotated), *b = slurp(path);
	ck_assert_ptr_nonnull(strstr(a, "before"));
	ck_assert_ptr_null(strstr(a, "after"));
	ck_assert_ptr_nonnull(strstr(b, "after"));
	free(a);
	free(b);
	rmdirs();
}
END_TEST

START_TEST(bad_log_file_is_an_error)
{
	struct log_options o = { .file = "/nonexistent-dir/racoon.log" };
	ck_assert_int_lt(log_open(&o), 0);
	char longpath[5000];
	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[sizeof(longpath) - 1] = '\0';
	o.file = longpath;
	ck_assert_int_lt(log_open(&o), 0);
	ck_assert_int_eq(log_reopen(), 0); /* not a file sink: nothing to do */
}
END_TEST

/* The journal when its socket exists, else syslog. */
START_TEST(sink_choice)
{
	mkdirs();
	struct log_options o = { .journal_socket = path };
	ck_assert_int_eq(log_open(&o), 0);
	ck_assert_str_eq(log_sink_name(), "syslog"); /* no such socket */
	FILE *f = fopen(path, "w");
	fclose(f);
	ck_assert_int_eq(log_open(&o), 0);
	ck_assert_str_eq(log_sink_name(), "journal");
	log_close();
	rmdirs();
}
END_TEST

/* Long and hostile messages are cut, never overflow. */
START_TEST(long_messages_are_bounded)
{
	mkdirs();
	struct log_options o = { .file = path };
	ck_assert_int_eq(log_open(&o), 0);
	char big[10000];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	log_info(NULL, "%s", big);
	log_msg((enum log_level)42, "x", NULL, NULL, "f.c", 1, "fn", "out of range level");
	log_close();
	char *s = slurp(path);
	ck_assert_ptr_nonnull(strstr(s, "racoon: xxxx"));
	ck_assert_uint_lt(strlen(s), 4000);
	ck_assert_ptr_nonnull(strstr(s, "debug2: x: out of range level"));
	free(s);
	rmdirs();
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("log");
	TCase *t = tcase_create("sinks");
	tcase_add_test(t, file_sink_levels_and_location);
	tcase_add_test(t, debug_count_and_config_level);
	tcase_add_test(t, level_names);
	tcase_add_test(t, stdout_copy_with_foreground);
	tcase_add_test(t, journal_stream_means_no_copy);
	tcase_add_test(t, hexdump_needs_verbose_and_debug);
	tcase_add_test(t, reopen_follows_rotation);
	tcase_add_test(t, bad_log_file_is_an_error);
	tcase_add_test(t, sink_choice);
	tcase_add_test(t, long_messages_are_bounded);
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
