/* pidfile: write and remove racoon's pid file. */
#ifndef RACOON_DAEMON_PIDFILE_H
#define RACOON_DAEMON_PIDFILE_H

#define RACOON_DEFAULT_PIDFILE RUNSTATEDIR "/racoon/racoon.pid"

int pidfile_write(const char *path); /* 0 or negative errno */
void pidfile_remove(void);

#endif
