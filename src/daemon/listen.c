/* listen: choose the source of the IKE sockets (systemd, listen {}, local addresses). */
#include "daemon/listen.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "conf/conf.h"
#include "log/log.h"

#define PASSED_MAX 256 /* more than any socket unit for two ports needs */

const char *sock_source_name(enum sock_source s)
{
	switch (s) {
	case SOCK_SRC_SYSTEMD:
		return "sockets passed by systemd";
	case SOCK_SRC_LISTEN:
		return "listen {}";
	case SOCK_SRC_ADDRESSES:
		return "every local address";
	}
	return "?";
}

static size_t n_listen(const struct racoon_conf *c)
{
	return c ? c->listen.n_addrs : 0;
}

/* Copy listen {} entries into what the socket layer takes. */
static struct net_listen_addr *listen_entries(const struct racoon_conf *c, size_t *n)
{
	*n = n_listen(c);
	if (!*n)
		return NULL;
	struct net_listen_addr *l = calloc(*n, sizeof(*l));
	if (!l)
		return NULL;
	for (size_t i = 0; i < *n; i++) {
		l[i].addr = c->listen.addrs[i].addr;
		l[i].natt = c->listen.addrs[i].natt;
	}
	return l;
}

static int passed_fds(int **out)
{
	int n = sd_listen_fds(1);
	*out = NULL;
	if (n < 0) {
		log_warning("daemon", "LISTEN_FDS is malformed: %s; opening our own sockets",
			    strerror(-n));
		return 0;
	}
	if (n == 0)
		return 0;
	if (n > PASSED_MAX) {
		log_warning("daemon", "%d sockets passed by systemd: using the first %d", n,
			    PASSED_MAX);
		for (int i = PASSED_MAX; i < n; i++)
			close(SD_LISTEN_FDS_START + i);
		n = PASSED_MAX;
	}
	int *fds = calloc((size_t)n, sizeof(*fds));
	if (!fds)
		return -ENOMEM;
	for (int i = 0; i < n; i++)
		fds[i] = SD_LISTEN_FDS_START + i;
	*out = fds;
	return n;
}

static void log_passed_choice(const struct options *o, const struct racoon_conf *c, int n)
{
	log_info("daemon", "using the %d socket%s passed by systemd (ISAKMP port %u, NAT-T port "
			   "%u); opening none of our own",
		 n, n == 1 ? "" : "s", o->isakmp_port, o->natt_port);
	if (n_listen(c))
		log_warning("daemon", "listen {} (%zu entr%s) is ignored: systemd passed the "
				      "sockets (racoon.socket)",
			    n_listen(c), n_listen(c) == 1 ? "y" : "ies");
}

int daemon_sockets_start(const struct options *o, const struct racoon_conf *c,
			 net_receive_fn rx, void *userdata, enum sock_source *used)
{
	struct net_config nc = {
		.isakmp_port = o->isakmp_port,
		.natt_port = o->natt_port,
		.family = o->family,
		.bypass = !o->no_kernel,
		.strict_address = c ? c->listen.strict_address : false,
	};
	int *fds;
	int n = passed_fds(&fds);
	if (n < 0)
		return n;
	int r;
	if (n > 0) {
		*used = SOCK_SRC_SYSTEMD;
		log_passed_choice(o, c, n);
		r = net_start(&nc, fds, (size_t)n, rx, userdata);
		free(fds);
		return r;
	}
	size_t nl;
	struct net_listen_addr *l = listen_entries(c, &nl);
	if (nl && !l)
		return -ENOMEM;
	if (nl) {
		*used = SOCK_SRC_LISTEN;
		log_info("daemon", "using the %zu address%s of listen {}", nl, nl == 1 ? "" : "es");
		if (o->ports_given)
			log_warning("daemon", "-p/-P do not change the ports of listen {} entries");
		nc.listen = l;
		nc.n_listen = nl;
	} else {
		*used = SOCK_SRC_ADDRESSES;
		log_info("daemon", "using every local address (ISAKMP port %u, NAT-T port %u), "
				   "following address changes",
			 o->isakmp_port, o->natt_port);
		nc.follow_addresses = true;
	}
	r = net_start(&nc, NULL, 0, rx, userdata);
	free(l);
	return r;
}

static bool unit_enabled(const char *dir, const char *target, const char *unit)
{
	char p[4096];
	struct stat st;
	snprintf(p, sizeof(p), "%s/%s.wants/%s", dir, target, unit);
	return lstat(p, &st) == 0; /* the enablement symlink itself */
}

#define WARN(...)                                                   \
	do {                                                        \
		fprintf(out, "racoon: warning: " __VA_ARGS__);      \
		fputc('\n', out);                                   \
		warnings++;                                         \
	} while (0)

unsigned daemon_sockets_check(const struct options *o, const struct racoon_conf *c,
			      const char *unit_dir, FILE *out)
{
	unsigned warnings = 0;
	const char *dir = unit_dir ? unit_dir : RACOON_UNIT_ENABLE_DIR;
	bool sock = unit_enabled(dir, "sockets.target", "racoon.socket");
	bool svc = unit_enabled(dir, "multi-user.target", "racoon.service");
	if (n_listen(c) && o->ports_given)
		WARN("-p/-P do not change the ports of the listen {} entries");
	if (!sock)
		return warnings;
	if (n_listen(c))
		WARN("racoon.socket is enabled: when it starts racoon, its sockets are used "
		     "and listen {} is ignored");
	if (o->isakmp_port != 500 || o->natt_port != 4500)
		WARN("racoon.socket is enabled: its sockets (ports 500 and 4500 unless changed "
		     "in the unit) are used only when bound to the -p port %u or the -P port %u",
		     o->isakmp_port, o->natt_port);
	if (svc || !c)
		return warnings;
	for (size_t i = 0; i < c->n_remotes; i++) {
		const struct conf_remote *rm = &c->remotes[i];
		if (rm->passive)
			continue;
		WARN("%s:%u: remote \"%s\" is not passive, but only racoon.socket is enabled: "
		     "no racoon runs to hear the kernel's ACQUIREs and start negotiations for "
		     "it until a peer's packet starts one (enable racoon.service, or make the "
		     "remote passive)",
		     rm->file ? rm->file : "?", rm->line, rm->name ? rm->name : "?");
	}
	return warnings;
}
