/* conf/lex: racoon.conf tokenizer (see lex.h). */
#include "conf/lex.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int lex_push(struct lexer *lx, const char *name, const char *text, size_t len)
{
	if (lx->depth >= LEX_MAX_DEPTH)
		return -ELOOP;
	char *copy = malloc(len + 1);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, text, len);
	copy[len] = '\0';
	lx->src[lx->depth++] = (struct lex_source){
		.name = name, .text = copy, .len = len, .pos = 0, .line = 1,
	};
	return 0;
}

void lex_pop(struct lexer *lx)
{
	if (lx->depth > 0) {
		lx->depth--;
		free(lx->src[lx->depth].text);
		lx->src[lx->depth].text = NULL;
	}
}

void lex_free(struct lexer *lx)
{
	while (lx->depth > 0)
		lex_pop(lx);
}

static bool is_word_char(unsigned char c)
{
	if (c <= ' ' || c == 0x7f)
		return false;
	return !strchr("{};,\"#[]", c);
}

/* Skip blanks and comments, counting lines. */
static void skip_space(struct lex_source *s)
{
	while (s->pos < s->len) {
		char c = s->text[s->pos];
		if (c == '\n') {
			s->line++;
			s->pos++;
		} else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
			s->pos++;
		} else if (c == '#') {
			while (s->pos < s->len && s->text[s->pos] != '\n')
				s->pos++;
		} else {
			break;
		}
	}
}

static void set_error(struct tok *t, const char *msg)
{
	t->type = TOK_ERROR;
	snprintf(t->text, sizeof(t->text), "%s", msg);
}

/* A quoted string or a [port]: up to the closing character on the same line. */
static void lex_delimited(struct lex_source *s, struct tok *t, char close, enum tok_type type)
{
	size_t start = ++s->pos, n = 0;
	while (s->pos < s->len && s->text[s->pos] != close && s->text[s->pos] != '\n' &&
	       s->text[s->pos] != '\0')
		s->pos++;
	if (s->pos >= s->len || s->text[s->pos] != close) {
		set_error(t, close == '"' ? "unterminated string (a string ends on its line)"
					  : "unterminated [port] (missing ']')");
		return;
	}
	n = s->pos - start;
	s->pos++; /* the closing character */
	if (n >= TOK_MAX) {
		set_error(t, "string too long");
		return;
	}
	memcpy(t->text, s->text + start, n);
	t->text[n] = '\0';
	t->type = type;
}

void lex_next(struct lexer *lx, struct tok *t)
{
	t->text[0] = '\0';
	t->file = NULL;
	t->line = 0;
	if (lx->depth == 0) {
		t->type = TOK_EOF;
		return;
	}
	struct lex_source *s = &lx->src[lx->depth - 1];
	skip_space(s);
	t->file = s->name;
	t->line = s->line;
	if (s->pos >= s->len) {
		t->type = TOK_EOF;
		return;
	}
	unsigned char c = (unsigned char)s->text[s->pos];
	static const struct { char c; enum tok_type type; } punct[] = {
		{ '{', TOK_LBRACE }, { '}', TOK_RBRACE }, { ';', TOK_SEMI }, { ',', TOK_COMMA },
	};
	for (size_t i = 0; i < sizeof(punct) / sizeof(punct[0]); i++) {
		if (c == (unsigned char)punct[i].c) {
			t->type = punct[i].type;
			t->text[0] = (char)c;
			t->text[1] = '\0';
			s->pos++;
			return;
		}
	}
	if (c == '"') {
		lex_delimited(s, t, '"', TOK_STRING);
		return;
	}
	if (c == '[') {
		lex_delimited(s, t, ']', TOK_PORT);
		return;
	}
	if (!is_word_char(c)) {
		s->pos++;
		if (c == ']')
			set_error(t, "unexpected ']'");
		else
			snprintf(t->text, sizeof(t->text), "unexpected character 0x%02x", c);
		t->type = TOK_ERROR;
		return;
	}
	size_t start = s->pos;
	while (s->pos < s->len && is_word_char((unsigned char)s->text[s->pos]))
		s->pos++;
	size_t n = s->pos - start;
	if (n >= TOK_MAX) {
		set_error(t, "word too long");
		return;
	}
	memcpy(t->text, s->text + start, n);
	t->text[n] = '\0';
	t->type = TOK_WORD;
}

const char *tok_describe(const struct tok *t, char *out, size_t outlen)
{
	switch (t->type) {
	case TOK_EOF:
		snprintf(out, outlen, "end of file");
		break;
	case TOK_STRING:
		snprintf(out, outlen, "\"%.60s\"", t->text);
		break;
	case TOK_PORT:
		snprintf(out, outlen, "[%.60s]", t->text);
		break;
	case TOK_WORD:
		snprintf(out, outlen, "'%.60s'", t->text);
		break;
	default:
		snprintf(out, outlen, "'%.60s'", t->text);
		break;
	}
	return out;
}
