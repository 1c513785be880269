/* conf/parser: state and helpers shared by the racoon.conf block parsers. Internal. */
#ifndef RACOON_CONF_PARSER_H
#define RACOON_CONF_PARSER_H

#include <stdbool.h>
#include <stdint.h>

#include "conf/conf.h"
#include "conf/lex.h"

#define CONF_MAX_ERRORS 50
#define CONF_MAX_REMOTES 4096
#define CONF_MAX_SAINFOS 16384
#define CONF_MAX_LIST 64 /* peers_identifier, split_dns, ... */

struct parser {
	struct racoon_conf *conf;
	const struct conf_load_opts *opts;
	struct lexer lx;
	struct tok tok;        /* current token */
	const char *prev_file; /* where the previous token was (missing ';') */
	unsigned prev_line;
	unsigned n_errors;
	bool oom;
	const struct directive *cur_dir; /* the directive being parsed */
	bool cur_first;                  /* its first use in the current block */
};

/* Reports: "FILE:LINE: message". */
void perr_at(struct parser *p, const char *file, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void pwarn_at(struct parser *p, const char *file, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
#define perr(p, ...) perr_at(p, (p)->tok.file, (p)->tok.line, __VA_ARGS__)
#define pwarn(p, ...) pwarn_at(p, (p)->tok.file, (p)->tok.line, __VA_ARGS__)

/* Token stream. */
void next(struct parser *p);
bool at(const struct parser *p, enum tok_type t);
bool at_word(const struct parser *p, const char *w);
/* Each returns false after reporting "expected X, found Y". */
bool expect(struct parser *p, enum tok_type t, const char *what);
bool expect_semi(struct parser *p);
bool expect_lbrace(struct parser *p);
/* Error recovery: skip to just past the next ';' of this level, or up to (not past) the
 * '}' that closes the current block; skips nested blocks whole. */
void recover(struct parser *p);
/* Skip a whole { ... } block starting at the current '{'. */
void skip_block(struct parser *p);

/* Values: each reads the current token(s), reports on error, returns false. */
bool get_string(struct parser *p, const char *what, char **out);     /* "quoted" */
bool get_word_or_string(struct parser *p, const char *what, char **out);
bool get_onoff(struct parser *p, bool *out);
bool get_uint(struct parser *p, const char *what, unsigned long min, unsigned long max,
	      unsigned long *out);
/* N unit (sec, min, hour, ...) -> seconds, at most max seconds. */
bool get_time(struct parser *p, const char *what, unsigned long max, uint32_t *out);
/* `time N unit` of a lifetime (byte lifetimes are refused). */
bool get_lifetime(struct parser *p, uint32_t *out);
/* ADDR [port]; default_port applies without [port]. */
bool get_address(struct parser *p, const char *what, uint16_t default_port,
		 union sockaddr_any *out);
bool parse_addr_text(const char *s, union sockaddr_any *out);

/* Keyword tables: sorted by name, looked up with bsearch. */
struct kw {
	const char *name;
	int value;
};
int kw_lookup(const struct kw *tab, size_t n, const char *name); /* -1 if absent */
#define KW_LOOKUP(tab, name) kw_lookup(tab, sizeof(tab) / sizeof(tab[0]), name)
/* One keyword of tab, else "expected WHAT (a, b, c), found X". */
bool get_kw(struct parser *p, const struct kw *tab, size_t n, const char *what, int *out);
#define GET_KW(p, tab, what, out) get_kw(p, tab, sizeof(tab) / sizeof(tab[0]), what, out)

/* Directive tables: one handler per directive of a block, sorted by name. The handler
 * is called with the directive's keyword consumed and parses through its ';'. */
typedef bool (*directive_fn)(struct parser *p, void *obj);
struct directive {
	const char *name;
	directive_fn fn;
	size_t off;              /* generic handlers: offset of the field in obj */
	unsigned long min, max;  /* generic number handlers: the range */
	bool repeat;             /* may appear more than once (lists) */
};
/* Parse `{ directive... }`; the current token is '{'. Unknown directives and handler
 * failures are reported and skipped (recover()). */
/* Returns a mask of the directives seen (bit = index in tab; tables have <= 64 rows).
 * While a handler runs, p->cur_dir is its row and p->cur_first says whether this is the
 * directive's first use in this block. A second use of a non-repeat directive warns. */
uint64_t parse_block(struct parser *p, const char *block, const struct directive *tab,
		     size_t n, void *obj);
#define PARSE_BLOCK(p, block, tab, obj) \
	parse_block(p, block, tab, sizeof(tab) / sizeof(tab[0]), obj)

/* Memory helpers that set p->oom. */
char *pstrdup(struct parser *p, const char *s);
bool grow(struct parser *p, void **arr, size_t *n, size_t size, size_t max, const char *what);

/* Relative file names: join with a base directory (NULL base: unchanged). */
char *path_join(struct parser *p, const char *base, const char *name);

/* Names shared between the blocks (names.c). */
extern const struct kw kw_dh_group[];
extern const size_t kw_dh_group_n;
bool get_dh_group(struct parser *p, unsigned *out);
bool get_id_type(struct parser *p, enum conf_id_type *out, bool *refused);
/* my_identifier / peers_identifier / sainfo `from` body: TYPE [value]. */
bool get_identifier(struct parser *p, struct conf_id *id, bool allow_file);
void conf_id_free(struct conf_id *id);
bool conf_id_copy(struct parser *p, struct conf_id *dst, const struct conf_id *src);

/* Generic handlers using d->off (and d->min/max): */
bool dir_onoff(struct parser *p, void *obj);  /* bool */
bool dir_uint(struct parser *p, void *obj);   /* unsigned */
bool dir_string(struct parser *p, void *obj); /* char * */
bool dir_time(struct parser *p, void *obj);   /* unsigned seconds: N unit */

/* Block parsers. */
void parse_global_statement(struct parser *p); /* current token: a top-level keyword */
void parse_remote(struct parser *p);
void parse_sainfo(struct parser *p);
void parse_mode_cfg(struct parser *p);
void parse_ldapcfg(struct parser *p);
void parse_radiuscfg(struct parser *p);

/* Defaults and validation. */
void conf_set_defaults(struct racoon_conf *c);
void remote_set_defaults(struct conf_remote *r);
void sainfo_set_defaults(struct conf_sainfo *s);
void conf_validate(struct parser *p);
void remote_free(struct conf_remote *r);
void sainfo_free(struct conf_sainfo *s);

#endif
