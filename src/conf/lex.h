/* conf/lex: racoon.conf tokens, with a stack of sources for `include`.
 *
 * The lexer knows punctuation, quoted strings, `[port]` and bare words; a bare word is
 * any run of characters other than blanks, `{ } ; , " # [ ]`, so addresses with
 * prefixes, ranges and scopes (`2001:db8::/32`, `10.0.0.1-10.0.0.9`, `fe80::1%eth0`)
 * are one word and the parser decides what they mean.
 */
#ifndef RACOON_CONF_LEX_H
#define RACOON_CONF_LEX_H

#include <stdbool.h>
#include <stddef.h>

enum tok_type {
	TOK_EOF = 0, /* end of the current source */
	TOK_WORD,
	TOK_STRING,  /* "..." without the quotes */
	TOK_PORT,    /* [...] without the brackets */
	TOK_LBRACE,
	TOK_RBRACE,
	TOK_SEMI,
	TOK_COMMA,
	TOK_ERROR,   /* bad character, unterminated string or port; text says what */
};

#define TOK_MAX 1024 /* longest word or string */

struct tok {
	enum tok_type type;
	const char *file; /* owned by the racoon_conf's file list */
	unsigned line;
	char text[TOK_MAX];
};

struct lex_source {
	const char *name; /* owned by the racoon_conf's file list */
	char *text;       /* owned copy */
	size_t len, pos;
	unsigned line;
};

#define LEX_MAX_DEPTH 11 /* the main file and CONF_MAX_INCLUDE_DEPTH levels */

struct lexer {
	struct lex_source src[LEX_MAX_DEPTH];
	int depth; /* number of sources on the stack */
};

/* Push a source; text is copied. 0, -ELOOP (too deep) or -ENOMEM. */
int lex_push(struct lexer *lx, const char *name, const char *text, size_t len);
/* Drop the innermost source. */
void lex_pop(struct lexer *lx);
void lex_free(struct lexer *lx);
/* Next token of the innermost source; TOK_EOF at its end (no automatic pop). */
void lex_next(struct lexer *lx, struct tok *t);
const char *tok_describe(const struct tok *t, char *out, size_t outlen);

#endif
