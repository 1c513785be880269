/* random: bytes from the kernel's CSPRNG (getrandom(2)); nonces, SPIs, DH exponents. */
#ifndef RACOON_CRYPTO_RANDOM_H
#define RACOON_CRYPTO_RANDOM_H

#include <stddef.h>

/* Fill p with n random bytes. 0, or a negative errno (never a short fill). Thread-safe. */
int crypto_random(void *p, size_t n);

#endif
