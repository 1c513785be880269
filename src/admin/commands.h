/* commands: what the admin command handlers share (internal to src/admin). */
#ifndef RACOON_ADMIN_COMMANDS_H
#define RACOON_ADMIN_COMMANDS_H

#include <stdbool.h>
#include <stdint.h>

#include "admin/server.h"
#include "common/buf.h"

/* The JSON output's schema (tests/admin/racoonctl-status.schema.json, racoonctl(8)). */
#define ADMIN_JSON_SCHEMA_VERSION "2.0"

struct cmd_ctx {
	const struct admin_env *env;
	int argc;
	const char **argv;
	struct buf *out;
	bool json;      /* -j / -f json: reply in JSON */
	bool verbose;   /* -v */
	bool subscribe; /* show-event */
	bool summary;   /* status: counts before the lists */
	bool usage;     /* the arguments were wrong (racoonctl exits 2) */
};

void cmd_outf(struct cmd_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Write msg as the reply text and return -err. */
int cmd_fail(struct cmd_ctx *c, int err, const char *msg);
/* Bad arguments: msg (a usage line) as the reply, -EINVAL, and the USAGE flag. */
int cmd_usage(struct cmd_ctx *c, const char *msg);
/* "isakmp" | "esp" | "ah" | "ipsec" -> isakmp flag / ISAKMP protocol (0 = all IPsec). */
int cmd_parse_sa_kind(const char *s, bool *isakmp, uint8_t *proto);
void cmd_list_sas(struct cmd_ctx *c, bool ph1, bool ph2, uint8_t proto);

/* commands_sa.c: commands that create or delete SAs. */
int cmd_delete_sa(struct cmd_ctx *c);
int cmd_establish_sa(struct cmd_ctx *c);
int cmd_flush_sa(struct cmd_ctx *c);
int cmd_vpn_connect(struct cmd_ctx *c);
int cmd_vpn_disconnect(struct cmd_ctx *c);
int cmd_logout_user(struct cmd_ctx *c);
int cmd_get_cert(struct cmd_ctx *c);

#endif
