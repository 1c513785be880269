/* input: a received datagram -> the SA it belongs to -> its transition row -> handler.
 *
 * Order of checks (cheap and unauthenticated first): parse the header, find the SA by
 * cookies / message id (never create anything for a message that claims an SA we do not
 * have), answer exact duplicates from the cache, decrypt with a copy of the IV, parse
 * the body, check payloads against the row, then run the handler. The SA's IV and
 * duplicate cache change only when the handler accepted the message, so forged or
 * garbled messages leave no trace.
 */
#include <errno.h>
#include <string.h>

#include "ike/crypt.h"
#include "ike/info.h"
#include "ike/lifecycle.h"
#include "ike/phase1.h"
#include "ike/phase2.h"
#include "ike/sa.h"
#include "isakmp/names.h"

static const uint8_t zero8[8];

static void drop(struct ike_engine *e, const union sockaddr_any *remote, const char *why)
{
	char a[ADDR_PORT_STRLEN];
	e->st.dropped++;
	log_info("ike", "dropped a message from %s: %s", addr_ntop_port(remote, a), why);
}

/* Every payload must be required or optional for the row, every required one present. */
static bool payloads_ok(struct ike_md *md)
{
	const struct isakmp_digest *d = md->d;
	uint64_t allowed = md->t->req | md->t->opt, seen = 0;
	for (unsigned i = 0; i < d->npayloads; i++) {
		uint64_t b = ike_pbit(d->payloads[i].type);
		if (!(b & allowed)) {
			char nb[ISAKMP_NAME_BUFLEN];
			log_info("ike", "%s: unexpected %s payload", md->t->name,
				 isakmp_name_num(ISAKMP_NAMES_PAYLOAD, d->payloads[i].type, nb));
			return false;
		}
		seen |= b;
	}
	if ((seen & md->t->req) != md->t->req) {
		log_info("ike", "%s: a required payload is missing", md->t->name);
		return false;
	}
	return true;
}

/* Decrypt and parse the body; plain holds the plaintext the digest points into. */
static bool open_body(struct ike_md *md, const struct crypto_cipher *c, const struct buf *key,
		      const struct oakley_iv *iv, struct buf *plain)
{
	struct isakmp_digest *d = md->d;
	if (!c || !key->len)
		return false;
	if (ike_decrypt(c, key, iv, d->encrypted, d->encrypted_len, plain, &md->iv_after) < 0) {
		log_info("ike", "encrypted body of %zu bytes is not whole cipher blocks",
			 d->encrypted_len);
		return false;
	}
	enum isakmp_perr pe = isakmp_parse_body(d, plain->ptr, plain->len);
	if (pe != ISAKMP_PERR_OK) {
		log_info("ike", "decrypted body does not parse (%s): wrong key or forged",
			 isakmp_perr_name(pe));
		return false;
	}
	md->plain = plain->ptr;
	md->plain_len = plain->len;
	return true;
}

static void ph1_result(struct ike_md *md, enum ike_stf r, bool fresh, const uint8_t *rc_pending)
{
	struct ike_ph1 *p = md->ph1;
	struct ike_engine *e = md->eng;
	switch (r) {
	case STF_OK:
	case STF_SUSPEND:
		if (md->d->encrypted)
			p->iv = md->iv_after;
		p->x.last_rx_hash = md->rx_hash;
		p->x.have_rx = true;
		p->x.answers_rx = md->reply.len != 0 || r == STF_SUSPEND;
		if (rc_pending)
			ike_ph1_set_rcookie(p, rc_pending);
		if (r == STF_SUSPEND)
			break;
		ike_ph1_set_state(p, md->t->to);
		if (md->reply.len)
			ike_ph1_send_msg(p, &md->reply, md->reply_encrypt,
					 md->t->timer == IKE_T_RETRANSMIT);
		else
			ike_timer_cancel(&e->timers, &p->t_retrans);
		if (md->t->to == PH1_ESTABLISHED) {
			ike_ph1_established(p);
			ike_emit_ph1(p, IKE_EV_PH1_UP, NULL);
		}
		break;
	case STF_IGNORE:
		e->st.dropped++;
		if (fresh)
			ike_ph1_free(p);
		break;
	case STF_FAIL:
	case STF_FATAL:
		if (r == STF_FAIL && md->notify)
			ike_info_send_notify_ph1(p, md->notify);
		ike_ph1_fail(p, md->t->name);
		break;
	}
}

static void run_ph1(struct ike_md *md, bool fresh, const uint8_t *rc_pending)
{
	struct ike_ph1 *p = md->ph1;
	struct ike_engine *e = md->eng;
	struct isakmp_digest *d = md->d;
	if (p->x.have_rx && p->x.last_rx_hash == md->rx_hash) {
		e->st.duplicates++;
		log_debug("ike", "duplicate Phase 1 message%s",
			  p->x.answers_rx ? ": resending our answer" : " ignored");
		if (p->x.answers_rx)
			ike_xmit_resend(e, &p->x, &p->local, &p->remote, p->cf.persend);
		return;
	}
	md->t = ike_transition_find(p->state, d->hdr.exchange, p->auth);
	if (!md->t) {
		drop(e, md->remote, "no transition for this message in this state");
		if (fresh)
			ike_ph1_free(p);
		return;
	}
	struct buf plain = { 0 };
	bool ok = true;
	if (d->encrypted)
		ok = p->keyed && open_body(md, p->cipher, &p->enc_key, &p->iv, &plain);
	else if (md->t->enc_in)
		ok = false;
	if (ok)
		ok = payloads_ok(md);
	if (!ok) {
		drop(e, md->remote, md->t->name);
		if (fresh)
			ike_ph1_free(p);
		buf_free(&plain);
		return;
	}
	md->ph1 = p;
	enum ike_stf r = md->t->handler(md);
	ph1_result(md, r, fresh, rc_pending);
	buf_free(&md->reply);
	buf_free(&plain);
}

static void input_ph1(struct ike_md *md)
{
	struct ike_engine *e = md->eng;
	const struct isakmp_hdr *h = &md->d->hdr;
	struct ike_ph1 *p;
	if (h->msgid != 0) { /* RFC 2408 3.1: Phase 1 messages carry message id 0 */
		drop(e, md->remote, "Phase 1 message with a message id");
		return;
	}
	if (!memcmp(h->rcookie, zero8, 8)) {
		p = ike_ph1_by_icookie(e, h->icookie, md->remote);
		if (p && p->initiator) {
			drop(e, md->remote, "our own cookie without a responder cookie");
			return;
		}
		if (p) {
			md->ph1 = p;
			run_ph1(md, false, NULL);
			return;
		}
		if (md->d->encrypted) {
			drop(e, md->remote, "encrypted first message");
			return;
		}
		p = ike_ph1_new_responder(e, md->local, md->remote, h);
		if (!p)
			return;
		md->ph1 = p;
		run_ph1(md, true, NULL);
		return;
	}
	p = ike_ph1_by_cookies(e, h->icookie, h->rcookie);
	if (p) {
		md->ph1 = p;
		run_ph1(md, false, NULL);
		return;
	}
	/* The first answer to our first message: bind CKY-R only if it is accepted. */
	p = ike_ph1_by_icookie(e, h->icookie, md->remote);
	if (p && p->initiator && !p->in_cookies &&
	    (p->state == PH1_MM_I1_SENT || p->state == PH1_AM_I1_SENT) && !md->d->encrypted) {
		md->ph1 = p;
		run_ph1(md, false, h->rcookie);
		return;
	}
	drop(e, md->remote, "unknown cookies");
}

static void ph2_result(struct ike_md *md, enum ike_stf r, bool fresh)
{
	struct ike_ph2 *q = md->ph2;
	struct ike_engine *e = md->eng;
	switch (r) {
	case STF_OK:
	case STF_SUSPEND:
		if (q->ph1)
			ike_dpd_alive(q->ph1); /* an authenticated Quick Mode message */
		if (r == STF_OK) /* a suspended handler chained the IV itself */
			q->iv = md->iv_after;
		q->x.last_rx_hash = md->rx_hash;
		q->x.have_rx = true;
		q->x.answers_rx = md->reply.len != 0 || r == STF_SUSPEND;
		if (fresh && q->ph1)
			ike_ph1_msgid_remember(q->ph1, q->msgid);
		if (r == STF_SUSPEND)
			break;
		bool was_up = q->state == PH2_ESTABLISHED;
		if (q->state == md->t->from)
			ike_ph2_set_state(q, md->t->to);
		/* Waiting for CONNECTED, HASH(3) is resent until it comes. */
		if (md->reply.len)
			ike_ph2_send_msg(q, &md->reply,
					 (md->t->timer == IKE_T_RETRANSMIT &&
					  q->state != PH2_ESTABLISHED) || q->state == PH2_QM_I_COMMIT);
		else
			ike_timer_cancel(&e->timers, &q->t_retrans);
		if (q->state == PH2_ESTABLISHED)
			ike_ph2_established(q);
		if (q->state == PH2_ESTABLISHED && !was_up)
			ike_emit_ph2(q, IKE_EV_PH2_UP, NULL);
		break;
	case STF_IGNORE:
		e->st.dropped++;
		if (fresh)
			ike_ph2_free(q);
		break;
	case STF_FAIL:
	case STF_FATAL:
		if (r == STF_FAIL && md->notify && q->ph1)
			ike_info_send_notify_ph1(q->ph1, md->notify);
		ike_ph2_fail(q, md->t->name);
		break;
	}
}

static void run_ph2(struct ike_md *md, bool fresh)
{
	struct ike_ph2 *q = md->ph2;
	struct ike_ph1 *p = md->ph1;
	struct ike_engine *e = md->eng;
	if (q->x.have_rx && q->x.last_rx_hash == md->rx_hash) {
		e->st.duplicates++;
		log_debug("ike", "duplicate Quick Mode message%s",
			  q->x.answers_rx ? ": resending our answer" : " ignored");
		if (q->x.answers_rx)
			ike_xmit_resend(e, &q->x, &p->local, &p->remote, p->cf.persend);
		return;
	}
	md->t = ike_transition_find(q->state, ISAKMP_EXCH_QUICK, p->auth);
	struct buf plain = { 0 };
	bool ok = md->t && open_body(md, p->cipher, &p->enc_key, &q->iv, &plain) &&
		  payloads_ok(md);
	if (!ok) {
		drop(e, md->remote, md->t ? md->t->name : "Quick Mode message in this state");
		if (fresh)
			ike_ph2_free(q);
		buf_free(&plain);
		return;
	}
	enum ike_stf r = md->t->handler(md);
	ph2_result(md, r, fresh);
	buf_free(&md->reply);
	buf_free(&plain);
}

static void input_quick(struct ike_md *md)
{
	struct ike_engine *e = md->eng;
	const struct isakmp_hdr *h = &md->d->hdr;
	struct ike_ph1 *p = ike_ph1_by_cookies(e, h->icookie, h->rcookie);
	/* An expired ISAKMP SA still carries the Quick Modes already under way on it. */
	bool usable = p && (p->state == PH1_ESTABLISHED || p->state == PH1_EXPIRED);
	if (!usable || !addr_equal_port(&p->remote, md->remote)) {
		drop(e, md->remote, "Quick Mode without an established ISAKMP SA");
		return;
	}
	if (!md->d->encrypted || h->msgid == 0) {
		drop(e, md->remote, "Quick Mode message not encrypted or without message id");
		return;
	}
	md->ph1 = p;
	uint8_t ck[16];
	memcpy(ck, h->icookie, 8);
	memcpy(ck + 8, h->rcookie, 8);
	struct ike_ph2 *q = ike_ph2_by_msgid(e, ck, h->msgid);
	bool fresh = false;
	if (!q) {
		if (ike_ph1_msgid_seen(p, h->msgid)) {
			drop(e, md->remote, "message id already used (replay)");
			return;
		}
		if (p->state != PH1_ESTABLISHED) {
			drop(e, md->remote, "new Quick Mode on an expired ISAKMP SA");
			return;
		}
		q = ike_ph2_new_responder(p, h->msgid);
		if (!q)
			return;
		fresh = true;
	}
	md->ph2 = q;
	run_ph2(md, fresh);
}

static void input_info(struct ike_md *md)
{
	struct ike_engine *e = md->eng;
	const struct isakmp_hdr *h = &md->d->hdr;
	struct ike_ph1 *p = ike_ph1_by_cookies(e, h->icookie, h->rcookie);
	if (!p) {
		/* Only our own first message, whose answer's CKY-R we never saw, may be
		 * refused under a cookie pair we do not know. */
		p = ike_ph1_by_icookie(e, h->icookie, md->remote);
		if (p && (!p->initiator || p->in_cookies))
			p = NULL;
	}
	if (!p || !addr_equal_port(&p->remote, md->remote)) {
		drop(e, md->remote, "informational message for no ISAKMP SA of this peer");
		return;
	}
	md->ph1 = p;
	if (!md->d->encrypted) {
		ike_info_input_clear(md);
		return;
	}
	md->t = p->keyed ? ike_transition_find(p->state, ISAKMP_EXCH_INFO, p->auth) : NULL;
	if (!md->t || ike_ph1_msgid_seen(p, h->msgid) || h->msgid == 0) {
		drop(e, md->remote, "informational message not acceptable now (state or replay)");
		return;
	}
	struct oakley_iv iv;
	struct buf plain = { 0 };
	bool ok = oakley_iv_msgid(p->hash, &p->iv, h->msgid, &iv) == 0 &&
		  open_body(md, p->cipher, &p->enc_key, &iv, &plain) && payloads_ok(md);
	if (ok) {
		if (md->t->handler(md) == STF_OK) {
			ike_ph1_msgid_remember(p, h->msgid);
			if (md->kill_ph1)
				ike_ph1_delete(p, false, "Delete payload from the peer");
		} else
			e->st.dropped++;
	} else {
		drop(e, md->remote, "informational message");
	}
	buf_free(&plain);
}

void ike_engine_input(struct ike_engine *e, const union sockaddr_any *local,
		      const union sockaddr_any *remote, const uint8_t *data, size_t len)
{
	struct ike_md md = { .eng = e, .d = e->d, .local = local, .remote = remote };
	enum isakmp_perr pe = isakmp_parse(data, len, e->d);
	if (pe != ISAKMP_PERR_OK && pe != ISAKMP_PERR_ENCRYPTED) {
		drop(e, remote, isakmp_perr_name(pe));
		return;
	}
	md.rx_hash = ike_msg_hash(e, data, len);
	switch (e->d->hdr.exchange) {
	case ISAKMP_EXCH_IDENT:
	case ISAKMP_EXCH_AGGRESSIVE:
		input_ph1(&md);
		break;
	case ISAKMP_EXCH_QUICK:
		input_quick(&md);
		break;
	case ISAKMP_EXCH_INFO:
	case ISAKMP_EXCH_ACKINFO:
		input_info(&md);
		break;
	default:
		drop(e, remote, "exchange type not supported");
		break;
	}
	buf_free(&md.reply);
}
