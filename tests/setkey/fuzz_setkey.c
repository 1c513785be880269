/* libFuzzer harness: setkey's parser and its canonical printer (no name lookups). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "setkey/cmd.h"
#include "setkey/format.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	struct sk_parse_opts o = { .no_dns = true };
	struct sk_script s;
	struct sk_error e;

	if (!sink)
		sink = fopen("/dev/null", "w");
	if (sk_parse((const char *)data, size, &o, &s, &e) == 0) {
		for (size_t i = 0; sink && i < s.n; i++)
			sk_cmd_print(sink, &s.cmds[i], SK_FMT_KEYS);
		sk_script_free(&s);
	}
	return 0;
}
