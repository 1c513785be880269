/* value: the small things inside setkey words: numbers, addresses with prefix and
 * port, keys. Errors name the column of the offending character. */
#ifndef RACOON_SETKEY_VALUE_H
#define RACOON_SETKEY_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/addr.h"
#include "common/buf.h"
#include "setkey/lex.h"

/* Decimal or 0x-hex, no sign, at most max. */
bool sk_num(const char *s, size_t len, uint64_t max, uint64_t *out);

struct sk_addrspec {
	union sockaddr_any addr;
	uint8_t plen;     /* full length unless has_plen */
	bool has_plen;
	uint16_t port;    /* 0 = any */
	bool has_port;
};

enum sk_addr_flags {
	SK_ADDR_PREFIX = 1u << 0, /* addr/prefix allowed */
	SK_ADDR_PORT = 1u << 1,   /* addr[port] allowed ([any] too) */
	SK_ADDR_NODNS = 1u << 2,  /* numeric only */
};

/* family: 0, AF_INET or AF_INET6 (from -4/-6). 0 or -1 with err set. */
int sk_parse_addrspec(const struct sk_token *t, unsigned flags, int family,
		      struct sk_addrspec *out, struct sk_error *err);

/* A key: "quoted text" or 0x-hex (with optional '_' between digit groups), into a
 * secret buffer the caller initialised. 0 or -1 with err set. */
int sk_parse_key(const struct sk_token *t, struct buf *key, struct sk_error *err);

/* Upper-layer protocol names of spdadd (parse_spd.c): name for a number, NULL if none. */
const char *sk_ulproto_name(unsigned proto);

#endif
