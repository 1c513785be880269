/* Helpers for the racoon.conf suites: parse text and collect the reports. */
#ifndef RACOON_TEST_CONF_UTIL_H
#define RACOON_TEST_CONF_UTIL_H

#include <stdio.h>
#include <string.h>

#include "conf/conf.h"

struct reports {
	char text[8192]; /* every report, one per line */
	unsigned errors, warnings;
};

static void collect(void *ud, enum conf_severity sev, const char *msg)
{
	struct reports *r = ud;
	size_t used = strlen(r->text);
	snprintf(r->text + used, sizeof(r->text) - used, "%s\n", msg);
	if (sev == CONF_SEV_ERROR)
		r->errors++;
	else
		r->warnings++;
}

/* Parse text as "t.conf" without looking at files named in it. */
static inline int parse_text(const char *text, struct reports *rep, struct racoon_conf **out)
{
	memset(rep, 0, sizeof(*rep));
	struct conf_load_opts o = { .report = collect, .userdata = rep, .no_file_checks = true,
				    .no_includes = true };
	*out = NULL;
	return conf_parse_string("t.conf", text, strlen(text), &o, out);
}

static inline int load_file(const char *path, bool file_checks, struct reports *rep,
			    struct racoon_conf **out)
{
	memset(rep, 0, sizeof(*rep));
	struct conf_load_opts o = { .report = collect, .userdata = rep,
				    .no_file_checks = !file_checks };
	*out = NULL;
	return conf_load_with(path, &o, out);
}

#endif
