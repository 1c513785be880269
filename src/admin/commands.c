/* commands: racoonctl's commands on the daemon side, one table row each. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "admin/commands.h"
#include "admin/json.h"
#include "admin/server.h"
#include "common/hexdump.h"
#include "event/event.h"
#include "ike/ike.h"
#include "isakmp/isakmp.h"

void cmd_outf(struct cmd_ctx *c, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > 0)
		buf_put_bytes(c->out, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

int cmd_fail(struct cmd_ctx *c, int err, const char *msg)
{
	cmd_outf(c, "%s\n", msg);
	return -err;
}

/* ---- SA listings ---------------------------------------------------------------- */

static const char *exchange_name(uint8_t x)
{
	return x == 2 ? "main" : x == 4 ? "aggressive" : x == 1 ? "base" : "?";
}

static int ph1_text(const struct ike_ph1_info *i, void *ud)
{
	struct cmd_ctx *c = ud;
	char l[ADDR_PORT_STRLEN], r[ADDR_PORT_STRLEN], ic[17], rc[17];
	cmd_outf(c, "%-28s %-28s %s:%s %-24s %s\n", addr_ntop_port(&i->local, l),
	     addr_ntop_port(&i->remote, r), hex_encode(i->icookie, 8, ic, sizeof(ic)),
	     hex_encode(i->rcookie, 8, rc, sizeof(rc)), i->state,
	     i->initiator ? "initiator" : "responder");
	return 0;
}

static const char *proto_name(uint8_t p)
{
	return p == ISAKMP_PROTO_IPSEC_ESP ? "esp" : p == ISAKMP_PROTO_IPSEC_AH ? "ah"
	     : p == ISAKMP_PROTO_IPCOMP ? "ipcomp" : "?";
}

struct ph2_filter {
	struct cmd_ctx *c;
	uint8_t proto; /* 0: all */
	struct json *j;
	unsigned index;
};

static bool ph2_has_proto(const struct ike_ph2_info *i, uint8_t proto)
{
	for (unsigned k = 0; k < i->nproto && k < 3; k++)
		if (!proto || i->sa[k].proto == proto)
			return true;
	return false;
}

static int ph2_text(const struct ike_ph2_info *i, void *ud)
{
	struct ph2_filter *f = ud;
	if (!ph2_has_proto(i, f->proto))
		return 0;
	char l[ADDR_PORT_STRLEN], r[ADDR_PORT_STRLEN];
	cmd_outf(f->c, "%-28s %-28s %-10s %-20s msgid:%08x", addr_ntop_port(&i->local, l),
	     addr_ntop_port(&i->remote, r), i->tunnel ? "tunnel" : "transport", i->state, i->msgid);
	for (unsigned k = 0; k < i->nproto && k < 3; k++)
		cmd_outf(f->c, " %s in:%08x out:%08x", proto_name(i->sa[k].proto), i->sa[k].spi_in,
		     i->sa[k].spi_out);
	cmd_outf(f->c, "\n");
	return 0;
}

static int ph1_json(const struct ike_ph1_info *i, void *ud)
{
	struct ph2_filter *f = ud;
	struct json *j = f->j;
	char a[ADDR_STRLEN], ic[17], rc[17];
	json_obj_begin(j);
	json_kv_u64(j, "index", f->index++);
	json_kv_str(j, "state", i->state);
	json_kv_bool(j, "established", i->established);
	json_kv_str(j, "role", i->initiator ? "initiator" : "responder");
	json_kv_str(j, "exchange_mode", exchange_name(i->exchange));
	json_kv_str(j, "local_address", addr_ntop(&i->local, a));
	json_kv_u64(j, "local_port", addr_port(&i->local));
	json_kv_str(j, "remote_address", addr_ntop(&i->remote, a));
	json_kv_u64(j, "remote_port", addr_port(&i->remote));
	json_kv_str(j, "initiator_cookie", hex_encode(i->icookie, 8, ic, sizeof(ic)));
	json_kv_str(j, "responder_cookie", hex_encode(i->rcookie, 8, rc, sizeof(rc)));
	json_kv_u64(j, "lifetime_seconds", i->lifetime_s);
	json_obj_end(j);
	return 0;
}

static int ph2_json(const struct ike_ph2_info *i, void *ud)
{
	struct ph2_filter *f = ud;
	struct json *j = f->j;
	if (!ph2_has_proto(i, f->proto))
		return 0;
	char a[ADDR_STRLEN], spi[12];
	json_obj_begin(j);
	json_kv_u64(j, "index", f->index++);
	json_kv_str(j, "state", i->state);
	json_kv_bool(j, "established", i->established);
	json_kv_str(j, "role", i->initiator ? "initiator" : "responder");
	json_kv_str(j, "mode", i->tunnel ? "tunnel" : "transport");
	json_kv_str(j, "local_address", addr_ntop(&i->local, a));
	json_kv_str(j, "remote_address", addr_ntop(&i->remote, a));
	snprintf(spi, sizeof(spi), "%08x", i->msgid);
	json_kv_str(j, "message_id", spi);
	json_kv_u64(j, "lifetime_seconds", i->lifetime_s);
	json_key(j, "sas");
	json_arr_begin(j);
	for (unsigned k = 0; k < i->nproto && k < 3; k++) {
		json_obj_begin(j);
		json_kv_str(j, "protocol", proto_name(i->sa[k].proto));
		snprintf(spi, sizeof(spi), "%08x", i->sa[k].spi_in);
		json_kv_str(j, "spi_in", spi);
		snprintf(spi, sizeof(spi), "%08x", i->sa[k].spi_out);
		json_kv_str(j, "spi_out", spi);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
	return 0;
}

/* Selects what show-sa / flush-sa act on. */
int cmd_parse_sa_kind(const char *s, bool *isakmp, uint8_t *proto)
{
	*isakmp = false;
	*proto = 0;
	if (!strcmp(s, "isakmp"))
		*isakmp = true;
	else if (!strcmp(s, "esp"))
		*proto = ISAKMP_PROTO_IPSEC_ESP;
	else if (!strcmp(s, "ah"))
		*proto = ISAKMP_PROTO_IPSEC_AH;
	else if (strcmp(s, "ipsec") != 0)
		return -EINVAL;
	return 0;
}

void cmd_list_sas(struct cmd_ctx *c, bool ph1, bool ph2, uint8_t proto)
{
	struct ph2_filter f = { .c = c, .proto = proto };
	if (c->json) {
		struct json j;
		json_init(&j, c->out);
		f.j = &j;
		json_obj_begin(&j);
		json_kv_str(&j, "schema_version", "2.0");
		if (ph1) {
			json_key(&j, "phase1");
			json_arr_begin(&j);
			if (c->env->engine)
				ike_engine_foreach_ph1(c->env->engine, ph1_json, &f);
			json_arr_end(&j);
		}
		if (ph2) {
			f.index = 0;
			json_key(&j, "phase2");
			json_arr_begin(&j);
			if (c->env->engine)
				ike_engine_foreach_ph2(c->env->engine, ph2_json, &f);
			json_arr_end(&j);
		}
		json_obj_end(&j);
		buf_put_u8(c->out, '\n');
		return;
	}
	if (ph1 && c->env->engine) {
		cmd_outf(c, "%-28s %-28s %-33s %-24s %s\n", "Local", "Remote", "Cookies", "State", "Role");
		ike_engine_foreach_ph1(c->env->engine, ph1_text, c);
	}
	if (ph2 && c->env->engine) {
		cmd_outf(c, "%-28s %-28s %-10s %-20s %s\n", "Local", "Remote", "Mode", "State", "SAs");
		ike_engine_foreach_ph2(c->env->engine, ph2_text, &f);
	}
}

static int cmd_show_sa(struct cmd_ctx *c)
{
	bool isakmp;
	uint8_t proto;
	if (c->argc != 2 || cmd_parse_sa_kind(c->argv[1], &isakmp, &proto) < 0)
		return cmd_fail(c, EINVAL, "usage: show-sa isakmp|esp|ah|ipsec");
	cmd_list_sas(c, isakmp, !isakmp, proto);
	return 0;
}

static int cmd_status(struct cmd_ctx *c)
{
	for (int i = 1; i < c->argc; i++) {
		if (!strcmp(c->argv[i], "-v"))
			c->verbose = true;
		else if (!strcmp(c->argv[i], "-f") && i + 1 < c->argc)
			c->json = !strcmp(c->argv[++i], "json");
		else if (!strncmp(c->argv[i], "--format=", 9))
			c->json = !strcmp(c->argv[i] + 9, "json");
		else
			return cmd_fail(c, EINVAL, "usage: status [-v] [-f text|json]");
	}
	if (!c->json) {
		struct ike_stats st = { 0 };
		if (c->env->engine)
			ike_engine_stats(c->env->engine, &st);
		cmd_outf(c, "ISAKMP-SA: %u (%u established, %u half-open)\nIPsec-SA:  %u (%u established)\n",
		     st.ph1, st.ph1_established, st.ph1_halfopen, st.ph2, st.ph2_established);
		if (c->verbose)
			cmd_outf(c, "dropped: %lu  duplicates: %lu  retransmits: %lu  notifies: %lu\n",
			     st.dropped, st.duplicates, st.retransmits, st.notifies_sent);
	}
	cmd_list_sas(c, true, true, 0);
	return 0;
}

static int cmd_show_schedule(struct cmd_ctx *c)
{
	if (!c->env->engine)
		return cmd_fail(c, ENOENT, "no negotiation engine");
	uint64_t next = ike_engine_next_timer(c->env->engine), now = event_now_usec();
	if (next == UINT64_MAX)
		cmd_outf(c, "no timers scheduled\n");
	else
		cmd_outf(c, "next timer in %.3f s\n", next > now ? (double)(next - now) / 1e6 : 0.0);
	return 0;
}

static int cmd_reload(struct cmd_ctx *c)
{
	if (!c->env->reload)
		return cmd_fail(c, ENOTSUP, "reload is not available");
	int r = c->env->reload(c->env->userdata);
	if (r < 0)
		return cmd_fail(c, -r, "the configuration has errors: the old one stays (see the log)");
	cmd_outf(c, "configuration reloaded\n");
	return 0;
}

static int cmd_show_event(struct cmd_ctx *c)
{
	c->subscribe = true;
	cmd_outf(c, c->json ? "" : "listening for events\n");
	return 0;
}

static const struct command {
	const char *name, *alias;
	int (*run)(struct cmd_ctx *c);
} commands[] = {
	{ "delete-sa", "ds", cmd_delete_sa },
	{ "establish-sa", "es", cmd_establish_sa },
	{ "flush-sa", "fs", cmd_flush_sa },
	{ "get-cert", "gc", cmd_get_cert },
	{ "logout-user", "lu", cmd_logout_user },
	{ "reload-config", "rc", cmd_reload },
	{ "show-event", "se", cmd_show_event },
	{ "show-sa", "ss", cmd_show_sa },
	{ "show-schedule", "sc", cmd_show_schedule },
	{ "status", "st", cmd_status },
	{ "vpn-connect", "vc", cmd_vpn_connect },
	{ "vpn-disconnect", "vd", cmd_vpn_disconnect },
};

int admin_dispatch(const struct admin_env *env, int argc, const char **argv, struct buf *out,
		   bool *json, bool *subscribe)
{
	struct cmd_ctx c = { .env = env, .argc = argc, .argv = argv, .out = out };
	/* A leading -j (racoonctl -j) asks for JSON. */
	if (c.argc > 1 && !strcmp(c.argv[0], "-j")) {
		c.json = true;
		c.argc--;
		c.argv++;
	}
	int r = -ENOENT;
	bool found = false;
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (!strcmp(c.argv[0], commands[i].name) || !strcmp(c.argv[0], commands[i].alias)) {
			r = commands[i].run(&c);
			found = true;
			break;
		}
	}
	if (!found)
		r = cmd_fail(&c, ENOENT, "unknown command");
	*json = c.json;
	*subscribe = c.subscribe;
	return r;
}
