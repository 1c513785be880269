/* Unit tests: racoon.conf, directive by directive (table-driven).
 *
 * valid_rows:   a use of a directive and the value it must parse to (read from the
 *               structs, not from conf_print).
 * string_rows:  the same for string values.
 * error_rows:   a bad use and the "FILE:LINE: message" it must produce.
 * warning_rows: accepted with a warning naming the directive.
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <stdlib.h>

#include "log/log.h"
#include "test_conf_util.h"

/* A minimal valid remote: the body under test is on line 5. */
#define PROP "proposal { encryption_algorithm aes; hash_algorithm sha1; authentication_method rsasig; dh_group 2; }\n"
#define REMOTE(body) \
	"remote \"r\" {\n exchange_mode main;\n certificate_type x509 \"c.pem\" \"k.pem\";\n" PROP body "\n}\n"
/* A remote whose only proposal is prop (on line 4). */
#define REMOTE_P(prop) \
	"remote \"r\" {\n exchange_mode main;\n certificate_type x509 \"c.pem\" \"k.pem\";\n proposal { " prop " }\n}\n"
#define PSKPATH "path pre_shared_key \"/nonexistent/psk.txt\";\n"
/* A valid anonymous sainfo: the body under test is on line 4. */
#define SAINFO(body) \
	"sainfo anonymous {\n encryption_algorithm aes;\n authentication_algorithm hmac_sha1;\n" body "\n}\n"
#define SAHDR(hdr) hdr " { encryption_algorithm aes; authentication_algorithm hmac_sha1; }\n"

typedef long (*getter)(const struct racoon_conf *c);
#define G(name, expr) \
	static long name(const struct racoon_conf *c) { return (long)(expr); }

/* globals */
G(g_log, c->log_level)
G(g_kernel, c->kernel_interface)
G(g_pfkey_buffer, c->pfkey_buffer_kib)
G(g_complex, c->complex_bundle)
G(g_pad_rand, c->padding.randomize)
G(g_pad_randlen, c->padding.randomize_length)
G(g_pad_max, c->padding.maximum_length)
G(g_pad_tail, c->padding.exclusive_tail)
G(g_pad_strict, c->padding.strict_check)
G(g_t_counter, c->timer.counter)
G(g_t_interval, c->timer.interval_s)
G(g_t_persend, c->timer.persend)
G(g_t_phase1, c->timer.phase1_s)
G(g_t_phase2, c->timer.phase2_s)
G(g_t_natt, c->timer.natt_keepalive_s)
G(g_l_n, c->listen.n_addrs)
G(g_l0_port, addr_port(&c->listen.addrs[0].addr))
G(g_l0_natt, c->listen.addrs[0].natt)
G(g_l0_family, c->listen.addrs[0].addr.sa.sa_family)
G(g_l_strict, c->listen.strict_address)
G(g_admin_disabled, c->listen.adminsock.disabled)
G(g_admin_mode, c->listen.adminsock.mode)
G(g_ps_uid, c->privsep.uid)
G(g_ps_gid, c->privsep.gid)
/* remote 0 */
#define R0 c->remotes[0]
G(g_n_remotes, c->n_remotes)
G(g_r_has_addr, R0.has_remote_address)
G(g_r_anon, R0.anonymous)
G(g_r_port, addr_port(&R0.remote_address))
G(g_r_family, R0.remote_address.sa.sa_family)
G(g_r_exch0, R0.exchange_mode[0])
G(g_r_nexch, R0.n_exchange_mode)
G(g_r_doi, R0.doi)
G(g_r_sit, R0.situation)
G(g_r_myid, R0.my_identifier.type)
G(g_r_myid_hasaddr, R0.my_identifier.has_addr)
G(g_r_myid_file, R0.my_identifier.keyid_file)
G(g_r_myid_nostr, R0.my_identifier.str == NULL)
G(g_r_npeers, R0.n_peers_identifier)
G(g_r_verify_id, R0.verify_identifier)
G(g_r_cert_type, R0.certificate_type)
G(g_r_peers_cert_type, R0.peers_cert_type)
G(g_r_verify_cert, R0.verify_cert)
G(g_r_send_cert, R0.send_cert)
G(g_r_send_cr, R0.send_cr)
G(g_r_match_empty, R0.match_empty_cr)
G(g_r_mode_cfg, R0.mode_cfg)
G(g_r_lifetime, R0.lifetime_s)
G(g_r_pcheck, R0.proposal_check)
G(g_r_passive, R0.passive)
G(g_r_ic, R0.initial_contact)
G(g_r_proxy, R0.support_proxy)
G(g_r_genpol, R0.generate_policy)
G(g_r_natt, R0.nat_traversal)
G(g_r_dpd, R0.dpd)
G(g_r_dpd_delay, R0.dpd_delay)
G(g_r_dpd_retry, R0.dpd_retry)
G(g_r_dpd_maxfail, R0.dpd_maxfail)
G(g_r_rekey, R0.rekey)
G(g_r_ike_frag, R0.ike_frag)
G(g_r_esp_frag, R0.esp_frag)
G(g_r_weak, R0.weak_phase1_check)
G(g_r_nonce, R0.nonce_size)
G(g_r_ph1id, R0.ph1id)
G(g_r_nprop, R0.n_proposals)
G(g_p_enc, R0.proposals[0].enc)
G(g_p_keylen, R0.proposals[0].enc_keylen)
G(g_p_hash, R0.proposals[0].hash)
G(g_p_auth, R0.proposals[0].auth)
G(g_p_dh, R0.proposals[0].dh_group)
G(g_p_life, R0.proposals[0].lifetime_s)
G(g_r1_passive, c->remotes[1].passive)
G(g_r1_nprop, c->remotes[1].n_proposals)
G(g_r1_dh, c->remotes[1].proposals[0].dh_group)
G(g_r1_dpd_delay, c->remotes[1].dpd_delay)
G(g_r1_has_addr, c->remotes[1].has_remote_address)
/* sainfo 0 */
#define S0 c->sainfos[0]
G(g_n_sainfos, c->n_sainfos)
G(g_s_lkind, S0.local.kind)
G(g_s_rkind, S0.remote.kind)
G(g_s_lprefix, S0.local.prefixlen)
G(g_s_lsubnet, S0.local.subnet)
G(g_s_lrange, S0.local.range)
G(g_s_lproto, S0.local.ulproto)
G(g_s_lport, addr_port(&S0.local.addr))
G(g_s_lfamily, S0.local.addr.sa.sa_family)
G(g_s_ridtype, S0.remote.idtype)
G(g_s_has_from, S0.has_from)
G(g_s_from_type, S0.from.type)
G(g_s_pfs, S0.pfs_group)
G(g_s_life, S0.lifetime_s)
G(g_s_nenc, S0.n_enc)
G(g_s_enc0, S0.enc[0].id)
G(g_s_keylen0, S0.enc[0].keylen)
G(g_s_nauth, S0.n_auth)
G(g_s_auth0, S0.auth[0])
G(g_s_auth1, S0.auth[1])
G(g_s_ncomp, S0.n_comp)
G(g_s_remoteid, S0.remoteid)
/* mode_cfg */
#define M c->mode_cfg
G(g_m_present, M.present)
G(g_m_net, ntohl(M.network4.s_addr))
G(g_m_mask, ntohl(M.netmask4.s_addr))
G(g_m_pool, M.pool_size)
G(g_m_ndns, M.n_dns4)
G(g_m_dns1, ntohl(M.dns4[1].s_addr))
G(g_m_nwins, M.n_wins4)
G(g_m_nsplit, M.n_split_network)
G(g_m_split_lan, M.split_network[0].local_lan)
G(g_m_split_pfx, M.split_network[M.n_split_network - 1].prefixlen)
G(g_m_nsplitdns, M.n_split_dns)
G(g_m_throttle, M.auth_throttle)
G(g_m_pfs, M.pfs_group)
G(g_m_save, M.save_passwd)
G(g_m_acct, M.accounting)

static const struct valid_row {
	const char *text;
	getter get;
	long want;
} valid_rows[] = {
	/* defaults (the reference's code, see racoon.conf(5)) */
	{ "", g_log, -1 },
	{ "", g_kernel, CONF_KERNEL_XFRM },
	{ "", g_complex, 1 },
	{ "", g_t_phase1, 30 },
	{ "", g_t_phase2, 30 },
	{ "", g_t_counter, 5 },
	{ "", g_t_natt, 20 },
	{ "", g_pad_max, 20 },
	{ "", g_admin_mode, 0600 },
	{ "", g_ps_uid, -1 },
	{ REMOTE(""), g_r_lifetime, 28800 },
	{ REMOTE(""), g_p_life, 28800 },
	{ REMOTE(""), g_r_pcheck, CONF_PCHECK_STRICT },
	{ REMOTE(""), g_r_match_empty, 0 },
	{ REMOTE(""), g_r_dpd, 1 },
	{ REMOTE(""), g_r_dpd_retry, 5 },
	{ REMOTE(""), g_r_nonce, 16 },
	{ REMOTE(""), g_r_anon, 1 },
	{ REMOTE(""), g_r_myid, CONF_ID_ADDRESS },
	{ SAINFO(""), g_s_life, 28800 },
	{ SAINFO(""), g_s_ncomp, 0 },
	/* global statements */
	{ "log debug;", g_log, LL_DEBUG },
	{ "log debug2;", g_log, LL_DEBUG2 },
	{ "log error;", g_log, LL_ERROR },
	{ "kernel_interface pfkey;", g_kernel, CONF_KERNEL_PFKEY },
	{ "kernel_interface xfrm;", g_kernel, CONF_KERNEL_XFRM },
	{ "kernel_interface pfkey; pfkey_buffer 512;", g_pfkey_buffer, 512 },
	{ "complex_bundle off;", g_complex, 0 },
	{ "# only a comment\n\n  # another\n", g_n_remotes, 0 },
	{ "padding { randomize off; }", g_pad_rand, 0 },
	{ "padding { randomize_length on; }", g_pad_randlen, 1 },
	{ "padding { maximum_length 40; }", g_pad_max, 40 },
	{ "padding { exclusive_tail off; }", g_pad_tail, 0 },
	{ "padding { strict_check on; }", g_pad_strict, 1 },
	{ "timer { counter 7; }", g_t_counter, 7 },
	{ "timer { interval 2 min; }", g_t_interval, 120 },
	{ "timer { interval 0x10 secs; }", g_t_interval, 16 },
	{ "timer { persend 2; }", g_t_persend, 2 },
	{ "timer { phase1 1 hour; }", g_t_phase1, 3600 },
	{ "timer { phase2 45 seconds; }", g_t_phase2, 45 },
	{ "timer { natt_keepalive 0 sec; }", g_t_natt, 0 },
	{ "timer { natt_keepalive 1 minutes; }", g_t_natt, 60 },
	{ "listen { isakmp 192.0.2.1; }", g_l0_port, 500 },
	{ "listen { isakmp 192.0.2.1; isakmp 192.0.2.2; }", g_l_n, 2 },
	{ "listen { isakmp 2001:db8::1 [7000]; }", g_l0_port, 7000 },
	{ "listen { isakmp 2001:db8::1 [7000]; }", g_l0_family, AF_INET6 },
	{ "listen { isakmp_natt 192.0.2.1 [4500]; }", g_l0_natt, 1 },
	{ "listen { isakmp_natt 192.0.2.1; }", g_l0_port, 4500 },
	{ "listen { strict_address; }", g_l_strict, 1 },
	{ "listen { adminsock disabled; }", g_admin_disabled, 1 },
	{ "listen { adminsock \"/run/r.sock\" \"root\" \"wheel\" 0660; }", g_admin_mode, 0660 },
	{ "privsep { user 123; group 456; }", g_ps_uid, 123 },
	{ "privsep { user 123; group 456; }", g_ps_gid, 456 },
	{ "privsep { user \"racoon\"; }", g_ps_uid, -1 },
	/* remote header forms */
	{ PSKPATH "remote 192.0.2.7 {\n exchange_mode main;\n proposal { encryption_algorithm 3des; hash_algorithm md5; authentication_method pre_shared_key; dh_group 2; }\n}\n",
	  g_r_has_addr, 1 },
	{ "remote 192.0.2.7 [4500] {\n exchange_mode main;\n" PROP " certificate_type x509 \"c\" \"k\";\n}\n",
	  g_r_port, 4500 },
	{ "remote anonymous {\n exchange_mode main;\n" PROP " certificate_type x509 \"c\" \"k\";\n}\n",
	  g_r_anon, 1 },
	{ REMOTE("") "remote \"c\" inherit \"r\" { passive on; }", g_r1_passive, 1 },
	{ REMOTE("dpd_delay 10;") "remote \"c\" inherit \"r\";", g_r1_dpd_delay, 10 },
	{ REMOTE("remote_address 192.0.2.1;") "remote \"c\" inherit \"r\" { }", g_r1_has_addr, 1 },
	{ REMOTE("") "remote \"c\" inherit \"r\" { proposal { encryption_algorithm aes; hash_algorithm sha1; authentication_method rsasig; dh_group 14; } }",
	  g_r1_nprop, 1 },
	{ REMOTE("") "remote \"c\" inherit \"r\" { proposal { encryption_algorithm aes; hash_algorithm sha1; authentication_method rsasig; dh_group 14; } }",
	  g_r1_dh, 14 },
	{ "remote 192.0.2.7 {\n exchange_mode main;\n" PROP " certificate_type x509 \"c\" \"k\";\n}\n"
	  "remote 192.0.2.8 inherit 192.0.2.7 { }", g_n_remotes, 2 },
	/* remote directives */
	{ REMOTE("remote_address 192.0.2.7;"), g_r_anon, 0 },
	{ REMOTE("remote_address 2001:db8::7 [4500];"), g_r_port, 4500 },
	{ REMOTE("remote_address 2001:db8::7 [4500];"), g_r_family, AF_INET6 },
	{ PSKPATH "remote \"r\" {\n exchange_mode aggressive, main;\n proposal { encryption_algorithm aes; hash_algorithm sha1; authentication_method pre_shared_key; dh_group 2; }\n}\n", g_r_exch0, CONF_EXCH_AGGRESSIVE },
	{ PSKPATH "remote \"r\" {\n exchange_mode aggressive, main, base;\n proposal { encryption_algorithm aes; hash_algorithm sha1; authentication_method pre_shared_key; dh_group 2; }\n}\n", g_r_nexch, 3 },
	{ REMOTE("doi ipsec_doi;"), g_r_doi, 1 },
	{ REMOTE("situation secrecy;"), g_r_sit, CONF_SIT_SECRECY },
	{ REMOTE("situation integrity;"), g_r_sit, CONF_SIT_INTEGRITY },
	{ REMOTE("my_identifier fqdn \"gw.example.org\";"), g_r_myid, CONF_ID_FQDN },
	{ REMOTE("my_identifier fqdn gw.example.org;"), g_r_myid, CONF_ID_FQDN },
	{ REMOTE("my_identifier user_fqdn \"vpn@example.org\";"), g_r_myid, CONF_ID_USER_FQDN },
	{ REMOTE("my_identifier address 192.0.2.1;"), g_r_myid_hasaddr, 1 },
	{ REMOTE("my_identifier address;"), g_r_myid_hasaddr, 0 },
	{ REMOTE("my_identifier keyid tag \"k1\";"), g_r_myid_file, 0 },
	{ REMOTE("my_identifier keyid \"/etc/racoon/k1\";"), g_r_myid_file, 1 },
	{ REMOTE("my_identifier keyid file \"/etc/racoon/k1\";"), g_r_myid, CONF_ID_KEYID },
	{ REMOTE("my_identifier asn1dn;"), g_r_myid_nostr, 1 },
	{ REMOTE("my_identifier asn1dn \"C=DE, O=Example\\, Inc, CN=gw\";"), g_r_myid, CONF_ID_ASN1DN },
	{ REMOTE("peers_identifier fqdn \"a\"; peers_identifier user_fqdn \"b@c\";"), g_r_npeers, 2 },
	{ REMOTE("peers_identifier asn1dn \"C=DE, O=*, CN=*\"; verify_identifier on;"), g_r_verify_id, 1 },
	{ REMOTE("certificate_type plain_rsa \"priv.key\";"), g_r_cert_type, CONF_CERT_PLAIN_RSA },
	{ REMOTE("certificate_type plain_rsa \"priv.key\";"), g_r_send_cert, 0 },
	{ REMOTE("certificate_type plain_rsa \"priv.key\";"), g_r_verify_cert, 0 },
	{ REMOTE("peers_certfile x509 \"peer.pem\";"), g_r_peers_cert_type, CONF_CERT_X509 },
	{ REMOTE("peers_certfile plain_rsa \"peer.pub\";"), g_r_peers_cert_type, CONF_CERT_PLAIN_RSA },
	{ REMOTE("verify_cert off;"), g_r_verify_cert, 0 },
	{ REMOTE("send_cert off;"), g_r_send_cert, 0 },
	{ REMOTE("send_cr off;"), g_r_send_cr, 0 },
	{ REMOTE("match_empty_cr on;"), g_r_match_empty, 1 },
	{ REMOTE("mode_cfg on;"), g_r_mode_cfg, 1 },
	{ REMOTE("lifetime time 2 hour;"), g_r_lifetime, 7200 },
	{ REMOTE("lifetime time 2 hour;"), g_p_life, 7200 },
	{ REMOTE("proposal_check obey;"), g_r_pcheck, CONF_PCHECK_OBEY },
	{ REMOTE("proposal_check claim;"), g_r_pcheck, CONF_PCHECK_CLAIM },
	{ REMOTE("proposal_check exact;"), g_r_pcheck, CONF_PCHECK_EXACT },
	{ REMOTE("passive on;"), g_r_passive, 1 },
	{ REMOTE("initial_contact off;"), g_r_ic, 0 },
	{ REMOTE("support_proxy on;"), g_r_proxy, 1 },
	{ REMOTE("generate_policy on;"), g_r_genpol, CONF_GENPOL_REQUIRE },
	{ REMOTE("generate_policy require;"), g_r_genpol, CONF_GENPOL_REQUIRE },
	{ REMOTE("generate_policy unique;"), g_r_genpol, CONF_GENPOL_UNIQUE },
	{ REMOTE("generate_policy off;"), g_r_genpol, CONF_GENPOL_OFF },
	{ REMOTE("nat_traversal on;"), g_r_natt, CONF_ON },
	{ REMOTE("nat_traversal force;"), g_r_natt, CONF_FORCE },
	{ REMOTE("dpd off;"), g_r_dpd, 0 },
	{ REMOTE("dpd_delay 30;"), g_r_dpd_delay, 30 },
	{ REMOTE("dpd_retry 3;"), g_r_dpd_retry, 3 },
	{ REMOTE("dpd_maxfail 7;"), g_r_dpd_maxfail, 7 },
	{ REMOTE("rekey force;"), g_r_rekey, CONF_FORCE },
	{ REMOTE("rekey off;"), g_r_rekey, CONF_OFF },
	{ REMOTE("ike_frag on;"), g_r_ike_frag, CONF_ON },
	{ REMOTE("ike_frag force;"), g_r_ike_frag, CONF_FORCE },
	{ REMOTE("esp_frag 1400;"), g_r_esp_frag, 1400 },
	{ REMOTE("weak_phase1_check on;"), g_r_weak, 1 },
	{ REMOTE("nonce_size 32;"), g_r_nonce, 32 },
	{ REMOTE("ph1id 7;"), g_r_ph1id, 7 },
	{ REMOTE(PROP), g_r_nprop, 2 },
	/* proposal directives */
	{ REMOTE_P("encryption_algorithm aes 256; hash_algorithm sha1; authentication_method rsasig; dh_group 2;"), g_p_keylen, 256 },
	{ REMOTE_P("encryption_algorithm 3des; hash_algorithm sha1; authentication_method rsasig; dh_group 2;"), g_p_enc, CONF_IKE_3DES },
	{ REMOTE_P("encryption_algorithm des; hash_algorithm sha1; authentication_method rsasig; dh_group 2;"), g_p_enc, CONF_IKE_DES },
	{ REMOTE_P("encryption_algorithm camellia 192; hash_algorithm sha1; authentication_method rsasig; dh_group 2;"), g_p_enc, CONF_IKE_CAMELLIA },
	{ REMOTE_P("encryption_algorithm blowfish 448; hash_algorithm sha1; authentication_method rsasig; dh_group 2;"), g_p_keylen, 448 },
	{ REMOTE_P("encryption_algorithm cast128 80; hash_algorithm sha1; authentication_method rsasig; dh_group 2;"), g_p_enc, CONF_IKE_CAST128 },
	{ REMOTE_P("encryption_algorithm aes; hash_algorithm sha512; authentication_method rsasig; dh_group 2;"), g_p_hash, CONF_HASH_SHA512 },
	{ REMOTE_P("encryption_algorithm aes; hash_algorithm sha2_256; authentication_method rsasig; dh_group 2;"), g_p_hash, CONF_HASH_SHA256 },
	{ REMOTE_P("encryption_algorithm aes; hash_algorithm sha384; authentication_method rsasig; dh_group 2;"), g_p_hash, CONF_HASH_SHA384 },
	{ REMOTE_P("encryption_algorithm aes; hash_algorithm md5; authentication_method rsasig; dh_group 2;"), g_p_hash, CONF_HASH_MD5 },
	{ PSKPATH REMOTE_P("encryption_algorithm aes; hash_algorithm sha1; authentication_method pre_shared_key; dh_group 2;"), g_p_auth, CONF_AUTH_PSK },
	{ PSKPATH REMOTE_P("encryption_algorithm aes; hash_algorithm sha1; authentication_method xauth_psk_client; dh_group 2;"), g_p_auth, CONF_AUTH_XAUTH_PSK_CLIENT },
	{ PSKPATH REMOTE_P("encryption_algorithm aes; hash_algorithm sha1; authentication_method xauth_psk_server; dh_group 2;"), g_p_auth, CONF_AUTH_XAUTH_PSK_SERVER },
	{ REMOTE_P("encryption_algorithm aes; hash_algorithm sha1; authentication_method rsasig; dh_group 14;"), g_p_dh, 14 },
	{ REMOTE_P("encryption_algorithm aes; hash_algorithm sha1; authentication_method rsasig; dh_group modp3072;"), g_p_dh, 15 },
	{ REMOTE_P("encryption_algorithm aes; hash_algorithm sha1; authentication_method rsasig; dh_group modp768;"), g_p_dh, 1 },
	{ REMOTE_P("encryption_algorithm aes; hash_algorithm sha1; authentication_method rsasig; dh_group modp8192;"), g_p_dh, 18 },
	{ REMOTE_P("encryption_algorithm aes; hash_algorithm sha1; authentication_method rsasig; dh_group ecp256;"), g_p_dh, 19 },
	{ REMOTE_P("encryption_algorithm aes; hash_algorithm sha1; authentication_method rsasig; dh_group ecp384;"), g_p_dh, 20 },
	{ REMOTE_P("encryption_algorithm aes; hash_algorithm sha1; authentication_method rsasig; dh_group 21;"), g_p_dh, 21 },
	{ REMOTE_P("encryption_algorithm aes; hash_algorithm sha1; authentication_method rsasig; dh_group 2; lifetime time 30 min;"), g_p_life, 1800 },
	{ REMOTE_P("encryption_algorithm aes; hash_algorithm sha1; authentication_method rsasig; dh_group 2; gss_id \"host/gw\";"), g_p_dh, 2 },
	/* sainfo headers */
	{ SAHDR("sainfo address 192.0.2.1 any address 198.51.100.1 any"), g_s_lkind, CONF_SAID_ADDRESS },
	{ SAHDR("sainfo address 192.0.2.1 any address 198.51.100.1 any"), g_s_lprefix, 32 },
	{ SAHDR("sainfo address 192.0.2.1 any address 198.51.100.1 any"), g_s_lsubnet, 0 },
	{ SAHDR("sainfo address 192.0.2.1 any address 198.51.100.1 any"), g_s_lproto, CONF_ULPROTO_ANY },
	{ SAHDR("sainfo subnet 10.0.0.0/8 [any] tcp anonymous"), g_s_lproto, 6 },
	{ SAHDR("sainfo subnet 10.0.0.0/8 [any] tcp anonymous"), g_s_lprefix, 8 },
	{ SAHDR("sainfo subnet 10.0.0.0/8 [any] tcp anonymous"), g_s_lsubnet, 1 },
	{ SAHDR("sainfo address 10.0.0.1 [80] 6 anonymous"), g_s_lport, 80 },
	{ SAHDR("sainfo address 10.0.0.1 [80] 6 anonymous"), g_s_lproto, 6 },
	{ SAHDR("sainfo address 10.0.0.1 any anonymous"), g_s_rkind, CONF_SAID_ANONYMOUS },
	{ SAHDR("sainfo address 10.0.0.1 icmp anonymous"), g_s_lproto, 1 },
	{ SAHDR("sainfo address 10.0.0.1 gre anonymous"), g_s_lproto, 47 },
	{ SAHDR("sainfo address 2001:db8::1 icmp6 anonymous"), g_s_lproto, 58 },
	{ SAHDR("sainfo address 10.0.0.1-10.0.0.9 udp anonymous"), g_s_lrange, 1 },
	{ SAHDR("sainfo address 10.0.0.1-10.0.0.9 udp anonymous"), g_s_lproto, 17 },
	{ SAHDR("sainfo subnet 2001:db8::/32 any subnet 2001:db8:1::/48 any"), g_s_lprefix, 32 },
	{ SAHDR("sainfo subnet 2001:db8::/32 any subnet 2001:db8:1::/48 any"), g_s_lfamily, AF_INET6 },
	{ SAHDR("sainfo subnet 10.0.0.0/24 any clientaddr"), g_s_rkind, CONF_SAID_CLIENTADDR },
	{ SAHDR("sainfo anonymous clientaddr"), g_s_rkind, CONF_SAID_CLIENTADDR },
	{ SAHDR("sainfo anonymous address 10.0.0.1 any"), g_s_lkind, CONF_SAID_ANONYMOUS },
	{ SAHDR("sainfo fqdn \"a.example\" user_fqdn \"b@example\""), g_s_lkind, CONF_SAID_STRING },
	{ SAHDR("sainfo fqdn \"a.example\" user_fqdn \"b@example\""), g_s_ridtype, CONF_ID_USER_FQDN },
	{ SAHDR("sainfo keyid \"k\" anonymous"), g_s_lkind, CONF_SAID_STRING },
	{ SAHDR("sainfo anonymous from fqdn \"peer.example\""), g_s_has_from, 1 },
	{ SAHDR("sainfo anonymous from asn1dn \"CN=x\""), g_s_from_type, CONF_ID_ASN1DN },
	{ SAHDR("sainfo anonymous anonymous from address 192.0.2.9"), g_s_from_type, CONF_ID_ADDRESS },
	{ SAHDR("sainfo anonymous") SAHDR("sainfo address 10.0.0.1 any anonymous"), g_n_sainfos, 2 },
	/* sainfo directives */
	{ SAINFO("pfs_group 2;"), g_s_pfs, 2 },
	{ SAINFO("pfs_group modp2048;"), g_s_pfs, 14 },
	{ SAINFO("pfs_group ecp521;"), g_s_pfs, 21 },
	{ SAINFO("lifetime time 45 min;"), g_s_life, 2700 },
	{ SAINFO("compression_algorithm deflate;"), g_s_ncomp, 1 },
	{ SAINFO("remoteid 7;"), g_s_remoteid, 7 },
	{ "sainfo anonymous { encryption_algorithm aes 256, 3des; authentication_algorithm hmac_sha1; }", g_s_nenc, 2 },
	{ "sainfo anonymous { encryption_algorithm aes 256, 3des; authentication_algorithm hmac_sha1; }", g_s_keylen0, 256 },
	{ "sainfo anonymous { encryption_algorithm rijndael; authentication_algorithm hmac_sha1; }", g_s_enc0, CONF_ESP_AES },
	{ "sainfo anonymous { encryption_algorithm twofish; authentication_algorithm hmac_sha1; }", g_s_enc0, CONF_ESP_TWOFISH },
	{ "sainfo anonymous { encryption_algorithm camellia 256; authentication_algorithm hmac_sha1; }", g_s_enc0, CONF_ESP_CAMELLIA },
	{ "sainfo anonymous { encryption_algorithm blowfish; authentication_algorithm hmac_sha1; }", g_s_enc0, CONF_ESP_BLOWFISH },
	{ "sainfo anonymous { encryption_algorithm cast128; authentication_algorithm hmac_sha1; }", g_s_enc0, CONF_ESP_CAST128 },
	{ "sainfo anonymous { encryption_algorithm des; authentication_algorithm hmac_md5; }", g_s_enc0, CONF_ESP_DES },
	{ "sainfo anonymous { encryption_algorithm null_enc; authentication_algorithm hmac_sha1; }", g_s_enc0, CONF_ESP_NULL },
	{ "sainfo anonymous { encryption_algorithm aes_gcm_16; }", g_s_enc0, CONF_ESP_AES_GCM_16 },
	{ "sainfo anonymous { encryption_algorithm aes_gcm_16; }", g_s_nauth, 0 },
	{ "sainfo anonymous { encryption_algorithm aes_gcm_16 256; }", g_s_keylen0, 256 },
	{ "sainfo anonymous { encryption_algorithm aes_gcm_12; }", g_s_enc0, CONF_ESP_AES_GCM_12 },
	{ "sainfo anonymous { encryption_algorithm aes_gcm_8 192; }", g_s_enc0, CONF_ESP_AES_GCM_8 },
	{ "sainfo anonymous { encryption_algorithm aes_gcm_16; authentication_algorithm non_auth; }", g_s_nauth, 0 },
	{ "sainfo anonymous { encryption_algorithm aes_gcm_16, aes; authentication_algorithm hmac_sha256; }", g_s_nauth, 1 },
	{ "sainfo anonymous { encryption_algorithm aes; authentication_algorithm hmac_sha512, hmac_sha2_384; }", g_s_auth1, CONF_AUTH_ALG_HMAC_SHA384 },
	{ "sainfo anonymous { encryption_algorithm aes; authentication_algorithm hmac_sha256; }", g_s_auth0, CONF_AUTH_ALG_HMAC_SHA256 },
	{ "sainfo anonymous { encryption_algorithm aes; authentication_algorithm non_auth, hmac_sha1; }", g_s_auth0, CONF_AUTH_ALG_NONE },
	/* mode_cfg */
	{ "mode_cfg { }", g_m_present, 1 },
	{ "mode_cfg { network4 10.8.0.0; }", g_m_net, 0x0a080000 },
	{ "mode_cfg { netmask4 255.255.255.0; }", g_m_mask, 0xffffff00 },
	{ "mode_cfg { pool_size 100; }", g_m_pool, 100 },
	{ "mode_cfg { dns4 10.0.0.53, 10.0.0.54; }", g_m_ndns, 2 },
	{ "mode_cfg { dns4 10.0.0.53; dns4 10.0.0.54; }", g_m_dns1, 0x0a000036 },
	{ "mode_cfg { wins4 10.0.0.1; }", g_m_nwins, 1 },
	{ "mode_cfg { nbns4 10.0.0.1, 10.0.0.2; }", g_m_nwins, 2 },
	{ "mode_cfg { split_network include 10.0.0.0/8, 172.16.0.0/12; }", g_m_nsplit, 2 },
	{ "mode_cfg { split_network include 10.0.0.0/8, 172.16.0.0/12; }", g_m_split_pfx, 12 },
	{ "mode_cfg { split_network local_lan 192.168.0.0/16; }", g_m_split_lan, 1 },
	{ "mode_cfg { split_dns \"a.example\", \"b.example\"; }", g_m_nsplitdns, 2 },
	{ "mode_cfg { auth_source system; conf_source local; group_source system; }", g_m_present, 1 },
	{ "mode_cfg { accounting none; }", g_m_acct, CONF_ACCT_NONE },
	{ "mode_cfg { auth_throttle 5; }", g_m_throttle, 5 },
	{ "mode_cfg { pfs_group 2; }", g_m_pfs, 2 },
	{ "mode_cfg { save_passwd on; }", g_m_save, 1 },
	/* lexical */
	{ "log\tinfo ;\r\n", g_log, LL_INFO },
	{ "log info;# comment right after\n", g_log, LL_INFO },
	{ "timer{counter 3;}", g_t_counter, 3 },
	{ ";;log info;;", g_log, LL_INFO },
};

START_TEST(valid_directive)
{
	const struct valid_row *row = &valid_rows[_i];
	struct reports rep;
	struct racoon_conf *c;
	int r = parse_text(row->text, &rep, &c);
	ck_assert_msg(r == 0, "row %d: %s\nreports:\n%s", _i, row->text, rep.text);
	long got = row->get(c);
	ck_assert_msg(got == row->want, "row %d: %s\ngot %ld, want %ld", _i, row->text, got,
		      row->want);
	conf_free(c);
}
END_TEST

typedef const char *(*sgetter)(const struct racoon_conf *c);
#define S(name, expr) \
	static const char *name(const struct racoon_conf *c) { return (expr); }
S(s_ps_user, c->privsep.user)
S(s_ps_chroot, c->privsep.chroot)
S(s_p_cert, c->paths.certificate)
S(s_p_psk, c->paths.pre_shared_key)
S(s_p_script, c->paths.script)
S(s_p_backupsa, c->paths.backupsa)
S(s_p_pidfile, c->paths.pidfile)
S(s_p_include, c->paths.include)
S(s_admin_path, c->listen.adminsock.path)
S(s_admin_group, c->listen.adminsock.group)
S(s_r_name, R0.name)
S(s_r1_name, c->remotes[1].name)
S(s_r1_inherit, c->remotes[1].inherit)
S(s_r_myid, R0.my_identifier.str)
S(s_r_peer1, R0.peers_identifier[1].str)
S(s_r_cert, R0.my_cert)
S(s_r_key, R0.my_privkey)
S(s_r_ca, R0.ca_file)
S(s_r_peers_cert, R0.peers_certfile)
S(s_r_xauth, R0.xauth_login)
S(s_r_up, R0.script[CONF_SCRIPT_PHASE1_UP])
S(s_r_dead, R0.script[CONF_SCRIPT_PHASE1_DEAD])
S(s_s_lstr, S0.local.str)
S(s_s_from, S0.from.str)
S(s_m_domain, M.default_domain)
S(s_m_banner, M.banner)
S(s_m_splitdns1, M.split_dns[1])

static const struct string_row {
	const char *text;
	sgetter get;
	const char *want;
} string_rows[] = {
	{ "privsep { user \"racoon\"; }", s_ps_user, "racoon" },
	{ "privsep { chroot \"/var/lib/racoon\"; }", s_ps_chroot, "/var/lib/racoon" },
	{ "path certificate \"/etc/racoon/certs\";", s_p_cert, "/etc/racoon/certs" },
	{ "path pre_shared_key \"/etc/racoon/psk.txt\";", s_p_psk, "/etc/racoon/psk.txt" },
	{ "path script \"/etc/racoon/scripts\";", s_p_script, "/etc/racoon/scripts" },
	{ "path backupsa \"/var/lib/racoon/backupsa\";", s_p_backupsa, "/var/lib/racoon/backupsa" },
	{ "path pidfile \"racoon.pid\";", s_p_pidfile, "racoon.pid" },
	{ "path include \"/etc/racoon\";", s_p_include, "/etc/racoon" },
	{ "listen { adminsock \"/run/racoon/racoon.sock\"; }", s_admin_path, "/run/racoon/racoon.sock" },
	{ "listen { adminsock \"/run/r.sock\" \"root\" \"operator\" 0660; }", s_admin_group, "operator" },
	{ REMOTE(""), s_r_name, "r" },
	{ REMOTE("") "remote \"c\" inherit \"r\" { }", s_r1_name, "c" },
	{ REMOTE("") "remote \"c\" inherit \"r\" { }", s_r1_inherit, "r" },
	{ "remote 192.0.2.7 [4500] {\n exchange_mode main;\n" PROP " certificate_type x509 \"c\" \"k\";\n}\n",
	  s_r_name, "192.0.2.7[4500]" },
	{ "remote 2001:DB8::7 {\n exchange_mode main;\n" PROP " certificate_type x509 \"c\" \"k\";\n}\n",
	  s_r_name, "2001:db8::7" },
	{ "remote anonymous {\n exchange_mode main;\n" PROP " certificate_type x509 \"c\" \"k\";\n}\n",
	  s_r_name, "anonymous" },
	{ REMOTE("my_identifier fqdn \"gw.example.org\";"), s_r_myid, "gw.example.org" },
	{ REMOTE("my_identifier asn1dn \"C=DE, O=Example\\, Inc, CN=gw\";"), s_r_myid,
	  "C=DE, O=Example\\, Inc, CN=gw" },
	{ REMOTE("peers_identifier fqdn \"a\"; peers_identifier user_fqdn \"b@c\";"), s_r_peer1, "b@c" },
	{ "path certificate \"/etc/racoon/certs\";\n" REMOTE("certificate_type x509 \"host.pem\" \"host.key\";"),
	  s_r_cert, "/etc/racoon/certs/host.pem" },
	{ "path certificate \"/etc/racoon/certs/\";\n" REMOTE("certificate_type x509 \"host.pem\" \"host.key\";"),
	  s_r_key, "/etc/racoon/certs/host.key" },
	{ "path certificate \"/etc/racoon/certs\";\n" REMOTE("certificate_type x509 \"/abs/host.pem\" \"k\";"),
	  s_r_cert, "/abs/host.pem" },
	{ "path certificate \"/c\";\n" REMOTE("ca_type x509 \"ca.pem\";"), s_r_ca, "/c/ca.pem" },
	{ REMOTE("peers_certfile x509 \"peer.pem\";"), s_r_peers_cert, "peer.pem" },
	{ PSKPATH REMOTE("xauth_login \"bob\";"), s_r_xauth, "bob" },
	{ "path script \"/etc/racoon/scripts\";\n" REMOTE("script \"up.sh\" phase1_up;"), s_r_up,
	  "/etc/racoon/scripts/up.sh" },
	{ REMOTE("script \"/usr/lib/racoon/dead\" phase1_dead;"), s_r_dead, "/usr/lib/racoon/dead" },
	{ SAHDR("sainfo fqdn \"a.example\" anonymous"), s_s_lstr, "a.example" },
	{ SAHDR("sainfo anonymous from user_fqdn \"u@example\""), s_s_from, "u@example" },
	{ "mode_cfg { default_domain \"corp.example\"; }", s_m_domain, "corp.example" },
	{ "mode_cfg { banner \"/etc/issue\"; }", s_m_banner, "/etc/issue" },
	{ "mode_cfg { split_dns \"a.example\", \"b.example\"; }", s_m_splitdns1, "b.example" },
};

START_TEST(string_directive)
{
	const struct string_row *row = &string_rows[_i];
	struct reports rep;
	struct racoon_conf *c;
	int r = parse_text(row->text, &rep, &c);
	ck_assert_msg(r == 0, "row %d: %s\nreports:\n%s", _i, row->text, rep.text);
	const char *got = row->get(c);
	ck_assert_msg(got && strcmp(got, row->want) == 0, "row %d: %s\ngot %s, want %s", _i,
		      row->text, got ? got : "(null)", row->want);
	conf_free(c);
}
END_TEST

static const struct error_row {
	const char *text;
	const char *want; /* substring of the reports */
	unsigned n_errors; /* 0: at least one */
} error_rows[] = {
	/* global statements */
	{ "log loud;", "t.conf:1: expected a log level (debug, debug2, error, info, notify, warning), found 'loud'", 1 },
	{ "log \"info\";", "t.conf:1: expected a log level", 1 },
	{ "log info", "t.conf:1: missing ';' (before end of file)", 1 },
	{ "log info\nlog debug;", "t.conf:1: missing ';' (before 'log')", 1 },
	{ "kernel_interface netlink;", "t.conf:1: expected a kernel interface (pfkey, xfrm), found 'netlink'", 1 },
	{ "pfkey_buffer lots;", "t.conf:1: expected a number (pfkey_buffer (KiB))", 1 },
	{ "complex_bundle yes;", "t.conf:1: expected on or off (off, on), found 'yes'", 1 },
	{ "gss_id_enc ascii;", "t.conf:1: expected an encoding", 1 },
	{ "path bogus \"/x\";", "t.conf:1: expected a path type", 1 },
	{ "path certificate /etc;", "t.conf:1: expected a quoted path, found '/etc'", 1 },
	{ "path certificate \"\";", "t.conf:1: the path is empty", 1 },
	{ "\n\nfrobnicate on;", "t.conf:3: unknown statement 'frobnicate'", 1 },
	{ "ldap_cfg { host \"x\"; }", "unknown statement 'ldap_cfg' (the block is called ldapcfg)", 1 },
	{ "}", "t.conf:1: unexpected '}' (no block is open)", 1 },
	{ "timer { counter 5; } }", "t.conf:1: unexpected '}'", 1 },
	{ "{ log info; }", "t.conf:1: expected a statement, found '{'", 1 },
	{ "\"str\";", "t.conf:1: expected a statement, found \"str\"", 1 },
	{ "include \"x.conf\";", "t.conf:1: include is disabled here", 1 },
	{ "include x.conf;", "t.conf:1: include needs a quoted file name", 1 },
	/* blocks */
	{ "timer {\n counter 5;\n", "t.conf:1: timer block is not closed (missing '}')", 1 },
	{ "timer { counter 5 }", "t.conf:1: missing ';' (before '}')", 1 },
	{ "timer { counter x; }", "t.conf:1: expected a number (counter), found 'x'", 1 },
	{ "timer { counter -1; }", "t.conf:1: expected a number (counter)", 1 },
	{ "timer { counter 5000; }", "t.conf:1: counter 5000 is out of range (0 to 1000)", 1 },
	{ "timer { counter 99999999999999999999999; }", "t.conf:1: expected a number (counter)", 1 },
	{ "timer { interval 10; }", "t.conf:1: expected a time unit", 1 },
	{ "timer { interval 10 days; }", "t.conf:1: expected a time unit (hour, hours, min, mins, minute, minutes, sec, second, seconds, secs), found 'days'", 1 },
	{ "timer { interval 100000 hours; }", "t.conf:1: interval is too long", 1 },
	{ "timer { phase1 0 sec; }", "t.conf:1: phase1 must be at least 1 second", 1 },
	{ "timer {\n bogus 1;\n counter 2;\n}", "t.conf:2: unknown directive 'bogus' in timer", 1 },
	{ "timer { counter 1; { } }", "t.conf:1: expected a directive in timer, found '{'", 1 },
	{ "padding { randomize maybe; }", "t.conf:1: expected on or off", 1 },
	{ "padding { maximum_length 300; }", "out of range (0 to 255)", 1 },
	{ "listen { isakmp 300.1.1.1; }", "t.conf:1: isakmp address: '300.1.1.1' is not an IPv4 or IPv6 address", 1 },
	{ "listen { isakmp 192.0.2.1 [70000]; }", "t.conf:1: bad port [70000]", 1 },
	{ "listen { isakmp 192.0.2.1 [0]; }", "port 0 is not a port to listen on", 1 },
	{ "listen { isakmp 192.0.2.1 [500; }", "t.conf:1: unterminated [port] (missing ']')", 0 },
	{ "listen { adminsock \"rel.sock\"; }", "must be absolute", 1 },
	{ "listen { adminsock \"/run/../etc/r.sock\"; }", "must not contain '..'", 1 },
	{ "listen { adminsock \"/r.sock\" \"root\" \"root\" 0999; }", "expected an octal socket mode", 1 },
	{ "listen { isakmp 192.0.2.1; isakmp 192.0.2.1; }", "t.conf: listen: the same address and port is listed twice", 1 },
	{ "privsep { user -1; }", "t.conf:1: expected a number", 1 },
	{ "privsep { chroot /x; }", "t.conf:1: expected a quoted directory", 1 },
	{ "mode_cfg { network4 10.0.0; }", "t.conf:1: network4: '10.0.0' is not an IPv4 address", 1 },
	{ "mode_cfg { network4 2001:db8::; }", "is not an IPv4 address", 1 },
	{ "mode_cfg { netmask4 255.0.255.0; }", "t.conf: mode_cfg: netmask4 is not a contiguous netmask", 1 },
	{ "mode_cfg { pool_size 0; }", "pool_size 0 is out of range (1 to 65535)", 1 },
	{ "mode_cfg { dns4 1.1.1.1, 2.2.2.2, 3.3.3.3, 4.4.4.4; }", "t.conf:1: too many dns4 servers (at most 3)", 1 },
	{ "mode_cfg { dns4 1.1.1.1, 2.2.2.2; dns4 3.3.3.3, 4.4.4.4; }", "too many dns4 servers", 1 },
	{ "mode_cfg { wins4 1.1.1.1, 2.2.2.2, 3.3.3.3, 4.4.4.4, 5.5.5.5; }", "too many wins4 servers (at most 4)", 1 },
	{ "mode_cfg { split_network include 10.0.0.0; }", "expected an IPv4 network as ADDR/PREFIX", 1 },
	{ "mode_cfg { split_network include 10.0.0.0/33; }", "expected an IPv4 network as ADDR/PREFIX", 1 },
	{ "mode_cfg { split_network everything 10.0.0.0/8; }", "expected include or local_lan", 1 },
	{ "mode_cfg { auth_source radius; }", "t.conf:1: auth_source radius is refused: it is not implemented", 1 },
	{ "mode_cfg { auth_source ldap; }", "auth_source ldap is refused", 1 },
	{ "mode_cfg { auth_source pam; }", "auth_source pam is refused", 1 },
	{ "mode_cfg { auth_source kerberos; }", "unknown an auth_source 'kerberos'", 1 },
	{ "mode_cfg { auth_groups \"staff\"; }", "auth_groups is refused: XAuth group membership checks are not implemented", 1 },
	{ "mode_cfg { group_source ldap; }", "group_source ldap is refused", 1 },
	{ "mode_cfg { conf_source radius; }", "conf_source radius is refused", 1 },
	{ "mode_cfg { conf_source ldap; }", "conf_source ldap is refused", 1 },
	{ "mode_cfg { pfs_group 7; }", "expected DH group", 1 },
	{ "ldapcfg { port 0; }", "port 0 is out of range", 1 },
	{ "ldapcfg { version 4; }", "version 4 is out of range (2 to 3)", 1 },
	{ "ldapcfg { frob 4; }", "unknown directive 'frob' in ldapcfg", 1 },
	{ "radiuscfg { auth \"h\" 1812; }", "expected a quoted secret", 1 },
	/* remote */
	{ "remote \"r\" {\n}\n", "t.conf:1: remote \"r\" has no exchange_mode", 2 },
	{ "remote \"r\" {\n exchange_mode main;\n}\n", "t.conf:1: remote \"r\" has no proposal { } block", 1 },
	{ "remote \"\" { }", "t.conf:1: a remote needs a non-empty name", 1 },
	{ "remote \"c\" inherit \"p\" { }", "t.conf:1: remote \"c\" inherits from \"p\", which is not defined above it", 0 },
	{ "remote \"c\" inherit p { }", "expected the quoted name of the remote to inherit from", 1 },
	{ REMOTE("") REMOTE(""), "t.conf:7: remote \"r\" is defined twice (first at t.conf:1)", 1 },
	{ "remote 192.0.2.1 [abc] { }", "t.conf:1: bad port [abc]", 1 },
	{ "remote 192.0.2.300 { }", "is not an IPv4 or IPv6 address", 1 },
	{ "remote \"r\" exchange_mode main;", "t.conf:1: expected '{', found 'exchange_mode'", 1 },
	{ REMOTE("dpd_delay -1;"), "t.conf:5: expected a number (dpd_delay), found '-1'", 1 },
	{ REMOTE("nonce_size 4;"), "t.conf:5: nonce_size 4 is out of range (8 to 256)", 1 },
	{ REMOTE("dpd_maxfail 0;"), "t.conf:5: dpd_maxfail 0 is out of range", 1 },
	{ REMOTE("dh_group 2;"), "t.conf:5: dh_group cannot be defined here; put it in a proposal { } block", 1 },
	{ REMOTE("keepalive;"), "t.conf:5: keepalive is obsolete", 1 },
	{ REMOTE("exchange_mode main, main;"), "t.conf:5: exchange mode main listed twice", 1 },
	{ REMOTE("exchange_mode quick;"), "t.conf:5: expected an exchange mode (aggressive, base, main), found 'quick'", 1 },
	{ REMOTE("exchange_mode main aggressive;"), "t.conf:5: missing ';' (before 'aggressive')", 1 },
	{ REMOTE("lifetime byte 100 MB;"), "t.conf:5: byte lifetimes are not supported", 1 },
	{ REMOTE("lifetime 100 sec;"), "t.conf:5: expected 'time', found '100'", 1 },
	{ REMOTE("lifetime time 100;"), "t.conf:5: expected a time unit", 1 },
	{ REMOTE("generate_policy maybe;"), "t.conf:5: expected on, off, require or unique", 1 },
	{ REMOTE("nat_traversal always;"), "t.conf:5: expected on, off or force", 1 },
	{ REMOTE("proposal_check loose;"), "t.conf:5: expected a proposal_check level (claim, exact, obey, strict)", 1 },
	{ REMOTE("situation none;"), "t.conf:5: expected a situation", 1 },
	{ REMOTE("doi isakmp;"), "t.conf:5: expected a DOI", 1 },
	{ REMOTE("peers_certfile dnssec;"), "t.conf:5: peers_certfile dnssec is refused", 1 },
	{ REMOTE("certificate_type pkcs12 \"x\";"), "t.conf:5: expected a certificate type (plain_rsa, x509), found 'pkcs12'", 1 },
	{ REMOTE("certificate_type x509 \"only-cert\";"), "t.conf:5: expected a quoted file name", 1 },
	{ REMOTE("ca_type pem \"x\";"), "t.conf:5: expected a CA type", 1 },
	{ REMOTE("script \"x\" phase2_up;"), "t.conf:5: expected a script event", 1 },
	{ REMOTE("script up.sh phase1_up;"), "t.conf:5: expected a quoted script name", 1 },
	{ REMOTE("verify_identifier on;"), "t.conf:1: remote \"r\": verify_identifier on needs peers_identifier", 1 },
	{ REMOTE("passive on"), "t.conf:5: missing ';' (before '}')", 1 },
	{ REMOTE("passive"), "t.conf:6: expected on or off", 1 },
	{ REMOTE("my_identifier address 300.0.0.1;"), "t.conf:5: '300.0.0.1' is not an IPv4 or IPv6 address", 1 },
	{ REMOTE("my_identifier dn \"x\";"), "t.conf:5: expected an identifier type", 1 },
	{ REMOTE("my_identifier fqdn;"), "t.conf:5: expected the fqdn value", 1 },
	{ REMOTE("my_identifier fqdn \"\";"), "t.conf:5: the fqdn value is empty", 1 },
	{ REMOTE("esp_frag 10;"), "t.conf:5: esp_frag 10 is out of range", 1 },
	{ REMOTE("bogus on;\n passive on;\n frob;"), "t.conf:7: unknown directive 'frob' in remote", 2 },
	{ REMOTE("proposal { }"), "t.conf:5: proposal without authentication_method", 4 },
	{ REMOTE_P("encryption_algorithm aes 100; hash_algorithm sha1; authentication_method rsasig; dh_group 2;"), "t.conf:4: key length 100 is not valid for aes", 1 },
	{ REMOTE_P("encryption_algorithm 3des 128; hash_algorithm sha1; authentication_method rsasig; dh_group 2;"), "t.conf:4: key length 128 is not valid for 3des", 1 },
	{ REMOTE_P("encryption_algorithm blowfish 41; hash_algorithm sha1; authentication_method rsasig; dh_group 2;"), "key length 41 is not valid for blowfish", 1 },
	{ REMOTE_P("encryption_algorithm rc5; hash_algorithm sha1; authentication_method rsasig; dh_group 2;"), "t.conf:4: encryption algorithm 'rc5' is refused", 1 },
	{ REMOTE_P("encryption_algorithm idea; hash_algorithm sha1; authentication_method rsasig; dh_group 2;"), "encryption algorithm 'idea' is refused", 1 },
	{ REMOTE_P("encryption_algorithm aes_gcm_16; hash_algorithm sha1; authentication_method rsasig; dh_group 2;"), "expected encryption algorithm (3des, aes, blowfish, camellia, cast128, des)", 1 },
	{ REMOTE_P("encryption_algorithm aes; hash_algorithm tiger; authentication_method rsasig; dh_group 2;"), "t.conf:4: hash algorithm 'tiger' is refused: the Tiger hash is not implemented", 1 },
	{ REMOTE_P("encryption_algorithm aes; hash_algorithm sha1; authentication_method rsaenc; dh_group 2;"), "authentication method 'rsaenc' is refused", 1 },
	{ REMOTE_P("encryption_algorithm aes; hash_algorithm sha1; authentication_method gssapi_krb; dh_group 2;"), "authentication method 'gssapi_krb' is refused: GSS-API/Kerberos", 1 },
	{ REMOTE_P("encryption_algorithm aes; hash_algorithm sha1; authentication_method dsssig; dh_group 2;"), "'dsssig' is refused", 1 },
	{ REMOTE_P("encryption_algorithm aes; hash_algorithm sha1; authentication_method hybrid_dss_server; dh_group 2;"), "'hybrid_dss_server' is refused", 1 },
	{ REMOTE_P("encryption_algorithm aes; hash_algorithm sha1; authentication_method rsasig; dh_group 3;"), "t.conf:4: DH group '3' is refused: EC2N groups are not implemented", 1 },
	{ REMOTE_P("encryption_algorithm aes; hash_algorithm sha1; authentication_method rsasig; dh_group ec2n185;"), "DH group 'ec2n185' is refused", 1 },
	{ REMOTE_P("encryption_algorithm aes; hash_algorithm sha1; authentication_method rsasig; dh_group 22;"), "t.conf:4: expected DH group", 1 },
	{ REMOTE_P("encryption_algorithm aes; authentication_method rsasig; dh_group 2;"), "t.conf:4: proposal without hash_algorithm", 1 },
	{ REMOTE_P("hash_algorithm sha1; authentication_method rsasig; dh_group 2;"), "t.conf:4: proposal without encryption_algorithm", 1 },
	{ REMOTE_P("encryption_algorithm aes; hash_algorithm sha1; dh_group 2;"), "t.conf:4: proposal without authentication_method", 1 },
	{ REMOTE_P("cipher aes;"), "t.conf:4: unknown directive 'cipher' in proposal", 0 },
	{ REMOTE_P("encryption_algorithm aes; hash_algorithm sha1; authentication_method rsasig; dh_group 2; lifetime byte 5 KB;"), "byte lifetimes are not supported", 1 },
	{ PSKPATH "remote \"r\" {\n exchange_mode aggressive;\n"
	  " proposal { encryption_algorithm aes; hash_algorithm sha1; authentication_method pre_shared_key; dh_group 2; }\n"
	  " proposal { encryption_algorithm aes; hash_algorithm sha1; authentication_method pre_shared_key; dh_group 14; }\n}\n",
	  "t.conf:5: aggressive mode needs the same dh_group in every proposal of remote \"r\"", 1 },
	{ "remote \"r\" {\n exchange_mode main, aggressive;\n certificate_type x509 \"c\" \"k\";\n" PROP "}\n",
	  "t.conf:4: authentication_method rsasig is implemented for exchange_mode main only (remote \"r\")", 1 },
	{ "remote \"r\" {\n exchange_mode main;\n proposal { encryption_algorithm aes; hash_algorithm sha1; authentication_method pre_shared_key; dh_group 2; }\n}\n",
	  "t.conf: pre-shared key authentication is used but `path pre_shared_key` is not set", 1 },
	{ "remote \"r\" {\n exchange_mode main;\n proposal { encryption_algorithm aes; hash_algorithm sha1; authentication_method rsasig; dh_group 2; }\n}\n",
	  "t.conf:3: authentication_method rsasig needs certificate_type in remote \"r\"", 1 },
	{ REMOTE("xauth_login \"bob\";"), "`path pre_shared_key` is not set", 1 },
	{ "remote \"r\" {\n exchange_mode main;\n proposal { encryption_algorithm aes; hash_algorithm sha1; authentication_method xauth_rsa_server; dh_group 2; }\n}\n",
	  "needs certificate_type", 2 },
	{ REMOTE_P("encryption_algorithm aes; hash_algorithm sha1; authentication_method xauth_rsa_server; dh_group 2;"),
	  "t.conf:4: authentication_method xauth_rsa_server is not implemented (XAuth and hybrid need XAuth/mode_cfg in the engine; rsasig is)", 1 },
	{ REMOTE_P("encryption_algorithm aes; hash_algorithm sha1; authentication_method xauth_rsa_client; dh_group 2;"),
	  "t.conf:4: authentication_method xauth_rsa_client is not implemented", 1 },
	{ REMOTE_P("encryption_algorithm aes; hash_algorithm sha1; authentication_method hybrid_rsa_server; dh_group 2;"),
	  "t.conf:4: authentication_method hybrid_rsa_server is not implemented", 1 },
	{ "remote \"r\" { exchange_mode main; proposal { encryption_algorithm aes; hash_algorithm sha1; authentication_method hybrid_rsa_client; dh_group 2; } }",
	  "t.conf:1: authentication_method hybrid_rsa_client is not implemented", 1 },
	/* sainfo */
	{ "sainfo anonymous { authentication_algorithm hmac_sha1; }", "t.conf:1: sainfo has no encryption_algorithm", 1 },
	{ "sainfo anonymous { encryption_algorithm aes; }", "t.conf:1: sainfo has no authentication_algorithm", 1 },
	{ "sainfo anonymous { encryption_algorithm aes_gcm_16; authentication_algorithm hmac_sha1; }", "RFC 4106 section 8.1", 1 },
	{ "kernel_interface pfkey;\nsainfo anonymous { encryption_algorithm aes_gcm_16; }", "t.conf:2: AES-GCM needs kernel_interface xfrm", 1 },
	{ "kernel_interface pfkey;\nsainfo anonymous { encryption_algorithm aes; authentication_algorithm hmac_sha256; }", "t.conf:2: with kernel_interface pfkey, Linux installs hmac_sha256 with a 96-bit ICV, not the RFC 4868 128 bits peers expect; use kernel_interface xfrm", 1 },
	{ "sainfo anonymous { encryption_algorithm null_enc; authentication_algorithm non_auth; }", "would protect nothing", 1 },
	{ "sainfo anonymous { encryption_algorithm des_iv64; authentication_algorithm hmac_sha1; }", "t.conf:1: encryption algorithm 'des_iv64' is refused: DES-IV64 is not supported by the Linux kernel", 1 },
	{ "sainfo anonymous { encryption_algorithm rc4; authentication_algorithm hmac_sha1; }", "'rc4' is refused", 1 },
	{ "sainfo anonymous { encryption_algorithm 3idea; authentication_algorithm hmac_sha1; }", "'3idea' is refused", 1 },
	{ "sainfo anonymous { encryption_algorithm aes; authentication_algorithm kpdk; }", "authentication algorithm 'kpdk' is refused", 1 },
	{ "sainfo anonymous { encryption_algorithm aes; authentication_algorithm hmac_sha1; compression_algorithm lzs; }", "compression algorithm 'lzs' is refused", 1 },
	{ "sainfo anonymous { encryption_algorithm aes; authentication_algorithm hmac_sha1; compression_algorithm oui; }", "'oui' is refused", 1 },
	{ "sainfo anonymous { encryption_algorithm aes_gcm_16 64; }", "key length 64 is not valid for aes_gcm_16", 1 },
	{ "sainfo anonymous { encryption_algorithm aes, ; authentication_algorithm hmac_sha1; }", "expected encryption algorithm", 1 },
	{ "sainfo anonymous { encryption_algorithm aes 3des; authentication_algorithm hmac_sha1; }", "expected a number (key length), found '3des'", 1 },
	{ "sainfo anonymous { encryption_algorithm aes; authentication_algorithm hmac_sha1 hmac_md5; }", "missing ';' (before 'hmac_md5')", 1 },
	{ "sainfo address 10.0.0.0/33 any anonymous { }", "t.conf:1: prefix length /33 is too long", 1 },
	{ "sainfo address 10.0.0.0/ any anonymous { }", "bad prefix length", 1 },
	{ "sainfo address 10.0.0.0/x any anonymous { }", "bad prefix length", 1 },
	{ "sainfo address 10.0.0.9-10.0.0.1 any anonymous { }", "range '10.0.0.9-10.0.0.1' ends before it starts", 1 },
	{ "sainfo address 10.0.0.1-2001:db8::1 any anonymous { }", "are of different families", 1 },
	{ "sainfo address 10.0.0.1-x any anonymous { }", "is not an address range", 1 },
	{ "sainfo address 10.0.0.1 anonymous { }", "expected an upper-layer protocol", 1 },
	{ "sainfo address 10.0.0.1 256 anonymous { }", "upper-layer protocol 256 is out of range", 1 },
	{ "sainfo address any any anonymous { }", "'any' is not an IPv4 or IPv6 address", 1 },
	{ "sainfo address 10.0.0.1 [x] any anonymous { }", "bad port [x]", 1 },
	{ SAHDR("sainfo address 10.0.0.1 any address 2001:db8::1 any"), "the two sainfo IDs are of different address families", 1 },
	{ "sainfo clientaddr anonymous { }", "clientaddr can only be the remote side", 1 },
	{ "sainfo asn1dn \"x\" anonymous { }", "asn1dn cannot be used as a sainfo ID", 1 },
	{ "sainfo fqdn a.example anonymous { }", "expected a quoted ID", 1 },
	{ "sainfo anonymous group \"staff\" { }", "t.conf:1: sainfo ... group is refused", 1 },
	{ "sainfo anonymous from keyid \"x\" { }", "keyid here takes 'tag \"string\"'", 1 },
	{ "sainfo anonymous anonymous anonymous { }", "expected '{', found 'anonymous'", 1 },
	{ SAHDR("sainfo address 10.0.0.1 any anonymous") "\n" SAHDR("sainfo address 10.0.0.1 any anonymous"),
	  "t.conf:3: sainfo defined twice (first at t.conf:1)", 1 },
	{ SAINFO("my_identifier fqdn \"x\";"), "t.conf:4: my_identifier belongs in a remote block", 1 },
	{ SAINFO("pfs_group 99;"), "t.conf:4: expected DH group", 1 },
	{ SAINFO("pfs_group ec2n155;"), "EC2N groups are not implemented", 1 },
	{ SAINFO("lifetime byte 1 MB;"), "byte lifetimes are not supported", 1 },
	{ SAINFO("remoteid x;"), "expected a number (remoteid)", 1 },
	{ SAINFO("compression_algorithm"), "t.conf:5: expected compression algorithm", 1 },
	/* lexical */
	{ "log \"info;\n", "t.conf:1: unterminated string (a string ends on its line)", 0 },
	{ "log info;\x01", "t.conf:1: unexpected character 0x01", 1 },
	{ "log info;\n]", "t.conf:2: unexpected ']'", 1 },
	{ "listen { isakmp 192.0.2.1 [500\n]; }", "unterminated [port]", 0 },
};

START_TEST(error_directive)
{
	const struct error_row *row = &error_rows[_i];
	struct reports rep;
	struct racoon_conf *c;
	int r = parse_text(row->text, &rep, &c);
	ck_assert_msg(r == -EINVAL, "row %d: %s\nparsed although it should not (rc %d)", _i,
		      row->text, r);
	ck_assert_ptr_null(c);
	ck_assert_msg(strstr(rep.text, row->want), "row %d: %s\nwant: %s\ngot:\n%s", _i, row->text,
		      row->want, rep.text);
	if (row->n_errors)
		ck_assert_msg(rep.errors == row->n_errors, "row %d: %s\n%u errors, want %u:\n%s", _i,
			      row->text, rep.errors, row->n_errors, rep.text);
}
END_TEST

static const struct warning_row {
	const char *text;
	const char *want;
} warning_rows[] = {
	{ "pfkey_buffer 512;", "t.conf: warning: pfkey_buffer is ignored with kernel_interface xfrm" },
	{ "gss_id_enc utf-16le;", "t.conf:1: warning: gss_id_enc is not implemented" },
	{ "ldapcfg {\n host \"ldap.example\";\n bind_pw \"secret\";\n subtree on;\n}", "t.conf:1: warning: ldapcfg is not implemented; the block is ignored" },
	{ "radiuscfg { auth \"r.example\" 1812 \"s\"; acct \"r.example\" \"s\"; timeout 3; retries 2; }", "warning: radiuscfg is not implemented" },
	{ REMOTE("esp_frag 1400;"), "t.conf:5: warning: esp_frag is not implemented" },
	{ REMOTE("peers_certfile \"peer.pem\";"), "t.conf:5: warning: peers_certfile \"file\" is deprecated" },
	{ REMOTE("passive on;\n passive off;"), "t.conf:6: warning: passive given twice in remote; the last one counts" },
	{ REMOTE_P("encryption_algorithm aes; hash_algorithm sha1; authentication_method rsasig; dh_group 2; gss_id \"h\";"), "t.conf:4: warning: gss_id is not implemented" },
	{ "mode_cfg { accounting system; }", "t.conf:1: warning: accounting is not implemented" },
	{ "mode_cfg { }\nmode_cfg { }", "t.conf:2: warning: a second mode_cfg block adds to the first" },
	{ SAINFO("remoteid 9;"), "t.conf:1: warning: no remote has ph1id 9" },
	{ SAHDR("sainfo anonymous") SAHDR("sainfo anonymous"), "t.conf:2: warning: this anonymous sainfo repeats the one at t.conf:1" },
};

START_TEST(warning_directive)
{
	const struct warning_row *row = &warning_rows[_i];
	struct reports rep;
	struct racoon_conf *c;
	int r = parse_text(row->text, &rep, &c);
	ck_assert_msg(r == 0, "row %d: %s\nreports:\n%s", _i, row->text, rep.text);
	ck_assert_msg(strstr(rep.text, row->want), "row %d: want %s\ngot:\n%s", _i, row->want,
		      rep.text);
	ck_assert_uint_eq(rep.errors, 0);
	ck_assert_uint_ge(c->n_warnings, 1);
	conf_free(c);
}
END_TEST

/* One report per problem, each at its own line, and parsing goes on after each. */
START_TEST(errors_are_reported_each_once)
{
	struct reports rep;
	struct racoon_conf *c;
	const char *text = "log loud;\n"
			   "timer { counter x; interval 3 sec; }\n"
			   "remote \"r\" {\n"
			   " nonce_size 1;\n"
			   " bogus;\n"
			   "}\n"
			   "sainfo anonymous { encryption_algorithm rc4; }\n";
	ck_assert_int_eq(parse_text(text, &rep, &c), -EINVAL);
	ck_assert_uint_eq(rep.errors, 5);
	ck_assert_ptr_nonnull(strstr(rep.text, "t.conf:1: "));
	ck_assert_ptr_nonnull(strstr(rep.text, "t.conf:2: "));
	ck_assert_ptr_nonnull(strstr(rep.text, "t.conf:4: "));
	ck_assert_ptr_nonnull(strstr(rep.text, "t.conf:5: "));
	ck_assert_ptr_nonnull(strstr(rep.text, "t.conf:7: "));
}
END_TEST

START_TEST(error_count_is_capped)
{
	static char text[40000];
	text[0] = '\0';
	for (int i = 0; i < 500; i++)
		strcat(text, "bogus;\n");
	struct reports rep;
	struct racoon_conf *c;
	ck_assert_int_eq(parse_text(text, &rep, &c), -EINVAL);
	ck_assert_ptr_nonnull(strstr(rep.text, "too many errors; giving up"));
	ck_assert_uint_le(rep.errors, 60);
}
END_TEST

START_TEST(nul_bytes_and_long_words)
{
	struct reports rep;
	struct racoon_conf *c;
	const char nul[] = "log info;\0log debug;";
	memset(&rep, 0, sizeof(rep));
	struct conf_load_opts o = { .report = collect, .userdata = &rep, .no_file_checks = true };
	ck_assert_int_eq(conf_parse_string("t.conf", nul, sizeof(nul) - 1, &o, &c), -EINVAL);
	ck_assert_ptr_nonnull(strstr(rep.text, "t.conf:1: unexpected character 0x00"));
	static char longw[3000];
	memset(longw, 'a', sizeof(longw) - 1);
	ck_assert_int_eq(parse_text(longw, &rep, &c), -EINVAL);
	ck_assert_ptr_nonnull(strstr(rep.text, "word too long"));
	static char longs[3000];
	memset(longs, 'a', sizeof(longs) - 1);
	longs[0] = '"';
	longs[sizeof(longs) - 2] = '"';
	ck_assert_int_eq(parse_text(longs, &rep, &c), -EINVAL);
	ck_assert_ptr_nonnull(strstr(rep.text, "string too long"));
}
END_TEST

START_TEST(names_of_values)
{
	ck_assert_str_eq(conf_dh_group_name(19), "ecp256");
	ck_assert_str_eq(conf_dh_group_name(14), "modp2048");
	ck_assert_str_eq(conf_dh_group_name(3), "?");
	ck_assert_str_eq(conf_esp_enc_name(CONF_ESP_AES_GCM_16), "aes_gcm_16");
	ck_assert_str_eq(conf_esp_enc_name(CONF_ESP_NULL), "null_enc");
	ck_assert_str_eq(conf_ike_enc_name(CONF_IKE_AES), "aes");
	ck_assert_str_eq(conf_auth_method_name(CONF_AUTH_XAUTH_PSK_SERVER), "xauth_psk_server");
	ck_assert_str_eq(conf_exchange_name(CONF_EXCH_AGGRESSIVE), "aggressive");
	ck_assert_str_eq(conf_id_type_name(CONF_ID_USER_FQDN), "user_fqdn");
	ck_assert_str_eq(conf_esp_auth_name(CONF_AUTH_ALG_NONE), "non_auth");
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof(a[0])))

static Suite *suite(void)
{
	Suite *s = suite_create("conf");
	TCase *t = tcase_create("directives");
	tcase_add_loop_test(t, valid_directive, 0, N(valid_rows));
	tcase_add_loop_test(t, string_directive, 0, N(string_rows));
	tcase_add_loop_test(t, error_directive, 0, N(error_rows));
	tcase_add_loop_test(t, warning_directive, 0, N(warning_rows));
	tcase_add_test(t, errors_are_reported_each_once);
	tcase_add_test(t, error_count_is_capped);
	tcase_add_test(t, nul_bytes_and_long_words);
	tcase_add_test(t, names_of_values);
	suite_add_tcase(s, t);
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
