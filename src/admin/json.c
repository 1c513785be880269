/* json: streaming writer; strings escaped per RFC 8259. */
#include "admin/json.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

void json_init(struct json *j, struct buf *out)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
	j->first[0] = true;
}

/* Comma handling for a new value at the current level. */
static void value_start(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (!j->first[j->depth])
		buf_put_u8(j->out, ',');
	j->first[j->depth] = false;
}

static void open(struct json *j, char c)
{
	value_start(j);
	buf_put_u8(j->out, (uint8_t)c);
	if (j->depth + 1 < JSON_MAX_DEPTH)
		j->depth++;
	j->first[j->depth] = true;
}

static void close_(struct json *j, char c)
{
	buf_put_u8(j->out, (uint8_t)c);
	if (j->depth > 0)
		j->depth--;
}

void json_obj_begin(struct json *j) { open(j, '{'); }
void json_obj_end(struct json *j) { close_(j, '}'); }
void json_arr_begin(struct json *j) { open(j, '['); }
void json_arr_end(struct json *j) { close_(j, ']'); }

static void put_string(struct buf *b, const char *s)
{
	buf_put_u8(b, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		char esc[8];
		switch (*p) {
		case '"': buf_put_bytes(b, "\\\"", 2); break;
		case '\\': buf_put_bytes(b, "\\\\", 2); break;
		case '\n': buf_put_bytes(b, "\\n", 2); break;
		case '\r': buf_put_bytes(b, "\\r", 2); break;
		case '\t': buf_put_bytes(b, "\\t", 2); break;
		default:
			if (*p < 0x20) {
				snprintf(esc, sizeof(esc), "\\u%04x", *p);
				buf_put_bytes(b, esc, 6);
			} else {
				buf_put_u8(b, *p);
			}
		}
	}
	buf_put_u8(b, '"');
}

void json_key(struct json *j, const char *key)
{
	value_start(j);
	put_string(j->out, key);
	buf_put_u8(j->out, ':');
	j->after_key = true;
}

void json_str(struct json *j, const char *s)
{
	value_start(j);
	put_string(j->out, s ? s : "");
}

void json_u64(struct json *j, uint64_t v)
{
	char t[24];
	value_start(j);
	int n = snprintf(t, sizeof(t), "%" PRIu64, v);
	buf_put_bytes(j->out, t, (size_t)n);
}

void json_bool(struct json *j, bool v)
{
	value_start(j);
	buf_put_bytes(j->out, v ? "true" : "false", v ? 4 : 5);
}

void json_null(struct json *j)
{
	value_start(j);
	buf_put_bytes(j->out, "null", 4);
}

void json_kv_str(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_str(j, s);
}

void json_kv_u64(struct json *j, const char *key, uint64_t v)
{
	json_key(j, key);
	json_u64(j, v);
}

void json_kv_bool(struct json *j, const char *key, bool v)
{
	json_key(j, key);
	json_bool(j, v);
}
