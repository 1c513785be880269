/* racoonctl: control a running racoon over its admin socket. */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "admin/proto.h"
#include "admin/server.h"
#include "common/hexdump.h"

#define REPLY_TIMEOUT_MS 30000

static void usage(FILE *f)
{
	fprintf(f,
		"usage: racoonctl [-djl] [-s socket] command [arguments]\n"
		"  -d        print the request in hex on stderr\n"
		"  -j        JSON output (commands that list things)\n"
		"  -l        long output\n"
		"  -s PATH   admin socket (default %s)\n"
		"commands (alias):\n"
		"  reload-config (rc)\n"
		"  show-schedule (sc)\n"
		"  show-event (se)                 stream events until interrupted\n"
		"  show-sa (ss) isakmp|esp|ah|ipsec\n"
		"  flush-sa (fs) isakmp|esp|ah|ipsec\n"
		"  status (st) [-v] [-f text|json]\n"
		"  delete-sa (ds) saopts\n"
		"  establish-sa (es) [-n remote] [-w] saopts\n"
		"  vpn-connect (vc) gateway\n"
		"  vpn-disconnect (vd) gateway\n"
		"  logout-user (lu) login\n"
		"  get-cert (gc) inet|inet6 src dst\n"
		"saopts: isakmp inet|inet6 SRC DST\n"
		"        esp|ah inet|inet6 SRC[/PLEN[/PORT]] DST[/PLEN[/PORT]] ULPROTO\n",
		ADMIN_DEFAULT_SOCKET);
}

static int connect_to(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "racoonctl: socket path too long: %s\n", path);
		return -1;
	}
	strcpy(sun.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		fprintf(stderr, "racoonctl: cannot connect to %s: %s (is racoon running?)\n", path,
			strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static int read_full(int fd, void *p, size_t n, int timeout_ms)
{
	size_t got = 0;
	while (got < n) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int r = poll(&pfd, 1, timeout_ms);
		if (r < 0 && errno == EINTR)
			return -EINTR;
		if (r <= 0)
			return r == 0 ? -ETIMEDOUT : -errno;
		ssize_t k = read(fd, (uint8_t *)p + got, n - got);
		if (k < 0 && errno == EINTR)
			return -EINTR;
		if (k <= 0)
			return k == 0 ? -ECONNRESET : -errno;
		got += (size_t)k;
	}
	return 0;
}

/* One reply frame: status (0 or errno), body in *body (malloc'd, NUL-terminated). */
static int read_reply(int fd, int timeout_ms, uint16_t *flags, int *status, char **body)
{
	uint8_t h[ADMIN_HDR_LEN];
	struct admin_hdr hdr;
	int r = read_full(fd, h, sizeof(h), timeout_ms);
	if (r < 0)
		return r;
	r = admin_hdr_parse(h, sizeof(h), ADMIN_MAGIC_REPLY, ADMIN_MAX_REPLY, &hdr);
	if (r < 0 || hdr.length < 4)
		return -EPROTO;
	uint8_t *p = malloc(hdr.length + 1);
	if (!p)
		return -ENOMEM;
	r = read_full(fd, p, hdr.length, timeout_ms);
	if (r < 0) {
		free(p);
		return r;
	}
	*status = (int)((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]);
	memmove(p, p + 4, hdr.length - 4);
	p[hdr.length - 4] = '\0';
	*body = (char *)p;
	*flags = hdr.flags;
	return 0;
}

static int send_request(int fd, int argc, char **argv, bool dump)
{
	struct buf req;
	buf_init(&req, ADMIN_MAX_REQUEST + ADMIN_HDR_LEN);
	int r = admin_request_build(&req, argc, argv);
	if (r == 0 && dump) {
		char hex[2 * (ADMIN_MAX_REQUEST + ADMIN_HDR_LEN) + 1];
		fprintf(stderr, "%s\n", hex_encode(req.ptr, req.len, hex, sizeof(hex)));
	}
	if (r == 0 && send(fd, req.ptr, req.len, MSG_NOSIGNAL) != (ssize_t)req.len)
		r = -errno;
	buf_free(&req);
	return r;
}

/* One request, one reply. Returns the reply status (its flags in *rflags), or a negative
 * errno. */
static int transact(const char *sock, int argc, char **argv, bool dump, bool quiet, char **out,
		    uint16_t *rflags)
{
	int fd = connect_to(sock);
	if (fd < 0)
		return -ECONNREFUSED;
	int r = send_request(fd, argc, argv, dump);
	uint16_t flags = 0;
	int status = 0;
	char *body = NULL;
	if (r == 0)
		r = read_reply(fd, REPLY_TIMEOUT_MS, &flags, &status, &body);
	close(fd);
	if (r < 0) {
		fprintf(stderr, "racoonctl: no valid reply from racoon: %s\n", strerror(-r));
		return r;
	}
	if (!quiet) {
		fputs(body, status ? stderr : stdout);
		fflush(status ? stderr : stdout);
	}
	if (rflags)
		*rflags = flags;
	if (out)
		*out = body;
	else
		free(body);
	return status;
}

static volatile sig_atomic_t interrupted;
static void on_sigint(int sig) { interrupted = sig; }

static int stream_events(const char *sock, int argc, char **argv, bool dump)
{
	int fd = connect_to(sock);
	if (fd < 0 || send_request(fd, argc, argv, dump) < 0)
		return 1;
	struct sigaction sa = { .sa_handler = on_sigint };
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	while (!interrupted) {
		uint16_t flags;
		int status;
		char *body;
		int r = read_reply(fd, -1, &flags, &status, &body);
		if (r < 0)
			break;
		fputs(body, status ? stderr : stdout);
		fflush(stdout);
		free(body);
		if (status || !(flags & ADMIN_FLAG_MORE))
			break;
	}
	close(fd);
	return interrupted ? 0 : 1;
}

/* establish-sa -w: poll until an established SA with the peer shows up (bounded). */
static int wait_established(const char *sock, bool isakmp, const char *peer, int tries)
{
	char *argv[] = { "-j", "show-sa", isakmp ? "isakmp" : "ipsec" };
	char want[192];
	snprintf(want, sizeof(want), "\"remote_address\":\"%s\"", peer);
	for (int i = 0; i < tries; i++) { /* 120 tries: 60 s */
		char *body = NULL;
		if (transact(sock, 3, argv, false, true, &body, NULL) == 0 && body) {
			for (char *o = strchr(body, '{'); o; o = strchr(o + 1, '{')) {
				char *end = strchr(o, '}');
				size_t n = end ? (size_t)(end - o) : strlen(o);
				char *hit = strstr(o, want), *est = strstr(o, "\"established\":true");
				if (hit && est && (size_t)(hit - o) < n && (size_t)(est - o) < n) {
					free(body);
					printf("established\n");
					return 0;
				}
			}
		}
		free(body);
		if (i + 1 == tries)
			break;
		struct timespec ts = { 0, 500 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	if (tries > 1)
		fprintf(stderr, "racoonctl: no SA with %s established within 60 s\n", peer);
	return 1;
}

/* A show-event subscription (JSON lines) opened before establish-sa, so -w sees the SA
 * come up or the negotiation fail. -1 when racoon does not stream events. */
static int subscribe(const char *sock)
{
	char *argv[] = { "-j", "show-event" };
	int fd = connect_to(sock);
	if (fd < 0)
		return -1;
	uint16_t flags = 0;
	int status = -1;
	char *body = NULL;
	if (send_request(fd, 2, argv, false) < 0 ||
	    read_reply(fd, REPLY_TIMEOUT_MS, &flags, &status, &body) < 0 || status ||
	    !(flags & ADMIN_FLAG_MORE)) {
		free(body);
		close(fd);
		return -1;
	}
	free(body);
	return fd;
}

static long ms_left(const struct timespec *deadline)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	long ms = (deadline->tv_sec - now.tv_sec) * 1000 + (deadline->tv_nsec - now.tv_nsec) / 1000000;
	return ms > 0 ? ms : 0;
}

/* Events until the SA with peer is up (0) or its negotiation failed or 60 s passed (1). */
static int wait_events(int fd, bool isakmp, const char *peer)
{
	char who[192];
	snprintf(who, sizeof(who), "\"remote_address\":\"%s\"", peer);
	const char *up = isakmp ? "\"event\":\"phase1-up\"" : "\"event\":\"phase2-up\"";
	struct timespec deadline;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += 60;
	for (long left; (left = ms_left(&deadline)) > 0;) {
		uint16_t flags;
		int status;
		char *body;
		if (read_reply(fd, (int)left, &flags, &status, &body) < 0)
			break;
		bool mine = strstr(body, who) != NULL;
		bool failed = strstr(body, "\"event\":\"phase1-failed\"") ||
			      (!isakmp && strstr(body, "\"event\":\"phase2-failed\""));
		if (mine && (strstr(body, up) || failed)) {
			if (failed)
				fprintf(stderr, "racoonctl: the negotiation failed: %s", body);
			else
				printf("established\n");
			free(body);
			return failed ? 1 : 0;
		}
		free(body);
		if (status || !(flags & ADMIN_FLAG_MORE))
			break;
	}
	fprintf(stderr, "racoonctl: no SA with %s established within 60 s\n", peer);
	return 1;
}

/* establish-sa [-u id] [-n remote] [-w] saopts: with -w, the saopts (index into argv,
 * the arguments after the command), else -1. */
static int establish_saopts(int argc, char **argv)
{
	bool wait = false;
	int i = 0;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-w"))
			wait = true;
		else if (!strcmp(argv[i], "-n") || !strcmp(argv[i], "-u"))
			i++;
	}
	return wait && argc - i >= 4 ? i : -1; /* saopts: KIND FAMILY SRC DST [ULPROTO] */
}

/* After establish-sa -w succeeded: already up, or wait for the events (polling when
 * there is no event stream). */
static int establish_wait(const char *sock, int evfd, char **saopts)
{
	char host[160];
	snprintf(host, sizeof(host), "%s", saopts[3]);
	host[strcspn(host, "/")] = '\0';
	bool isakmp = !strcmp(saopts[0], "isakmp");
	int r;
	if (evfd < 0)
		r = wait_established(sock, isakmp, host, 120);
	else if (wait_established(sock, isakmp, host, 1) == 0)
		r = 0;
	else
		r = wait_events(evfd, isakmp, host);
	if (evfd >= 0)
		close(evfd);
	return r;
}

static const char *canonical(const char *cmd)
{
	static const char *const alias[][2] = {
		{ "rc", "reload-config" }, { "sc", "show-schedule" }, { "se", "show-event" },
		{ "ss", "show-sa" },       { "fs", "flush-sa" },      { "st", "status" },
		{ "ds", "delete-sa" },     { "es", "establish-sa" },  { "vc", "vpn-connect" },
		{ "vd", "vpn-disconnect" }, { "lu", "logout-user" },  { "gc", "get-cert" },
	};
	for (size_t i = 0; i < sizeof(alias) / sizeof(alias[0]); i++)
		if (!strcmp(cmd, alias[i][0]) || !strcmp(cmd, alias[i][1]))
			return alias[i][1];
	return NULL;
}

int main(int argc, char **argv)
{
	const char *sock = ADMIN_DEFAULT_SOCKET;
	bool dump = false, json = false;
	int c;
	while ((c = getopt(argc, argv, "+djls:h")) != -1) {
		switch (c) {
		case 'd': dump = true; break;
		case 'j': json = true; break;
		case 'l': break; /* long output is the only output */
		case 's': sock = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	const char *cmd = canonical(argv[optind]);
	if (!cmd) {
		fprintf(stderr, "racoonctl: unknown command \"%s\"\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	int n = argc - optind;
	if (n + 1 > ADMIN_MAX_ARGS) {
		fprintf(stderr, "racoonctl: too many arguments\n");
		return 2;
	}
	char *args[ADMIN_MAX_ARGS];
	int k = 0;
	if (json)
		args[k++] = "-j";
	args[k++] = (char *)cmd;
	for (int i = optind + 1; i < argc; i++)
		args[k++] = argv[i];
	if (!strcmp(cmd, "show-event"))
		return stream_events(sock, k, args, dump);
	int so = strcmp(cmd, "establish-sa") ? -1 : establish_saopts(argc - optind - 1, argv + optind + 1);
	int evfd = so >= 0 ? subscribe(sock) : -1;
	uint16_t rflags = 0;
	int st = transact(sock, k, args, dump, false, NULL, &rflags);
	if (st != 0) {
		if (evfd >= 0)
			close(evfd);
		return st > 0 && (rflags & ADMIN_FLAG_USAGE) ? 2 : 1;
	}
	return so >= 0 ? establish_wait(sock, evfd, argv + optind + 1 + so) : 0;
}
