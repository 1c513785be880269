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

int cmd_usage(struct cmd_ctx *c, const char *msg)
{
	c->usage = true;
	return cmd_fail(c, EINVAL, msg);
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

/* A phase 1 index: "0x" and the cookie pair in hex (what phase2[].phase1_index joins). */
static const char *cookie_index(const uint8_t ic[8], const uint8_t rc[8], char out[36])
{
	out[0] = '0';
	out[1] = 'x';
	hex_encode(ic, 8, out + 2, 17);
	hex_encode(rc, 8, out + 18, 17);
	return out;
}

static void json_selector(struct json *j, const char *key, const union sockaddr_any *a,
			  unsigned plen)
{
	char s[ADDR_STRLEN], t[ADDR_STRLEN + 8];
	snprintf(t, sizeof(t), "%s/%u", addr_ntop(a, s), plen);
	json_kv_str(j, key, t);
}

static void json_port_or_any(struct json *j, const char *key, unsigned v)
{
	json_key(j, key);
	if (v)
		json_u64(j, v);
	else
		json_str(j, "any");
}

static int ph1_json(const struct ike_ph1_info *i, void *ud)
{
	struct ph2_filter *f = ud;
	struct json *j = f->j;
	char a[ADDR_STRLEN], ic[17], rc[17], idx[36];
	json_obj_begin(j);
	json_kv_str(j, "index", cookie_index(i->icookie, i->rcookie, idx));
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
	char a[ADDR_STRLEN], spi[12], idx[36];
	static const uint8_t zero[16];
	json_obj_begin(j);
	snprintf(idx, sizeof(idx), "0x%08x", i->msgid);
	json_kv_str(j, "index", idx);
	json_key(j, "phase1_index");
	if (memcmp(i->cookies, zero, 16))
		json_str(j, cookie_index(i->cookies, i->cookies + 8, idx));
	else
		json_null(j);
	json_kv_str(j, "state", i->state);
	json_kv_bool(j, "established", i->established);
	json_kv_str(j, "role", i->initiator ? "initiator" : "responder");
	json_kv_str(j, "mode", i->tunnel ? "tunnel" : "transport");
	json_kv_str(j, "local_address", addr_ntop(&i->local, a));
	json_kv_str(j, "remote_address", addr_ntop(&i->remote, a));
	snprintf(spi, sizeof(spi), "%08x", i->msgid);
	json_kv_str(j, "message_id", spi);
	json_kv_u64(j, "lifetime_seconds", i->lifetime_s);
	json_kv_u64(j, "reqid", i->reqid);
	json_key(j, "selectors");
	json_obj_begin(j);
	json_selector(j, "src", &i->src, i->src_plen);
	json_selector(j, "dst", &i->dst, i->dst_plen);
	json_key(j, "protocol");
	if (i->ulproto)
		json_u64(j, i->ulproto);
	else
		json_str(j, "any");
	json_port_or_any(j, "src_port", i->sport);
	json_port_or_any(j, "dst_port", i->dport);
	json_obj_end(j);
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

/* status -f json: the counts (and with -v the engine's counters). */
static void json_summary(struct cmd_ctx *c, struct json *j)
{
	struct ike_stats st = { 0 };
	if (c->env->engine)
		ike_engine_stats(c->env->engine, &st);
	json_key(j, "summary");
	json_obj_begin(j);
	json_kv_u64(j, "phase1", st.ph1);
	json_kv_u64(j, "phase1_established", st.ph1_established);
	json_kv_u64(j, "phase1_half_open", st.ph1_halfopen);
	json_kv_u64(j, "phase2", st.ph2);
	json_kv_u64(j, "phase2_established", st.ph2_established);
	if (c->verbose) {
		json_kv_u64(j, "dropped", st.dropped);
		json_kv_u64(j, "duplicates", st.duplicates);
		json_kv_u64(j, "retransmits", st.retransmits);
		json_kv_u64(j, "notifies_sent", st.notifies_sent);
	}
	json_obj_end(j);
}

void cmd_list_sas(struct cmd_ctx *c, bool ph1, bool ph2, uint8_t proto)
{
	struct ph2_filter f = { .c = c, .proto = proto };
	if (c->json) {
		struct json j;
		json_init(&j, c->out);
		f.j = &j;
		char when[32];
		time_t now = time(NULL);
		struct tm tm;
		if (!gmtime_r(&now, &tm) || !strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm))
			snprintf(when, sizeof(when), "1970-01-01T00:00:00Z");
		json_obj_begin(&j);
		json_kv_str(&j, "schema_version", ADMIN_JSON_SCHEMA_VERSION);
		json_kv_str(&j, "timestamp", when);
		if (c->summary)
			json_summary(c, &j);
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
		return cmd_usage(c, "usage: show-sa isakmp|esp|ah|ipsec");
	cmd_list_sas(c, isakmp, !isakmp, proto);
	return 0;
}

static bool set_format(struct cmd_ctx *c, const char *f)
{
	if (strcmp(f, "json") && strcmp(f, "text"))
		return false;
	c->json = !strcmp(f, "json");
	return true;
}

static int cmd_status(struct cmd_ctx *c)
{
	for (int i = 1; i < c->argc; i++) {
		if (!strcmp(c->argv[i], "-v") || !strcmp(c->argv[i], "--verbose"))
			c->verbose = true;
		else if (!strcmp(c->argv[i], "-f") && i + 1 < c->argc && set_format(c, c->argv[i + 1]))
			i++;
		else if (!strncmp(c->argv[i], "--format=", 9) && set_format(c, c->argv[i] + 9))
			continue;
		else
			return cmd_usage(c, "usage: status [-v] [-f text|json]");
	}
	c->summary = true;
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
		   struct admin_outcome *o)
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
	o->json = c.json;
	o->subscribe = c.subscribe;
	o->usage = c.usage;
	return r;
}
