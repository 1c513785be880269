/* events: the engine's SA events as show-event lines (text and JSON). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "admin/json.h"
#include "admin/server.h"
#include "common/hexdump.h"
#include "ike/ike.h"
#include "isakmp/isakmp.h"

static const char *event_name(enum ike_event_type t)
{
	switch (t) {
	case IKE_EV_PH1_UP: return "phase1-up";
	case IKE_EV_PH1_DOWN: return "phase1-down";
	case IKE_EV_PH1_FAILED: return "phase1-failed";
	case IKE_EV_PH2_UP: return "phase2-up";
	case IKE_EV_PH2_DOWN: return "phase2-down";
	case IKE_EV_PH2_FAILED: return "phase2-failed";
	}
	return "unknown";
}

static bool is_ph2(enum ike_event_type t)
{
	return t == IKE_EV_PH2_UP || t == IKE_EV_PH2_DOWN || t == IKE_EV_PH2_FAILED;
}

static const char *proto_name(uint8_t p)
{
	return p == ISAKMP_PROTO_IPSEC_ESP ? "esp" : p == ISAKMP_PROTO_IPSEC_AH ? "ah"
	       : p == ISAKMP_PROTO_IPCOMP ? "ipcomp" : "none";
}

static void format_text(const struct ike_event *ev, const char *when, char *out, size_t n)
{
	char l[ADDR_PORT_STRLEN], r[ADDR_PORT_STRLEN], ic[17], rc[17];
	int k = snprintf(out, n, "%s %s %s-%s spi:%s:%s", when, event_name(ev->type),
			 addr_ntop_port(ev->local, l), addr_ntop_port(ev->remote, r),
			 hex_encode(ev->icookie, 8, ic, sizeof(ic)),
			 hex_encode(ev->rcookie, 8, rc, sizeof(rc)));
	if (k > 0 && (size_t)k < n && is_ph2(ev->type))
		k += snprintf(out + k, n - (size_t)k, " msgid:%08x %s in:%08x out:%08x", ev->msgid,
			      proto_name(ev->proto), ev->spi_in, ev->spi_out);
	if (k > 0 && (size_t)k < n && ev->why)
		k += snprintf(out + k, n - (size_t)k, " (%s)", ev->why);
	if (k > 0 && (size_t)k < n)
		snprintf(out + k, n - (size_t)k, "\n");
	else if (n > 1)
		out[n - 2] = '\n'; /* truncated: still one line */
}

static void format_json(const struct ike_event *ev, const char *when, struct buf *b)
{
	struct json j;
	char a[ADDR_STRLEN], hex[17];
	json_init(&j, b);
	json_obj_begin(&j);
	json_kv_str(&j, "event", event_name(ev->type));
	json_kv_str(&j, "time", when);
	json_kv_str(&j, "local_address", addr_ntop(ev->local, a));
	json_kv_u64(&j, "local_port", addr_port(ev->local));
	json_kv_str(&j, "remote_address", addr_ntop(ev->remote, a));
	json_kv_u64(&j, "remote_port", addr_port(ev->remote));
	json_kv_str(&j, "initiator_cookie", hex_encode(ev->icookie, 8, hex, sizeof(hex)));
	json_kv_str(&j, "responder_cookie", hex_encode(ev->rcookie, 8, hex, sizeof(hex)));
	if (is_ph2(ev->type)) {
		snprintf(hex, sizeof(hex), "%08x", ev->msgid);
		json_kv_str(&j, "message_id", hex);
		json_kv_str(&j, "protocol", proto_name(ev->proto));
		snprintf(hex, sizeof(hex), "%08x", ev->spi_in);
		json_kv_str(&j, "spi_in", hex);
		snprintf(hex, sizeof(hex), "%08x", ev->spi_out);
		json_kv_str(&j, "spi_out", hex);
	}
	if (ev->why)
		json_kv_str(&j, "reason", ev->why);
	json_obj_end(&j);
	buf_put_u8(b, '\n');
	buf_put_u8(b, '\0');
}

void admin_engine_event(void *userdata, const struct ike_event *ev)
{
	struct admin_server *s = userdata;
	if (!admin_server_subscribers(s))
		return;
	char when[32], text[512];
	time_t now = time(NULL);
	struct tm tm;
	if (!gmtime_r(&now, &tm) || !strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(when, sizeof(when), "?");
	format_text(ev, when, text, sizeof(text));
	struct buf js;
	bool ok = buf_init(&js, 2048) == 0;
	if (ok)
		format_json(ev, when, &js);
	admin_server_publish(s, text, ok && buf_ok(&js) ? (const char *)js.ptr : NULL);
	buf_free(&js);
}
