/* log: one logging call for all of racoon, with subsystem, level and peer context.
 *
 * Sinks: the systemd journal (structured fields, CODE_FILE/LINE/FUNC of the caller) when
 * its socket exists, else syslog(LOG_DAEMON); a file instead of both with -l; with -F a
 * copy on stdout unless stdout already is the journal (JOURNAL_STREAM).
 * Key material is logged only at LL_DEBUG2 (log_secrets_enabled()).
 */
#ifndef RACOON_LOG_LOG_H
#define RACOON_LOG_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "common/addr.h"

/* racoon.conf's `log` levels, lowest first. */
enum log_level {
	LL_ERROR = 0,
	LL_WARNING,
	LL_NOTIFY,
	LL_INFO,
	LL_DEBUG,
	LL_DEBUG2,
};

/* What an event is about; every member optional (NULL / 0). */
struct log_ctx {
	const union sockaddr_any *remote;
	const union sockaddr_any *local;
	const uint8_t *icookie; /* 8 bytes */
	const uint8_t *rcookie; /* 8 bytes */
	int phase;              /* 1 or 2, 0 = none */
	uint32_t spi;           /* host order, 0 = none */
};

/* Fixed 128-bit MESSAGE_IDs for IKE events (listed in racoon(8)). */
#define LOG_MSGID_PH1_ESTABLISHED "4d2b8a0c51e54c52a1f0a3c6f1e7b101"
#define LOG_MSGID_PH1_EXPIRED "4d2b8a0c51e54c52a1f0a3c6f1e7b102"
#define LOG_MSGID_PH1_DELETED "4d2b8a0c51e54c52a1f0a3c6f1e7b103"
#define LOG_MSGID_PH1_DEAD "4d2b8a0c51e54c52a1f0a3c6f1e7b104"
#define LOG_MSGID_PH2_ESTABLISHED "4d2b8a0c51e54c52a1f0a3c6f1e7b201"
#define LOG_MSGID_PH2_EXPIRED "4d2b8a0c51e54c52a1f0a3c6f1e7b202"
#define LOG_MSGID_PH2_DELETED "4d2b8a0c51e54c52a1f0a3c6f1e7b203"
#define LOG_MSGID_NEGOTIATION_FAILED "4d2b8a0c51e54c52a1f0a3c6f1e7b301"

struct log_options {
	const char *ident;      /* SYSLOG_IDENTIFIER, default "racoon" */
	const char *file;       /* -l: log to this file only */
	bool foreground_copy;   /* -F: also copy lines to stdout */
	bool location_prefix;   /* -L: prefix file:line:function */
	int debug;              /* -d count */
	int verbose;            /* -v count: packet dumps */
	const char *journal_socket; /* tests: override /run/systemd/journal/socket */
};

int log_open(const struct log_options *o); /* 0 or negative errno (file open) */
void log_close(void);
/* SIGHUP: reopen the -l file (after logrotate moved it). 0 or negative errno; on
 * failure the old file stays in use. */
int log_reopen(void);
/* racoon.conf's `log` level; the effective level is this plus the -d count. */
void log_set_config_level(enum log_level lvl);
enum log_level log_level_get(void);
bool log_enabled(enum log_level lvl);
bool log_secrets_enabled(void); /* LL_DEBUG2: keys may be printed */
int log_verbose(void);          /* -v count */
const char *log_level_name(enum log_level lvl);
int log_level_parse(const char *s); /* name -> level, or -1 */
/* Which sink is in use: "journal", "syslog" or "file". */
const char *log_sink_name(void);

void log_msg(enum log_level lvl, const char *subsys, const struct log_ctx *ctx,
	     const char *message_id, const char *file, int line, const char *func,
	     const char *fmt, ...) __attribute__((format(printf, 8, 9)));
void log_msgv(enum log_level lvl, const char *subsys, const struct log_ctx *ctx,
	      const char *message_id, const char *file, int line, const char *func,
	      const char *fmt, va_list ap) __attribute__((format(printf, 8, 0)));

#define LOG_AT(lvl, subsys, ctx, msgid, ...)                                                \
	do {                                                                                \
		if (log_enabled(lvl))                                                       \
			log_msg(lvl, subsys, ctx, msgid, __FILE__, __LINE__, __func__,      \
				__VA_ARGS__);                                               \
	} while (0)

#define log_error(subsys, ...) LOG_AT(LL_ERROR, subsys, NULL, NULL, __VA_ARGS__)
#define log_warning(subsys, ...) LOG_AT(LL_WARNING, subsys, NULL, NULL, __VA_ARGS__)
#define log_notify(subsys, ...) LOG_AT(LL_NOTIFY, subsys, NULL, NULL, __VA_ARGS__)
#define log_info(subsys, ...) LOG_AT(LL_INFO, subsys, NULL, NULL, __VA_ARGS__)
#define log_debug(subsys, ...) LOG_AT(LL_DEBUG, subsys, NULL, NULL, __VA_ARGS__)
#define log_debug2(subsys, ...) LOG_AT(LL_DEBUG2, subsys, NULL, NULL, __VA_ARGS__)
/* With peer context and an optional MESSAGE_ID (NULL for none). */
#define log_ctx(lvl, subsys, ctx, msgid, ...) LOG_AT(lvl, subsys, ctx, msgid, __VA_ARGS__)

/* -v packet dump at LL_DEBUG: a title and bytes as hex lines. */
void log_hexdump(const char *subsys, const char *title, const void *p, size_t n);

#endif
