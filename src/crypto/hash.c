/* hash: IKE hash/PRF table over Nettle's generic hash and HMAC interfaces. */
#include <nettle/hmac.h>
#include <nettle/nettle-meta.h>
#include <string.h>
#include <strings.h>

#include "crypto/hash.h"

static const struct crypto_hash hashes[] = {
	{ "md5", CRYPTO_HASH_MD5, 16, 64, &nettle_md5 },
	{ "sha1", CRYPTO_HASH_SHA1, 20, 64, &nettle_sha1 },
	{ "sha256", CRYPTO_HASH_SHA2_256, 32, 64, &nettle_sha256 },
	{ "sha384", CRYPTO_HASH_SHA2_384, 48, 128, &nettle_sha384 },
	{ "sha512", CRYPTO_HASH_SHA2_512, 64, 128, &nettle_sha512 },
};

/* racoon.conf accepts the sha2_* spellings as aliases. */
static const struct {
	const char *alias, *name;
} hash_aliases[] = {
	{ "sha", "sha1" },
	{ "sha2_256", "sha256" },
	{ "sha2_384", "sha384" },
	{ "sha2_512", "sha512" },
};

const struct crypto_hash *crypto_hash_by_ike(uint16_t ike_id)
{
	for (size_t i = 0; i < sizeof(hashes) / sizeof(hashes[0]); i++)
		if (hashes[i].ike_id == ike_id)
			return &hashes[i];
	return NULL;
}

const struct crypto_hash *crypto_hash_by_name(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < sizeof(hash_aliases) / sizeof(hash_aliases[0]); i++)
		if (!strcasecmp(name, hash_aliases[i].alias))
			name = hash_aliases[i].name;
	for (size_t i = 0; i < sizeof(hashes) / sizeof(hashes[0]); i++)
		if (!strcasecmp(name, hashes[i].name))
			return &hashes[i];
	return NULL;
}

/* Large enough for any Nettle hash context we use (SHA-512's is the largest). */
struct hash_state {
	uint8_t b[256] __attribute__((aligned(16)));
};

void crypto_hash_v(const struct crypto_hash *h, uint8_t *out, size_t n,
		   const struct buf *const parts[])
{
	struct hash_state st;
	_Static_assert(sizeof(struct sha512_ctx) <= sizeof(st.b), "hash state too small");
	h->nettle->init(st.b);
	for (size_t i = 0; i < n; i++)
		if (parts[i] && parts[i]->len)
			h->nettle->update(st.b, parts[i]->len, parts[i]->ptr);
	h->nettle->digest(st.b, h->digest_len, out);
	buf_wipe(&st, sizeof(st));
}

void crypto_hash(const struct crypto_hash *h, const void *p, size_t len, uint8_t *out)
{
	struct buf v = buf_view(p, len);
	const struct buf *parts[] = { &v };
	crypto_hash_v(h, out, 1, parts);
}

void crypto_prf_init(struct crypto_prf_ctx *c, const struct crypto_hash *h, const void *key,
		     size_t keylen)
{
	_Static_assert(sizeof(struct sha512_ctx) <= sizeof(c->state[0]), "prf state too small");
	c->h = h;
	hmac_set_key(c->state[0], c->state[1], c->state[2], h->nettle, keylen, key);
}

void crypto_prf_update(struct crypto_prf_ctx *c, const void *p, size_t len)
{
	if (len)
		hmac_update(c->state[2], c->h->nettle, len, p);
}

void crypto_prf_digest(struct crypto_prf_ctx *c, uint8_t *out)
{
	/* Nettle leaves the state keyed again, ready for the next message. */
	hmac_digest(c->state[0], c->state[1], c->state[2], c->h->nettle, c->h->digest_len, out);
}

void crypto_prf_wipe(struct crypto_prf_ctx *c)
{
	buf_wipe(c->state, sizeof(c->state));
}

void crypto_prf(const struct crypto_hash *h, const void *key, size_t keylen, const void *msg,
		size_t msglen, uint8_t *out)
{
	struct crypto_prf_ctx c;
	crypto_prf_init(&c, h, key, keylen);
	crypto_prf_update(&c, msg, msglen);
	crypto_prf_digest(&c, out);
	crypto_prf_wipe(&c);
}
