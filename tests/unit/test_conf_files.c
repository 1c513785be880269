/* Unit tests: complete racoon.conf files (tests/conf), includes, the PSK file, the
 * printer (racoon -C) and reloading. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log/log.h"
#include "test_conf_util.h"

#ifndef CONF_FIXTURES
#define CONF_FIXTURES "tests/conf"
#endif

static char tmpdir[256];

static const char *fixture(const char *name)
{
	static char path[512];
	snprintf(path, sizeof(path), "%s/%s", CONF_FIXTURES, name);
	return path;
}

static struct racoon_conf *load_ok(const char *name)
{
	struct reports rep;
	struct racoon_conf *c;
	int r = load_file(fixture(name), false, &rep, &c);
	ck_assert_msg(r == 0, "%s: rc %d\n%s", name, r, rep.text);
	ck_assert_msg(rep.warnings == 0, "%s: unexpected warnings\n%s", name, rep.text);
	return c;
}

static const struct conf_remote *remote(const struct racoon_conf *c, const char *name)
{
	const struct conf_remote *r = conf_remote_by_name(c, name);
	ck_assert_msg(r != NULL, "no remote %s", name);
	return r;
}

START_TEST(site_to_site_psk)
{
	struct racoon_conf *c = load_ok("site-to-site-psk.conf");
	ck_assert_int_eq(c->log_level, LL_NOTIFY);
	ck_assert_str_eq(c->paths.pre_shared_key, "/etc/racoon/psk.txt");
	ck_assert_uint_eq(c->listen.n_addrs, 1);
	ck_assert_uint_eq(c->timer.phase2_s, 15);
	ck_assert_uint_eq(c->n_remotes, 1);
	const struct conf_remote *r = remote(c, "198.51.100.1");
	ck_assert(r->has_remote_address && !r->anonymous);
	ck_assert_uint_eq(r->lifetime_s, 8 * 3600);
	ck_assert_uint_eq(r->n_proposals, 2);
	ck_assert_uint_eq(r->proposals[0].enc_keylen, 256);
	ck_assert_uint_eq(r->proposals[0].dh_group, 14);
	ck_assert_uint_eq(r->proposals[0].lifetime_s, 8 * 3600); /* from the remote */
	ck_assert_uint_eq(r->proposals[1].lifetime_s, 3600);     /* its own */
	ck_assert_uint_eq(r->proposals[1].auth, CONF_AUTH_PSK);
	ck_assert_uint_eq(r->dpd_maxfail, 3);
	ck_assert(r->verify_identifier);
	ck_assert_uint_eq(c->n_sainfos, 1);
	const struct conf_sainfo *s = &c->sainfos[0];
	ck_assert_uint_eq(s->local.prefixlen, 16);
	ck_assert(s->local.subnet && s->remote.subnet);
	ck_assert_uint_eq(s->n_enc, 2);
	ck_assert_uint_eq(s->n_auth, 2);
	ck_assert_uint_eq(s->pfs_group, 14);
	conf_free(c);
}
END_TEST

START_TEST(roadwarrior_gateway)
{
	struct racoon_conf *c = load_ok("roadwarrior-gateway.conf");
	const struct conf_remote *r = remote(c, "anonymous");
	ck_assert(r->anonymous && r->passive);
	ck_assert_uint_eq(r->generate_policy, CONF_GENPOL_REQUIRE);
	ck_assert_uint_eq(r->nat_traversal, CONF_ON);
	ck_assert_uint_eq(r->exchange_mode[0], CONF_EXCH_AGGRESSIVE);
	ck_assert_uint_eq(r->proposals[1].auth, CONF_AUTH_XAUTH_PSK_SERVER);
	ck_assert_str_eq(r->script[CONF_SCRIPT_PHASE1_UP], "/etc/racoon/scripts/phase1-up.sh");
	ck_assert_ptr_null(r->script[CONF_SCRIPT_PHASE1_DEAD]);
	ck_assert(c->mode_cfg.present);
	ck_assert_uint_eq(c->mode_cfg.pool_size, 200);
	ck_assert_uint_eq(c->mode_cfg.n_dns4, 2);
	ck_assert_uint_eq(c->mode_cfg.n_split_dns, 2);
	ck_assert_str_eq(c->mode_cfg.split_dns[1], "lab.example.com");
	ck_assert_uint_eq(c->mode_cfg.n_split_network, 1);
	ck_assert_uint_eq(c->mode_cfg.split_network[0].prefixlen, 8);
	ck_assert_uint_eq(c->listen.n_addrs, 2);
	ck_assert(c->listen.addrs[1].natt);
	ck_assert_uint_eq(c->sainfos[0].n_enc, 3);
	conf_free(c);
}
END_TEST

START_TEST(certificates)
{
	struct racoon_conf *c = load_ok("certificates.conf");
	const struct conf_remote *r = remote(c, "branch");
	ck_assert_uint_eq(r->certificate_type, CONF_CERT_X509);
	ck_assert_str_eq(r->my_cert, "/etc/racoon/certs/gw.example.com.pem");
	ck_assert_str_eq(r->my_privkey, "/etc/racoon/certs/gw.example.com.key");
	ck_assert_str_eq(r->ca_file, "/etc/racoon/certs/ca.pem");
	ck_assert_uint_eq(r->my_identifier.type, CONF_ID_ASN1DN);
	ck_assert_ptr_null(r->my_identifier.str);
	ck_assert_str_eq(r->peers_identifier[0].str, "C=DE, O=Example GmbH, CN=branch.example.com");
	ck_assert_uint_eq(r->proposals[0].dh_group, 20);
	ck_assert_uint_eq(r->proposals[0].hash, CONF_HASH_SHA512);
	const struct conf_remote *l = remote(c, "laptops");
	ck_assert_uint_eq(l->generate_policy, CONF_GENPOL_UNIQUE);
	ck_assert_str_eq(l->my_cert, "/etc/racoon/certs/gw.example.com.pem");
	const struct conf_sainfo *s = &c->sainfos[0];
	ck_assert(s->has_from);
	ck_assert_uint_eq(s->from.type, CONF_ID_ASN1DN);
	ck_assert_uint_eq(s->enc[0].id, CONF_ESP_AES_GCM_16);
	ck_assert_uint_eq(s->n_auth, 0);
	conf_free(c);
}
END_TEST

START_TEST(natt_client)
{
	struct racoon_conf *c = load_ok("natt-client.conf");
	const struct conf_remote *r = remote(c, "203.0.113.10");
	ck_assert_uint_eq(r->nat_traversal, CONF_FORCE);
	ck_assert_uint_eq(r->ike_frag, CONF_FORCE);
	ck_assert(r->mode_cfg);
	ck_assert_str_eq(r->xauth_login, "alice");
	ck_assert_uint_eq(r->my_identifier.type, CONF_ID_USER_FQDN);
	ck_assert_str_eq(r->script[CONF_SCRIPT_PHASE1_DEAD], "/etc/racoon/scripts/phase1-dead.sh");
	ck_assert_uint_eq(r->proposals[0].auth, CONF_AUTH_XAUTH_PSK_CLIENT);
	ck_assert_uint_eq(c->timer.natt_keepalive_s, 15);
	ck_assert_uint_eq(c->sainfos[0].lifetime_s, 8 * 3600);
	conf_free(c);
}
END_TEST

START_TEST(inheritance)
{
	struct racoon_conf *c = load_ok("inheritance.conf");
	ck_assert_uint_eq(c->n_remotes, 5);
	const struct conf_remote *d = remote(c, "defaults"), *b = remote(c, "berlin"),
				 *p = remote(c, "paris"), *ro = remote(c, "rome"),
				 *m = remote(c, "madrid");
	ck_assert(d->anonymous && !d->has_remote_address);
	ck_assert(b->has_remote_address && !b->anonymous);
	ck_assert_uint_eq(b->lifetime_s, 4 * 3600);
	ck_assert_uint_eq(b->dpd_delay, 60);
	ck_assert_uint_eq(b->nat_traversal, CONF_ON);
	ck_assert_uint_eq(b->n_proposals, 1);
	ck_assert_uint_eq(b->proposals[0].dh_group, 14);
	ck_assert_str_eq(b->inherit, "defaults");
	ck_assert_uint_eq(p->dpd_delay, 10);
	ck_assert_uint_eq(p->n_proposals, 1); /* replaced, not added */
	ck_assert_uint_eq(p->proposals[0].dh_group, 19);
	ck_assert_uint_eq(ro->n_proposals, 1);
	ck_assert_uint_eq(ro->proposals[0].dh_group, 19);
	ck_assert(addr_equal(&ro->remote_address, &p->remote_address));
	ck_assert(m->passive && !b->passive);
	ck_assert_uint_eq(m->dpd_delay, 60);
	char s[ADDR_STRLEN];
	ck_assert_str_eq(addr_ntop(&m->remote_address, s), "198.51.100.34");
	ck_assert_str_eq(addr_ntop(&b->remote_address, s), "198.51.100.31");
	conf_free(c);
}
END_TEST

START_TEST(includes)
{
	struct racoon_conf *c = load_ok("includes.conf");
	ck_assert_uint_eq(c->n_files, 3);
	ck_assert_uint_eq(c->n_remotes, 2);
	const struct conf_remote *a = remote(c, "peer-a"), *b = remote(c, "peer-b");
	ck_assert_ptr_nonnull(strstr(a->file, "include.d/10-peer-a.conf"));
	ck_assert_uint_eq(a->line, 2);
	ck_assert_uint_eq(b->proposals[0].dh_group, 14);
	ck_assert_uint_eq(c->timer.counter, 9);
	ck_assert_uint_eq(c->n_sainfos, 1);
	ck_assert_ptr_nonnull(strstr(c->sainfos[0].file, "includes.conf"));
	ck_assert_uint_eq(c->sainfos[0].line, 8);
	conf_free(c);
}
END_TEST

START_TEST(ipv6)
{
	struct racoon_conf *c = load_ok("ipv6.conf");
	ck_assert_uint_eq(c->listen.n_addrs, 3);
	ck_assert_int_eq(c->listen.addrs[0].addr.sa.sa_family, AF_INET6);
	ck_assert_uint_eq(addr_port(&c->listen.addrs[1].addr), 4500);
	ck_assert_uint_eq(addr_port(&c->listen.addrs[2].addr), 500);
	ck_assert(c->listen.strict_address);
	const struct conf_remote *r = remote(c, "2001:db8:2::1");
	ck_assert_int_eq(r->remote_address.sa.sa_family, AF_INET6);
	ck_assert(r->my_identifier.has_addr);
	const struct conf_remote *ll = remote(c, "link-local");
	ck_assert_uint_ne(ll->remote_address.sin6.sin6_scope_id, 0);
	ck_assert_uint_eq(c->sainfos[0].local.prefixlen, 48);
	ck_assert_uint_eq(c->sainfos[1].local.ulproto, 17);
	ck_assert_uint_eq(addr_port(&c->sainfos[1].local.addr), 500);
	ck_assert(c->sainfos[1].remote.range);
	conf_free(c);
}
END_TEST

START_TEST(reference_style)
{
	struct reports rep;
	struct racoon_conf *c;
	ck_assert_int_eq(load_file(fixture("reference-style.conf"), false, &rep, &c), 0);
	ck_assert_str_eq(c->privsep.user, "racoon");
	ck_assert(!c->complex_bundle);
	ck_assert(!c->padding.randomize && !c->padding.exclusive_tail);
	ck_assert_uint_eq(c->listen.adminsock.mode, 0660);
	const struct conf_remote *r = remote(c, "anonymous");
	ck_assert_uint_eq(r->n_exchange_mode, 3);
	ck_assert_uint_eq(r->lifetime_s, 60);
	ck_assert(!r->dpd);
	ck_assert_uint_eq(r->proposals[0].hash, CONF_HASH_SHA256);
	ck_assert_uint_eq(c->sainfos[0].n_enc, 8);
	ck_assert_uint_eq(c->sainfos[0].enc[0].id, CONF_ESP_AES);
	ck_assert_uint_eq(c->sainfos[0].n_auth, 4);
	ck_assert_uint_eq(c->sainfos[0].remoteid, 3);
	ck_assert(!c->sainfos[1].local.subnet); /* a /32 is a host */
	conf_free(c);
}
END_TEST

START_TEST(extensions)
{
	struct racoon_conf *c = load_ok("extensions.conf");
	ck_assert_int_eq(c->kernel_interface, CONF_KERNEL_XFRM);
	ck_assert_uint_eq(c->sainfos[0].pfs_group, 21);
	ck_assert_uint_eq(c->sainfos[0].n_enc, 2);
	ck_assert_uint_eq(c->sainfos[0].enc[1].keylen, 128);
	ck_assert_uint_eq(remote(c, "ecp")->proposals[1].dh_group, 19);
	conf_free(c);
}
END_TEST

/* tests/conf/bad: the first line says "# expect: LINE: message". */
static const char *const bad_files[] = {
	"gcm-with-auth.conf",	 "group-sainfo.conf",	 "include-loop.conf",
	"include-missing.conf",	 "inherit-undefined.conf", "ldap-xauth.conf",
	"missing-semicolon.conf", "reference-ldap_cfg.conf", "unclosed-remote.conf",
};

START_TEST(bad_file)
{
	char name[128], want[1200], first[512];
	snprintf(name, sizeof(name), "bad/%s", bad_files[_i]);
	FILE *f = fopen(fixture(name), "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(first, sizeof(first), f));
	fclose(f);
	first[strcspn(first, "\n")] = '\0';
	ck_assert_int_eq(strncmp(first, "# expect: ", 10), 0);
	char *msg = strchr(first + 10, ':');
	ck_assert_ptr_nonnull(msg);
	*msg = '\0';
	msg += 2;
	snprintf(want, sizeof(want), "%s:%s: ", fixture(name), first + 10);
	struct reports rep;
	struct racoon_conf *c;
	ck_assert_int_eq(load_file(fixture(name), false, &rep, &c), -EINVAL);
	/* One report line starts with FILE:LINE: and holds the message. */
	bool found = false;
	for (char *line = strtok(rep.text, "\n"); line && !found; line = strtok(NULL, "\n"))
		found = strncmp(line, want, strlen(want)) == 0 && strstr(line, msg);
	ck_assert_msg(found, "%s: want %s...%s", name, want, msg);
}
END_TEST

/* racoon -C: printing, parsing the output and printing again gives the same text. */
static const char *const good_files[] = {
	"site-to-site-psk.conf", "roadwarrior-gateway.conf", "certificates.conf",
	"natt-client.conf",	 "inheritance.conf",	     "includes.conf",
	"ipv6.conf",		 "reference-style.conf",     "extensions.conf",
};

static char *print_to_string(const struct racoon_conf *c, size_t *len)
{
	char *text = NULL;
	FILE *f = open_memstream(&text, len);
	ck_assert_ptr_nonnull(f);
	conf_print(f, c);
	fclose(f);
	return text;
}

START_TEST(print_round_trip)
{
	struct reports rep;
	struct racoon_conf *c, *c2;
	ck_assert_int_eq(load_file(fixture(good_files[_i]), false, &rep, &c), 0);
	size_t len1, len2;
	char *t1 = print_to_string(c, &len1);
	struct conf_load_opts o = { .report = collect, .userdata = &rep, .no_file_checks = true };
	memset(&rep, 0, sizeof(rep));
	int r = conf_parse_string(c->path, t1, len1, &o, &c2);
	ck_assert_msg(r == 0, "%s: printed config does not parse:\n%s\n---\n%s", good_files[_i],
		      rep.text, t1);
	ck_assert_uint_eq(c2->n_remotes, c->n_remotes);
	ck_assert_uint_eq(c2->n_sainfos, c->n_sainfos);
	char *t2 = print_to_string(c2, &len2);
	/* The only difference allowed: "# inherits" comments of the first print. */
	const char *p1 = t1, *p2 = t2;
	while (*p1 || *p2) {
		if (strncmp(p1, "# inherits", 10) == 0) {
			p1 = strchr(p1, '\n') + 1;
			continue;
		}
		const char *e1 = strchr(p1, '\n'), *e2 = strchr(p2, '\n');
		ck_assert_msg(e1 && e2 && e1 - p1 == e2 - p2 && !strncmp(p1, p2, (size_t)(e1 - p1)),
			      "%s: second print differs at:\n%.80s\nvs\n%.80s", good_files[_i], p1, p2);
		p1 = e1 + 1;
		p2 = e2 + 1;
	}
	free(t1);
	free(t2);
	conf_free(c);
	conf_free(c2);
}
END_TEST

START_TEST(print_never_shows_secrets)
{
	struct reports rep;
	struct racoon_conf *c;
	ck_assert_int_eq(parse_text("ldapcfg { bind_pw \"hunter2\"; }\n"
				    "radiuscfg { auth \"r\" \"radsecret\"; }\n",
				    &rep, &c),
			 0);
	size_t len;
	char *t = print_to_string(c, &len);
	ck_assert_ptr_null(strstr(t, "hunter2"));
	ck_assert_ptr_null(strstr(t, "radsecret"));
	free(t);
	conf_free(c);
}
END_TEST

/* ---- files named in the config -------------------------------------------------- */

static void write_file(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	ck_assert_int_eq(chmod(path, mode), 0);
}

static const char *tmp(const char *name)
{
	static char path[4][512];
	static int k;
	k = (k + 1) % 4;
	snprintf(path[k], sizeof(path[k]), "%s/%s", tmpdir, name);
	return path[k];
}

START_TEST(missing_files_are_errors)
{
	char text[1024];
	snprintf(text, sizeof(text),
		 "path certificate \"%s\";\n"
		 "remote \"r\" {\n exchange_mode main;\n certificate_type x509 \"nope.pem\" \"nope.key\";\n"
		 " proposal { encryption_algorithm aes; hash_algorithm sha1; authentication_method rsasig; dh_group 2; }\n}\n",
		 tmpdir);
	write_file(tmp("certs.conf"), text, 0644);
	struct reports rep;
	struct racoon_conf *c;
	ck_assert_int_eq(load_file(tmp("certs.conf"), true, &rep, &c), -EINVAL);
	ck_assert_ptr_nonnull(strstr(rep.text, "certs.conf:2: certificate "));
	ck_assert_ptr_nonnull(strstr(rep.text, "nope.pem does not exist"));
	ck_assert_uint_eq(rep.errors, 2);
	write_file(tmp("nope.pem"), "x", 0644);
	write_file(tmp("nope.key"), "x", 0600);
	ck_assert_int_eq(load_file(tmp("certs.conf"), true, &rep, &c), 0);
	conf_free(c);
	ck_assert_int_eq(load_file(tmp("no-such.conf"), true, &rep, &c), -ENOENT);
	ck_assert_ptr_nonnull(strstr(rep.text, "cannot read"));
	ck_assert_int_eq(load_file(tmpdir, true, &rep, &c), -EISDIR);
}
END_TEST

/* ---- the PSK file ----------------------------------------------------------------- */

static const char psk_text[] = "# peers\n"
			       "192.0.2.1\tsimple-key\n"
			       "  vpn.example.com   a key with spaces  \n"
			       "alice@example.com 0x0102fe\n"
			       "2001:db8::1 v6-key\r\n"
			       "#198.51.100.1 commented-out\n"
			       "lonely-id\n"
			       "badhex 0xzz\n";

START_TEST(psk_lookup)
{
	const char *path = tmp("psk.txt");
	write_file(path, psk_text, 0600);
	struct buf k;
	ck_assert_int_eq(conf_psk_lookup_file(path, geteuid(), "192.0.2.1", &k), 0);
	ck_assert_uint_eq(k.len, 10);
	ck_assert_int_eq(memcmp(k.ptr, "simple-key", 10), 0);
	ck_assert(k.flags & BUF_SECRET);
	buf_free(&k);
	ck_assert_int_eq(conf_psk_lookup_file(path, geteuid(), "vpn.example.com", &k), 0);
	ck_assert_uint_eq(k.len, strlen("a key with spaces  "));
	buf_free(&k);
	ck_assert_int_eq(conf_psk_lookup_file(path, geteuid(), "alice@example.com", &k), 0);
	ck_assert_uint_eq(k.len, 3);
	ck_assert_uint_eq(k.ptr[2], 0xfe);
	buf_free(&k);
	/* Another spelling of the same address, and a CRLF line. */
	ck_assert_int_eq(conf_psk_lookup_file(path, geteuid(), "2001:DB8:0::1", &k), 0);
	ck_assert_uint_eq(k.len, 6);
	buf_free(&k);
	ck_assert_int_eq(conf_psk_lookup_file(path, geteuid(), "198.51.100.1", &k), -ENOENT);
	ck_assert_int_eq(conf_psk_lookup_file(path, geteuid(), "lonely-id", &k), -ENOENT);
	ck_assert_int_eq(conf_psk_lookup_file(path, geteuid(), "badhex", &k), -EINVAL);
	ck_assert_ptr_null(k.ptr);
	ck_assert_int_eq(conf_psk_lookup_file(path, geteuid(), "#198.51.100.1", &k), -ENOENT);
	ck_assert_int_eq(conf_psk_lookup_file(tmp("none.txt"), geteuid(), "x", &k), -ENOENT);
}
END_TEST

START_TEST(psk_file_permissions)
{
	const char *path = tmp("psk-weak.txt");
	char err[512];
	struct buf k;
	write_file(path, psk_text, 0644);
	ck_assert_int_eq(conf_psk_check(path, geteuid(), err, sizeof(err)), -EPERM);
	ck_assert_ptr_nonnull(strstr(err, path));
	ck_assert_ptr_nonnull(strstr(err, "chmod 600"));
	ck_assert_int_eq(conf_psk_lookup_file(path, geteuid(), "192.0.2.1", &k), -EPERM);
	ck_assert_ptr_null(k.ptr);
	write_file(path, psk_text, 0640);
	ck_assert_int_eq(conf_psk_check(path, geteuid(), err, sizeof(err)), -EPERM);
	write_file(path, psk_text, 0600);
	ck_assert_int_eq(conf_psk_check(path, geteuid(), err, sizeof(err)), 0);
	/* Owned by someone who is neither root nor racoon's user. */
	uid_t allowed = geteuid() + 1;
	if (geteuid() == 0) {
		ck_assert_int_eq(chown(path, 12345, (gid_t)-1), 0);
		allowed = 0;
	}
	ck_assert_int_eq(conf_psk_check(path, allowed, err, sizeof(err)), -EPERM);
	ck_assert_ptr_nonnull(strstr(err, "chown root"));
	ck_assert_int_eq(conf_psk_check(tmpdir, geteuid(), err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "not a regular file"));
}
END_TEST

START_TEST(psk_file_checked_at_load)
{
	char text[1024];
	const char *psk = tmp("psk-load.txt");
	write_file(psk, psk_text, 0604);
	snprintf(text, sizeof(text),
		 "path pre_shared_key \"%s\";\n"
		 "remote anonymous {\n exchange_mode main;\n"
		 " proposal { encryption_algorithm aes; hash_algorithm sha1; authentication_method pre_shared_key; dh_group 2; }\n}\n",
		 psk);
	const char *conf = tmp("psk-load.conf");
	write_file(conf, text, 0644);
	struct reports rep;
	struct racoon_conf *c;
	ck_assert_int_eq(load_file(conf, true, &rep, &c), -EINVAL);
	ck_assert_ptr_nonnull(strstr(rep.text, "chmod 600"));
	write_file(psk, psk_text, 0600);
	ck_assert_int_eq(load_file(conf, true, &rep, &c), 0);
	struct buf k;
	ck_assert_int_eq(conf_psk_lookup(c, "vpn.example.com", &k), 0);
	buf_free(&k);
	conf_free(c);
}
END_TEST

/* ---- reload ------------------------------------------------------------------------ */

static unsigned hook_calls;
static const struct racoon_conf *hook_old, *hook_new;

static void on_change(const struct racoon_conf *old, const struct racoon_conf *cur, void *ud)
{
	(void)ud;
	hook_calls++;
	hook_old = old;
	hook_new = cur;
}

static char *read_all(const char *path)
{
	static char buf[16384];
	FILE *f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

START_TEST(reload_keeps_old_on_error)
{
	const char *logf = tmp("reload.log");
	struct log_options lo = { .file = logf };
	ck_assert_int_eq(log_open(&lo), 0);
	const char *conf = tmp("reload.conf");
	conf_set_change_hook(on_change, NULL);
	write_file(conf, "log notify;\ntimer { counter 3; }\n", 0644);
	ck_assert_int_eq(conf_reload(conf), 0);
	const struct racoon_conf *first = conf_current();
	ck_assert_ptr_nonnull(first);
	ck_assert_uint_eq(first->timer.counter, 3);
	ck_assert_uint_eq(hook_calls, 1);
	ck_assert_ptr_null(hook_old);
	/* A broken file: the current config stays, and the log says why. */
	write_file(conf, "log notify;\ntimer { counter 4 }\n", 0644);
	ck_assert_int_eq(conf_reload(conf), -EINVAL);
	ck_assert_ptr_eq(conf_current(), first);
	ck_assert_uint_eq(conf_current()->timer.counter, 3);
	ck_assert_uint_eq(hook_calls, 1);
	/* A vanished file too. */
	ck_assert_int_eq(conf_reload(tmp("gone.conf")), -ENOENT);
	ck_assert_ptr_eq(conf_current(), first);
	/* A good one switches; what needs a restart is named in the log. */
	write_file(conf, "timer { counter 7; }\nlisten { isakmp 192.0.2.1; }\n", 0644);
	ck_assert_int_eq(conf_reload(conf), 0);
	ck_assert_uint_eq(conf_current()->timer.counter, 7);
	ck_assert_uint_eq(hook_calls, 2);
	ck_assert_ptr_eq(hook_old, first);
	ck_assert_ptr_eq(hook_new, conf_current());
	conf_current_free();
	ck_assert_ptr_null(conf_current());
	conf_set_change_hook(NULL, NULL);
	log_close();
	const char *logged = read_all(logf);
	ck_assert_ptr_nonnull(strstr(logged, "reload.conf:2: missing ';' (before '}')"));
	ck_assert_ptr_nonnull(strstr(logged, "has errors: keeping the current configuration"));
	ck_assert_ptr_nonnull(strstr(logged, "listen addresses changed: this takes effect when racoon restarts"));
	ck_assert_ptr_null(strstr(logged, "kernel_interface changed"));
}
END_TEST

static void setup(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_conf_files.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown(void)
{
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", tmpdir);
}

#define N(a) ((int)(sizeof(a) / sizeof(a[0])))

static Suite *suite(void)
{
	Suite *s = suite_create("conf_files");
	TCase *t = tcase_create("fixtures");
	tcase_add_test(t, site_to_site_psk);
	tcase_add_test(t, roadwarrior_gateway);
	tcase_add_test(t, certificates);
	tcase_add_test(t, natt_client);
	tcase_add_test(t, inheritance);
	tcase_add_test(t, includes);
	tcase_add_test(t, ipv6);
	tcase_add_test(t, reference_style);
	tcase_add_test(t, extensions);
	tcase_add_loop_test(t, bad_file, 0, N(bad_files));
	tcase_add_loop_test(t, print_round_trip, 0, N(good_files));
	tcase_add_test(t, print_never_shows_secrets);
	suite_add_tcase(s, t);
	TCase *f = tcase_create("files");
	tcase_add_checked_fixture(f, setup, teardown);
	tcase_add_test(f, missing_files_are_errors);
	tcase_add_test(f, psk_lookup);
	tcase_add_test(f, psk_file_permissions);
	tcase_add_test(f, psk_file_checked_at_load);
	tcase_add_test(f, reload_keeps_old_on_error);
	suite_add_tcase(s, f);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(suite());
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
