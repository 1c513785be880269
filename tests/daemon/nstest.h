/* nstest: helpers for daemon integration tests that run racoon in private namespaces.
 *
 * Each Check test runs in its own forked child (CK_FORK). ns_enter() moves that child into
 * a new network namespace (only lo, brought up) and a private mount namespace with a
 * fresh tmpfs on /run, /var/lib and /tmp/racoon-test: nothing a test does reaches the host, and the
 * kernel deletes the namespaces when the test's processes exit, also on failure.
 */
#ifndef RACOON_TESTS_NSTEST_H
#define RACOON_TESTS_NSTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define NS_DIR "/tmp/racoon-test" /* a tmpfs inside the test's mount namespace */

/* Exit 77 (automake SKIP: not counted as a pass) unless root with namespaces. */
void ns_require_root(void);
/* New netns + mount ns as described above; aborts the test on failure. */
void ns_enter(void);
/* Run a shell command; returns its exit status (or -1). */
int ns_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Path of the built racoon (from $top_builddir). */
const char *ns_racoon(void);
/* Write text into a file (created 0644). */
void ns_write_file(const char *path, const char *text);
/* Read a whole file (NUL-terminated, caller frees); NULL when it cannot be read. */
char *ns_read_file(const char *path);

struct ns_proc {
	pid_t pid;
};
/* Start argv[0] with extra environment entries ("K=V", NULL-terminated, may be NULL);
 * stdout and stderr go to out_path (NULL: inherited). */
void ns_spawn(struct ns_proc *p, char *const argv[], char *const env[], const char *out_path);
/* Wait for exit: returns the exit status, or 128+signal. Bounded: kills after ~30 s. */
int ns_wait(struct ns_proc *p);
/* Poll (every 20 ms, at most `tries` times) until path contains needle. */
bool ns_wait_for_text(const char *path, const char *needle, int tries);
/* Poll until path exists. */
bool ns_wait_for_file(const char *path, int tries);
/* Count sockets in /proc/net/udp and /proc/net/udp6 bound to a local port. */
int ns_udp_sockets_on_port(unsigned port);
/* Send one UDP datagram to addr:port from a fresh socket; 0 or -errno. */
int ns_udp_send(const char *addr, unsigned port, const void *data, size_t len);

/* A NOTIFY_SOCKET of our own: bound at path (mode 0777, so unprivileged racoons can send). */
int ns_notify_open(const char *path);
/* Next notification (NUL-terminated) and its sender's pid; false after `tries` polls of
 * 20 ms without one. */
bool ns_notify_next(int fd, char *buf, size_t n, pid_t *sender, int tries);
/* Wait for a notification holding line (e.g. "READY=1"), appending every message seen
 * to log (a "|"-separated record for assertion messages). */
bool ns_notify_wait(int fd, const char *line, char *log, size_t logn, int tries);
/* True when the message has line as one of its newline-separated assignments. */
bool ns_notify_has(const char *msg, const char *line);

/* A real systemd-journald in the test's namespaces (tmpfs /run and /var/log): returns
 * once its socket exists. Stop it with ns_journald_stop. */
void ns_journald_start(struct ns_proc *j);
void ns_journald_stop(struct ns_proc *j);
/* `journalctl -o json MATCH...` on that journal, polled (bounded) until the output holds
 * needle; returns the output (caller frees), or what it last saw. */
char *ns_journal_json(const char *match, const char *needle);

#endif
