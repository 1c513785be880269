/* adminsock: open the admin socket with the owner, group and mode racoon.conf asks for. */
#include "daemon/adminsock.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <string.h>

#include "admin/server.h"
#include "conf/conf.h"
#include "log/log.h"

/* Names are looked up now, so a typo fails the start instead of a later chown. */
static int lookup_ids(const struct conf_adminsock *a, uid_t *uid, gid_t *gid)
{
	*uid = (uid_t)-1;
	*gid = (gid_t)-1;
	if (a->owner) {
		struct passwd *pw = getpwnam(a->owner);
		if (!pw) {
			log_error("admin", "adminsock owner \"%s\": no such user", a->owner);
			return -ENOENT;
		}
		*uid = pw->pw_uid;
	}
	if (a->group) {
		struct group *gr = getgrnam(a->group);
		if (!gr) {
			log_error("admin", "adminsock group \"%s\": no such group", a->group);
			return -ENOENT;
		}
		*gid = gr->gr_gid;
	}
	return 0;
}

int daemon_admin_start(const struct racoon_conf *c, struct ike_engine *e,
		       int (*reload)(void *userdata), struct admin_server **out)
{
	*out = NULL;
	const struct conf_adminsock *a = c ? &c->listen.adminsock : NULL;
	if (a && a->disabled) {
		log_info("admin", "admin socket disabled (adminsock disabled)");
		return 0;
	}
	struct admin_config cfg = { .owner = (uid_t)-1, .group = (gid_t)-1 };
	if (a) {
		int r = lookup_ids(a, &cfg.owner, &cfg.group);
		if (r < 0)
			return r;
		cfg.path = a->path;
		cfg.mode = a->mode;
	}
	const struct admin_env env = { .engine = e, .reload = reload };
	int r = admin_server_start(&cfg, &env, out);
	if (r < 0) {
		log_error("admin", "cannot open the admin socket %s: %s",
			  cfg.path ? cfg.path : ADMIN_DEFAULT_SOCKET, strerror(-r));
		*out = NULL;
		return r;
	}
	log_info("admin", "admin socket %s ready for racoonctl",
		 cfg.path ? cfg.path : ADMIN_DEFAULT_SOCKET);
	return 0;
}
