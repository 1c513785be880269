/* quick: Quick Mode, RFC 2409 5.5 (PFS with KE; client IDs always sent):
 *
 *   Initiator                               Responder
 *   HDR*, HASH(1), SA, Ni [, KE] [, IDci, IDcr] -->            quick_outI1
 *                    <-- HDR*, HASH(2), SA, Nr [, KE] [, IDci, IDcr]
 *                                                              quick_inI1_outR1
 *   HDR*, HASH(3)                           -->                quick_inR1_outI2
 *                                                              quick_inI2
 * With the commit bit set by the responder, the initiator installs only after the
 * responder's CONNECTED notify (quick_inR3_connected). Both sides wait for the kernel's
 * SPIs before they send their SA payload (states *_SPI_WAIT).
 */
#include <errno.h>
#include <string.h>

#include "crypto/oakley.h"
#include "ike/crypt.h"
#include "ike/handlers.h"
#include "ike/hashmsg.h"
#include "ike/lifecycle.h"
#include "ike/phase1.h"
#include "ike/phase2/p2.h"
#include "ike/phase2/policy.h"

#define USEC 1000000ull

/* ---- starting ------------------------------------------------------------------- */

static void set_protos(struct ike_ph2 *q)
{
	q->np = 0;
	if (q->req.order[0]) { /* from the policy's templates (ike.h) */
		for (unsigned i = 0; i < sizeof(q->req.order) && q->req.order[i]; i++)
			q->p[q->np++].proto = q->req.order[i];
	} else {
		if (q->req.esp)
			q->p[q->np++].proto = ISAKMP_PROTO_IPSEC_ESP;
		if (q->req.ah)
			q->p[q->np++].proto = ISAKMP_PROTO_IPSEC_AH;
		if (q->req.ipcomp)
			q->p[q->np++].proto = ISAKMP_PROTO_IPCOMP;
	}
	for (unsigned i = 0; i < q->np; i++)
		q->p[i].owner = q;
}

/* The ISAKMP SA is up: pick the sainfo, get SPIs. */
static int begin(struct ike_ph2 *q)
{
	const struct conf_sainfo *si = ike_sainfo_find(q->eng, &q->req);
	if (!si) {
		ike_ph2_fail(q, "no sainfo {} matches the traffic");
		return -ENOENT;
	}
	ike_ph2_load_conf(q, si);
	q->encap = q->req.tunnel ? IPSEC_ENCAP_TUNNEL : IPSEC_ENCAP_TRANSPORT;
	char why[320];
	if (!ike_p2_offerable(q, why, sizeof(why))) { /* before any SPI is taken */
		ike_ph2_fail(q, why);
		return -ENOTSUP;
	}
	ike_ph2_set_state(q, PH2_QM_I_SPI_WAIT);
	int r = ike_ph2_get_spis(q);
	if (r < 0)
		ike_ph2_fail(q, "SPI allocation failed");
	return r;
}

void ike_ph2_ph1_ready(struct ike_ph1 *p)
{
	struct ike_link *l = p->ph2s.next;
	while (l != &p->ph2s) {
		struct ike_ph2 *q = ike_link_entry(l, struct ike_ph2, in_ph1);
		l = l->next;
		if (q->state == PH2_QM_I_PH1_WAIT) {
			memcpy(q->ck, p->icookie, 8);
			memcpy(q->ck + 8, p->rcookie, 8);
			begin(q);
		}
	}
}

static struct ike_ph1 *ph1_in_progress(struct ike_engine *e, const union sockaddr_any *remote)
{
	struct ike_peer *peer = ike_peer_get(e, remote, false);
	if (!peer)
		return NULL;
	for (struct ike_link *l = peer->ph1s.next; l != &peer->ph1s; l = l->next) {
		struct ike_ph1 *p = ike_link_entry(l, struct ike_ph1, by_peer);
		if (p->initiator && !p->keyed && addr_equal(&p->remote, remote) && !p->dead)
			return p;
	}
	return NULL;
}

int ike_ph2_start(struct ike_engine *e, const struct ike_ph2_request *r, struct ike_ph2 *old)
{
	struct ike_ph2_request req = *r;
	if (!addr_port(&req.remote))
		addr_set_port(&req.remote, e->o.isakmp_port);
	if (!addr_port(&req.local))
		addr_set_port(&req.local, e->o.isakmp_port);
	if (!req.esp && !req.ah)
		return -EINVAL;
	struct ike_ph1 *p = ike_ph1_find_established(e, &req.local, &req.remote);
	bool up = p != NULL;
	if (!p)
		p = ph1_in_progress(e, &req.remote);
	if (p && !up && ike_ph2_queue_full(p)) {
		log_warning("ike", "%u Quick Modes already wait for this Phase 1: request dropped",
			    IKE_MAX_QUEUED_QM);
		return -ENOBUFS;
	}
	if (!p) {
		int rc = ike_ph1_start(e, &req.local, &req.remote, req.remote_name, &p);
		if (rc < 0)
			return rc;
	}
	struct ike_ph2 *q = ike_ph2_new(e, p, true);
	if (!q)
		return -ENOMEM;
	q->req = req;
	q->rekey_of = old;
	if (old) {
		old->replaced = true;
		old->rekey_by = q;
	}
	set_protos(q);
	q->state = PH2_QM_I_PH1_WAIT;
	uint64_t lim = (uint64_t)(p->cf.phase2_s + (up ? 0 : p->cf.phase1_s)) * USEC;
	ike_timer_arm(&e->timers, &q->t_neg, lim);
	if (up)
		return begin(q) < 0 ? -EIO : 0;
	return 0;
}

int ike_engine_initiate_ph2(struct ike_engine *e, const struct ike_ph2_request *r)
{
	return ike_ph2_start(e, r, NULL);
}

int ike_engine_initiate_ph1(struct ike_engine *e, const union sockaddr_any *local,
			    const union sockaddr_any *remote, const char *remote_name)
{
	union sockaddr_any l = *local, rm = *remote;
	if (!addr_port(&l))
		addr_set_port(&l, e->o.isakmp_port);
	if (!addr_port(&rm))
		addr_set_port(&rm, e->o.isakmp_port);
	return ike_ph1_start(e, &l, &rm, remote_name, NULL);
}

/* ---- shared pieces -------------------------------------------------------------- */

static int make_nonce_ke(struct ike_ph2 *q, struct buf *nonce)
{
	size_t n = q->ph1->cf.nonce_size;
	buf_free(nonce);
	if (buf_init(nonce, n) < 0 || !buf_reserve(nonce, n))
		return -ENOMEM;
	int r = ike_rand(q->eng, nonce->ptr, n);
	if (r == 0 && q->pfs) {
		buf_free(&q->dh_priv);
		buf_free(&q->dh_pub);
		r = dh_keygen(q->pfs, 0, &q->dh_priv, &q->dh_pub);
	}
	return r;
}

static void put_ids(struct ike_ph2 *q, struct isakmp_builder *b)
{
	isakmp_build_begin(b, ISAKMP_PT_ID);
	isakmp_build_put(b, q->idci.ptr, q->idci.len);
	isakmp_build_end(b);
	isakmp_build_begin(b, ISAKMP_PT_ID);
	isakmp_build_put(b, q->idcr.ptr, q->idcr.len);
	isakmp_build_end(b);
}

/* An ID body for a selector side: host address or subnet. */
static int make_id(struct buf *out, const union sockaddr_any *a, unsigned plen, uint8_t proto,
		   uint16_t port)
{
	size_t n;
	const uint8_t *b = addr_bytes(a, &n);
	if (!b)
		return -EAFNOSUPPORT;
	bool host = plen == 0 || plen == n * 8;
	buf_free(out);
	if (buf_init(out, 4 + 2 * n) < 0)
		return -ENOMEM;
	buf_put_u8(out, n == 4 ? (host ? ISAKMP_ID_IPV4_ADDR : ISAKMP_ID_IPV4_ADDR_SUBNET)
			       : (host ? ISAKMP_ID_IPV6_ADDR : ISAKMP_ID_IPV6_ADDR_SUBNET));
	buf_put_u8(out, proto);
	buf_put_u16(out, port);
	buf_put_bytes(out, b, n);
	if (!host) {
		uint8_t m[16] = { 0 };
		for (unsigned i = 0; i < plen && i < n * 8; i++)
			m[i / 8] |= (uint8_t)(0x80 >> (i % 8));
		buf_put_bytes(out, m, n);
	}
	return buf_ok(out) ? 0 : -EMSGSIZE;
}

/* The peer's PFS public value, then g^xy. ISAKMP_N_* or 0. */
static uint16_t take_ke(struct ike_ph2 *q, const struct isakmp_digest *d)
{
	const struct isakmp_payload *ke = isakmp_first(d, ISAKMP_PT_KE);
	if (!q->pfs)
		return ke ? ISAKMP_N_INVALID_PAYLOAD_TYPE : 0;
	if (!ke || isakmp_next(d, ke))
		return ISAKMP_N_INVALID_KEY_INFORMATION;
	struct buf v = buf_view(ke->body, ke->len);
	buf_free(&q->dh_peer);
	buf_free(&q->gxy);
	if (buf_dup(&q->dh_peer, ke->body, ke->len, false) < 0 ||
	    dh_shared(q->pfs, &q->dh_priv, &v, &q->gxy) < 0)
		return ISAKMP_N_INVALID_KEY_INFORMATION;
	buf_free(&q->dh_priv);
	return 0;
}

static bool take_nonce(struct buf *dst, const struct isakmp_digest *d)
{
	const struct isakmp_payload *n = isakmp_first(d, ISAKMP_PT_NONCE);
	if (!n || isakmp_next(d, n) || n->len < 8 || n->len > 256)
		return false;
	buf_free(dst);
	return buf_dup(dst, n->body, n->len, false) == 0;
}

/* HASH(1) (with_ni false) or HASH(2) over the message's rest. */
static bool verify_hash12(struct ike_ph2 *q, const struct isakmp_digest *d, bool hash2)
{
	struct ike_ph1 *p = q->ph1;
	const struct isakmp_payload *h;
	struct buf rest;
	uint8_t want[CRYPTO_MAX_DIGEST];
	if (!ike_msg_hashed_rest(d, &h, &rest) || h->len != p->hash->digest_len)
		return false;
	int r = hash2 ? oakley_qm_hash2(p->hash, &p->keys.a, q->msgid, &q->ni, &rest, want)
		      : oakley_qm_hash1(p->hash, &p->keys.a, q->msgid, &rest, want);
	return r >= 0 && buf_equal_ct(want, h->body, h->len);
}

/* ---- initiator ------------------------------------------------------------------ */

int quick_outI1(struct ike_ph2 *q)
{
	struct ike_ph1 *p = q->ph1;
	struct isakmp_builder b;
	struct buf msg = { 0 };
	size_t hoff, hl = p->hash->digest_len;
	uint32_t msgid = 0;
	while (!msgid || ike_ph1_msgid_seen(p, msgid))
		if (ike_rand(q->eng, &msgid, sizeof(msgid)) < 0)
			return -EIO;
	ike_ph2_set_msgid(q, msgid);
	ike_ph1_msgid_remember(p, msgid);
	q->pfs = q->cf.pfs_group ? dh_group_by_id((uint16_t)q->cf.pfs_group) : NULL;
	if (q->cf.pfs_group && !q->pfs)
		return -EINVAL;
	int r = make_nonce_ke(q, &q->ni);
	if (r == 0)
		r = make_id(&q->idci, &q->req.src, q->req.src_plen, q->req.ulproto, q->req.sport);
	if (r == 0)
		r = make_id(&q->idcr, &q->req.dst, q->req.dst_plen, q->req.ulproto, q->req.dport);
	if (r == 0)
		r = ike_msg_begin_hashed(&b, &msg, q->ck, ISAKMP_EXCH_QUICK, msgid, hl, &hoff);
	if (r == 0)
		r = ike_p2_build_sa(q, &b);
	if (r == 0) {
		isakmp_build_data(&b, ISAKMP_PT_NONCE, q->ni.ptr, q->ni.len);
		if (q->pfs)
			isakmp_build_data(&b, ISAKMP_PT_KE, q->dh_pub.ptr, q->dh_pub.len);
		put_ids(q, &b);
		r = isakmp_build_finish(&b);
	}
	struct buf rest = ike_msg_rest_after(&msg, hoff, hl);
	/* oakley_qm_hash* return the digest length on success (not 0 as oakley.h says). */
	if (r == 0 && oakley_qm_hash1(p->hash, &p->keys.a, msgid, &rest, msg.ptr + hoff) < 0)
		r = -EINVAL;
	if (r == 0)
		r = oakley_iv_msgid(p->hash, &p->iv, msgid, &q->iv);
	if (r < 0) {
		buf_free(&msg);
		return r;
	}
	ike_ph2_set_state(q, PH2_QM_I1_SENT);
	return ike_ph2_send_msg(q, &msg, true);
}

void quick_spi_ready(struct ike_ph2 *q)
{
	if (q->initiator) {
		int r = quick_outI1(q);
		if (r < 0) {
			log_debug("ike", "quick_outI1: %s", strerror(-r));
			ike_ph2_fail(q, "cannot build the first Quick Mode message");
		}
		return;
	}
	/* Responder: the SPIs complete quick_inI1_outR1. */
	struct ike_ph1 *p = q->ph1;
	struct isakmp_builder b;
	struct buf msg = { 0 };
	size_t hoff, hl = p->hash->digest_len;
	int r = ike_msg_begin_hashed(&b, &msg, q->ck, ISAKMP_EXCH_QUICK, q->msgid, hl, &hoff);
	if (r == 0)
		r = ike_p2_build_reply(q, &b);
	if (r == 0) {
		isakmp_build_data(&b, ISAKMP_PT_NONCE, q->nr.ptr, q->nr.len);
		if (q->pfs)
			isakmp_build_data(&b, ISAKMP_PT_KE, q->dh_pub.ptr, q->dh_pub.len);
		if (q->has_ids)
			put_ids(q, &b);
		r = isakmp_build_finish(&b);
	}
	struct buf rest = ike_msg_rest_after(&msg, hoff, hl);
	if (r == 0)
		r = oakley_qm_hash2(p->hash, &p->keys.a, q->msgid, &q->ni, &rest, msg.ptr + hoff);
	if (r < 0) {
		buf_free(&msg);
		ike_ph2_fail(q, "cannot build the Quick Mode answer");
		return;
	}
	/* Our inbound SAs exist before the initiator can use its outbound ones. */
	if (ike_ph2_install_inbound(q) < 0) {
		buf_free(&msg);
		ike_ph2_fail(q, "cannot install the inbound SAs");
		return;
	}
	if (q->commit)
		msg.ptr[19] |= ISAKMP_FLAG_C;
	ike_ph2_set_state(q, PH2_QM_R1_SENT);
	ike_ph2_send_msg(q, &msg, true);
}

static enum ike_stf send_hash3(struct ike_md *md)
{
	struct ike_ph2 *q = md->ph2;
	struct ike_ph1 *p = q->ph1;
	struct isakmp_builder b;
	size_t hoff, hl = p->hash->digest_len;
	if (ike_msg_begin_hashed(&b, &md->reply, q->ck, ISAKMP_EXCH_QUICK, q->msgid, hl, &hoff) < 0 ||
	    isakmp_build_finish(&b) < 0 ||
	    oakley_qm_hash3(p->hash, &p->keys.a, q->msgid, &q->ni, &q->nr, md->reply.ptr + hoff) < 0)
		return STF_FATAL;
	return STF_OK;
}

enum ike_stf quick_inR1_outI2(struct ike_md *md)
{
	struct ike_ph2 *q = md->ph2;
	const struct isakmp_digest *d = md->d;
	if (!verify_hash12(q, d, true)) {
		log_warning("ike", "Quick Mode answer with a bad HASH(2) ignored");
		return STF_IGNORE;
	}
	const struct isakmp_payload *sa = isakmp_first(d, ISAKMP_PT_SA);
	if (isakmp_next(d, sa) || !take_nonce(&q->nr, d))
		return STF_IGNORE;
	uint16_t n = ike_p2_accept(q, sa);
	if (!n)
		n = take_ke(q, d);
	if (n) {
		md->notify = n;
		return STF_FAIL;
	}
	for (const struct isakmp_payload *np = isakmp_first(d, ISAKMP_PT_N); np;
	     np = isakmp_next(d, np)) {
		uint32_t l = np->u.n.type == ISAKMP_N_RESPONDER_LIFETIME
				     ? ike_p2_responder_lifetime(&np->u.n) : 0;
		if (l && l < q->lifetime_s) {
			log_info("ike", "RESPONDER-LIFETIME: using %u s", l);
			q->lifetime_s = l;
		}
	}
	enum ike_stf r = send_hash3(md);
	if (r != STF_OK)
		return r;
	/* Inbound now; outbound goes in as HASH(3) leaves (the responder installed its
	 * inbound SAs when it sent QM2, so nothing we send can arrive before them). */
	if (ike_ph2_install_inbound(q) < 0)
		return STF_FATAL;
	if (d->hdr.flags & ISAKMP_FLAG_C) {
		/* The responder asks us to wait for CONNECTED before using the SAs. */
		q->commit = true;
		ike_ph2_set_state(q, PH2_QM_I_COMMIT);
		return STF_OK;
	}
	return ike_ph2_install(q) < 0 ? STF_FATAL : STF_OK;
}

enum ike_stf quick_inR3_connected(struct ike_md *md)
{
	struct ike_ph2 *q = md->ph2;
	const struct isakmp_payload *n = isakmp_first(md->d, ISAKMP_PT_N);
	if (!verify_hash12(q, md->d, false) || !n || n->u.n.type != ISAKMP_N_CONNECTED)
		return STF_IGNORE;
	return ike_ph2_install(q) < 0 ? STF_FATAL : STF_OK;
}

/* ---- responder ------------------------------------------------------------------ */

struct ike_ph2 *ike_ph2_new_responder(struct ike_ph1 *p, uint32_t msgid)
{
	struct ike_ph2 *q = ike_ph2_new(p->eng, p, false);
	if (!q)
		return NULL;
	q->state = PH2_QM_R_START;
	q->req.local = p->local;
	q->req.remote = p->remote;
	ike_ph2_set_msgid(q, msgid);
	if (oakley_iv_msgid(p->hash, &p->iv, msgid, &q->iv) < 0) {
		ike_ph2_free(q);
		return NULL;
	}
	ike_timer_arm(&p->eng->timers, &q->t_neg, (uint64_t)p->cf.phase2_s * USEC);
	return q;
}

/* Selectors from the IDs (IDci = the peer's side, IDcr = ours), or the IKE addresses. */
static uint16_t take_ids(struct ike_ph2 *q, const struct isakmp_digest *d)
{
	const struct isakmp_payload *ic = isakmp_first(d, ISAKMP_PT_ID);
	const struct isakmp_payload *ir = ic ? isakmp_next(d, ic) : NULL;
	struct ike_ph2_request *r = &q->req;
	r->src = r->local;
	r->dst = r->remote;
	addr_set_port(&r->src, 0);
	addr_set_port(&r->dst, 0);
	r->src_plen = r->dst_plen = r->src.sa.sa_family == AF_INET ? 32 : 128;
	if (!ic)
		return 0;
	if (!ir || isakmp_next(d, ir) || ic->len > IKE_ID_MAX || ir->len > IKE_ID_MAX)
		return ISAKMP_N_INVALID_ID_INFORMATION;
	union sockaddr_any a, m;
	const struct isakmp_id *ids[2] = { &ir->u.id, &ic->u.id };
	for (int i = 0; i < 2; i++) {
		const struct isakmp_id *id = ids[i];
		int plen;
		if (isakmp_id_addrs(id, &a, &m) < 0)
			return ISAKMP_N_INVALID_ID_INFORMATION;
		if (id->type == ISAKMP_ID_IPV4_ADDR || id->type == ISAKMP_ID_IPV6_ADDR)
			plen = id->type == ISAKMP_ID_IPV4_ADDR ? 32 : 128;
		else if (id->type == ISAKMP_ID_IPV4_ADDR_SUBNET || id->type == ISAKMP_ID_IPV6_ADDR_SUBNET)
			plen = isakmp_id_prefixlen(id);
		else
			return ISAKMP_N_INVALID_ID_INFORMATION;
		if (plen < 0)
			return ISAKMP_N_INVALID_ID_INFORMATION;
		*(i ? &r->dst : &r->src) = a;
		*(i ? &r->dst_plen : &r->src_plen) = (uint8_t)plen;
		*(i ? &r->dport : &r->sport) = id->port;
		r->ulproto = id->protocol;
	}
	if (buf_dup(&q->idci, ic->body, ic->len, false) < 0 ||
	    buf_dup(&q->idcr, ir->body, ir->len, false) < 0)
		return ISAKMP_N_PAYLOAD_MALFORMED;
	q->has_ids = true;
	return 0;
}

enum ike_stf quick_inI1_outR1(struct ike_md *md)
{
	struct ike_ph2 *q = md->ph2;
	const struct isakmp_digest *d = md->d;
	if (!verify_hash12(q, d, false)) {
		log_warning("ike", "Quick Mode message with a bad HASH(1) ignored");
		return STF_IGNORE;
	}
	const struct isakmp_payload *sa = isakmp_first(d, ISAKMP_PT_SA);
	if (isakmp_next(d, sa) || !take_nonce(&q->ni, d))
		return STF_IGNORE;
	uint16_t n = take_ids(q, d);
	const struct conf_sainfo *si = n ? NULL : ike_sainfo_find(q->eng, &q->req);
	if (!n && !si) {
		log_error("ike", "no sainfo {} matches the peer's Quick Mode IDs");
		n = ISAKMP_N_INVALID_ID_INFORMATION;
	}
	if (!n) {
		ike_ph2_load_conf(q, si);
		n = ike_p2_select(q, sa);
	}
	if (!n)
		q->req.tunnel = q->encap == IPSEC_ENCAP_TUNNEL;
	if (!n)
		n = ike_ph2_policy_check(q);
	if (!n && make_nonce_ke(q, &q->nr) < 0)
		return STF_FATAL;
	if (!n)
		n = take_ke(q, d);
	if (n) {
		log_error("ike", "Quick Mode from peer refused (notify %u)", n);
		md->notify = n;
		return STF_FAIL;
	}
	/* The initiator asks for the commit protocol: we answer with C set and send
	 * CONNECTED once HASH(3) is in (RFC 2408 3.1, 4.8). */
	q->commit = (d->hdr.flags & ISAKMP_FLAG_C) != 0;
	ike_ph2_set_state(q, PH2_QM_R_SPI_WAIT);
	/* The answer may go out from inside get_spis (-Z): chain the IV through I1 now. */
	q->iv = md->iv_after;
	if (ike_ph2_get_spis(q) < 0)
		return STF_FATAL;
	return STF_SUSPEND;
}

/* HDR*, HASH(4), N(CONNECTED): HASH(4) has the shape of HASH(1). */
static enum ike_stf send_connected(struct ike_md *md)
{
	struct ike_ph2 *q = md->ph2;
	struct ike_ph1 *p = q->ph1;
	struct isakmp_builder b;
	size_t hoff, hl = p->hash->digest_len;
	const struct ike_ph2_proto *pp = &q->p[0];
	uint8_t spi[4] = { (uint8_t)(pp->spi_in >> 24), (uint8_t)(pp->spi_in >> 16),
			   (uint8_t)(pp->spi_in >> 8), (uint8_t)pp->spi_in };
	if (ike_msg_begin_hashed(&b, &md->reply, q->ck, ISAKMP_EXCH_QUICK, q->msgid, hl, &hoff) < 0)
		return STF_FATAL;
	isakmp_build_notify(&b, ISAKMP_DOI_IPSEC, pp->proto, ISAKMP_N_CONNECTED, spi, 4, NULL, 0);
	if (isakmp_build_finish(&b) < 0)
		return STF_FATAL;
	struct buf rest = ike_msg_rest_after(&md->reply, hoff, hl);
	if (oakley_qm_hash1(p->hash, &p->keys.a, q->msgid, &rest, md->reply.ptr + hoff) < 0)
		return STF_FATAL;
	md->reply.ptr[19] |= ISAKMP_FLAG_C;
	return STF_OK;
}

enum ike_stf quick_inI2(struct ike_md *md)
{
	struct ike_ph2 *q = md->ph2;
	struct ike_ph1 *p = q->ph1;
	const struct isakmp_payload *h = isakmp_first(md->d, ISAKMP_PT_HASH);
	uint8_t want[CRYPTO_MAX_DIGEST];
	if (!h || isakmp_next(md->d, h) || h->len != p->hash->digest_len ||
	    oakley_qm_hash3(p->hash, &p->keys.a, q->msgid, &q->ni, &q->nr, want) < 0 ||
	    !buf_equal_ct(want, h->body, h->len)) {
		log_warning("ike", "Quick Mode message with a bad HASH(3) ignored");
		return STF_IGNORE;
	}
	if (ike_ph2_install(q) < 0)
		return STF_FATAL;
	return q->commit ? send_connected(md) : STF_OK;
}

/* ---- established ---------------------------------------------------------------- */

void ike_ph2_established(struct ike_ph2 *q)
{
	ike_ph2_arm_lifetime(q);
	/* Free what only the negotiation needed. */
	buf_free(&q->dh_priv);
	buf_free(&q->gxy);
	struct ike_ph2 *old = q->rekey_of;
	if (old) {
		/* The replaced SA goes after a grace period (in-flight packets), or at its hard
		 * lifetime if that comes first: the peer's copy expires then too. */
		q->rekey_of = NULL;
		old->rekey_by = NULL;
		old->replaced = true;
		ike_timer_arm_by(&q->eng->timers, &old->t_hard, (uint64_t)IKE_REKEY_GRACE_S * USEC);
	}
}
