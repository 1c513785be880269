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
#include "crypto/pubkey_impl.h"
#include "crypto/readfile.h"



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

int crypto_read_file(const char *path, bool secret, struct buf *out)
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
/* Move d's bytes from offset skip into an owned buffer; d is wiped (secret) and freed. */
static int datum_move(gnutls_datum_t *d, size_t skip, bool secret, struct buf *out)
{
	size_t len = d->size - skip, max = len ? len : 1;
	int r = secret ? buf_init_secret(out, max) : buf_init(out, max);
	if (r == 0 && !buf_put_bytes(out, d->data + skip, len))
		r = -ENOMEM;
	if (secret)
		buf_wipe(d->data, d->size);
	gnutls_free(d->data);
	d->data = NULL;
	if (r < 0)
		buf_free(out);
	return r;
}

static int datum_to_buf(gnutls_datum_t *d, bool secret, struct buf *out)
{
	return datum_move(d, 0, secret, out);
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
	int r = crypto_read_file(path, true, &b);
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
	int r = crypto_read_file(path, false, &b);
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

/* A number exported by GnuTLS, leading zero bytes dropped, into an owned buffer (and the
 * GnuTLS copy freed, wiped when secret). */
static int mpi_to_buf(gnutls_datum_t *d, bool secret, struct buf *out)
{
	size_t skip = 0;
	while (skip + 1 < d->size && d->data[skip] == 0)
		skip++;
	return datum_move(d, skip, secret, out);
}

void crypto_rsa_params_free(struct crypto_rsa_params *p)
{
	if (!p)
		return;
	struct buf *all[] = { &p->n, &p->e, &p->d, &p->p1, &p->p2, &p->e1, &p->e2, &p->coef };
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		buf_free(all[i]);
}

int crypto_privkey_rsa_params(const struct crypto_privkey *k, struct crypto_rsa_params *out)
{
	if (!k || !out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	gnutls_datum_t d[8];
	memset(d, 0, sizeof(d));
	int g = gnutls_privkey_export_rsa_raw2(k->k, &d[0], &d[1], &d[2], &d[3], &d[4], &d[5],
					       &d[6], &d[7], GNUTLS_EXPORT_FLAG_NO_LZ);
	if (g < 0)
		return map_err(g);
	/* GnuTLS's order: m, e, d, p, q, u, e1, e2 */
	struct buf *dst[8] = { &out->n, &out->e, &out->d, &out->p1, &out->p2, &out->coef,
			       &out->e1, &out->e2 };
	int r = 0;
	for (int i = 0; i < 8; i++) {
		int ri = mpi_to_buf(&d[i], i >= 2, dst[i]);
		if (r == 0)
			r = ri;
	}
	if (r < 0)
		crypto_rsa_params_free(out);
	return r;
}

static bool same_number(const struct buf *given, const struct buf *ours)
{
	size_t skip = 0;
	while (skip < given->len && given->ptr[skip] == 0)
		skip++;
	return given->len - skip == ours->len &&
	       buf_equal_ct(given->ptr + skip, ours->ptr, ours->len);
}

int crypto_privkey_from_rsa_params(const struct crypto_rsa_params *p, struct crypto_privkey **out)
{
	if (!p || !out || !p->n.len || !p->e.len || !p->d.len || !p->p1.len || !p->p2.len ||
	    p->n.len > 2048 || p->e.len > 2048 || p->d.len > 2048 || p->p1.len > 2048 ||
	    p->p2.len > 2048)
		return -EINVAL;
	struct crypto_privkey *k = calloc(1, sizeof(*k));
	if (!k || gnutls_privkey_init(&k->k) < 0) {
		free(k);
		return -ENOMEM;
	}
	gnutls_datum_t n = datum(&p->n), e = datum(&p->e), d = datum(&p->d);
	gnutls_datum_t p1 = datum(&p->p1), p2 = datum(&p->p2);
	/* GnuTLS recomputes e1, e2 and coef from d, p and q on import */
	int g = gnutls_privkey_import_rsa_raw(k->k, &n, &e, &d, &p1, &p2, NULL, NULL, NULL);
	if (g >= 0)
		g = gnutls_privkey_verify_params(k->k); /* n = pq, ed = 1 mod lcm(p-1, q-1) */
	if (g < 0) {
		crypto_privkey_free(k);
		return g == GNUTLS_E_MEMORY_ERROR ? -ENOMEM : -EBADMSG;
	}
	int r = 0;
	if (p->e1.len || p->e2.len || p->coef.len) {
		/* given CRT numbers must be the right ones, not silently replaced */
		struct crypto_rsa_params ours;
		r = crypto_privkey_rsa_params(k, &ours);
		if (r == 0 && !(same_number(&p->e1, &ours.e1) && same_number(&p->e2, &ours.e2) &&
				same_number(&p->coef, &ours.coef)))
			r = -EBADMSG;
		if (r == 0 && !(same_number(&p->n, &ours.n) && same_number(&p->e, &ours.e)))
			r = -EBADMSG;
		crypto_rsa_params_free(&ours);
	}
	if (r < 0) {
		crypto_privkey_free(k);
		return r;
	}
	*out = k;
	return 0;
}

int crypto_pubkey_from_rsa(const struct buf *n, const struct buf *e, struct crypto_pubkey **out)
{
	struct crypto_pubkey *k;
	if (!n || !e || !n->len || !e->len || n->len > 2048 || e->len > 2048 || !out)
		return -EINVAL;
	int r = pubkey_new(&k);
	if (r < 0)
		return r;
	gnutls_datum_t dn = datum(n), de = datum(e);
	return pubkey_finish(k, gnutls_pubkey_import_rsa_raw(k->k, &dn, &de), out);
}

int crypto_pubkey_rsa_params(const struct crypto_pubkey *k, struct buf *n, struct buf *e)
{
	if (!k || !n || !e)
		return -EINVAL;
	gnutls_datum_t dn = { NULL, 0 }, de = { NULL, 0 };
	int g = gnutls_pubkey_export_rsa_raw2(k->k, &dn, &de, GNUTLS_EXPORT_FLAG_NO_LZ);
	if (g < 0)
		return map_err(g);
	int r = mpi_to_buf(&dn, false, n);
	int r2 = mpi_to_buf(&de, false, e);
	if (r == 0 && r2 < 0) {
		buf_free(n);
		r = r2;
	} else if (r < 0 && r2 == 0) {
		buf_free(e);
	}
	return r;
}

bool crypto_pubkey_equal(const struct crypto_pubkey *a, const struct crypto_pubkey *b)
{
	struct buf na = { 0 }, ea = { 0 }, nb = { 0 }, eb = { 0 };
	bool eq = a && b && crypto_pubkey_rsa_params(a, &na, &ea) == 0 &&
		  crypto_pubkey_rsa_params(b, &nb, &eb) == 0 && na.len == nb.len &&
		  ea.len == eb.len && memcmp(na.ptr, nb.ptr, na.len) == 0 &&
		  memcmp(ea.ptr, eb.ptr, ea.len) == 0;
	buf_free(&na);
	buf_free(&ea);
	buf_free(&nb);
	buf_free(&eb);
	return eq;
}
