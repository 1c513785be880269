/* apply: run a parsed script against a kernel backend (kernel/kernel.h).
 *
 * Commands run in order; the first failure stops the run and says which command
 * failed, so the caller can report exactly which lines were applied. In RFC mode
 * (-r, the default) an "in" policy also gets its "fwd" twin, as the reference does on
 * Linux: spdadd/spdupdate/spddelete act on both, and dumps hide the twins.
 */
#ifndef RACOON_SETKEY_APPLY_H
#define RACOON_SETKEY_APPLY_H

#include <stdbool.h>
#include <stdio.h>

#include "kernel/kernel.h"
#include "setkey/cmd.h"

struct sk_apply_opts {
	bool rfc_mode;      /* -r (default) vs -k */
	bool verbose;       /* -v: one line per command applied */
	unsigned fmt_flags; /* SK_FMT_* for dumps */
	FILE *out;          /* dumps and verbose lines */
};

struct sk_apply_result {
	size_t done;        /* commands applied completely (the first `done` of the script) */
	int err;            /* 0 or the negative errno of command `done` */
	char msg[256];      /* what failed, when err != 0 */
};

/* 0 when every command was applied, else the failing command's negative errno. */
int sk_apply(struct kernel *k, const struct sk_script *s, const struct sk_apply_opts *o,
	     struct sk_apply_result *r);

/* The kernel_sa of an SA command, with its key pointers set into the command. */
void sk_cmd_kernel_sa(const struct sk_cmd *c, struct kernel_sa *out);

#endif
