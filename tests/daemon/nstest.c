/* nstest: private namespaces, process spawning and bounded waits for integration tests. */
#include "nstest.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

void ns_require_root(void)
{
	if (geteuid() != 0) {
		fprintf(stderr, "SKIP: needs root (network and mount namespaces)\n");
		exit(77);
	}
	/* Probe once in a child: a container without namespaces is a skip, not a pass. */
	pid_t pid = fork();
	if (pid == 0)
		_exit(unshare(CLONE_NEWNET | CLONE_NEWNS) == 0 ? 0 : 1);
	int st = 0;
	if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		fprintf(stderr, "SKIP: cannot create network/mount namespaces here\n");
		exit(77);
	}
}

int ns_sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	int st = system(cmd);
	if (st < 0 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

void ns_enter(void)
{
	ck_assert_msg(unshare(CLONE_NEWNET | CLONE_NEWNS) == 0, "unshare: %s", strerror(errno));
	ck_assert(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0);
	ck_assert_msg(mount("tmpfs", "/run", "tmpfs", 0, "mode=0755") == 0, "mount /run: %s",
		      strerror(errno));
	mkdir(NS_DIR, 0755);
	ck_assert_msg(mount("tmpfs", NS_DIR, "tmpfs", 0, "mode=0755") == 0, "mount %s: %s",
		      NS_DIR, strerror(errno));
	/* racoon's state folder (LOCALSTATEDIR/lib/racoon) must not reach the host either. */
	ck_assert_msg(mount("tmpfs", "/var/lib", "tmpfs", 0, "mode=0755") == 0, "mount /var/lib: %s",
		      strerror(errno));
	ck_assert_int_eq(ns_sh("ip link set lo up"), 0);
}

const char *ns_racoon(void)
{
	static char path[4096];
	const char *b = getenv("top_builddir");
	snprintf(path, sizeof(path), "%s/racoon", b ? b : ".");
	return path;
}

void ns_write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	fputs(text, f);
	ck_assert(fclose(f) == 0);
}

char *ns_read_file(const char *path)
{
	FILE *f = fopen(path, "re");
	if (!f)
		return NULL;
	size_t cap = 4096, len = 0;
	char *s = malloc(cap);
	size_t n;
	while (s && (n = fread(s + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (cap - len < 2) {
			char *t = realloc(s, cap * 2);
			if (!t) {
				free(s);
				s = NULL;
				break;
			}
			s = t;
			cap *= 2;
		}
	}
	fclose(f);
	if (s)
		s[len] = '\0';
	return s;
}

void ns_spawn(struct ns_proc *p, char *const argv[], char *const env[], const char *out_path)
{
	fflush(NULL);
	pid_t pid = fork();
	ck_assert(pid >= 0);
	if (pid == 0) {
		if (out_path) {
			int fd = open(out_path, O_WRONLY | O_CREAT | O_APPEND, 0644);
			if (fd < 0)
				_exit(126);
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
			close(fd);
		}
		/* Nothing of the test's environment may pretend to be systemd. */
		unsetenv("NOTIFY_SOCKET");
		unsetenv("LISTEN_FDS");
		unsetenv("LISTEN_PID");
		unsetenv("LISTEN_FDNAMES");
		unsetenv("WATCHDOG_USEC");
		unsetenv("WATCHDOG_PID");
		unsetenv("JOURNAL_STREAM");
		for (size_t i = 0; env && env[i]; i++)
			putenv(env[i]);
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		execvp(argv[0], argv);
		_exit(127);
	}
	p->pid = pid;
}

int ns_wait(struct ns_proc *p)
{
	int st;
	/* Bounded: 1500 x 20 ms, then the process is killed and the test fails below. */
	for (int i = 0; i < 1500; i++) {
		pid_t r = waitpid(p->pid, &st, WNOHANG);
		if (r == p->pid) {
			p->pid = 0;
			return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		}
		usleep(20000);
	}
	kill(p->pid, SIGKILL);
	waitpid(p->pid, &st, 0);
	p->pid = 0;
	ck_abort_msg("process did not exit in time");
	return -1;
}

bool ns_wait_for_text(const char *path, const char *needle, int tries)
{
	for (int i = 0; i < tries; i++) {
		char *s = ns_read_file(path);
		bool found = s && strstr(s, needle);
		free(s);
		if (found)
			return true;
		usleep(20000);
	}
	return false;
}

bool ns_wait_for_file(const char *path, int tries)
{
	for (int i = 0; i < tries; i++) {
		if (access(path, F_OK) == 0)
			return true;
		usleep(20000);
	}
	return false;
}

static int count_port(const char *table, unsigned port)
{
	FILE *f = fopen(table, "re");
	if (!f)
		return 0;
	char line[512];
	int n = 0;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');        /* after "sl" */
		colon = colon ? strchr(colon + 1, ':') : NULL; /* local address:port */
		unsigned p;
		if (colon && sscanf(colon + 1, "%x", &p) == 1 && p == port)
			n++;
	}
	fclose(f);
	return n;
}

int ns_udp_sockets_on_port(unsigned port)
{
	return count_port("/proc/net/udp", port) + count_port("/proc/net/udp6", port);
}

int ns_udp_send(const char *addr, unsigned port, const void *data, size_t len)
{
	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof(ss));
	socklen_t sl;
	struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
	if (inet_pton(AF_INET, addr, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons((uint16_t)port);
		sl = sizeof(*a4);
	} else if (inet_pton(AF_INET6, addr, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)port);
		sl = sizeof(*a6);
	} else {
		return -EINVAL;
	}
	int fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	ssize_t n = sendto(fd, data, len, 0, (struct sockaddr *)&ss, sl);
	int r = n == (ssize_t)len ? 0 : -errno;
	close(fd);
	return r;
}

int ns_notify_open(const char *path)
{
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ck_assert(fd >= 0);
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	ck_assert(strlen(path) < sizeof(sa.sun_path));
	strcpy(sa.sun_path, path);
	unlink(path);
	ck_assert_msg(bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0, "bind %s: %s", path,
		      strerror(errno));
	chmod(path, 0777);
	int on = 1;
	ck_assert(setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &on, sizeof(on)) == 0);
	return fd;
}

bool ns_notify_next(int fd, char *buf, size_t n, pid_t *sender, int tries)
{
	for (int i = 0; i < tries; i++) {
		struct iovec iov = { buf, n - 1 };
		union {
			char b[CMSG_SPACE(sizeof(struct ucred))];
			struct cmsghdr align;
		} cb;
		struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cb.b,
				    .msg_controllen = sizeof(cb.b) };
		ssize_t k = recvmsg(fd, &m, MSG_DONTWAIT);
		if (k < 0) {
			usleep(20000);
			continue;
		}
		buf[k] = '\0';
		if (sender)
			*sender = 0;
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
			if (sender && c->cmsg_level == SOL_SOCKET &&
			    c->cmsg_type == SCM_CREDENTIALS) {
				struct ucred uc;
				memcpy(&uc, CMSG_DATA(c), sizeof(uc));
				*sender = uc.pid;
			}
		return true;
	}
	return false;
}

bool ns_notify_has(const char *msg, const char *line)
{
	size_t l = strlen(line);
	for (const char *p = msg; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (len == l && memcmp(p, line, l) == 0)
			return true;
		p = nl ? nl + 1 : NULL;
	}
	return false;
}

bool ns_notify_wait(int fd, const char *line, char *log, size_t logn, int tries)
{
	char m[4096];
	/* Bounded in messages too: watchdog pings must not keep the wait alive forever. */
	for (int k = 0; k < 1000 && ns_notify_next(fd, m, sizeof(m), NULL, tries); k++) {
		size_t used = strlen(log);
		snprintf(log + used, logn - used, "%s|", m);
		if (ns_notify_has(m, line))
			return true;
	}
	return false;
}

void ns_journald_start(struct ns_proc *j)
{
	/* journald must not find the host's persistent journal: /var/log is ours too. */
	ck_assert(mount("tmpfs", "/var/log", "tmpfs", 0, "mode=0755") == 0);
	char *argv[] = { "/lib/systemd/systemd-journald", NULL };
	ns_spawn(j, argv, NULL, NS_DIR "/journald.out");
	ck_assert_msg(ns_wait_for_file("/run/systemd/journal/socket", 500),
		      "journald did not start");
}

void ns_journald_stop(struct ns_proc *j)
{
	kill(j->pid, SIGTERM);
	ns_wait(j);
}

char *ns_journal_json(const char *match, const char *needle)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd),
		 "journalctl -q -D /run/log/journal -o json %s > " NS_DIR "/j.json 2>&1", match);
	for (int i = 0; i < 250; i++) {
		ns_sh("%s", cmd);
		char *s = ns_read_file(NS_DIR "/j.json");
		if (s && strstr(s, needle))
			return s;
		free(s);
		usleep(20000);
	}
	return ns_read_file(NS_DIR "/j.json");
}
