/* spd: racoon's in-memory copy of the kernel's Security Policy Database.
 *
 * Loaded by a dump at start and kept current from the kernel's policy events, so the
 * IKE engine can ask "which policy covers this flow?" (initiator: what to negotiate
 * for an ACQUIRE; responder: do the peer's Quick Mode IDs match a policy?) without a
 * kernel round trip.
 *
 * Lookup follows the kernel: among the policies of one direction whose selector
 * contains the flow, the lowest priority value wins; on equal priority the policy
 * installed first wins (XFRM keeps policies in insertion order). Tools express
 * "more specific first" through priorities (setkey's prio, strongSwan's
 * prefix-derived values), so no separate longest-prefix rule applies.
 *
 * Host-to-host policies (full-length prefixes on both sides, the common transport
 * case) sit in a hash table keyed by direction and addresses; the rest in a list in
 * kernel order. A lookup is one bucket plus the inexact list.
 */
#ifndef RACOON_SPD_SPD_H
#define RACOON_SPD_SPD_H

#include <stdbool.h>
#include <stddef.h>

#include "kernel/kernel.h"

struct spd;

struct spd *spd_new(void);
void spd_free(struct spd *s);

/* Replace the contents with a dump of the kernel's SPD. 0 or negative errno. */
int spd_load(struct spd *s, struct kernel *k);
/* Apply a kernel event (POLICY_ADDED/DELETED/FLUSHED, POLEXPIRE); others are ignored.
 * KERNEL_EV_RESYNC reloads from k. */
void spd_on_event(struct spd *s, struct kernel *k, const struct kernel_event *ev);

/* Insert or replace (same direction and selector). 0 or -ENOMEM. */
int spd_add(struct spd *s, const struct kernel_policy *p);
/* Remove by direction and selector. 0 or -ENOENT. */
int spd_remove(struct spd *s, const struct kernel_policy *p);
void spd_clear(struct spd *s);
size_t spd_count(const struct spd *s);

/* The policy that covers a flow (flow: addresses with full-length prefixes in the
 * selector's src/dst, proto and ports as in a packet; 0 = any is not a flow value).
 * NULL when none covers it. The pointer is valid until the next change. */
const struct kernel_policy *spd_lookup(const struct spd *s, enum kernel_dir dir,
				       const struct kernel_selector *flow);
/* The policy whose selector is exactly sel in direction dir (Quick Mode IDs proposed by
 * a responder's peer must name an existing policy), or NULL. */
const struct kernel_policy *spd_find_exact(const struct spd *s, enum kernel_dir dir,
					   const struct kernel_selector *sel);

/* The policy (kernel order: priority, then age) whose selector contains sel, or NULL.
 * A responder asks this for the traffic a peer's Quick Mode IDs name. */
const struct kernel_policy *spd_find_covering(const struct spd *s, enum kernel_dir dir,
					      const struct kernel_selector *sel);

/* Whether selector outer contains selector inner (prefixes, proto, ports). */
bool spd_selector_contains(const struct kernel_selector *outer,
			   const struct kernel_selector *inner);
/* Same direction-independent identity (addresses, prefixes, proto, ports, ifindex). */
bool spd_selector_equal(const struct kernel_selector *a, const struct kernel_selector *b);

#endif
