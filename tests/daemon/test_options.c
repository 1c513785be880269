/* Unit tests: racoon's command line, every flag with good and bad values. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "daemon/options.h"

static enum options_result parse(struct options *o, const char *line, char **out, char **err)
{
	static char *argv[32], buf[512]; /* options point into them */
	int argc = 0;
	snprintf(buf, sizeof(buf), "%s", line);
	argv[argc++] = "racoon";
	for (char *t = strtok(buf, " "); t && argc < 31; t = strtok(NULL, " "))
		argv[argc++] = t;
	argv[argc] = NULL;
	size_t ol = 0, el = 0;
	char *ob = NULL, *eb = NULL;
	FILE *fo = open_memstream(&ob, &ol), *fe = open_memstream(&eb, &el);
	enum options_result r = options_parse(argc, argv, o, fo, fe);
	fclose(fo);
	fclose(fe);
	if (out)
		*out = ob;
	else
		free(ob);
	if (err)
		*err = eb;
	else
		free(eb);
	return r;
}

START_TEST(defaults)
{
	struct options o;
	ck_assert_int_eq(parse(&o, "", NULL, NULL), OPTIONS_RUN);
	ck_assert_int_eq(o.family, AF_UNSPEC);
	ck_assert_uint_eq(o.isakmp_port, 500);
	ck_assert_uint_eq(o.natt_port, 4500);
	ck_assert_str_eq(o.config_file, RACOON_DEFAULT_CONFIG);
	ck_assert_ptr_null(o.log_file);
	ck_assert(!o.foreground && !o.location && !o.check_only && !o.print_config);
	ck_assert(!o.backupsa && !o.no_kernel && !o.ports_given);
	ck_assert_int_eq(o.debug, 0);
	ck_assert_int_eq(o.verbose, 0);
}
END_TEST

START_TEST(every_flag)
{
	struct options o;
	ck_assert_int_eq(parse(&o, "-4 -B -C -d -d -d -F -f /x.conf -L -l /x.log -P 4501 -p 501 "
				   "-t -v -v -Z",
			       NULL, NULL),
			 OPTIONS_RUN);
	ck_assert_int_eq(o.family, AF_INET);
	ck_assert(o.backupsa && o.print_config && o.foreground && o.location && o.check_only);
	ck_assert(o.no_kernel && o.ports_given);
	ck_assert_int_eq(o.debug, 3);
	ck_assert_int_eq(o.verbose, 2);
	ck_assert_str_eq(o.config_file, "/x.conf");
	ck_assert_str_eq(o.log_file, "/x.log");
	ck_assert_uint_eq(o.natt_port, 4501);
	ck_assert_uint_eq(o.isakmp_port, 501);
	ck_assert_int_eq(parse(&o, "-6", NULL, NULL), OPTIONS_RUN);
	ck_assert_int_eq(o.family, AF_INET6);
	ck_assert_int_eq(parse(&o, "-4 -6", NULL, NULL), OPTIONS_RUN); /* the last one wins */
	ck_assert_int_eq(o.family, AF_INET6);
	ck_assert_int_eq(parse(&o, "-dFv", NULL, NULL), OPTIONS_RUN); /* grouped */
	ck_assert(o.foreground);
	ck_assert_int_eq(o.debug, 1);
	ck_assert_int_eq(o.verbose, 1);
	ck_assert_int_eq(parse(&o, "-p5000 -P5001", NULL, NULL), OPTIONS_RUN); /* attached */
	ck_assert_uint_eq(o.isakmp_port, 5000);
	ck_assert_uint_eq(o.natt_port, 5001);
}
END_TEST

START_TEST(help_and_version_exit_ok)
{
	struct options o;
	char *out, *err;
	ck_assert_int_eq(parse(&o, "-h", &out, &err), OPTIONS_EXIT_OK);
	ck_assert_ptr_nonnull(strstr(out, "usage: racoon"));
	ck_assert_str_eq(err, "");
	free(out);
	free(err);
	ck_assert_int_eq(parse(&o, "-V", &out, &err), OPTIONS_EXIT_OK);
	ck_assert_ptr_nonnull(strstr(out, "racoon " PACKAGE_VERSION));
	ck_assert_ptr_nonnull(strstr(out, "build options:"));
	free(out);
	free(err);
}
END_TEST

/* Bad usage: usage text on stderr, OPTIONS_EXIT_FAIL (racoon exits 2). */
static const struct {
	const char *line;
	const char *says;
} bad[] = {
	{ "-x", "unknown option -x" },
	{ "-?", "unknown option" },
	{ "-p", "needs an argument" },
	{ "-P", "needs an argument" },
	{ "-f", "needs an argument" },
	{ "-l", "needs an argument" },
	{ "-p 0", "invalid port" },
	{ "-p 65536", "invalid port" },
	{ "-p 99999999999999999999", "invalid port" },
	{ "-p -1", "invalid port" },
	{ "-p +5", "invalid port" },
	{ "-p 50x", "invalid port" },
	{ "-p abc", "invalid port" },
	{ "-P 0", "invalid port" },
	{ "-P 70000", "invalid port" },
	{ "-P 4500.0", "invalid port" },
	{ "-p 4500", "must differ" },
	{ "-p 600 -P 600", "must differ" },
	{ "extra", "unexpected argument" },
	{ "-F extra", "unexpected argument" },
};

START_TEST(bad_usage_fails)
{
	struct options o;
	char *out, *err;
	ck_assert_int_eq(parse(&o, bad[_i].line, &out, &err), OPTIONS_EXIT_FAIL);
	ck_assert_msg(strstr(err, bad[_i].says) != NULL, "\"%s\": stderr \"%s\"", bad[_i].line,
		      err);
	if (strcmp(bad[_i].says, "must differ") != 0)
		ck_assert_msg(strstr(err, "usage: racoon") != NULL, "\"%s\": no usage",
			      bad[_i].line);
	ck_assert_str_eq(out, "");
	free(out);
	free(err);
}
END_TEST

START_TEST(port_bounds_accepted)
{
	struct options o;
	ck_assert_int_eq(parse(&o, "-p 1 -P 65535", NULL, NULL), OPTIONS_RUN);
	ck_assert_uint_eq(o.isakmp_port, 1);
	ck_assert_uint_eq(o.natt_port, 65535);
}
END_TEST

/* Parsing twice gives the same result (getopt state is reset). */
START_TEST(parse_is_repeatable)
{
	struct options o;
	ck_assert_int_eq(parse(&o, "-x", NULL, NULL), OPTIONS_EXIT_FAIL);
	ck_assert_int_eq(parse(&o, "-d -p 501", NULL, NULL), OPTIONS_RUN);
	ck_assert_int_eq(parse(&o, "-d -p 501", NULL, NULL), OPTIONS_RUN);
	ck_assert_int_eq(o.debug, 1);
	ck_assert_uint_eq(o.isakmp_port, 501);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("options");
	TCase *t = tcase_create("parse");
	tcase_add_test(t, defaults);
	tcase_add_test(t, every_flag);
	tcase_add_test(t, help_and_version_exit_ok);
	tcase_add_loop_test(t, bad_usage_fails, 0, (int)(sizeof(bad) / sizeof(bad[0])));
	tcase_add_test(t, port_bounds_accepted);
	tcase_add_test(t, parse_is_repeatable);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(suite());
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? 1 : 0;
}
