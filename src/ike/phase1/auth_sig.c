/* auth_sig: Main Mode messages 4 to 6 with RSA signatures (RFC 2409 5.1):
 *
 *   HDR, KE, Ni [, CR]            -->   (main.c, CR from ike_sig_put_cr)
 *                                 <--   HDR, KE, Nr [, CR]          main_inI2_outR2_sig
 *   HDR*, IDii, [CERT,] SIG_I     -->                               main_inR2_outI3_sig
 *                                 <--   HDR*, IDir, [CERT,] SIG_R   main_inI3_outR3_sig
 *                                                                   main_inR3_sig
 * SIG_x is PKCS#1 v1.5 over HASH_I/HASH_R without DigestInfo (crypto_rsa_sign). The
 * peer's key comes from peers_certfile (x509 or plain_rsa, trusted as configured) or
 * from its first X.509 CERT payload, which must verify against ca_type (or every PEM
 * file in `path certificate`) when verify_cert is on, and whose subject or
 * subjectAltName must be the peer's ID. Other CERT encodings, chains and CRLs are not
 * used; CR payloads from the peer are accepted and do not change what we send.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "crypto/plainrsa.h"
#include "crypto/pubkey.h"
#include "ike/auth_sig.h"
#include "ike/handlers.h"
#include "ike/phase1.h"

#define SIG_PAYLOAD_MAX 2048u /* a 16384-bit signature */

struct ike_sig {
	struct crypto_privkey *key;
	struct crypto_cert *cert;      /* ours (x509) */
	struct crypto_cert *peer_cert;
	struct crypto_pubkey *peer_key;
};

static char *dup_or_null(const char *s, bool *fail)
{
	char *d = s ? strdup(s) : NULL;
	if (s && !d)
		*fail = true;
	return d;
}

int ike_sig_load_conf(struct ike_ph1 *p, const struct conf_remote *rm)
{
	struct ike_ph1_conf *cf = &p->cf;
	const struct racoon_conf *c = p->eng->conf;
	bool fail = false;
	cf->cert_type = (int)rm->certificate_type;
	cf->peers_cert_type = (int)rm->peers_cert_type;
	cf->my_cert = dup_or_null(rm->my_cert, &fail);
	cf->my_privkey = dup_or_null(rm->my_privkey, &fail);
	cf->ca_file = dup_or_null(rm->ca_file, &fail);
	cf->ca_dir = dup_or_null(c ? c->paths.certificate : NULL, &fail);
	cf->peers_certfile = dup_or_null(rm->peers_certfile, &fail);
	cf->verify_cert = rm->verify_cert;
	cf->send_cert = rm->send_cert;
	cf->send_cr = rm->send_cr;
	return fail ? -ENOMEM : 0;
}

void ike_sig_free(struct ike_ph1 *p)
{
	struct ike_sig *s = p->sig;
	if (!s)
		return;
	crypto_privkey_free(s->key);
	crypto_cert_free(s->cert);
	crypto_cert_free(s->peer_cert);
	crypto_pubkey_free(s->peer_key);
	free(s);
	p->sig = NULL;
}

bool ike_sig_dn_match(const struct buf *der, const char *pattern)
{
	return crypto_dn_match(der, pattern);
}

static int load_cert(const char *path, const char *what, const char *remote,
		     struct crypto_cert **out)
{
	int r = path ? crypto_cert_load(path, out) : -ENOENT;
	if (r < 0)
		log_error("ike", "remote %s: cannot load %s %s: %s", remote, what,
			  path ? path : "(none configured)", strerror(-r));
	return r;
}

int ike_sig_my_dn(struct ike_ph1 *p, const struct conf_id *id, struct buf *out)
{
	struct ike_ph1_conf *cf = &p->cf;
	if (id->str) {
		int r = crypto_dn_from_str(id->str, out);
		if (r < 0)
			log_error("ike", "remote %s: my_identifier asn1dn \"%s\" is not a "
				  "distinguished name", cf->name, id->str);
		return r;
	}
	if (cf->cert_type != CONF_CERT_X509) {
		log_error("ike", "remote %s: my_identifier asn1dn needs certificate_type x509 "
			  "or a DN", cf->name);
		return -EINVAL;
	}
	struct crypto_cert *c = NULL;
	int r = load_cert(cf->my_cert, "certificate", cf->name, &c);
	if (r == 0)
		r = crypto_cert_subject_der(c, out);
	crypto_cert_free(c);
	return r;
}

/* Our key (and certificate), loaded once per Phase 1. */
static int own_keys(struct ike_ph1 *p)
{
	struct ike_ph1_conf *cf = &p->cf;
	if (!p->sig && !(p->sig = calloc(1, sizeof(*p->sig))))
		return -ENOMEM;
	struct ike_sig *s = p->sig;
	if (s->key)
		return 0;
	int r;
	unsigned line = 0;
	if (cf->cert_type == CONF_CERT_PLAIN_RSA) {
		r = cf->my_privkey ? crypto_plainrsa_load_privkey(cf->my_privkey, &s->key, &line)
				   : -ENOENT;
	} else if (cf->cert_type == CONF_CERT_X509) {
		r = load_cert(cf->my_cert, "certificate", cf->name, &s->cert);
		if (r < 0)
			return r;
		r = cf->my_privkey ? crypto_privkey_load(cf->my_privkey, &s->key) : -ENOENT;
	} else {
		log_error("ike", "remote %s: rsasig needs certificate_type", cf->name);
		return -EINVAL;
	}
	if (r < 0) {
		if (line)
			log_error("ike", "%s:%u: cannot read the plain RSA private key: %s",
				  cf->my_privkey, line, strerror(-r));
		else
			log_error("ike", "remote %s: cannot load private key %s: %s", cf->name,
				  cf->my_privkey ? cf->my_privkey : "(none)", strerror(-r));
	}
	return r;
}

static bool want_peer_cert(const struct ike_ph1 *p)
{
	return p->cf.cert_type == CONF_CERT_X509 && p->cf.send_cr && !p->cf.peers_certfile;
}

int ike_sig_put_cr(struct ike_ph1 *p, struct isakmp_builder *b)
{
	if (p->auth != IKE_AUTH_SIG || !want_peer_cert(p))
		return 0;
	/* name our CA when there is one file of it; otherwise any CA */
	struct crypto_cert *ca = NULL;
	struct buf dn = { 0 };
	if (p->cf.ca_file && crypto_cert_load(p->cf.ca_file, &ca) == 0)
		crypto_cert_subject_der(ca, &dn);
	int r = isakmp_build_cert(b, ISAKMP_PT_CR, ISAKMP_CERT_X509_SIGN, dn.ptr, dn.len);
	buf_free(&dn);
	crypto_cert_free(ca);
	return r;
}

/* Responder's message 4: our key must be there before we commit to the exchange. */
int ike_sig_prepare(struct ike_ph1 *p)
{
	return p->auth == IKE_AUTH_SIG ? own_keys(p) : 0;
}

/* IDx, [CERT], SIG_x: the last message of either side. */
enum ike_stf ike_sig_put_id_cert_sig(struct ike_md *md)
{
	struct ike_ph1 *p = md->ph1;
	struct isakmp_builder b;
	uint8_t h[CRYPTO_MAX_DIGEST];
	struct buf sig = { 0 }, der = { 0 };
	if (own_keys(p) < 0) {
		md->notify = ISAKMP_N_AUTHENTICATION_FAILED;
		return STF_FAIL;
	}
	if (ike_ph1_make_id(p) < 0 || ike_ph1_hash(p, p->initiator, h) < 0)
		return STF_FATAL;
	int r = crypto_rsa_sign(p->sig->key, h, p->hash->digest_len, &sig);
	buf_wipe(h, sizeof(h));
	if (r < 0) {
		log_error("ike", "remote %s: signing failed: %s", p->cf.name, strerror(-r));
		return STF_FATAL;
	}
	bool cert = p->cf.cert_type == CONF_CERT_X509 && p->cf.send_cert;
	if ((cert && crypto_cert_der(p->sig->cert, &der) < 0) ||
	    ike_ph1_msg_begin(p, &b, &md->reply) < 0) {
		buf_free(&sig);
		buf_free(&der);
		return STF_FATAL;
	}
	const struct buf *id = p->initiator ? &p->id_i_b : &p->id_r_b;
	isakmp_build_begin(&b, ISAKMP_PT_ID);
	isakmp_build_put(&b, id->ptr, id->len);
	isakmp_build_end(&b);
	if (cert)
		isakmp_build_cert(&b, ISAKMP_PT_CERT, ISAKMP_CERT_X509_SIGN, der.ptr, der.len);
	isakmp_build_data(&b, ISAKMP_PT_SIG, sig.ptr, sig.len);
	buf_free(&sig);
	buf_free(&der);
	if (isakmp_build_finish(&b) < 0)
		return STF_FATAL;
	md->reply_encrypt = true;
	return STF_OK;
}

/* The peer's ID as a certificate identity. */
static bool cert_matches_id(const struct ike_ph1 *p, const struct crypto_cert *c)
{
	const struct buf *id = &p->peer_id;
	switch (p->peer_id_type) {
	case ISAKMP_ID_DER_ASN1_DN:
		return crypto_cert_has_id(c, CRYPTO_ID_DN, id->ptr, id->len);
	case ISAKMP_ID_IPV4_ADDR:
	case ISAKMP_ID_IPV6_ADDR:
		return crypto_cert_has_id(c, CRYPTO_ID_IP, id->ptr, id->len);
	case ISAKMP_ID_FQDN:
		return crypto_cert_has_id(c, CRYPTO_ID_DNS, id->ptr, id->len);
	case ISAKMP_ID_USER_FQDN:
		return crypto_cert_has_id(c, CRYPTO_ID_EMAIL, id->ptr, id->len);
	default:
		return false;
	}
}

/* The peer's public key: peers_certfile, else its CERT payload (verified). ISAKMP_N_*. */
static uint16_t peer_key(struct ike_ph1 *p, const struct isakmp_digest *d)
{
	struct ike_ph1_conf *cf = &p->cf;
	struct ike_sig *s = p->sig;
	char why[256] = "";
	unsigned line = 0;
	int r;
	crypto_cert_free(s->peer_cert);
	crypto_pubkey_free(s->peer_key);
	s->peer_cert = NULL;
	s->peer_key = NULL;
	if (cf->peers_certfile && cf->peers_cert_type == CONF_CERT_PLAIN_RSA) {
		r = crypto_plainrsa_load_pubkey(cf->peers_certfile, &s->peer_key, &line);
		if (r < 0) {
			log_error("ike", "%s:%u: cannot read the peer's plain RSA public key: %s",
				  cf->peers_certfile, line, strerror(-r));
			return ISAKMP_N_AUTHENTICATION_FAILED;
		}
		return 0;
	}
	if (cf->peers_certfile) { /* pinned: trusted as configured */
		if (load_cert(cf->peers_certfile, "peers_certfile", cf->name, &s->peer_cert) < 0)
			return ISAKMP_N_AUTHENTICATION_FAILED;
	} else {
		const struct isakmp_payload *c = isakmp_first(d, ISAKMP_PT_CERT);
		while (c && c->u.cert.encoding != ISAKMP_CERT_X509_SIGN)
			c = isakmp_next(d, c);
		if (!c || !c->u.cert.len) {
			log_error("ike", "remote %s: the peer sent no X.509 certificate and there "
				  "is no peers_certfile", cf->name);
			return ISAKMP_N_CERTIFICATE_UNAVAILABLE;
		}
		struct buf der = buf_view(c->u.cert.data, c->u.cert.len);
		r = crypto_cert_import(&der, &s->peer_cert);
		if (r < 0) {
			log_error("ike", "remote %s: the peer's certificate cannot be parsed",
				  cf->name);
			return ISAKMP_N_INVALID_CERTIFICATE;
		}
		if (cf->verify_cert) {
			r = crypto_cert_verify(s->peer_cert, cf->ca_file, cf->ca_dir, why,
					       sizeof(why));
			if (r < 0) {
				log_error("ike", "remote %s: the peer's certificate is %s: %s",
					  cf->name, r == -EKEYEXPIRED ? "expired or not yet valid"
						    : r == -ENOENT || r == -EINVAL
							      ? "unverifiable (no CA from ca_type "
								"x509 or path certificate)"
								   : "not trusted", why);
				return ISAKMP_N_INVALID_CERTIFICATE;
			}
		}
	}
	if (!cert_matches_id(p, s->peer_cert)) {
		char subj[512] = "?";
		crypto_cert_subject(s->peer_cert, subj, sizeof(subj));
		log_error("ike", "remote %s: the peer's ID (type %u) is not in its certificate "
			  "(subject %s)", cf->name, p->peer_id_type, subj);
		return ISAKMP_N_INVALID_ID_INFORMATION;
	}
	if (crypto_cert_pubkey(s->peer_cert, &s->peer_key) < 0) {
		log_error("ike", "remote %s: the peer's certificate has no RSA key", cf->name);
		return ISAKMP_N_INVALID_CERTIFICATE;
	}
	return 0;
}

/* The peer's IDx, [CERT], SIG_x. */
static enum ike_stf take_id_cert_sig(struct ike_md *md)
{
	struct ike_ph1 *p = md->ph1;
	const struct isakmp_digest *d = md->d;
	const struct isakmp_payload *id = isakmp_first(d, ISAKMP_PT_ID);
	const struct isakmp_payload *sg = isakmp_first(d, ISAKMP_PT_SIG);
	if (isakmp_next(d, id) || isakmp_next(d, sg))
		return STF_IGNORE;
	ike_ph1_note_payloads(p, d);
	if (!p->sig && !(p->sig = calloc(1, sizeof(*p->sig))))
		return STF_FATAL;
	if (ike_ph1_take_id(p, id) < 0) {
		md->notify = ISAKMP_N_INVALID_ID_INFORMATION;
		return STF_FAIL;
	}
	uint16_t n = peer_key(p, d);
	if (n) {
		md->notify = n;
		return STF_FAIL;
	}
	uint8_t h[CRYPTO_MAX_DIGEST];
	if (ike_ph1_hash(p, !p->initiator, h) < 0)
		return STF_FATAL;
	struct buf sig = buf_view(sg->body, sg->len);
	int r = sg->len && sg->len <= SIG_PAYLOAD_MAX
			? crypto_rsa_verify(p->sig->peer_key, h, p->hash->digest_len, &sig)
			: -EBADMSG;
	buf_wipe(h, sizeof(h));
	if (r < 0) {
		log_error("ike", "remote %s: %s signature verification failed (wrong key or "
			  "tampering)", p->cf.name, p->initiator ? "SIG_R" : "SIG_I");
		md->notify = ISAKMP_N_AUTHENTICATION_FAILED;
		return STF_FAIL;
	}
	if (!ike_ph1_peer_id_ok(p)) {
		md->notify = ISAKMP_N_INVALID_ID_INFORMATION;
		return STF_FAIL;
	}
	char subj[512] = "";
	if (p->sig->peer_cert)
		crypto_cert_subject(p->sig->peer_cert, subj, sizeof(subj));
	log_info("ike", "remote %s: the peer's RSA signature is valid (%s%s%s)", p->cf.name,
		 subj[0] ? "certificate " : "plain RSA key from peers_certfile", subj,
		 !subj[0] ? "" : p->cf.peers_certfile ? ", pinned by peers_certfile"
			 : p->cf.verify_cert ? ", verified against the CA" : ", verify_cert off");
	return STF_OK;
}

enum ike_stf main_inI3_outR3_sig(struct ike_md *md)
{
	enum ike_stf r = take_id_cert_sig(md);
	if (r != STF_OK)
		return r;
	return ike_sig_put_id_cert_sig(md);
}

enum ike_stf main_inR3_sig(struct ike_md *md)
{
	return take_id_cert_sig(md);
}
