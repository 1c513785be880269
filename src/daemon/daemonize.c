/* daemonize: double fork with a status pipe so "racoon" returns non-zero when start-up fails. */
#include "daemon/daemonize.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

static int status_fd = -1;

bool daemonize_wanted(bool foreground)
{
	if (foreground)
		return false;
	return !getenv("NOTIFY_SOCKET") && !getenv("LISTEN_FDS");
}

int daemonize_start(void)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		close(p[0]);
		close(p[1]);
		return -e;
	}
	if (pid > 0) {
		unsigned char st = 1;
		close(p[1]);
		ssize_t n;
		do
			n = read(p[0], &st, 1);
		while (n < 0 && errno == EINTR);
		_exit(n == 1 ? st : 1);
	}
	close(p[0]);
	if (setsid() < 0)
		return -errno;
	pid = fork(); /* never reacquire a controlling terminal */
	if (pid < 0)
		return -errno;
	if (pid > 0)
		_exit(0);
	status_fd = p[1];
	if (chdir("/") < 0)
		return -errno;
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null >= 0) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
		if (null > STDERR_FILENO)
			close(null);
	}
	return 0;
}

void daemonize_done(int exit_status)
{
	if (status_fd < 0)
		return;
	unsigned char st = (unsigned char)exit_status;
	ssize_t n = write(status_fd, &st, 1);
	(void)n;
	close(status_fd);
	status_fd = -1;
}
