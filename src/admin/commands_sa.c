/* commands_sa: racoonctl commands that start or tear down SAs. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "admin/commands.h"
#include "ike/ike.h"
#include "isakmp/isakmp.h"

/* What an saopts argument list names (reference syntax):
 *   isakmp inet|inet6 SRC DST
 *   esp|ah inet|inet6 SRC[/PLEN[/PORT]] DST[/PLEN[/PORT]] ULPROTO */
struct saopts {
	bool isakmp;
	uint8_t proto; /* ISAKMP_PROTO_IPSEC_ESP / _AH */
	union sockaddr_any src, dst;
	uint8_t src_plen, dst_plen, ulproto;
	uint16_t sport, dport;
};

static int parse_endpoint(const char *s, int family, union sockaddr_any *a, uint8_t *plen,
			  uint16_t *port)
{
	char tmp[128];
	if (strlen(s) >= sizeof(tmp))
		return -EINVAL;
	strcpy(tmp, s);
	char *pl = strchr(tmp, '/'), *pt = NULL;
	if (pl) {
		*pl++ = '\0';
		pt = strchr(pl, '/');
		if (pt)
			*pt++ = '\0';
	}
	if (addr_parse(tmp, a) < 0 || a->sa.sa_family != family)
		return -EINVAL;
	unsigned max = family == AF_INET ? 32 : 128;
	*plen = (uint8_t)max;
	if (plen && pl) {
		char *end;
		unsigned long v = strtoul(pl, &end, 10);
		if (*pl == '\0' || *end || v > max)
			return -EINVAL;
		*plen = (uint8_t)v;
	}
	if (port)
		*port = 0;
	if (pt && strcmp(pt, "any") != 0) {
		char *end;
		unsigned long v = strtoul(pt, &end, 10);
		if (*pt == '\0' || *end || v > 65535)
			return -EINVAL;
		*port = (uint16_t)v;
	}
	return 0;
}

static int parse_ulproto(const char *s, uint8_t *p)
{
	static const struct { const char *n; uint8_t v; } t[] = {
		{ "any", 0 }, { "icmp", 1 }, { "tcp", 6 }, { "udp", 17 }, { "gre", 47 },
		{ "icmp6", 58 },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (!strcmp(s, t[i].n)) {
			*p = t[i].v;
			return 0;
		}
	char *end;
	unsigned long v = strtoul(s, &end, 10);
	if (*s == '\0' || *end || v > 255)
		return -EINVAL;
	*p = (uint8_t)v;
	return 0;
}

static int parse_saopts(int argc, const char **argv, struct saopts *o)
{
	memset(o, 0, sizeof(*o));
	if (argc < 4)
		return -EINVAL;
	int family = !strcmp(argv[1], "inet") ? AF_INET : !strcmp(argv[1], "inet6") ? AF_INET6 : 0;
	if (!family)
		return -EINVAL;
	if (!strcmp(argv[0], "isakmp")) {
		o->isakmp = true;
		uint8_t pl;
		uint16_t pt;
		if (argc != 4 || parse_endpoint(argv[2], family, &o->src, &pl, &pt) < 0 ||
		    parse_endpoint(argv[3], family, &o->dst, &pl, &pt) < 0)
			return -EINVAL;
		return 0;
	}
	if (!strcmp(argv[0], "esp"))
		o->proto = ISAKMP_PROTO_IPSEC_ESP;
	else if (!strcmp(argv[0], "ah"))
		o->proto = ISAKMP_PROTO_IPSEC_AH;
	else
		return -EINVAL;
	if (argc != 5 || parse_endpoint(argv[2], family, &o->src, &o->src_plen, &o->sport) < 0 ||
	    parse_endpoint(argv[3], family, &o->dst, &o->dst_plen, &o->dport) < 0 ||
	    parse_ulproto(argv[4], &o->ulproto) < 0)
		return -EINVAL;
	return 0;
}

#define SAOPTS_USAGE \
	"saopts: isakmp inet|inet6 SRC DST | esp|ah inet|inet6 SRC[/PLEN[/PORT]] " \
	"DST[/PLEN[/PORT]] icmp|tcp|udp|gre|any|NUMBER"

static int need_engine(struct cmd_ctx *c)
{
	return c->env->engine ? 0 : cmd_fail(c, ENOENT, "the negotiation engine is not running");
}

int cmd_establish_sa(struct cmd_ctx *c)
{
	const char *remote_name = NULL;
	int i = 1;
	for (; i < c->argc && c->argv[i][0] == '-'; i++) {
		if (!strcmp(c->argv[i], "-n") && i + 1 < c->argc)
			remote_name = c->argv[++i];
		else if (!strcmp(c->argv[i], "-w"))
			continue; /* racoonctl waits by polling; nothing to do here */
		else if (!strcmp(c->argv[i], "-u"))
			return cmd_fail(c, ENOTSUP, "-u: XAUTH client credentials are not supported "
						     "by this racoon");
		else
			return cmd_usage(c, "usage: establish-sa [-n remote] [-w] saopts");
	}
	struct saopts o;
	if (parse_saopts(c->argc - i, c->argv + i, &o) < 0)
		return cmd_usage(c, SAOPTS_USAGE);
	if (need_engine(c) < 0)
		return -ENOENT;
	int r;
	if (o.isakmp) {
		r = ike_engine_initiate_ph1(c->env->engine, &o.src, &o.dst, remote_name);
	} else {
		unsigned full = o.src.sa.sa_family == AF_INET ? 32 : 128;
		if (o.src_plen != full || o.dst_plen != full)
			return cmd_usage(c, "establish-sa esp|ah takes host addresses (transport "
						   "mode); tunnels are negotiated from the SPD");
		struct ike_ph2_request q = {
			.local = o.src, .remote = o.dst, .src = o.src, .dst = o.dst,
			.src_plen = o.src_plen, .dst_plen = o.dst_plen, .ulproto = o.ulproto,
			.sport = o.sport, .dport = o.dport,
			.esp = o.proto == ISAKMP_PROTO_IPSEC_ESP, .ah = o.proto == ISAKMP_PROTO_IPSEC_AH,
			.remote_name = remote_name,
		};
		addr_set_port(&q.local, 0);
		addr_set_port(&q.remote, 0);
		r = ike_engine_initiate_ph2(c->env->engine, &q);
	}
	if (r < 0)
		return cmd_fail(c, -r, "the negotiation could not start (see the log)");
	cmd_outf(c, "negotiation started\n");
	return 0;
}

int cmd_delete_sa(struct cmd_ctx *c)
{
	struct saopts o;
	if (parse_saopts(c->argc - 1, c->argv + 1, &o) < 0)
		return cmd_usage(c, SAOPTS_USAGE);
	if (need_engine(c) < 0)
		return -ENOENT;
	int n = o.isakmp ? ike_engine_delete_ph1(c->env->engine, &o.dst)
			 : ike_engine_delete_ph2(c->env->engine, &o.dst, o.proto);
	if (n <= 0)
		return cmd_fail(c, ENOENT, "no such SA");
	cmd_outf(c, "%d SA%s deleted\n", n, n == 1 ? "" : "s");
	return 0;
}

int cmd_flush_sa(struct cmd_ctx *c)
{
	bool isakmp;
	uint8_t proto;
	if (c->argc != 2 || cmd_parse_sa_kind(c->argv[1], &isakmp, &proto) < 0)
		return cmd_usage(c, "usage: flush-sa isakmp|esp|ah|ipsec");
	if (need_engine(c) < 0)
		return -ENOENT;
	int n = isakmp ? ike_engine_delete_ph1(c->env->engine, NULL)
		       : ike_engine_delete_ph2(c->env->engine, NULL, proto);
	cmd_outf(c, "%d SA%s deleted\n", n, n == 1 ? "" : "s");
	return 0;
}

/* Our address towards a gateway, as the routing table chooses it. */
static int local_towards(const union sockaddr_any *gw, union sockaddr_any *local)
{
	int fd = socket(gw->sa.sa_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	union sockaddr_any to = *gw;
	addr_set_port(&to, 500);
	socklen_t sl = sizeof(*local);
	int r = connect(fd, &to.sa, addr_len(&to)) < 0 || getsockname(fd, &local->sa, &sl) < 0
			? -errno : 0;
	close(fd);
	addr_set_port(local, 0);
	return r;
}

int cmd_vpn_connect(struct cmd_ctx *c)
{
	int i = 1;
	if (i < c->argc && !strcmp(c->argv[i], "-u"))
		return cmd_fail(c, ENOTSUP, "-u: XAUTH client credentials are not supported by "
					     "this racoon");
	union sockaddr_any gw, local;
	if (c->argc != 2 || addr_parse(c->argv[1], &gw) < 0 || gw.sa.sa_family != AF_INET)
		return cmd_usage(c, "usage: vpn-connect [-u identity] IPV4-GATEWAY");
	if (need_engine(c) < 0)
		return -ENOENT;
	int r = local_towards(&gw, &local);
	if (r < 0)
		return cmd_fail(c, -r, "no route to the gateway");
	r = ike_engine_initiate_ph1(c->env->engine, &local, &gw, NULL);
	if (r < 0)
		return cmd_fail(c, -r, "the negotiation could not start (see the log)");
	cmd_outf(c, "negotiation started\n");
	return 0;
}

int cmd_vpn_disconnect(struct cmd_ctx *c)
{
	union sockaddr_any gw;
	if (c->argc != 2 || addr_parse(c->argv[1], &gw) < 0 || gw.sa.sa_family != AF_INET)
		return cmd_usage(c, "usage: vpn-disconnect IPV4-GATEWAY");
	if (need_engine(c) < 0)
		return -ENOENT;
	int n = ike_engine_delete_ph2(c->env->engine, &gw, 0);
	n += ike_engine_delete_ph1(c->env->engine, &gw);
	if (n <= 0)
		return cmd_fail(c, ENOENT, "no SA with that gateway");
	cmd_outf(c, "%d SA%s deleted\n", n, n == 1 ? "" : "s");
	return 0;
}

int cmd_logout_user(struct cmd_ctx *c)
{
	if (c->argc != 2 || strlen(c->argv[1]) > 31)
		return cmd_usage(c, "usage: logout-user LOGIN (at most 31 characters)");
	return cmd_fail(c, ENOTSUP, "logout-user: this racoon has no XAUTH server, so no user "
				    "is logged in");
}

int cmd_get_cert(struct cmd_ctx *c)
{
	if (c->argc != 4 || (strcmp(c->argv[1], "inet") && strcmp(c->argv[1], "inet6")))
		return cmd_usage(c, "usage: get-cert inet|inet6 SRC DST");
	return cmd_fail(c, ENOENT, "get-cert: no ISAKMP SA authenticated by certificate (this "
				   "racoon negotiates with pre-shared keys only)");
}
