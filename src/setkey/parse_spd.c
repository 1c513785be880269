/* parse_spd: spdadd, spdupdate, spddelete (the selector; policy.c does -P). */
#include <netdb.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "setkey/parser.h"
#include "setkey/value.h"

/* Names the reference accepts, without depending on /etc/protocols being there. */
static const struct {
	const char *name;
	uint8_t proto;
} ulprotos[] = {
	{ "any", 0 },   { "icmp", IPPROTO_ICMP },   { "tcp", IPPROTO_TCP },
	{ "udp", IPPROTO_UDP }, { "icmp6", IPPROTO_ICMPV6 }, { "ipv6-icmp", IPPROTO_ICMPV6 },
	{ "ip4", IPPROTO_IPIP }, { "ipip", IPPROTO_IPIP }, { "ipencap", IPPROTO_IPIP },
	{ "gre", IPPROTO_GRE }, { "esp", IPPROTO_ESP }, { "ah", IPPROTO_AH },
	{ "sctp", IPPROTO_SCTP }, { "udplite", IPPROTO_UDPLITE }, { "ipv6", IPPROTO_IPV6 },
	{ "ipcomp", IPPROTO_COMP }, { "ospf", 89 }, { "pim", IPPROTO_PIM },
};

const char *sk_ulproto_name(unsigned proto)
{
	for (size_t i = 0; i < sizeof(ulprotos) / sizeof(ulprotos[0]); i++)
		if (ulprotos[i].proto == proto)
			return ulprotos[i].name;
	return NULL;
}

static int parse_ulproto(struct sk_parser *p, const struct sk_token *t, uint8_t *proto)
{
	uint64_t v;
	char name[64];

	if (sk_num(t->p, t->len, 255, &v)) {
		*proto = (uint8_t)v;
		return 0;
	}
	for (size_t i = 0; i < sizeof(ulprotos) / sizeof(ulprotos[0]); i++) {
		if (sk_tok_is(t, ulprotos[i].name)) {
			*proto = ulprotos[i].proto;
			return 0;
		}
	}
	if (sk_tok_copy(t, name, sizeof(name))) {
		struct protoent pe, *res = NULL;
		char tmp[1024];
		if (getprotobyname_r(name, &pe, tmp, sizeof(tmp), &res) == 0 && res &&
		    res->p_proto >= 0 && res->p_proto <= 255) {
			*proto = (uint8_t)res->p_proto;
			return 0;
		}
	}
	return sk_p_unexpected(p, t, "an upper-layer protocol (any, tcp, udp, icmp, icmp6, "
				     "a number or an /etc/protocols name)");
}

/* ICMP "type[,code]": the kernel matches them in the selector's port fields. */
static int parse_icmp(struct sk_parser *p, const struct sk_token *t, struct kernel_selector *sel)
{
	const char *comma = memchr(t->p, ',', t->len);
	size_t tl = comma ? (size_t)(comma - t->p) : t->len;
	uint64_t type, code = 0;

	if (!sk_num(t->p, tl, 255, &type))
		return sk_error_set(p->err, t->line, t->col, "invalid ICMP type (0-255)");
	if (comma && !sk_num(comma + 1, t->len - tl - 1, 255, &code))
		return sk_error_set(p->err, t->line, t->col + (unsigned)tl + 1,
				    "invalid ICMP code (0-255)");
	if (sel->sport || sel->dport)
		return sk_error_set(p->err, t->line, t->col, "ICMP selectors take no ports");
	sel->sport = (uint16_t)type;
	sel->dport = (uint16_t)code;
	return 0;
}

static int parse_range(struct sk_parser *p, int family, unsigned flags, union sockaddr_any *a,
		       uint8_t *plen, uint16_t *port, struct sk_token *t)
{
	struct sk_addrspec as;

	if (sk_p_word(p, t, "an address range (addr[/prefix][[port]])") < 0)
		return -1;
	if (sk_parse_addrspec(t, flags | SK_ADDR_PREFIX | SK_ADDR_PORT, family, &as, p->err) < 0)
		return -1;
	*a = as.addr;
	*plen = as.plen;
	*port = as.port;
	return 0;
}

int sk_parse_spd_cmd(struct sk_parser *p, struct sk_cmd *c)
{
	struct kernel_selector *sel = &c->u.spd.pol.sel;
	struct sk_token ts, td, t;
	int family;
	unsigned flags;

	t = sk_lex_peek(&p->lx, p->err);
	if (sk_tok_is(&t, "tagged"))
		return sk_error_set(p->err, t.line, t.col,
				    "tagged policies (PF tags) are a NetBSD feature, not Linux");
	if (sk_p_addropts(p, &family, &flags) < 0)
		return -1;
	if (parse_range(p, family, flags, &sel->src, &sel->src_plen, &sel->sport, &ts) < 0 ||
	    parse_range(p, family, flags, &sel->dst, &sel->dst_plen, &sel->dport, &td) < 0)
		return -1;
	if (sel->src.sa.sa_family != sel->dst.sa.sa_family)
		return sk_error_set(p->err, td.line, td.col,
				    "source and destination are of different address families");
	if (sk_p_word(p, &t, "an upper-layer protocol") < 0 || parse_ulproto(p, &t, &sel->proto) < 0)
		return -1;
	for (;;) {
		t = sk_lex_peek(&p->lx, p->err);
		if (sk_tok_is(&t, "-P"))
			break;
		if (t.type != SK_TOK_WORD)
			return sk_p_unexpected(p, &t, "-P and a policy");
		sk_lex_next(&p->lx, p->err);
		if (sk_tok_is(&t, "-ctx"))
			return sk_error_set(p->err, t.line, t.col,
					    "-ctx (SELinux labels) is not supported");
		if (sel->proto != IPPROTO_ICMP && sel->proto != IPPROTO_ICMPV6)
			return sk_p_unexpected(p, &t, "-P and a policy");
		if (parse_icmp(p, &t, sel) < 0)
			return -1;
	}
	sk_lex_next(&p->lx, p->err); /* -P */
	if (sk_parse_policy(p, &c->u.spd, c->op == SK_OP_SPDDELETE) < 0)
		return -1;
	return sk_p_end(p, c);
}
