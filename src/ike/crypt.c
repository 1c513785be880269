/* crypt: message encryption with chained CBC IVs, sending and the retransmit cache. */
#include "ike/crypt.h"

#include <errno.h>
#include <string.h>

#include "ike/sa.h"
#include "isakmp/build.h"

int ike_decrypt(const struct crypto_cipher *c, const struct buf *key, const struct oakley_iv *iv,
		const uint8_t *ct, size_t len, struct buf *plain, struct oakley_iv *iv_after)
{
	size_t bl = c->block_len;
	if (!len || len % bl || iv->len != bl)
		return -EBADMSG;
	int r = buf_dup(plain, ct, len, true);
	if (r < 0)
		return r;
	struct oakley_iv v = *iv;
	r = crypto_cbc_decrypt(c, key->ptr, key->len, v.b, plain->ptr, len);
	if (r < 0) {
		buf_free(plain);
		return -EBADMSG;
	}
	memcpy(iv_after->b, ct + len - bl, bl);
	iv_after->len = bl;
	buf_wipe(&v, sizeof(v));
	return 0;
}

int ike_encrypt_msg(const struct crypto_cipher *c, const struct buf *key, struct oakley_iv *iv,
		    struct buf *msg)
{
	size_t bl = c->block_len;
	if (msg->len < ISAKMP_HDR_LEN || iv->len != bl)
		return -EINVAL;
	size_t body = msg->len - ISAKMP_HDR_LEN;
	/* RFC 2408 3.1: pad to the block; the last byte says how long the padding is
	 * (the reference's layout, which every peer accepts since padding is ignored). */
	size_t pad = bl - body % bl;
	if (pad == 0)
		pad = bl;
	for (size_t i = 1; i < pad; i++)
		buf_put_u8(msg, 0);
	buf_put_u8(msg, (uint8_t)(pad - 1));
	if (!buf_ok(msg))
		return -EMSGSIZE;
	int r = crypto_cbc_encrypt(c, key->ptr, key->len, iv->b, msg->ptr + ISAKMP_HDR_LEN,
				   msg->len - ISAKMP_HDR_LEN);
	if (r < 0)
		return r;
	return isakmp_build_seal(msg, 0, ISAKMP_FLAG_E);
}

void ike_xmit_resend(struct ike_engine *e, struct ike_xmit *x, const union sockaddr_any *from,
		     const union sockaddr_any *to, unsigned persend)
{
	if (!x->last_sent.len)
		return;
	if (!persend)
		persend = 1;
	for (unsigned i = 0; i < persend; i++)
		ike_send(e, from, to, &x->last_sent);
}

static void keep(struct ike_xmit *x, struct buf *msg)
{
	buf_free(&x->last_sent);
	x->last_sent = *msg;
	memset(msg, 0, sizeof(*msg));
}

int ike_ph1_send_msg(struct ike_ph1 *p, struct buf *msg, bool encrypt, bool expect_reply)
{
	struct ike_engine *e = p->eng;
	int r = 0;
	if (encrypt)
		r = ike_encrypt_msg(p->cipher, &p->enc_key, &p->iv, msg);
	if (r < 0) {
		buf_free(msg);
		return r;
	}
	keep(&p->x, msg);
	ike_xmit_resend(e, &p->x, &p->local, &p->remote, p->cf.persend);
	ike_timer_cancel(&e->timers, &p->t_retrans);
	if (expect_reply) {
		p->x.left = p->cf.counter;
		ike_timer_arm(&e->timers, &p->t_retrans, (uint64_t)p->cf.interval_s * 1000000u);
	}
	return 0;
}

int ike_ph2_send_msg(struct ike_ph2 *p, struct buf *msg, bool expect_reply)
{
	struct ike_engine *e = p->eng;
	struct ike_ph1 *ph1 = p->ph1;
	if (!ph1) {
		buf_free(msg);
		return -ENOTCONN;
	}
	int r = ike_encrypt_msg(ph1->cipher, &ph1->enc_key, &p->iv, msg);
	if (r < 0) {
		buf_free(msg);
		return r;
	}
	keep(&p->x, msg);
	ike_xmit_resend(e, &p->x, &ph1->local, &ph1->remote, ph1->cf.persend);
	ike_timer_cancel(&e->timers, &p->t_retrans);
	if (expect_reply) {
		p->x.left = ph1->cf.counter;
		ike_timer_arm(&e->timers, &p->t_retrans, (uint64_t)ph1->cf.interval_s * 1000000u);
	}
	return 0;
}
