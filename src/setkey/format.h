/* format: setkey's text output. Commands in their canonical form (what -n -v prints
 * and the unit tests compare), and SAD/SPD entries as -D / -DP show them. */
#ifndef RACOON_SETKEY_FORMAT_H
#define RACOON_SETKEY_FORMAT_H

#include <stdbool.h>
#include <stdio.h>

#include "kernel/kernel.h"
#include "setkey/cmd.h"

enum sk_fmt_flags {
	SK_FMT_KEYS = 1u << 0,  /* print keys in hex (else only their length) */
	SK_FMT_PORTS = 1u << 1, /* -p */
};

/* One command on one line, ending in ";\n". */
void sk_cmd_print(FILE *f, const struct sk_cmd *c, unsigned flags);

/* -D: one SA; -DP: one policy. */
void sk_sa_print(FILE *f, const struct kernel_sa *sa, const struct kernel_sa_stats *st,
		 unsigned flags);
void sk_policy_print(FILE *f, const struct kernel_policy *p, unsigned flags);

/* Pieces, also for messages. */
const char *sk_proto_name(int proto);   /* esp, ah, ipcomp */
const char *sk_dir_name(enum kernel_dir d);
void sk_addr_print(FILE *f, const union sockaddr_any *a, int plen, int port, bool show_port);

#endif
