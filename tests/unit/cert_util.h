/* cert_util: a test CA, host certificates and keys made with GnuTLS at test time
 * (header-only; test_ike_rsasig and tests/vm/mkcert use it). Keys are 2048-bit RSA. */
#ifndef RACOON_TESTS_CERT_UTIL_H
#define RACOON_TESTS_CERT_UTIL_H

#include <arpa/inet.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* 0 or a GnuTLS error. */
static inline int tc_key(gnutls_x509_privkey_t *k)
{
	int g = gnutls_x509_privkey_init(k);
	return g < 0 ? g : gnutls_x509_privkey_generate(*k, GNUTLS_PK_RSA, 2048, 0);
}

/* A certificate for key with subject dn (and a subjectAltName IP when ip is set),
 * valid from nb to na, signed by issuer/ikey (NULL: self-signed). ca: a CA. */
static inline int tc_cert(gnutls_x509_crt_t *out, gnutls_x509_privkey_t key, const char *dn,
			  const char *ip, time_t nb, time_t na, bool ca, gnutls_x509_crt_t issuer,
			  gnutls_x509_privkey_t ikey, unsigned serial)
{
	gnutls_x509_crt_t c;
	int g = gnutls_x509_crt_init(&c);
	if (g < 0)
		return g;
	unsigned char sn[4] = { 0, 0, (unsigned char)(serial >> 8), (unsigned char)serial };
	if ((g = gnutls_x509_crt_set_key(c, key)) >= 0 &&
	    (g = gnutls_x509_crt_set_dn(c, dn, NULL)) >= 0 &&
	    (g = gnutls_x509_crt_set_version(c, 3)) >= 0 &&
	    (g = gnutls_x509_crt_set_serial(c, sn, sizeof(sn))) >= 0 &&
	    (g = gnutls_x509_crt_set_activation_time(c, nb)) >= 0 &&
	    (g = gnutls_x509_crt_set_expiration_time(c, na)) >= 0 &&
	    (g = gnutls_x509_crt_set_basic_constraints(c, ca, -1)) >= 0 &&
	    (g = gnutls_x509_crt_set_key_usage(c, ca ? GNUTLS_KEY_KEY_CERT_SIGN |
							       GNUTLS_KEY_CRL_SIGN
							 : GNUTLS_KEY_DIGITAL_SIGNATURE)) >= 0) {
		if (ip) {
			unsigned char a[16];
			int fam = strchr(ip, ':') ? AF_INET6 : AF_INET;
			if (inet_pton(fam, ip, a) == 1)
				g = gnutls_x509_crt_set_subject_alt_name(
					c, GNUTLS_SAN_IPADDRESS, a, fam == AF_INET ? 4 : 16,
					GNUTLS_FSAN_SET);
		}
		if (g >= 0)
			g = gnutls_x509_crt_sign2(c, issuer ? issuer : c, issuer ? ikey : key,
						  GNUTLS_DIG_SHA256, 0);
	}
	if (g < 0) {
		gnutls_x509_crt_deinit(c);
		return g;
	}
	*out = c;
	return 0;
}

static inline int tc_write(const char *path, const gnutls_datum_t *d)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	bool ok = fwrite(d->data, 1, d->size, f) == d->size;
	return fclose(f) == 0 && ok ? 0 : -1;
}

static inline int tc_write_cert(const char *path, gnutls_x509_crt_t c)
{
	gnutls_datum_t d = { NULL, 0 };
	int g = gnutls_x509_crt_export2(c, GNUTLS_X509_FMT_PEM, &d);
	if (g >= 0)
		g = tc_write(path, &d);
	gnutls_free(d.data);
	return g;
}

static inline int tc_write_key(const char *path, gnutls_x509_privkey_t k)
{
	gnutls_datum_t d = { NULL, 0 };
	int g = gnutls_x509_privkey_export2(k, GNUTLS_X509_FMT_PEM, &d);
	if (g >= 0)
		g = tc_write(path, &d);
	gnutls_free(d.data);
	return g;
}

#endif
