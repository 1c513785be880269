/* htab: keyed chained hash table (see htab.h). */
#include "ike/htab.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/random.h"

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

static uint64_t load64_le(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static void sip_round(uint64_t v[4])
{
	v[0] += v[1];
	v[1] = ROTL(v[1], 13);
	v[1] ^= v[0];
	v[0] = ROTL(v[0], 32);
	v[2] += v[3];
	v[3] = ROTL(v[3], 16);
	v[3] ^= v[2];
	v[0] += v[3];
	v[3] = ROTL(v[3], 21);
	v[3] ^= v[0];
	v[2] += v[1];
	v[1] = ROTL(v[1], 17);
	v[1] ^= v[2];
	v[2] = ROTL(v[2], 32);
}

uint64_t siphash24(const uint8_t key[16], const void *data, size_t len)
{
	const uint8_t *in = data;
	uint64_t k0 = load64_le(key), k1 = load64_le(key + 8);
	uint64_t v[4] = { k0 ^ 0x736f6d6570736575ULL, k1 ^ 0x646f72616e646f6dULL,
			  k0 ^ 0x6c7967656e657261ULL, k1 ^ 0x7465646279746573ULL };
	size_t full = len & ~(size_t)7;
	for (size_t i = 0; i < full; i += 8) {
		uint64_t m = load64_le(in + i);
		v[3] ^= m;
		sip_round(v);
		sip_round(v);
		v[0] ^= m;
	}
	uint64_t last = (uint64_t)(len & 0xff) << 56;
	for (size_t i = 0; i < (len & 7); i++)
		last |= (uint64_t)in[full + i] << (8 * i);
	v[3] ^= last;
	sip_round(v);
	sip_round(v);
	v[0] ^= last;
	v[2] ^= 0xff;
	for (int i = 0; i < 4; i++)
		sip_round(v);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}

int htab_init(struct htab *t)
{
	memset(t, 0, sizeof(*t));
	t->n_bucket = 64;
	t->bucket = calloc(t->n_bucket, sizeof(*t->bucket));
	if (!t->bucket)
		return -ENOMEM;
	if (crypto_random(t->key, sizeof(t->key)) < 0) {
		free(t->bucket);
		t->bucket = NULL;
		return -EIO;
	}
	return 0;
}

void htab_fini(struct htab *t)
{
	free(t->bucket);
	t->bucket = NULL;
	t->n_bucket = t->count = 0;
}

uint64_t htab_hash(const struct htab *t, const void *data, size_t len)
{
	return siphash24(t->key, data, len);
}

/* Double the bucket array when the load passes 2; on allocation failure keep going
 * with longer chains rather than failing the insert. */
static void grow(struct htab *t)
{
	size_t n = t->n_bucket * 2;
	struct htab_node **b = calloc(n, sizeof(*b));
	if (!b)
		return;
	for (size_t i = 0; i < t->n_bucket; i++) {
		struct htab_node *e = t->bucket[i];
		while (e) {
			struct htab_node *next = e->next;
			size_t j = e->hash & (n - 1);
			e->next = b[j];
			b[j] = e;
			e = next;
		}
	}
	free(t->bucket);
	t->bucket = b;
	t->n_bucket = n;
}

void htab_insert(struct htab *t, struct htab_node *n, uint64_t hash)
{
	if (t->count + 1 > t->n_bucket * 2)
		grow(t);
	n->hash = hash;
	size_t i = hash & (t->n_bucket - 1);
	n->next = t->bucket[i];
	t->bucket[i] = n;
	t->count++;
}

void htab_remove(struct htab *t, struct htab_node *n)
{
	struct htab_node **pp = &t->bucket[n->hash & (t->n_bucket - 1)];
	for (; *pp; pp = &(*pp)->next) {
		if (*pp == n) {
			*pp = n->next;
			n->next = NULL;
			t->count--;
			return;
		}
	}
}

struct htab_node *htab_next(const struct htab *t, uint64_t hash, struct htab_node *prev)
{
	struct htab_node *e = prev ? prev->next : t->bucket[hash & (t->n_bucket - 1)];
	while (e && e->hash != hash)
		e = e->next;
	return e;
}
