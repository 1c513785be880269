/* pubkey: RSA keys, X.509 certificates and IKEv1 RSA signatures over GnuTLS.
 *
 * IKEv1 signs HASH_I/HASH_R with RSA PKCS#1 v1.5 block type 1 directly over the hash
 * bytes, without the DigestInfo ASN.1 wrapper (RFC 2409 section 5.1; what racoon,
 * strongSwan and Libreswan do). Certificates are verified against a CA file or folder
 * (cert_verify.c).
 * The objects are opaque and immutable after loading, so signing and verifying may run
 * on worker threads. Errors: 0 or a negative errno (-ENOENT, -EBADMSG for input GnuTLS
 * cannot parse, -EINVAL, -ENOMEM, -EFBIG for files over 1 MiB).
 */
#ifndef RACOON_CRYPTO_PUBKEY_H
#define RACOON_CRYPTO_PUBKEY_H

#include <stdbool.h>
#include <stddef.h>

#include "common/buf.h"

struct crypto_privkey;
struct crypto_pubkey;
struct crypto_cert;

/* Private keys: PEM or DER, PKCS#1 or unencrypted PKCS#8. The file is read into wiped
 * memory. */
int crypto_privkey_load(const char *path, struct crypto_privkey **out);
int crypto_privkey_import(const struct buf *data, struct crypto_privkey **out);
/* A fresh RSA key (plainrsa-gen, tests); bits >= 1024. */
int crypto_privkey_generate_rsa(unsigned bits, struct crypto_privkey **out);
/* Same with a chosen public exponent: odd, 3 <= e <= 2^32 - 1 (-EINVAL otherwise). */
int crypto_privkey_generate_rsa_e(unsigned bits, unsigned long e, struct crypto_privkey **out);

/* The raw RSA numbers, big-endian without leading zero bytes. The private ones are in
 * secret buffers (wiped on free). p1 and p2 are the primes, e1 = d mod (p1 - 1),
 * e2 = d mod (p2 - 1), coef = p2^-1 mod p1 (PKCS#1's RSAPrivateKey order). */
struct crypto_rsa_params {
	struct buf n, e, d, p1, p2, e1, e2, coef;
};
int crypto_privkey_rsa_params(const struct crypto_privkey *k, struct crypto_rsa_params *out);
/* A key from n, e, d, p1, p2; e1, e2 and coef are computed when one of them is empty.
 * The numbers are checked for consistency (-EBADMSG if they do not make a key). */
int crypto_privkey_from_rsa_params(const struct crypto_rsa_params *p, struct crypto_privkey **out);
void crypto_rsa_params_free(struct crypto_rsa_params *p);
/* Key size in bits, 0 for NULL. */
unsigned crypto_privkey_bits(const struct crypto_privkey *k);
void crypto_privkey_free(struct crypto_privkey *k);

/* Public keys: from a private key, a certificate or a SubjectPublicKeyInfo (PEM/DER). */
int crypto_pubkey_from_privkey(const struct crypto_privkey *k, struct crypto_pubkey **out);
int crypto_pubkey_import(const struct buf *data, struct crypto_pubkey **out);
/* From the modulus and exponent (big-endian; leading zeros allowed). */
int crypto_pubkey_from_rsa(const struct buf *n, const struct buf *e, struct crypto_pubkey **out);
/* Modulus and exponent of an RSA public key (big-endian, no leading zeros). */
int crypto_pubkey_rsa_params(const struct crypto_pubkey *k, struct buf *n, struct buf *e);
/* Whether two public keys are the same RSA key. */
bool crypto_pubkey_equal(const struct crypto_pubkey *a, const struct crypto_pubkey *b);
unsigned crypto_pubkey_bits(const struct crypto_pubkey *k);
void crypto_pubkey_free(struct crypto_pubkey *k);

/* Certificates: the first one of a PEM file, or one DER certificate. */
int crypto_cert_load(const char *path, struct crypto_cert **out);
int crypto_cert_import(const struct buf *data, struct crypto_cert **out);
/* DER encoding, for the CERT payload; out must be zeroed or freed. */
int crypto_cert_der(const struct crypto_cert *c, struct buf *out);
/* Subject as an RFC 4514 string ("CN=...,O=..."); -ENOSPC if it does not fit. */
int crypto_cert_subject(const struct crypto_cert *c, char *s, size_t size);
/* Subject as DER, for ID_DER_ASN1_DN; out must be zeroed or freed. */
int crypto_cert_subject_der(const struct crypto_cert *c, struct buf *out);
int crypto_cert_pubkey(const struct crypto_cert *c, struct crypto_pubkey **out);
void crypto_cert_free(struct crypto_cert *c);

/* Verify c against the CA certificates of ca_file (PEM, may hold several) or, when it
 * is NULL, of every PEM file in ca_dir; dates are checked against the current time.
 * 0, -ENOENT (no CA could be loaded), -EKEYEXPIRED (expired or not yet valid),
 * -EBADMSG (not signed by a trusted CA, or otherwise invalid). why (may be NULL) gets
 * GnuTLS's reason as text. */
int crypto_cert_verify(const struct crypto_cert *c, const char *ca_file, const char *ca_dir,
		       char *why, size_t whylen);

/* Distinguished names: DER <-> RFC 4514 text ("CN=a,O=b"), through GnuTLS. */
int crypto_dn_from_str(const char *s, struct buf *der);
int crypto_dn_to_str(const struct buf *der, char *s, size_t size);
/* Whether the DER name matches a DN pattern (text in any form crypto_dn_from_str takes):
 * the same attributes in the same order, a value "*" matching any value. */
bool crypto_dn_match(const struct buf *der, const char *pattern);

/* Whether an identity is the certificate's: its subject (DN), or a subjectAltName. */
enum crypto_id_kind { CRYPTO_ID_DN, CRYPTO_ID_IP, CRYPTO_ID_DNS, CRYPTO_ID_EMAIL };
bool crypto_cert_has_id(const struct crypto_cert *c, enum crypto_id_kind kind,
			const void *data, size_t len);

/* IKEv1 RSA signature of a HASH_I/HASH_R value; sig (zeroed or freed) gets modulus-length
 * bytes. Verify returns 0, or -EBADMSG for a wrong signature. */
int crypto_rsa_sign(const struct crypto_privkey *k, const void *hash, size_t len,
		    struct buf *sig);
int crypto_rsa_verify(const struct crypto_pubkey *k, const void *hash, size_t len,
		      const struct buf *sig);

#endif
