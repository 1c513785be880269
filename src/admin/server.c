/* server: accept racoonctl connections, read one framed request, queue the reply. */
#include "admin/server.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "admin/proto.h"
#include "event/event.h"
#include "ike/ike.h"
#include "log/log.h"

struct admin_client {
	struct admin_server *srv;
	int fd;
	uid_t uid;
	sd_event_source *io, *idle;
	uint8_t in[ADMIN_HDR_LEN + ADMIN_MAX_REQUEST];
	size_t in_len;
	struct buf out;
	bool replied;    /* close once the queue drains */
	bool subscribed; /* show-event stream */
	bool json;       /* stream events as JSON */
	struct admin_client *next;
};

struct admin_server {
	int fd;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	uid_t owner;
	sd_event_source *io;
	struct admin_env env;
	struct admin_client *clients;
	size_t n_clients;
};

size_t admin_server_clients(const struct admin_server *s)
{
	return s->n_clients;
}

size_t admin_server_subscribers(const struct admin_server *s)
{
	size_t n = 0;
	for (const struct admin_client *c = s ? s->clients : NULL; c; c = c->next)
		n += c->subscribed;
	return n;
}

static void client_free(struct admin_client *c)
{
	struct admin_server *s = c->srv;
	for (struct admin_client **pp = &s->clients; *pp; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	s->n_clients--;
	sd_event_source_disable_unref(c->io);
	sd_event_source_disable_unref(c->idle);
	close(c->fd);
	buf_free(&c->out);
	free(c);
}

/* Reading stops once a plain reply is queued (one request per connection), so a client
 * that half-closes its end after the request still gets the whole reply. */
static void client_want_write(struct admin_client *c)
{
	uint32_t ev = (c->replied ? 0 : EPOLLIN) | (c->out.len > c->out.pos ? EPOLLOUT : 0);
	sd_event_source_set_io_events(c->io, ev);
}

/* Queue bytes; a client that does not read its replies is dropped, never waited for. */
static bool client_queue(struct admin_client *c, const struct buf *msg)
{
	if (c->out.len - c->out.pos + msg->len > ADMIN_MAX_QUEUED) {
		log_warning("admin", "client uid %u is not reading its replies: disconnected",
			    (unsigned)c->uid);
		return false;
	}
	if (c->out.pos == c->out.len)
		buf_reset(&c->out);
	if (!buf_put_bytes(&c->out, msg->ptr, msg->len))
		return false;
	client_want_write(c);
	return true;
}

/* Returns false when the reply could not be queued (the client is dropped). */
static bool handle_request(struct admin_client *c, const uint8_t *body, size_t len)
{
	const char *argv[ADMIN_MAX_ARGS];
	struct buf text, msg;
	struct admin_outcome o = { 0 };
	bool queued = false;
	int status, argc = admin_request_parse(body, len, argv);
	buf_init(&text, ADMIN_MAX_REPLY - 4);
	buf_init(&msg, ADMIN_MAX_REPLY + ADMIN_HDR_LEN);
	if (argc < 0) {
		status = -EINVAL;
		buf_put_bytes(&text, "malformed request\n", 18);
	} else {
		bool j = argc > 1 && !strcmp(argv[0], "-j");
		log_info("admin", "uid %u: %s%s", (unsigned)c->uid, argv[j], j ? " (JSON)" : "");
		status = admin_dispatch(&c->srv->env, argc, argv, &text, &o);
		if (!buf_ok(&text)) {
			buf_reset(&text);
			buf_put_bytes(&text, "the reply is too large for the admin protocol\n", 46);
			status = -E2BIG;
		}
	}
	bool subscribe = o.subscribe && status == 0;
	uint16_t flags = (uint16_t)((o.json ? ADMIN_FLAG_JSON : 0) |
				    (subscribe ? ADMIN_FLAG_MORE : 0) |
				    (o.usage ? ADMIN_FLAG_USAGE : 0));
	if (admin_reply_build(&msg, flags, status, text.ptr, text.len) == 0 &&
	    client_queue(c, &msg)) {
		c->subscribed = subscribe;
		c->json = o.json;
		c->replied = !c->subscribed;
		client_want_write(c);
		queued = true;
	}
	buf_free(&text);
	buf_free(&msg);
	return queued;
}

/* Returns false when the client must be dropped. */
static bool client_read(struct admin_client *c)
{
	ssize_t n = read(c->fd, c->in + c->in_len, sizeof(c->in) - c->in_len);
	if (n < 0)
		return errno == EAGAIN || errno == EINTR;
	if (n == 0)
		return false;
	if (c->replied || c->subscribed)
		return true; /* one request per connection: ignore the rest */
	c->in_len += (size_t)n;
	struct admin_hdr h;
	int r = admin_hdr_parse(c->in, c->in_len, ADMIN_MAGIC_REQUEST, ADMIN_MAX_REQUEST, &h);
	if (r == -EAGAIN)
		return true;
	if (r < 0) {
		log_warning("admin", "uid %u sent a malformed request: %s", (unsigned)c->uid,
			    strerror(-r));
		return false;
	}
	if (c->in_len < ADMIN_HDR_LEN + h.length)
		return true;
	return handle_request(c, c->in + ADMIN_HDR_LEN, h.length);
}

static bool client_write(struct admin_client *c)
{
	while (c->out.pos < c->out.len) {
		ssize_t n = send(c->fd, c->out.ptr + c->out.pos, c->out.len - c->out.pos,
				 MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0)
			return errno == EAGAIN || errno == EINTR;
		c->out.pos += (size_t)n;
	}
	client_want_write(c);
	return !c->replied; /* a plain reply is complete: close */
}

static int on_client(sd_event_source *src, int fd, uint32_t revents, void *userdata)
{
	struct admin_client *c = userdata;
	bool keep = true;
	if (revents & EPOLLIN)
		keep = client_read(c);
	if (keep && (revents & EPOLLOUT || c->out.pos < c->out.len))
		keep = client_write(c);
	if (keep && (revents & (EPOLLHUP | EPOLLERR)))
		keep = false;
	if (!keep)
		client_free(c);
	return 0;
}

static int on_idle(sd_event_source *src, uint64_t usec, void *userdata)
{
	struct admin_client *c = userdata;
	if (c->subscribed)
		return 0;
	log_warning("admin", "uid %u sent no complete request in time: disconnected",
		    (unsigned)c->uid);
	client_free(c);
	return 0;
}

static int on_accept(sd_event_source *src, int fd, uint32_t revents, void *userdata)
{
	struct admin_server *s = userdata;
	for (int i = 0; i < 16; i++) {
		int cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (cfd < 0)
			break;
		struct ucred cred = { .uid = (uid_t)-1 };
		socklen_t cl = sizeof(cred);
		if (getsockopt(cfd, SOL_SOCKET, SO_PEERCRED, &cred, &cl) < 0 ||
		    (cred.uid != 0 && cred.uid != s->owner && cred.uid != geteuid())) {
			log_warning("admin", "refused a connection from uid %u",
				    (unsigned)cred.uid);
			close(cfd);
			continue;
		}
		if (s->n_clients >= ADMIN_MAX_CLIENTS) {
			log_warning("admin", "too many admin connections: refused one");
			close(cfd);
			continue;
		}
		struct admin_client *c = calloc(1, sizeof(*c));
		if (!c) {
			close(cfd);
			continue;
		}
		c->srv = s;
		c->fd = cfd;
		c->uid = cred.uid;
		buf_init(&c->out, ADMIN_MAX_QUEUED + ADMIN_MAX_REPLY + ADMIN_HDR_LEN);
		if (sd_event_add_io(event_loop(), &c->io, cfd, EPOLLIN, on_client, c) < 0 ||
		    event_timer_add(&c->idle, ADMIN_IDLE_USEC, on_idle, c) < 0) {
			sd_event_source_disable_unref(c->io);
			close(cfd);
			buf_free(&c->out);
			free(c);
			continue;
		}
		c->next = s->clients;
		s->clients = c;
		s->n_clients++;
	}
	return 0;
}

static int bind_socket(struct admin_server *s, const struct admin_config *cfg)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	if (strlen(s->path) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	strcpy(sun.sun_path, s->path);
	char dir[sizeof(s->path)];
	snprintf(dir, sizeof(dir), "%s", s->path);
	mkdir(dirname(dir), 0750);
	s->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd < 0)
		return -errno;
	unlink(s->path); /* a stale socket from a killed racoon */
	mode_t old = umask(0177);
	int r = bind(s->fd, (struct sockaddr *)&sun, sizeof(sun));
	umask(old);
	if (r < 0 || listen(s->fd, 16) < 0)
		return -errno;
	if (chmod(s->path, cfg->mode ? cfg->mode : 0600) < 0)
		return -errno;
	if ((cfg->owner != (uid_t)-1 || cfg->group != (gid_t)-1) &&
	    chown(s->path, cfg->owner, cfg->group) < 0)
		return -errno;
	return 0;
}

int admin_server_start(const struct admin_config *cfg, const struct admin_env *env,
		       struct admin_server **out)
{
	struct admin_server *s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->fd = -1;
	s->env = *env;
	s->owner = cfg->owner == (uid_t)-1 ? geteuid() : cfg->owner;
	const char *path = cfg->path ? cfg->path : ADMIN_DEFAULT_SOCKET;
	if (strlen(path) >= sizeof(s->path)) {
		free(s);
		return -ENAMETOOLONG;
	}
	strcpy(s->path, path);
	int r = bind_socket(s, cfg);
	if (r == 0)
		r = sd_event_add_io(event_loop(), &s->io, s->fd, EPOLLIN, on_accept, s);
	if (r < 0) {
		log_error("admin", "cannot use the admin socket %s: %s", s->path, strerror(-r));
		if (s->fd >= 0)
			close(s->fd);
		free(s);
		return r;
	}
	log_info("admin", "admin socket %s", s->path);
	if (s->env.engine)
		ike_engine_set_event_hook(s->env.engine, admin_engine_event, s);
	*out = s;
	return 0;
}

void admin_server_stop(struct admin_server *s)
{
	if (!s)
		return;
	if (s->env.engine)
		ike_engine_set_event_hook(s->env.engine, NULL, NULL);
	while (s->clients)
		client_free(s->clients);
	sd_event_source_disable_unref(s->io);
	close(s->fd);
	unlink(s->path);
	free(s);
}

void admin_server_publish(struct admin_server *s, const char *text, const char *json)
{
	if (!s)
		return;
	struct admin_client *c = s->clients;
	while (c) {
		struct admin_client *next = c->next;
		if (c->subscribed) {
			struct buf msg;
			buf_init(&msg, ADMIN_MAX_REPLY);
			const char *line = c->json && json ? json : text;
			uint16_t fl = (uint16_t)(ADMIN_FLAG_MORE | (c->json && json ? ADMIN_FLAG_JSON : 0));
			if (admin_reply_build(&msg, fl, 0, line, strlen(line)) < 0 ||
			    !client_queue(c, &msg))
				client_free(c);
			buf_free(&msg);
		}
		c = next;
	}
}
