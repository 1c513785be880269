/* owner: which SAs and policies this racoon installed (see kernel.h "Ownership").
 * A hash set in memory mirrored by an append-only journal file when a folder is given. */
#ifndef RACOON_KERNEL_OWNER_H
#define RACOON_KERNEL_OWNER_H

#include "kernel/kernel.h"

struct owner;

struct owned {
	struct owned *next;
	uint32_t hash;
	bool is_policy;
	struct kernel_sa_id sa;  /* when !is_policy */
	uint32_t reqid;
	struct kernel_policy pol; /* when is_policy: sel, dir, priority */
};

#define OWNER_FILE "kernel-owned"

/* dir NULL: memory only. Replays and compacts an existing journal. 0 or -errno. */
int owner_open(const char *dir, struct owner **out);
void owner_close(struct owner *o);
size_t owner_count(const struct owner *o);

int owner_sa_add(struct owner *o, const struct kernel_sa_id *id, uint32_t reqid);
void owner_sa_del(struct owner *o, const struct kernel_sa_id *id);
const struct owned *owner_sa_find(const struct owner *o, const struct kernel_sa_id *id);
int owner_pol_add(struct owner *o, const struct kernel_policy *p);
void owner_pol_del(struct owner *o, const struct kernel_policy *p);
const struct owned *owner_pol_find(const struct owner *o, const struct kernel_policy *p);

/* A snapshot of all entries (caller frees the array, not the entries' contents). */
int owner_snapshot(const struct owner *o, struct owned **out, size_t *n);

#endif
