/* handlers: one function per row of the transition table (state.c), named after the
 * message it takes and the one it sends, plus the initiator's first messages. */
#ifndef RACOON_IKE_HANDLERS_H
#define RACOON_IKE_HANDLERS_H

#include "ike/state.h"

struct ike_ph1;
struct ike_ph2;

/* phase1/main.c */
enum ike_stf main_inI1_outR1(struct ike_md *md);
enum ike_stf main_inR1_outI2(struct ike_md *md);
enum ike_stf main_inI2_outR2(struct ike_md *md);
enum ike_stf main_inR2_outI3(struct ike_md *md);
enum ike_stf main_inI3_outR3(struct ike_md *md);
enum ike_stf main_inR3(struct ike_md *md);
int main_outI1(struct ike_ph1 *p);
/* phase1/auth_sig.c: Main Mode messages 5 and 6 with RSA signatures (3 and 4 share
 * phase1/main.c's handlers) */
enum ike_stf main_inI3_outR3_sig(struct ike_md *md);
enum ike_stf main_inR3_sig(struct ike_md *md);
/* phase1/aggr.c */
enum ike_stf aggr_inI1_outR1(struct ike_md *md);
enum ike_stf aggr_inR1_outI2(struct ike_md *md);
enum ike_stf aggr_inI2(struct ike_md *md);
int aggr_outI1(struct ike_ph1 *p);
/* phase2/quick.c */
enum ike_stf quick_inI1_outR1(struct ike_md *md);
enum ike_stf quick_inR1_outI2(struct ike_md *md);
enum ike_stf quick_inI2(struct ike_md *md);
enum ike_stf quick_inR3_connected(struct ike_md *md);
int quick_outI1(struct ike_ph2 *p);
/* info/info.c */
enum ike_stf info_inN_D(struct ike_md *md);

#endif
