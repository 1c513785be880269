/* htab: an intrusive chained hash table keyed by SipHash-2-4 with a per-table random key.
 *
 * Cookies and message ids are chosen by peers, so the bucket function must be keyed
 * (a hostile peer cannot aim all its SAs at one bucket). Nodes live inside the SA
 * objects; the table never allocates per entry. Lookups walk one bucket only.
 */
#ifndef RACOON_IKE_HTAB_H
#define RACOON_IKE_HTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct htab_node {
	struct htab_node *next;
	uint64_t hash;
};

struct htab {
	struct htab_node **bucket;
	size_t n_bucket; /* power of two */
	size_t count;
	uint8_t key[16];
};

int htab_init(struct htab *t);  /* 0 or -ENOMEM */
void htab_fini(struct htab *t); /* frees the bucket array only, not the nodes */

uint64_t htab_hash(const struct htab *t, const void *data, size_t len);
void htab_insert(struct htab *t, struct htab_node *n, uint64_t hash);
void htab_remove(struct htab *t, struct htab_node *n); /* n must be in t */

/* Walk the nodes whose hash equals `hash`: start with NULL, continue with the last node
 * returned; NULL when done. */
struct htab_node *htab_next(const struct htab *t, uint64_t hash, struct htab_node *prev);

/* SipHash-2-4 of data under a 16-byte key (exposed for the unit test vectors). */
uint64_t siphash24(const uint8_t key[16], const void *data, size_t len);

#define htab_entry(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))

#endif
