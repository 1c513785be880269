/* phase1: the Phase 1 helpers Main and Aggressive Mode share. */
#include "ike/phase1.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/hexdump.h"
#include "conf/conf.h"
#include "event/event.h"
#include "ike/auth_sig.h"
#include "ike/handlers.h"
#include "ike/info.h"
#include "ike/lifecycle.h"
#include "ike/phase2.h"
#include "ike/vendor.h"

/* ---- remote {} ------------------------------------------------------------------ */

static bool remote_allows(const struct conf_remote *rm, uint8_t exchange)
{
	if (!exchange)
		return true;
	for (size_t i = 0; i < rm->n_exchange_mode; i++)
		if ((uint8_t)rm->exchange_mode[i] == exchange)
			return true;
	return false;
}

const struct conf_remote *ike_remote_find(const struct ike_engine *e, const char *name,
					  const union sockaddr_any *peer, uint8_t exchange)
{
	const struct racoon_conf *c = e->conf;
	if (!c)
		return NULL;
	if (name)
		return conf_remote_by_name(c, name);
	for (size_t i = 0; i < c->n_remotes; i++) {
		const struct conf_remote *rm = &c->remotes[i];
		if (!rm->anonymous && rm->has_remote_address &&
		    addr_equal(&rm->remote_address, peer) && remote_allows(rm, exchange))
			return rm;
	}
	for (size_t i = 0; i < c->n_remotes; i++) {
		const struct conf_remote *rm = &c->remotes[i];
		if (rm->anonymous && remote_allows(rm, exchange))
			return rm;
	}
	return NULL;
}

unsigned ike_p1_props_from_conf(const struct conf_remote *rm, struct ike_p1_prop *out,
				unsigned max)
{
	unsigned n = 0;
	for (size_t i = 0; i < rm->n_proposals && n < max; i++) {
		const struct conf_proposal *cp = &rm->proposals[i];
		if (cp->auth != CONF_AUTH_PSK && cp->auth != CONF_AUTH_RSASIG) {
			log_warning("ike", "%s:%u: only pre_shared_key and rsasig are implemented: "
				    "proposal skipped", cp->file ? cp->file : "?", cp->line);
			continue;
		}
		out[n++] = (struct ike_p1_prop){
			.enc = (uint16_t)cp->enc, .key_bits = (uint16_t)cp->enc_keylen,
			.hash = (uint16_t)cp->hash,
			.auth = cp->auth == CONF_AUTH_RSASIG ? OAKLEY_AUTH_RSA_SIG : OAKLEY_AUTH_PSK,
			.group = (uint16_t)cp->dh_group,
			.life_s = cp->lifetime_s ? cp->lifetime_s : rm->lifetime_s,
		};
	}
	return n;
}

static int id_from_conf(struct ike_ph1 *p, const struct conf_id *id)
{
	struct ike_ph1_conf *cf = &p->cf;
	const union sockaddr_any *a = id->has_addr ? &id->addr : &p->local;
	size_t n;
	const uint8_t *b;
	switch (id->type) {
	case CONF_ID_FQDN:
	case CONF_ID_USER_FQDN:
	case CONF_ID_KEYID:
		if (!id->str || id->keyid_file)
			break;
		cf->my_id_type = id->type == CONF_ID_FQDN ? ISAKMP_ID_FQDN
				 : id->type == CONF_ID_USER_FQDN ? ISAKMP_ID_USER_FQDN
								 : ISAKMP_ID_KEY_ID;
		return buf_dup(&cf->my_id, id->str, strlen(id->str), false);
	case CONF_ID_ASN1DN: /* the subject of our certificate, or the given DN */
		cf->my_id_type = ISAKMP_ID_DER_ASN1_DN;
		return ike_sig_my_dn(p, id, &cf->my_id);
	case CONF_ID_NONE:
	case CONF_ID_ADDRESS:
	default:
		break;
	}
	if (id->type != CONF_ID_NONE && id->type != CONF_ID_ADDRESS)
		log_warning("ike", "my_identifier %s is not supported here: "
			    "using the address", conf_id_type_name(id->type));
	b = addr_bytes(a, &n);
	if (!b)
		return -EAFNOSUPPORT;
	cf->my_id_type = n == 4 ? ISAKMP_ID_IPV4_ADDR : ISAKMP_ID_IPV6_ADDR;
	return buf_dup(&cf->my_id, b, n, false);
}

/* peers_identifier entries in wire form (address, fqdn, user_fqdn, keyid). */
static void peers_id_from_conf(struct ike_ph1 *p, const struct conf_remote *rm)
{
	struct ike_ph1_conf *cf = &p->cf;
	for (size_t i = 0; i < rm->n_peers_identifier && cf->n_peers_id < 8; i++) {
		const struct conf_id *id = &rm->peers_identifier[i];
		const uint8_t *b = NULL;
		size_t n = 0;
		uint8_t t = 0;
		if (id->type == CONF_ID_ADDRESS) {
			b = addr_bytes(id->has_addr ? &id->addr : &p->remote, &n);
			t = n == 4 ? ISAKMP_ID_IPV4_ADDR : ISAKMP_ID_IPV6_ADDR;
		} else if ((id->type == CONF_ID_FQDN || id->type == CONF_ID_USER_FQDN ||
			    id->type == CONF_ID_KEYID) && id->str && !id->keyid_file) {
			b = (const uint8_t *)id->str;
			n = strlen(id->str);
			t = id->type == CONF_ID_FQDN ? ISAKMP_ID_FQDN
			    : id->type == CONF_ID_USER_FQDN ? ISAKMP_ID_USER_FQDN : ISAKMP_ID_KEY_ID;
		} else if (id->type == CONF_ID_ASN1DN && id->str) {
			b = (const uint8_t *)id->str; /* a pattern: ike_ph1_peer_id_ok matches it */
			n = strlen(id->str) + 1;
			t = ISAKMP_ID_DER_ASN1_DN;
		}
		if (!b || buf_dup(&cf->peers_id[cf->n_peers_id].data, b, n, false) < 0) {
			log_warning("ike", "remote %s: peers_identifier %s not usable here",
				    cf->name, conf_id_type_name(id->type));
			continue;
		}
		cf->peers_id[cf->n_peers_id++].type = t;
	}
}

bool ike_ph1_peer_id_ok(const struct ike_ph1 *p)
{
	const struct ike_ph1_conf *cf = &p->cf;
	if (!cf->verify_identifier || !cf->n_peers_id)
		return true;
	for (unsigned i = 0; i < cf->n_peers_id; i++) {
		if (cf->peers_id[i].type != p->peer_id_type)
			continue;
		if (p->peer_id_type == ISAKMP_ID_DER_ASN1_DN) {
			if (ike_sig_dn_match(&p->peer_id, (const char *)cf->peers_id[i].data.ptr))
				return true;
			continue;
		}
		if (cf->peers_id[i].data.len == p->peer_id.len &&
		    !memcmp(cf->peers_id[i].data.ptr, p->peer_id.ptr, p->peer_id.len))
			return true;
	}
	log_error("ike", "remote %s: the peer's identifier matches no peers_identifier",
		  cf->name);
	return false;
}

int ike_ph1_load_conf(struct ike_ph1 *p, const struct conf_remote *rm)
{
	struct ike_ph1_conf *cf = &p->cf;
	const struct racoon_conf *c = p->eng->conf;
	ike_ph1_conf_free(cf);
	memset(cf, 0, sizeof(*cf));
	cf->name = strdup(rm->name ? rm->name : "anonymous");
	if (!cf->name)
		return -ENOMEM;
	cf->nonce_size = rm->nonce_size ? rm->nonce_size : 16;
	cf->lifetime_s = rm->lifetime_s ? rm->lifetime_s : 28800;
	cf->proposal_check = rm->proposal_check ? (int)rm->proposal_check : CONF_PCHECK_STRICT;
	cf->passive = rm->passive;
	cf->initial_contact = rm->initial_contact;
	cf->weak_phase1_check = rm->weak_phase1_check;
	cf->rekey = rm->rekey;
	cf->verify_identifier = rm->verify_identifier;
	cf->dpd = rm->dpd;
	cf->dpd_delay = rm->dpd_delay;
	cf->dpd_retry = rm->dpd_retry;
	cf->dpd_maxfail = rm->dpd_maxfail;
	cf->natt = rm->nat_traversal != CONF_OFF;
	cf->frag = rm->ike_frag != CONF_OFF;
	cf->exchange = rm->n_exchange_mode ? (uint8_t)rm->exchange_mode[0] : ISAKMP_EXCH_IDENT;
	cf->counter = c && c->timer.counter ? c->timer.counter : 5;
	cf->interval_s = c && c->timer.interval_s ? c->timer.interval_s : 10;
	cf->persend = c && c->timer.persend ? c->timer.persend : 1;
	cf->phase1_s = c && c->timer.phase1_s ? c->timer.phase1_s : 30;
	cf->phase2_s = c && c->timer.phase2_s ? c->timer.phase2_s : 30;
	cf->n_props = ike_p1_props_from_conf(rm, cf->props, IKE_MAX_P1_PROPS);
	peers_id_from_conf(p, rm);
	int r = ike_sig_load_conf(p, rm);
	return r < 0 ? r : id_from_conf(p, &rm->my_identifier);
}

/* ---- creating SAs ------------------------------------------------------------- */

struct ike_ph1 *ike_ph1_new_responder(struct ike_engine *e, const union sockaddr_any *local,
				      const union sockaddr_any *remote,
				      const struct isakmp_hdr *h)
{
	char a[ADDR_PORT_STRLEN];
	if (h->exchange != ISAKMP_EXCH_IDENT && h->exchange != ISAKMP_EXCH_AGGRESSIVE)
		return NULL;
	const struct conf_remote *rm = ike_remote_find(e, NULL, remote, h->exchange);
	if (!rm) {
		e->st.dropped++;
		log_info("ike", "no remote {} for %s allows %s: ignored", addr_ntop_port(remote, a),
			 h->exchange == ISAKMP_EXCH_IDENT ? "Main Mode" : "Aggressive Mode");
		return NULL;
	}
	if (!ike_halfopen_take(e, remote)) {
		e->st.dropped++;
		log_warning("ike", "too many half-open ISAKMP SAs (peer %s): new one refused",
			    addr_ntop_port(remote, a));
		return NULL;
	}
	struct ike_ph1 *p = ike_ph1_new(e, false, local, remote);
	if (!p) {
		struct ike_ph1 tmp = { .eng = e, .remote = *remote, .halfopen = true };
		ike_halfopen_release(&tmp);
		return NULL;
	}
	p->halfopen = true;
	memcpy(p->icookie, h->icookie, 8);
	p->exchange = h->exchange;
	p->state = h->exchange == ISAKMP_EXCH_IDENT ? PH1_MM_R_START : PH1_AM_R_START;
	if (ike_ph1_load_conf(p, rm) < 0) {
		ike_ph1_free(p);
		return NULL;
	}
	ike_ph1_index(p);
	ike_timer_arm(&e->timers, &p->t_neg, (uint64_t)p->cf.phase1_s * 1000000u);
	log_info("ike", "respond new phase 1 negotiation: %s<=>%s", addr_ntop_port(local, a),
		 addr_ntop_port(remote, (char[ADDR_PORT_STRLEN]){ 0 }));
	return p;
}

int ike_ph1_start(struct ike_engine *e, const union sockaddr_any *local,
		  const union sockaddr_any *remote, const char *remote_name, struct ike_ph1 **out)
{
	char a[ADDR_PORT_STRLEN], b[ADDR_PORT_STRLEN];
	const struct conf_remote *rm = ike_remote_find(e, remote_name, remote, 0);
	if (!rm) {
		log_error("ike", "no remote {} for %s: cannot initiate", addr_ntop_port(remote, a));
		return -ENOENT;
	}
	if (rm->passive) {
		log_info("ike", "remote %s is passive: not initiating", rm->name);
		return -EPERM;
	}
	if (!ike_halfopen_take(e, remote))
		return -EAGAIN;
	struct ike_ph1 *p = ike_ph1_new(e, true, local, remote);
	if (!p) {
		struct ike_ph1 tmp = { .eng = e, .remote = *remote, .halfopen = true };
		ike_halfopen_release(&tmp);
		return -ENOMEM;
	}
	p->halfopen = true;
	int r = ike_ph1_load_conf(p, rm);
	if (r == 0 && !p->cf.n_props)
		r = -EINVAL;
	if (r < 0) {
		ike_ph1_free(p);
		return r;
	}
	p->exchange = p->cf.exchange == ISAKMP_EXCH_AGGRESSIVE ? ISAKMP_EXCH_AGGRESSIVE
							       : ISAKMP_EXCH_IDENT;
	ike_ph1_index(p);
	ike_timer_arm(&e->timers, &p->t_neg, (uint64_t)p->cf.phase1_s * 1000000u);
	log_info("ike", "initiate new phase 1 negotiation: %s<=>%s", addr_ntop_port(local, a),
		 addr_ntop_port(remote, b));
	r = p->exchange == ISAKMP_EXCH_IDENT ? main_outI1(p) : aggr_outI1(p);
	if (r < 0) {
		ike_ph1_fail(p, "cannot send the first message");
		return r;
	}
	if (out)
		*out = p;
	return 0;
}

/* ---- KE, nonce, IDs ----------------------------------------------------------- */

int ike_ph1_make_ke_nonce(struct ike_ph1 *p)
{
	buf_free(&p->dh_priv);
	buf_free(&p->dh_pub);
	int r = dh_keygen(p->dh, 0, &p->dh_priv, &p->dh_pub);
	if (r < 0)
		return r;
	struct buf *n = p->initiator ? &p->ni : &p->nr;
	buf_free(n);
	r = buf_init(n, p->cf.nonce_size);
	uint8_t *w = r ? NULL : buf_reserve(n, p->cf.nonce_size);
	if (!w)
		return -ENOMEM;
	return ike_rand(p->eng, w, p->cf.nonce_size);
}

uint16_t ike_ph1_take_ke_nonce(struct ike_ph1 *p, const struct isakmp_digest *d)
{
	const struct isakmp_payload *ke = isakmp_first(d, ISAKMP_PT_KE);
	const struct isakmp_payload *no = isakmp_first(d, ISAKMP_PT_NONCE);
	if (!ke || !no || isakmp_next(d, ke) || isakmp_next(d, no))
		return ISAKMP_N_PAYLOAD_MALFORMED;
	/* RFC 2409 5: nonces are 8 to 256 bytes */
	if (no->len < 8 || no->len > 256)
		return ISAKMP_N_PAYLOAD_MALFORMED;
	struct buf peer = buf_view(ke->body, ke->len);
	if (dh_check_public(p->dh, &peer) < 0) {
		log_info("ike", "peer's %s public value is invalid", p->dh->name);
		return ISAKMP_N_INVALID_KEY_INFORMATION;
	}
	struct buf *n = p->initiator ? &p->nr : &p->ni;
	buf_free(&p->dh_peer);
	buf_free(n);
	if (buf_dup(&p->dh_peer, ke->body, ke->len, false) < 0 ||
	    buf_dup(n, no->body, no->len, false) < 0)
		return ISAKMP_N_PAYLOAD_MALFORMED;
	return 0;
}

int ike_ph1_make_id(struct ike_ph1 *p)
{
	struct buf *id = p->initiator ? &p->id_i_b : &p->id_r_b;
	buf_free(id);
	if (buf_init(id, 4 + p->cf.my_id.len) < 0)
		return -ENOMEM;
	buf_put_u8(id, p->cf.my_id_type);
	buf_put_u8(id, 0);
	buf_put_u16(id, 0);
	buf_put_bytes(id, p->cf.my_id.ptr, p->cf.my_id.len);
	return buf_ok(id) ? 0 : -EMSGSIZE;
}

int ike_ph1_take_id(struct ike_ph1 *p, const struct isakmp_payload *id)
{
	struct buf *b = p->initiator ? &p->id_r_b : &p->id_i_b;
	buf_free(b);
	buf_free(&p->peer_id);
	if (id->len < 4 || id->len > IKE_ID_MAX)
		return -EBADMSG;
	p->peer_id_type = id->u.id.type;
	if (buf_dup(b, id->body, id->len, false) < 0 ||
	    buf_dup(&p->peer_id, id->u.id.data, id->u.id.len, false) < 0)
		return -ENOMEM;
	return 0;
}

/* The PSK file key for the peer: its ID as text, or its address. */
static int psk_key_name(struct ike_ph1 *p, bool by_id, char *out, size_t n)
{
	if (by_id && p->peer_id.len) {
		union sockaddr_any a;
		struct isakmp_id id = { .type = p->peer_id_type, .data = p->peer_id.ptr,
					.len = p->peer_id.len };
		if (isakmp_id_addrs(&id, &a, NULL) == 0 &&
		    (id.type == ISAKMP_ID_IPV4_ADDR || id.type == ISAKMP_ID_IPV6_ADDR)) {
			addr_ntop(&a, out);
			return 0;
		}
		if (id.type != ISAKMP_ID_FQDN && id.type != ISAKMP_ID_USER_FQDN &&
		    id.type != ISAKMP_ID_KEY_ID)
			return -EINVAL;
		if (p->peer_id.len >= n || memchr(p->peer_id.ptr, 0, p->peer_id.len))
			return -EINVAL;
		memcpy(out, p->peer_id.ptr, p->peer_id.len);
		out[p->peer_id.len] = 0;
		return 0;
	}
	char a[ADDR_STRLEN];
	snprintf(out, n, "%s", addr_ntop(&p->remote, a));
	return 0;
}

static int psk_lookup(struct ike_ph1 *p, bool by_id, struct buf *psk)
{
	char name[IKE_ID_MAX + 1];
	struct ike_engine *e = p->eng;
	int r = psk_key_name(p, by_id, name, sizeof(name));
	if (r < 0)
		return r;
	if (e->o.psk)
		r = e->o.psk(e->o.psk_userdata, name, psk);
	else
		r = e->conf ? conf_psk_lookup(e->conf, name, psk) : -ENOENT;
	if (r < 0)
		log_error("ike", "no pre-shared key for %s", name);
	return r;
}

uint16_t ike_ph1_derive(struct ike_ph1 *p, bool by_id)
{
	struct buf psk = { 0 };
	buf_free(&p->gxy);
	if (dh_shared(p->dh, &p->dh_priv, &p->dh_peer, &p->gxy) < 0)
		return ISAKMP_N_INVALID_KEY_INFORMATION;
	bool sig = p->auth == IKE_AUTH_SIG; /* SKEYID = prf(Ni_b | Nr_b, g^xy) */
	if (!sig && psk_lookup(p, by_id, &psk) < 0)
		return ISAKMP_N_AUTHENTICATION_FAILED;
	buf_free(&p->skeyid);
	oakley_keys_free(&p->keys);
	buf_free(&p->enc_key);
	int r = sig ? oakley_skeyid_sig(p->hash, &p->ni, &p->nr, &p->gxy, &p->skeyid)
		    : oakley_skeyid_psk(p->hash, &psk, &p->ni, &p->nr, &p->skeyid);
	buf_free(&psk);
	if (r == 0)
		r = oakley_skeyid_dae(p->hash, &p->skeyid, &p->gxy, p->icookie, p->rcookie, &p->keys);
	if (r == 0)
		r = oakley_enc_key(p->hash, &p->keys.e, p->enc_keylen, &p->enc_key);
	const struct buf *gxi = p->initiator ? &p->dh_pub : &p->dh_peer;
	const struct buf *gxr = p->initiator ? &p->dh_peer : &p->dh_pub;
	if (r == 0)
		r = oakley_iv_phase1(p->hash, gxi, gxr, p->cipher->block_len, &p->iv);
	if (r < 0)
		return ISAKMP_N_INVALID_KEY_INFORMATION;
	p->keyed = true;
	/* The private value is no longer needed. */
	buf_free(&p->dh_priv);
	if (log_secrets_enabled()) {
		log_hexdump("ike", "SKEYID", p->skeyid.ptr, p->skeyid.len);
		log_hexdump("ike", "SKEYID_d", p->keys.d.ptr, p->keys.d.len);
		log_hexdump("ike", "SKEYID_a", p->keys.a.ptr, p->keys.a.len);
		log_hexdump("ike", "SKEYID_e", p->keys.e.ptr, p->keys.e.len);
	}
	return 0;
}

int ike_ph1_hash(struct ike_ph1 *p, bool of_initiator, uint8_t *out)
{
	const struct buf *gxi = p->initiator ? &p->dh_pub : &p->dh_peer;
	const struct buf *gxr = p->initiator ? &p->dh_peer : &p->dh_pub;
	if (of_initiator)
		return oakley_hash_i(p->hash, &p->skeyid, gxi, gxr, p->icookie, p->rcookie,
				     &p->sa_i_b, &p->id_i_b, out);
	return oakley_hash_r(p->hash, &p->skeyid, gxi, gxr, p->icookie, p->rcookie, &p->sa_i_b,
			     &p->id_r_b, out);
}

bool ike_ph1_verify_hash(struct ike_ph1 *p, const struct isakmp_payload *h)
{
	uint8_t want[CRYPTO_MAX_DIGEST];
	if (!h || h->len != p->hash->digest_len)
		return false;
	if (ike_ph1_hash(p, !p->initiator, want) < 0)
		return false;
	bool ok = buf_equal_ct(want, h->body, h->len);
	buf_wipe(want, sizeof(want));
	return ok;
}

int ike_ph1_put_ke_nonce(struct ike_ph1 *p, struct isakmp_builder *b)
{
	const struct buf *n = p->initiator ? &p->ni : &p->nr;
	isakmp_build_data(b, ISAKMP_PT_KE, p->dh_pub.ptr, p->dh_pub.len);
	return isakmp_build_data(b, ISAKMP_PT_NONCE, n->ptr, n->len);
}

int ike_ph1_msg_begin(struct ike_ph1 *p, struct isakmp_builder *b, struct buf *out)
{
	struct isakmp_hdr h = { .version = ISAKMP_VERSION, .exchange = p->exchange };
	memcpy(h.icookie, p->icookie, 8);
	memcpy(h.rcookie, p->rcookie, 8);
	buf_free(out);
	if (buf_init(out, IKE_MAX_MSG) < 0)
		return -ENOMEM;
	return isakmp_build_init(b, out, &h);
}

void ike_ph1_note_payloads(struct ike_ph1 *p, const struct isakmp_digest *d)
{
	for (const struct isakmp_payload *v = isakmp_first(d, ISAKMP_PT_VID); v;
	     v = isakmp_next(d, v))
		ike_vendor_note(p, v->body, v->len);
	for (const struct isakmp_payload *n = isakmp_first(d, ISAKMP_PT_N); n;
	     n = isakmp_next(d, n))
		if (n->u.n.type == ISAKMP_N_INITIAL_CONTACT)
			p->peer_initial_contact = true;
}

/* ---- established ---------------------------------------------------------------- */

static void log_established(struct ike_ph1 *p)
{
	char a[ADDR_PORT_STRLEN], b[ADDR_PORT_STRLEN], ic[17], rc[17];
	struct log_ctx c;
	ike_ph1_ctx(p, &c);
	hex_encode(p->icookie, 8, ic, sizeof(ic));
	hex_encode(p->rcookie, 8, rc, sizeof(rc));
	log_ctx(LL_INFO, "ike", &c, LOG_MSGID_PH1_ESTABLISHED,
		"ISAKMP-SA established %s-%s spi:%s:%s (%s, %s, %s, %s, lifetime %us)",
		addr_ntop_port(&p->local, a), addr_ntop_port(&p->remote, b), ic, rc,
		p->exchange == ISAKMP_EXCH_IDENT ? "Main Mode" : "Aggressive Mode",
		p->cipher->name, p->hash->name, p->dh->name, p->lifetime_s);
}

/* Same peer identity: the IDs agree (an SA that never learned one counts as the same). */
static bool same_identity(const struct ike_ph1 *o, const struct ike_ph1 *p)
{
	if (!o->peer_id.len || !p->peer_id.len)
		return true;
	return o->peer_id_type == p->peer_id_type && o->peer_id.len == p->peer_id.len &&
	       !memcmp(o->peer_id.ptr, p->peer_id.ptr, p->peer_id.len);
}

void ike_ph1_delete_tree(struct ike_ph1 *o, const char *why)
{
	while (o->ph2s.next != &o->ph2s) {
		struct ike_ph2 *q = ike_link_entry(o->ph2s.next, struct ike_ph2, in_ph1);
		ike_ph2_delete(q, false, why);
	}
	ike_ph1_delete(o, false, why);
}

/* INITIAL-CONTACT from an authenticated peer: its older ISAKMP SAs (same ID, address
 * and port, so two NAT-T clients behind one address do not purge each other) and their
 * IPsec SAs go. */
void ike_ph1_purge_others(struct ike_ph1 *p, const char *why)
{
	struct ike_engine *e = p->eng;
	struct ike_link *head = &p->peer->ph1s, *l = head->next;
	while (l != head) {
		struct ike_ph1 *o = ike_link_entry(l, struct ike_ph1, by_peer);
		l = l->next;
		if (o == p || !addr_equal_port(&o->remote, &p->remote) || !same_identity(o, p))
			continue;
		ike_ph1_delete_tree(o, why);
	}
	/* IPsec SAs with that peer whose ISAKMP SA is already gone. */
	struct ike_link *m = e->ph2s.next;
	while (m != &e->ph2s) {
		struct ike_ph2 *q = ike_link_entry(m, struct ike_ph2, all);
		m = m->next;
		if (!q->ph1 && addr_equal_port(&q->req.remote, &p->remote))
			ike_ph2_delete(q, false, why);
	}
}

void ike_ph1_purge_old(struct ike_ph1 *p)
{
	ike_ph1_purge_others(p, "INITIAL-CONTACT");
}

void ike_ph1_established(struct ike_ph1 *p)
{
	struct ike_engine *e = p->eng;
	ike_halfopen_release(p);
	ike_timer_cancel(&e->timers, &p->t_neg);
	e->st.ph1_established++;
	log_established(p);
	ike_ph1_arm_lifetime(p);
	ike_dpd_start(p);
	if (p->peer_initial_contact) {
		log_info("ike", "INITIAL-CONTACT received: purging older SAs of this peer");
		ike_ph1_purge_old(p);
	}
	struct ike_peer *peer = ike_peer_get(e, &p->remote, true);
	if (p->cf.initial_contact && peer && !peer->contacted && p->initiator) {
		ike_info_send_initial_contact(p);
	}
	if (peer)
		peer->contacted = true;
	ike_ph2_ph1_ready(p);
}
