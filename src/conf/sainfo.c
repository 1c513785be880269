/* conf/sainfo: `sainfo` blocks (phase 2) and their IDs.
 *
 *   sainfo LOCAL REMOTE [from IDTYPE ["id"]] [group "name"] { ... }
 *   LOCAL  = anonymous | ID          REMOTE = anonymous | clientaddr | ID
 *   ID     = (address|subnet) ADDR[/PREFIX | -ADDR2] [[PORT]|[any]] ULPROTO
 *          | (fqdn|user_fqdn|keyid) "string"
 * A lone `anonymous` stands for both sides.
 */
#include <stdlib.h>
#include <string.h>

#include "conf/names.h"
#include "conf/parser.h"

/* Upper-layer protocols by name; anything else is a number 0..255. */
static const struct kw kw_ulproto[] = {
	{ "ah", 51 },	   { "any", CONF_ULPROTO_ANY }, { "esp", 50 },	  { "gre", 47 },
	{ "icmp", 1 },	   { "icmp6", 58 },	       { "igmp", 2 },	  { "ipcomp", 108 },
	{ "ipip", 4 },	   { "ipv6", 41 },	       { "ipv6-icmp", 58 }, { "sctp", 132 },
	{ "tcp", 6 },	   { "udp", 17 },	       { "udplite", 136 },
};

static bool get_ulproto(struct parser *p, unsigned *out)
{
	int v = at(p, TOK_WORD) ? KW_LOOKUP(kw_ulproto, p->tok.text) : -1;
	if (v >= 0) {
		*out = (unsigned)v;
		next(p);
		return true;
	}
	unsigned long n;
	if (at(p, TOK_WORD) && p->tok.text[0] >= '0' && p->tok.text[0] <= '9') {
		if (!get_uint(p, "upper-layer protocol", 0, 255, &n))
			return false;
		*out = (unsigned)n;
		return true;
	}
	char d[96];
	if (!at(p, TOK_ERROR))
		perr(p, "expected an upper-layer protocol (any, tcp, udp, icmp, icmp6, gre, ... or "
			"a number), found %s", tok_describe(&p->tok, d, sizeof(d)));
	return false;
}

static unsigned full_prefix(const union sockaddr_any *a)
{
	return a->sa.sa_family == AF_INET6 ? 128 : 32;
}

static bool addr_le(const union sockaddr_any *a, const union sockaddr_any *b)
{
	size_t la, lb;
	const uint8_t *pa = addr_bytes(a, &la), *pb = addr_bytes(b, &lb);
	return la == lb && memcmp(pa, pb, la) <= 0;
}

/* ADDR[/PREFIX | -ADDR2] as one word. */
static bool get_said_addr(struct parser *p, struct conf_sainfo_id *id)
{
	char w[TOK_MAX];
	snprintf(w, sizeof(w), "%s", p->tok.text);
	char *slash = strchr(w, '/');
	char *dash = strchr(w, '-');
	long prefix = -1;
	if (slash) {
		*slash = '\0';
		char *end;
		prefix = strtol(slash + 1, &end, 10);
		if (!slash[1] || *end || prefix < 0) {
			perr(p, "bad prefix length in '%s'", p->tok.text);
			return false;
		}
	}
	if (dash) {
		*dash = '\0';
		if (!parse_addr_text(dash + 1, &id->addr_end)) {
			perr(p, "'%s' is not an address range (ADDR-ADDR)", p->tok.text);
			return false;
		}
		id->range = true;
	}
	if (!parse_addr_text(w, &id->addr)) {
		perr(p, "'%s' is not an IPv4 or IPv6 address", p->tok.text);
		return false;
	}
	unsigned full = full_prefix(&id->addr);
	if (prefix > (long)full) {
		perr(p, "prefix length /%ld is too long for '%s'", prefix, w);
		return false;
	}
	id->prefixlen = prefix < 0 ? full : (unsigned)prefix;
	if (id->range) {
		if (id->addr_end.sa.sa_family != id->addr.sa.sa_family) {
			perr(p, "the two ends of range '%s' are of different families", p->tok.text);
			return false;
		}
		if (!addr_le(&id->addr, &id->addr_end)) {
			perr(p, "range '%s' ends before it starts", p->tok.text);
			return false;
		}
		id->prefixlen = full;
	}
	/* As in the reference, the ID type follows the prefix, not the keyword. */
	id->subnet = id->range || id->prefixlen != full;
	next(p);
	return true;
}

static bool get_said(struct parser *p, struct conf_sainfo_id *id, bool remote_side)
{
	memset(id, 0, sizeof(*id));
	if (at_word(p, "anonymous")) {
		next(p);
		return true;
	}
	if (at_word(p, "clientaddr")) {
		if (!remote_side) {
			perr(p, "clientaddr can only be the remote side of a sainfo");
			return false;
		}
		id->kind = CONF_SAID_CLIENTADDR;
		next(p);
		return true;
	}
	if (at_word(p, "address") || at_word(p, "subnet")) {
		next(p);
		id->kind = CONF_SAID_ADDRESS;
		if (!at(p, TOK_WORD)) {
			if (!at(p, TOK_ERROR))
				perr(p, "expected an address, subnet or range");
			return false;
		}
		if (!get_said_addr(p, id))
			return false;
		if (at(p, TOK_PORT)) {
			unsigned long port = 0;
			if (strcmp(p->tok.text, "any") != 0) {
				char *end;
				port = strtoul(p->tok.text, &end, 10);
				if (!p->tok.text[0] || *end || port > 65535 || p->tok.text[0] == '-') {
					perr(p, "bad port [%s] (0 to 65535 or any)", p->tok.text);
					return false;
				}
			}
			addr_set_port(&id->addr, (uint16_t)port);
			next(p);
		}
		return get_ulproto(p, &id->ulproto);
	}
	if (at_word(p, "asn1dn")) {
		perr(p, "asn1dn cannot be used as a sainfo ID");
		return false;
	}
	int t;
	static const struct kw tab[] = {
		{ "address", 0 }, { "anonymous", 0 }, { "clientaddr", 0 }, { "fqdn", CONF_ID_FQDN },
		{ "keyid", CONF_ID_KEYID }, { "subnet", 0 }, { "user_fqdn", CONF_ID_USER_FQDN },
	};
	if (!GET_KW(p, tab, "a sainfo ID", &t))
		return false;
	id->kind = CONF_SAID_STRING;
	id->idtype = (enum conf_id_type)t;
	return get_string(p, "a quoted ID", &id->str);
}

/* ---- body -------------------------------------------------------------------------- */

static bool sa_pfs_group(struct parser *p, void *o)
{
	return get_dh_group(p, &((struct conf_sainfo *)o)->pfs_group) && expect_semi(p);
}

static bool sa_lifetime(struct parser *p, void *o)
{
	return get_lifetime(p, &((struct conf_sainfo *)o)->lifetime_s) && expect_semi(p);
}

static bool sa_remoteid(struct parser *p, void *o)
{
	unsigned long v;
	if (!get_uint(p, "remoteid", 0, 0xffffffffUL, &v))
		return false;
	((struct conf_sainfo *)o)->remoteid = (unsigned)v;
	return expect_semi(p);
}

static bool sa_enc(struct parser *p, void *o)
{
	struct conf_sainfo *s = o;
	s->n_enc = 0;
	do {
		if (s->n_enc && !expect(p, TOK_COMMA, "','"))
			return false;
		int v;
		if (!get_kw_or_refused(p, kw_esp_enc, kw_esp_enc_n, "encryption algorithm", &v))
			return false;
		unsigned long bits = 0;
		unsigned deflt;
		if (at(p, TOK_WORD) && !get_uint(p, "key length", 0, 1024, &bits))
			return false;
		if (!names_keylen_ok(true, (unsigned)v, (unsigned)bits, &deflt)) {
			perr_at(p, p->prev_file, p->prev_line, "key length %lu is not valid for %s",
				bits, conf_esp_enc_name((unsigned)v));
			return false;
		}
		if (s->n_enc >= CONF_MAX_ALGS) {
			perr(p, "too many encryption algorithms (at most %d)", CONF_MAX_ALGS);
			return false;
		}
		s->enc[s->n_enc++] = (struct conf_esp_alg){ .id = (enum conf_esp_enc)v,
							    .keylen = (unsigned)bits };
	} while (at(p, TOK_COMMA));
	return expect_semi(p);
}

static bool sa_list(struct parser *p, const struct kw *tab, size_t n, const char *what,
		    int *out, size_t *count)
{
	*count = 0;
	do {
		if (*count && !expect(p, TOK_COMMA, "','"))
			return false;
		int v;
		if (!get_kw_or_refused(p, tab, n, what, &v))
			return false;
		if (*count >= CONF_MAX_ALGS) {
			perr(p, "too many algorithms (at most %d)", CONF_MAX_ALGS);
			return false;
		}
		out[(*count)++] = v;
	} while (at(p, TOK_COMMA));
	return expect_semi(p);
}

static bool sa_auth(struct parser *p, void *o)
{
	struct conf_sainfo *s = o;
	int v[CONF_MAX_ALGS];
	if (!sa_list(p, kw_esp_auth, kw_esp_auth_n, "authentication algorithm", v, &s->n_auth))
		return false;
	for (size_t i = 0; i < s->n_auth; i++)
		s->auth[i] = (enum conf_esp_auth)v[i];
	return true;
}

static bool sa_comp(struct parser *p, void *o)
{
	struct conf_sainfo *s = o;
	int v[CONF_MAX_ALGS];
	if (!sa_list(p, kw_comp, kw_comp_n, "compression algorithm", v, &s->n_comp))
		return false;
	for (size_t i = 0; i < s->n_comp; i++)
		s->comp[i] = (enum conf_comp)v[i];
	return true;
}

static bool sa_my_identifier(struct parser *p, void *o)
{
	(void)o;
	perr_at(p, p->prev_file, p->prev_line,
		"my_identifier belongs in a remote block, not in sainfo");
	return false;
}

static const struct directive sainfo_dirs[] = {
	{ .name = "authentication_algorithm", .fn = sa_auth },
	{ .name = "compression_algorithm", .fn = sa_comp },
	{ .name = "encryption_algorithm", .fn = sa_enc },
	{ .name = "lifetime", .fn = sa_lifetime },
	{ .name = "my_identifier", .fn = sa_my_identifier },
	{ .name = "pfs_group", .fn = sa_pfs_group },
	{ .name = "remoteid", .fn = sa_remoteid },
};

void sainfo_free(struct conf_sainfo *s)
{
	free(s->local.str);
	free(s->remote.str);
	conf_id_free(&s->from);
	memset(s, 0, sizeof(*s));
}

static bool sainfo_header(struct parser *p, struct conf_sainfo *s)
{
	if (at_word(p, "anonymous")) {
		next(p);
		/* a lone anonymous stands for both sides */
		if (!at(p, TOK_LBRACE) && !at_word(p, "from") && !at_word(p, "group") &&
		    !get_said(p, &s->remote, true))
			return false;
	} else if (!get_said(p, &s->local, false) || !get_said(p, &s->remote, true)) {
		return false;
	}
	if (at_word(p, "from")) {
		next(p);
		if (!get_identifier(p, &s->from, false))
			return false;
		s->has_from = true;
	}
	if (at_word(p, "group")) {
		perr(p, "sainfo ... group is refused: XAuth group membership checks are not "
			"implemented");
		return false;
	}
	return true;
}

void parse_sainfo(struct parser *p)
{
	struct racoon_conf *c = p->conf;
	const char *file = p->prev_file;
	unsigned line = p->prev_line;
	struct conf_sainfo s;
	memset(&s, 0, sizeof(s));
	sainfo_set_defaults(&s);
	s.file = file;
	s.line = line;
	if (!sainfo_header(p, &s) || !expect_lbrace(p)) {
		sainfo_free(&s);
		recover(p);
		return;
	}
	PARSE_BLOCK(p, "sainfo", sainfo_dirs, &s);
	if (!grow(p, (void **)&c->sainfos, &c->n_sainfos, sizeof(*c->sainfos), CONF_MAX_SAINFOS,
		  "sainfos")) {
		sainfo_free(&s);
		return;
	}
	c->sainfos[c->n_sainfos - 1] = s;
}
