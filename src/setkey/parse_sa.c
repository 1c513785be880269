/* parse_sa: add, get, delete, deleteall, getspi, flush, dump. */
#include <string.h>
#include <sys/socket.h>

#include "setkey/algs.h"
#include "setkey/parser.h"
#include "setkey/value.h"

#define KEY_MAX 1024 /* bytes; far above any cipher's key */
#define NATT_PORT 4500

/* esp | esp-udp | ah | ipcomp, and the names Linux cannot do. */
static int parse_satype(struct sk_parser *p, const struct sk_token *t, struct sk_sa_cmd *sa)
{
	if (sk_tok_is(t, "esp")) {
		sa->satype = KERNEL_PROTO_ESP;
	} else if (sk_tok_is(t, "esp-udp")) {
		sa->satype = KERNEL_PROTO_ESP;
		sa->sa.encap.enabled = true;
	} else if (sk_tok_is(t, "ah")) {
		sa->satype = KERNEL_PROTO_AH;
	} else if (sk_tok_is(t, "ipcomp")) {
		sa->satype = KERNEL_PROTO_COMP;
	} else if (sk_tok_is(t, "esp-old") || sk_tok_is(t, "ah-old")) {
		return sk_error_set(p->err, t->line, t->col,
				    "%.*s (RFC 1827/1829) is not supported by Linux", (int)t->len, t->p);
	} else if (sk_tok_is(t, "tcp")) {
		return sk_error_set(p->err, t->line, t->col,
				    "tcp (TCP-MD5) SAs do not exist on Linux: it is a socket option");
	} else {
		return sk_p_unexpected(p, t, "a protocol (esp, esp-udp, ah, ipcomp)");
	}
	sa->sa.proto = (enum kernel_proto)sa->satype;
	return 0;
}

int sk_parse_flush_dump(struct sk_parser *p, struct sk_cmd *c)
{
	struct sk_token t = sk_lex_peek(&p->lx, p->err);

	if (t.type == SK_TOK_WORD) {
		sk_lex_next(&p->lx, p->err);
		if (parse_satype(p, &t, &c->u.sa) < 0)
			return -1;
		if (c->u.sa.sa.encap.enabled)
			return sk_error_set(p->err, t.line, t.col,
					    "use esp: the kernel has no separate esp-udp SA type");
	}
	return sk_p_end(p, c);
}

static int parse_u64(struct sk_parser *p, uint64_t max, uint64_t *v, const char *what)
{
	struct sk_token t;

	if (sk_p_word(p, &t, what) < 0)
		return -1;
	if (!sk_num(t.p, t.len, max, v))
		return sk_error_set(p->err, t.line, t.col, "invalid %s", what);
	return 0;
}

/* -E/-A/-C name [key]: one algorithm. */
static int parse_alg(struct sk_parser *p, int kind, struct sk_sa_cmd *sa)
{
	static const char *const what[] = { "", "an encryption algorithm",
					    "an authentication algorithm",
					    "a compression algorithm" };
	struct sk_token t;

	if (sk_p_word(p, &t, what[kind]) < 0)
		return -1;
	const struct sk_alg *a = sk_alg_find(kind, t.p, t.len);
	if (!a)
		return sk_p_unexpected(p, &t, what[kind]);
	if (a->refused)
		return sk_error_set(p->err, t.line, t.col, "%s: %s", a->name, a->refused);
	if (a->warning)
		sk_p_warn(p, &t, a->warning);
	if (kind == KERNEL_CAP_COMP) {
		sa->comp = a;
		sa->sa.comp = (enum kernel_comp)a->id;
		return 0;
	}
	struct buf *key = kind == KERNEL_CAP_ENC ? &sa->enc_key : &sa->auth_key;
	if (kind == KERNEL_CAP_ENC) {
		sa->enc = a;
		sa->sa.enc = (enum kernel_enc)a->id;
	} else {
		sa->auth = a;
		sa->sa.auth = (enum kernel_auth)a->id;
		sa->sa.icv_bits = a->icv_bits;
	}
	if (a->key_max == 0)
		return 0; /* null takes no key */
	if (buf_init_secret(key, KEY_MAX) < 0)
		return sk_error_set(p->err, t.line, t.col, "out of memory");
	struct sk_token k = sk_lex_next(&p->lx, p->err);
	if (k.type != SK_TOK_WORD && k.type != SK_TOK_STRING)
		return sk_p_unexpected(p, &k, "a key");
	if (sk_parse_key(&k, key, p->err) < 0)
		return -1;
	if (!sk_alg_key_ok(a, key->len)) {
		if (a->key_step)
			return sk_error_set(p->err, k.line, k.col,
					    "%s needs a key of %u to %u bytes in steps of %u, not %zu",
					    a->name, a->key_min, a->key_max, a->key_step, key->len);
		return sk_error_set(p->err, k.line, k.col, "%s needs a %u-byte key, not %zu",
				    a->name, a->key_min, key->len);
	}
	return 0;
}

/* Options after the SPI, in any order, each once. */
static int parse_option(struct sk_parser *p, const struct sk_token *t, struct sk_cmd *c,
			unsigned *seen)
{
	static const char *const names[] = { "-m", "-r", "-u", "-lh", "-ls", "-bh", "-bs",
					     "-E", "-A", "-C", "-R", "-f", "-ctx" };
	struct sk_sa_cmd *sa = &c->u.sa;
	size_t i, n = sizeof(names) / sizeof(names[0]);
	uint64_t v;

	for (i = 0; i < n && !sk_tok_is(t, names[i]); i++)
		;
	if (i == n)
		return sk_p_unexpected(p, t, "an option (-m -r -u -lh -ls -bh -bs -E -A -C) or ';'");
	if (*seen & (1u << i))
		return sk_error_set(p->err, t->line, t->col, "%s given twice", names[i]);
	*seen |= 1u << i;
	bool sa_only = i >= 3; /* beyond -m -r -u: only add sets them */
	if (sa_only && c->op != SK_OP_ADD)
		return sk_error_set(p->err, t->line, t->col, "%s is only for add", names[i]);
	switch (i) {
	case 0: {
		struct sk_token m;
		if (sk_p_word(p, &m, "a mode (transport, tunnel, any)") < 0)
			return -1;
		if (sk_tok_is(&m, "tunnel"))
			sa->sa.mode = KERNEL_MODE_TUNNEL;
		else if (sk_tok_is(&m, "transport"))
			sa->sa.mode = KERNEL_MODE_TRANSPORT;
		else if (sk_tok_is(&m, "any"))
			sa->mode_any = true; /* Linux installs "any" as transport */
		else
			return sk_p_unexpected(p, &m, "a mode (transport, tunnel, any)");
		return 0;
	}
	case 1:
		if (parse_u64(p, UINT32_MAX, &v, "replay window") < 0)
			return -1;
		sa->sa.replay_window = (uint32_t)v;
		return 0;
	case 2:
		if (parse_u64(p, UINT32_MAX, &v, "reqid") < 0)
			return -1;
		sa->sa.reqid = (uint32_t)v;
		return 0;
	case 3: return parse_u64(p, UINT64_MAX, &sa->sa.hard.add_sec, "lifetime (seconds)");
	case 4: return parse_u64(p, UINT64_MAX, &sa->sa.soft.add_sec, "lifetime (seconds)");
	case 5: return parse_u64(p, UINT64_MAX, &sa->sa.hard.bytes, "lifetime (bytes)");
	case 6: return parse_u64(p, UINT64_MAX, &sa->sa.soft.bytes, "lifetime (bytes)");
	case 7: return parse_alg(p, KERNEL_CAP_ENC, sa);
	case 8: return parse_alg(p, KERNEL_CAP_AUTH, sa);
	case 9: return parse_alg(p, KERNEL_CAP_COMP, sa);
	case 10:
		if (!(*seen & (1u << 9)))
			return sk_error_set(p->err, t->line, t->col, "-R belongs after -C");
		sa->raw_cpi = true;
		return 0;
	case 11:
		return sk_error_set(p->err, t->line, t->col,
				    "-f (padding and sequence flags) is KAME-only: Linux has no such SA option");
	default:
		return sk_error_set(p->err, t->line, t->col,
				    "-ctx (SELinux labels) is not supported");
	}
}

/* Which algorithms an add needs, per protocol. */
static int check_algs(struct sk_parser *p, struct sk_cmd *c)
{
	struct sk_sa_cmd *sa = &c->u.sa;
	unsigned l = c->line, col = c->col;

	switch (sa->satype) {
	case KERNEL_PROTO_ESP:
		if (!sa->enc)
			return sk_error_set(p->err, l, col, "esp needs -E (use -E null for "
							    "integrity only)");
		if (sa->comp)
			return sk_error_set(p->err, l, col, "-C is for ipcomp, not esp");
		if (sa->enc->icv_bits && sa->auth && sa->sa.auth != KERNEL_AUTH_NONE)
			return sk_error_set(p->err, l, col,
					    "%s provides integrity itself: drop -A", sa->enc->name);
		if (sa->sa.enc == KERNEL_ENC_NULL && (!sa->auth || sa->sa.auth == KERNEL_AUTH_NONE))
			return sk_error_set(p->err, l, col,
					    "esp with neither encryption nor integrity");
		return 0;
	case KERNEL_PROTO_AH:
		if (!sa->auth || sa->sa.auth == KERNEL_AUTH_NONE)
			return sk_error_set(p->err, l, col, "ah needs -A with a real algorithm");
		if (sa->enc || sa->comp)
			return sk_error_set(p->err, l, col, "ah takes only -A");
		return 0;
	default:
		if (!sa->comp)
			return sk_error_set(p->err, l, col, "ipcomp needs -C");
		if (sa->enc || sa->auth)
			return sk_error_set(p->err, l, col, "ipcomp takes only -C");
		return 0;
	}
}

/* SPI/CPI limits: 1-255 are reserved (RFC 4303); CPIs are 16 bits (RFC 3173),
 * and below 256 only with -R (a well-known, raw CPI). */
static int check_spi(struct sk_parser *p, const struct sk_token *t, struct sk_sa_cmd *sa)
{
	if (sa->satype == KERNEL_PROTO_COMP) {
		if (sa->sa.spi > 0xffff)
			return sk_error_set(p->err, t->line, t->col, "a CPI has 16 bits (at most 0xffff)");
		if (sa->sa.spi < 0x100 && !sa->raw_cpi)
			return sk_error_set(p->err, t->line, t->col,
					    "CPIs below 256 are well-known numbers: add -R to use one");
		return 0;
	}
	if (sa->sa.spi < 0x100)
		return sk_error_set(p->err, t->line, t->col, "SPIs below 256 are reserved");
	return 0;
}

static int parse_endpoint(struct sk_parser *p, int family, unsigned flags,
			  union sockaddr_any *a, struct sk_token *t, uint16_t *port, bool *has_port)
{
	struct sk_addrspec as;

	if (sk_p_word(p, t, "an address") < 0)
		return -1;
	if (sk_parse_addrspec(t, flags | SK_ADDR_PORT, family, &as, p->err) < 0)
		return -1;
	*a = as.addr;
	*port = as.port;
	*has_port = as.has_port;
	return 0;
}

int sk_parse_sa_cmd(struct sk_parser *p, struct sk_cmd *c)
{
	struct sk_sa_cmd *sa = &c->u.sa;
	struct sk_token ts, td, t, tspi;
	uint16_t sport, dport;
	bool sp, dp;
	int family;
	unsigned flags;

	if (sk_p_addropts(p, &family, &flags) < 0)
		return -1;
	if (parse_endpoint(p, family, flags, &sa->sa.src, &ts, &sport, &sp) < 0 ||
	    parse_endpoint(p, family, flags, &sa->sa.dst, &td, &dport, &dp) < 0)
		return -1;
	if (sa->sa.src.sa.sa_family != sa->sa.dst.sa.sa_family)
		return sk_error_set(p->err, td.line, td.col,
				    "source and destination are of different address families");
	if (sk_p_word(p, &t, "a protocol (esp, esp-udp, ah, ipcomp)") < 0 ||
	    parse_satype(p, &t, sa) < 0)
		return -1;
	if (sa->sa.encap.enabled) {
		sa->sa.encap.sport = sp ? sport : NATT_PORT;
		sa->sa.encap.dport = dp ? dport : NATT_PORT;
	} else if (sp || dp) {
		const struct sk_token *pt = sp ? &ts : &td;
		return sk_error_set(p->err, pt->line, pt->col,
				    "ports belong to esp-udp SAs only");
	}
	if (c->op == SK_OP_DELETEALL)
		return sk_p_end(p, c);

	uint64_t v;
	if (sk_p_word(p, &tspi, "an SPI") < 0)
		return -1;
	if (!sk_num(tspi.p, tspi.len, UINT32_MAX, &v))
		return sk_error_set(p->err, tspi.line, tspi.col,
				    "invalid SPI (a 32-bit decimal or 0x-hex number)");
	sa->sa.spi = (uint32_t)v;

	unsigned seen = 0;
	for (;;) {
		t = sk_lex_peek(&p->lx, p->err);
		if (t.type != SK_TOK_WORD)
			break;
		sk_lex_next(&p->lx, p->err);
		if (c->op == SK_OP_GET || c->op == SK_OP_DELETE)
			return sk_p_unexpected(p, &t, "';'");
		if (parse_option(p, &t, c, &seen) < 0)
			return -1;
	}
	if (check_spi(p, &tspi, sa) < 0)
		return -1;
	if (c->op == SK_OP_ADD && check_algs(p, c) < 0)
		return -1;
	return sk_p_end(p, c);
}
