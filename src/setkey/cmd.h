/* cmd: the parsed form of a setkey script, one struct per command.
 *
 * The parser fills these from text and nothing else; apply.c turns them into kernel
 * calls. SA and policy fields use kernel.h's types directly so nothing is translated
 * twice. Keys live in secret buffers owned by the command (wiped by sk_script_free).
 */
#ifndef RACOON_SETKEY_CMD_H
#define RACOON_SETKEY_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "kernel/kernel.h"
#include "setkey/error.h"

enum sk_op {
	SK_OP_ADD = 1,
	SK_OP_GET,
	SK_OP_DELETE,
	SK_OP_DELETEALL,
	SK_OP_FLUSH,
	SK_OP_DUMP,
	SK_OP_GETSPI,
	SK_OP_SPDADD,
	SK_OP_SPDUPDATE,
	SK_OP_SPDDELETE,
	SK_OP_SPDFLUSH,
	SK_OP_SPDDUMP,
};

struct sk_alg; /* algs.h */

struct sk_sa_cmd {
	int satype;              /* 0 = every protocol (flush, dump), else enum kernel_proto */
	bool mode_any;           /* -m any (installed as transport, as Linux does) */
	bool raw_cpi;            /* -C ... -R */
	struct kernel_sa sa;     /* addresses, SPI, mode, reqid, lifetimes, algorithms;
				    the key pointers stay NULL here (see enc_key/auth_key) */
	const struct sk_alg *enc, *auth, *comp; /* as written (names for printing) */
	struct buf enc_key;      /* secret */
	struct buf auth_key;     /* secret */
};

struct sk_spd_cmd {
	struct kernel_policy pol;
	bool has_action;         /* false: spddelete with only "-P dir" */
	bool has_prio;           /* a priority was written (else the reference default) */
};

struct sk_cmd {
	enum sk_op op;
	unsigned line, col;      /* of the command's first word */
	unsigned end_line;       /* of its ';' */
	union {
		struct sk_sa_cmd sa;
		struct sk_spd_cmd spd;
	} u;
};

#define SK_MAX_COMMANDS 65536u

struct sk_script {
	struct sk_cmd *cmds;
	size_t n, cap;
	bool exited;             /* input ended with exit/quit/bye */
};

/* A warning about the input (e.g. a legacy algorithm); parsing goes on. */
typedef void (*sk_warn_fn)(void *userdata, unsigned line, unsigned col, const char *msg);

struct sk_parse_opts {
	sk_warn_fn warn;         /* NULL: warnings are dropped */
	void *warn_userdata;
	bool no_dns;             /* never resolve host names (as if every command had -n) */
};

/* Parse a whole script. 0 and *out filled, or -1 with err set (line:column) and *out
 * empty. text need not be NUL-terminated; a NUL byte in it is an error. */
int sk_parse(const char *text, size_t len, const struct sk_parse_opts *o,
	     struct sk_script *out, struct sk_error *err);
void sk_script_free(struct sk_script *s);

const char *sk_op_name(enum sk_op op);

#endif
