/* p2: Quick Mode internals shared by quick.c, proposal.c, sainfo.c and install.c. */
#ifndef RACOON_IKE_PHASE2_P2_H
#define RACOON_IKE_PHASE2_P2_H

#include "ike/phase2.h"
#include "isakmp/build.h"

struct conf_sainfo;
struct kernel_caps;

/* The sainfo {} for a pair of selectors (local side, remote side). NULL when none. */
const struct conf_sainfo *ike_sainfo_find(const struct ike_engine *e,
					  const struct ike_ph2_request *r);
/* Copy a sainfo's algorithms, PFS group and lifetime into q->cf. */
void ike_ph2_load_conf(struct ike_ph2 *q, const struct conf_sainfo *si);

/* Initiator: our SA payload (every acceptable bundle as one proposal number). */
int ike_p2_build_sa(struct ike_ph2 *q, struct isakmp_builder *b);
/* Responder: choose a proposal; fills q->p[] (peer SPIs as spi_out), encap, lifetime,
 * pfs. ISAKMP_N_* or 0. */
uint16_t ike_p2_select(struct ike_ph2 *q, const struct isakmp_payload *sa);
/* Responder: echo the choice with our SPIs. */
int ike_p2_build_reply(struct ike_ph2 *q, struct isakmp_builder *b);
/* The lifetime (seconds) in a RESPONDER-LIFETIME notify, 0 when none. */
uint32_t ike_p2_responder_lifetime(const struct isakmp_notify_pl *n);
/* Initiator: the responder's answer must be one of our proposals; takes its SPIs. */
uint16_t ike_p2_accept(struct ike_ph2 *q, const struct isakmp_payload *sa);

/* Kernel: SPIs for every protocol of q (async; quick_spi_ready() when all are in). */
int ike_ph2_get_spis(struct ike_ph2 *q);
void quick_spi_ready(struct ike_ph2 *q);
/* KEYMAT for both directions and the kernel SAs (or the -Z log line). 0 or errno. */
int ike_ph2_install(struct ike_ph2 *q);
/* Only the inbound SAs (idempotent; ike_ph2_install adds the outbound ones). */
int ike_ph2_install_inbound(struct ike_ph2 *q);

/* caps.c: the active backend's capabilities (NULL under -Z: no kernel, no limits). */
const struct kernel_caps *ike_p2_caps(const struct ike_engine *e);
/* Whether the backend installs this transform as the peer will use it (ESP: id is the
 * transform, auth 0 for none or AEAD; AH: auth; IPComp: id). If not, why says so,
 * naming the algorithm and, for a backend other than XFRM, to use kernel_interface xfrm. */
bool ike_p2_installable(const struct kernel_caps *c, uint8_t proto, uint8_t id, uint16_t auth,
			unsigned key_bits, char *why, size_t n);
/* Initiator: whether anything in q->cf can be proposed; if not, why tells what the
 * backend refuses. Algorithms it skips are logged. */
bool ike_p2_offerable(struct ike_ph2 *q, char *why, size_t n);

/* Key lengths in bytes of an ESP/AH transform (salt included), -1 when unknown. */
int ike_p2_enc_key_len(uint8_t trans_id, unsigned key_bits);
int ike_p2_auth_key_len(uint16_t auth);

#endif
