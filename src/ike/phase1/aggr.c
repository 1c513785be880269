/* aggr: Aggressive Mode with pre-shared keys, RFC 2409 5.4:
 *
 *   Initiator                              Responder
 *   HDR, SA, KE, Ni, IDii          -->                              aggr_outI1
 *                                  <--     HDR, SA, KE, Nr, IDir, HASH_R
 *                                                                   aggr_inI1_outR1
 *   HDR, HASH_I                    -->                              aggr_inR1_outI2
 *                                                                   aggr_inI2
 * The DH group is fixed by the first proposal (every proposal must use it). The
 * responder finds the key by the initiator's ID, which travels in clear (CERT
 * VU#886601: an eavesdropper can attack the key offline; prefer Main Mode).
 */
#include <errno.h>
#include <string.h>

#include "ike/crypt.h"
#include "ike/handlers.h"
#include "ike/lifecycle.h"
#include "ike/phase1.h"
#include "ike/vendor.h"

static void put_id(struct isakmp_builder *b, const struct buf *id)
{
	isakmp_build_begin(b, ISAKMP_PT_ID);
	isakmp_build_put(b, id->ptr, id->len);
	isakmp_build_end(b);
}

int aggr_outI1(struct ike_ph1 *p)
{
	struct isakmp_builder b;
	struct buf msg = { 0 };
	for (unsigned i = 1; i < p->cf.n_props; i++) {
		if (p->cf.props[i].group != p->cf.props[0].group) {
			log_error("ike", "remote %s: Aggressive Mode needs one DH group in all "
				  "proposals", p->cf.name);
			return -EINVAL;
		}
	}
	p->dh = dh_group_by_id(p->cf.props[0].group);
	if (!p->dh)
		return -EINVAL;
	int r = ike_ph1_make_ke_nonce(p);
	if (r == 0)
		r = ike_ph1_make_id(p);
	if (r == 0)
		r = ike_ph1_msg_begin(p, &b, &msg);
	if (r == 0)
		r = ike_p1_build_sa(p, &b, p->cf.props, p->cf.n_props);
	if (r == 0) {
		ike_ph1_put_ke_nonce(p, &b);
		put_id(&b, &p->id_i_b);
		ike_vendor_put(p, &b);
		r = isakmp_build_finish(&b);
	}
	if (r < 0) {
		buf_free(&msg);
		return r;
	}
	ike_ph1_set_state(p, PH1_AM_I1_SENT);
	return ike_ph1_send_msg(p, &msg, false, true);
}

enum ike_stf aggr_inI1_outR1(struct ike_md *md)
{
	struct ike_ph1 *p = md->ph1;
	const struct isakmp_digest *d = md->d;
	struct isakmp_builder b;
	uint8_t h[CRYPTO_MAX_DIGEST];
	ike_ph1_note_payloads(p, d);
	if (isakmp_count(d, ISAKMP_PT_SA) != 1 || isakmp_count(d, ISAKMP_PT_ID) != 1)
		return STF_FATAL;
	if (ike_ph1_msg_begin(p, &b, &md->reply) < 0)
		return STF_FATAL;
	uint16_t n = ike_p1_select(p, isakmp_first(d, ISAKMP_PT_SA), p->cf.props, p->cf.n_props,
				   &b);
	if (!n)
		n = ike_ph1_take_ke_nonce(p, d);
	if (!n && (ike_ph1_take_id(p, isakmp_first(d, ISAKMP_PT_ID)) < 0 ||
		   !ike_ph1_peer_id_ok(p)))
		n = ISAKMP_N_INVALID_ID_INFORMATION;
	if (!n && (ike_ph1_make_ke_nonce(p) < 0 || ike_ph1_make_id(p) < 0))
		return STF_FATAL;
	if (!n)
		n = ike_ph1_derive(p, true);
	if (n) {
		log_error("ike", "Aggressive Mode from peer refused (notify %u)", n);
		md->notify = n;
		return STF_FAIL;
	}
	ike_ph1_put_ke_nonce(p, &b);
	put_id(&b, &p->id_r_b);
	if (ike_ph1_hash(p, false, h) < 0)
		return STF_FATAL;
	isakmp_build_data(&b, ISAKMP_PT_HASH, h, p->hash->digest_len);
	buf_wipe(h, sizeof(h));
	ike_vendor_put(p, &b);
	return isakmp_build_finish(&b) < 0 ? STF_FATAL : STF_OK;
}

enum ike_stf aggr_inR1_outI2(struct ike_md *md)
{
	struct ike_ph1 *p = md->ph1;
	const struct isakmp_digest *d = md->d;
	const struct dh_group *ours = p->dh;
	struct isakmp_builder b;
	uint8_t h[CRYPTO_MAX_DIGEST];
	ike_ph1_note_payloads(p, d);
	if (isakmp_count(d, ISAKMP_PT_SA) != 1 || isakmp_count(d, ISAKMP_PT_ID) != 1 ||
	    isakmp_count(d, ISAKMP_PT_HASH) != 1)
		return STF_IGNORE;
	uint16_t n = ike_p1_accept(p, isakmp_first(d, ISAKMP_PT_SA), p->cf.props, p->cf.n_props);
	if (!n && p->dh != ours)
		n = ISAKMP_N_NO_PROPOSAL_CHOSEN;
	if (n) {
		md->notify = n;
		return STF_FAIL;
	}
	memcpy(p->rcookie, d->hdr.rcookie, 8);
	n = ike_ph1_take_ke_nonce(p, d);
	if (!n && ike_ph1_take_id(p, isakmp_first(d, ISAKMP_PT_ID)) < 0)
		n = ISAKMP_N_INVALID_ID_INFORMATION;
	if (!n)
		n = ike_ph1_derive(p, false);
	if (n) {
		md->notify = n;
		return STF_FAIL;
	}
	if (!ike_ph1_verify_hash(p, isakmp_first(d, ISAKMP_PT_HASH))) {
		log_error("ike", "HASH_R mismatch (wrong pre-shared key or tampering)");
		md->notify = ISAKMP_N_INVALID_HASH_INFORMATION;
		return STF_FAIL;
	}
	if (!ike_ph1_peer_id_ok(p)) {
		md->notify = ISAKMP_N_INVALID_ID_INFORMATION;
		return STF_FAIL;
	}
	if (ike_ph1_hash(p, true, h) < 0 || ike_ph1_msg_begin(p, &b, &md->reply) < 0)
		return STF_FATAL;
	isakmp_build_data(&b, ISAKMP_PT_HASH, h, p->hash->digest_len);
	buf_wipe(h, sizeof(h));
	return isakmp_build_finish(&b) < 0 ? STF_FATAL : STF_OK;
}

enum ike_stf aggr_inI2(struct ike_md *md)
{
	struct ike_ph1 *p = md->ph1;
	const struct isakmp_digest *d = md->d;
	ike_ph1_note_payloads(p, d);
	if (isakmp_count(d, ISAKMP_PT_HASH) != 1)
		return STF_IGNORE;
	if (!ike_ph1_verify_hash(p, isakmp_first(d, ISAKMP_PT_HASH))) {
		/* A forged clear message must not end a negotiation: drop it and wait. */
		log_error("ike", "HASH_I mismatch (wrong pre-shared key or tampering): ignored");
		return STF_IGNORE;
	}
	return STF_OK;
}
