/* kernel: backend selection, deferred SPI callbacks, ownership bookkeeping. */
#include "kernel/kernel.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "event/event.h"
#include "kernel/internal.h"
#include "kernel/owner.h"
#include "log/log.h"

struct spi_pending {
	struct spi_pending *next;
	int64_t id;
	kernel_spi_fn cb;
	void *userdata;
	bool done;
	bool ready; /* done before this dispatch round began */
	bool cancelled;
	int err;
	uint32_t spi;
};

struct kernel {
	const struct kernel_ops *ops;
	const struct kernel_caps *caps; /* ops->caps; the mock may stand in for another */
	void *priv;
	struct kernel_options opt;
	struct owner *own;
	struct spi_pending *pending; /* in request order */
	int64_t next_id;
	sd_event_source *defer;
	bool dispatching;
};

const struct kernel_ops *kernel_ops_of(const struct kernel *k) { return k->ops; }
void *kernel_priv_of(const struct kernel *k) { return k->priv; }
struct owner *kernel_owner_of(const struct kernel *k) { return k->own; }

static const struct kernel_ops *const backends[] = {
	&kernel_xfrm_ops,
	&kernel_pfkey_ops,
	&kernel_mock_ops,
};

int kernel_open(const char *backend, const struct kernel_options *opt, struct kernel **out)
{
	const struct kernel_ops *ops = NULL;
	for (size_t i = 0; i < sizeof(backends) / sizeof(backends[0]); i++)
		if (backend && strcmp(backends[i]->name, backend) == 0)
			ops = backends[i];
	if (!ops)
		return -ENOENT;
	struct kernel *k = calloc(1, sizeof(*k));
	if (!k)
		return -ENOMEM;
	k->ops = ops;
	k->caps = ops->caps;
	if (opt)
		k->opt = *opt;
	k->next_id = 1;
	int r = owner_open(k->opt.state_dir, &k->own);
	if (r < 0) {
		log_error("kernel", "ownership record in %s: %s", k->opt.state_dir,
			  strerror(-r));
		free(k);
		return r;
	}
	r = ops->open(k, &k->opt, &k->priv);
	if (r < 0) {
		owner_close(k->own);
		free(k);
		return r;
	}
	if (owner_count(k->own))
		log_info("kernel", "%zu SAs/policies of an earlier run on record",
			 owner_count(k->own));
	*out = k;
	return 0;
}

void kernel_close(struct kernel *k)
{
	if (!k)
		return;
	k->ops->close(k->priv);
	while (k->pending) {
		struct spi_pending *p = k->pending;
		k->pending = p->next;
		free(p);
	}
	sd_event_source_disable_unref(k->defer);
	owner_close(k->own);
	free(k);
}

const struct kernel_caps *kernel_caps(const struct kernel *k) { return k->caps; }
void kernel_set_caps(struct kernel *k, const struct kernel_caps *c) { k->caps = c ? c : k->ops->caps; }
const char *kernel_backend_name(const struct kernel *k) { return k->ops->name; }

/* ---- SPI allocation: the user callback always runs from the loop ---------------------- */

static int on_defer(sd_event_source *s, void *userdata)
{
	kernel_dispatch(userdata);
	return 0;
}

static void schedule(struct kernel *k)
{
	if (!k->defer) {
		if (sd_event_add_defer(event_loop(), &k->defer, on_defer, k) < 0)
			return; /* kernel_dispatch() from the caller still works */
		sd_event_source_set_description(k->defer, "kernel-spi");
	}
	sd_event_source_set_enabled(k->defer, SD_EVENT_ONESHOT);
}

void kernel_dispatch(struct kernel *k)
{
	if (k->dispatching)
		return;
	k->dispatching = true;
	/* Only what completed before this round: a callback that allocates again gets its
	 * answer in a later round, so a round always ends. */
	bool more = false;
	for (struct spi_pending *p = k->pending; p; p = p->next)
		p->ready = p->done || p->cancelled;
	/* Callbacks may allocate again or cancel: unlink each entry before its call. */
	for (;;) {
		struct spi_pending **pp = &k->pending;
		while (*pp && !(*pp)->ready)
			pp = &(*pp)->next;
		struct spi_pending *p = *pp;
		if (!p)
			break;
		*pp = p->next;
		if (!p->cancelled)
			p->cb(p->userdata, p->err, p->spi);
		free(p);
	}
	for (struct spi_pending *p = k->pending; p; p = p->next)
		more |= p->done || p->cancelled;
	k->dispatching = false;
	if (more)
		schedule(k);
}

int64_t kernel_spi_alloc(struct kernel *k, const struct kernel_spi_req *req, kernel_spi_fn cb,
			 void *userdata)
{
	if (!cb || !req || req->dst.sa.sa_family != req->src.sa.sa_family)
		return -EINVAL;
	struct spi_pending *p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->id = k->next_id++;
	p->cb = cb;
	p->userdata = userdata;
	struct spi_pending **pp = &k->pending;
	while (*pp)
		pp = &(*pp)->next;
	*pp = p;
	int64_t id = p->id;
	int r = k->ops->spi_alloc(k->priv, req, id);
	if (r < 0) {
		/* Nothing was queued in the backend: no callback will come. */
		for (pp = &k->pending; *pp; pp = &(*pp)->next)
			if (*pp == p) {
				*pp = p->next;
				break;
			}
		free(p);
		return r;
	}
	return id;
}

void kernel_spi_done(struct kernel *k, int64_t token, int err, uint32_t spi)
{
	for (struct spi_pending *p = k->pending; p; p = p->next)
		if (p->id == token && !p->done) {
			p->done = true;
			p->err = err;
			p->spi = spi;
			schedule(k);
			return;
		}
}

void kernel_cancel(struct kernel *k, int64_t request_id)
{
	for (struct spi_pending *p = k->pending; p; p = p->next)
		if (p->id == request_id)
			p->cancelled = true;
	schedule(k); /* frees cancelled entries */
}

/* ---- SAs ----------------------------------------------------------------------------- */

static bool sa_valid(const struct kernel_sa *sa)
{
	int fam = sa->dst.sa.sa_family;
	if ((fam != AF_INET && fam != AF_INET6) || sa->src.sa.sa_family != fam)
		return false;
	if (sa->proto != KERNEL_PROTO_ESP && sa->proto != KERNEL_PROTO_AH &&
	    sa->proto != KERNEL_PROTO_COMP)
		return false;
	if (sa->proto == KERNEL_PROTO_COMP && (sa->spi > 0xffff || sa->comp == KERNEL_COMP_NONE))
		return false;
	if (sa->proto == KERNEL_PROTO_AH && (sa->auth == KERNEL_AUTH_NONE || sa->enc))
		return false;
	if (kernel_enc_is_aead(sa->enc) && sa->auth != KERNEL_AUTH_NONE)
		return false; /* AEAD carries its own integrity */
	if (sa->enc_key_len > 512 || sa->auth_key_len > 512)
		return false;
	return sa->spi != 0;
}

static struct kernel_sa_id sa_id_of(const struct kernel_sa *sa)
{
	struct kernel_sa_id id;
	memset(&id, 0, sizeof(id));
	id.src = sa->src;
	id.dst = sa->dst;
	id.spi = sa->spi;
	id.proto = sa->proto;
	addr_set_port(&id.src, 0);
	addr_set_port(&id.dst, 0);
	return id;
}

static int sa_install(struct kernel *k, const struct kernel_sa *sa, bool update)
{
	if (!sa_valid(sa))
		return -EINVAL;
	int r = k->ops->sa_add(k->priv, sa, update);
	if (r < 0)
		return r == -ESRCH ? -ENOENT : r; /* XFRM: UPDSA without a state */
	struct kernel_sa_id id = sa_id_of(sa);
	if (owner_sa_add(k->own, &id, sa->reqid) < 0)
		log_warning("kernel", "SPI %08x installed but not recorded as ours", sa->spi);
	return 0;
}

int kernel_sa_add(struct kernel *k, const struct kernel_sa *sa) { return sa_install(k, sa, false); }
int kernel_sa_update(struct kernel *k, const struct kernel_sa *sa) { return sa_install(k, sa, true); }

static struct kernel_sa_id id_clean(const struct kernel_sa_id *in)
{
	struct kernel_sa_id id = *in;
	addr_set_port(&id.dst, 0);
	if (id.src.sa.sa_family)
		addr_set_port(&id.src, 0);
	return id;
}

int kernel_sa_delete(struct kernel *k, const struct kernel_sa_id *id)
{
	if (id->dst.sa.sa_family != AF_INET && id->dst.sa.sa_family != AF_INET6)
		return -EINVAL;
	int r = k->ops->sa_delete(k->priv, id);
	if (r == 0 || r == -ENOENT || r == -ESRCH) {
		struct kernel_sa_id c = id_clean(id);
		owner_sa_del(k->own, &c);
	}
	return r == -ESRCH ? -ENOENT : r;
}

int kernel_sa_get(struct kernel *k, const struct kernel_sa_id *id, struct kernel_sa_stats *st)
{
	if (id->dst.sa.sa_family != AF_INET && id->dst.sa.sa_family != AF_INET6)
		return -EINVAL;
	memset(st, 0, sizeof(*st));
	int r = k->ops->sa_get(k->priv, id, st);
	return r == -ESRCH ? -ENOENT : r;
}

int kernel_sa_dump(struct kernel *k, kernel_sa_dump_fn cb, void *userdata)
{
	return k->ops->sa_dump(k->priv, cb, userdata);
}

bool kernel_sa_is_own(const struct kernel *k, const struct kernel_sa_id *id)
{
	struct kernel_sa_id c = id_clean(id);
	return owner_sa_find(k->own, &c) != NULL;
}

/* ---- Policies ------------------------------------------------------------------------ */

static bool policy_valid(const struct kernel_policy *p)
{
	int fam = p->sel.src.sa.sa_family;
	unsigned maxp = fam == AF_INET ? 32 : 128;
	if ((fam != AF_INET && fam != AF_INET6) || p->sel.dst.sa.sa_family != fam)
		return false;
	if (p->sel.src_plen > maxp || p->sel.dst_plen > maxp || p->dir > KERNEL_DIR_FWD)
		return false;
	if (p->n_tmpl > KERNEL_MAX_TMPL || (p->action == KERNEL_POLICY_IPSEC && !p->n_tmpl))
		return false;
	return true;
}

static int policy_install(struct kernel *k, const struct kernel_policy *p, bool update)
{
	if (!policy_valid(p))
		return -EINVAL;
	int r = k->ops->policy_add(k->priv, p, update);
	if (r == 0 && owner_pol_add(k->own, p) < 0)
		log_warning("kernel", "policy installed but not recorded as ours");
	return r;
}

int kernel_policy_add(struct kernel *k, const struct kernel_policy *p)
{
	return policy_install(k, p, false);
}

int kernel_policy_update(struct kernel *k, const struct kernel_policy *p)
{
	return policy_install(k, p, true);
}

int kernel_policy_delete(struct kernel *k, const struct kernel_policy *p)
{
	int fam = p->sel.src.sa.sa_family;
	if ((fam != AF_INET && fam != AF_INET6) || p->sel.dst.sa.sa_family != fam)
		return -EINVAL;
	int r = k->ops->policy_delete(k->priv, p);
	if (r == 0 || r == -ENOENT)
		owner_pol_del(k->own, p);
	return r;
}

int kernel_policy_dump(struct kernel *k, kernel_policy_dump_fn cb, void *userdata)
{
	return k->ops->policy_dump(k->priv, cb, userdata);
}

bool kernel_policy_is_own(const struct kernel *k, const struct kernel_policy *p)
{
	return owner_pol_find(k->own, p) != NULL;
}

int kernel_sa_flush_all(struct kernel *k, int proto) { return k->ops->sa_flush(k->priv, proto); }
int kernel_policy_flush_all(struct kernel *k) { return k->ops->policy_flush(k->priv); }

/* ---- Events -------------------------------------------------------------------------- */

void kernel_emit(struct kernel *k, const struct kernel_event *ev)
{
	switch (ev->type) {
	case KERNEL_EV_EXPIRE_HARD: {
		/* The kernel removed it: it is no longer ours to delete. */
		struct kernel_sa_id c = id_clean(&ev->u.expire.id);
		owner_sa_del(k->own, &c);
		break;
	}
	case KERNEL_EV_POLICY_DELETED:
	case KERNEL_EV_POLEXPIRE:
		owner_pol_del(k->own, &ev->u.policy.policy);
		break;
	case KERNEL_EV_POLICY_FLUSHED:
		kernel_forget_policies(k);
		break;
	case KERNEL_EV_POLICY_ADDED:
		/* Someone else replaced our policy: the new one is theirs. */
		if (!ev->u.policy.by_us)
			owner_pol_del(k->own, &ev->u.policy.policy);
		break;
	default:
		break;
	}
	if (k->opt.on_event)
		k->opt.on_event(ev, k->opt.event_userdata);
}
