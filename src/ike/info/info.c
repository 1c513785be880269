/* info: Notify and Delete in informational exchanges, INITIAL-CONTACT.
 *
 * Event -> action (also in racoon(8)):
 *   Delete (ISAKMP, our cookies)   -> that ISAKMP SA goes; its IPsec SAs stay (IKEv1)
 *   Delete (ESP/AH, SPIs)          -> the SPIs are the sender's inbound ones = our
 *                                     outbound; both directions of each pair go, only
 *                                     for SAs negotiated with that same peer
 *   INITIAL-CONTACT (authenticated) -> older ISAKMP and IPsec SAs of that peer (address
 *                                     and port) go
 *   Notify or Delete in clear      -> ignored once an ISAKMP SA exists
 *                                     (CVE-2004-0164, CVE-2007-1841)
 *   R-U-THERE / R-U-THERE-ACK      -> answered / DPD's proof of liveness (dpd.c)
 *   we send Delete                 -> on admin delete, shutdown, hard expiry and for a
 *                                     replaced SA after rekey; never under -Z; IPsec SA
 *                                     Deletes under the newest established ISAKMP SA
 *                                     with the peer, else one past its soft lifetime
 */
#include "ike/info.h"

#include <string.h>

#include "crypto/oakley.h"
#include "ike/crypt.h"
#include "ike/dpd.h"
#include "ike/handlers.h"
#include "ike/hashmsg.h"
#include "ike/lifecycle.h"
#include "ike/phase1.h"
#include "isakmp/names.h"

/* Build-and-send an informational message under p; add() appends the payloads. */
typedef void (*info_add_fn)(struct isakmp_builder *b, const void *arg);

static void send_protected(struct ike_ph1 *p, info_add_fn add, const void *arg)
{
	struct ike_engine *e = p->eng;
	struct isakmp_builder b;
	struct buf msg = { 0 };
	uint32_t msgid = 0;
	size_t hoff = 0, hl = p->hash->digest_len;
	uint8_t ck[16];
	memcpy(ck, p->icookie, 8);
	memcpy(ck + 8, p->rcookie, 8);
	while (!msgid)
		if (ike_rand(e, &msgid, sizeof(msgid)) < 0)
			return;
	if (ike_msg_begin_hashed(&b, &msg, ck, ISAKMP_EXCH_INFO, msgid, hl, &hoff) < 0)
		goto out;
	add(&b, arg);
	if (isakmp_build_finish(&b) < 0)
		goto out;
	struct buf rest = ike_msg_rest_after(&msg, hoff, hl);
	if (oakley_qm_hash1(p->hash, &p->keys.a, msgid, &rest, msg.ptr + hoff) < 0)
		goto out;
	/* Informational exchanges get their own IV; the Phase 1 chain is not advanced. */
	struct oakley_iv iv;
	if (oakley_iv_msgid(p->hash, &p->iv, msgid, &iv) < 0 ||
	    ike_encrypt_msg(p->cipher, &p->enc_key, &iv, &msg) < 0)
		goto out;
	ike_ph1_msgid_remember(p, msgid);
	ike_send(e, &p->local, &p->remote, &msg);
out:
	buf_free(&msg);
}

struct notify_arg {
	uint8_t proto;
	uint16_t type;
	const uint8_t *spi;
	uint8_t spi_len;
	const uint8_t *data;
	size_t len;
};

static void add_notify(struct isakmp_builder *b, const void *arg)
{
	const struct notify_arg *n = arg;
	isakmp_build_notify(b, ISAKMP_DOI_IPSEC, n->proto, n->type, n->spi, n->spi_len, n->data,
			    n->len);
}

static void send_clear_notify(struct ike_ph1 *p, uint16_t type)
{
	struct isakmp_builder b;
	struct buf msg = { 0 };
	struct isakmp_hdr h = { .version = ISAKMP_VERSION, .exchange = ISAKMP_EXCH_INFO };
	uint8_t ck[16];
	memcpy(h.icookie, p->icookie, 8);
	memcpy(h.rcookie, p->rcookie, 8);
	memcpy(ck, p->icookie, 8);
	memcpy(ck + 8, p->rcookie, 8);
	if (buf_init(&msg, 512) == 0) {
		isakmp_build_init(&b, &msg, &h);
		isakmp_build_notify(&b, ISAKMP_DOI_IPSEC, ISAKMP_PROTO_ISAKMP, type, ck, 16, NULL, 0);
		if (isakmp_build_finish(&b) == 0)
			ike_send(p->eng, &p->local, &p->remote, &msg);
	}
	buf_free(&msg);
}

void ike_info_send_notify_ph1(struct ike_ph1 *p, uint16_t type)
{
	char nb[ISAKMP_NAME_BUFLEN];
	p->eng->st.notifies_sent++;
	log_info("ike", "sending notify %s", isakmp_name_num(ISAKMP_NAMES_NOTIFY, type, nb));
	if (!p->keyed) {
		send_clear_notify(p, type);
		return;
	}
	uint8_t ck[16];
	memcpy(ck, p->icookie, 8);
	memcpy(ck + 8, p->rcookie, 8);
	struct notify_arg n = { ISAKMP_PROTO_ISAKMP, type, ck, 16, NULL, 0 };
	send_protected(p, add_notify, &n);
}

void ike_info_send_notify_data(struct ike_ph1 *p, uint16_t type, const void *data, size_t len)
{
	uint8_t ck[16];
	memcpy(ck, p->icookie, 8);
	memcpy(ck + 8, p->rcookie, 8);
	struct notify_arg n = { ISAKMP_PROTO_ISAKMP, type, ck, 16, data, len };
	if (p->keyed)
		send_protected(p, add_notify, &n);
}

void ike_info_send_initial_contact(struct ike_ph1 *p)
{
	uint8_t ck[16];
	memcpy(ck, p->icookie, 8);
	memcpy(ck + 8, p->rcookie, 8);
	struct notify_arg n = { ISAKMP_PROTO_ISAKMP, ISAKMP_N_INITIAL_CONTACT, ck, 16, NULL, 0 };
	log_debug("ike", "sending INITIAL-CONTACT");
	send_protected(p, add_notify, &n);
}

static void add_delete_ph1(struct isakmp_builder *b, const void *arg)
{
	const struct ike_ph1 *p = arg;
	uint8_t ck[16];
	memcpy(ck, p->icookie, 8);
	memcpy(ck + 8, p->rcookie, 8);
	isakmp_build_delete(b, ISAKMP_DOI_IPSEC, ISAKMP_PROTO_ISAKMP, 16, ck, 1);
}

void ike_info_send_delete_ph1(struct ike_ph1 *p)
{
	send_protected(p, add_delete_ph1, p);
}

static void add_delete_ph2(struct isakmp_builder *b, const void *arg)
{
	const struct ike_ph2 *q = arg;
	for (unsigned i = 0; i < q->np; i++) {
		if (q->p[i].proto == ISAKMP_PROTO_IPCOMP)
			continue; /* CPIs are not deleted by Delete payloads (as the reference) */
		uint32_t s = q->p[i].spi_in;
		uint8_t spi[4] = { (uint8_t)(s >> 24), (uint8_t)(s >> 16), (uint8_t)(s >> 8),
				   (uint8_t)s };
		isakmp_build_delete(b, ISAKMP_DOI_IPSEC, q->p[i].proto, 4, spi, 1);
	}
}

/* The newest ISAKMP SA with q's peer past its soft lifetime: it takes no new Quick Mode,
 * but it is keyed and the peer still has it. A Delete must not be lost for want of a
 * fresh one: a responder never renews its ISAKMP SA (charon's reauthentication leaves
 * racoon with an expired one for a few seconds in every round). */
static struct ike_ph1 *expired_ph1(struct ike_engine *e, const struct ike_ph2 *q)
{
	struct ike_ph1 *best = NULL;
	struct ike_peer *peer = ike_peer_get(e, &q->req.remote, false);
	if (!peer)
		return NULL;
	for (struct ike_link *l = peer->ph1s.next; l != &peer->ph1s; l = l->next) {
		struct ike_ph1 *p = ike_link_entry(l, struct ike_ph1, by_peer);
		if (p->state != PH1_EXPIRED || p->dead || !p->keyed ||
		    !addr_equal(&p->remote, &q->req.remote) || !addr_equal(&p->local, &q->req.local))
			continue;
		if (!best || p->created > best->created)
			best = p;
	}
	return best;
}

void ike_info_send_delete_ph2(struct ike_engine *e, struct ike_ph2 *q)
{
	struct ike_ph1 *p = q->ph1;
	if (!p || p->state != PH1_ESTABLISHED)
		p = ike_ph1_find_established(e, &q->req.local, &q->req.remote);
	if (!p)
		p = expired_ph1(e, q);
	if (!p) {
		log_debug("ike", "no ISAKMP SA to send the Delete of an IPsec SA under");
		return;
	}
	send_protected(p, add_delete_ph2, q);
}

/* A clear informational message: trusted by nobody. Only a notify that refuses our own
 * first message ends a negotiation that has no keys yet. */
void ike_info_input_clear(struct ike_md *md)
{
	struct ike_ph1 *p = md->ph1;
	const struct isakmp_payload *n = isakmp_first(md->d, ISAKMP_PT_N);
	char nb[ISAKMP_NAME_BUFLEN];
	md->eng->st.dropped++;
	if (p->keyed || !n) {
		log_warning("ike", "unprotected informational message ignored (an ISAKMP SA "
			    "exists or nothing to act on)");
		return;
	}
	const char *name = isakmp_name_num(ISAKMP_NAMES_NOTIFY, n->u.n.type, nb);
	if (p->initiator && (p->state == PH1_MM_I1_SENT || p->state == PH1_AM_I1_SENT) &&
	    n->u.n.type < 16384) {
		ike_ph1_fail(p, name);
		return;
	}
	log_info("ike", "unprotected notify %s ignored", name);
}

static void delete_ipsec(struct ike_md *md, const struct isakmp_delete *d)
{
	struct ike_ph1 *p = md->ph1;
	if (d->spi_len != 4)
		return;
	for (unsigned i = 0; i < d->nspis; i++) {
		const uint8_t *s = d->spis + 4 * i;
		uint32_t spi = (uint32_t)s[0] << 24 | (uint32_t)s[1] << 16 | (uint32_t)s[2] << 8 | s[3];
		struct ike_ph2 *q = ike_ph2_by_spi(md->eng, spi, d->proto, true, NULL);
		/* Only the peer the SA was negotiated with may delete it. */
		if (!q || !addr_equal_port(&q->req.remote, &p->remote)) {
			log_info("ike", "Delete for unknown SPI %08x ignored", spi);
			continue;
		}
		ike_ph2_delete(q, false, "Delete payload from the peer");
	}
}

static void take_delete(struct ike_md *md, const struct isakmp_payload *pl)
{
	const struct isakmp_delete *d = &pl->u.d;
	struct ike_ph1 *p = md->ph1;
	if (d->proto != ISAKMP_PROTO_ISAKMP) {
		delete_ipsec(md, d);
		return;
	}
	if (d->spi_len != 16)
		return;
	for (unsigned i = 0; i < d->nspis; i++) {
		const uint8_t *ck = d->spis + 16 * i;
		struct ike_ph1 *o = ike_ph1_by_cookies(md->eng, ck, ck + 8);
		if (o == p)
			md->kill_ph1 = true;
		else if (o && addr_equal_port(&o->remote, &p->remote))
			ike_ph1_delete(o, false, "Delete payload from the peer");
	}
}

/* RFC 3706: we advertise DPD, so we answer R-U-THERE with the same sequence number. */
static void dpd_ack(struct ike_ph1 *p, const struct isakmp_notify_pl *n)
{
	if (n->len != 4 || n->spi_len != 16)
		return;
	struct notify_arg a = { ISAKMP_PROTO_ISAKMP, ISAKMP_N_R_U_THERE_ACK, n->spi, 16,
				n->data, 4 };
	send_protected(p, add_notify, &a);
}

enum ike_stf info_inN_D(struct ike_md *md)
{
	struct ike_ph1 *p = md->ph1;
	const struct isakmp_payload *h;
	struct buf rest;
	uint8_t want[CRYPTO_MAX_DIGEST];
	char nb[ISAKMP_NAME_BUFLEN];
	if (!ike_msg_hashed_rest(md->d, &h, &rest) || h->len != p->hash->digest_len ||
	    oakley_qm_hash1(p->hash, &p->keys.a, md->d->hdr.msgid, &rest, want) < 0 ||
	    !buf_equal_ct(want, h->body, h->len)) {
		log_warning("ike", "informational message with a bad HASH(1) ignored");
		return STF_IGNORE;
	}
	for (unsigned i = 0; i < md->d->npayloads; i++) {
		const struct isakmp_payload *pl = &md->d->payloads[i];
		if (pl->type == ISAKMP_PT_D) {
			take_delete(md, pl);
		} else if (pl->type == ISAKMP_PT_N) {
			uint16_t t = pl->u.n.type;
			bool dpd = t == ISAKMP_N_R_U_THERE || t == ISAKMP_N_R_U_THERE_ACK;
			LOG_AT(dpd ? LL_DEBUG : LL_INFO, "ike", NULL, NULL, "notify %s received",
			       isakmp_name_num(ISAKMP_NAMES_NOTIFY, t, nb));
			if (t == ISAKMP_N_INITIAL_CONTACT) {
				ike_ph1_purge_old(p);
			} else if (t == ISAKMP_N_R_U_THERE) {
				ike_dpd_peer_probe(p, &pl->u.n);
				dpd_ack(p, &pl->u.n);
			} else if (t == ISAKMP_N_R_U_THERE_ACK) {
				ike_dpd_ack(p, &pl->u.n);
			}
		}
	}
	return STF_OK;
}
