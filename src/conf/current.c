/* conf/current: the daemon's current configuration and reloading it.
 *
 * Start-up and reload take the same path (conf_reload): parse and validate into a new
 * struct, and only when that succeeds make it current. A broken file therefore never
 * replaces a working config.
 */
#include <errno.h>
#include <string.h>

#include "conf/conf.h"
#include "log/log.h"

static struct racoon_conf *current;
static conf_change_fn change_fn;
static void *change_ud;

const struct racoon_conf *conf_current(void)
{
	return current;
}

void conf_set_change_hook(conf_change_fn fn, void *userdata)
{
	change_fn = fn;
	change_ud = userdata;
}

void conf_set_current(struct racoon_conf *c)
{
	struct racoon_conf *old = current;
	current = c;
	if (change_fn)
		change_fn(old, c, change_ud);
	conf_free(old);
}

void conf_current_free(void)
{
	conf_free(current);
	current = NULL;
}

static void to_log(void *ud, enum conf_severity sev, const char *msg)
{
	(void)ud;
	if (sev == CONF_SEV_ERROR)
		log_error("conf", "%s", msg);
	else
		log_warning("conf", "%s", msg);
}

static bool str_differs(const char *a, const char *b)
{
	return (a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0);
}

/* What a running racoon only picks up when it starts (racoon.conf(5), RELOADING). */
static void warn_restart_only(const struct racoon_conf *o, const struct racoon_conf *n)
{
	const struct conf_listen *a = &o->listen, *b = &n->listen;
	bool listen = a->n_addrs != b->n_addrs || a->strict_address != b->strict_address;
	for (size_t i = 0; !listen && i < a->n_addrs; i++)
		listen = !addr_equal_port(&a->addrs[i].addr, &b->addrs[i].addr) ||
			 a->addrs[i].natt != b->addrs[i].natt;
	const struct conf_adminsock *x = &a->adminsock, *y = &b->adminsock;
	bool admin = x->disabled != y->disabled || x->mode != y->mode ||
		     str_differs(x->path, y->path) || str_differs(x->owner, y->owner) ||
		     str_differs(x->group, y->group);
	const struct conf_privsep *p = &o->privsep, *q = &n->privsep;
	bool privsep = p->uid != q->uid || p->gid != q->gid || str_differs(p->user, q->user) ||
		       str_differs(p->group, q->group) || str_differs(p->chroot, q->chroot);
	const struct { bool changed; const char *what; } w[] = {
		{ listen, "listen addresses" },
		{ admin, "adminsock" },
		{ privsep, "privsep" },
		{ o->kernel_interface != n->kernel_interface, "kernel_interface" },
		{ str_differs(o->paths.pidfile, n->paths.pidfile), "path pidfile" },
	};
	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		if (w[i].changed)
			log_warning("conf", "%s changed: this takes effect when racoon restarts",
				    w[i].what);
}

int conf_reload(const char *path)
{
	struct conf_load_opts o = { .report = to_log };
	struct racoon_conf *c = NULL;
	int r = conf_load_with(path, &o, &c);
	if (r < 0) {
		log_error("conf", "%s has errors: keeping the %s configuration", path,
			  current ? "current" : "(empty)");
		return r;
	}
	if (current)
		warn_restart_only(current, c);
	conf_set_current(c);
	log_info("conf", "loaded %s: %zu remote%s, %zu sainfo%s", path, c->n_remotes,
		 c->n_remotes == 1 ? "" : "s", c->n_sainfos, c->n_sainfos == 1 ? "" : "s");
	return 0;
}
