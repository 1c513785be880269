/* flush: remove exactly our own SAs and policies; resynchronise after lost events. */
#include "kernel/kernel.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/internal.h"
#include "kernel/owner.h"
#include "log/log.h"


/* Still installed and still the same SA (same reqid)? Otherwise it is not ours any more. */
static int sa_still_ours(struct kernel *k, const struct owned *e)
{
	struct kernel_sa_stats st;
	memset(&st, 0, sizeof(st));
	int r = kernel_ops_of(k)->sa_get(kernel_priv_of(k), &e->sa, &st);
	if (r == -ENOENT || r == -ESRCH)
		return 0;
	if (r < 0)
		return r;
	return st.reqid == e->reqid ? 1 : 0;
}

static int policy_still_ours(struct kernel *k, const struct owned *e)
{
	struct kernel_policy cur;
	memset(&cur, 0, sizeof(cur));
	int r = kernel_ops_of(k)->policy_get(kernel_priv_of(k), &e->pol, &cur);
	if (r == -ENOENT || r == -ESRCH)
		return 0;
	if (r < 0)
		return r;
	return cur.priority == e->pol.priority ? 1 : 0;
}

int kernel_flush_own(struct kernel *k)
{
	struct owner *o = kernel_owner_of(k);
	struct owned *all;
	size_t n;
	int r = owner_snapshot(o, &all, &n), deleted = 0, first_err = 0;
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		const struct owned *e = &all[i];
		int ours = e->is_policy ? policy_still_ours(k, e) : sa_still_ours(k, e);
		if (ours > 0) {
			r = e->is_policy ? kernel_ops_of(k)->policy_delete(kernel_priv_of(k), &e->pol)
					 : kernel_ops_of(k)->sa_delete(kernel_priv_of(k), &e->sa);
			if (r == 0)
				deleted++;
			else if (r != -ENOENT && r != -ESRCH)
				ours = r;
		}
		if (ours < 0) {
			/* Keep it on record: the next flush tries again. */
			if (!first_err)
				first_err = ours;
			continue;
		}
		if (e->is_policy)
			owner_pol_del(o, &e->pol);
		else
			owner_sa_del(o, &e->sa);
	}
	free(all);
	log_info("kernel", "removed %d of our SAs/policies", deleted);
	return first_err ? first_err : deleted;
}

int kernel_resync(struct kernel *k)
{
	struct owner *o = kernel_owner_of(k);
	struct owned *all;
	size_t n, lost = 0, present = 0;
	int r = owner_snapshot(o, &all, &n);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		const struct owned *e = &all[i];
		if (e->is_policy) {
			if (policy_still_ours(k, e) == 0)
				owner_pol_del(o, &e->pol);
			continue;
		}
		r = sa_still_ours(k, e);
		if (r > 0) {
			present++;
		} else if (r == 0) {
			/* Its EXPIRE may have been among the lost events: report it now. */
			struct kernel_event ev;
			memset(&ev, 0, sizeof(ev));
			ev.type = KERNEL_EV_EXPIRE_HARD;
			ev.u.expire.id = e->sa;
			ev.u.expire.reqid = e->reqid;
			kernel_emit(k, &ev);
			lost++;
		}
	}
	free(all);
	struct kernel_event ev;
	memset(&ev, 0, sizeof(ev));
	ev.type = KERNEL_EV_RESYNC;
	ev.u.resync.sa_lost = lost;
	ev.u.resync.sa_present = present;
	log_notify("kernel", "events were lost: resynchronised (%zu of our SAs gone, %zu present)",
		   lost, present);
	kernel_emit(k, &ev);
	return 0;
}

void kernel_forget_policies(struct kernel *k)
{
	struct owner *o = kernel_owner_of(k);
	struct owned *all;
	size_t n;
	if (owner_snapshot(o, &all, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++)
		if (all[i].is_policy)
			owner_pol_del(o, &all[i].pol);
	free(all);
}
