/* apply: parsed commands -> kernel.h calls. See apply.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "event/event.h"
#include "setkey/algs.h"
#include "setkey/apply.h"
#include "setkey/format.h"

#define GETSPI_WAIT_ROUNDS 50          /* event loop turns to wait for an SPI */
#define GETSPI_WAIT_USEC (100 * 1000)  /* per turn: at most 5 s in all */

static int fail(struct sk_apply_result *r, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(struct sk_apply_result *r, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->msg, sizeof(r->msg), fmt, ap);
	va_end(ap);
	r->err = err;
	return err;
}

void sk_cmd_kernel_sa(const struct sk_cmd *c, struct kernel_sa *out)
{
	const struct sk_sa_cmd *sa = &c->u.sa;

	*out = sa->sa;
	if (sa->enc_key.len) {
		out->enc_key = sa->enc_key.ptr;
		out->enc_key_len = sa->enc_key.len;
	}
	if (sa->auth_key.len) {
		out->auth_key = sa->auth_key.ptr;
		out->auth_key_len = sa->auth_key.len;
	}
}

/* Refuse what the backend would install differently from what was written. */
static int check_caps(struct kernel *k, const struct sk_cmd *c, struct sk_apply_result *r)
{
	const struct kernel_caps *caps = kernel_caps(k);
	const struct sk_sa_cmd *sa = &c->u.sa;
	const char *be = kernel_backend_name(k);

	if (sa->enc) {
		size_t salt = kernel_enc_salt_len(sa->sa.enc);
		size_t bits = (sa->enc_key.len - salt) * 8;
		if (!kernel_caps_enc_ok(caps, sa->sa.enc, (unsigned)bits))
			return fail(r, -EOPNOTSUPP, "the %s backend cannot install %s with a %zu-bit key",
				    be, sa->enc->name, bits);
	}
	if (sa->auth && sa->sa.auth != KERNEL_AUTH_NONE) {
		const struct kernel_alg_cap *ac = kernel_caps_find(caps, KERNEL_CAP_AUTH, sa->sa.auth);
		if (!ac)
			return fail(r, -EOPNOTSUPP, "the %s backend cannot install %s", be,
				    sa->auth->name);
		if (!caps->icv_selectable && ac->icv_bits != sa->sa.icv_bits)
			return fail(r, -EOPNOTSUPP,
				    "the %s backend installs %s with a %u-bit ICV, not %u bits",
				    be, sa->auth->name, ac->icv_bits, sa->sa.icv_bits);
	}
	if (sa->comp && !kernel_caps_comp_ok(caps, sa->sa.comp))
		return fail(r, -EOPNOTSUPP, "the %s backend cannot install %s", be, sa->comp->name);
	if (sa->sa.encap.enabled && !caps->udp_encap)
		return fail(r, -EOPNOTSUPP, "the %s backend has no ESP-in-UDP", be);
	if (caps->replay_window_max && sa->sa.replay_window > caps->replay_window_max)
		return fail(r, -EINVAL, "replay window %u is above the %s backend's %u", 
			    sa->sa.replay_window, be, caps->replay_window_max);
	return 0;
}

static void sa_id_of(const struct kernel_sa *sa, struct kernel_sa_id *id)
{
	memset(id, 0, sizeof(*id));
	id->src = sa->src;
	id->dst = sa->dst;
	id->spi = sa->spi;
	id->proto = sa->proto;
}

/* ---- SAD dumps: dump, get, deleteall ---------------------------------------------- */

struct sa_walk {
	const struct sk_cmd *c;      /* filter: proto (0 = all), and for get/deleteall more */
	const struct sk_apply_opts *o;
	size_t seen;
	struct kernel_sa_id *ids;    /* deleteall: what to delete */
	size_t n_ids, cap_ids;
};

static bool sa_matches(const struct sa_walk *w, const struct kernel_sa *sa)
{
	const struct sk_sa_cmd *f = &w->c->u.sa;

	if (f->satype && (int)sa->proto != f->satype)
		return false;
	/* The IP-in-IP state the kernel adds under an IPComp tunnel SA is its own helper:
	 * it comes and goes with that SA, and no command takes it. */
	if (sa->proto != KERNEL_PROTO_ESP && sa->proto != KERNEL_PROTO_AH &&
	    sa->proto != KERNEL_PROTO_COMP)
		return false;
	if (w->c->op == SK_OP_DUMP)
		return true;
	if (!addr_equal(&sa->src, &f->sa.src) || !addr_equal(&sa->dst, &f->sa.dst))
		return false;
	return w->c->op == SK_OP_DELETEALL || sa->spi == f->sa.spi;
}

static int sa_walk_cb(const struct kernel_sa *sa, const struct kernel_sa_stats *st, void *ud)
{
	struct sa_walk *w = ud;

	if (!sa_matches(w, sa))
		return 0;
	w->seen++;
	if (w->c->op != SK_OP_DELETEALL) {
		sk_sa_print(w->o->out, sa, st, w->o->fmt_flags);
		return 0;
	}
	if (w->n_ids == w->cap_ids) {
		size_t cap = w->cap_ids ? w->cap_ids * 2 : 16;
		struct kernel_sa_id *n = realloc(w->ids, cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		w->ids = n;
		w->cap_ids = cap;
	}
	sa_id_of(sa, &w->ids[w->n_ids++]);
	return 0;
}

static int run_sa_walk(struct kernel *k, const struct sk_cmd *c, const struct sk_apply_opts *o,
		       struct sk_apply_result *r)
{
	struct sa_walk w = { .c = c, .o = o };
	int rc = kernel_sa_dump(k, sa_walk_cb, &w);

	if (rc < 0) {
		free(w.ids);
		return fail(r, rc, "reading the SAD failed: %s", strerror(-rc));
	}
	if (c->op == SK_OP_DUMP && w.seen == 0)
		fputs("No SAD entries.\n", o->out);
	if (c->op == SK_OP_GET && w.seen == 0)
		return fail(r, -ENOENT, "no such SA");
	for (size_t i = 0; i < w.n_ids && rc == 0; i++) {
		rc = kernel_sa_delete(k, &w.ids[i]);
		if (rc == -ENOENT) /* gone meanwhile: what we wanted */
			rc = 0;
		if (rc < 0)
			fail(r, rc, "deleting SPI 0x%x failed after %zu of %zu: %s", w.ids[i].spi, i,
			     w.n_ids, strerror(-rc));
	}
	free(w.ids);
	return rc;
}

/* ---- getspi ------------------------------------------------------------------------ */

struct spi_wait {
	bool done;
	int err;
	uint32_t spi;
};

static void spi_cb(void *ud, int err, uint32_t spi)
{
	struct spi_wait *sw = ud;
	sw->done = true;
	sw->err = err;
	sw->spi = spi;
}

static int run_getspi(struct kernel *k, const struct sk_cmd *c, const struct sk_apply_opts *o,
		      struct sk_apply_result *r)
{
	const struct kernel_sa *sa = &c->u.sa.sa;
	struct kernel_spi_req req = { .src = sa->src, .dst = sa->dst, .proto = sa->proto,
				      .mode = sa->mode, .reqid = sa->reqid,
				      .min = sa->spi, .max = sa->spi };
	struct spi_wait sw = { 0 };
	int64_t id = kernel_spi_alloc(k, &req, spi_cb, &sw);

	if (id < 0)
		return fail(r, (int)id, "SPI allocation failed: %s", strerror((int)-id));
	for (int i = 0; i < GETSPI_WAIT_ROUNDS && !sw.done; i++) {
		kernel_dispatch(k);
		if (!sw.done)
			sd_event_run(event_loop(), GETSPI_WAIT_USEC);
	}
	if (!sw.done) {
		kernel_cancel(k, id);
		return fail(r, -ETIMEDOUT, "the kernel did not answer the SPI allocation");
	}
	if (sw.err < 0)
		return fail(r, sw.err, "SPI allocation failed: %s", strerror(-sw.err));
	if (o->verbose)
		fprintf(o->out, "spi=%u(0x%08x)\n", sw.spi, sw.spi);
	return 0;
}

/* ---- SPD ---------------------------------------------------------------------------- */

static bool selector_equal(const struct kernel_selector *a, const struct kernel_selector *b)
{
	return addr_equal(&a->src, &b->src) && addr_equal(&a->dst, &b->dst) &&
	       a->src_plen == b->src_plen && a->dst_plen == b->dst_plen && a->proto == b->proto &&
	       a->sport == b->sport && a->dport == b->dport && a->ifindex == b->ifindex;
}

struct spd_walk {
	const struct sk_apply_opts *o;
	struct kernel_policy *ins;  /* pass 1 (RFC mode): the "in" policies, to spot twins */
	size_t n_ins, cap_ins;
	size_t shown;
};

static int collect_in(const struct kernel_policy *p, void *ud)
{
	struct spd_walk *w = ud;

	if (p->dir != KERNEL_DIR_IN)
		return 0;
	if (w->n_ins == w->cap_ins) {
		size_t cap = w->cap_ins ? w->cap_ins * 2 : 16;
		struct kernel_policy *n = realloc(w->ins, cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		w->ins = n;
		w->cap_ins = cap;
	}
	w->ins[w->n_ins++] = *p;
	return 0;
}

static bool is_twin(const struct spd_walk *w, const struct kernel_policy *p)
{
	if (p->dir != KERNEL_DIR_FWD)
		return false;
	for (size_t i = 0; i < w->n_ins; i++)
		if (selector_equal(&w->ins[i].sel, &p->sel) && w->ins[i].priority == p->priority)
			return true;
	return false;
}

static int print_policy(const struct kernel_policy *p, void *ud)
{
	struct spd_walk *w = ud;

	if (w->o->rfc_mode && is_twin(w, p))
		return 0;
	sk_policy_print(w->o->out, p, w->o->fmt_flags);
	w->shown++;
	return 0;
}

static int run_spddump(struct kernel *k, const struct sk_apply_opts *o, struct sk_apply_result *r)
{
	struct spd_walk w = { .o = o };
	int rc = o->rfc_mode ? kernel_policy_dump(k, collect_in, &w) : 0;

	if (rc == 0)
		rc = kernel_policy_dump(k, print_policy, &w);
	free(w.ins);
	if (rc < 0)
		return fail(r, rc, "reading the SPD failed: %s", strerror(-rc));
	if (w.shown == 0)
		fputs("No SPD entries.\n", o->out);
	return 0;
}

static int policy_call(struct kernel *k, enum sk_op op, const struct kernel_policy *p)
{
	switch (op) {
	case SK_OP_SPDADD: return kernel_policy_add(k, p);
	case SK_OP_SPDUPDATE: return kernel_policy_update(k, p);
	default: return kernel_policy_delete(k, p);
	}
}

/* "unique" without a number: the kernel picks a reqid under PF_KEY, XFRM has no such
 * thing, so take one above the manual range (as Linux's PF_KEY does) that no policy uses. */
#define AUTO_REQID_MIN 0x4000u

static int max_reqid(const struct kernel_policy *p, void *ud)
{
	uint32_t *max = ud;

	for (size_t i = 0; i < p->n_tmpl; i++)
		if (p->tmpl[i].reqid > *max)
			*max = p->tmpl[i].reqid;
	return 0;
}

static int assign_reqids(struct kernel *k, struct kernel_policy *p, struct sk_apply_result *r)
{
	uint32_t max = AUTO_REQID_MIN - 1;
	bool need = false;

	for (size_t i = 0; i < p->n_tmpl; i++)
		need |= p->tmpl[i].level == KERNEL_LEVEL_UNIQUE && p->tmpl[i].reqid == 0;
	if (!need)
		return 0;
	int rc = kernel_policy_dump(k, max_reqid, &max);
	if (rc < 0)
		return fail(r, rc, "reading the SPD for a free reqid: %s", strerror(-rc));
	for (size_t i = 0; i < p->n_tmpl; i++) {
		if (p->tmpl[i].level != KERNEL_LEVEL_UNIQUE || p->tmpl[i].reqid)
			continue;
		if (max == UINT32_MAX)
			return fail(r, -ENOSPC, "no free reqid for unique");
		p->tmpl[i].reqid = ++max;
	}
	return 0;
}

/* The policy, and in RFC mode the fwd twin of an "in" policy. If the twin fails after
 * an add, the "in" policy is taken back so the command is all or nothing. */
static int run_spd(struct kernel *k, const struct sk_cmd *c, const struct sk_apply_opts *o,
		   struct sk_apply_result *r)
{
	struct kernel_policy pol = c->u.spd.pol;
	const struct kernel_policy *p = &pol;
	int rc = c->op == SK_OP_SPDDELETE ? 0 : assign_reqids(k, &pol, r);

	if (rc < 0)
		return rc;
	rc = policy_call(k, c->op, p);

	if (rc < 0)
		return fail(r, rc, "%s policy: %s", sk_dir_name(p->dir), strerror(-rc));
	if (!o->rfc_mode || p->dir != KERNEL_DIR_IN)
		return 0;
	struct kernel_policy twin = *p;
	twin.dir = KERNEL_DIR_FWD;
	rc = policy_call(k, c->op, &twin);
	if (c->op == SK_OP_SPDDELETE && rc == -ENOENT)
		return 0; /* added with -k, or by someone else without its twin */
	if (rc == 0)
		return 0;
	if (c->op == SK_OP_SPDADD && kernel_policy_delete(k, p) == 0)
		return fail(r, rc, "fwd twin of the in policy: %s (the in policy was taken back)",
			    strerror(-rc));
	return fail(r, rc, "fwd twin of the in policy: %s (the in policy %s)", strerror(-rc),
		    c->op == SK_OP_SPDDELETE ? "is deleted" : "is installed");
}

/* ---- the command loop ------------------------------------------------------------ */

static int run_one(struct kernel *k, const struct sk_cmd *c, const struct sk_apply_opts *o,
		   struct sk_apply_result *r)
{
	struct kernel_sa sa;
	struct kernel_sa_id id;
	int rc;

	switch (c->op) {
	case SK_OP_ADD:
		if ((rc = check_caps(k, c, r)) < 0)
			return rc;
		sk_cmd_kernel_sa(c, &sa);
		rc = kernel_sa_add(k, &sa);
		return rc < 0 ? fail(r, rc, "%s", strerror(-rc)) : 0;
	case SK_OP_DELETE:
		sa_id_of(&c->u.sa.sa, &id);
		rc = kernel_sa_delete(k, &id);
		return rc < 0 ? fail(r, rc, "%s", strerror(-rc)) : 0;
	case SK_OP_GET:
	case SK_OP_DUMP:
	case SK_OP_DELETEALL:
		return run_sa_walk(k, c, o, r);
	case SK_OP_GETSPI:
		return run_getspi(k, c, o, r);
	case SK_OP_FLUSH:
		rc = kernel_sa_flush_all(k, c->u.sa.satype);
		return rc < 0 ? fail(r, rc, "%s", strerror(-rc)) : 0;
	case SK_OP_SPDADD:
	case SK_OP_SPDUPDATE:
	case SK_OP_SPDDELETE:
		return run_spd(k, c, o, r);
	case SK_OP_SPDFLUSH:
		rc = kernel_policy_flush_all(k);
		return rc < 0 ? fail(r, rc, "%s", strerror(-rc)) : 0;
	case SK_OP_SPDDUMP:
		return run_spddump(k, o, r);
	}
	return fail(r, -EINVAL, "unknown command");
}

int sk_apply(struct kernel *k, const struct sk_script *s, const struct sk_apply_opts *o,
	     struct sk_apply_result *r)
{
	memset(r, 0, sizeof(*r));
	for (size_t i = 0; i < s->n; i++) {
		const struct sk_cmd *c = &s->cmds[i];
		if (o->verbose) {
			fprintf(o->out, "line %u: ", c->line);
			sk_cmd_print(o->out, c, 0);
		}
		int rc = run_one(k, c, o, r);
		if (rc < 0)
			return rc;
		r->done++;
	}
	return 0;
}
