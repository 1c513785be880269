/* state: state names, the IKEv1 transition table and its start-up check. */
#include "ike/state.h"

#include <stddef.h>

#include "ike/handlers.h"
#include "isakmp/isakmp.h"
#include "log/log.h"

static const char *const state_names[IKE_S_COUNT] = {
	[IKE_S_NONE] = "none",
	[PH1_MM_I1_SENT] = "main-I1-sent",
	[PH1_MM_I2_SENT] = "main-I2-sent",
	[PH1_MM_I3_SENT] = "main-I3-sent",
	[PH1_MM_R_START] = "main-R-start",
	[PH1_MM_R1_SENT] = "main-R1-sent",
	[PH1_MM_R2_SENT] = "main-R2-sent",
	[PH1_AM_I1_SENT] = "aggr-I1-sent",
	[PH1_AM_R_START] = "aggr-R-start",
	[PH1_AM_R1_SENT] = "aggr-R1-sent",
	[PH1_ESTABLISHED] = "established",
	[PH1_EXPIRED] = "expired",
	[PH2_QM_I_PH1_WAIT] = "quick-I-wait-phase1",
	[PH2_QM_I_SPI_WAIT] = "quick-I-wait-spi",
	[PH2_QM_I1_SENT] = "quick-I1-sent",
	[PH2_QM_I_COMMIT] = "quick-I-commit",
	[PH2_QM_R_START] = "quick-R-start",
	[PH2_QM_R_SPI_WAIT] = "quick-R-wait-spi",
	[PH2_QM_R1_SENT] = "quick-R1-sent",
	[PH2_ESTABLISHED] = "established",
	[PH2_EXPIRED] = "expired",
};

const char *ike_state_name(enum ike_state s)
{
	if ((unsigned)s >= IKE_S_COUNT || !state_names[s])
		return "?";
	return state_names[s];
}

bool ike_state_is_ph1(enum ike_state s)
{
	return s >= PH1_MM_I1_SENT && s <= PH1_EXPIRED;
}

bool ike_state_is_ph2(enum ike_state s)
{
	return s >= PH2_QM_I_PH1_WAIT && s <= PH2_EXPIRED;
}

uint64_t ike_pbit(uint8_t t)
{
	switch (t) {
	case ISAKMP_PT_NATD_DRAFT:
		return IKE_PB_NATD_DRAFT;
	case ISAKMP_PT_NATOA_DRAFT:
		return IKE_PB_NATOA_DRAFT;
	case ISAKMP_PT_FRAG:
		return IKE_PB_FRAG;
	default:
		return t < 60 ? 1ull << t : IKE_PB_OTHER;
	}
}

#define P(t) IKE_PB(ISAKMP_PT_##t)
/* Payloads every Phase 1 message may carry besides its own. */
#define P1_OPT (P(VID) | P(N) | P(NATD) | IKE_PB_NATD_DRAFT | P(NATD_BADDRAFT))
#define QM_OPT (P(N) | P(VID))

/* The IKEv1 table. The side that waits for the last message of an exchange
 * retransmits (the initiator in Main Mode, the responder in Aggressive and Quick Mode);
 * the other side answers duplicates from its cache.
 * The IKEv1 table. Initiator-side first messages (main_outI1, aggr_outI1, quick_outI1)
 * start from a request, not from input, and are not rows. */
static const struct ike_transition table[] = {
	/* Main Mode, pre-shared key (RFC 2409 5.4) */
	{ "main_inI1_outR1", PH1_MM_R_START, PH1_MM_R1_SENT, ISAKMP_EXCH_IDENT, IKE_AUTH_ANY,
	  P(SA), P1_OPT, false, true, IKE_T_RESPONDER, main_inI1_outR1 },
	{ "main_inR1_outI2", PH1_MM_I1_SENT, PH1_MM_I2_SENT, ISAKMP_EXCH_IDENT, IKE_AUTH_ANY,
	  P(SA), P1_OPT, false, true, IKE_T_RETRANSMIT, main_inR1_outI2 },
	{ "main_inI2_outR2", PH1_MM_R1_SENT, PH1_MM_R2_SENT, ISAKMP_EXCH_IDENT, IKE_AUTH_PSK,
	  P(KE) | P(NONCE), P1_OPT, false, true, IKE_T_RESPONDER, main_inI2_outR2 },
	{ "main_inR2_outI3", PH1_MM_I2_SENT, PH1_MM_I3_SENT, ISAKMP_EXCH_IDENT, IKE_AUTH_PSK,
	  P(KE) | P(NONCE), P1_OPT, false, true, IKE_T_RETRANSMIT, main_inR2_outI3 },
	{ "main_inI3_outR3", PH1_MM_R2_SENT, PH1_ESTABLISHED, ISAKMP_EXCH_IDENT, IKE_AUTH_PSK,
	  P(ID) | P(HASH), P1_OPT, true, true, IKE_T_LIFETIME, main_inI3_outR3 },
	{ "main_inR3", PH1_MM_I3_SENT, PH1_ESTABLISHED, ISAKMP_EXCH_IDENT, IKE_AUTH_PSK,
	  P(ID) | P(HASH), P1_OPT, true, false, IKE_T_LIFETIME, main_inR3 },
	/* Main Mode, RSA signatures (RFC 2409 5.1; phase1/auth_sig.c): CR optional in
	 * messages 3 and 4, CERT in 5 and 6 */
	{ "main_inI2_outR2_sig", PH1_MM_R1_SENT, PH1_MM_R2_SENT, ISAKMP_EXCH_IDENT, IKE_AUTH_SIG,
	  P(KE) | P(NONCE), P1_OPT | P(CR), false, true, IKE_T_RESPONDER, main_inI2_outR2 },
	{ "main_inR2_outI3_sig", PH1_MM_I2_SENT, PH1_MM_I3_SENT, ISAKMP_EXCH_IDENT, IKE_AUTH_SIG,
	  P(KE) | P(NONCE), P1_OPT | P(CR), false, true, IKE_T_RETRANSMIT, main_inR2_outI3 },
	{ "main_inI3_outR3_sig", PH1_MM_R2_SENT, PH1_ESTABLISHED, ISAKMP_EXCH_IDENT, IKE_AUTH_SIG,
	  P(ID) | P(SIG), P1_OPT | P(CERT) | P(CR), true, true, IKE_T_LIFETIME,
	  main_inI3_outR3_sig },
	{ "main_inR3_sig", PH1_MM_I3_SENT, PH1_ESTABLISHED, ISAKMP_EXCH_IDENT, IKE_AUTH_SIG,
	  P(ID) | P(SIG), P1_OPT | P(CERT) | P(CR), true, false, IKE_T_LIFETIME, main_inR3_sig },
	/* Aggressive Mode, pre-shared key */
	{ "aggr_inI1_outR1", PH1_AM_R_START, PH1_AM_R1_SENT, ISAKMP_EXCH_AGGRESSIVE,
	  IKE_AUTH_ANY, P(SA) | P(KE) | P(NONCE) | P(ID), P1_OPT, false, true,
	  IKE_T_RETRANSMIT, aggr_inI1_outR1 },
	{ "aggr_inR1_outI2", PH1_AM_I1_SENT, PH1_ESTABLISHED, ISAKMP_EXCH_AGGRESSIVE,
	  IKE_AUTH_ANY, P(SA) | P(KE) | P(NONCE) | P(ID) | P(HASH), P1_OPT, false, true,
	  IKE_T_LIFETIME, aggr_inR1_outI2 },
	{ "aggr_inI2", PH1_AM_R1_SENT, PH1_ESTABLISHED, ISAKMP_EXCH_AGGRESSIVE, IKE_AUTH_PSK,
	  P(HASH), P1_OPT, false, false, IKE_T_LIFETIME, aggr_inI2 },
	/* Quick Mode (RFC 2409 5.5), with or without PFS (KE) and client IDs */
	{ "quick_inI1_outR1", PH2_QM_R_START, PH2_QM_R1_SENT, ISAKMP_EXCH_QUICK, IKE_AUTH_ANY,
	  P(HASH) | P(SA) | P(NONCE), P(KE) | P(ID) | QM_OPT | IKE_PB_NATOA_DRAFT | P(NATOA),
	  true, true, IKE_T_RETRANSMIT, quick_inI1_outR1 },
	{ "quick_inR1_outI2", PH2_QM_I1_SENT, PH2_ESTABLISHED, ISAKMP_EXCH_QUICK, IKE_AUTH_ANY,
	  P(HASH) | P(SA) | P(NONCE), P(KE) | P(ID) | QM_OPT | IKE_PB_NATOA_DRAFT | P(NATOA),
	  true, true, IKE_T_LIFETIME, quick_inR1_outI2 },
	{ "quick_inI2", PH2_QM_R1_SENT, PH2_ESTABLISHED, ISAKMP_EXCH_QUICK, IKE_AUTH_ANY,
	  P(HASH), QM_OPT, true, false, IKE_T_LIFETIME, quick_inI2 },
	{ "quick_inR3_connected", PH2_QM_I_COMMIT, PH2_ESTABLISHED, ISAKMP_EXCH_QUICK,
	  IKE_AUTH_ANY, P(HASH) | P(N), P(VID), true, false, IKE_T_LIFETIME,
	  quick_inR3_connected },
	/* Informational exchanges under an ISAKMP SA (RFC 2409 5.7: always with HASH(1)) */
	{ "info_inN_D", PH1_ESTABLISHED, PH1_ESTABLISHED, ISAKMP_EXCH_INFO, IKE_AUTH_ANY,
	  P(HASH), P(N) | P(D), true, false, IKE_T_NONE, info_inN_D },
	{ "info_inN_D_expired", PH1_EXPIRED, PH1_EXPIRED, ISAKMP_EXCH_INFO, IKE_AUTH_ANY,
	  P(HASH), P(N) | P(D), true, false, IKE_T_NONE, info_inN_D },
};
#undef P

const struct ike_transition *ike_transitions(unsigned *n)
{
	*n = sizeof(table) / sizeof(table[0]);
	return table;
}

const struct ike_transition *ike_transition_find(enum ike_state from, uint8_t exchange,
						 enum ike_auth_class auth)
{
	/* Linear over a table of 19 rows: cheaper than a hash and never grows with peers. */
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		const struct ike_transition *t = &table[i];
		if (t->from == from && t->exchange == exchange &&
		    (t->auth == IKE_AUTH_ANY || t->auth == auth))
			return t;
	}
	return NULL;
}

/* States that wait for a message and so need a row. */
static bool waits_for_input(enum ike_state s)
{
	switch (s) {
	case PH1_MM_I1_SENT: case PH1_MM_I2_SENT: case PH1_MM_I3_SENT: case PH1_MM_R_START:
	case PH1_MM_R1_SENT: case PH1_MM_R2_SENT: case PH1_AM_I1_SENT: case PH1_AM_R_START:
	case PH1_AM_R1_SENT: case PH2_QM_I1_SENT: case PH2_QM_I_COMMIT: case PH2_QM_R_START:
	case PH2_QM_R1_SENT:
		return true;
	default:
		return false;
	}
}

unsigned ike_states_check_table(const struct ike_transition *t, unsigned n)
{
	unsigned bad = 0;
	for (unsigned i = 0; i < n; i++) {
		const struct ike_transition *r = &t[i];
		const char *nm = r->name ? r->name : "(unnamed)";
		if (!r->name || !r->handler) {
			log_error("ike", "transition %u (%s): no name or handler", i, nm);
			bad++;
		}
		if ((unsigned)r->from >= IKE_S_COUNT || (unsigned)r->to >= IKE_S_COUNT ||
		    r->from == IKE_S_NONE || r->to == IKE_S_NONE) {
			log_error("ike", "transition %s: state out of range", nm);
			bad++;
			continue;
		}
		if (ike_state_is_ph1(r->from) != ike_state_is_ph1(r->to)) {
			log_error("ike", "transition %s: crosses phases", nm);
			bad++;
		}
		if (r->req & r->opt) {
			log_error("ike", "transition %s: a payload both required and optional", nm);
			bad++;
		}
		if (!r->req) {
			log_error("ike", "transition %s: requires no payload", nm);
			bad++;
		}
		if ((r->exchange == ISAKMP_EXCH_QUICK || r->exchange == ISAKMP_EXCH_INFO) &&
		    !r->enc_in) {
			log_error("ike", "transition %s: must take encrypted input", nm);
			bad++;
		}
		for (unsigned j = 0; j < i; j++) {
			const struct ike_transition *o = &t[j];
			if (o->from == r->from && o->exchange == r->exchange &&
			    (o->auth == r->auth || o->auth == IKE_AUTH_ANY || r->auth == IKE_AUTH_ANY)) {
				log_error("ike", "transitions %s and %s overlap", o->name, nm);
				bad++;
			}
		}
	}
	for (unsigned s = 1; s < IKE_S_COUNT; s++) {
		if (!waits_for_input(s))
			continue;
		bool found = false;
		for (unsigned i = 0; i < n && !found; i++)
			found = t[i].from == s;
		if (!found) {
			log_error("ike", "state %s waits for input but has no transition",
				  ike_state_name(s));
			bad++;
		}
	}
	return bad;
}

unsigned ike_states_check(void)
{
	unsigned n;
	const struct ike_transition *t = ike_transitions(&n);
	return ike_states_check_table(t, n);
}
