/* pidfile: write and remove racoon's pid file. */
#ifndef RACOON_DAEMON_PIDFILE_H
#define RACOON_DAEMON_PIDFILE_H

#include <stddef.h>

#define RACOON_DEFAULT_PIDFILE RUNSTATEDIR "/racoon/racoon.pid"

/* racoon.conf's `path pidfile`: NULL = the default, relative names are below RUNSTATEDIR. */
const char *pidfile_path(const char *configured, char *buf, size_t n);
int pidfile_write(const char *path); /* 0 or negative errno */
void pidfile_remove(void);

#endif
