/* kernel-driver: drive a src/kernel backend from shell scripts (kernel lab, netns tests).
 *
 *   kernel-driver [-b xfrm|mock] [-s STATEDIR] [-k] COMMAND ARGS...
 *   spi SRC DST esp|ah|comp [seq N] [reqid N] [tunnel]      -> "spi 0x%08x"
 *   sa-add|sa-update SRC DST PROTO SPI [OPTIONS]             (see sa_options below)
 *   sa-get DST PROTO SPI                                     -> "bytes N packets N reqid N"
 *   sa-del DST PROTO SPI
 *   sa-dump                                                  -> one SA per line
 *   pol-add|pol-update DIR SRC/PLEN DST/PLEN [OPTIONS]       (see pol_options below)
 *   pol-del DIR SRC/PLEN DST/PLEN [proto N]
 *   pol-dump                                                 -> one policy per line
 *   flush-own                                                -> "removed N"
 *   events [rcvbuf N] [count N] [timeout S] [wait FILE]      -> one event per line
 *   udp-encap ADDR PORT SECONDS    hold a NAT-T socket (UDP_ENCAP + IKE bypass) open
 * -k keeps the process alive after the command (until killed, at most 600 s) so a test
 * can simulate a crash with SIGKILL. Exit status 0 on success, 1 on failure.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "event/event.h"
#include "kernel/kernel.h"
#include "net/net.h"

static struct kernel *K;
static int events_seen, events_max = -1;

static int die(const char *what, int err)
{
	fprintf(stderr, "kernel-driver: %s: %s\n", what, err < 0 ? strerror(-err) : "bad usage");
	exit(1);
}

static union sockaddr_any addr(const char *s)
{
	union sockaddr_any a;
	if (addr_parse(s, &a) < 0)
		die(s, 0);
	return a;
}

static int proto(const char *s)
{
	if (!strcmp(s, "esp"))
		return KERNEL_PROTO_ESP;
	if (!strcmp(s, "ah"))
		return KERNEL_PROTO_AH;
	if (!strcmp(s, "comp"))
		return KERNEL_PROTO_COMP;
	return die(s, 0);
}

static unsigned long long num(const char *s)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (errno || *end || !*s)
		die(s, 0);
	return v;
}

static size_t hex(const char *s, uint8_t *out, size_t max)
{
	if (!strncmp(s, "0x", 2))
		s += 2;
	size_t n = strlen(s) / 2;
	if (strlen(s) % 2 || n > max)
		die(s, 0);
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			die(s, 0);
		out[i] = (uint8_t)v;
	}
	return n;
}

static void prefix(const char *s, union sockaddr_any *a, uint8_t *plen)
{
	char buf[80];
	snprintf(buf, sizeof(buf), "%s", s);
	char *slash = strchr(buf, '/');
	if (slash)
		*slash = 0;
	*a = addr(buf);
	*plen = slash ? (uint8_t)num(slash + 1) : (a->sa.sa_family == AF_INET ? 32 : 128);
}

static const char *ntop(const union sockaddr_any *a)
{
	static char b[4][ADDR_STRLEN];
	static int i;
	i = (i + 1) % 4;
	return a->sa.sa_family ? addr_ntop(a, b[i]) : "-";
}

static const char *proto_name(int p)
{
	return p == KERNEL_PROTO_ESP ? "esp" : p == KERNEL_PROTO_AH ? "ah" : p == KERNEL_PROTO_COMP ? "comp" : "?";
}

/* ---- SPI --------------------------------------------------------------------------- */

static int spi_done;
static void on_spi(void *ud, int err, uint32_t spi)
{
	if (err < 0)
		die("spi", err);
	printf("spi 0x%08x\n", spi);
	spi_done = 1;
}

static int cmd_spi(int argc, char **argv)
{
	if (argc < 3)
		die("spi", 0);
	struct kernel_spi_req r = { .src = addr(argv[0]), .dst = addr(argv[1]), .proto = proto(argv[2]) };
	for (int i = 3; i < argc; i++) {
		if (!strcmp(argv[i], "seq") && i + 1 < argc)
			r.seq = (uint32_t)num(argv[++i]);
		else if (!strcmp(argv[i], "reqid") && i + 1 < argc)
			r.reqid = (uint32_t)num(argv[++i]);
		else if (!strcmp(argv[i], "tunnel"))
			r.mode = KERNEL_MODE_TUNNEL;
		else
			die(argv[i], 0);
	}
	int64_t id = kernel_spi_alloc(K, &r, on_spi, NULL);
	if (id < 0)
		die("spi", (int)id);
	if (spi_done)
		die("spi callback ran inline", -EINVAL);
	for (int i = 0; i < 100 && !spi_done; i++)
		sd_event_run(event_loop(), 100000);
	return spi_done ? 0 : die("spi: no callback", -ETIMEDOUT);
}

/* ---- SAs ----------------------------------------------------------------------------- */

static uint8_t ekey[128], akey[128];

/* mode tunnel|transport, reqid N, enc NAME KEY, auth NAME KEY, icv BITS, comp NAME,
 * replay N, esn, encap SPORT DPORT, soft-add/hard-add/soft-use/hard-use SEC,
 * soft-bytes/hard-bytes/soft-packets/hard-packets N, seq N */
static void sa_options(struct kernel_sa *sa, int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		const char *w = i + 2 < argc ? argv[i + 2] : NULL;
		if (!strcmp(o, "esn")) {
			sa->esn = true;
			continue;
		}
		if (!v)
			die(o, 0);
		i++;
		if (!strcmp(o, "mode"))
			sa->mode = !strcmp(v, "tunnel") ? KERNEL_MODE_TUNNEL : KERNEL_MODE_TRANSPORT;
		else if (!strcmp(o, "reqid"))
			sa->reqid = (uint32_t)num(v);
		else if (!strcmp(o, "seq"))
			sa->seq = (uint32_t)num(v);
		else if (!strcmp(o, "icv"))
			sa->icv_bits = (unsigned)num(v);
		else if (!strcmp(o, "replay"))
			sa->replay_window = (uint32_t)num(v);
		else if (!strcmp(o, "comp") && kernel_comp_from_name(v) > 0)
			sa->comp = (enum kernel_comp)kernel_comp_from_name(v);
		else if (!strcmp(o, "enc") && !strcmp(v, "null")) {
			sa->enc = KERNEL_ENC_NULL; /* no key, or an empty "0x" */
			if (w && !strncmp(w, "0x", 2) && !hex(w, ekey, sizeof(ekey)))
				i++;
		}
		else if (!strcmp(o, "enc") && w && kernel_enc_from_name(v) > 0) {
			sa->enc = (enum kernel_enc)kernel_enc_from_name(v);
			sa->enc_key_len = hex(w, ekey, sizeof(ekey));
			sa->enc_key = ekey;
			i++;
		} else if (!strcmp(o, "auth") && w && kernel_auth_from_name(v) > 0) {
			sa->auth = (enum kernel_auth)kernel_auth_from_name(v);
			sa->auth_key_len = hex(w, akey, sizeof(akey));
			sa->auth_key = akey;
			i++;
		} else if (!strcmp(o, "encap") && w) {
			sa->encap.enabled = true;
			sa->encap.sport = (uint16_t)num(v);
			sa->encap.dport = (uint16_t)num(w);
			i++;
		} else if (!strcmp(o, "soft-add"))
			sa->soft.add_sec = num(v);
		else if (!strcmp(o, "hard-add"))
			sa->hard.add_sec = num(v);
		else if (!strcmp(o, "soft-use"))
			sa->soft.use_sec = num(v);
		else if (!strcmp(o, "hard-use"))
			sa->hard.use_sec = num(v);
		else if (!strcmp(o, "soft-bytes"))
			sa->soft.bytes = num(v);
		else if (!strcmp(o, "hard-bytes"))
			sa->hard.bytes = num(v);
		else if (!strcmp(o, "soft-packets"))
			sa->soft.packets = num(v);
		else if (!strcmp(o, "hard-packets"))
			sa->hard.packets = num(v);
		else
			die(o, 0);
	}
}

static int cmd_sa_add(int argc, char **argv, bool update)
{
	if (argc < 4)
		die("sa-add", 0);
	struct kernel_sa sa = { .src = addr(argv[0]), .dst = addr(argv[1]), .proto = proto(argv[2]),
				.spi = (uint32_t)num(argv[3]) };
	sa_options(&sa, argc - 4, argv + 4);
	int r = update ? kernel_sa_update(K, &sa) : kernel_sa_add(K, &sa);
	return r < 0 ? die(update ? "sa-update" : "sa-add", r) : 0;
}

static struct kernel_sa_id sa_id(int argc, char **argv)
{
	if (argc < 3)
		die("sa id", 0);
	struct kernel_sa_id id = { .dst = addr(argv[0]), .proto = proto(argv[1]), .spi = (uint32_t)num(argv[2]) };
	return id;
}

static int print_sa(const struct kernel_sa *sa, const struct kernel_sa_stats *st, void *ud)
{
	printf("%s %s %s spi 0x%08x %s reqid %u enc %s/%zu auth %s icv %u comp %s replay %u%s%s"
	       " bytes %llu\n", ntop(&sa->src), ntop(&sa->dst), proto_name(sa->proto), sa->spi,
	       sa->mode == KERNEL_MODE_TUNNEL ? "tunnel" : "transport", sa->reqid,
	       kernel_enc_name(sa->enc) ? kernel_enc_name(sa->enc) : "none", sa->enc_key_len * 8,
	       kernel_auth_name(sa->auth) ? kernel_auth_name(sa->auth) : "none", sa->icv_bits,
	       kernel_comp_name(sa->comp) ? kernel_comp_name(sa->comp) : "none", sa->replay_window,
	       sa->esn ? " esn" : "", sa->encap.enabled ? " encap" : "",
	       (unsigned long long)st->bytes);
	return 0;
}

/* ---- Policies --------------------------------------------------------------------- */

static enum kernel_dir dir(const char *s)
{
	return !strcmp(s, "in") ? KERNEL_DIR_IN : !strcmp(s, "out") ? KERNEL_DIR_OUT
	       : !strcmp(s, "fwd") ? KERNEL_DIR_FWD : (enum kernel_dir)die(s, 0);
}

/* proto N, sport N, dport N, prio N, hard-add SEC, action ipsec|none|discard,
 * tmpl PROTO transport|tunnel[:SRC:DST]  require|use|unique REQID */
static void pol_options(struct kernel_policy *p, int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		if (i + 1 >= argc)
			die(argv[i], 0);
		const char *o = argv[i], *v = argv[++i];
		if (!strcmp(o, "proto"))
			p->sel.proto = (uint8_t)num(v);
		else if (!strcmp(o, "sport"))
			p->sel.sport = (uint16_t)num(v);
		else if (!strcmp(o, "dport"))
			p->sel.dport = (uint16_t)num(v);
		else if (!strcmp(o, "prio"))
			p->priority = (uint32_t)num(v);
		else if (!strcmp(o, "hard-add"))
			p->hard.add_sec = num(v);
		else if (!strcmp(o, "action"))
			p->action = !strcmp(v, "none") ? KERNEL_POLICY_BYPASS
				    : !strcmp(v, "discard") ? KERNEL_POLICY_DISCARD : KERNEL_POLICY_IPSEC;
		else if (!strcmp(o, "tmpl") && i + 3 < argc && p->n_tmpl < KERNEL_MAX_TMPL) {
			struct kernel_tmpl *t = &p->tmpl[p->n_tmpl++];
			t->proto = (enum kernel_proto)proto(v);
			char m[160];
			snprintf(m, sizeof(m), "%s", argv[++i]);
			char *c1 = strchr(m, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
			if (!strncmp(m, "tunnel", 6) && c1 && c2) {
				*c1 = *c2 = 0;
				t->mode = KERNEL_MODE_TUNNEL;
				t->src = addr(c1 + 1);
				t->dst = addr(c2 + 1);
			}
			const char *l = argv[++i];
			t->level = !strcmp(l, "use") ? KERNEL_LEVEL_USE
				   : !strcmp(l, "unique") ? KERNEL_LEVEL_UNIQUE : KERNEL_LEVEL_REQUIRE;
			t->reqid = (uint32_t)num(argv[++i]);
		} else
			die(o, 0);
	}
}

static void pol_key(struct kernel_policy *p, int argc, char **argv)
{
	if (argc < 3)
		die("policy", 0);
	memset(p, 0, sizeof(*p));
	p->dir = dir(argv[0]);
	prefix(argv[1], &p->sel.src, &p->sel.src_plen);
	prefix(argv[2], &p->sel.dst, &p->sel.dst_plen);
}

static const char *pol_text(const struct kernel_policy *p)
{
	static char b[400];
	int n = snprintf(b, sizeof(b), "%s %s/%u %s/%u proto %u prio %u %s",
			 p->dir == KERNEL_DIR_IN ? "in" : p->dir == KERNEL_DIR_OUT ? "out" : "fwd",
			 ntop(&p->sel.src), p->sel.src_plen, ntop(&p->sel.dst), p->sel.dst_plen,
			 p->sel.proto, p->priority,
			 p->action == KERNEL_POLICY_IPSEC ? "ipsec"
			 : p->action == KERNEL_POLICY_BYPASS ? "none" : "discard");
	for (size_t k = 0; k < p->n_tmpl && n > 0 && (size_t)n < sizeof(b); k++)
		n += snprintf(b + n, sizeof(b) - (size_t)n, " tmpl %s %s reqid %u",
			      proto_name(p->tmpl[k].proto),
			      p->tmpl[k].mode == KERNEL_MODE_TUNNEL ? "tunnel" : "transport",
			      p->tmpl[k].reqid);
	return b;
}

static int print_pol(const struct kernel_policy *p, void *ud)
{
	printf("%s\n", pol_text(p));
	return 0;
}

/* ---- Events ------------------------------------------------------------------------ */

static void on_event(const struct kernel_event *ev, void *ud)
{
	switch (ev->type) {
	case KERNEL_EV_ACQUIRE:
		printf("acquire seq %u src %s dst %s proto %s reqid %u policy %s\n",
		       ev->u.acquire.seq, ntop(&ev->u.acquire.src), ntop(&ev->u.acquire.dst),
		       proto_name(ev->u.acquire.tmpl.proto), ev->u.acquire.tmpl.reqid,
		       pol_text(&ev->u.acquire.policy));
		break;
	case KERNEL_EV_EXPIRE_SOFT:
	case KERNEL_EV_EXPIRE_HARD:
		printf("expire %s spi 0x%08x %s dst %s reqid %u\n",
		       ev->type == KERNEL_EV_EXPIRE_SOFT ? "soft" : "hard", ev->u.expire.id.spi,
		       proto_name(ev->u.expire.id.proto), ntop(&ev->u.expire.id.dst),
		       ev->u.expire.reqid);
		break;
	case KERNEL_EV_MAPPING: {
		char o[ADDR_PORT_STRLEN], n[ADDR_PORT_STRLEN];
		printf("mapping spi 0x%08x old %s new %s\n", ev->u.mapping.id.spi,
		       addr_ntop_port(&ev->u.mapping.old_addr, o),
		       addr_ntop_port(&ev->u.mapping.new_addr, n));
		break;
	}
	case KERNEL_EV_POLEXPIRE:
	case KERNEL_EV_POLICY_ADDED:
	case KERNEL_EV_POLICY_DELETED:
		printf("%s %s%s\n", ev->type == KERNEL_EV_POLEXPIRE ? "polexpire"
			: ev->type == KERNEL_EV_POLICY_ADDED ? "policy-added" : "policy-deleted",
		       pol_text(&ev->u.policy.policy), ev->u.policy.by_us ? " by-us" : "");
		break;
	case KERNEL_EV_POLICY_FLUSHED:
		printf("policy-flushed\n");
		break;
	case KERNEL_EV_RESYNC:
		printf("resync lost %zu present %zu\n", ev->u.resync.sa_lost, ev->u.resync.sa_present);
		break;
	}
	fflush(stdout);
	events_seen++;
}

static int cmd_events(int argc, char **argv)
{
	unsigned timeout = 60;
	const char *wait_file = NULL;
	for (int i = 0; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "count"))
			events_max = (int)num(argv[i + 1]);
		else if (!strcmp(argv[i], "timeout"))
			timeout = (unsigned)num(argv[i + 1]);
		else if (!strcmp(argv[i], "wait"))
			wait_file = argv[i + 1];
		else if (strcmp(argv[i], "rcvbuf"))
			die(argv[i], 0);
	}
	printf("ready\n");
	fflush(stdout);
	/* Let events pile up (ENOBUFS tests) until the test says "read now". */
	for (unsigned i = 0; wait_file && i < timeout * 10 && access(wait_file, F_OK) < 0; i++)
		usleep(100000);
	for (unsigned i = 0; i < timeout * 10; i++) {
		if (events_max >= 0 && events_seen >= events_max)
			return 0;
		sd_event_run(event_loop(), 100000);
	}
	return events_max >= 0 ? die("events: timeout", -ETIMEDOUT) : 0;
}

/* A NAT-T socket: UDP bound to ADDR PORT with ESP-in-UDP decapsulation and the IKE
 * bypass policy, held open for at most SECONDS (the MAPPING scenario's receiver). */
static int cmd_udp_encap(int argc, char **argv)
{
	if (argc < 3)
		die("udp-encap", 0);
	union sockaddr_any a = addr(argv[0]);
	addr_set_port(&a, (uint16_t)num(argv[1]));
	int fd = -1;
	int r = net_socket_open(&a, true, true, &fd);
	if (r < 0)
		die("udp-encap", r);
	printf("ready\n");
	fflush(stdout);
	for (unsigned long long i = 0; i < num(argv[2]) * 10; i++)
		usleep(100000);
	close(fd);
	return 0;
}

static int run(int argc, char **argv)
{
	const char *c = argv[0];
	argc--, argv++;
	if (!strcmp(c, "spi"))
		return cmd_spi(argc, argv);
	if (!strcmp(c, "sa-add") || !strcmp(c, "sa-update"))
		return cmd_sa_add(argc, argv, !strcmp(c, "sa-update"));
	if (!strcmp(c, "sa-get")) {
		struct kernel_sa_id id = sa_id(argc, argv);
		struct kernel_sa_stats st;
		int r = kernel_sa_get(K, &id, &st);
		if (r < 0)
			die("sa-get", r);
		printf("bytes %llu packets %llu reqid %u\n", (unsigned long long)st.bytes,
		       (unsigned long long)st.packets, st.reqid);
		return 0;
	}
	if (!strcmp(c, "sa-del")) {
		struct kernel_sa_id id = sa_id(argc, argv);
		int r = kernel_sa_delete(K, &id);
		return r < 0 ? die("sa-del", r) : 0;
	}
	if (!strcmp(c, "sa-dump"))
		return kernel_sa_dump(K, print_sa, NULL) < 0 ? die("sa-dump", -EIO) : 0;
	if (!strcmp(c, "pol-add") || !strcmp(c, "pol-update") || !strcmp(c, "pol-del")) {
		struct kernel_policy p;
		pol_key(&p, argc, argv);
		pol_options(&p, argc - 3, argv + 3);
		int r = !strcmp(c, "pol-del") ? kernel_policy_delete(K, &p)
			: !strcmp(c, "pol-add") ? kernel_policy_add(K, &p) : kernel_policy_update(K, &p);
		return r < 0 ? die(c, r) : 0;
	}
	if (!strcmp(c, "pol-dump"))
		return kernel_policy_dump(K, print_pol, NULL) < 0 ? die("pol-dump", -EIO) : 0;
	if (!strcmp(c, "flush-own")) {
		int r = kernel_flush_own(K);
		if (r < 0)
			die("flush-own", r);
		printf("removed %d\n", r);
		return 0;
	}
	if (!strcmp(c, "events"))
		return cmd_events(argc, argv);
	if (!strcmp(c, "udp-encap"))
		return cmd_udp_encap(argc, argv);
	return die(c, 0);
}

int main(int argc, char **argv)
{
	const char *backend = "xfrm";
	struct kernel_options o = { .on_event = on_event };
	bool keep = false;
	int opt;
	while ((opt = getopt(argc, argv, "+b:s:k")) != -1) {
		if (opt == 'b')
			backend = optarg;
		else if (opt == 's')
			o.state_dir = optarg;
		else if (opt == 'k')
			keep = true;
		else
			die("usage", 0);
	}
	if (optind >= argc)
		die("usage", 0);
	if (!strcmp(argv[optind], "events")) {
		o.events = true;
		for (int i = optind + 1; i + 1 < argc; i++)
			if (!strcmp(argv[i], "rcvbuf"))
				o.event_rcvbuf = (int)num(argv[i + 1]);
	}
	int r = kernel_open(backend, &o, &K);
	if (r < 0)
		die("open", r);
	r = run(argc - optind, argv + optind);
	fflush(stdout);
	for (int i = 0; keep && i < 6000; i++)
		usleep(100000); /* killed by the test long before */
	kernel_close(K);
	event_loop_free();
	return r;
}
