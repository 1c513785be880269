/* mock: an in-memory kernel for unit tests (backend name "mock").
 *
 * It behaves like XFRM where the engine could get it wrong: an SPI from spi_alloc makes a
 * larval SA that only kernel_sa_update may fill (kernel_sa_add gives -EEXIST), adding an
 * existing SA or policy gives -EEXIST, deleting a missing one -ENOENT. SPI allocations
 * complete later: at the next event loop iteration, or, with hold, only when the test
 * calls kernel_mock_release_spi(). All calls below require a kernel opened as "mock".
 */
#ifndef RACOON_KERNEL_MOCK_MOCK_H
#define RACOON_KERNEL_MOCK_MOCK_H

#include "kernel/kernel.h"

struct kernel_mock_sa {
	struct kernel_sa sa;       /* keys point into enc_key/auth_key below */
	uint8_t enc_key[64];
	uint8_t auth_key[64];
	bool larval;               /* allocated, not yet updated */
	struct kernel_sa_stats stats;
};

void kernel_mock_hold_spi(struct kernel *k, bool hold);
/* Complete every held allocation (callbacks then run from kernel_dispatch or the loop). */
size_t kernel_mock_release_spi(struct kernel *k);
/* Make the next backend call (any op) fail with err. */
void kernel_mock_fail_next(struct kernel *k, int err);
size_t kernel_mock_sa_count(struct kernel *k);
size_t kernel_mock_policy_count(struct kernel *k);
const struct kernel_mock_sa *kernel_mock_sa_find(struct kernel *k, const struct kernel_sa_id *id);
/* Install behind racoon's back, as `ip xfrm` would (not recorded as ours). */
int kernel_mock_add_foreign_sa(struct kernel *k, const struct kernel_sa *sa);
int kernel_mock_add_foreign_policy(struct kernel *k, const struct kernel_policy *p);
/* Remove behind racoon's back (as `ip xfrm state delete` would; no event). */
int kernel_mock_remove_sa(struct kernel *k, const struct kernel_sa_id *id);
/* Set traffic counters of an SA. */
int kernel_mock_set_stats(struct kernel *k, const struct kernel_sa_id *id,
			  const struct kernel_sa_stats *st);
/* Deliver an event as the kernel would. */
void kernel_mock_inject(struct kernel *k, const struct kernel_event *ev);
/* Answer kernel_caps() with c (e.g. &pfkey_caps_static, so the engine meets what PF_KEY
 * can install); NULL restores the mock's own, XFRM-like table. */
void kernel_mock_set_caps(struct kernel *k, const struct kernel_caps *c);
/* Calls seen so far, by op name ("sa_add", "spi_alloc", ...). */
unsigned kernel_mock_calls(struct kernel *k, const char *op);

#endif
