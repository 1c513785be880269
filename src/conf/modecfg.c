/* conf/modecfg: the server-side `mode_cfg` block, and `ldapcfg` / `radiuscfg`, which
 * are parsed for their syntax and then ignored with a warning (we do not talk to LDAP
 * or RADIUS servers; the directives that would make them decide who gets in are
 * refused in mode_cfg). */
#include <arpa/inet.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "conf/parser.h"

#define M_OFF(field) offsetof(struct conf_modecfg, field)

static bool get_in4(struct parser *p, const char *what, struct in_addr *out)
{
	if (!at(p, TOK_WORD) || inet_pton(AF_INET, p->tok.text, out) != 1) {
		if (at(p, TOK_WORD))
			perr(p, "%s: '%s' is not an IPv4 address", what, p->tok.text);
		else if (!at(p, TOK_ERROR))
			perr(p, "expected %s (an IPv4 address)", what);
		return false;
	}
	next(p);
	return true;
}

static bool mc_in4(struct parser *p, void *o)
{
	return get_in4(p, p->cur_dir->name, (struct in_addr *)((char *)o + p->cur_dir->off)) &&
	       expect_semi(p);
}

/* dns4 / wins4: ADDR[, ADDR...], repeatable, with a cap on the total. */
static bool in4_list(struct parser *p, struct in_addr *arr, size_t *n, size_t max)
{
	do {
		if (*n >= max) {
			perr(p, "too many %s servers (at most %zu)", p->cur_dir->name, max);
			return false;
		}
		if (!get_in4(p, p->cur_dir->name, &arr[*n]))
			return false;
		(*n)++;
	} while (at(p, TOK_COMMA) && (next(p), true));
	return expect_semi(p);
}

static bool mc_dns4(struct parser *p, void *o)
{
	struct conf_modecfg *m = o;
	return in4_list(p, m->dns4, &m->n_dns4, CONF_MAX_DNS4);
}

static bool mc_wins4(struct parser *p, void *o)
{
	struct conf_modecfg *m = o;
	return in4_list(p, m->wins4, &m->n_wins4, CONF_MAX_WINS4);
}

static bool mc_split_network(struct parser *p, void *o)
{
	static const struct kw tab[] = { { "include", 0 }, { "local_lan", 1 } };
	struct conf_modecfg *m = o;
	int type;
	if (!GET_KW(p, tab, "include or local_lan", &type))
		return false;
	do {
		char w[TOK_MAX], *slash, *end;
		snprintf(w, sizeof(w), "%s", p->tok.text);
		slash = strchr(w, '/');
		long pfx = slash ? strtol(slash + 1, &end, 10) : -1;
		if (slash)
			*slash = '\0';
		struct in_addr net;
		if (!at(p, TOK_WORD) || !slash || !slash[1] || *end || pfx < 0 || pfx > 32 ||
		    inet_pton(AF_INET, w, &net) != 1) {
			perr(p, "expected an IPv4 network as ADDR/PREFIX");
			return false;
		}
		next(p);
		if (!grow(p, (void **)&m->split_network, &m->n_split_network,
			  sizeof(*m->split_network), CONF_MAX_LIST, "split networks"))
			return false;
		m->split_network[m->n_split_network - 1] =
			(struct conf_split_net){ .local_lan = type, .net = net, .prefixlen = (unsigned)pfx };
	} while (at(p, TOK_COMMA) && (next(p), true));
	return expect_semi(p);
}

static bool mc_split_dns(struct parser *p, void *o)
{
	struct conf_modecfg *m = o;
	do {
		if (!grow(p, (void **)&m->split_dns, &m->n_split_dns, sizeof(*m->split_dns),
			  CONF_MAX_LIST, "split_dns domains"))
			return false;
		if (!get_string(p, "a quoted domain", &m->split_dns[m->n_split_dns - 1]))
			return false;
	} while (at(p, TOK_COMMA) && (next(p), true));
	return expect_semi(p);
}

static bool mc_pfs_group(struct parser *p, void *o)
{
	return get_dh_group(p, &((struct conf_modecfg *)o)->pfs_group) && expect_semi(p);
}

/* Sources and accounting: what we do not implement decides who gets in or which
 * address a client gets, so it is refused; accounting only records, so it warns. */
static bool mc_source(struct parser *p, const char *const *ok, const char *what)
{
	if (!at(p, TOK_WORD)) {
		perr(p, "expected %s", what);
		return false;
	}
	for (; *ok; ok++)
		if (!strcmp(p->tok.text, *ok)) {
			next(p);
			return expect_semi(p);
		}
	static const char *const known[] = { "ldap", "local", "none", "pam", "radius", "system", NULL };
	for (const char *const *k = known; *k; k++)
		if (!strcmp(p->tok.text, *k)) {
			perr(p, "%s %s is refused: it is not implemented", p->cur_dir->name,
			     p->tok.text);
			return false;
		}
	perr(p, "unknown %s '%s'", what, p->tok.text);
	return false;
}

static bool mc_auth_source(struct parser *p, void *o)
{
	(void)o;
	static const char *const ok[] = { "system", NULL };
	return mc_source(p, ok, "an auth_source");
}

static bool mc_group_source(struct parser *p, void *o)
{
	(void)o;
	static const char *const ok[] = { "system", NULL };
	return mc_source(p, ok, "a group_source");
}

static bool mc_conf_source(struct parser *p, void *o)
{
	(void)o;
	static const char *const ok[] = { "local", NULL };
	return mc_source(p, ok, "a conf_source");
}

static bool mc_accounting(struct parser *p, void *o)
{
	static const struct kw tab[] = { { "none", 0 }, { "pam", 2 }, { "radius", 3 }, { "system", 1 } };
	int v;
	if (!GET_KW(p, tab, "an accounting method", &v))
		return false;
	if (v) {
		pwarn_at(p, p->prev_file, p->prev_line,
			 "accounting is not implemented; no accounting records are written");
		((struct conf_modecfg *)o)->accounting = CONF_ACCT_SYSTEM;
	}
	return expect_semi(p);
}

static bool mc_auth_groups(struct parser *p, void *o)
{
	(void)o;
	perr_at(p, p->prev_file, p->prev_line,
		"auth_groups is refused: XAuth group membership checks are not implemented");
	return false;
}

static const struct directive modecfg_dirs[] = {
	{ .name = "accounting", .fn = mc_accounting },
	{ .name = "auth_groups", .fn = mc_auth_groups },
	{ .name = "auth_source", .fn = mc_auth_source },
	{ .name = "auth_throttle", .fn = dir_uint, .off = M_OFF(auth_throttle), .max = 3600 },
	{ .name = "banner", .fn = dir_string, .off = M_OFF(banner) },
	{ .name = "conf_source", .fn = mc_conf_source },
	{ .name = "default_domain", .fn = dir_string, .off = M_OFF(default_domain) },
	{ .name = "dns4", .fn = mc_dns4, .repeat = true },
	{ .name = "group_source", .fn = mc_group_source },
	{ .name = "nbns4", .fn = mc_wins4, .repeat = true },
	{ .name = "netmask4", .fn = mc_in4, .off = M_OFF(netmask4) },
	{ .name = "network4", .fn = mc_in4, .off = M_OFF(network4) },
	{ .name = "pfs_group", .fn = mc_pfs_group },
	{ .name = "pool_size", .fn = dir_uint, .off = M_OFF(pool_size), .min = 1, .max = 65535 },
	{ .name = "save_passwd", .fn = dir_onoff, .off = M_OFF(save_passwd) },
	{ .name = "split_dns", .fn = mc_split_dns, .repeat = true },
	{ .name = "split_network", .fn = mc_split_network, .repeat = true },
	{ .name = "wins4", .fn = mc_wins4, .repeat = true },
};

void parse_mode_cfg(struct parser *p)
{
	if (!expect_lbrace(p)) {
		recover(p);
		return;
	}
	if (p->conf->mode_cfg.present)
		pwarn(p, "a second mode_cfg block adds to the first");
	p->conf->mode_cfg.present = true;
	PARSE_BLOCK(p, "mode_cfg", modecfg_dirs, &p->conf->mode_cfg);
}

/* ---- ldapcfg / radiuscfg: syntax only ------------------------------------------------ */

static bool skip_string(struct parser *p, void *o)
{
	(void)o;
	char *s = NULL;
	bool ok = get_string(p, "a quoted string", &s);
	if (s)
		buf_wipe(s, strlen(s)); /* bind_pw and RADIUS secrets */
	free(s);
	return ok && expect_semi(p);
}

static bool skip_uint(struct parser *p, void *o)
{
	(void)o;
	unsigned long v;
	return get_uint(p, p->cur_dir->name, p->cur_dir->min, p->cur_dir->max, &v) &&
	       expect_semi(p);
}

static bool skip_onoff(struct parser *p, void *o)
{
	(void)o;
	bool v;
	return get_onoff(p, &v) && expect_semi(p);
}

static const struct directive ldap_dirs[] = {
	{ .name = "attr_addr", .fn = skip_string },   { .name = "attr_group", .fn = skip_string },
	{ .name = "attr_mask", .fn = skip_string },   { .name = "attr_member", .fn = skip_string },
	{ .name = "attr_user", .fn = skip_string },   { .name = "base", .fn = skip_string },
	{ .name = "bind_dn", .fn = skip_string },     { .name = "bind_pw", .fn = skip_string },
	{ .name = "debug", .fn = skip_uint, .max = 0xffff },
	{ .name = "host", .fn = skip_string },
	{ .name = "port", .fn = skip_uint, .min = 1, .max = 65535 },
	{ .name = "subtree", .fn = skip_onoff },
	{ .name = "timeout", .fn = skip_uint, .max = 3600 },
	{ .name = "uri", .fn = skip_string },
	{ .name = "version", .fn = skip_uint, .min = 2, .max = 3 },
};

/* auth|acct "host" [PORT] "secret" */
static bool rad_server(struct parser *p, void *o)
{
	(void)o;
	char *host = NULL, *secret = NULL;
	bool ok = get_string(p, "a quoted host", &host);
	unsigned long port;
	if (ok && at(p, TOK_WORD))
		ok = get_uint(p, "port", 1, 65535, &port);
	ok = ok && get_string(p, "a quoted secret", &secret);
	free(host);
	if (secret)
		buf_wipe(secret, strlen(secret));
	free(secret);
	return ok && expect_semi(p);
}

static const struct directive radius_dirs[] = {
	{ .name = "acct", .fn = rad_server, .repeat = true },
	{ .name = "auth", .fn = rad_server, .repeat = true },
	{ .name = "retries", .fn = skip_uint, .max = 100 },
	{ .name = "timeout", .fn = skip_uint, .max = 3600 },
};

static void parse_ignored(struct parser *p, const char *name, const struct directive *tab,
			  size_t n)
{
	const char *file = p->prev_file;
	unsigned line = p->prev_line;
	if (!expect_lbrace(p)) {
		recover(p);
		return;
	}
	pwarn_at(p, file, line, "%s is not implemented; the block is ignored", name);
	parse_block(p, name, tab, n, NULL);
}

void parse_ldapcfg(struct parser *p)
{
	parse_ignored(p, "ldapcfg", ldap_dirs, sizeof(ldap_dirs) / sizeof(ldap_dirs[0]));
}

void parse_radiuscfg(struct parser *p)
{
	parse_ignored(p, "radiuscfg", radius_dirs, sizeof(radius_dirs) / sizeof(radius_dirs[0]));
}
