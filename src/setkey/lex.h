/* lex: setkey's tokenizer (words, "quoted strings", ';') with line and column.
 *
 * setkey input is a run of commands ending in ';'. Words are split at white space,
 * ';' and '"'; '#' at the start of a token comments out the rest of the line. The
 * finer syntax inside a word (addr/prefix[port], esp/tunnel/a-b/require) is left to
 * the parser, which knows what it expects there. Tokens are views into the input: the
 * caller keeps the text alive (and wipes it: it holds keys).
 */
#ifndef RACOON_SETKEY_LEX_H
#define RACOON_SETKEY_LEX_H

#include <stdbool.h>
#include <stddef.h>

#include "setkey/error.h"

enum sk_tok_type {
	SK_TOK_EOF = 0,
	SK_TOK_WORD,
	SK_TOK_STRING, /* text without the quotes */
	SK_TOK_SEMI,
	SK_TOK_ERROR,
};

#define SK_TOKEN_MAX 4096 /* longest word or string accepted (bytes) */

struct sk_token {
	enum sk_tok_type type;
	const char *p;
	size_t len;
	unsigned line, col; /* 1-based, of the first character (the quote for strings) */
};

struct sk_lexer {
	const char *text;
	size_t len, pos;
	unsigned line, col;
	struct sk_token peeked;
	bool have_peek;
};

void sk_lex_init(struct sk_lexer *lx, const char *text, size_t len);
/* Next token. On SK_TOK_ERROR, err says what and where. */
struct sk_token sk_lex_next(struct sk_lexer *lx, struct sk_error *err);
/* Look at the next token without taking it. */
struct sk_token sk_lex_peek(struct sk_lexer *lx, struct sk_error *err);

/* Whether a word token equals s (case-sensitive, as the reference). */
bool sk_tok_is(const struct sk_token *t, const char *s);
/* Copy a token's text into out (NUL-terminated); false if it does not fit. */
bool sk_tok_copy(const struct sk_token *t, char *out, size_t outlen);

#endif
