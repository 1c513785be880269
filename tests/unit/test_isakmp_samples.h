/* Hand-built IKEv1 messages for the isakmp tests, the fuzz seed corpus and the bench:
 * Main Mode 1-6 and Aggressive Mode 1-2 (plaintext bodies), Quick Mode 1-2,
 * informational (DPD, delete), transaction (mode-cfg/XAUTH) and two IKE fragments. */
#ifndef RACOON_TESTS_ISAKMP_SAMPLES_H
#define RACOON_TESTS_ISAKMP_SAMPLES_H

#include "common/buf.h"
#include "isakmp/digest.h"

enum sample {
	S_MM1, S_MM2, S_MM3, S_MM4, S_MM5, S_MM6,
	S_AM1, S_AM2,
	S_QM1, S_QM2,
	S_INFO_DPD, S_INFO_DELETE,
	S_CFG,
	S_FRAG1, S_FRAG2,
	S_COUNT
};

const char *sample_name(enum sample s);
/* Append the plaintext message to out (an owned buf). 0 or negative errno. */
int sample_build(enum sample s, struct buf *out);
/* Build a message again from a digest with the builder (the round-trip oracle). */
int sample_rebuild(const struct isakmp_digest *d, struct buf *out);

#endif
