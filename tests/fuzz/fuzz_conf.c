/* libFuzzer harness: the racoon.conf parser, validation and printer.
 *
 * Any input must end in a clean success or a clean error (never a crash, hang or leak).
 * Includes and file checks are off, so the input cannot reach the file system; a config
 * that parses is printed and the printout must parse again.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "conf/conf.h"

static void quiet(void *ud, enum conf_severity sev, const char *msg)
{
	(void)ud;
	(void)sev;
	(void)msg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf_load_opts o = { .report = quiet, .no_includes = true, .no_file_checks = true };
	struct racoon_conf *c = NULL;
	if (conf_parse_string("fuzz.conf", (const char *)data, size, &o, &c) < 0) {
		if (c)
			abort(); /* an error must not hand out a config */
		return 0;
	}
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (f) {
		conf_print(f, c);
		fclose(f);
		struct racoon_conf *again = NULL;
		if (conf_parse_string("fuzz.conf", text, len, &o, &again) < 0)
			abort(); /* racoon -C must print something racoon reads back */
		conf_free(again);
		free(text);
	}
	conf_free(c);
	return 0;
}
