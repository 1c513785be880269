/* spd: the SPD copy: hash table for host-to-host policies, ordered list for the rest. */
#include "spd/spd.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "log/log.h"

#define SPD_BUCKETS 4096 /* power of two */

struct spd_entry {
	struct kernel_policy pol;
	uint64_t order; /* insertion counter: kernel order among equal priorities */
	struct spd_entry *next; /* bucket chain or inexact list */
};

struct spd {
	struct spd_entry *bucket[SPD_BUCKETS];
	struct spd_entry *inexact; /* in insertion order */
	struct spd_entry **inexact_tail;
	uint64_t next_order;
	size_t count;
};

static unsigned full_plen(const union sockaddr_any *a)
{
	return a->sa.sa_family == AF_INET6 ? 128 : 32;
}

static bool is_exact(const struct kernel_selector *sel)
{
	return sel->src.sa.sa_family != 0 && sel->src_plen == full_plen(&sel->src) &&
	       sel->dst_plen == full_plen(&sel->dst);
}

/* FNV-1a over direction and both addresses. */
static unsigned hash_sel(enum kernel_dir dir, const struct kernel_selector *sel)
{
	uint32_t h = 2166136261u ^ (uint32_t)dir;
	const union sockaddr_any *addrs[2] = { &sel->src, &sel->dst };
	for (int i = 0; i < 2; i++) {
		size_t n;
		const uint8_t *p = addr_bytes(addrs[i], &n);
		for (size_t j = 0; p && j < n; j++)
			h = (h ^ p[j]) * 16777619u;
	}
	return h & (SPD_BUCKETS - 1);
}

struct spd *spd_new(void)
{
	struct spd *s = calloc(1, sizeof(*s));
	if (s)
		s->inexact_tail = &s->inexact;
	return s;
}

void spd_clear(struct spd *s)
{
	for (size_t i = 0; i < SPD_BUCKETS; i++) {
		while (s->bucket[i]) {
			struct spd_entry *e = s->bucket[i];
			s->bucket[i] = e->next;
			free(e);
		}
	}
	while (s->inexact) {
		struct spd_entry *e = s->inexact;
		s->inexact = e->next;
		free(e);
	}
	s->inexact_tail = &s->inexact;
	s->count = 0;
}

void spd_free(struct spd *s)
{
	if (!s)
		return;
	spd_clear(s);
	free(s);
}

size_t spd_count(const struct spd *s)
{
	return s->count;
}

/* Prefix match of the first plen bits of a and b (same family). */
static bool prefix_match(const union sockaddr_any *a, const union sockaddr_any *b,
			 unsigned plen)
{
	size_t la, lb;
	const uint8_t *pa = addr_bytes(a, &la), *pb = addr_bytes(b, &lb);
	if (!pa || !pb || la != lb || plen > la * 8)
		return false;
	size_t whole = plen / 8;
	if (memcmp(pa, pb, whole) != 0)
		return false;
	unsigned rest = plen % 8;
	if (!rest)
		return true;
	uint8_t mask = (uint8_t)(0xff << (8 - rest));
	return (pa[whole] & mask) == (pb[whole] & mask);
}

bool spd_selector_equal(const struct kernel_selector *a, const struct kernel_selector *b)
{
	return a->src.sa.sa_family == b->src.sa.sa_family && a->src_plen == b->src_plen &&
	       a->dst_plen == b->dst_plen && prefix_match(&a->src, &b->src, a->src_plen) &&
	       prefix_match(&a->dst, &b->dst, a->dst_plen) && a->proto == b->proto &&
	       a->sport == b->sport && a->dport == b->dport && a->ifindex == b->ifindex;
}

bool spd_selector_contains(const struct kernel_selector *outer,
			   const struct kernel_selector *inner)
{
	if (outer->src.sa.sa_family != inner->src.sa.sa_family)
		return false;
	if (outer->src_plen > inner->src_plen || outer->dst_plen > inner->dst_plen)
		return false;
	if (!prefix_match(&outer->src, &inner->src, outer->src_plen) ||
	    !prefix_match(&outer->dst, &inner->dst, outer->dst_plen))
		return false;
	if (outer->proto && outer->proto != inner->proto)
		return false;
	if (outer->sport && outer->sport != inner->sport)
		return false;
	if (outer->dport && outer->dport != inner->dport)
		return false;
	return !outer->ifindex || outer->ifindex == inner->ifindex;
}

/* Where an entry with this direction and selector lives, and the link pointing at it. */
static struct spd_entry **find_link(struct spd *s, enum kernel_dir dir,
				    const struct kernel_selector *sel)
{
	struct spd_entry **pp = is_exact(sel) ? &s->bucket[hash_sel(dir, sel)] : &s->inexact;
	for (; *pp; pp = &(*pp)->next)
		if ((*pp)->pol.dir == dir && spd_selector_equal(&(*pp)->pol.sel, sel))
			return pp;
	return NULL;
}

int spd_add(struct spd *s, const struct kernel_policy *p)
{
	struct spd_entry **pp = find_link(s, p->dir, &p->sel);
	if (pp) { /* an update keeps its place, as the kernel's does */
		(*pp)->pol = *p;
		return 0;
	}
	struct spd_entry *e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->pol = *p;
	e->order = s->next_order++;
	if (is_exact(&p->sel)) {
		unsigned h = hash_sel(p->dir, &p->sel);
		e->next = s->bucket[h];
		s->bucket[h] = e;
	} else {
		*s->inexact_tail = e;
		s->inexact_tail = &e->next;
	}
	s->count++;
	return 0;
}

int spd_remove(struct spd *s, const struct kernel_policy *p)
{
	struct spd_entry **pp = find_link(s, p->dir, &p->sel);
	if (!pp)
		return -ENOENT;
	struct spd_entry *e = *pp;
	*pp = e->next;
	if (s->inexact_tail == &e->next)
		s->inexact_tail = pp;
	free(e);
	s->count--;
	return 0;
}

static const struct spd_entry *better(const struct spd_entry *best, const struct spd_entry *e)
{
	if (!best || e->pol.priority < best->pol.priority ||
	    (e->pol.priority == best->pol.priority && e->order < best->order))
		return e;
	return best;
}

const struct kernel_policy *spd_lookup(const struct spd *s, enum kernel_dir dir,
				       const struct kernel_selector *flow)
{
	const struct spd_entry *best = NULL;
	struct kernel_selector host = *flow;
	host.src_plen = (uint8_t)full_plen(&flow->src);
	host.dst_plen = (uint8_t)full_plen(&flow->dst);
	for (const struct spd_entry *e = s->bucket[hash_sel(dir, &host)]; e; e = e->next)
		if (e->pol.dir == dir && spd_selector_contains(&e->pol.sel, &host))
			best = better(best, e);
	for (const struct spd_entry *e = s->inexact; e; e = e->next)
		if (e->pol.dir == dir && spd_selector_contains(&e->pol.sel, &host))
			best = better(best, e);
	return best ? &best->pol : NULL;
}

const struct kernel_policy *spd_find_exact(const struct spd *s, enum kernel_dir dir,
					   const struct kernel_selector *sel)
{
	struct spd_entry **pp = find_link((struct spd *)s, dir, sel);
	return pp ? &(*pp)->pol : NULL;
}

const struct kernel_policy *spd_find_covering(const struct spd *s, enum kernel_dir dir,
					      const struct kernel_selector *sel)
{
	const struct spd_entry *best = NULL;
	/* Host-to-host entries can only contain a host-to-host selector. */
	if (is_exact(sel))
		for (const struct spd_entry *e = s->bucket[hash_sel(dir, sel)]; e; e = e->next)
			if (e->pol.dir == dir && spd_selector_contains(&e->pol.sel, sel))
				best = better(best, e);
	for (const struct spd_entry *e = s->inexact; e; e = e->next)
		if (e->pol.dir == dir && spd_selector_contains(&e->pol.sel, sel))
			best = better(best, e);
	return best ? &best->pol : NULL;
}

static int load_one(const struct kernel_policy *p, void *userdata)
{
	return spd_add(userdata, p);
}

int spd_load(struct spd *s, struct kernel *k)
{
	spd_clear(s);
	int r = kernel_policy_dump(k, load_one, s);
	if (r < 0) {
		log_error("spd", "cannot read the kernel's policies: %s", strerror(-r));
		return r;
	}
	log_info("spd", "%zu policies in the kernel's SPD", s->count);
	return 0;
}

void spd_on_event(struct spd *s, struct kernel *k, const struct kernel_event *ev)
{
	switch (ev->type) {
	case KERNEL_EV_POLICY_ADDED:
		if (spd_add(s, &ev->u.policy.policy) < 0)
			log_error("spd", "out of memory: SPD copy incomplete");
		break;
	case KERNEL_EV_POLICY_DELETED:
	case KERNEL_EV_POLEXPIRE:
		spd_remove(s, &ev->u.policy.policy);
		break;
	case KERNEL_EV_POLICY_FLUSHED:
		spd_clear(s);
		break;
	case KERNEL_EV_RESYNC:
		spd_load(s, k);
		break;
	default:
		break;
	}
}
