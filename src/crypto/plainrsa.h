/* plainrsa: the plain RSA key file format of racoon's plainrsa-gen (FreeS/WAN style).
 *
 * A private key file holds one `: RSA { ... }` block with `Modulus:`, `PublicExponent:`,
 * `PrivateExponent:`, `Prime1:`, `Prime2:`, `Exponent1:`, `Exponent2:`, `Coefficient:`
 * as 0x hex; a public key file `: PUB 0s<base64>` where the base64 blob is RFC 3110's
 * (exponent length in one byte, or a zero byte and two bytes; exponent; modulus).
 * `#` starts a comment. Limits (stated in plainrsa-gen(8)/racoon.conf(5)): one key per
 * file, no address selectors before the colon (-EOPNOTSUPP), a private key needs both
 * primes. Parse errors are -EBADMSG with *line set to the offending line.
 */
#ifndef RACOON_CRYPTO_PLAINRSA_H
#define RACOON_CRYPTO_PLAINRSA_H

#include "common/buf.h"
#include "crypto/pubkey.h"

/* The file plainrsa-gen writes: a `# : PUB 0s...` comment line, then the RSA block.
 * out (zeroed or freed) is a secret buffer of text, not NUL-terminated. */
int crypto_plainrsa_format(const struct crypto_privkey *k, struct buf *out);
/* "0s<base64>" of the RFC 3110 public key blob, NUL-terminated in out. */
int crypto_plainrsa_pubkey_b64(const struct crypto_pubkey *k, struct buf *out);

/* Parse a private key (an RSA block) or a public key (PUB, or the public half of an RSA
 * block). line (may be NULL) gets the line of a parse error, 0 when not line-bound. */
int crypto_plainrsa_parse_privkey(const struct buf *text, struct crypto_privkey **out,
				  unsigned *line);
int crypto_plainrsa_parse_pubkey(const struct buf *text, struct crypto_pubkey **out,
				 unsigned *line);
int crypto_plainrsa_load_privkey(const char *path, struct crypto_privkey **out, unsigned *line);
int crypto_plainrsa_load_pubkey(const char *path, struct crypto_pubkey **out, unsigned *line);

#endif
