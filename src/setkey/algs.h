/* algs: setkey's algorithm names -> kernel.h numbers, key sizes and ICV lengths.
 *
 * hmac-sha256/-384/-512 are RFC 4868 (128/192/256-bit ICV). hmac-sha256-96 is the
 * legacy 96-bit truncation some old peers (and PF_KEY on Linux) use: accepted with a
 * warning. aes-gcm-16 is RFC 4106 with the 4-byte salt at the end of its key. Names the
 * reference knows but Linux cannot install are in the table with the reason, so the
 * user gets that reason rather than "unknown algorithm".
 */
#ifndef RACOON_SETKEY_ALGS_H
#define RACOON_SETKEY_ALGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/kernel.h"

struct sk_alg {
	const char *name;
	int kind;           /* KERNEL_CAP_ENC, _AUTH or _COMP */
	int id;             /* enum kernel_enc / kernel_auth / kernel_comp */
	uint16_t key_min;   /* bytes, salt included */
	uint16_t key_max;
	uint16_t key_step;  /* 0: only key_min */
	uint16_t icv_bits;  /* integrity: what we install; 0 for the rest */
	const char *warning; /* shown when used */
	const char *refused; /* non-NULL: the reason this name cannot be used */
};

/* By name as written after -E, -A or -C (len bytes, not NUL-terminated). */
const struct sk_alg *sk_alg_find(int kind, const char *name, size_t len);
/* The entry to print for an installed SA (icv_bits picks hmac-sha256 vs -96). */
const struct sk_alg *sk_alg_by_id(int kind, int id, unsigned icv_bits);
/* Whether len bytes is a valid key for a. */
bool sk_alg_key_ok(const struct sk_alg *a, size_t len);

#endif
