/* crypt: IKEv1 message encryption (CBC with the chained IVs of RFC 2409 appendix B)
 * and sending with retransmission. */
#ifndef RACOON_IKE_CRYPT_H
#define RACOON_IKE_CRYPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/addr.h"
#include "common/buf.h"
#include "crypto/cipher.h"
#include "crypto/oakley.h"

struct ike_ph1;
struct ike_ph2;
struct ike_xmit;
struct ike_engine;

/* Decrypt len bytes (a multiple of the block length, else -EBADMSG) starting with iv.
 * *plain is a new secret buffer; iv_after gets the last ciphertext block (the next IV
 * once the message is authenticated). */
int ike_decrypt(const struct crypto_cipher *c, const struct buf *key, const struct oakley_iv *iv,
		const uint8_t *ct, size_t len, struct buf *plain, struct oakley_iv *iv_after);

/* Encrypt the body of a finished message in msg (header at offset 0), padding it to the
 * block length, set the E flag and length; iv is used and updated. 0 or negative errno. */
int ike_encrypt_msg(const struct crypto_cipher *c, const struct buf *key, struct oakley_iv *iv,
		    struct buf *msg);

/* Send a finished plaintext message for an SA. encrypt: with the Phase 1 chain (ph1) or
 * the exchange's IV (ph2). The message is kept for retransmission and duplicates; with
 * expect_reply the retransmission timer runs. msg is taken over (freed). */
int ike_ph1_send_msg(struct ike_ph1 *p, struct buf *msg, bool encrypt, bool expect_reply);
int ike_ph2_send_msg(struct ike_ph2 *p, struct buf *msg, bool expect_reply);
/* Resend the cached message (duplicate received or retransmission). */
void ike_xmit_resend(struct ike_engine *e, struct ike_xmit *x, const union sockaddr_any *from,
		     const union sockaddr_any *to, unsigned persend);

#endif
