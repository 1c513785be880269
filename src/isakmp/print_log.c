/* print_log: the packet printer's lines into the log, for `racoon -v`. Kept apart from
 * print.c so users of the printer alone (tests, tools) do not link src/log. */
#include "isakmp/print.h"
#include "log/log.h"

static void log_line(void *arg, const char *line)
{
	log_debug((const char *)arg, "%s", line);
}

void isakmp_log_digest(const char *subsys, const char *title, const struct isakmp_digest *d)
{
	if (log_verbose() <= 0 || !log_enabled(LL_DEBUG))
		return;
	log_debug(subsys, "%s", title);
	isakmp_print(d, log_secrets_enabled(), log_line, (void *)subsys);
}
