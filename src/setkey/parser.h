/* parser: state and helpers shared by the command parsers (parse*.c, policy.c).
 * Internal to setkey. */
#ifndef RACOON_SETKEY_PARSER_H
#define RACOON_SETKEY_PARSER_H

#include "setkey/cmd.h"
#include "setkey/lex.h"

struct sk_parser {
	struct sk_lexer lx;
	struct sk_error *err;
	const struct sk_parse_opts *o;
};

/* The next token, which must be a word (what: for the message). 0 or -1. */
int sk_p_word(struct sk_parser *p, struct sk_token *t, const char *what);
/* The ';' that ends a command. 0 or -1. */
int sk_p_end(struct sk_parser *p, struct sk_cmd *c);
/* An error at a token, quoting it. Returns -1. */
int sk_p_unexpected(struct sk_parser *p, const struct sk_token *t, const char *expected);
void sk_p_warn(struct sk_parser *p, const struct sk_token *t, const char *msg);
/* [-46n] after the command word. */
int sk_p_addropts(struct sk_parser *p, int *family, unsigned *addr_flags);

/* Command bodies: the command word has been taken. */
int sk_parse_sa_cmd(struct sk_parser *p, struct sk_cmd *c);
int sk_parse_flush_dump(struct sk_parser *p, struct sk_cmd *c);
int sk_parse_spd_cmd(struct sk_parser *p, struct sk_cmd *c);
/* "-P dir [prio ...] action rules..." up to (not including) ';'. dir_only: spddelete. */
int sk_parse_policy(struct sk_parser *p, struct sk_spd_cmd *s, bool dir_only);

#endif
