/* pidfile: written after start-up, removed on clean exit. */
#include "daemon/pidfile.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *written;

const char *pidfile_path(const char *configured, char *buf, size_t n)
{
	if (!configured || !*configured)
		snprintf(buf, n, "%s", RACOON_DEFAULT_PIDFILE);
	else if (configured[0] == '/')
		snprintf(buf, n, "%s", configured);
	else
		snprintf(buf, n, "%s/%s", RUNSTATEDIR, configured);
	return buf;
}

int pidfile_write(const char *path)
{
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s", path);
	mkdir(dirname(dir), 0755); /* the runtime directory, when systemd did not make it */
	char tmp[4200];
	snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", path, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return -errno;
	char line[32];
	int n = snprintf(line, sizeof(line), "%ld\n", (long)getpid());
	if (write(fd, line, (size_t)n) != n || close(fd) < 0 || rename(tmp, path) < 0) {
		int e = errno ? errno : EIO;
		unlink(tmp);
		return -e;
	}
	free(written);
	written = strdup(path);
	return 0;
}

void pidfile_remove(void)
{
	if (written)
		unlink(written);
	free(written);
	written = NULL;
}
