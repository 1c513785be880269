/* conf/remote: `remote` blocks (phase 1) and their `proposal` blocks.
 *
 * Inheritance works as in the reference: the child starts as a copy of its parent
 * (which must be defined above it) and its own directives override. A list directive
 * (exchange_mode, peers_identifier, proposal) written in the child replaces the
 * inherited list instead of adding to it.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "conf/names.h"
#include "conf/parser.h"

#define R_OFF(field) offsetof(struct conf_remote, field)

/* ---- proposal { } ------------------------------------------------------------------ */

static bool pr_encryption(struct parser *p, void *o)
{
	struct conf_proposal *pr = o;
	int v;
	if (!get_kw_or_refused(p, kw_ike_enc, kw_ike_enc_n, "encryption algorithm", &v))
		return false;
	pr->enc = (enum conf_ike_enc)v;
	pr->enc_keylen = 0;
	if (at(p, TOK_WORD)) {
		unsigned long bits;
		unsigned deflt;
		if (!get_uint(p, "key length", 0, 1024, &bits))
			return false;
		if (!names_keylen_ok(false, (unsigned)v, (unsigned)bits, &deflt)) {
			perr_at(p, p->prev_file, p->prev_line, "key length %lu is not valid for %s",
				bits, conf_ike_enc_name((unsigned)v));
			return false;
		}
		pr->enc_keylen = (unsigned)bits;
	}
	return expect_semi(p);
}

static bool pr_hash(struct parser *p, void *o)
{
	int v;
	if (!get_kw_or_refused(p, kw_hash, kw_hash_n, "hash algorithm", &v))
		return false;
	((struct conf_proposal *)o)->hash = (enum conf_ike_hash)v;
	return expect_semi(p);
}

static bool pr_auth(struct parser *p, void *o)
{
	int v;
	if (!get_kw_or_refused(p, kw_auth_method, kw_auth_method_n, "authentication method", &v))
		return false;
	((struct conf_proposal *)o)->auth = (enum conf_auth_method)v;
	return expect_semi(p);
}

static bool pr_dh_group(struct parser *p, void *o)
{
	return get_dh_group(p, &((struct conf_proposal *)o)->dh_group) && expect_semi(p);
}

static bool pr_lifetime(struct parser *p, void *o)
{
	return get_lifetime(p, &((struct conf_proposal *)o)->lifetime_s) && expect_semi(p);
}

static bool pr_gss_id(struct parser *p, void *o)
{
	if (!get_string(p, "a quoted principal", &((struct conf_proposal *)o)->gss_id))
		return false;
	pwarn_at(p, p->prev_file, p->prev_line,
		 "gss_id is not implemented (GSS-API is not supported); ignored");
	return expect_semi(p);
}

static const struct directive proposal_dirs[] = {
	{ .name = "authentication_method", .fn = pr_auth },
	{ .name = "dh_group", .fn = pr_dh_group },
	{ .name = "encryption_algorithm", .fn = pr_encryption },
	{ .name = "gss_id", .fn = pr_gss_id },
	{ .name = "gssapi_id", .fn = pr_gss_id },
	{ .name = "hash_algorithm", .fn = pr_hash },
	{ .name = "lifetime", .fn = pr_lifetime },
};

static void proposal_free(struct conf_proposal *pr)
{
	free(pr->gss_id);
}

static bool rm_proposal(struct parser *p, void *o)
{
	struct conf_remote *r = o;
	if (p->cur_first) { /* the child's proposals replace inherited ones */
		for (size_t i = 0; i < r->n_proposals; i++)
			proposal_free(&r->proposals[i]);
		r->n_proposals = 0;
	}
	if (!expect_lbrace(p))
		return false;
	if (!grow(p, (void **)&r->proposals, &r->n_proposals, sizeof(*r->proposals), 64,
		  "proposals in one remote"))
		return false;
	struct conf_proposal *pr = &r->proposals[r->n_proposals - 1];
	pr->file = p->tok.file;
	pr->line = p->tok.line;
	const struct directive *saved = p->cur_dir;
	uint64_t seen = PARSE_BLOCK(p, "proposal", proposal_dirs, pr);
	p->cur_dir = saved;
	static const struct {
		int idx;
		const char *name;
	} required[] = { { 0, "authentication_method" }, { 1, "dh_group" },
			 { 2, "encryption_algorithm" }, { 5, "hash_algorithm" } };
	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		if (!(seen & (1ull << required[i].idx)))
			perr_at(p, pr->file, pr->line, "proposal without %s", required[i].name);
	return true;
}

/* ---- remote directives ------------------------------------------------------------- */

static bool rm_remote_address(struct parser *p, void *o)
{
	struct conf_remote *r = o;
	if (!get_address(p, "remote address", 0, &r->remote_address))
		return false;
	r->has_remote_address = true;
	r->anonymous = false;
	return expect_semi(p);
}

static bool rm_exchange_mode(struct parser *p, void *o)
{
	static const struct kw tab[] = {
		{ "aggressive", CONF_EXCH_AGGRESSIVE }, { "base", CONF_EXCH_BASE },
		{ "main", CONF_EXCH_MAIN },
	};
	struct conf_remote *r = o;
	r->n_exchange_mode = 0;
	for (;;) {
		int v;
		if (!GET_KW(p, tab, "an exchange mode", &v))
			return false;
		for (size_t i = 0; i < r->n_exchange_mode; i++)
			if (r->exchange_mode[i] == (enum conf_exchange)v) {
				perr_at(p, p->prev_file, p->prev_line, "exchange mode %s listed twice",
					conf_exchange_name((unsigned)v));
				return false;
			}
		r->exchange_mode[r->n_exchange_mode++] = (enum conf_exchange)v;
		if (!at(p, TOK_COMMA))
			break;
		next(p);
	}
	return expect_semi(p);
}

static bool rm_kw(struct parser *p, void *o, const struct kw *tab, size_t n, const char *what)
{
	int v;
	if (!get_kw(p, tab, n, what, &v))
		return false;
	*(int *)((char *)o + p->cur_dir->off) = v;
	return expect_semi(p);
}
#define RM_KW_FN(fname, what, ...)                                            \
	static bool fname(struct parser *p, void *o)                          \
	{                                                                     \
		static const struct kw tab[] = { __VA_ARGS__ };               \
		return rm_kw(p, o, tab, sizeof(tab) / sizeof(tab[0]), what); \
	}
RM_KW_FN(rm_doi, "a DOI", { "ipsec_doi", 1 })
RM_KW_FN(rm_situation, "a situation", { "identity_only", CONF_SIT_IDENTITY_ONLY },
	 { "integrity", CONF_SIT_INTEGRITY }, { "secrecy", CONF_SIT_SECRECY })
RM_KW_FN(rm_proposal_check, "a proposal_check level", { "claim", CONF_PCHECK_CLAIM },
	 { "exact", CONF_PCHECK_EXACT }, { "obey", CONF_PCHECK_OBEY },
	 { "strict", CONF_PCHECK_STRICT })
RM_KW_FN(rm_generate_policy, "on, off, require or unique", { "off", CONF_GENPOL_OFF },
	 { "on", CONF_GENPOL_REQUIRE }, { "require", CONF_GENPOL_REQUIRE },
	 { "unique", CONF_GENPOL_UNIQUE })
RM_KW_FN(rm_tristate, "on, off or force", { "force", CONF_FORCE }, { "off", CONF_OFF },
	 { "on", CONF_ON })

static bool rm_my_identifier(struct parser *p, void *o)
{
	return get_identifier(p, &((struct conf_remote *)o)->my_identifier, true) &&
	       expect_semi(p);
}

static bool rm_peers_identifier(struct parser *p, void *o)
{
	struct conf_remote *r = o;
	if (p->cur_first) {
		for (size_t i = 0; i < r->n_peers_identifier; i++)
			conf_id_free(&r->peers_identifier[i]);
		r->n_peers_identifier = 0;
	}
	if (!grow(p, (void **)&r->peers_identifier, &r->n_peers_identifier,
		  sizeof(*r->peers_identifier), CONF_MAX_LIST, "peers_identifier entries"))
		return false;
	return get_identifier(p, &r->peers_identifier[r->n_peers_identifier - 1], true) &&
	       expect_semi(p);
}

static bool cert_path(struct parser *p, char **slot)
{
	char *s = NULL;
	if (!get_string(p, "a quoted file name", &s))
		return false;
	free(*slot);
	*slot = path_join(p, p->conf->paths.certificate, s);
	free(s);
	return *slot != NULL;
}

static bool rm_certificate_type(struct parser *p, void *o)
{
	struct conf_remote *r = o;
	if (at_word(p, "x509")) {
		next(p);
		r->certificate_type = CONF_CERT_X509;
		if (!cert_path(p, &r->my_cert) || !cert_path(p, &r->my_privkey))
			return false;
	} else if (at_word(p, "plain_rsa")) {
		next(p);
		r->certificate_type = CONF_CERT_PLAIN_RSA;
		free(r->my_cert);
		r->my_cert = NULL;
		if (!cert_path(p, &r->my_privkey))
			return false;
	} else {
		static const struct kw tab[] = { { "plain_rsa", 0 }, { "x509", 1 } };
		int v;
		GET_KW(p, tab, "a certificate type", &v);
		return false;
	}
	return expect_semi(p);
}

static bool rm_ca_type(struct parser *p, void *o)
{
	if (!at_word(p, "x509")) {
		static const struct kw tab[] = { { "x509", 1 } };
		int v;
		GET_KW(p, tab, "a CA type", &v);
		return false;
	}
	next(p);
	return cert_path(p, &((struct conf_remote *)o)->ca_file) && expect_semi(p);
}

static bool rm_peers_certfile(struct parser *p, void *o)
{
	struct conf_remote *r = o;
	if (at_word(p, "dnssec")) {
		perr(p, "peers_certfile dnssec is refused: certificates from DNS are not "
			"implemented");
		return false;
	}
	if (at(p, TOK_STRING)) {
		pwarn(p, "peers_certfile \"file\" is deprecated; write peers_certfile x509 "
			 "\"file\"");
		r->peers_cert_type = CONF_CERT_X509;
	} else if (at_word(p, "x509") || at_word(p, "plain_rsa")) {
		r->peers_cert_type = at_word(p, "x509") ? CONF_CERT_X509 : CONF_CERT_PLAIN_RSA;
		next(p);
	} else {
		static const struct kw tab[] = { { "dnssec", 0 }, { "plain_rsa", 1 }, { "x509", 2 } };
		int v;
		GET_KW(p, tab, "a certificate type", &v);
		return false;
	}
	return cert_path(p, &r->peers_certfile) && expect_semi(p);
}

static bool rm_lifetime(struct parser *p, void *o)
{
	return get_lifetime(p, &((struct conf_remote *)o)->lifetime_s) && expect_semi(p);
}

static bool rm_script(struct parser *p, void *o)
{
	static const struct kw tab[] = { { "phase1_dead", CONF_SCRIPT_PHASE1_DEAD },
					 { "phase1_down", CONF_SCRIPT_PHASE1_DOWN },
					 { "phase1_up", CONF_SCRIPT_PHASE1_UP } };
	struct conf_remote *r = o;
	char *s = NULL;
	int ev;
	if (!get_string(p, "a quoted script name", &s))
		return false;
	if (!GET_KW(p, tab, "a script event", &ev)) {
		free(s);
		return false;
	}
	free(r->script[ev]);
	r->script[ev] = path_join(p, p->conf->paths.script, s);
	free(s);
	return expect_semi(p);
}

static bool rm_esp_frag(struct parser *p, void *o)
{
	unsigned long v;
	if (!get_uint(p, "esp_frag", 552, 65535, &v))
		return false;
	((struct conf_remote *)o)->esp_frag = (unsigned)v;
	pwarn_at(p, p->prev_file, p->prev_line,
		 "esp_frag is not implemented (the kernel fragments ESP-in-UDP itself); ignored");
	return expect_semi(p);
}

static bool rm_refused_dh(struct parser *p, void *o)
{
	(void)o;
	perr_at(p, p->prev_file, p->prev_line,
		"dh_group cannot be defined here; put it in a proposal { } block");
	return false;
}

static bool rm_keepalive(struct parser *p, void *o)
{
	(void)o;
	perr_at(p, p->prev_file, p->prev_line,
		"keepalive is obsolete; use natt_keepalive in timer { } or dpd_delay");
	return false;
}

#define ONOFF(n, f) { .name = n, .fn = dir_onoff, .off = R_OFF(f) }
#define UINT(n, f, lo, hi) { .name = n, .fn = dir_uint, .off = R_OFF(f), .min = lo, .max = hi }
#define KW(n, fn_, f) { .name = n, .fn = fn_, .off = R_OFF(f) }

static const struct directive remote_dirs[] = {
	{ .name = "ca_type", .fn = rm_ca_type },
	{ .name = "certificate_type", .fn = rm_certificate_type },
	{ .name = "dh_group", .fn = rm_refused_dh },
	KW("doi", rm_doi, doi),
	ONOFF("dpd", dpd),
	UINT("dpd_delay", dpd_delay, 0, 86400),
	UINT("dpd_maxfail", dpd_maxfail, 1, 100),
	UINT("dpd_retry", dpd_retry, 1, 3600),
	{ .name = "esp_frag", .fn = rm_esp_frag },
	{ .name = "exchange_mode", .fn = rm_exchange_mode },
	KW("generate_policy", rm_generate_policy, generate_policy),
	KW("ike_frag", rm_tristate, ike_frag),
	ONOFF("initial_contact", initial_contact),
	{ .name = "keepalive", .fn = rm_keepalive },
	{ .name = "lifetime", .fn = rm_lifetime },
	ONOFF("match_empty_cr", match_empty_cr),
	ONOFF("mode_cfg", mode_cfg),
	{ .name = "my_identifier", .fn = rm_my_identifier },
	KW("nat_traversal", rm_tristate, nat_traversal),
	UINT("nonce_size", nonce_size, 8, 256),
	ONOFF("passive", passive),
	{ .name = "peers_certfile", .fn = rm_peers_certfile },
	{ .name = "peers_identifier", .fn = rm_peers_identifier, .repeat = true },
	UINT("ph1id", ph1id, 0, 0xffffffffUL),
	{ .name = "proposal", .fn = rm_proposal, .repeat = true },
	KW("proposal_check", rm_proposal_check, proposal_check),
	KW("rekey", rm_tristate, rekey),
	{ .name = "remote_address", .fn = rm_remote_address },
	{ .name = "script", .fn = rm_script, .repeat = true },
	ONOFF("send_cert", send_cert),
	ONOFF("send_cr", send_cr),
	KW("situation", rm_situation, situation),
	ONOFF("support_proxy", support_proxy),
	ONOFF("verify_cert", verify_cert),
	ONOFF("verify_identifier", verify_identifier),
	ONOFF("weak_phase1_check", weak_phase1_check),
	{ .name = "xauth_login", .fn = dir_string, .off = R_OFF(xauth_login) },
};

/* ---- copies for inherit -------------------------------------------------------------- */

void remote_free(struct conf_remote *r)
{
	free(r->name);
	free(r->inherit);
	conf_id_free(&r->my_identifier);
	for (size_t i = 0; i < r->n_peers_identifier; i++)
		conf_id_free(&r->peers_identifier[i]);
	free(r->peers_identifier);
	free(r->my_cert);
	free(r->my_privkey);
	free(r->ca_file);
	free(r->peers_certfile);
	free(r->xauth_login);
	for (int i = 0; i < CONF_SCRIPT_MAX; i++)
		free(r->script[i]);
	for (size_t i = 0; i < r->n_proposals; i++)
		proposal_free(&r->proposals[i]);
	free(r->proposals);
	memset(r, 0, sizeof(*r));
}

static char *dup_or_null(struct parser *p, const char *s)
{
	return s ? pstrdup(p, s) : NULL;
}

/* dst = deep copy of src, except name/inherit/file/line (the caller sets those). */
static void remote_copy(struct parser *p, struct conf_remote *dst, const struct conf_remote *src)
{
	*dst = *src;
	dst->name = dst->inherit = NULL;
	conf_id_copy(p, &dst->my_identifier, &src->my_identifier);
	dst->peers_identifier = NULL;
	dst->n_peers_identifier = 0;
	for (size_t i = 0; i < src->n_peers_identifier; i++)
		if (grow(p, (void **)&dst->peers_identifier, &dst->n_peers_identifier,
			 sizeof(*dst->peers_identifier), CONF_MAX_LIST, "peers_identifier entries"))
			conf_id_copy(p, &dst->peers_identifier[i], &src->peers_identifier[i]);
	dst->my_cert = dup_or_null(p, src->my_cert);
	dst->my_privkey = dup_or_null(p, src->my_privkey);
	dst->ca_file = dup_or_null(p, src->ca_file);
	dst->peers_certfile = dup_or_null(p, src->peers_certfile);
	dst->xauth_login = dup_or_null(p, src->xauth_login);
	for (int i = 0; i < CONF_SCRIPT_MAX; i++)
		dst->script[i] = dup_or_null(p, src->script[i]);
	dst->proposals = NULL;
	dst->n_proposals = 0;
	for (size_t i = 0; i < src->n_proposals; i++)
		if (grow(p, (void **)&dst->proposals, &dst->n_proposals, sizeof(*dst->proposals), 64,
			 "proposals")) {
			dst->proposals[i] = src->proposals[i];
			dst->proposals[i].gss_id = dup_or_null(p, src->proposals[i].gss_id);
		}
}

/* ---- the header ------------------------------------------------------------------- */

/* The legacy header's name: "anonymous", "192.0.2.1" or "192.0.2.1[4500]". */
static bool legacy_name(struct parser *p, char *out, size_t outlen, union sockaddr_any *a,
			bool *anon)
{
	*anon = at_word(p, "anonymous");
	uint16_t port = 0;
	if (*anon) {
		next(p);
		memset(a, 0, sizeof(*a));
		if (at(p, TOK_PORT))
			next(p); /* a port on "anonymous" means nothing; the reference ignores it */
		snprintf(out, outlen, "anonymous");
		return true;
	}
	if (!get_address(p, "a remote address, \"name\" or anonymous", 0, a))
		return false;
	port = addr_port(a);
	char s[ADDR_STRLEN];
	addr_ntop(a, s);
	if (port)
		snprintf(out, outlen, "%s[%u]", s, port);
	else
		snprintf(out, outlen, "%s", s);
	return true;
}

static const struct conf_remote *find_remote(const struct racoon_conf *c, const char *name)
{
	for (size_t i = 0; i < c->n_remotes; i++)
		if (c->remotes[i].name && strcmp(c->remotes[i].name, name) == 0)
			return &c->remotes[i];
	return NULL;
}

const struct conf_remote *conf_remote_by_name(const struct racoon_conf *c, const char *name)
{
	return find_remote(c, name);
}

/* Parse `inherit PARENT` if present into parent_name. */
static bool header_inherit(struct parser *p, bool legacy, char *parent, size_t len)
{
	parent[0] = '\0';
	if (!at_word(p, "inherit"))
		return true;
	next(p);
	if (legacy && !at(p, TOK_STRING)) {
		union sockaddr_any a;
		bool anon;
		return legacy_name(p, parent, len, &a, &anon);
	}
	if (!at(p, TOK_STRING) || !p->tok.text[0]) {
		if (!at(p, TOK_ERROR))
			perr(p, "expected the quoted name of the remote to inherit from");
		return false;
	}
	snprintf(parent, len, "%s", p->tok.text);
	next(p);
	return true;
}

void parse_remote(struct parser *p)
{
	struct racoon_conf *c = p->conf;
	const char *file = p->prev_file;
	unsigned line = p->prev_line;
	char name[TOK_MAX], parent[TOK_MAX];
	union sockaddr_any addr;
	bool anon = false, legacy = !at(p, TOK_STRING);
	memset(&addr, 0, sizeof(addr));
	if (!legacy) {
		snprintf(name, sizeof(name), "%s", p->tok.text);
		next(p);
		if (!name[0]) {
			perr_at(p, file, line, "a remote needs a non-empty name");
			recover(p);
			return;
		}
	} else if (!legacy_name(p, name, sizeof(name), &addr, &anon)) {
		recover(p);
		return;
	}
	if (!header_inherit(p, legacy, parent, sizeof(parent))) {
		recover(p);
		return;
	}
	const struct conf_remote *dup = legacy ? NULL : find_remote(c, name);
	if (dup) {
		perr_at(p, file, line, "remote \"%s\" is defined twice (first at %s:%u)", name,
			dup->file, dup->line);
	}
	const struct conf_remote *par = parent[0] ? find_remote(c, parent) : NULL;
	if (parent[0] && !par)
		perr_at(p, file, line, "remote \"%s\" inherits from \"%s\", which is not defined "
				       "above it", name, parent);
	if (!at(p, TOK_LBRACE) && !(parent[0] && at(p, TOK_SEMI))) {
		expect_lbrace(p);
		recover(p);
		return;
	}
	size_t parent_idx = par ? (size_t)(par - c->remotes) : 0;
	if (!grow(p, (void **)&c->remotes, &c->n_remotes, sizeof(*c->remotes), CONF_MAX_REMOTES,
		  "remotes")) {
		recover(p);
		return;
	}
	struct conf_remote *r = &c->remotes[c->n_remotes - 1];
	if (par)
		remote_copy(p, r, &c->remotes[parent_idx]); /* grow() may have moved it */
	else
		remote_set_defaults(r);
	r->name = pstrdup(p, name);
	r->inherit = parent[0] ? pstrdup(p, parent) : NULL;
	r->file = file;
	r->line = line;
	r->legacy_header = legacy;
	if (legacy) {
		r->anonymous = anon;
		r->has_remote_address = !anon;
		r->remote_address = addr;
	}
	if (dup) /* keep it out of lookups so later references go to the first one */
		r->name[0] = '\0';
	if (at(p, TOK_SEMI)) {
		next(p);
		return;
	}
	PARSE_BLOCK(p, "remote", remote_dirs, r);
}
