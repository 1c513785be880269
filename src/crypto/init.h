/* init: process-wide set-up of the crypto libraries. Call once at start-up, before
 * worker threads exist (the daemon's main does; tests may). */
#ifndef RACOON_CRYPTO_INIT_H
#define RACOON_CRYPTO_INIT_H

#include <stdbool.h>

/* Make GMP wipe every limb buffer it frees or moves (DH exponents, shared secrets and
 * the temporaries of mpz_powm_sec live there). Idempotent. */
void crypto_init(void);
/* Whether GMP currently uses the wiping allocator (tests). */
bool crypto_gmp_wipes(void);

#endif
