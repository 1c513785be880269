/* parse: a setkey script -> struct sk_script, through a table of commands. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "setkey/parser.h"
#include "setkey/value.h"

/* Printable, shortened text of a token for messages. */
static void tok_text(const struct sk_token *t, char *out, size_t n)
{
	size_t len = t->len < n - 4 ? t->len : n - 4;
	size_t i;

	for (i = 0; i < len; i++)
		out[i] = isprint((unsigned char)t->p[i]) ? t->p[i] : '?';
	if (len < t->len)
		memcpy(out + i, "...", 3), i += 3;
	out[i] = '\0';
}

int sk_p_unexpected(struct sk_parser *p, const struct sk_token *t, const char *expected)
{
	char txt[48];

	switch (t->type) {
	case SK_TOK_EOF:
		return sk_error_set(p->err, t->line, t->col, "unexpected end of input: expected %s",
				    expected);
	case SK_TOK_SEMI:
		return sk_error_set(p->err, t->line, t->col, "unexpected ';': expected %s", expected);
	case SK_TOK_ERROR:
		return -1; /* the lexer said why */
	case SK_TOK_STRING:
		return sk_error_set(p->err, t->line, t->col, "unexpected quoted string: expected %s",
				    expected);
	case SK_TOK_WORD:
		break;
	}
	tok_text(t, txt, sizeof(txt));
	return sk_error_set(p->err, t->line, t->col, "unexpected '%s': expected %s", txt, expected);
}

int sk_p_word(struct sk_parser *p, struct sk_token *t, const char *what)
{
	*t = sk_lex_next(&p->lx, p->err);
	if (t->type != SK_TOK_WORD)
		return sk_p_unexpected(p, t, what);
	return 0;
}

int sk_p_end(struct sk_parser *p, struct sk_cmd *c)
{
	struct sk_token t = sk_lex_next(&p->lx, p->err);

	if (t.type == SK_TOK_EOF)
		return sk_error_set(p->err, t.line, t.col, "missing ';' at the end of the command");
	if (t.type != SK_TOK_SEMI)
		return sk_p_unexpected(p, &t, "';'");
	c->end_line = t.line;
	return 0;
}

void sk_p_warn(struct sk_parser *p, const struct sk_token *t, const char *msg)
{
	if (p->o && p->o->warn)
		p->o->warn(p->o->warn_userdata, t->line, t->col, msg);
}

int sk_p_addropts(struct sk_parser *p, int *family, unsigned *addr_flags)
{
	*family = 0;
	*addr_flags = (p->o && p->o->no_dns) ? SK_ADDR_NODNS : 0;
	for (;;) {
		struct sk_token t = sk_lex_peek(&p->lx, p->err);
		if (t.type != SK_TOK_WORD || t.len < 2 || t.p[0] != '-')
			return 0;
		for (size_t i = 1; i < t.len; i++)
			if (t.p[i] != '4' && t.p[i] != '6' && t.p[i] != 'n')
				return 0; /* not address options */
		sk_lex_next(&p->lx, p->err);
		for (size_t i = 1; i < t.len; i++) {
			int f = t.p[i] == '4' ? AF_INET : t.p[i] == '6' ? AF_INET6 : 0;
			if (f && *family && *family != f)
				return sk_error_set(p->err, t.line, t.col + (unsigned)i,
						    "-4 and -6 exclude each other");
			if (f)
				*family = f;
			else
				*addr_flags |= SK_ADDR_NODNS;
		}
	}
}

static int parse_noargs(struct sk_parser *p, struct sk_cmd *c)
{
	return sk_p_end(p, c);
}

struct command {
	const char *name;
	enum sk_op op;
	int (*parse)(struct sk_parser *p, struct sk_cmd *c);
};

/* The reference's commands; ipsec-tools documents `update` but never had it. */
static const struct command commands[] = {
	{ "add", SK_OP_ADD, sk_parse_sa_cmd },
	{ "get", SK_OP_GET, sk_parse_sa_cmd },
	{ "delete", SK_OP_DELETE, sk_parse_sa_cmd },
	{ "deleteall", SK_OP_DELETEALL, sk_parse_sa_cmd },
	{ "getspi", SK_OP_GETSPI, sk_parse_sa_cmd },
	{ "flush", SK_OP_FLUSH, sk_parse_flush_dump },
	{ "dump", SK_OP_DUMP, sk_parse_flush_dump },
	{ "spdadd", SK_OP_SPDADD, sk_parse_spd_cmd },
	{ "spdupdate", SK_OP_SPDUPDATE, sk_parse_spd_cmd },
	{ "spddelete", SK_OP_SPDDELETE, sk_parse_spd_cmd },
	{ "spdflush", SK_OP_SPDFLUSH, parse_noargs },
	{ "spddump", SK_OP_SPDDUMP, parse_noargs },
};

const char *sk_op_name(enum sk_op op)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (commands[i].op == op)
			return commands[i].name;
	return "?";
}

static struct sk_cmd *new_cmd(struct sk_script *s)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct sk_cmd *n = realloc(s->cmds, cap * sizeof(*n));
		if (!n)
			return NULL;
		s->cmds = n;
		s->cap = cap;
	}
	struct sk_cmd *c = &s->cmds[s->n++];
	memset(c, 0, sizeof(*c));
	return c;
}

/* One command starting at word t. 0, 1 (exit), -1. */
static int parse_command(struct sk_parser *p, const struct sk_token *t, struct sk_script *s)
{
	if (sk_tok_is(t, "exit") || sk_tok_is(t, "quit") || sk_tok_is(t, "bye"))
		return 1;
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (!sk_tok_is(t, commands[i].name))
			continue;
		if (s->n >= SK_MAX_COMMANDS)
			return sk_error_set(p->err, t->line, t->col,
					    "too many commands (at most %u)", SK_MAX_COMMANDS);
		struct sk_cmd *c = new_cmd(s);
		if (!c)
			return sk_error_set(p->err, t->line, t->col, "out of memory");
		c->op = commands[i].op;
		c->line = t->line;
		c->col = t->col;
		return commands[i].parse(p, c);
	}
	if (sk_tok_is(t, "update"))
		return sk_error_set(p->err, t->line, t->col,
				    "'update' does not exist in setkey (delete and add the SA)");
	return sk_p_unexpected(p, t, "a command (add, get, delete, deleteall, getspi, flush, "
				     "dump, spdadd, spdupdate, spddelete, spdflush, spddump)");
}

int sk_parse(const char *text, size_t len, const struct sk_parse_opts *o,
	     struct sk_script *out, struct sk_error *err)
{
	struct sk_parser p = { .err = err, .o = o };

	memset(out, 0, sizeof(*out));
	memset(err, 0, sizeof(*err));
	sk_lex_init(&p.lx, text, len);
	for (;;) {
		struct sk_token t = sk_lex_next(&p.lx, err);
		if (t.type == SK_TOK_EOF)
			return 0;
		if (t.type == SK_TOK_SEMI)
			continue; /* empty command */
		if (t.type != SK_TOK_WORD) {
			sk_p_unexpected(&p, &t, "a command");
			break;
		}
		int rc = parse_command(&p, &t, out);
		if (rc == 1) {
			out->exited = true;
			return 0;
		}
		if (rc < 0)
			break;
	}
	sk_script_free(out);
	return -1;
}

void sk_script_free(struct sk_script *s)
{
	for (size_t i = 0; i < s->n; i++) {
		struct sk_cmd *c = &s->cmds[i];
		if (c->op >= SK_OP_ADD && c->op <= SK_OP_GETSPI) {
			buf_free(&c->u.sa.enc_key);
			buf_free(&c->u.sa.auth_key);
		}
	}
	free(s->cmds);
	memset(s, 0, sizeof(*s));
}
