/* monitor: setkey -x, kernel events as they happen, until SIGINT/SIGTERM. */
#ifndef RACOON_SETKEY_MONITOR_H
#define RACOON_SETKEY_MONITOR_H

#include <stdbool.h>
#include <stdio.h>

#include "kernel/kernel.h"

/* raw_time: -xx (seconds.microseconds instead of a date). 0 or negative errno. */
int sk_monitor(const char *backend, bool raw_time, FILE *out);
/* One event as a text block (also for tests). */
void sk_event_print(FILE *out, const struct kernel_event *ev);

#endif
