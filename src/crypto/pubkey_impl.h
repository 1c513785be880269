/* pubkey_impl: the GnuTLS handles behind crypto/pubkey.h (crypto-internal). */
#ifndef RACOON_CRYPTO_PUBKEY_IMPL_H
#define RACOON_CRYPTO_PUBKEY_IMPL_H

#include <gnutls/abstract.h>
#include <gnutls/x509.h>

struct crypto_privkey {
	gnutls_privkey_t k;
};
struct crypto_pubkey {
	gnutls_pubkey_t k;
};
struct crypto_cert {
	gnutls_x509_crt_t c;
};

#endif
