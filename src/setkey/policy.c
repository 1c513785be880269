/* policy: "-P dir [prio ...] action rules..." -> struct kernel_policy. */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "setkey/parser.h"
#include "setkey/policy.h"
#include "setkey/value.h"

void sk_prio_format(uint32_t prio, char *out, size_t n)
{
	static const struct {
		const char *name;
		uint32_t base;
	} bases[] = { { "high", SK_PRIO_HIGH }, { "def", SK_PRIO_DEFAULT }, { "low", SK_PRIO_LOW } };
	size_t best = 0;
	uint64_t bestd = UINT64_MAX;

	for (size_t i = 0; i < 3; i++) {
		uint64_t d = prio > bases[i].base ? prio - bases[i].base : bases[i].base - prio;
		if (d < bestd) {
			bestd = d;
			best = i;
		}
	}
	if (bestd == 0)
		snprintf(out, n, "prio %s", bases[best].name);
	else /* above the base = later in the list = "minus" */
		snprintf(out, n, "prio %s %c %llu", bases[best].name,
			 prio > bases[best].base ? '-' : '+', (unsigned long long)bestd);
}

/* A "+N" / "-N" word, or "+"/"-" then "N". */
static int parse_offset(struct sk_parser *p, const struct sk_token *t, char *sign, uint64_t *n,
			struct sk_token *where)
{
	struct sk_token num = *t;

	*sign = t->p[0];
	if (t->len == 1) {
		if (sk_p_word(p, &num, "a priority offset") < 0)
			return -1;
	} else {
		num.p++;
		num.len--;
		num.col++;
	}
	*where = num;
	if (!sk_num(num.p, num.len, UINT32_MAX, n))
		return sk_error_set(p->err, num.line, num.col, "invalid priority offset");
	return 0;
}

/* After "prio"/"priority": low|def|high [+-N], or a signed number. */
static int parse_prio(struct sk_parser *p, uint32_t *prio)
{
	struct sk_token t, num;
	uint64_t n;
	char sign;

	if (sk_p_word(p, &t, "a priority (low, def, high or a number)") < 0)
		return -1;
	uint32_t base = sk_tok_is(&t, "low") ? SK_PRIO_LOW : sk_tok_is(&t, "def") ? SK_PRIO_DEFAULT
						  : sk_tok_is(&t, "high") ? SK_PRIO_HIGH : 0;
	if (!base) {
		/* "prio N": N above the default (higher priority); "prio -N": below it */
		if (t.p[0] == '-' || t.p[0] == '+') {
			if (parse_offset(p, &t, &sign, &n, &num) < 0)
				return -1;
		} else if (sk_num(t.p, t.len, UINT32_MAX, &n)) {
			sign = '+';
			num = t;
		} else {
			return sk_p_unexpected(p, &t, "a priority (low, def, high or a number)");
		}
		if (sign == '+' ? n > SK_PRIO_DEFAULT : n > 0x7fffffffu)
			return sk_error_set(p->err, num.line, num.col, "priority offset out of range");
		*prio = sign == '+' ? SK_PRIO_DEFAULT - (uint32_t)n : SK_PRIO_DEFAULT + (uint32_t)n;
		return 0;
	}
	*prio = base;
	struct sk_token o = sk_lex_peek(&p->lx, p->err);
	if (o.type != SK_TOK_WORD || (o.p[0] != '+' && o.p[0] != '-'))
		return 0;
	sk_lex_next(&p->lx, p->err);
	if (parse_offset(p, &o, &sign, &n, &num) < 0)
		return -1;
	if (sign == '+' ? n > SK_PRIO_PLUS_MAX : n > SK_PRIO_MINUS_MAX)
		return sk_error_set(p->err, num.line, num.col, "priority offset out of range (%s %u)",
				    sign == '+' ? "+" : "-",
				    sign == '+' ? SK_PRIO_PLUS_MAX : SK_PRIO_MINUS_MAX);
	*prio = sign == '+' ? base - (uint32_t)n : base + (uint32_t)n;
	return 0;
}

/* "a-b" tunnel endpoints (each may carry [port] in the reference; XFRM has no field). */
static int parse_endpoints(struct sk_parser *p, const struct sk_token *t, size_t off, size_t len,
			   struct kernel_tmpl *tm)
{
	const char *s = t->p + off;
	const char *dash = memchr(s, '-', len);
	struct sk_addrspec a, b;

	if (!dash)
		return sk_error_set(p->err, t->line, t->col + (unsigned)off,
				    "tunnel endpoints are written src-dst");
	struct sk_token ta = { SK_TOK_WORD, s, (size_t)(dash - s), t->line, t->col + (unsigned)off };
	struct sk_token tb = { SK_TOK_WORD, dash + 1, len - ta.len - 1, t->line,
			       ta.col + (unsigned)ta.len + 1 };
	if (ta.len == 0 || tb.len == 0)
		return sk_error_set(p->err, t->line, ta.col, "tunnel endpoints are written src-dst");
	if (sk_parse_addrspec(&ta, SK_ADDR_NODNS, 0, &a, p->err) < 0 ||
	    sk_parse_addrspec(&tb, SK_ADDR_NODNS, 0, &b, p->err) < 0)
		return -1;
	if (a.addr.sa.sa_family != b.addr.sa.sa_family)
		return sk_error_set(p->err, t->line, tb.col,
				    "tunnel endpoints of different address families");
	tm->src = a.addr;
	tm->dst = b.addr;
	return 0;
}

static int parse_level(struct sk_parser *p, const struct sk_token *t, size_t off, size_t len,
		       struct kernel_tmpl *tm)
{
	struct sk_token l = { SK_TOK_WORD, t->p + off, len, t->line, t->col + (unsigned)off };
	uint64_t v;

	if (len == 0 || sk_tok_is(&l, "default") || sk_tok_is(&l, "require")) {
		tm->level = KERNEL_LEVEL_REQUIRE; /* Linux treats default as require */
	} else if (sk_tok_is(&l, "use")) {
		tm->level = KERNEL_LEVEL_USE;
	} else if (sk_tok_is(&l, "unique")) {
		tm->level = KERNEL_LEVEL_UNIQUE;
	} else if (len > 7 && memcmp(l.p, "unique:", 7) == 0) {
		if (!sk_num(l.p + 7, len - 7, UINT32_MAX, &v) || v == 0)
			return sk_error_set(p->err, l.line, l.col + 7, "invalid reqid after unique:");
		tm->level = KERNEL_LEVEL_UNIQUE;
		tm->reqid = (uint32_t)v;
	} else {
		return sk_p_unexpected(p, &l, "a level (default, use, require, unique[:N])");
	}
	return 0;
}

/* proto/mode[/[src-dst][/level]] as one word. */
static int parse_rule(struct sk_parser *p, const struct sk_token *t, struct kernel_tmpl *tm)
{
	size_t start[4], len[4], n = 0, pos = 0;

	while (n < 4) {
		const char *sl = memchr(t->p + pos, '/', t->len - pos);
		size_t end = sl ? (size_t)(sl - t->p) : t->len;
		start[n] = pos;
		len[n++] = end - pos;
		if (!sl)
			break;
		pos = end + 1;
	}
	struct sk_token w = { SK_TOK_WORD, t->p, len[0], t->line, t->col };
	if (sk_tok_is(&w, "esp"))
		tm->proto = KERNEL_PROTO_ESP;
	else if (sk_tok_is(&w, "ah"))
		tm->proto = KERNEL_PROTO_AH;
	else if (sk_tok_is(&w, "ipcomp"))
		tm->proto = KERNEL_PROTO_COMP;
	else
		return sk_p_unexpected(p, &w, "a rule protocol (esp, ah, ipcomp)");
	if (n < 2)
		return sk_error_set(p->err, t->line, t->col + (unsigned)t->len,
				    "a rule needs a mode: %.*s/transport or /tunnel", (int)len[0], t->p);
	w = (struct sk_token){ SK_TOK_WORD, t->p + start[1], len[1], t->line,
			       t->col + (unsigned)start[1] };
	if (sk_tok_is(&w, "transport"))
		tm->mode = KERNEL_MODE_TRANSPORT;
	else if (sk_tok_is(&w, "tunnel"))
		tm->mode = KERNEL_MODE_TUNNEL;
	else
		return sk_p_unexpected(p, &w, "a mode (transport, tunnel)");
	if (n == 4 && start[3] + len[3] < t->len)
		return sk_error_set(p->err, t->line, t->col + (unsigned)(start[3] + len[3]),
				    "too many '/' in the rule");
	bool have_ends = n > 2 && len[2] > 0;
	if (tm->mode == KERNEL_MODE_TUNNEL && !have_ends)
		return sk_error_set(p->err, t->line, t->col + (unsigned)t->len,
				    "tunnel mode needs its endpoints: esp/tunnel/src-dst/...");
	if (tm->mode == KERNEL_MODE_TRANSPORT && have_ends)
		return sk_error_set(p->err, t->line, t->col + (unsigned)start[2],
				    "endpoints are for tunnel mode only");
	if (have_ends && parse_endpoints(p, t, start[2], len[2], tm) < 0)
		return -1;
	return parse_level(p, t, n > 3 ? start[3] : t->len, n > 3 ? len[3] : 0, tm);
}

static int parse_action(struct sk_parser *p, const struct sk_token *t, struct kernel_policy *pol)
{
	if (sk_tok_is(t, "ipsec"))
		pol->action = KERNEL_POLICY_IPSEC;
	else if (sk_tok_is(t, "none"))
		pol->action = KERNEL_POLICY_BYPASS;
	else if (sk_tok_is(t, "discard"))
		pol->action = KERNEL_POLICY_DISCARD;
	else if (sk_tok_is(t, "entrust") || sk_tok_is(t, "bypass"))
		return sk_error_set(p->err, t->line, t->col,
				    "%.*s is a per-socket KAME policy: the Linux SPD has no such "
				    "entry (use none)", (int)t->len, t->p);
	else
		return sk_p_unexpected(p, t, "an action (ipsec, none, discard)");
	return 0;
}

int sk_parse_policy(struct sk_parser *p, struct sk_spd_cmd *s, bool dir_only)
{
	struct kernel_policy *pol = &s->pol;
	struct sk_token t;

	if (sk_p_word(p, &t, "a direction (in, out, fwd)") < 0)
		return -1;
	if (sk_tok_is(&t, "in"))
		pol->dir = KERNEL_DIR_IN;
	else if (sk_tok_is(&t, "out"))
		pol->dir = KERNEL_DIR_OUT;
	else if (sk_tok_is(&t, "fwd"))
		pol->dir = KERNEL_DIR_FWD;
	else
		return sk_p_unexpected(p, &t, "a direction (in, out, fwd)");
	pol->priority = SK_PRIO_DEFAULT;
	t = sk_lex_peek(&p->lx, p->err);
	if (dir_only && t.type == SK_TOK_SEMI)
		return 0;
	sk_lex_next(&p->lx, p->err);
	if (sk_tok_is(&t, "prio") || sk_tok_is(&t, "priority")) {
		if (parse_prio(p, &pol->priority) < 0)
			return -1;
		s->has_prio = true;
		if (sk_p_word(p, &t, "an action (ipsec, none, discard)") < 0)
			return -1;
	} else if (t.type != SK_TOK_WORD) {
		return sk_p_unexpected(p, &t, "an action (ipsec, none, discard)");
	}
	if (parse_action(p, &t, pol) < 0)
		return -1;
	s->has_action = true;
	for (;;) {
		t = sk_lex_peek(&p->lx, p->err);
		if (t.type != SK_TOK_WORD)
			break;
		sk_lex_next(&p->lx, p->err);
		if (pol->action != KERNEL_POLICY_IPSEC)
			return sk_error_set(p->err, t.line, t.col, "only ipsec policies take rules");
		if (pol->n_tmpl == KERNEL_MAX_TMPL)
			return sk_error_set(p->err, t.line, t.col, "at most %d rules per policy",
					    KERNEL_MAX_TMPL);
		if (parse_rule(p, &t, &pol->tmpl[pol->n_tmpl]) < 0)
			return -1;
		pol->n_tmpl++;
	}
	if (pol->action == KERNEL_POLICY_IPSEC && pol->n_tmpl == 0)
		return sk_error_set(p->err, t.line, t.col,
				    "ipsec needs at least one rule, e.g. esp/transport//require");
	return 0;
}
