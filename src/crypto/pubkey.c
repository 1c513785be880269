/* pubkey: GnuTLS behind opaque key and certificate handles. */
#include <errno.h>
#include <fcntl.h>
#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto/pubkey.h"

#define PUBKEY_FILE_MAX (1024u * 1024u)

struct crypto_privkey {
	gnutls_privkey_t k;
};
struct crypto_pubkey {
	gnutls_pubkey_t k;
};
struct crypto_cert {
	gnutls_x509_crt_t c;
};

static int map_err(int gerr)
{
	switch (gerr) {
	case GNUTLS_E_MEMORY_ERROR:
		return -ENOMEM;
	case GNUTLS_E_SHORT_MEMORY_BUFFER:
		return -ENOSPC;
	case GNUTLS_E_INVALID_REQUEST:
		return -EINVAL;
	default:
		return -EBADMSG;
	}
}

/* Read a whole (small) file into an owned buffer; secret ones are wiped on free. */
static int read_file(const char *path, bool secret, struct buf *out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	struct stat st;
	int r = fstat(fd, &st) < 0 ? -errno : 0;
	if (r == 0 && (st.st_size <= 0 || (uint64_t)st.st_size > PUBKEY_FILE_MAX))
		r = st.st_size <= 0 ? -EBADMSG : -EFBIG;
	uint8_t *d = NULL;
	if (r == 0) {
		r = secret ? buf_init_secret(out, (size_t)st.st_size) : buf_init(out, (size_t)st.st_size);
		d = r == 0 ? buf_reserve(out, (size_t)st.st_size) : NULL;
		if (r == 0 && !d)
			r = -ENOMEM;
	}
	for (size_t got = 0; r == 0 && got < (size_t)st.st_size;) {
		ssize_t n = read(fd, d + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			r = n < 0 ? -errno : -EBADMSG; /* shrank while reading */
		else
			got += (size_t)n;
	}
	close(fd);
	if (r < 0)
		buf_free(out);
	return r;
}

static gnutls_datum_t datum(const struct buf *b)
{
	gnutls_datum_t d = { b->ptr, (unsigned)b->len };
	return d;
}

/* Copy a GnuTLS-allocated datum into an owned buffer and free it. */
static int datum_to_buf(gnutls_datum_t *d, bool secret, struct buf *out)
{
	size_t max = d->size ? d->size : 1;
	int r = secret ? buf_init_secret(out, max) : buf_init(out, max);
	if (r == 0 && !buf_put_bytes(out, d->data, d->size))
		r = -ENOMEM;
	if (secret)
		buf_wipe(d->data, d->size);
	gnutls_free(d->data);
	d->data = NULL;
	if (r < 0)
		buf_free(out);
	return r;
}

int crypto_privkey_import(const struct buf *data, struct crypto_privkey **out)
{
	if (!data || !data->ptr || !data->len || data->len > PUBKEY_FILE_MAX || !out)
		return -EINVAL;
	struct crypto_privkey *k = calloc(1, sizeof(*k));
	if (!k || gnutls_privkey_init(&k->k) < 0) {
		free(k);
		return -ENOMEM;
	}
	gnutls_datum_t d = datum(data);
	int g = gnutls_privkey_import_x509_raw(k->k, &d, GNUTLS_X509_FMT_PEM, NULL, 0);
	if (g < 0)
		g = gnutls_privkey_import_x509_raw(k->k, &d, GNUTLS_X509_FMT_DER, NULL, 0);
	if (g >= 0 && gnutls_privkey_get_pk_algorithm(k->k, NULL) != GNUTLS_PK_RSA)
		g = GNUTLS_E_UNKNOWN_PK_ALGORITHM; /* only RSA for IKEv1 for now */
	if (g < 0) {
		crypto_privkey_free(k);
		return map_err(g);
	}
	*out = k;
	return 0;
}

int crypto_privkey_load(const char *path, struct crypto_privkey **out)
{
	struct buf b = { 0 };
	int r = read_file(path, true, &b);
	if (r == 0)
		r = crypto_privkey_import(&b, out);
	buf_free(&b);
	return r;
}

int crypto_privkey_generate_rsa(unsigned bits, struct crypto_privkey **out)
{
	if (bits < 1024 || bits > 16384 || !out)
		return -EINVAL;
	struct crypto_privkey *k = calloc(1, sizeof(*k));
	if (!k || gnutls_privkey_init(&k->k) < 0) {
		free(k);
		return -ENOMEM;
	}
	int g = gnutls_privkey_generate(k->k, GNUTLS_PK_RSA, bits, 0);
	if (g < 0) {
		crypto_privkey_free(k);
		return map_err(g);
	}
	*out = k;
	return 0;
}

unsigned crypto_privkey_bits(const struct crypto_privkey *k)
{
	unsigned bits = 0;
	if (k)
		gnutls_privkey_get_pk_algorithm(k->k, &bits);
	return bits;
}

void crypto_privkey_free(struct crypto_privkey *k)
{
	if (!k)
		return;
	if (k->k)
		gnutls_privkey_deinit(k->k); /* GnuTLS clears key material on deinit */
	free(k);
}

static int pubkey_new(struct crypto_pubkey **out)
{
	struct crypto_pubkey *k = calloc(1, sizeof(*k));
	if (!k || gnutls_pubkey_init(&k->k) < 0) {
		free(k);
		return -ENOMEM;
	}
	*out = k;
	return 0;
}

static int pubkey_finish(struct crypto_pubkey *k, int g, struct crypto_pubkey **out)
{
	if (g >= 0 && gnutls_pubkey_get_pk_algorithm(k->k, NULL) != GNUTLS_PK_RSA)
		g = GNUTLS_E_UNKNOWN_PK_ALGORITHM;
	if (g < 0) {
		crypto_pubkey_free(k);
		return map_err(g);
	}
	*out = k;
	return 0;
}

int crypto_pubkey_from_privkey(const struct crypto_privkey *priv, struct crypto_pubkey **out)
{
	struct crypto_pubkey *k;
	if (!priv || !out)
		return -EINVAL;
	int r = pubkey_new(&k);
	if (r < 0)
		return r;
	return pubkey_finish(k, gnutls_pubkey_import_privkey(k->k, priv->k, 0, 0), out);
}

int crypto_pubkey_import(const struct buf *data, struct crypto_pubkey **out)
{
	struct crypto_pubkey *k;
	if (!data || !data->ptr || !data->len || data->len > PUBKEY_FILE_MAX || !out)
		return -EINVAL;
	int r = pubkey_new(&k);
	if (r < 0)
		return r;
	gnutls_datum_t d = datum(data);
	int g = gnutls_pubkey_import(k->k, &d, GNUTLS_X509_FMT_PEM);
	if (g < 0)
		g = gnutls_pubkey_import(k->k, &d, GNUTLS_X509_FMT_DER);
	return pubkey_finish(k, g, out);
}

unsigned crypto_pubkey_bits(const struct crypto_pubkey *k)
{
	unsigned bits = 0;
	if (k)
		gnutls_pubkey_get_pk_algorithm(k->k, &bits);
	return bits;
}

void crypto_pubkey_free(struct crypto_pubkey *k)
{
	if (!k)
		return;
	if (k->k)
		gnutls_pubkey_deinit(k->k);
	free(k);
}

int crypto_cert_import(const struct buf *data, struct crypto_cert **out)
{
	if (!data || !data->ptr || !data->len || data->len > PUBKEY_FILE_MAX || !out)
		return -EINVAL;
	struct crypto_cert *c = calloc(1, sizeof(*c));
	if (!c || gnutls_x509_crt_init(&c->c) < 0) {
		free(c);
		return -ENOMEM;
	}
	gnutls_datum_t d = datum(data);
	int g = gnutls_x509_crt_import(c->c, &d, GNUTLS_X509_FMT_PEM);
	if (g < 0)
		g = gnutls_x509_crt_import(c->c, &d, GNUTLS_X509_FMT_DER);
	if (g < 0) {
		crypto_cert_free(c);
		return map_err(g);
	}
	*out = c;
	return 0;
}

int crypto_cert_load(const char *path, struct crypto_cert **out)
{
	struct buf b = { 0 };
	int r = read_file(path, false, &b);
	if (r == 0)
		r = crypto_cert_import(&b, out);
	buf_free(&b);
	return r;
}

int crypto_cert_der(const struct crypto_cert *c, struct buf *out)
{
	gnutls_datum_t d = { NULL, 0 };
	if (!c || !out)
		return -EINVAL;
	int g = gnutls_x509_crt_export2(c->c, GNUTLS_X509_FMT_DER, &d);
	return g < 0 ? map_err(g) : datum_to_buf(&d, false, out);
}

int crypto_cert_subject(const struct crypto_cert *c, char *s, size_t size)
{
	gnutls_datum_t d = { NULL, 0 };
	if (!c || !s || !size)
		return -EINVAL;
	int g = gnutls_x509_crt_get_dn3(c->c, &d, 0);
	if (g < 0)
		return map_err(g);
	int r = d.size < size ? 0 : -ENOSPC;
	if (r == 0) {
		memcpy(s, d.data, d.size);
		s[d.size] = '\0';
	}
	gnutls_free(d.data);
	return r;
}

int crypto_cert_subject_der(const struct crypto_cert *c, struct buf *out)
{
	gnutls_datum_t d = { NULL, 0 };
	if (!c || !out)
		return -EINVAL;
	/* GnuTLS allocates a copy (to be released with gnutls_free) */
	int g = gnutls_x509_crt_get_raw_dn(c->c, &d);
	return g < 0 ? map_err(g) : datum_to_buf(&d, false, out);
}

int crypto_cert_pubkey(const struct crypto_cert *c, struct crypto_pubkey **out)
{
	struct crypto_pubkey *k;
	if (!c || !out)
		return -EINVAL;
	int r = pubkey_new(&k);
	if (r < 0)
		return r;
	return pubkey_finish(k, gnutls_pubkey_import_x509(k->k, c->c, 0), out);
}

void crypto_cert_free(struct crypto_cert *c)
{
	if (!c)
		return;
	if (c->c)
		gnutls_x509_crt_deinit(c->c);
	free(c);
}

int crypto_rsa_sign(const struct crypto_privkey *k, const void *hash, size_t len,
		    struct buf *sig)
{
	if (!k || !hash || !len || len > 64 || !sig)
		return -EINVAL;
	gnutls_datum_t h = { (unsigned char *)hash, (unsigned)len }, s = { NULL, 0 };
	/* TLS1_RSA: PKCS#1 v1.5 type 1 over the raw bytes, no DigestInfo */
	int g = gnutls_privkey_sign_hash(k->k, 0, GNUTLS_PRIVKEY_SIGN_FLAG_TLS1_RSA, &h, &s);
	return g < 0 ? map_err(g) : datum_to_buf(&s, false, sig);
}

int crypto_rsa_verify(const struct crypto_pubkey *k, const void *hash, size_t len,
		      const struct buf *sig)
{
	if (!k || !hash || !len || len > 64 || !sig || !sig->ptr || !sig->len)
		return -EINVAL;
	gnutls_datum_t h = { (unsigned char *)hash, (unsigned)len }, s = datum(sig);
	int g = gnutls_pubkey_verify_hash2(k->k, GNUTLS_SIGN_UNKNOWN, GNUTLS_VERIFY_USE_TLS1_RSA,
					   &h, &s);
	return g < 0 ? -EBADMSG : 0;
}
