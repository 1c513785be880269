/* adminsock: the admin socket for racoonctl, from listen { adminsock } (racoon.conf(5)). */
#ifndef RACOON_DAEMON_ADMINSOCK_H
#define RACOON_DAEMON_ADMINSOCK_H

struct racoon_conf;
struct ike_engine;
struct admin_server;

/* Start it unless `adminsock disabled;`. reload runs racoonctl's reload-config. *out is
 * NULL when disabled. 0 or negative errno (logged). */
int daemon_admin_start(const struct racoon_conf *c, struct ike_engine *e,
		       int (*reload)(void *userdata), struct admin_server **out);

#endif
