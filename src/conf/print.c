/* conf/print: racoon -C, the parsed configuration as racoon.conf text.
 *
 * Everything is printed resolved (inherit applied, defaults written out, relative file
 * names joined), so the output parses again to the same structs. Strings cannot hold
 * '"' or a newline (the lexer never produces them), so they are printed as they are.
 */
#include <arpa/inet.h>
#include <stdio.h>

#include "conf/conf.h"
#include "log/log.h"

static const char *onoff(bool b)
{
	return b ? "on" : "off";
}

static const char *tristate(enum conf_tristate t)
{
	return t == CONF_FORCE ? "force" : t == CONF_ON ? "on" : "off";
}

static void print_addr(FILE *f, const union sockaddr_any *a, bool with_port)
{
	char s[ADDR_STRLEN];
	fputs(addr_ntop(a, s), f);
	if (with_port && addr_port(a))
		fprintf(f, " [%u]", addr_port(a));
}

static void print_globals(FILE *f, const struct racoon_conf *c)
{
	const struct conf_paths *ps = &c->paths;
	const struct { const char *name; const char *val; } paths[] = {
		{ "include", ps->include },   { "pre_shared_key", ps->pre_shared_key },
		{ "certificate", ps->certificate }, { "script", ps->script },
		{ "backupsa", ps->backupsa }, { "pidfile", ps->pidfile },
	};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (paths[i].val)
			fprintf(f, "path %s \"%s\";\n", paths[i].name, paths[i].val);
	fprintf(f, "kernel_interface %s;\n", c->kernel_interface == CONF_KERNEL_PFKEY ? "pfkey" : "xfrm");
	if (c->log_level >= 0)
		fprintf(f, "log %s;\n", log_level_name((enum log_level)c->log_level));
	if (c->pfkey_buffer_kib)
		fprintf(f, "pfkey_buffer %u;\n", c->pfkey_buffer_kib);
	fprintf(f, "complex_bundle %s;\n", onoff(c->complex_bundle));
	const struct conf_padding *pd = &c->padding;
	fprintf(f, "padding {\n\trandomize %s;\n\trandomize_length %s;\n\tmaximum_length %u;\n"
		   "\texclusive_tail %s;\n\tstrict_check %s;\n}\n",
		onoff(pd->randomize), onoff(pd->randomize_length), pd->maximum_length,
		onoff(pd->exclusive_tail), onoff(pd->strict_check));
	const struct conf_timer *t = &c->timer;
	fprintf(f, "timer {\n\tcounter %u;\n\tinterval %u sec;\n\tpersend %u;\n\tphase1 %u sec;\n"
		   "\tphase2 %u sec;\n\tnatt_keepalive %u sec;\n}\n",
		t->counter, t->interval_s, t->persend, t->phase1_s, t->phase2_s, t->natt_keepalive_s);
	const struct conf_listen *l = &c->listen;
	fprintf(f, "listen {\n");
	for (size_t i = 0; i < l->n_addrs; i++) {
		fprintf(f, "\t%s ", l->addrs[i].natt ? "isakmp_natt" : "isakmp");
		print_addr(f, &l->addrs[i].addr, true);
		fprintf(f, ";\n");
	}
	if (l->strict_address)
		fprintf(f, "\tstrict_address;\n");
	const struct conf_adminsock *as = &l->adminsock;
	if (as->disabled)
		fprintf(f, "\tadminsock disabled;\n");
	else if (as->path && as->owner)
		fprintf(f, "\tadminsock \"%s\" \"%s\" \"%s\" 0%o;\n", as->path, as->owner,
			as->group, as->mode);
	else if (as->path)
		fprintf(f, "\tadminsock \"%s\";\n", as->path);
	fprintf(f, "}\n");
	const struct conf_privsep *pv = &c->privsep;
	if (pv->user || pv->uid >= 0 || pv->group || pv->gid >= 0 || pv->chroot) {
		fprintf(f, "privsep {\n");
		if (pv->user)
			fprintf(f, "\tuser \"%s\";\n", pv->user);
		else if (pv->uid >= 0)
			fprintf(f, "\tuser %ld;\n", pv->uid);
		if (pv->group)
			fprintf(f, "\tgroup \"%s\";\n", pv->group);
		else if (pv->gid >= 0)
			fprintf(f, "\tgroup %ld;\n", pv->gid);
		if (pv->chroot)
			fprintf(f, "\tchroot \"%s\";\n", pv->chroot);
		fprintf(f, "}\n");
	}
}

static void print_in4(FILE *f, const char *name, struct in_addr a)
{
	char s[INET_ADDRSTRLEN];
	fprintf(f, "\t%s %s;\n", name, inet_ntop(AF_INET, &a, s, sizeof(s)));
}

static void print_mode_cfg(FILE *f, const struct conf_modecfg *m)
{
	if (!m->present)
		return;
	char s[INET_ADDRSTRLEN];
	fprintf(f, "mode_cfg {\n");
	print_in4(f, "network4", m->network4);
	print_in4(f, "netmask4", m->netmask4);
	fprintf(f, "\tpool_size %u;\n\tauth_source system;\n\tconf_source local;\n"
		   "\tauth_throttle %u;\n\tsave_passwd %s;\n",
		m->pool_size, m->auth_throttle, onoff(m->save_passwd));
	for (size_t i = 0; i < m->n_dns4; i++)
		print_in4(f, "dns4", m->dns4[i]);
	for (size_t i = 0; i < m->n_wins4; i++)
		print_in4(f, "wins4", m->wins4[i]);
	if (m->default_domain)
		fprintf(f, "\tdefault_domain \"%s\";\n", m->default_domain);
	for (size_t i = 0; i < m->n_split_network; i++)
		fprintf(f, "\tsplit_network %s %s/%u;\n",
			m->split_network[i].local_lan ? "local_lan" : "include",
			inet_ntop(AF_INET, &m->split_network[i].net, s, sizeof(s)),
			m->split_network[i].prefixlen);
	for (size_t i = 0; i < m->n_split_dns; i++)
		fprintf(f, "\tsplit_dns \"%s\";\n", m->split_dns[i]);
	if (m->banner)
		fprintf(f, "\tbanner \"%s\";\n", m->banner);
	if (m->pfs_group)
		fprintf(f, "\tpfs_group %u;\n", m->pfs_group);
	if (m->accounting != CONF_ACCT_NONE)
		fprintf(f, "\taccounting system;\n");
	fprintf(f, "}\n");
}

static void print_id(FILE *f, const char *directive, const struct conf_id *id)
{
	fprintf(f, "\t%s %s", directive, conf_id_type_name(id->type));
	if (id->type == CONF_ID_KEYID)
		fprintf(f, " %s", id->keyid_file ? "file" : "tag");
	if (id->str && id->type == CONF_ID_ADDRESS)
		fprintf(f, " %s", id->str);
	else if (id->str)
		fprintf(f, " \"%s\"", id->str);
	fprintf(f, ";\n");
}

static void print_proposal(FILE *f, const struct conf_proposal *pr)
{
	fprintf(f, "\tproposal {\n\t\tencryption_algorithm %s", conf_ike_enc_name(pr->enc));
	if (pr->enc_keylen)
		fprintf(f, " %u", pr->enc_keylen);
	fprintf(f, ";\n\t\thash_algorithm %s;\n\t\tauthentication_method %s;\n"
		   "\t\tdh_group %u;\n\t\tlifetime time %u sec;\n",
		conf_hash_name(pr->hash), conf_auth_method_name(pr->auth), pr->dh_group,
		pr->lifetime_s);
	if (pr->gss_id)
		fprintf(f, "\t\tgss_id \"%s\";\n", pr->gss_id);
	fprintf(f, "\t}\n");
}

static void print_remote_certs(FILE *f, const struct conf_remote *r)
{
	if (r->certificate_type == CONF_CERT_X509)
		fprintf(f, "\tcertificate_type x509 \"%s\" \"%s\";\n", r->my_cert, r->my_privkey);
	else if (r->certificate_type == CONF_CERT_PLAIN_RSA)
		fprintf(f, "\tcertificate_type plain_rsa \"%s\";\n", r->my_privkey);
	if (r->ca_file)
		fprintf(f, "\tca_type x509 \"%s\";\n", r->ca_file);
	if (r->peers_certfile)
		fprintf(f, "\tpeers_certfile %s \"%s\";\n",
			r->peers_cert_type == CONF_CERT_PLAIN_RSA ? "plain_rsa" : "x509",
			r->peers_certfile);
	fprintf(f, "\tverify_cert %s;\n\tsend_cert %s;\n\tsend_cr %s;\n\tmatch_empty_cr %s;\n",
		onoff(r->verify_cert), onoff(r->send_cert), onoff(r->send_cr),
		onoff(r->match_empty_cr));
}

static void print_remote(FILE *f, const struct conf_remote *r)
{
	static const char *const pcheck[] = { "?", "obey", "strict", "claim", "exact" };
	static const char *const genpol[] = { "off", "require", "unique" };
	static const char *const sit[] = { "?", "identity_only", "secrecy", "?", "integrity" };
	static const char *const ev[] = { "phase1_up", "phase1_down", "phase1_dead" };
	if (r->inherit)
		fprintf(f, "# inherits from \"%s\" (resolved below)\n", r->inherit);
	if (r->legacy_header && r->anonymous)
		fprintf(f, "remote anonymous {\n");
	else if (r->legacy_header) {
		fprintf(f, "remote ");
		print_addr(f, &r->remote_address, true);
		fprintf(f, " {\n");
	} else {
		fprintf(f, "remote \"%s\" {\n", r->name);
		if (r->has_remote_address) {
			fprintf(f, "\tremote_address ");
			print_addr(f, &r->remote_address, true);
			fprintf(f, ";\n");
		}
	}
	fprintf(f, "\texchange_mode ");
	for (size_t i = 0; i < r->n_exchange_mode; i++)
		fprintf(f, "%s%s", i ? ", " : "", conf_exchange_name(r->exchange_mode[i]));
	fprintf(f, ";\n\tdoi ipsec_doi;\n\tsituation %s;\n", sit[r->situation & 7 ? r->situation : 1]);
	print_id(f, "my_identifier", &r->my_identifier);
	for (size_t i = 0; i < r->n_peers_identifier; i++)
		print_id(f, "peers_identifier", &r->peers_identifier[i]);
	fprintf(f, "\tverify_identifier %s;\n", onoff(r->verify_identifier));
	print_remote_certs(f, r);
	if (r->xauth_login)
		fprintf(f, "\txauth_login \"%s\";\n", r->xauth_login);
	fprintf(f, "\tmode_cfg %s;\n\tlifetime time %u sec;\n\tproposal_check %s;\n"
		   "\tpassive %s;\n\tinitial_contact %s;\n\tsupport_proxy %s;\n"
		   "\tgenerate_policy %s;\n\tnat_traversal %s;\n\tdpd %s;\n\tdpd_delay %u;\n"
		   "\tdpd_retry %u;\n\tdpd_maxfail %u;\n\trekey %s;\n\tike_frag %s;\n"
		   "\tweak_phase1_check %s;\n\tnonce_size %u;\n\tph1id %u;\n",
		onoff(r->mode_cfg), r->lifetime_s, pcheck[r->proposal_check % 5], onoff(r->passive),
		onoff(r->initial_contact), onoff(r->support_proxy), genpol[r->generate_policy % 3],
		tristate(r->nat_traversal), onoff(r->dpd), r->dpd_delay, r->dpd_retry,
		r->dpd_maxfail, tristate(r->rekey), tristate(r->ike_frag),
		onoff(r->weak_phase1_check), r->nonce_size, r->ph1id);
	if (r->esp_frag)
		fprintf(f, "\tesp_frag %u;\n", r->esp_frag);
	for (int i = 0; i < CONF_SCRIPT_MAX; i++)
		if (r->script[i])
			fprintf(f, "\tscript \"%s\" %s;\n", r->script[i], ev[i]);
	for (size_t i = 0; i < r->n_proposals; i++)
		print_proposal(f, &r->proposals[i]);
	fprintf(f, "}\n");
}

static void print_said(FILE *f, const struct conf_sainfo_id *id)
{
	switch (id->kind) {
	case CONF_SAID_ANONYMOUS:
		fprintf(f, "anonymous");
		break;
	case CONF_SAID_CLIENTADDR:
		fprintf(f, "clientaddr");
		break;
	case CONF_SAID_STRING:
		fprintf(f, "%s \"%s\"", conf_id_type_name(id->idtype), id->str);
		break;
	case CONF_SAID_ADDRESS:
		fprintf(f, "%s ", id->subnet ? "subnet" : "address");
		print_addr(f, &id->addr, false);
		if (id->range) {
			fputc('-', f);
			print_addr(f, &id->addr_end, false);
		} else if (id->subnet) {
			fprintf(f, "/%u", id->prefixlen);
		}
		if (addr_port(&id->addr))
			fprintf(f, " [%u]", addr_port(&id->addr));
		if (id->ulproto == CONF_ULPROTO_ANY)
			fprintf(f, " any");
		else
			fprintf(f, " %u", id->ulproto);
		break;
	}
}

static void print_sainfo(FILE *f, const struct conf_sainfo *s)
{
	fprintf(f, "sainfo ");
	print_said(f, &s->local);
	fputc(' ', f);
	print_said(f, &s->remote);
	if (s->has_from) {
		fprintf(f, " from %s", conf_id_type_name(s->from.type));
		if (s->from.type == CONF_ID_KEYID)
			fprintf(f, " tag");
		if (s->from.str)
			fprintf(f, " \"%s\"", s->from.str);
	}
	fprintf(f, " {\n");
	if (s->pfs_group)
		fprintf(f, "\tpfs_group %u;\n", s->pfs_group);
	fprintf(f, "\tlifetime time %u sec;\n\tencryption_algorithm ", s->lifetime_s);
	for (size_t i = 0; i < s->n_enc; i++) {
		fprintf(f, "%s%s", i ? ", " : "", conf_esp_enc_name(s->enc[i].id));
		if (s->enc[i].keylen)
			fprintf(f, " %u", s->enc[i].keylen);
	}
	fprintf(f, ";\n");
	for (size_t i = 0; i < s->n_auth; i++)
		fprintf(f, "%s%s", i ? ", " : "\tauthentication_algorithm ",
			conf_esp_auth_name(s->auth[i]));
	if (s->n_auth)
		fprintf(f, ";\n");
	if (s->n_comp)
		fprintf(f, "\tcompression_algorithm deflate;\n");
	if (s->remoteid)
		fprintf(f, "\tremoteid %u;\n", s->remoteid);
	fprintf(f, "}\n");
}

void conf_print(FILE *f, const struct racoon_conf *c)
{
	fprintf(f, "# racoon -C: %s, parsed and resolved\n", c->path ? c->path : "?");
	print_globals(f, c);
	print_mode_cfg(f, &c->mode_cfg);
	for (size_t i = 0; i < c->n_remotes; i++)
		print_remote(f, &c->remotes[i]);
	for (size_t i = 0; i < c->n_sainfos; i++)
		print_sainfo(f, &c->sainfos[i]);
}
