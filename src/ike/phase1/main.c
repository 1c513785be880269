/* main: Main Mode (identity protection) with pre-shared keys, RFC 2409 5.4 (the
 * signature variant of messages 4 to 6 is in auth_sig.c):
 *
 *   Initiator                          Responder
 *   HDR, SA                     -->                          main_outI1
 *                               <--    HDR, SA               main_inI1_outR1
 *   HDR, KE, Ni                 -->                          main_inR1_outI2
 *                               <--    HDR, KE, Nr           main_inI2_outR2
 *   HDR*, IDii, HASH_I          -->                          main_inR2_outI3
 *                               <--    HDR*, IDir, HASH_R    main_inI3_outR3
 *                                                            main_inR3
 */
#include <string.h>

#include "ike/auth_sig.h"
#include "ike/crypt.h"
#include "ike/handlers.h"
#include "ike/lifecycle.h"
#include "ike/phase1.h"
#include "ike/vendor.h"

int main_outI1(struct ike_ph1 *p)
{
	struct isakmp_builder b;
	struct buf msg = { 0 };
	int r = ike_ph1_msg_begin(p, &b, &msg);
	if (r == 0)
		r = ike_p1_build_sa(p, &b, p->cf.props, p->cf.n_props);
	if (r == 0)
		r = ike_vendor_put(p, &b);
	if (r == 0)
		r = isakmp_build_finish(&b);
	if (r < 0) {
		buf_free(&msg);
		return r;
	}
	ike_ph1_set_state(p, PH1_MM_I1_SENT);
	return ike_ph1_send_msg(p, &msg, false, true);
}

enum ike_stf main_inI1_outR1(struct ike_md *md)
{
	struct ike_ph1 *p = md->ph1;
	struct isakmp_builder b;
	ike_ph1_note_payloads(p, md->d);
	if (isakmp_count(md->d, ISAKMP_PT_SA) != 1)
		return STF_FATAL;
	if (ike_ph1_msg_begin(p, &b, &md->reply) < 0)
		return STF_FATAL;
	uint16_t n = ike_p1_select(p, isakmp_first(md->d, ISAKMP_PT_SA), p->cf.props,
				   p->cf.n_props, &b);
	if (n) {
		log_error("ike", "Main Mode from peer: %s", n == ISAKMP_N_NO_PROPOSAL_CHOSEN
				 ? "no proposal chosen" : "bad SA payload");
		md->notify = n;
		return STF_FAIL;
	}
	ike_vendor_put(p, &b);
	if (isakmp_build_finish(&b) < 0)
		return STF_FATAL;
	return STF_OK;
}

enum ike_stf main_inR1_outI2(struct ike_md *md)
{
	struct ike_ph1 *p = md->ph1;
	struct isakmp_builder b;
	ike_ph1_note_payloads(p, md->d);
	if (isakmp_count(md->d, ISAKMP_PT_SA) != 1)
		return STF_IGNORE;
	uint16_t n = ike_p1_accept(p, isakmp_first(md->d, ISAKMP_PT_SA), p->cf.props,
				   p->cf.n_props);
	if (n) {
		log_error("ike", "the responder chose a transform we did not propose");
		md->notify = n;
		return STF_FAIL;
	}
	/* The responder cookie is bound only after this returns; the message needs it. */
	memcpy(p->rcookie, md->d->hdr.rcookie, 8);
	if (ike_ph1_make_ke_nonce(p) < 0 || ike_ph1_msg_begin(p, &b, &md->reply) < 0)
		return STF_FATAL;
	ike_ph1_put_ke_nonce(p, &b);
	if (ike_sig_put_cr(p, &b) < 0) /* rsasig: ask for the peer's certificate */
		return STF_FATAL;
	if (isakmp_build_finish(&b) < 0)
		return STF_FATAL;
	return STF_OK;
}

enum ike_stf main_inI2_outR2(struct ike_md *md)
{
	struct ike_ph1 *p = md->ph1;
	struct isakmp_builder b;
	ike_ph1_note_payloads(p, md->d);
	uint16_t n = ike_ph1_take_ke_nonce(p, md->d);
	if (n) {
		md->notify = n;
		return STF_FAIL;
	}
	if (ike_sig_prepare(p) < 0) {
		md->notify = ISAKMP_N_AUTHENTICATION_FAILED;
		return STF_FAIL;
	}
	if (ike_ph1_make_ke_nonce(p) < 0 || ike_ph1_msg_begin(p, &b, &md->reply) < 0)
		return STF_FATAL;
	ike_ph1_put_ke_nonce(p, &b);
	if (ike_sig_put_cr(p, &b) < 0) /* rsasig: the responder asks in message 4 */
		return STF_FATAL;
	if (isakmp_build_finish(&b) < 0)
		return STF_FATAL;
	n = ike_ph1_derive(p, false);
	if (n) {
		md->notify = n;
		return STF_FAIL;
	}
	return STF_OK;
}

/* IDx, HASH_x: the third message of either side. */
static enum ike_stf put_id_hash(struct ike_md *md)
{
	struct ike_ph1 *p = md->ph1;
	struct isakmp_builder b;
	uint8_t h[CRYPTO_MAX_DIGEST];
	if (ike_ph1_make_id(p) < 0 || ike_ph1_hash(p, p->initiator, h) < 0 ||
	    ike_ph1_msg_begin(p, &b, &md->reply) < 0)
		return STF_FATAL;
	const struct buf *id = p->initiator ? &p->id_i_b : &p->id_r_b;
	isakmp_build_begin(&b, ISAKMP_PT_ID);
	isakmp_build_put(&b, id->ptr, id->len);
	isakmp_build_end(&b);
	isakmp_build_data(&b, ISAKMP_PT_HASH, h, p->hash->digest_len);
	buf_wipe(h, sizeof(h));
	if (isakmp_build_finish(&b) < 0)
		return STF_FATAL;
	md->reply_encrypt = true;
	return STF_OK;
}

enum ike_stf main_inR2_outI3(struct ike_md *md)
{
	struct ike_ph1 *p = md->ph1;
	ike_ph1_note_payloads(p, md->d);
	uint16_t n = ike_ph1_take_ke_nonce(p, md->d);
	if (!n)
		n = ike_ph1_derive(p, false);
	if (n) {
		md->notify = n;
		return STF_FAIL;
	}
	return p->auth == IKE_AUTH_SIG ? ike_sig_put_id_cert_sig(md) : put_id_hash(md);
}

/* The peer's ID and HASH of the last Main Mode message. */
static enum ike_stf take_id_hash(struct ike_md *md)
{
	struct ike_ph1 *p = md->ph1;
	const struct isakmp_digest *d = md->d;
	const struct isakmp_payload *id = isakmp_first(d, ISAKMP_PT_ID);
	const struct isakmp_payload *h = isakmp_first(d, ISAKMP_PT_HASH);
	if (isakmp_next(d, id) || isakmp_next(d, h))
		return STF_IGNORE;
	ike_ph1_note_payloads(p, d);
	if (ike_ph1_take_id(p, id) < 0) {
		md->notify = ISAKMP_N_INVALID_ID_INFORMATION;
		return STF_FAIL;
	}
	if (!ike_ph1_verify_hash(p, h)) {
		/* Dropped, not fatal: one flipped bit on the path must not end the
		 * negotiation; a real mismatch ends at the negotiation timeout. */
		log_error("ike", "%s mismatch (wrong pre-shared key or tampering): message "
			  "dropped", p->initiator ? "HASH_R" : "HASH_I");
		return STF_IGNORE;
	}
	if (!ike_ph1_peer_id_ok(p)) {
		md->notify = ISAKMP_N_INVALID_ID_INFORMATION;
		return STF_FAIL;
	}
	return STF_OK;
}

enum ike_stf main_inI3_outR3(struct ike_md *md)
{
	enum ike_stf r = take_id_hash(md);
	if (r != STF_OK)
		return r;
	/* The engine chains the IV through I3 before it encrypts R3. */
	return put_id_hash(md);
}

enum ike_stf main_inR3(struct ike_md *md)
{
	return take_id_hash(md);
}
