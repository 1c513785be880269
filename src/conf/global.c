/* conf/global: top-level statements and the small global blocks (path, log, padding,
 * timer, listen, privsep, kernel_interface, ...). */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "conf/parser.h"
#include "log/log.h"

/* ---- path ------------------------------------------------------------------------ */

enum { P_BACKUPSA, P_CERTIFICATE, P_INCLUDE, P_PIDFILE, P_PRE_SHARED_KEY, P_SCRIPT };
static const struct kw kw_path[] = {
	{ "backupsa", P_BACKUPSA }, { "certificate", P_CERTIFICATE }, { "include", P_INCLUDE },
	{ "pidfile", P_PIDFILE },   { "pre_shared_key", P_PRE_SHARED_KEY }, { "script", P_SCRIPT },
};

static bool st_path(struct parser *p)
{
	int which;
	if (!GET_KW(p, kw_path, "a path type", &which))
		return false;
	struct conf_paths *ps = &p->conf->paths;
	char **slot[] = {
		[P_BACKUPSA] = &ps->backupsa, [P_CERTIFICATE] = &ps->certificate,
		[P_INCLUDE] = &ps->include,   [P_PIDFILE] = &ps->pidfile,
		[P_PRE_SHARED_KEY] = &ps->pre_shared_key, [P_SCRIPT] = &ps->script,
	};
	if (!get_string(p, "a quoted path", slot[which]))
		return false;
	if (!**slot[which]) {
		perr(p, "the path is empty");
		return false;
	}
	return expect_semi(p);
}

/* ---- simple global statements ---------------------------------------------------- */

static bool st_log(struct parser *p)
{
	int lvl = p->tok.type == TOK_WORD ? log_level_parse(p->tok.text) : -1;
	if (lvl < 0) {
		static const struct kw levels[] = {
			{ "debug", 0 }, { "debug2", 0 }, { "error", 0 },
			{ "info", 0 },	{ "notify", 0 }, { "warning", 0 },
		};
		int dummy;
		GET_KW(p, levels, "a log level", &dummy);
		return false;
	}
	p->conf->log_level = lvl;
	next(p);
	return expect_semi(p);
}

static bool st_kernel_interface(struct parser *p)
{
	static const struct kw tab[] = { { "pfkey", CONF_KERNEL_PFKEY }, { "xfrm", CONF_KERNEL_XFRM } };
	int v;
	if (!GET_KW(p, tab, "a kernel interface", &v))
		return false;
	p->conf->kernel_interface = (enum conf_kernel_if)v;
	return expect_semi(p);
}

static bool st_pfkey_buffer(struct parser *p)
{
	unsigned long v;
	if (!get_uint(p, "pfkey_buffer (KiB)", 0, 1024 * 1024, &v))
		return false;
	p->conf->pfkey_buffer_kib = (unsigned)v;
	return expect_semi(p);
}

static bool st_gss_id_enc(struct parser *p)
{
	static const struct kw tab[] = { { "latin1", 0 }, { "utf-16le", 1 } };
	int v;
	if (!GET_KW(p, tab, "an encoding", &v))
		return false;
	pwarn(p, "gss_id_enc is not implemented (GSS-API is not supported); ignored");
	return expect_semi(p);
}

static bool st_complex_bundle(struct parser *p)
{
	return get_onoff(p, &p->conf->complex_bundle) && expect_semi(p);
}

/* ---- padding { } and timer { }: generic handlers over the struct fields ------------ */

#define PAD(n, f, ...) { .name = n, .off = offsetof(struct conf_padding, f), __VA_ARGS__ }
static const struct directive padding_dirs[] = {
	PAD("exclusive_tail", exclusive_tail, .fn = dir_onoff),
	PAD("maximum_length", maximum_length, .fn = dir_uint, .max = 255),
	PAD("randomize", randomize, .fn = dir_onoff),
	PAD("randomize_length", randomize_length, .fn = dir_onoff),
	PAD("strict_check", strict_check, .fn = dir_onoff),
};

/* Times: at most a day; 0 only turns keepalives off. */
#define TIM(n, f, ...) { .name = n, .off = offsetof(struct conf_timer, f), __VA_ARGS__ }
static const struct directive timer_dirs[] = {
	TIM("counter", counter, .fn = dir_uint, .max = 1000),
	TIM("interval", interval_s, .fn = dir_time, .min = 1, .max = 86400),
	TIM("natt_keepalive", natt_keepalive_s, .fn = dir_time, .max = 86400),
	TIM("persend", persend, .fn = dir_uint, .max = 10),
	TIM("phase1", phase1_s, .fn = dir_time, .min = 1, .max = 86400),
	TIM("phase2", phase2_s, .fn = dir_time, .min = 1, .max = 86400),
};

/* ---- listen { } ------------------------------------------------------------------ */

static bool ls_addr(struct parser *p, struct conf_listen *l, bool natt)
{
	union sockaddr_any a;
	/* The reference defaults isakmp_natt's port to 500, which is never what anyone
	 * means; we use 4500 (listed in racoon.conf(5)). */
	if (!get_address(p, natt ? "isakmp_natt address" : "isakmp address", natt ? 4500 : 500,
			 &a))
		return false;
	if (addr_port(&a) == 0) {
		perr(p, "port 0 is not a port to listen on");
		return false;
	}
	if (!grow(p, (void **)&l->addrs, &l->n_addrs, sizeof(*l->addrs), 256, "listen addresses"))
		return false;
	l->addrs[l->n_addrs - 1] = (struct conf_listen_addr){ .addr = a, .natt = natt };
	return expect_semi(p);
}
static bool ls_isakmp(struct parser *p, void *o)
{
	return ls_addr(p, o, false);
}
static bool ls_isakmp_natt(struct parser *p, void *o)
{
	return ls_addr(p, o, true);
}
static bool ls_strict_address(struct parser *p, void *o)
{
	((struct conf_listen *)o)->strict_address = true;
	return expect_semi(p);
}

/* The reference reads MODE as decimal digits and converts them digit by digit, mapping
 * the x bits to w bits; we read it as octal, as everybody writes it. */
static bool ls_adminsock(struct parser *p, void *o)
{
	struct conf_adminsock *as = &((struct conf_listen *)o)->adminsock;
	if (at_word(p, "disabled")) {
		next(p);
		as->disabled = true;
		return expect_semi(p);
	}
	as->disabled = false;
	if (!get_string(p, "a quoted socket path or 'disabled'", &as->path))
		return false;
	size_t n = strlen(as->path);
	if (as->path[0] != '/' || strstr(as->path, "/../") ||
	    (n >= 3 && !strcmp(as->path + n - 3, "/.."))) {
		perr(p, "adminsock path must be absolute and must not contain '..'");
		return false;
	}
	if (at(p, TOK_SEMI))
		return expect_semi(p);
	if (!get_word_or_string(p, "the socket owner", &as->owner) ||
	    !get_word_or_string(p, "the socket group", &as->group))
		return false;
	char *end;
	unsigned long mode = strtoul(p->tok.text, &end, 8);
	if (!at(p, TOK_WORD) || *end || !p->tok.text[0] || mode > 0777) {
		perr(p, "expected an octal socket mode such as 0660");
		return false;
	}
	as->mode = (unsigned)mode;
	next(p);
	return expect_semi(p);
}

static const struct directive listen_dirs[] = {
	{ .name = "adminsock", .fn = ls_adminsock },
	{ .name = "isakmp", .fn = ls_isakmp, .repeat = true },
	{ .name = "isakmp_natt", .fn = ls_isakmp_natt, .repeat = true },
	{ .name = "strict_address", .fn = ls_strict_address },
};

/* ---- privsep { } ----------------------------------------------------------------- */

static bool ps_id(struct parser *p, char **name, long *id, const char *what)
{
	if (at(p, TOK_STRING)) {
		if (!get_string(p, what, name))
			return false;
		*id = -1;
	} else {
		unsigned long v;
		if (!get_uint(p, what, 0, 0x7fffffffUL, &v))
			return false;
		free(*name);
		*name = NULL;
		*id = (long)v;
	}
	return expect_semi(p);
}
static bool ps_user(struct parser *p, void *o)
{
	struct conf_privsep *ps = o;
	return ps_id(p, &ps->user, &ps->uid, "a quoted user name or a uid");
}
static bool ps_group(struct parser *p, void *o)
{
	struct conf_privsep *ps = o;
	return ps_id(p, &ps->group, &ps->gid, "a quoted group name or a gid");
}
static bool ps_chroot(struct parser *p, void *o)
{
	return get_string(p, "a quoted directory", &((struct conf_privsep *)o)->chroot) &&
	       expect_semi(p);
}

static const struct directive privsep_dirs[] = {
	{ .name = "chroot", .fn = ps_chroot },
	{ .name = "group", .fn = ps_group },
	{ .name = "user", .fn = ps_user },
};

/* ---- dispatch -------------------------------------------------------------------- */

#define BLOCK_FN(fname, label, tab, member)                                                 \
	static bool fname(struct parser *p)                                                 \
	{                                                                                   \
		if (!expect_lbrace(p))                                                      \
			return false;                                                       \
		parse_block(p, label, tab, sizeof(tab) / sizeof(tab[0]), &p->conf->member); \
		return true;                                                                \
	}
BLOCK_FN(st_padding, "padding", padding_dirs, padding)
BLOCK_FN(st_timer, "timer", timer_dirs, timer)
BLOCK_FN(st_listen, "listen", listen_dirs, listen)
BLOCK_FN(st_privsep, "privsep", privsep_dirs, privsep)

#define VOID_FN(fname, call)                \
	static bool fname(struct parser *p) \
	{                                   \
		call(p);                    \
		return true;                \
	}
VOID_FN(st_remote, parse_remote)
VOID_FN(st_sainfo, parse_sainfo)
VOID_FN(st_mode_cfg, parse_mode_cfg)
VOID_FN(st_ldapcfg, parse_ldapcfg)
VOID_FN(st_radiuscfg, parse_radiuscfg)

static const struct {
	const char *name;
	bool (*fn)(struct parser *p);
} statements[] = {
	{ "complex_bundle", st_complex_bundle }, { "gss_id_enc", st_gss_id_enc },
	{ "kernel_interface", st_kernel_interface }, { "ldapcfg", st_ldapcfg },
	{ "listen", st_listen },		 { "log", st_log },
	{ "mode_cfg", st_mode_cfg },		 { "padding", st_padding },
	{ "path", st_path },			 { "pfkey_buffer", st_pfkey_buffer },
	{ "privsep", st_privsep },		 { "radiuscfg", st_radiuscfg },
	{ "remote", st_remote },		 { "sainfo", st_sainfo },
	{ "timer", st_timer },
};

static int st_cmp(const void *k, const void *e)
{
	return strcmp(k, *(const char *const *)e);
}

/* The current token is a word at the top level. */
void parse_global_statement(struct parser *p)
{
	const size_t n = sizeof(statements) / sizeof(statements[0]);
	typeof(&statements[0]) st = bsearch(p->tok.text, statements, n, sizeof(statements[0]), st_cmp);
	if (!st) {
		perr(p, "unknown statement '%s'%s", p->tok.text,
		     !strcmp(p->tok.text, "ldap_cfg") ? " (the block is called ldapcfg)" : "");
		next(p);
		recover(p);
		return;
	}
	next(p);
	if (!st->fn(p))
		recover(p);
}
