/* log: journal / syslog / file sinks behind log_msg(). */
#include "log/log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#define SD_JOURNAL_SUPPRESS_LOCATION
#include <systemd/sd-journal.h>

#include "common/hexdump.h"

enum sink { SINK_SYSLOG, SINK_JOURNAL, SINK_FILE };

static struct {
	enum sink sink;
	FILE *file;
	bool stdout_copy;
	bool location;
	int debug;
	int verbose;
	enum log_level config_level;
	char ident[64];
	char path[4096]; /* -l file, for log_reopen() */
} L = { .sink = SINK_SYSLOG, .config_level = LL_INFO, .ident = "racoon" };

static const char *const level_names[] = {
	[LL_ERROR] = "error", [LL_WARNING] = "warning", [LL_NOTIFY] = "notify",
	[LL_INFO] = "info",   [LL_DEBUG] = "debug",     [LL_DEBUG2] = "debug2",
};

static const int level_prio[] = {
	[LL_ERROR] = LOG_ERR,   [LL_WARNING] = LOG_WARNING, [LL_NOTIFY] = LOG_NOTICE,
	[LL_INFO] = LOG_INFO,   [LL_DEBUG] = LOG_DEBUG,     [LL_DEBUG2] = LOG_DEBUG,
};

const char *log_level_name(enum log_level lvl)
{
	return (unsigned)lvl <= LL_DEBUG2 ? level_names[lvl] : "?";
}

int log_level_parse(const char *s)
{
	for (int i = LL_ERROR; i <= LL_DEBUG2; i++)
		if (strcmp(s, level_names[i]) == 0)
			return i;
	return -1;
}

/* stdout already is the journal when JOURNAL_STREAM names its device and inode. */
static bool stdout_is_journal(void)
{
	const char *e = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;
	if (!e || sscanf(e, "%llu:%llu", &dev, &ino) != 2 || fstat(STDOUT_FILENO, &st) < 0)
		return false;
	return (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

int log_open(const struct log_options *o)
{
	log_close();
	snprintf(L.ident, sizeof(L.ident), "%s", o->ident ? o->ident : "racoon");
	L.location = o->location_prefix;
	L.debug = o->debug;
	L.verbose = o->verbose;
	L.stdout_copy = o->foreground_copy && !stdout_is_journal();
	if (o->file) {
		if (strlen(o->file) >= sizeof(L.path))
			return -ENAMETOOLONG;
		L.file = fopen(o->file, "ae");
		if (!L.file)
			return -errno;
		setvbuf(L.file, NULL, _IOLBF, 0);
		snprintf(L.path, sizeof(L.path), "%s", o->file);
		L.sink = SINK_FILE;
	} else {
		const char *sock = o->journal_socket ? o->journal_socket : "/run/systemd/journal/socket";
		if (access(sock, W_OK) == 0) {
			L.sink = SINK_JOURNAL;
		} else {
			L.sink = SINK_SYSLOG;
			openlog(L.ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
		}
	}
	if (L.stdout_copy)
		setvbuf(stdout, NULL, _IOLBF, 0);
	return 0;
}

void log_close(void)
{
	if (L.file)
		fclose(L.file);
	L.file = NULL;
	if (L.sink == SINK_SYSLOG)
		closelog();
	L.sink = SINK_SYSLOG;
}

int log_reopen(void)
{
	if (L.sink != SINK_FILE)
		return 0;
	/* Open the new file first: on failure keep logging to the old one. */
	FILE *f = fopen(L.path, "ae");
	if (!f)
		return -errno;
	setvbuf(f, NULL, _IOLBF, 0);
	fclose(L.file);
	L.file = f;
	return 0;
}

const char *log_sink_name(void)
{
	return L.sink == SINK_FILE ? "file" : L.sink == SINK_JOURNAL ? "journal" : "syslog";
}

void log_set_config_level(enum log_level lvl)
{
	L.config_level = lvl;
}

enum log_level log_level_get(void)
{
	int l = (int)L.config_level + L.debug;
	return l > LL_DEBUG2 ? LL_DEBUG2 : (enum log_level)l;
}

bool log_enabled(enum log_level lvl)
{
	return lvl <= log_level_get();
}

bool log_secrets_enabled(void)
{
	return log_level_get() >= LL_DEBUG2;
}

int log_verbose(void)
{
	return L.verbose;
}

/* Peer context as "a[500]<=>b[500] " and as journal fields. */
static void ctx_text(const struct log_ctx *c, char *out, size_t n)
{
	char r[ADDR_PORT_STRLEN], l[ADDR_PORT_STRLEN];
	out[0] = '\0';
	if (!c || !c->remote)
		return;
	if (c->local)
		snprintf(out, n, "%s<=>%s ", addr_ntop_port(c->local, l), addr_ntop_port(c->remote, r));
	else
		snprintf(out, n, "%s ", addr_ntop_port(c->remote, r));
}

#define MAX_FIELDS 16
#define FIELD_LEN 128

static void journal_send(enum log_level lvl, const char *subsys, const struct log_ctx *c,
			 const char *msgid, const char *file, int line, const char *func,
			 const char *msg)
{
	char f[MAX_FIELDS][FIELD_LEN];
	struct iovec iov[MAX_FIELDS + 1];
	int n = 0;
	char *message = NULL;
	if (asprintf(&message, "MESSAGE=%s", msg) < 0)
		return;
	iov[n++] = (struct iovec){ message, strlen(message) };
#define FIELD(...)                                                                  \
	do {                                                                        \
		snprintf(f[n], FIELD_LEN, __VA_ARGS__);                             \
		iov[n] = (struct iovec){ f[n], strlen(f[n]) };                      \
		n++;                                                                \
	} while (0)
	FIELD("PRIORITY=%d", level_prio[lvl]);
	FIELD("SYSLOG_IDENTIFIER=%s", L.ident);
	FIELD("SYSLOG_FACILITY=%d", LOG_DAEMON >> 3);
	FIELD("RACOON_SUBSYSTEM=%s", subsys);
	if (msgid)
		FIELD("MESSAGE_ID=%s", msgid);
	if (c) {
		char a[ADDR_STRLEN];
		if (c->remote) {
			FIELD("REMOTE_ADDR=%s", addr_ntop(c->remote, a));
			FIELD("REMOTE_PORT=%u", addr_port(c->remote));
		}
		if (c->local)
			FIELD("LOCAL_ADDR=%s", addr_ntop(c->local, a));
		if (c->icookie) {
			char ic[17], rc[17] = "0000000000000000";
			hex_encode(c->icookie, 8, ic, sizeof(ic));
			if (c->rcookie)
				hex_encode(c->rcookie, 8, rc, sizeof(rc));
			FIELD("ISAKMP_COOKIES=%s:%s", ic, rc);
		}
		if (c->phase)
			FIELD("PHASE=%d", c->phase);
		if (c->spi)
			FIELD("SPI=%08x", c->spi);
	}
#undef FIELD
	char cf[FIELD_LEN], cl[32], fn[FIELD_LEN];
	snprintf(cf, sizeof(cf), "CODE_FILE=%s", file);
	snprintf(cl, sizeof(cl), "CODE_LINE=%d", line);
	snprintf(fn, sizeof(fn), "%s", func);
	/* sendv_with_location: the optional peer fields need a variable field list. */
	sd_journal_sendv_with_location(cf, cl, fn, iov, n);
	free(message);
}

void log_msgv(enum log_level lvl, const char *subsys, const struct log_ctx *ctx,
	      const char *message_id, const char *file, int line, const char *func,
	      const char *fmt, va_list ap)
{
	char body[2048], peer[2 * ADDR_PORT_STRLEN + 8], loc[256] = "";
	if ((unsigned)lvl > LL_DEBUG2)
		lvl = LL_DEBUG2;
	vsnprintf(body, sizeof(body), fmt, ap);
	ctx_text(ctx, peer, sizeof(peer));
	if (L.location)
		snprintf(loc, sizeof(loc), "%s:%d:%s(): ", file, line, func);
	char line_text[2560];
	snprintf(line_text, sizeof(line_text), "%s%s: %s%s", loc, subsys ? subsys : "racoon", peer,
		 body);

	switch (L.sink) {
	case SINK_JOURNAL:
		journal_send(lvl, subsys ? subsys : "racoon", ctx, message_id, file, line, func,
			     line_text);
		break;
	case SINK_SYSLOG:
		syslog(LOG_DAEMON | level_prio[lvl], "%s: %s", log_level_name(lvl), line_text);
		break;
	case SINK_FILE: {
		char ts[32];
		time_t now = time(NULL);
		struct tm tm;
		localtime_r(&now, &tm);
		strftime(ts, sizeof(ts), "%Y-%m-%d %H:%M:%S", &tm);
		fprintf(L.file, "%s: %s: %s\n", ts, log_level_name(lvl), line_text);
		break;
	}
	}
	if (L.stdout_copy)
		printf("%s: %s\n", log_level_name(lvl), line_text);
}

void log_msg(enum log_level lvl, const char *subsys, const struct log_ctx *ctx,
	     const char *message_id, const char *file, int line, const char *func,
	     const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_msgv(lvl, subsys, ctx, message_id, file, line, func, fmt, ap);
	va_end(ap);
}

void log_hexdump(const char *subsys, const char *title, const void *p, size_t n)
{
	if (!L.verbose || !log_enabled(LL_DEBUG))
		return;
	const uint8_t *b = p;
	log_debug(subsys, "%s (%zu bytes)", title, n);
	for (size_t off = 0; off < n; off += 32) {
		char hex[65];
		size_t k = n - off < 32 ? n - off : 32;
		hex_encode(b + off, k, hex, sizeof(hex));
		log_debug(subsys, "%04zx: %s", off, hex);
	}
}
