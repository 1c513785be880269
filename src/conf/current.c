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
	conf_set_current(c);
	log_info("conf", "loaded %s: %zu remote%s, %zu sainfo%s", path, c->n_remotes,
		 c->n_remotes == 1 ? "" : "s", c->n_sainfos, c->n_sainfos == 1 ? "" : "s");
	return 0;
}
