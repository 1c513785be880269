/* info: informational exchanges (RFC 2409 5.7): Notify and Delete, always with HASH(1)
 * under an ISAKMP SA; INITIAL-CONTACT. */
#ifndef RACOON_IKE_INFO_H
#define RACOON_IKE_INFO_H

#include <stdint.h>

#include "ike/sa.h"

/* A notify to the peer of p: encrypted with HASH(1) once p is keyed, otherwise a clear
 * one (only for refusing a first message). */
void ike_info_send_notify_ph1(struct ike_ph1 *p, uint16_t type);
/* Delete payloads: the ISAKMP SA's cookies / q's inbound SPIs, under p (q's ISAKMP SA
 * or, when gone, any established one with that peer). */
void ike_info_send_delete_ph1(struct ike_ph1 *p);
void ike_info_send_delete_ph2(struct ike_engine *e, struct ike_ph2 *q);
void ike_info_send_initial_contact(struct ike_ph1 *p);
/* A protected notify about the ISAKMP SA itself (SPI = cookies) with data (DPD). */
void ike_info_send_notify_data(struct ike_ph1 *p, uint16_t type, const void *data, size_t len);
/* An unencrypted informational message for a known SA (logged; acted on only while no
 * ISAKMP SA exists, and only to end our own half-open negotiation). */
void ike_info_input_clear(struct ike_md *md);

#endif
