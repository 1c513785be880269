/* value: numbers, addresses, keys. See value.h. */
#include <arpa/inet.h>
#include <ctype.h>
#include <netdb.h>
#include <string.h>

#include "setkey/value.h"
#include "common/hexdump.h"

#define ADDR_TEXT_MAX 256

bool sk_num(const char *s, size_t len, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	unsigned base = 10;

	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		len -= 2;
	}
	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned d;
		unsigned char c = (unsigned char)s[i];
		if (isdigit(c))
			d = c - '0';
		else if (base == 16 && isxdigit(c))
			d = (unsigned)(tolower(c) - 'a' + 10);
		else
			return false;
		if (d > max || v > (max - d) / base)
			return false;
		v = v * base + d;
	}
	*out = v;
	return true;
}

int sk_parse_key(const struct sk_token *t, struct buf *key, struct sk_error *err)
{
	if (t->type == SK_TOK_STRING) {
		if (!buf_put_bytes(key, t->p, t->len))
			return sk_error_set(err, t->line, t->col, "key too long");
		return 0;
	}
	if (t->type != SK_TOK_WORD || t->len < 2 || t->p[0] != '0' ||
	    (t->p[1] != 'x' && t->p[1] != 'X'))
		return sk_error_set(err, t->line, t->col,
				    "expected a key (0x followed by hex digits, or \"text\")");
	int hi = -1;
	bool digits = false;
	for (size_t i = 2; i < t->len; i++) {
		char c = t->p[i];
		int v = hex_nibble(c);
		if (c == '_' && hi < 0 && digits && i + 1 < t->len)
			continue; /* digit group separator */
		if (v < 0)
			return sk_error_set(err, t->line, t->col + (unsigned)i,
					    "invalid character '%c' in hex key", isprint((unsigned char)c) ? c : '?');
		digits = true;
		if (hi < 0) {
			hi = v;
		} else {
			if (!buf_put_u8(key, (uint8_t)(hi << 4 | v)))
				return sk_error_set(err, t->line, t->col, "key too long");
			hi = -1;
		}
	}
	if (!digits)
		return sk_error_set(err, t->line, t->col, "empty hex key");
	if (hi >= 0)
		return sk_error_set(err, t->line, t->col, "odd number of hex digits in key");
	return 0;
}

/* Numeric first; "0" and other inet_aton forms as the reference's getaddrinfo takes
 * them; host names last (unless numeric only), first address of the family. */
static int resolve(const char *s, unsigned flags, int family, union sockaddr_any *a)
{
	struct in_addr in4;

	if (addr_parse(s, a) == 0)
		return 0;
	if (strspn(s, "0123456789.") == strlen(s) && inet_aton(s, &in4)) {
		memset(a, 0, sizeof(*a));
		a->sin.sin_family = AF_INET;
		a->sin.sin_addr = in4;
		return 0;
	}
	if (flags & SK_ADDR_NODNS)
		return -1;
	struct addrinfo hints = { .ai_family = family ? family : AF_UNSPEC,
				  .ai_socktype = SOCK_DGRAM };
	struct addrinfo *res = NULL;
	if (getaddrinfo(s, NULL, &hints, &res) != 0 || !res)
		return -1;
	int rc = -1;
	for (struct addrinfo *r = res; r; r = r->ai_next) {
		if ((r->ai_family == AF_INET || r->ai_family == AF_INET6) &&
		    r->ai_addrlen <= sizeof(*a)) {
			memset(a, 0, sizeof(*a));
			memcpy(a, r->ai_addr, r->ai_addrlen);
			rc = 0;
			break;
		}
	}
	freeaddrinfo(res);
	return rc;
}

static int parse_port(const struct sk_token *t, size_t off, const char *s, size_t len,
		      struct sk_addrspec *out, struct sk_error *err)
{
	uint64_t v;

	if (len == 3 && memcmp(s, "any", 3) == 0) {
		out->port = 0;
	} else if (sk_num(s, len, 65535, &v)) {
		out->port = (uint16_t)v;
	} else {
		return sk_error_set(err, t->line, t->col + (unsigned)off,
				    "invalid port (a number 0-65535 or any)");
	}
	out->has_port = true;
	return 0;
}

int sk_parse_addrspec(const struct sk_token *t, unsigned flags, int family,
		      struct sk_addrspec *out, struct sk_error *err)
{
	char text[ADDR_TEXT_MAX];
	size_t alen = t->len;

	memset(out, 0, sizeof(*out));
	if (t->type != SK_TOK_WORD)
		return sk_error_set(err, t->line, t->col, "expected an address");
	const char *br = memchr(t->p, '[', t->len);
	if (br) {
		size_t off = (size_t)(br - t->p);
		if (!(flags & SK_ADDR_PORT))
			return sk_error_set(err, t->line, t->col + (unsigned)off,
					    "a port is not allowed here");
		if (t->p[t->len - 1] != ']')
			return sk_error_set(err, t->line, t->col + (unsigned)off,
					    "missing ']' after the port");
		if (parse_port(t, off + 1, br + 1, t->len - off - 2, out, err) < 0)
			return -1;
		alen = off;
	}
	const char *sl = memchr(t->p, '/', alen);
	size_t hostlen = sl ? (size_t)(sl - t->p) : alen;
	if (hostlen == 0 || hostlen >= sizeof(text))
		return sk_error_set(err, t->line, t->col, "invalid address");
	memcpy(text, t->p, hostlen);
	text[hostlen] = '\0';
	if (resolve(text, flags, family, &out->addr) < 0)
		return sk_error_set(err, t->line, t->col, "invalid address '%s'", text);
	int fam = out->addr.sa.sa_family;
	if (family && fam != family)
		return sk_error_set(err, t->line, t->col, "'%s' is not an IPv%d address", text,
				    family == AF_INET ? 4 : 6);
	unsigned maxlen = fam == AF_INET ? 32 : 128;
	out->plen = (uint8_t)maxlen;
	if (sl) {
		size_t off = hostlen + 1;
		uint64_t v;
		if (!(flags & SK_ADDR_PREFIX))
			return sk_error_set(err, t->line, t->col + (unsigned)hostlen,
					    "a prefix length is not allowed here");
		if (!sk_num(t->p + off, alen - off, maxlen, &v) ||
		    (alen - off > 1 && t->p[off] == '0'))
			return sk_error_set(err, t->line, t->col + (unsigned)off,
					    "invalid prefix length (0-%u)", maxlen);
		out->plen = (uint8_t)v;
		out->has_plen = true;
	}
	return 0;
}
