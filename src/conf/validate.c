/* conf/validate: checks that need the whole file (run after a clean parse). */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf/names.h"
#include "conf/parser.h"

/* A file named in the config must exist; we cannot always read it (racoon -t as a
 * normal user), so only a missing file is an error. */
static void check_file(struct parser *p, const char *file, unsigned line, const char *what,
		       const char *path)
{
	struct stat st;
	if (!path || (p->opts && p->opts->no_file_checks))
		return;
	if (stat(path, &st) == 0)
		return;
	if (errno == ENOENT || errno == ENOTDIR)
		perr_at(p, file, line, "%s %s does not exist", what, path);
	else
		pwarn_at(p, file, line, "cannot check %s %s: %s", what, path, strerror(errno));
}

static bool uses_psk(enum conf_auth_method m)
{
	return m == CONF_AUTH_PSK || m == CONF_AUTH_XAUTH_PSK_CLIENT ||
	       m == CONF_AUTH_XAUTH_PSK_SERVER;
}

static bool needs_own_cert(enum conf_auth_method m)
{
	return m == CONF_AUTH_RSASIG || m == CONF_AUTH_XAUTH_RSA_CLIENT ||
	       m == CONF_AUTH_XAUTH_RSA_SERVER || m == CONF_AUTH_HYBRID_RSA_SERVER;
}

static void validate_proposals(struct parser *p, struct conf_remote *r, bool *need_psk)
{
	bool aggressive = false, not_main = false;
	for (size_t i = 0; i < r->n_exchange_mode; i++) {
		aggressive |= r->exchange_mode[i] == CONF_EXCH_AGGRESSIVE;
		not_main |= r->exchange_mode[i] != CONF_EXCH_MAIN;
	}
	for (size_t i = 0; i < r->n_proposals; i++) {
		struct conf_proposal *pr = &r->proposals[i];
		if (!pr->lifetime_s)
			pr->lifetime_s = r->lifetime_s;
		if (uses_psk(pr->auth))
			*need_psk = true;
		if (needs_own_cert(pr->auth) && r->certificate_type == CONF_CERT_NONE)
			perr_at(p, pr->file, pr->line,
				"authentication_method %s needs certificate_type in remote \"%s\"",
				conf_auth_method_name(pr->auth), r->name);
		if (pr->auth == CONF_AUTH_XAUTH_RSA_SERVER || pr->auth == CONF_AUTH_XAUTH_RSA_CLIENT ||
		    pr->auth == CONF_AUTH_HYBRID_RSA_SERVER || pr->auth == CONF_AUTH_HYBRID_RSA_CLIENT)
			perr_at(p, pr->file, pr->line,
				"authentication_method %s is not implemented (XAuth and hybrid "
				"need XAuth/mode_cfg in the engine; rsasig is)",
				conf_auth_method_name(pr->auth));
		if (pr->auth == CONF_AUTH_RSASIG && not_main) /* the engine signs in MM only */
			perr_at(p, pr->file, pr->line,
				"authentication_method rsasig is implemented for exchange_mode main "
				"only (remote \"%s\")", r->name);
		if (aggressive && pr->dh_group != r->proposals[0].dh_group)
			perr_at(p, pr->file, pr->line,
				"aggressive mode needs the same dh_group in every proposal of "
				"remote \"%s\"", r->name);
	}
}

static void validate_remote(struct parser *p, struct conf_remote *r, bool *need_psk)
{
	if (r->n_exchange_mode == 0)
		perr_at(p, r->file, r->line, "remote \"%s\" has no exchange_mode", r->name);
	if (r->n_proposals == 0)
		perr_at(p, r->file, r->line, "remote \"%s\" has no proposal { } block", r->name);
	validate_proposals(p, r, need_psk);
	if (r->xauth_login) /* the XAuth password comes from the PSK file */
		*need_psk = true;
	if (r->verify_identifier && r->n_peers_identifier == 0)
		perr_at(p, r->file, r->line,
			"remote \"%s\": verify_identifier on needs peers_identifier", r->name);
	if (r->certificate_type == CONF_CERT_PLAIN_RSA) /* as the reference does */
		r->send_cert = r->send_cr = r->verify_cert = false;
	check_file(p, r->file, r->line, "certificate", r->my_cert);
	check_file(p, r->file, r->line, "private key", r->my_privkey);
	check_file(p, r->file, r->line, "CA file", r->ca_file);
	check_file(p, r->file, r->line, "peers_certfile", r->peers_certfile);
	for (int i = 0; i < CONF_SCRIPT_MAX; i++)
		check_file(p, r->file, r->line, "script", r->script[i]);
	if (r->my_identifier.type == CONF_ID_KEYID && r->my_identifier.keyid_file)
		check_file(p, r->file, r->line, "keyid file", r->my_identifier.str);
}

static bool said_equal(const struct conf_sainfo_id *a, const struct conf_sainfo_id *b)
{
	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case CONF_SAID_ADDRESS:
		return addr_equal_port(&a->addr, &b->addr) && a->prefixlen == b->prefixlen &&
		       a->range == b->range && (!a->range || addr_equal(&a->addr_end, &b->addr_end)) &&
		       a->ulproto == b->ulproto;
	case CONF_SAID_STRING:
		return a->idtype == b->idtype && strcmp(a->str, b->str) == 0;
	default:
		return true;
	}
}

static bool id_equal(const struct conf_id *a, const struct conf_id *b)
{
	if (a->type != b->type || a->has_addr != b->has_addr)
		return false;
	if ((a->str == NULL) != (b->str == NULL))
		return false;
	return !a->str || strcmp(a->str, b->str) == 0;
}

static void validate_algs(struct parser *p, struct conf_sainfo *s)
{
	size_t n_aead = 0;
	bool real_auth = false, null_enc = false;
	for (size_t i = 0; i < s->n_enc; i++) {
		n_aead += names_esp_is_aead(s->enc[i].id);
		null_enc |= s->enc[i].id == CONF_ESP_NULL;
	}
	for (size_t i = 0; i < s->n_auth; i++)
		real_auth |= s->auth[i] != CONF_AUTH_ALG_NONE;
	if (s->n_enc == 0) {
		perr_at(p, s->file, s->line, "sainfo has no encryption_algorithm");
		return;
	}
	if (n_aead == s->n_enc) {
		if (real_auth)
			perr_at(p, s->file, s->line,
				"AES-GCM authenticates by itself: leave out "
				"authentication_algorithm (RFC 4106 section 8.1)");
		s->n_auth = 0;
	} else if (s->n_auth == 0) {
		perr_at(p, s->file, s->line, "sainfo has no authentication_algorithm");
	}
	if (null_enc && s->n_auth && !real_auth)
		perr_at(p, s->file, s->line,
			"null_enc with non_auth only would protect nothing (RFC 4303 3.2)");
	if (n_aead && p->conf->kernel_interface == CONF_KERNEL_PFKEY)
		perr_at(p, s->file, s->line,
			"AES-GCM needs kernel_interface xfrm (PF_KEY has no AEAD algorithms)");
	/* Linux af_key has no ICV-length field: HMAC-SHA-256 gets 96 bits there, and peers
	 * using RFC 4868's 128 bits reject every packet. SHA-384/512 get the RFC lengths. */
	bool sha256 = false;
	for (size_t i = 0; i < s->n_auth; i++)
		sha256 |= s->auth[i] == CONF_AUTH_ALG_HMAC_SHA256;
	if (sha256 && p->conf->kernel_interface == CONF_KERNEL_PFKEY)
		perr_at(p, s->file, s->line,
			"with kernel_interface pfkey, Linux installs hmac_sha256 with a 96-bit ICV, "
			"not the RFC 4868 128 bits peers expect; use kernel_interface xfrm");
}

static void validate_sainfo(struct parser *p, size_t idx)
{
	struct racoon_conf *c = p->conf;
	struct conf_sainfo *s = &c->sainfos[idx];
	validate_algs(p, s);
	if (s->local.kind == CONF_SAID_ADDRESS && s->remote.kind == CONF_SAID_ADDRESS &&
	    s->local.addr.sa.sa_family != s->remote.addr.sa.sa_family)
		perr_at(p, s->file, s->line, "the two sainfo IDs are of different address families");
	for (size_t j = 0; j < idx; j++) {
		const struct conf_sainfo *o = &c->sainfos[j];
		if (!said_equal(&o->local, &s->local) || !said_equal(&o->remote, &s->remote) ||
		    o->has_from != s->has_from || (s->has_from && !id_equal(&o->from, &s->from)))
			continue;
		if (s->local.kind == CONF_SAID_ANONYMOUS && s->remote.kind == CONF_SAID_ANONYMOUS)
			pwarn_at(p, s->file, s->line, "this anonymous sainfo repeats the one at %s:%u "
						      "and is never used", o->file, o->line);
		else
			perr_at(p, s->file, s->line, "sainfo defined twice (first at %s:%u)", o->file,
				o->line);
		break;
	}
	if (s->remoteid) {
		bool found = false;
		for (size_t i = 0; i < c->n_remotes && !found; i++)
			found = c->remotes[i].ph1id == s->remoteid;
		if (!found)
			pwarn_at(p, s->file, s->line, "no remote has ph1id %u", s->remoteid);
	}
}

static void validate_global(struct parser *p, bool need_psk)
{
	struct racoon_conf *c = p->conf;
	const char *f = c->files ? c->files[0] : NULL;
	if (need_psk && !c->paths.pre_shared_key)
		perr_at(p, f, 0, "pre-shared key authentication is used but `path "
				 "pre_shared_key` is not set");
	if (c->paths.pre_shared_key && need_psk && !(p->opts && p->opts->no_file_checks)) {
		char err[512];
		uid_t owner = p->opts && p->opts->psk_owner_set ? p->opts->psk_owner : geteuid();
		if (conf_psk_check(c->paths.pre_shared_key, owner, err, sizeof(err)) < 0)
			perr_at(p, f, 0, "%s", err);
	}
	for (size_t i = 0; i < c->listen.n_addrs; i++)
		for (size_t j = 0; j < i; j++)
			if (addr_equal_port(&c->listen.addrs[i].addr, &c->listen.addrs[j].addr))
				perr_at(p, f, 0, "listen: the same address and port is listed twice");
	if (c->kernel_interface == CONF_KERNEL_XFRM && c->pfkey_buffer_kib)
		pwarn_at(p, f, 0, "pfkey_buffer is ignored with kernel_interface xfrm");
	uint32_t mask = ntohl(c->mode_cfg.netmask4.s_addr);
	if (mask & (~mask >> 1))
		perr_at(p, f, 0, "mode_cfg: netmask4 is not a contiguous netmask");
}

void conf_validate(struct parser *p)
{
	struct racoon_conf *c = p->conf;
	bool need_psk = false;
	for (size_t i = 0; i < c->n_remotes; i++)
		validate_remote(p, &c->remotes[i], &need_psk);
	for (size_t i = 0; i < c->n_sainfos; i++)
		validate_sainfo(p, i);
	validate_global(p, need_psk);
}
