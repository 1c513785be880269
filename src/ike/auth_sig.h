/* auth_sig: Main Mode with RSA signatures (RFC 2409 5.1): our key and certificate, the
 * peer's public key (CERT payload, peers_certfile x509 or plain_rsa), certificate
 * verification against the CA and the ID check. The handlers are in handlers.h. */
#ifndef RACOON_IKE_AUTH_SIG_H
#define RACOON_IKE_AUTH_SIG_H

#include "common/buf.h"
#include "ike/state.h"
#include "isakmp/build.h"

struct ike_ph1;
struct conf_remote;
struct conf_id;

/* Copy the certificate settings of the remote {} into p->cf. 0 or -ENOMEM. */
int ike_sig_load_conf(struct ike_ph1 *p, const struct conf_remote *rm);
/* my_identifier asn1dn: the DN given, or the subject of our certificate (DER). */
int ike_sig_my_dn(struct ike_ph1 *p, const struct conf_id *id, struct buf *out);
/* A peers_identifier asn1dn pattern against the peer's DER ID. */
bool ike_sig_dn_match(const struct buf *der, const char *pattern);
/* Message 3 or 4: a CR when we want the peer's certificate (send_cr, x509, no
 * peers_certfile); nothing for other methods. 0 or negative errno. */
int ike_sig_put_cr(struct ike_ph1 *p, struct isakmp_builder *b);
/* Responder's message 4: load our key and certificate (rsasig; 0 for other methods). */
int ike_sig_prepare(struct ike_ph1 *p);
/* Message 5 or 6 with RSA signatures: IDx, [CERT], SIG_x. */
enum ike_stf ike_sig_put_id_cert_sig(struct ike_md *md);
/* Keys and certificates of p (ike_ph1_free). */
void ike_sig_free(struct ike_ph1 *p);

#endif
