/* conf/util: token stream, error reports and value readers shared by the block parsers. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/parser.h"

static void report(struct parser *p, enum conf_severity sev, const char *file, unsigned line,
		   const char *fmt, va_list ap)
{
	char msg[1400], text[1200];
	vsnprintf(text, sizeof(text), fmt, ap);
	if (file && line)
		snprintf(msg, sizeof(msg), "%s:%u: %s%s", file, line,
			 sev == CONF_SEV_WARNING ? "warning: " : "", text);
	else if (file)
		snprintf(msg, sizeof(msg), "%s: %s%s", file,
			 sev == CONF_SEV_WARNING ? "warning: " : "", text);
	else
		snprintf(msg, sizeof(msg), "%s%s", sev == CONF_SEV_WARNING ? "warning: " : "",
			 text);
	if (p->opts && p->opts->report)
		p->opts->report(p->opts->userdata, sev, msg);
	else
		fprintf(stderr, "racoon: %s\n", msg);
}

void perr_at(struct parser *p, const char *file, unsigned line, const char *fmt, ...)
{
	p->n_errors++;
	if (p->n_errors == CONF_MAX_ERRORS + 1)
		fmt = "too many errors; giving up";
	if (p->n_errors > CONF_MAX_ERRORS + 1)
		return;
	va_list ap;
	va_start(ap, fmt);
	report(p, CONF_SEV_ERROR, file, line, fmt, ap);
	va_end(ap);
}

void pwarn_at(struct parser *p, const char *file, unsigned line, const char *fmt, ...)
{
	p->conf->n_warnings++;
	va_list ap;
	va_start(ap, fmt);
	report(p, CONF_SEV_WARNING, file, line, fmt, ap);
	va_end(ap);
}

void next(struct parser *p)
{
	if (p->tok.file) {
		p->prev_file = p->tok.file;
		p->prev_line = p->tok.line;
	}
	lex_next(&p->lx, &p->tok);
	if (p->tok.type == TOK_ERROR) {
		/* Report lexical errors once, here, and hand the parser something harmless
		 * that fails any expectation without a second message. */
		perr(p, "%s", p->tok.text);
		p->tok.text[0] = '\0';
	}
}

bool at(const struct parser *p, enum tok_type t)
{
	return p->tok.type == t;
}

bool at_word(const struct parser *p, const char *w)
{
	return p->tok.type == TOK_WORD && strcmp(p->tok.text, w) == 0;
}

static void expected(struct parser *p, const char *what)
{
	char d[96];
	if (p->tok.type == TOK_ERROR)
		return; /* already reported by next() */
	if (p->tok.type == TOK_EOF)
		perr(p, "expected %s, found end of file (missing '}' or ';'?)", what);
	else
		perr(p, "expected %s, found %s", what, tok_describe(&p->tok, d, sizeof(d)));
}

bool expect(struct parser *p, enum tok_type t, const char *what)
{
	if (p->tok.type != t) {
		expected(p, what);
		return false;
	}
	next(p);
	return true;
}

bool expect_semi(struct parser *p)
{
	if (p->tok.type == TOK_SEMI) {
		next(p);
		return true;
	}
	char d[96];
	if (p->tok.type == TOK_ERROR)
		return false;
	/* The ';' is missing at the end of the previous line more often than not. */
	if (p->prev_file)
		perr_at(p, p->prev_file, p->prev_line, "missing ';' (before %s)",
			tok_describe(&p->tok, d, sizeof(d)));
	else
		perr(p, "missing ';' before %s", tok_describe(&p->tok, d, sizeof(d)));
	return false;
}

bool expect_lbrace(struct parser *p)
{
	if (p->tok.type == TOK_LBRACE)
		return true;
	expected(p, "'{'");
	return false;
}

void skip_block(struct parser *p)
{
	int depth = 0;
	do {
		if (at(p, TOK_LBRACE))
			depth++;
		else if (at(p, TOK_RBRACE))
			depth--;
		else if (at(p, TOK_EOF))
			return;
		next(p);
	} while (depth > 0);
}

void recover(struct parser *p)
{
	for (;;) {
		switch (p->tok.type) {
		case TOK_EOF:
		case TOK_RBRACE:
			return;
		case TOK_SEMI:
			next(p);
			return;
		case TOK_LBRACE:
			skip_block(p);
			return;
		default:
			next(p);
		}
	}
}

char *pstrdup(struct parser *p, const char *s)
{
	char *d = strdup(s);
	if (!d)
		p->oom = true;
	return d;
}

bool grow(struct parser *p, void **arr, size_t *n, size_t size, size_t max, const char *what)
{
	if (*n >= max) {
		perr(p, "too many %s (at most %zu)", what, max);
		return false;
	}
	void *q = realloc(*arr, (*n + 1) * size);
	if (!q) {
		p->oom = true;
		return false;
	}
	memset((char *)q + *n * size, 0, size);
	*arr = q;
	(*n)++;
	return true;
}

char *path_join(struct parser *p, const char *base, const char *name)
{
	if (!base || !*base || name[0] == '/')
		return pstrdup(p, name);
	size_t bl = strlen(base);
	char *r = malloc(bl + strlen(name) + 2);
	if (!r) {
		p->oom = true;
		return NULL;
	}
	sprintf(r, "%s%s%s", base, base[bl - 1] == '/' ? "" : "/", name);
	return r;
}

static int kw_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct kw *)elem)->name);
}

int kw_lookup(const struct kw *tab, size_t n, const char *name)
{
	const struct kw *k = bsearch(name, tab, n, sizeof(*tab), kw_cmp);
	return k ? k->value : -1;
}

bool get_kw(struct parser *p, const struct kw *tab, size_t n, const char *what, int *out)
{
	int v = p->tok.type == TOK_WORD ? kw_lookup(tab, n, p->tok.text) : -1;
	if (v < 0) {
		char list[400] = "", d[96];
		size_t used = 0;
		for (size_t i = 0; i < n && used < sizeof(list) - 40; i++)
			used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s",
						 i ? ", " : "", tab[i].name);
		if (p->tok.type != TOK_ERROR)
			perr(p, "expected %s (%s), found %s", what, list,
			     tok_describe(&p->tok, d, sizeof(d)));
		return false;
	}
	*out = v;
	next(p);
	return true;
}

bool get_string(struct parser *p, const char *what, char **out)
{
	if (p->tok.type != TOK_STRING) {
		expected(p, what);
		return false;
	}
	free(*out);
	*out = pstrdup(p, p->tok.text);
	next(p);
	return *out != NULL;
}

bool get_word_or_string(struct parser *p, const char *what, char **out)
{
	if (p->tok.type != TOK_STRING && p->tok.type != TOK_WORD) {
		expected(p, what);
		return false;
	}
	free(*out);
	*out = pstrdup(p, p->tok.text);
	next(p);
	return *out != NULL;
}

bool get_onoff(struct parser *p, bool *out)
{
	static const struct kw tab[] = { { "off", 0 }, { "on", 1 } };
	int v;
	if (!GET_KW(p, tab, "on or off", &v))
		return false;
	*out = v;
	return true;
}

/* Decimal or 0x hex, no sign, no trailing garbage. */
static bool parse_ulong(const char *s, unsigned long *out)
{
	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return false;
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 0);
	if (errno || *end)
		return false;
	/* strtoul base 0 reads a leading 0 as octal; racoon numbers are decimal. */
	if (s[0] == '0' && s[1] && s[1] != 'x' && s[1] != 'X') {
		v = strtoul(s, &end, 10);
		if (*end)
			return false;
	}
	*out = v;
	return true;
}

bool get_uint(struct parser *p, const char *what, unsigned long min, unsigned long max,
	      unsigned long *out)
{
	unsigned long v;
	if (p->tok.type != TOK_WORD || !parse_ulong(p->tok.text, &v)) {
		char w[80];
		snprintf(w, sizeof(w), "a number (%s)", what);
		expected(p, w);
		return false;
	}
	if (v < min || v > max) {
		perr(p, "%s %s is out of range (%lu to %lu)", what, p->tok.text, min, max);
		return false;
	}
	*out = v;
	next(p);
	return true;
}

static const struct kw kw_time_unit[] = {
	{ "hour", 3600 }, { "hours", 3600 }, { "min", 60 },	{ "mins", 60 },
	{ "minute", 60 }, { "minutes", 60 }, { "sec", 1 },	{ "second", 1 },
	{ "seconds", 1 }, { "secs", 1 },
};

bool get_time(struct parser *p, const char *what, unsigned long max, uint32_t *out)
{
	unsigned long n;
	int unit;
	if (!get_uint(p, what, 0, 0xffffffffUL, &n))
		return false;
	if (!GET_KW(p, kw_time_unit, "a time unit", &unit))
		return false;
	if (n > max / (unsigned long)unit) {
		perr(p, "%s is too long (at most %lu seconds)", what, max);
		return false;
	}
	*out = (uint32_t)(n * (unsigned long)unit);
	return true;
}

bool get_lifetime(struct parser *p, uint32_t *out)
{
	if (at_word(p, "byte")) {
		perr(p, "byte lifetimes are not supported (as in the reference); use "
			"'lifetime time N unit'");
		return false;
	}
	if (!at_word(p, "time")) {
		expected(p, "'time'");
		return false;
	}
	next(p);
	return get_time(p, "lifetime", 0xffffffffUL, out);
}

bool parse_addr_text(const char *s, union sockaddr_any *out)
{
	memset(out, 0, sizeof(*out));
	return addr_parse(s, out) == 0;
}

static bool get_port(struct parser *p, uint16_t *port)
{
	unsigned long v;
	char *end;
	errno = 0;
	v = strtoul(p->tok.text, &end, 10);
	if (!p->tok.text[0] || *end || errno || v > 65535 || p->tok.text[0] == '-') {
		perr(p, "bad port [%s] (0 to 65535)", p->tok.text);
		return false;
	}
	*port = (uint16_t)v;
	next(p);
	return true;
}

bool get_address(struct parser *p, const char *what, uint16_t default_port,
		 union sockaddr_any *out)
{
	if (p->tok.type != TOK_WORD || !parse_addr_text(p->tok.text, out)) {
		if (p->tok.type == TOK_WORD)
			perr(p, "%s: '%s' is not an IPv4 or IPv6 address", what, p->tok.text);
		else
			expected(p, what);
		return false;
	}
	next(p);
	uint16_t port = default_port;
	if (at(p, TOK_PORT) && !get_port(p, &port))
		return false;
	addr_set_port(out, port);
	return true;
}

static int dir_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct directive *)elem)->name);
}

#define FIELD(obj, d, type) ((type *)((char *)(obj) + (d)->off))

bool dir_onoff(struct parser *p, void *obj)
{
	return get_onoff(p, FIELD(obj, p->cur_dir, bool)) && expect_semi(p);
}

bool dir_uint(struct parser *p, void *obj)
{
	unsigned long v;
	if (!get_uint(p, p->cur_dir->name, p->cur_dir->min, p->cur_dir->max, &v))
		return false;
	*FIELD(obj, p->cur_dir, unsigned) = (unsigned)v;
	return expect_semi(p);
}

bool dir_string(struct parser *p, void *obj)
{
	return get_string(p, "a quoted string", FIELD(obj, p->cur_dir, char *)) && expect_semi(p);
}

bool dir_time(struct parser *p, void *obj)
{
	uint32_t v;
	if (!get_time(p, p->cur_dir->name, p->cur_dir->max, &v))
		return false;
	if (v < p->cur_dir->min) {
		perr(p, "%s must be at least %lu seconds", p->cur_dir->name, p->cur_dir->min);
		return false;
	}
	*FIELD(obj, p->cur_dir, unsigned) = v;
	return expect_semi(p);
}

static void unknown_in_block(struct parser *p, const char *block)
{
	char desc[96];
	if (at(p, TOK_WORD))
		perr(p, "unknown directive '%s' in %s", p->tok.text, block);
	else if (!at(p, TOK_ERROR))
		perr(p, "expected a directive in %s, found %s", block,
		     tok_describe(&p->tok, desc, sizeof(desc)));
	if (at(p, TOK_LBRACE))
		skip_block(p);
	else
		recover(p);
}

uint64_t parse_block(struct parser *p, const char *block, const struct directive *tab,
		     size_t n, void *obj)
{
	const char *ofile = p->tok.file;
	unsigned oline = p->tok.line;
	uint64_t seen = 0;
	next(p); /* '{' */
	for (;;) {
		if (p->n_errors > CONF_MAX_ERRORS || p->oom)
			return seen;
		if (at(p, TOK_RBRACE)) {
			next(p);
			return seen;
		}
		if (at(p, TOK_EOF)) {
			perr_at(p, ofile, oline, "%s block is not closed (missing '}')", block);
			return seen;
		}
		if (at(p, TOK_SEMI)) { /* a stray ';' is harmless */
			next(p);
			continue;
		}
		const struct directive *d = NULL;
		if (at(p, TOK_WORD))
			d = bsearch(p->tok.text, tab, n, sizeof(*tab), dir_cmp);
		if (!d) {
			unknown_in_block(p, block);
			continue;
		}
		uint64_t bit = 1ull << ((size_t)(d - tab) & 63);
		if ((seen & bit) && !d->repeat)
			pwarn(p, "%s given twice in %s; the last one counts", d->name, block);
		p->cur_first = !(seen & bit);
		seen |= bit;
		p->cur_dir = d;
		next(p);
		if (!d->fn(p, obj))
			recover(p);
	}
}
