/* oakley: IKEv1 key derivation and exchange hashes, one PRF call per RFC formula. */
#include <errno.h>
#include <string.h>

#include "crypto/oakley.h"

static bool have(const struct buf *b)
{
	return b && (b->ptr || b->len == 0);
}

static void put(struct crypto_prf_ctx *c, const struct buf *b)
{
	if (b && b->len)
		crypto_prf_update(c, b->ptr, b->len);
}

static void put_u32(struct crypto_prf_ctx *c, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
	crypto_prf_update(c, b, sizeof(b));
}

/* Finish c into a fresh owned secret buffer. */
static int digest_to_buf(struct crypto_prf_ctx *c, struct buf *out)
{
	size_t n = c->h->digest_len;
	int r = buf_init_secret(out, n);
	uint8_t *d = r == 0 ? buf_reserve(out, n) : NULL;
	if (d)
		crypto_prf_digest(c, d);
	crypto_prf_wipe(c);
	if (!d) {
		buf_free(out);
		return r < 0 ? r : -ENOMEM;
	}
	return 0;
}

int oakley_skeyid_psk(const struct crypto_hash *prf, const struct buf *psk,
		      const struct buf *ni, const struct buf *nr, struct buf *skeyid)
{
	if (!prf || !have(psk) || !have(ni) || !have(nr) || !skeyid)
		return -EINVAL;
	struct crypto_prf_ctx c;
	crypto_prf_init(&c, prf, psk->ptr, psk->len);
	put(&c, ni);
	put(&c, nr);
	return digest_to_buf(&c, skeyid);
}

int oakley_skeyid_sig(const struct crypto_hash *prf, const struct buf *ni,
		      const struct buf *nr, const struct buf *gxy, struct buf *skeyid)
{
	if (!prf || !have(ni) || !have(nr) || !have(gxy) || !skeyid)
		return -EINVAL;
	/* The key is Ni_b | Nr_b; nonces are at most 256 bytes each (RFC 2409 5). */
	uint8_t key[512];
	if (ni->len + nr->len > sizeof(key))
		return -EINVAL;
	if (ni->len)
		memcpy(key, ni->ptr, ni->len);
	if (nr->len)
		memcpy(key + ni->len, nr->ptr, nr->len);
	struct crypto_prf_ctx c;
	crypto_prf_init(&c, prf, key, ni->len + nr->len);
	buf_wipe(key, sizeof(key));
	put(&c, gxy);
	return digest_to_buf(&c, skeyid);
}

void oakley_keys_free(struct oakley_keys *k)
{
	if (!k)
		return;
	buf_free(&k->d);
	buf_free(&k->a);
	buf_free(&k->e);
}

int oakley_skeyid_dae(const struct crypto_hash *prf, const struct buf *skeyid,
		      const struct buf *gxy, const uint8_t *cky_i, const uint8_t *cky_r,
		      struct oakley_keys *out)
{
	if (!prf || !have(skeyid) || !have(gxy) || !cky_i || !cky_r || !out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	struct buf *dst[3] = { &out->d, &out->a, &out->e };
	const struct buf *prev = NULL;
	for (uint8_t i = 0; i < 3; i++) {
		struct crypto_prf_ctx c;
		crypto_prf_init(&c, prf, skeyid->ptr, skeyid->len);
		put(&c, prev); /* SKEYID_a chains SKEYID_d, SKEYID_e chains SKEYID_a */
		put(&c, gxy);
		crypto_prf_update(&c, cky_i, OAKLEY_COOKIE_LEN);
		crypto_prf_update(&c, cky_r, OAKLEY_COOKIE_LEN);
		crypto_prf_update(&c, &i, 1);
		int r = digest_to_buf(&c, dst[i]);
		if (r < 0) {
			oakley_keys_free(out);
			return r;
		}
		prev = dst[i];
	}
	return 0;
}

int oakley_enc_key(const struct crypto_hash *prf, const struct buf *skeyid_e, size_t key_len,
		   struct buf *key)
{
	if (!prf || !have(skeyid_e) || !key || key_len == 0 || key_len > 1024)
		return -EINVAL;
	int r = buf_init_secret(key, key_len);
	if (r < 0)
		return r;
	if (skeyid_e->len >= key_len) {
		if (!buf_put_bytes(key, skeyid_e->ptr, key_len))
			goto nomem;
		return 0;
	}
	/* Appendix B: Ka = K1 | K2 | ..., K1 = prf(SKEYID_e, 0), Ki = prf(SKEYID_e, Ki-1). */
	uint8_t k[CRYPTO_MAX_DIGEST] = { 0 };
	size_t klen = 1; /* the single zero octet */
	struct crypto_prf_ctx c;
	crypto_prf_init(&c, prf, skeyid_e->ptr, skeyid_e->len);
	while (key->len < key_len) {
		crypto_prf_update(&c, k, klen);
		crypto_prf_digest(&c, k);
		klen = prf->digest_len;
		size_t take = key_len - key->len < klen ? key_len - key->len : klen;
		if (!buf_put_bytes(key, k, take))
			break;
	}
	crypto_prf_wipe(&c);
	buf_wipe(k, sizeof(k));
	if (key->len == key_len)
		return 0;
nomem:
	buf_free(key);
	return -ENOMEM;
}

int oakley_iv_phase1(const struct crypto_hash *hash, const struct buf *gxi,
		     const struct buf *gxr, size_t block_len, struct oakley_iv *iv)
{
	if (!hash || !have(gxi) || !have(gxr) || !iv || block_len == 0 ||
	    block_len > CRYPTO_MAX_BLOCK || block_len > hash->digest_len)
		return -EINVAL;
	uint8_t d[CRYPTO_MAX_DIGEST];
	const struct buf *parts[] = { gxi, gxr };
	crypto_hash_v(hash, d, 2, parts);
	memcpy(iv->b, d, block_len);
	iv->len = block_len;
	return 0;
}

int oakley_iv_msgid(const struct crypto_hash *hash, const struct oakley_iv *p1_last,
		    uint32_t msgid, struct oakley_iv *iv)
{
	if (!hash || !p1_last || !iv || p1_last->len == 0 || p1_last->len > CRYPTO_MAX_BLOCK ||
	    p1_last->len > hash->digest_len)
		return -EINVAL;
	uint8_t m[4] = { (uint8_t)(msgid >> 24), (uint8_t)(msgid >> 16), (uint8_t)(msgid >> 8),
			 (uint8_t)msgid };
	struct buf last = buf_view(p1_last->b, p1_last->len), mid = buf_view(m, sizeof(m));
	const struct buf *parts[] = { &last, &mid };
	uint8_t d[CRYPTO_MAX_DIGEST];
	size_t n = p1_last->len;
	crypto_hash_v(hash, d, 2, parts);
	memcpy(iv->b, d, n);
	iv->len = n;
	return 0;
}

/* prf(SKEYID, g^xa | g^xb | CKY-a | CKY-b | SAi_b | ID_b) for either direction. */
static int hash_ir(const struct crypto_hash *prf, const struct buf *skeyid,
		   const struct buf *gxa, const struct buf *gxb, const uint8_t *cky_a,
		   const uint8_t *cky_b, const struct buf *sai_b, const struct buf *id_b,
		   uint8_t *out)
{
	if (!prf || !have(skeyid) || !have(gxa) || !have(gxb) || !cky_a || !cky_b ||
	    !have(sai_b) || !have(id_b) || !out)
		return -EINVAL;
	struct crypto_prf_ctx c;
	crypto_prf_init(&c, prf, skeyid->ptr, skeyid->len);
	put(&c, gxa);
	put(&c, gxb);
	crypto_prf_update(&c, cky_a, OAKLEY_COOKIE_LEN);
	crypto_prf_update(&c, cky_b, OAKLEY_COOKIE_LEN);
	put(&c, sai_b);
	put(&c, id_b);
	crypto_prf_digest(&c, out);
	crypto_prf_wipe(&c);
	return (int)prf->digest_len;
}

int oakley_hash_i(const struct crypto_hash *prf, const struct buf *skeyid,
		  const struct buf *gxi, const struct buf *gxr, const uint8_t *cky_i,
		  const uint8_t *cky_r, const struct buf *sai_b, const struct buf *idii_b,
		  uint8_t *out)
{
	return hash_ir(prf, skeyid, gxi, gxr, cky_i, cky_r, sai_b, idii_b, out);
}

int oakley_hash_r(const struct crypto_hash *prf, const struct buf *skeyid,
		  const struct buf *gxi, const struct buf *gxr, const uint8_t *cky_i,
		  const uint8_t *cky_r, const struct buf *sai_b, const struct buf *idir_b,
		  uint8_t *out)
{
	return hash_ir(prf, skeyid, gxr, gxi, cky_r, cky_i, sai_b, idir_b, out);
}

/* prf(SKEYID_a, [0 |] M-ID | a | b); the shape of all three Quick Mode hashes. */
static int qm_hash(const struct crypto_hash *prf, const struct buf *skeyid_a, bool zero,
		   uint32_t msgid, const struct buf *a, const struct buf *b, uint8_t *out)
{
	if (!prf || !have(skeyid_a) || (a && !have(a)) || (b && !have(b)) || !out)
		return -EINVAL;
	struct crypto_prf_ctx c;
	crypto_prf_init(&c, prf, skeyid_a->ptr, skeyid_a->len);
	if (zero)
		crypto_prf_update(&c, "", 1);
	put_u32(&c, msgid);
	put(&c, a);
	put(&c, b);
	crypto_prf_digest(&c, out);
	crypto_prf_wipe(&c);
	return (int)prf->digest_len;
}

int oakley_qm_hash1(const struct crypto_hash *prf, const struct buf *skeyid_a, uint32_t msgid,
		    const struct buf *rest, uint8_t *out)
{
	return rest ? qm_hash(prf, skeyid_a, false, msgid, rest, NULL, out) : -EINVAL;
}

int oakley_qm_hash2(const struct crypto_hash *prf, const struct buf *skeyid_a, uint32_t msgid,
		    const struct buf *ni, const struct buf *rest, uint8_t *out)
{
	return ni && rest ? qm_hash(prf, skeyid_a, false, msgid, ni, rest, out) : -EINVAL;
}

int oakley_qm_hash3(const struct crypto_hash *prf, const struct buf *skeyid_a, uint32_t msgid,
		    const struct buf *ni, const struct buf *nr, uint8_t *out)
{
	return ni && nr ? qm_hash(prf, skeyid_a, true, msgid, ni, nr, out) : -EINVAL;
}

int oakley_keymat(const struct crypto_hash *prf, const struct buf *skeyid_d,
		  const struct buf *gxy_qm, uint8_t protocol, uint32_t spi, const struct buf *ni,
		  const struct buf *nr, size_t len, struct buf *keymat)
{
	if (!prf || !have(skeyid_d) || (gxy_qm && !have(gxy_qm)) || !have(ni) || !have(nr) ||
	    !keymat || len == 0 || len > 1024)
		return -EINVAL;
	int r = buf_init_secret(keymat, len);
	if (r < 0)
		return r;
	uint8_t k[CRYPTO_MAX_DIGEST];
	size_t klen = 0; /* K1 has no previous block */
	struct crypto_prf_ctx c;
	crypto_prf_init(&c, prf, skeyid_d->ptr, skeyid_d->len);
	while (keymat->len < len) {
		crypto_prf_update(&c, k, klen);
		put(&c, gxy_qm);
		crypto_prf_update(&c, &protocol, 1);
		put_u32(&c, spi);
		put(&c, ni);
		put(&c, nr);
		crypto_prf_digest(&c, k);
		klen = prf->digest_len;
		size_t take = len - keymat->len < klen ? len - keymat->len : klen;
		if (!buf_put_bytes(keymat, k, take))
			break;
	}
	crypto_prf_wipe(&c);
	buf_wipe(k, sizeof(k));
	if (keymat->len == len)
		return 0;
	buf_free(keymat);
	return -ENOMEM;
}
