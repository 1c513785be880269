/* lex: setkey's tokenizer. See lex.h. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "setkey/lex.h"

int sk_error_set(struct sk_error *err, unsigned line, unsigned col, const char *fmt, ...)
{
	va_list ap;

	if (!err || err->msg[0])
		return -1; /* the first error is the one that explains the others */
	err->line = line;
	err->col = col;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	if (!err->msg[0])
		snprintf(err->msg, sizeof(err->msg), "error");
	return -1;
}

void sk_lex_init(struct sk_lexer *lx, const char *text, size_t len)
{
	memset(lx, 0, sizeof(*lx));
	lx->text = text;
	lx->len = len;
	lx->line = 1;
	lx->col = 1;
}

static void advance(struct sk_lexer *lx)
{
	if (lx->text[lx->pos] == '\n') {
		lx->line++;
		lx->col = 1;
	} else {
		lx->col++;
	}
	lx->pos++;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* White space and comments. */
static void skip_blank(struct sk_lexer *lx)
{
	while (lx->pos < lx->len) {
		char c = lx->text[lx->pos];
		if (is_space(c)) {
			advance(lx);
		} else if (c == '#') {
			while (lx->pos < lx->len && lx->text[lx->pos] != '\n')
				advance(lx);
		} else {
			break;
		}
	}
}

static struct sk_token error_tok(struct sk_token t, struct sk_error *err, const char *what)
{
	sk_error_set(err, t.line, t.col, "%s", what);
	t.type = SK_TOK_ERROR;
	return t;
}

static struct sk_token lex_string(struct sk_lexer *lx, struct sk_token t, struct sk_error *err)
{
	advance(lx); /* opening quote */
	t.p = lx->text + lx->pos;
	while (lx->pos < lx->len && lx->text[lx->pos] != '"') {
		if (lx->text[lx->pos] == '\0')
			return error_tok(t, err, "NUL byte inside a quoted string");
		advance(lx);
	}
	if (lx->pos >= lx->len)
		return error_tok(t, err, "unterminated quoted string");
	t.len = (size_t)(lx->text + lx->pos - t.p);
	advance(lx); /* closing quote */
	if (t.len > SK_TOKEN_MAX)
		return error_tok(t, err, "quoted string too long");
	t.type = SK_TOK_STRING;
	return t;
}

static struct sk_token lex_one(struct sk_lexer *lx, struct sk_error *err)
{
	struct sk_token t = { .type = SK_TOK_EOF };

	skip_blank(lx);
	t.line = lx->line;
	t.col = lx->col;
	t.p = lx->text + lx->pos;
	if (lx->pos >= lx->len)
		return t;
	char c = lx->text[lx->pos];
	if (c == '\0')
		return error_tok(t, err, "NUL byte in input");
	if (c == ';') {
		advance(lx);
		t.type = SK_TOK_SEMI;
		t.len = 1;
		return t;
	}
	if (c == '"')
		return lex_string(lx, t, err);
	while (lx->pos < lx->len) {
		c = lx->text[lx->pos];
		if (is_space(c) || c == ';' || c == '"' || c == '\0')
			break;
		advance(lx);
	}
	t.len = (size_t)(lx->text + lx->pos - t.p);
	if (t.len > SK_TOKEN_MAX)
		return error_tok(t, err, "word too long");
	t.type = SK_TOK_WORD;
	return t;
}

struct sk_token sk_lex_next(struct sk_lexer *lx, struct sk_error *err)
{
	if (lx->have_peek) {
		lx->have_peek = false;
		if (lx->peeked.type == SK_TOK_ERROR) /* re-report: the error was recorded */
			sk_error_set(err, lx->peeked.line, lx->peeked.col, "invalid token");
		return lx->peeked;
	}
	return lex_one(lx, err);
}

struct sk_token sk_lex_peek(struct sk_lexer *lx, struct sk_error *err)
{
	if (!lx->have_peek) {
		lx->peeked = lex_one(lx, err);
		lx->have_peek = true;
	}
	return lx->peeked;
}

bool sk_tok_is(const struct sk_token *t, const char *s)
{
	size_t n = strlen(s);
	return t->type == SK_TOK_WORD && t->len == n && memcmp(t->p, s, n) == 0;
}

bool sk_tok_copy(const struct sk_token *t, char *out, size_t outlen)
{
	if (t->len >= outlen) {
		if (outlen)
			out[0] = '\0';
		return false;
	}
	memcpy(out, t->p, t->len);
	out[t->len] = '\0';
	return true;
}
