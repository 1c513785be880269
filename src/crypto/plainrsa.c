/* plainrsa: writer and parser of the plain RSA key file format (see plainrsa.h). */
#include <errno.h>
#include <nettle/base64.h>
#include <stdio.h>
#include <string.h>

#include "crypto/plainrsa.h"
#include "crypto/readfile.h"
#include "common/hexdump.h"

#define PRSA_NUM_MAX 2048u /* bytes: a 16384-bit modulus */

/* ---- writing ---- */

static bool put_str(struct buf *b, const char *s)
{
	return buf_put_bytes(b, s, strlen(s));
}

static bool put_hex(struct buf *b, const char *name, const struct buf *v)
{
	static const char digits[] = "0123456789abcdef";
	bool ok = put_str(b, "\t") && put_str(b, name) && put_str(b, ": 0x");
	for (size_t i = 0; ok && i < v->len; i++)
		ok = buf_put_u8(b, (uint8_t)digits[v->ptr[i] >> 4]) &&
		     buf_put_u8(b, (uint8_t)digits[v->ptr[i] & 15]);
	return ok && put_str(b, "\n");
}

/* RFC 3110 blob of (n, e) as "0s<base64>" plus a NUL. */
static int b64_blob(const struct buf *n, const struct buf *e, struct buf *out)
{
	struct buf blob = { 0 };
	size_t len = 3 + e->len + n->len;
	int r = buf_init(&blob, len);
	bool ok = r == 0;
	if (ok && e->len <= 255)
		ok = buf_put_u8(&blob, (uint8_t)e->len);
	else if (ok)
		ok = buf_put_u8(&blob, 0) && buf_put_u16(&blob, (uint16_t)e->len);
	ok = ok && buf_put_bytes(&blob, e->ptr, e->len) && buf_put_bytes(&blob, n->ptr, n->len);
	size_t b64 = BASE64_ENCODE_RAW_LENGTH(blob.len);
	if (ok)
		ok = buf_init(out, b64 + 3) == 0;
	char *dst = ok && put_str(out, "0s") ? (char *)buf_reserve(out, b64) : NULL;
	if (dst) {
		base64_encode_raw(dst, blob.len, blob.ptr);
		ok = buf_put_u8(out, 0);
	} else {
		ok = false;
	}
	buf_free(&blob);
	if (!ok) {
		buf_free(out);
		return -ENOMEM;
	}
	return 0;
}

int crypto_plainrsa_pubkey_b64(const struct crypto_pubkey *k, struct buf *out)
{
	struct buf n = { 0 }, e = { 0 };
	if (!k || !out)
		return -EINVAL;
	int r = crypto_pubkey_rsa_params(k, &n, &e);
	if (r == 0)
		r = b64_blob(&n, &e, out);
	buf_free(&n);
	buf_free(&e);
	return r;
}

int crypto_plainrsa_format(const struct crypto_privkey *k, struct buf *out)
{
	struct crypto_rsa_params p;
	struct buf b64 = { 0 };
	if (!k || !out)
		return -EINVAL;
	int r = crypto_privkey_rsa_params(k, &p);
	if (r < 0)
		return r;
	r = b64_blob(&p.n, &p.e, &b64);
	char bits[48];
	snprintf(bits, sizeof(bits), "\t# RSA %u bits\n", crypto_privkey_bits(k));
	if (r == 0)
		r = buf_init_secret(out, 8 * (2 * p.n.len + 32) + 2 * b64.len + 128);
	if (r == 0) {
		const char *pub = (const char *)b64.ptr;
		bool ok = put_str(out, "# : PUB ") && put_str(out, pub) && put_str(out, "\n") &&
			  put_str(out, ": RSA\t{\n") && put_str(out, bits) &&
			  put_str(out, "\t# pubkey=") && put_str(out, pub) && put_str(out, "\n") &&
			  put_hex(out, "Modulus", &p.n) && put_hex(out, "PublicExponent", &p.e) &&
			  put_hex(out, "PrivateExponent", &p.d) && put_hex(out, "Prime1", &p.p1) &&
			  put_hex(out, "Prime2", &p.p2) && put_hex(out, "Exponent1", &p.e1) &&
			  put_hex(out, "Exponent2", &p.e2) && put_hex(out, "Coefficient", &p.coef) &&
			  put_str(out, "  }\n");
		if (!ok) {
			buf_free(out);
			r = -ENOMEM;
		}
	}
	buf_free(&b64);
	crypto_rsa_params_free(&p);
	return r;
}

/* ---- parsing ---- */

struct lex {
	const char *p, *end;
	unsigned line;
};

/* Skip blanks, newlines and comments; the next character or -1 at the end. */
static int peek(struct lex *l)
{
	while (l->p < l->end) {
		char c = *l->p;
		if (c == '\n') {
			l->line++;
			l->p++;
		} else if (c == ' ' || c == '\t' || c == '\r') {
			l->p++;
		} else if (c == '#') {
			while (l->p < l->end && *l->p != '\n')
				l->p++;
		} else {
			return (unsigned char)c;
		}
	}
	return -1;
}

static bool is_word(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* The next run of letters and digits (after peek()); length 0 if none. */
static size_t word(struct lex *l, const char **w)
{
	*w = l->p;
	while (l->p < l->end && is_word(*l->p))
		l->p++;
	return (size_t)(l->p - *w);
}

static bool eat(struct lex *l, char c)
{
	if (peek(l) != (unsigned char)c)
		return false;
	l->p++;
	return true;
}

/* "0x..." into a secret owned buffer. */
static int number(struct lex *l, struct buf *out)
{
	const char *w;
	if (peek(l) < 0)
		return -EBADMSG;
	size_t n = word(l, &w);
	if (n < 3 || w[0] != '0' || (w[1] != 'x' && w[1] != 'X'))
		return -EBADMSG;
	w += 2;
	n -= 2;
	if (n > 2 * PRSA_NUM_MAX)
		return -EBADMSG;
	for (size_t i = 0; i < n; i++)
		if (hex_nibble(w[i]) < 0)
			return -EBADMSG;
	size_t len = (n + 1) / 2;
	if (buf_init_secret(out, len) < 0)
		return -ENOMEM;
	size_t i = 0;
	if (n & 1) /* an odd digit count: the first one stands alone */
		buf_put_u8(out, (uint8_t)hex_nibble(w[i++]));
	for (; i < n; i += 2)
		buf_put_u8(out, (uint8_t)(hex_nibble(w[i]) << 4 | hex_nibble(w[i + 1])));
	return buf_ok(out) ? 0 : -ENOMEM;
}

/* "0s<base64>" RFC 3110 blob into n and e. */
static int pub_blob(struct lex *l, struct buf *n, struct buf *e)
{
	if (peek(l) < 0 || l->end - l->p < 3 || l->p[0] != '0' || l->p[1] != 's')
		return -EBADMSG;
	const char *s = l->p += 2;
	while (l->p < l->end && (is_word(*l->p) || *l->p == '+' || *l->p == '/' || *l->p == '='))
		l->p++;
	size_t slen = (size_t)(l->p - s);
	if (!slen || slen > 4 * (PRSA_NUM_MAX + 8) / 3)
		return -EBADMSG;
	struct buf blob = { 0 };
	size_t max = BASE64_DECODE_LENGTH(slen);
	if (buf_init(&blob, max) < 0)
		return -ENOMEM;
	uint8_t *dst = buf_reserve(&blob, max);
	struct base64_decode_ctx ctx;
	size_t got = max;
	base64_decode_init(&ctx);
	int r = dst && base64_decode_update(&ctx, &got, dst, slen, (const char *)s) &&
			base64_decode_final(&ctx) ? 0 : -EBADMSG;
	if (r == 0) {
		blob.len = got;
		uint8_t b1 = 0;
		uint16_t elen = 0;
		struct buf ev, nv;
		buf_get_u8(&blob, &b1);
		if (b1)
			elen = b1;
		else
			buf_get_u16(&blob, &elen);
		if (!elen || !buf_get_sub(&blob, elen, &ev) || !buf_left(&blob))
			r = -EBADMSG;
		else if (buf_get_sub(&blob, buf_left(&blob), &nv) &&
			 (buf_dup(e, ev.ptr, ev.len, false) < 0 || buf_dup(n, nv.ptr, nv.len, false) < 0))
			r = -ENOMEM;
	}
	buf_free(&blob);
	return r;
}

static const char *const field_names[] = {
	"Modulus", "PublicExponent", "PrivateExponent", "Prime1",
	"Prime2", "Exponent1", "Exponent2", "Coefficient",
};

static struct buf *field(struct crypto_rsa_params *p, size_t i)
{
	struct buf *all[] = { &p->n, &p->e, &p->d, &p->p1, &p->p2, &p->e1, &p->e2, &p->coef };
	return all[i];
}

/* Name: 0x... lines up to the closing brace. */
static int fields(struct lex *l, struct crypto_rsa_params *p)
{
	while (!eat(l, '}')) {
		const char *w;
		if (peek(l) < 0)
			return -EBADMSG;
		size_t n = word(l, &w), i;
		for (i = 0; i < 8; i++)
			if (strlen(field_names[i]) == n && memcmp(w, field_names[i], n) == 0)
				break;
		if (i == 8 || field(p, i)->ptr || !eat(l, ':'))
			return -EBADMSG; /* unknown or repeated name */
		int r = number(l, field(p, i));
		if (r < 0)
			return r;
	}
	return 0;
}

/* Address selectors (`[SRC] DST :`) are not supported: say so rather than "bad file". */
static int not_colon(struct lex *l)
{
	const char *s = l->p;
	size_t n = 0;
	bool addr = true;
	while (s + n < l->end && s[n] != ' ' && s[n] != '\t' && s[n] != '\n' && s[n] != '\r') {
		char c = s[n++];
		addr = addr && (hex_nibble(c) >= 0 || c == '.' || c == ':' || c == '/');
	}
	bool any = (n == 3 && memcmp(s, "any", 3) == 0) || (n == 4 && memcmp(s, "%any", 4) == 0);
	return addr || any ? -EOPNOTSUPP : -EBADMSG;
}

/* The one entry of the file; *priv tells whether it was an RSA block. */
static int parse(const struct buf *text, struct crypto_rsa_params *p, bool *priv, unsigned *line)
{
	struct lex l = { (const char *)text->ptr, (const char *)text->ptr + text->len, 1 };
	const char *w = NULL;
	int r = 0;
	memset(p, 0, sizeof(*p));
	bool empty = peek(&l) < 0;
	unsigned entry = l.line; /* missing numbers are reported at the entry */
	if (empty)
		r = -EBADMSG; /* no key at all */
	else if (!eat(&l, ':'))
		r = not_colon(&l);
	size_t n = r == 0 && peek(&l) >= 0 ? word(&l, &w) : 0;
	if (r < 0) {
	} else if (n == 3 && memcmp(w, "RSA", 3) == 0) {
		*priv = true;
		r = eat(&l, '{') ? fields(&l, p) : -EBADMSG;
	} else if (n == 3 && memcmp(w, "PUB", 3) == 0) {
		*priv = false;
		if (eat(&l, '{'))
			r = fields(&l, p);
		else
			r = pub_blob(&l, &p->n, &p->e);
	} else {
		r = -EBADMSG;
	}
	if (r == 0 && peek(&l) >= 0)
		r = peek(&l) == ':' ? -EOPNOTSUPP : -EBADMSG; /* a second key, or junk */
	if (r == 0 && (!p->n.len || !p->e.len || (*priv && !p->d.len))) {
		r = -EBADMSG;
		l.line = entry;
	}
	if (r == 0 && *priv && (!p->p1.len || !p->p2.len)) {
		r = -EOPNOTSUPP; /* GnuTLS needs the primes */
		l.line = entry;
	}
	if (line)
		*line = r == -EBADMSG || r == -EOPNOTSUPP ? l.line : 0;
	if (r < 0)
		crypto_rsa_params_free(p);
	return r;
}

/* The argument checks both entry points share, then parse(). */
static int parse_checked(const struct buf *text, bool have_out, struct crypto_rsa_params *p,
			 bool *priv, unsigned *line)
{
	*priv = false;
	if (line)
		*line = 0;
	if (!text || !text->ptr || !text->len || !have_out)
		return -EINVAL;
	return parse(text, p, priv, line);
}

int crypto_plainrsa_parse_privkey(const struct buf *text, struct crypto_privkey **out,
				  unsigned *line)
{
	struct crypto_rsa_params p;
	bool priv;
	int r = parse_checked(text, out != NULL, &p, &priv, line);
	if (r < 0)
		return r;
	r = priv ? crypto_privkey_from_rsa_params(&p, out) : -EBADMSG;
	crypto_rsa_params_free(&p);
	return r;
}

int crypto_plainrsa_parse_pubkey(const struct buf *text, struct crypto_pubkey **out,
				 unsigned *line)
{
	struct crypto_rsa_params p;
	bool priv;
	int r = parse_checked(text, out != NULL, &p, &priv, line);
	if (r < 0)
		return r;
	r = crypto_pubkey_from_rsa(&p.n, &p.e, out);
	if (r == -EINVAL)
		r = -EBADMSG;
	crypto_rsa_params_free(&p);
	return r;
}

int crypto_plainrsa_load_privkey(const char *path, struct crypto_privkey **out, unsigned *line)
{
	struct buf b = { 0 };
	if (line)
		*line = 0;
	int r = crypto_read_file(path, true, &b);
	if (r == 0)
		r = crypto_plainrsa_parse_privkey(&b, out, line);
	buf_free(&b);
	return r;
}

int crypto_plainrsa_load_pubkey(const char *path, struct crypto_pubkey **out, unsigned *line)
{
	struct buf b = { 0 };
	if (line)
		*line = 0;
	int r = crypto_read_file(path, false, &b);
	if (r == 0)
		r = crypto_plainrsa_parse_pubkey(&b, out, line);
	buf_free(&b);
	return r;
}
