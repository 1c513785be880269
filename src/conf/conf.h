/* conf: racoon.conf and the pre-shared key file, parsed into plain structs.
 *
 * conf_load() reads a file (and its includes), parses it into a struct racoon_conf, then
 * runs a separate validation pass (inherit resolved, required directives, refused
 * features). Every problem is reported as "FILE:LINE: message"; one report per problem.
 * The result is immutable once returned: the daemon keeps one current config
 * (conf_current()) and swaps it on reload (conf_reload()), which goes through exactly
 * the same path as start-up.
 *
 * Numbers in the structs are the values on the wire where IKE has one (IKE attribute
 * values for phase 1, IPsec DOI transform/attribute ids for phase 2, DH group numbers),
 * so the IKE engine can use them directly. 0 means "not set" unless noted.
 */
#ifndef RACOON_CONF_CONF_H
#define RACOON_CONF_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "common/addr.h"
#include "common/buf.h"

/* ---- global ------------------------------------------------------------------ */

enum conf_kernel_if { CONF_KERNEL_XFRM = 0, CONF_KERNEL_PFKEY }; /* our extension */

struct conf_paths {
	char *include;        /* base for relative `include` names */
	char *pre_shared_key; /* PSK file */
	char *certificate;    /* base for certificate/key files */
	char *script;         /* base for hook scripts */
	char *backupsa;       /* SA journal for -B */
	char *pidfile;        /* NULL: the default; relative names are below RUNSTATEDIR */
};

struct conf_padding {
	bool randomize;        /* default on */
	bool randomize_length; /* default off */
	unsigned maximum_length; /* default 20 */
	bool exclusive_tail;   /* default on */
	bool strict_check;     /* default off */
};

struct conf_timer {
	unsigned counter;            /* retransmissions, default 5 */
	unsigned interval_s;         /* default 10 */
	unsigned persend;            /* packets per send, default 1 */
	unsigned phase1_s;           /* max phase-1 duration, default 30 */
	unsigned phase2_s;           /* max phase-2 duration, default 30 */
	unsigned natt_keepalive_s;   /* default 20, 0 = off */
};

struct conf_listen_addr {
	union sockaddr_any addr; /* port always set (500 / 4500 unless written) */
	bool natt;               /* isakmp_natt: UDP-encapsulation socket */
};

struct conf_adminsock {
	bool disabled;  /* `adminsock disabled;` */
	char *path;     /* NULL: RUNSTATEDIR "/racoon/racoon.sock" */
	char *owner;    /* NULL: root */
	char *group;    /* NULL: root */
	unsigned mode;  /* permission bits, default 0600 */
};

struct conf_listen {
	struct conf_listen_addr *addrs; /* isakmp and isakmp_natt entries, in file order */
	size_t n_addrs;                 /* 0: every local address (no listen {} entries) */
	bool strict_address;
	struct conf_adminsock adminsock;
};

struct conf_privsep {
	char *user;    /* name as written, or NULL when given as a number / unset */
	long uid;      /* -1 unset; set when written as a number */
	char *group;
	long gid;      /* -1 unset */
	char *chroot;
};

/* ---- identities ---------------------------------------------------------------- */

/* ISAKMP ID types (RFC 2407 4.6.2.1) plus our "subject of the certificate" marker. */
enum conf_id_type {
	CONF_ID_NONE = 0,
	CONF_ID_ADDRESS = 1,   /* ID_IPV4_ADDR / ID_IPV6_ADDR */
	CONF_ID_FQDN = 2,
	CONF_ID_USER_FQDN = 3,
	CONF_ID_ASN1DN = 9,
	CONF_ID_KEYID = 11,
};

struct conf_id {
	enum conf_id_type type;
	char *str;               /* fqdn, user_fqdn, keyid tag, DN text, keyid file path; NULL =
				  * implicit (address: our/peer address, asn1dn: cert subject) */
	bool keyid_file;         /* keyid file "path": the ID is the file's contents */
	bool has_addr;           /* address with an explicit address */
	union sockaddr_any addr;
};

/* ---- phase 1 ------------------------------------------------------------------- */

enum conf_exchange { CONF_EXCH_MAIN = 2, CONF_EXCH_AGGRESSIVE = 4, CONF_EXCH_BASE = 1 };

/* IKE encryption algorithm attribute values (RFC 2409 appendix A). */
enum conf_ike_enc {
	CONF_IKE_DES = 1, CONF_IKE_BLOWFISH = 3, CONF_IKE_3DES = 5, CONF_IKE_CAST128 = 6,
	CONF_IKE_AES = 7, CONF_IKE_CAMELLIA = 8,
};
/* IKE hash algorithm attribute values. */
enum conf_ike_hash {
	CONF_HASH_MD5 = 1, CONF_HASH_SHA1 = 2, CONF_HASH_SHA256 = 4, CONF_HASH_SHA384 = 5,
	CONF_HASH_SHA512 = 6,
};
/* Our authentication methods: the wire value depends on who initiates (XAuth, hybrid),
 * so these are internal values, not IKE attribute values. */
enum conf_auth_method {
	CONF_AUTH_PSK = 1,
	CONF_AUTH_RSASIG,
	CONF_AUTH_HYBRID_RSA_SERVER,
	CONF_AUTH_HYBRID_RSA_CLIENT,
	CONF_AUTH_XAUTH_RSA_SERVER,
	CONF_AUTH_XAUTH_RSA_CLIENT,
	CONF_AUTH_XAUTH_PSK_SERVER,
	CONF_AUTH_XAUTH_PSK_CLIENT,
};

struct conf_proposal {
	enum conf_ike_enc enc;
	unsigned enc_keylen;    /* bits, 0 = the algorithm's default (AES: 128) */
	enum conf_ike_hash hash;
	enum conf_auth_method auth;
	unsigned dh_group;      /* 1 2 5 14..18 (MODP), 19 20 21 (ECP, our extension) */
	uint32_t lifetime_s;    /* resolved: the proposal's or the remote's */
	char *gss_id;           /* parsed only (GSS-API is not implemented) */
	const char *file;       /* where it was written */
	unsigned line;
};

enum conf_cert_type { CONF_CERT_NONE = 0, CONF_CERT_X509, CONF_CERT_PLAIN_RSA };
enum conf_proposal_check {
	CONF_PCHECK_OBEY = 1, CONF_PCHECK_STRICT, CONF_PCHECK_CLAIM, CONF_PCHECK_EXACT,
};
enum conf_generate_policy {
	CONF_GENPOL_OFF = 0, CONF_GENPOL_REQUIRE, CONF_GENPOL_UNIQUE, /* `on` = require */
};
enum conf_tristate { CONF_OFF = 0, CONF_ON, CONF_FORCE }; /* nat_traversal, rekey, ike_frag */
enum conf_script_event { CONF_SCRIPT_PHASE1_UP = 0, CONF_SCRIPT_PHASE1_DOWN,
			 CONF_SCRIPT_PHASE1_DEAD, CONF_SCRIPT_MAX };
enum conf_situation { CONF_SIT_IDENTITY_ONLY = 1, CONF_SIT_SECRECY = 2, CONF_SIT_INTEGRITY = 4 };

#define CONF_MAX_EXCHANGE 3

struct conf_remote {
	char *name;             /* "name" of the named form; the address text or "anonymous"
				 * in the legacy `remote ADDR|anonymous` form */
	bool anonymous;         /* no remote_address: matches any peer */
	bool legacy_header;     /* written as `remote ADDR|anonymous [port]` */
	char *inherit;          /* parent's name as written (already applied), or NULL */
	const char *file;
	unsigned line;

	bool has_remote_address;
	union sockaddr_any remote_address; /* port 0 = the ISAKMP port */
	enum conf_exchange exchange_mode[CONF_MAX_EXCHANGE]; /* first: initiator mode */
	size_t n_exchange_mode;
	unsigned doi;                    /* 1 = ipsec_doi */
	enum conf_situation situation;
	struct conf_id my_identifier;    /* default: address */
	struct conf_id *peers_identifier;
	size_t n_peers_identifier;
	bool verify_identifier;

	enum conf_cert_type certificate_type;
	char *my_cert;                   /* x509 certificate file (resolved path) */
	char *my_privkey;                /* x509 or plain_rsa private key file (resolved) */
	char *ca_file;                   /* ca_type x509 "file" (resolved), or NULL */
	enum conf_cert_type peers_cert_type;
	char *peers_certfile;            /* resolved, or NULL: use the CERT payload */
	bool verify_cert, send_cert, send_cr, match_empty_cr;

	char *xauth_login;
	bool mode_cfg;
	uint32_t lifetime_s;             /* default 28800 */
	enum conf_proposal_check proposal_check;
	bool passive, initial_contact, support_proxy;
	enum conf_generate_policy generate_policy;
	enum conf_tristate nat_traversal;
	bool dpd;                        /* advertise the DPD vendor ID, default on */
	unsigned dpd_delay, dpd_retry, dpd_maxfail; /* 0 (off), 5, 5 */
	enum conf_tristate rekey;        /* default on */
	enum conf_tristate ike_frag;     /* default off */
	unsigned esp_frag;               /* 0 = not set */
	char *script[CONF_SCRIPT_MAX];   /* resolved paths or NULL */
	bool weak_phase1_check;
	unsigned nonce_size;             /* default 16, 8..256 */
	unsigned ph1id;

	struct conf_proposal *proposals;
	size_t n_proposals;
};

/* ---- phase 2 ------------------------------------------------------------------- */

/* IPsec DOI ESP transform ids (RFC 2407 4.4.4, RFC 4106, RFC 4312). */
enum conf_esp_enc {
	CONF_ESP_DES = 2, CONF_ESP_3DES = 3, CONF_ESP_CAST128 = 6, CONF_ESP_BLOWFISH = 7,
	CONF_ESP_NULL = 11, CONF_ESP_AES = 12, CONF_ESP_AES_GCM_8 = 18,
	CONF_ESP_AES_GCM_12 = 19, CONF_ESP_AES_GCM_16 = 20, CONF_ESP_CAMELLIA = 22,
	CONF_ESP_TWOFISH = 253,
};
/* IPsec DOI authentication algorithm attribute values; 0 = non_auth. */
enum conf_esp_auth {
	CONF_AUTH_ALG_NONE = 0, CONF_AUTH_ALG_HMAC_MD5 = 1, CONF_AUTH_ALG_HMAC_SHA1 = 2,
	CONF_AUTH_ALG_HMAC_SHA256 = 5, CONF_AUTH_ALG_HMAC_SHA384 = 6,
	CONF_AUTH_ALG_HMAC_SHA512 = 7,
};
/* IPCOMP transform ids. */
enum conf_comp { CONF_COMP_DEFLATE = 2 };

enum conf_said_kind {
	CONF_SAID_ANONYMOUS = 0,
	CONF_SAID_ADDRESS,    /* address / subnet / range with port and upper protocol */
	CONF_SAID_CLIENTADDR, /* remote side only: the peer's address or mode-cfg address */
	CONF_SAID_STRING,     /* fqdn / user_fqdn / keyid "string" */
};

#define CONF_ULPROTO_ANY 255 /* IPSEC_ULPROTO_ANY */

struct conf_sainfo_id {
	enum conf_said_kind kind;
	/* CONF_SAID_ADDRESS */
	bool subnet;             /* written as `subnet` (or with a prefix / range) */
	union sockaddr_any addr; /* port in it: 0 = any */
	unsigned prefixlen;      /* 32/128 for a host */
	bool range;              /* addr - addr_end */
	union sockaddr_any addr_end;
	unsigned ulproto;        /* IP protocol number, CONF_ULPROTO_ANY = any */
	/* CONF_SAID_STRING */
	enum conf_id_type idtype;
	char *str;
};

struct conf_esp_alg {
	enum conf_esp_enc id;
	unsigned keylen; /* bits, 0 = default */
};

#define CONF_MAX_ALGS 16

struct conf_sainfo {
	struct conf_sainfo_id local, remote;
	bool has_from;
	struct conf_id from;      /* `from IDTYPE ["id"]`: the peer's phase-1 ID must match */
	unsigned pfs_group;       /* 0 = no PFS */
	uint32_t lifetime_s;      /* default 28800 */
	struct conf_esp_alg enc[CONF_MAX_ALGS];
	size_t n_enc;
	enum conf_esp_auth auth[CONF_MAX_ALGS];
	size_t n_auth;            /* 0 only when every cipher is AEAD (AES-GCM) */
	enum conf_comp comp[CONF_MAX_ALGS];
	size_t n_comp;
	unsigned remoteid;
	const char *file;
	unsigned line;
};

/* ---- mode_cfg (server side) ---------------------------------------------------- */

enum conf_auth_source { CONF_AUTHSRC_SYSTEM = 0 };
enum conf_cfg_source { CONF_CFGSRC_LOCAL = 0 };
enum conf_accounting { CONF_ACCT_NONE = 0, CONF_ACCT_SYSTEM };

struct conf_split_net {
	bool local_lan;           /* false: include */
	struct in_addr net;
	unsigned prefixlen;
};

#define CONF_MAX_DNS4 3
#define CONF_MAX_WINS4 4

struct conf_modecfg {
	bool present;             /* a mode_cfg {} block was written */
	struct in_addr network4, netmask4;
	unsigned pool_size;       /* default 255 */
	struct in_addr dns4[CONF_MAX_DNS4];
	size_t n_dns4;
	struct in_addr wins4[CONF_MAX_WINS4];
	size_t n_wins4;
	char *default_domain;
	struct conf_split_net *split_network;
	size_t n_split_network;
	char **split_dns;
	size_t n_split_dns;
	char *banner;             /* default /etc/motd */
	enum conf_auth_source auth_source;
	enum conf_cfg_source conf_source;
	enum conf_accounting accounting;
	unsigned auth_throttle;   /* default 1 */
	unsigned pfs_group;
	bool save_passwd;
};

/* ---- the whole file ---------------------------------------------------------- */

struct racoon_conf {
	char *path;                   /* the main file */
	char **files;                 /* every file read (main + includes); struct members
				       * `file` point into these */
	size_t n_files;

	enum conf_kernel_if kernel_interface;
	int log_level;                /* enum log_level, -1 = not set (info) */
	struct conf_paths paths;
	unsigned pfkey_buffer_kib;
	bool complex_bundle;          /* default on (the reference's code) */
	struct conf_padding padding;
	struct conf_timer timer;
	struct conf_listen listen;
	struct conf_privsep privsep;
	struct conf_modecfg mode_cfg;

	struct conf_remote *remotes;  /* file order */
	size_t n_remotes;
	struct conf_sainfo *sainfos;  /* file order */
	size_t n_sainfos;

	unsigned n_warnings;          /* warnings reported while loading */
};

/* ---- loading ------------------------------------------------------------------- */

enum conf_severity { CONF_SEV_ERROR, CONF_SEV_WARNING };

/* One report: msg is "FILE:LINE: text" (no newline). */
typedef void (*conf_report_fn)(void *userdata, enum conf_severity sev, const char *msg);

struct conf_load_opts {
	conf_report_fn report;   /* NULL: print to stderr as "racoon: ..." */
	void *userdata;
	bool no_includes;        /* `include` is an error (fuzzing) */
	bool no_file_checks;     /* do not look at PSK/certificate/script files */
	uid_t psk_owner;         /* besides root, who may own the PSK file (default: euid) */
	bool psk_owner_set;
};

#define CONF_MAX_INCLUDE_DEPTH 10
#define CONF_MAX_FILE_SIZE (4u * 1024u * 1024u)

/* 0, or -EINVAL (errors were reported), -ENOENT/-EACCES/... (main file unreadable,
 * reported), -ENOMEM. *out is set only on success. */
int conf_load(const char *path, struct racoon_conf **out);
int conf_load_with(const char *path, const struct conf_load_opts *o, struct racoon_conf **out);
/* Parse text in memory; name is used in messages and as the base of relative includes. */
int conf_parse_string(const char *name, const char *text, size_t len,
		      const struct conf_load_opts *o, struct racoon_conf **out);
void conf_free(struct racoon_conf *c);

/* racoon -C: the parsed configuration as racoon.conf text (after inherit and defaults);
 * it parses again to the same structs. Secrets are never printed. */
void conf_print(FILE *f, const struct racoon_conf *c);

/* ---- the current config (daemon) --------------------------------------------- */

/* NULL before the first successful conf_reload()/conf_set_current(). Valid until the next
 * successful reload; do not keep pointers into it across a return to the event loop. */
const struct racoon_conf *conf_current(void);
/* Takes ownership; frees the previous one after calling the change hook. */
void conf_set_current(struct racoon_conf *c);
/* Called after every switch, before the old config is freed (old may be NULL). */
typedef void (*conf_change_fn)(const struct racoon_conf *old, const struct racoon_conf *cur,
			       void *userdata);
void conf_set_change_hook(conf_change_fn fn, void *userdata);
/* Load path through conf_load_with() with errors sent to the log; on success switch, on
 * failure keep the current config and log that. 0 or negative errno. */
int conf_reload(const char *path);
/* Free the current config (shutdown). */
void conf_current_free(void);

/* ---- lookups for the IKE engine ----------------------------------------------- */

const struct conf_remote *conf_remote_by_name(const struct racoon_conf *c, const char *name);

/* ---- pre-shared keys ------------------------------------------------------------ */

/* Check that the PSK file is a regular file owned by root or owner, not group/world
 * accessible. 0, or negative errno with a message naming the file and the fix in err. */
int conf_psk_check(const char *path, uid_t owner, char *err, size_t errlen);
/* Look an ID up ("192.0.2.1", "vpn.example.com", "user@example.com", a keyid...):
 * address IDs match any spelling of the same address. On success secret is a
 * buf_init_secret() buffer holding the key (the caller buf_free()s it).
 * 0, -ENOENT (no such id), or negative errno (file refused or unreadable; logged). */
int conf_psk_lookup_file(const char *path, uid_t owner, const char *id, struct buf *secret);
/* Same, with the file of c (`path pre_shared_key`) and the euid as allowed owner. */
int conf_psk_lookup(const struct racoon_conf *c, const char *id, struct buf *secret);

/* ---- names (for printing and logs) -------------------------------------------- */

const char *conf_ike_enc_name(unsigned v);
const char *conf_hash_name(unsigned v);
const char *conf_auth_method_name(unsigned v);
const char *conf_dh_group_name(unsigned v);
const char *conf_esp_enc_name(unsigned v);
const char *conf_esp_auth_name(unsigned v);
const char *conf_exchange_name(unsigned v);
const char *conf_id_type_name(unsigned v);

#endif
