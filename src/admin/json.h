/* json: a small streaming JSON writer into a struct buf (racoonctl -j output). */
#ifndef RACOON_ADMIN_JSON_H
#define RACOON_ADMIN_JSON_H

#include <stdbool.h>
#include <stdint.h>

#include "common/buf.h"

#define JSON_MAX_DEPTH 16

struct json {
	struct buf *out;
	int depth;
	bool first[JSON_MAX_DEPTH]; /* no comma needed before the next member */
	bool after_key;
};

void json_init(struct json *j, struct buf *out);
void json_obj_begin(struct json *j);
void json_obj_end(struct json *j);
void json_arr_begin(struct json *j);
void json_arr_end(struct json *j);
void json_key(struct json *j, const char *key);
void json_str(struct json *j, const char *s);
void json_u64(struct json *j, uint64_t v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);
/* Shorthands for "key": value members. */
void json_kv_str(struct json *j, const char *key, const char *s);
void json_kv_u64(struct json *j, const char *key, uint64_t v);
void json_kv_bool(struct json *j, const char *key, bool v);

#endif
