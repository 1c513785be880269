/* cert_verify: X.509 path validation against a CA file or folder, distinguished names,
 * and the identity checks a peer's certificate must pass (GnuTLS). */
#include <arpa/inet.h>
#include <errno.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crypto/pubkey.h"
#include "crypto/pubkey_impl.h"


static void say(char *why, size_t n, const char *s)
{
	if (why && n)
		snprintf(why, n, "%s", s);
}

int crypto_cert_verify(const struct crypto_cert *c, const char *ca_file, const char *ca_dir,
		       char *why, size_t whylen)
{
	gnutls_x509_trust_list_t tl;
	say(why, whylen, "");
	if (!c || (!ca_file && !ca_dir))
		return -EINVAL;
	if (gnutls_x509_trust_list_init(&tl, 0) < 0)
		return -ENOMEM;
	int n = ca_file ? gnutls_x509_trust_list_add_trust_file(tl, ca_file, NULL,
								GNUTLS_X509_FMT_PEM, 0, 0)
			: gnutls_x509_trust_list_add_trust_dir(tl, ca_dir, NULL,
							       GNUTLS_X509_FMT_PEM, 0, 0);
	if (n <= 0) {
		gnutls_x509_trust_list_deinit(tl, 1);
		say(why, whylen, "no CA certificate could be loaded");
		return -ENOENT;
	}
	unsigned status = 0;
	gnutls_x509_crt_t list[1] = { c->c };
	int g = gnutls_x509_trust_list_verify_crt(tl, list, 1, 0, &status, NULL);
	gnutls_x509_trust_list_deinit(tl, 1);
	if (g < 0) {
		say(why, whylen, gnutls_strerror(g));
		return -EBADMSG;
	}
	if (status == 0)
		return 0;
	gnutls_datum_t txt = { NULL, 0 };
	if (gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509, &txt, 0) >= 0) {
		say(why, whylen, (const char *)txt.data);
		gnutls_free(txt.data);
	}
	/* an untrusted signer outranks the dates: say "not trusted" first */
	if (!(status & (GNUTLS_CERT_SIGNER_NOT_FOUND | GNUTLS_CERT_SIGNATURE_FAILURE)) &&
	    (status & (GNUTLS_CERT_EXPIRED | GNUTLS_CERT_NOT_ACTIVATED)))
		return -EKEYEXPIRED;
	return -EBADMSG;
}

int crypto_dn_from_str(const char *s, struct buf *der)
{
	gnutls_x509_dn_t dn;
	gnutls_datum_t d = { NULL, 0 };
	if (!s || !der)
		return -EINVAL;
	if (gnutls_x509_dn_init(&dn) < 0)
		return -ENOMEM;
	int g = gnutls_x509_dn_set_str(dn, s, NULL);
	if (g >= 0)
		g = gnutls_x509_dn_export2(dn, GNUTLS_X509_FMT_DER, &d);
	gnutls_x509_dn_deinit(dn);
	if (g < 0)
		return -EBADMSG;
	int r = buf_dup(der, d.data, d.size, false);
	gnutls_free(d.data);
	return r;
}

int crypto_dn_to_str(const struct buf *der, char *s, size_t size)
{
	gnutls_x509_dn_t dn;
	gnutls_datum_t in = { der ? der->ptr : NULL, der ? (unsigned)der->len : 0 }, out = { 0 };
	if (!der || !der->len || !s || !size)
		return -EINVAL;
	if (gnutls_x509_dn_init(&dn) < 0)
		return -ENOMEM;
	int g = gnutls_x509_dn_import(dn, &in);
	if (g >= 0)
		g = gnutls_x509_dn_get_str2(dn, &out, 0);
	gnutls_x509_dn_deinit(dn);
	if (g < 0)
		return -EBADMSG;
	int r = out.size < size ? 0 : -ENOSPC;
	if (r == 0) {
		memcpy(s, out.data, out.size);
		s[out.size] = '\0';
	}
	gnutls_free(out.data);
	return r;
}

/* Split an RFC 4514 string at its unescaped commas, in place. */
static size_t split_rdns(char *s, char **rdn, size_t max)
{
	size_t n = 0;
	char *start = s;
	for (char *p = s;; p++) {
		if (*p == '\\' && p[1]) {
			p++;
			continue;
		}
		if (*p == ',' || *p == '\0') {
			bool end = *p == '\0';
			*p = '\0';
			if (n == max)
				return max + 1;
			rdn[n++] = start;
			if (end)
				return n;
			start = p + 1;
		}
	}
}

static bool rdn_match(const char *have, const char *want)
{
	const char *eh = strchr(have, '='), *ew = strchr(want, '=');
	if (!eh || !ew || eh - have != ew - want || strncasecmp(have, want, (size_t)(eh - have)))
		return false;
	return strcmp(ew + 1, "*") == 0 || strcmp(eh + 1, ew + 1) == 0;
}

bool crypto_dn_match(const struct buf *der, const char *pattern)
{
	/* both sides through GnuTLS's printer: one spelling of each attribute and value */
	struct buf pder = { 0 };
	static const size_t MAXS = 2048;
	char *have = malloc(MAXS), *want = malloc(MAXS);
	bool ok = have && want && crypto_dn_from_str(pattern, &pder) == 0 &&
		  crypto_dn_to_str(der, have, MAXS) == 0 && crypto_dn_to_str(&pder, want, MAXS) == 0;
	if (ok) {
		char *h[32], *w[32];
		size_t nh = split_rdns(have, h, 32), nw = split_rdns(want, w, 32);
		ok = nh == nw && nh <= 32;
		for (size_t i = 0; ok && i < nh; i++)
			ok = rdn_match(h[i], w[i]);
	}
	buf_free(&pder);
	free(have);
	free(want);
	return ok;
}

bool crypto_cert_has_id(const struct crypto_cert *c, enum crypto_id_kind kind,
			const void *data, size_t len)
{
	if (!c || !data || !len || len > 1024)
		return false;
	char s[1025];
	switch (kind) {
	case CRYPTO_ID_DN: {
		struct buf subj = { 0 }, id = buf_view(data, len);
		char a[1024], b[1024];
		bool ok = crypto_cert_subject_der(c, &subj) == 0 &&
			  crypto_dn_to_str(&subj, a, sizeof(a)) == 0 &&
			  crypto_dn_to_str(&id, b, sizeof(b)) == 0 && strcmp(a, b) == 0;
		buf_free(&subj);
		return ok;
	}
	case CRYPTO_ID_IP:
		if (len != 4 && len != 16)
			return false;
		return gnutls_x509_crt_check_ip(c->c, data, (unsigned)len, 0) != 0;
	case CRYPTO_ID_DNS:
	case CRYPTO_ID_EMAIL:
		if (memchr(data, 0, len))
			return false;
		memcpy(s, data, len);
		s[len] = '\0';
		if (kind == CRYPTO_ID_DNS) /* no wildcard certificates for an exact ID */
			return gnutls_x509_crt_check_hostname2(
				       c->c, s, GNUTLS_VERIFY_DO_NOT_ALLOW_WILDCARDS) != 0;
		return gnutls_x509_crt_check_email(c->c, s, 0) != 0;
	}
	return false;
}
