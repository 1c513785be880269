/* server: racoon's admin socket (a UNIX stream socket for racoonctl).
 *
 * Non-blocking, bounded: at most ADMIN_MAX_CLIENTS connections, each with a fixed input
 * buffer, a capped output queue and an idle timeout, so a slow or hostile client
 * cannot stall the daemon or other clients. SO_PEERCRED decides who may talk: root and
 * the socket's owner; the file mode and group (listen { adminsock }) decide who may
 * connect at all.
 */
#ifndef RACOON_ADMIN_SERVER_H
#define RACOON_ADMIN_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "common/buf.h"

#define ADMIN_MAX_CLIENTS 32
#define ADMIN_IDLE_USEC (30u * 1000000u)      /* a request must arrive within this */
#define ADMIN_MAX_QUEUED (1024u * 1024u)      /* per client output, else disconnected */
#define ADMIN_DEFAULT_SOCKET RUNSTATEDIR "/racoon/racoon.sock"

struct admin_server;
struct admin_client;
struct ike_engine;

/* What the commands act on, provided by the daemon. */
struct admin_env {
	struct ike_engine *engine;        /* may be NULL (no negotiation yet) */
	int (*reload)(void *userdata);    /* reload-config: 0 or negative errno */
	void *userdata;
};

struct admin_config {
	const char *path;  /* NULL: ADMIN_DEFAULT_SOCKET */
	uid_t owner;       /* (uid_t)-1: keep */
	gid_t group;       /* (gid_t)-1: keep */
	unsigned mode;     /* 0: 0600 */
};

int admin_server_start(const struct admin_config *cfg, const struct admin_env *env,
		       struct admin_server **out);
void admin_server_stop(struct admin_server *s);
size_t admin_server_clients(const struct admin_server *s);

/* Stream an event line to every show-event subscriber (text and JSON forms; json NULL:
 * JSON subscribers get the text). */
void admin_server_publish(struct admin_server *s, const char *text, const char *json);
size_t admin_server_subscribers(const struct admin_server *s);

/* events.c: ike_event_fn for the engine's event hook (userdata: the admin server), set
 * by admin_server_start and cleared by admin_server_stop. */
struct ike_event;
void admin_engine_event(void *userdata, const struct ike_event *ev);

/* What a command's reply is besides its status and text. */
struct admin_outcome {
	bool json;      /* the body is JSON */
	bool subscribe; /* the connection becomes an event stream (show-event) */
	bool usage;     /* the request's arguments were wrong */
};

/* Commands (commands.c): run argv, write the reply body, return 0 or a negative errno. */
int admin_dispatch(const struct admin_env *env, int argc, const char **argv, struct buf *out,
		   struct admin_outcome *o);

#endif
