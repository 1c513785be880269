/* state: IKEv1 states and the transition table.
 *
 * One row per (state, exchange, auth class) that waits for input: the payloads the
 * message must and may carry, whether it arrives encrypted, the handler named after the
 * message (main_inI1_outR1: Main Mode, in = initiator's 1st message, out = responder's
 * 1st), the state on success and the timer to arm. ike_states_check() verifies the table
 * at engine start-up. Every state change goes through ike_ph1_set_state() or
 * ike_ph2_set_state(), which log old -> new.
 */
#ifndef RACOON_IKE_STATE_H
#define RACOON_IKE_STATE_H

#include <stdbool.h>
#include <stdint.h>

enum ike_state {
	IKE_S_NONE = 0,
	/* Phase 1, Main Mode */
	PH1_MM_I1_SENT,   /* initiator: SA sent */
	PH1_MM_I2_SENT,   /* initiator: KE, Ni sent */
	PH1_MM_I3_SENT,   /* initiator: IDii, HASH_I sent (encrypted) */
	PH1_MM_R_START,   /* responder: I1 to come (a pseudo state, never stored) */
	PH1_MM_R1_SENT,   /* responder: SA sent */
	PH1_MM_R2_SENT,   /* responder: KE, Nr sent */
	/* Phase 1, Aggressive Mode */
	PH1_AM_I1_SENT,   /* initiator: SA, KE, Ni, IDii sent */
	PH1_AM_R_START,
	PH1_AM_R1_SENT,   /* responder: SA, KE, Nr, IDir, HASH_R sent */
	PH1_ESTABLISHED,
	PH1_EXPIRED,      /* past its lifetime: no new Phase 2 on it, dies at hard expiry */
	/* Phase 2, Quick Mode */
	PH2_QM_I_PH1_WAIT, /* initiator: waiting for the ISAKMP SA */
	PH2_QM_I_SPI_WAIT, /* initiator: waiting for the kernel's SPIs */
	PH2_QM_I1_SENT,    /* HASH(1), SA, Ni [, KE] [, IDci, IDcr] sent */
	PH2_QM_I_COMMIT,   /* HASH(3) sent with the commit bit: waiting for CONNECTED */
	PH2_QM_R_START,
	PH2_QM_R_SPI_WAIT, /* responder: I1 accepted, waiting for the kernel's SPIs */
	PH2_QM_R1_SENT,    /* HASH(2), SA, Nr [, KE] [, IDci, IDcr] sent */
	PH2_ESTABLISHED,
	PH2_EXPIRED,       /* soft lifetime passed; replaced or waiting for hard expiry */
	IKE_S_COUNT
};

/* Authentication classes of the rows (PSK now; signatures come with certificates). */
enum ike_auth_class {
	IKE_AUTH_ANY = 0,
	IKE_AUTH_PSK = 1,
	IKE_AUTH_SIG = 2,
};

/* What a handler returns (architecture idea 6). */
enum ike_stf {
	STF_OK = 0,   /* transition done: change state, send the reply, arm the timer */
	STF_IGNORE,   /* drop the message; the SA stays as it was */
	STF_SUSPEND,  /* waiting for the kernel (SPIs); the handler set a waiting state */
	STF_FAIL,     /* negotiation failed: answer with md->notify (if any), SA dies */
	STF_FATAL,    /* SA dies without an answer */
};

/* Payload bits for the row masks: one bit per ISAKMP payload type we take. */
uint64_t ike_pbit(uint8_t payload_type);
#define IKE_PB(t) (1ull << (t)) /* types below 60 */
#define IKE_PB_NATD_DRAFT (1ull << 60)
#define IKE_PB_NATOA_DRAFT (1ull << 61)
#define IKE_PB_FRAG (1ull << 62)
#define IKE_PB_OTHER (1ull << 63)

enum ike_timer_kind {
	IKE_T_NONE = 0,
	IKE_T_RETRANSMIT, /* we sent a message and expect an answer */
	IKE_T_RESPONDER,  /* we answered; the peer's next message is due (negotiation timer) */
	IKE_T_LIFETIME,   /* established: soft/hard lifetimes */
};

struct ike_md;
typedef enum ike_stf (*ike_handler_fn)(struct ike_md *md);

struct ike_transition {
	const char *name;         /* "main_inI1_outR1" */
	enum ike_state from, to;
	uint8_t exchange;         /* ISAKMP_EXCH_* */
	enum ike_auth_class auth;
	uint64_t req, opt;        /* payload bits */
	bool enc_in;              /* the message must arrive encrypted */
	bool reply;               /* the handler builds a reply */
	enum ike_timer_kind timer;
	ike_handler_fn handler;
};

const char *ike_state_name(enum ike_state s);
bool ike_state_is_ph1(enum ike_state s);
bool ike_state_is_ph2(enum ike_state s);

/* The row for a message in state `from`; NULL when the state takes no such message. */
const struct ike_transition *ike_transition_find(enum ike_state from, uint8_t exchange,
						 enum ike_auth_class auth);
/* Checks a table (every row well-formed, no two rows for one (state, exchange, auth),
 * every waiting state has a row, every row's target exists). Returns the number of
 * problems found, each logged. */
unsigned ike_states_check_table(const struct ike_transition *t, unsigned n);
unsigned ike_states_check(void);
const struct ike_transition *ike_transitions(unsigned *n);

#endif
