/* format: setkey's text output. See format.h. */
#include <inttypes.h>
#include <netinet/in.h>
#include <string.h>
#include <time.h>

#include "setkey/algs.h"
#include "setkey/format.h"
#include "setkey/policy.h"
#include "setkey/value.h"

const char *sk_proto_name(int proto)
{
	switch (proto) {
	case KERNEL_PROTO_ESP: return "esp";
	case KERNEL_PROTO_AH: return "ah";
	case KERNEL_PROTO_COMP: return "ipcomp";
	default: return "?";
	}
}

const char *sk_dir_name(enum kernel_dir d)
{
	return d == KERNEL_DIR_IN ? "in" : d == KERNEL_DIR_OUT ? "out" : "fwd";
}

static const char *mode_name(enum kernel_mode m)
{
	return m == KERNEL_MODE_TUNNEL ? "tunnel" : "transport";
}

void sk_addr_print(FILE *f, const union sockaddr_any *a, int plen, int port, bool show_port)
{
	char s[ADDR_STRLEN];

	fputs(addr_ntop(a, s), f);
	if (plen >= 0)
		fprintf(f, "/%d", plen);
	if (show_port) {
		if (port)
			fprintf(f, "[%d]", port);
		else
			fputs("[any]", f);
	}
}

static void key_print(FILE *f, const uint8_t *k, size_t n, unsigned flags, bool grouped)
{
	if (!(flags & SK_FMT_KEYS)) {
		fprintf(f, "<%zu-byte key>", n);
		return;
	}
	if (!grouped)
		fputs("0x", f);
	for (size_t i = 0; i < n; i++) {
		if (grouped && i && i % 4 == 0)
			fputc(' ', f);
		fprintf(f, "%02x", k[i]);
	}
}

static void lifetimes_print(FILE *f, const struct kernel_lifetime *h,
			    const struct kernel_lifetime *s)
{
	if (h->add_sec)
		fprintf(f, " -lh %" PRIu64, h->add_sec);
	if (s->add_sec)
		fprintf(f, " -ls %" PRIu64, s->add_sec);
	if (h->bytes)
		fprintf(f, " -bh %" PRIu64, h->bytes);
	if (s->bytes)
		fprintf(f, " -bs %" PRIu64, s->bytes);
}

static void sa_cmd_print(FILE *f, const struct sk_cmd *c, unsigned flags)
{
	const struct sk_sa_cmd *sa = &c->u.sa;
	const struct kernel_sa *k = &sa->sa;
	bool encap = k->encap.enabled;

	fprintf(f, "%s ", sk_op_name(c->op));
	sk_addr_print(f, &k->src, -1, k->encap.sport, encap);
	fputc(' ', f);
	sk_addr_print(f, &k->dst, -1, k->encap.dport, encap);
	fprintf(f, " %s", encap ? "esp-udp" : sk_proto_name(sa->satype));
	if (c->op == SK_OP_DELETEALL)
		return;
	fprintf(f, " 0x%x", k->spi);
	if (c->op != SK_OP_ADD && c->op != SK_OP_GETSPI)
		return;
	fprintf(f, " -m %s", sa->mode_any ? "any" : mode_name(k->mode));
	if (k->replay_window)
		fprintf(f, " -r %u", k->replay_window);
	if (k->reqid)
		fprintf(f, " -u %u", k->reqid);
	lifetimes_print(f, &k->hard, &k->soft);
	if (sa->enc) {
		fprintf(f, " -E %s", sa->enc->name);
		if (sa->enc_key.len) {
			fputc(' ', f);
			key_print(f, sa->enc_key.ptr, sa->enc_key.len, flags, false);
		}
	}
	if (sa->auth) {
		fprintf(f, " -A %s", sa->auth->name);
		if (sa->auth_key.len) {
			fputc(' ', f);
			key_print(f, sa->auth_key.ptr, sa->auth_key.len, flags, false);
		}
	}
	if (sa->comp)
		fprintf(f, " -C %s%s", sa->comp->name, sa->raw_cpi ? " -R" : "");
}

static void ulproto_print(FILE *f, unsigned proto)
{
	const char *n = sk_ulproto_name(proto);
	if (n)
		fputs(n, f);
	else
		fprintf(f, "%u", proto);
}

static bool is_icmp(const struct kernel_selector *s)
{
	return s->proto == IPPROTO_ICMP || s->proto == IPPROTO_ICMPV6;
}

static void selector_print(FILE *f, const struct kernel_selector *s)
{
	bool icmp = is_icmp(s);

	sk_addr_print(f, &s->src, s->src_plen, icmp ? 0 : s->sport, true);
	fputc(' ', f);
	sk_addr_print(f, &s->dst, s->dst_plen, icmp ? 0 : s->dport, true);
	fputc(' ', f);
	ulproto_print(f, s->proto);
	if (icmp && s->dport) /* code 0 is "any code": the selector has no port masks */
		fprintf(f, " %u,%u", s->sport, s->dport);
	else if (icmp && s->sport)
		fprintf(f, " %u", s->sport);
}

static void tmpl_print(FILE *f, const struct kernel_tmpl *t)
{
	char s[ADDR_STRLEN], d[ADDR_STRLEN];

	fprintf(f, "%s/%s/", sk_proto_name(t->proto), mode_name(t->mode));
	if (t->mode == KERNEL_MODE_TUNNEL)
		fprintf(f, "%s-%s", addr_ntop(&t->src, s), addr_ntop(&t->dst, d));
	switch (t->level) {
	case KERNEL_LEVEL_USE: fputs("/use", f); break;
	case KERNEL_LEVEL_UNIQUE: fputs("/unique", f); break;
	default: fputs(t->reqid ? "/unique" : "/require", f); break;
	}
	if (t->reqid)
		fprintf(f, ":%u", t->reqid);
}

static const char *action_name(enum kernel_policy_action a)
{
	return a == KERNEL_POLICY_IPSEC ? "ipsec" : a == KERNEL_POLICY_BYPASS ? "none" : "discard";
}

/* "dir prio X action" */
static void policy_head_print(FILE *f, const struct kernel_policy *p)
{
	char prio[48];

	sk_prio_format(p->priority, prio, sizeof(prio));
	fprintf(f, "%s %s %s", sk_dir_name(p->dir), prio, action_name(p->action));
}

static void spd_cmd_print(FILE *f, const struct sk_cmd *c)
{
	const struct kernel_policy *p = &c->u.spd.pol;

	fprintf(f, "%s ", sk_op_name(c->op));
	selector_print(f, &p->sel);
	fputs(" -P ", f);
	if (!c->u.spd.has_action) {
		fputs(sk_dir_name(p->dir), f);
		return;
	}
	policy_head_print(f, p);
	for (size_t i = 0; i < p->n_tmpl; i++) {
		fputc(' ', f);
		tmpl_print(f, &p->tmpl[i]);
	}
}

void sk_cmd_print(FILE *f, const struct sk_cmd *c, unsigned flags)
{
	switch (c->op) {
	case SK_OP_FLUSH:
	case SK_OP_DUMP:
		fputs(sk_op_name(c->op), f);
		if (c->u.sa.satype)
			fprintf(f, " %s", sk_proto_name(c->u.sa.satype));
		break;
	case SK_OP_SPDFLUSH:
	case SK_OP_SPDDUMP:
		fputs(sk_op_name(c->op), f);
		break;
	case SK_OP_SPDADD:
	case SK_OP_SPDUPDATE:
	case SK_OP_SPDDELETE:
		spd_cmd_print(f, c);
		break;
	default:
		sa_cmd_print(f, c, flags);
		break;
	}
	fputs(";\n", f);
}

static void date_print(FILE *f, uint64_t t)
{
	char s[64];
	struct tm tm;
	time_t tt = (time_t)t;

	if (t == 0 || !localtime_r(&tt, &tm) || !strftime(s, sizeof(s), "%b %e %H:%M:%S %Y", &tm))
		return;
	fputs(s, f);
}

static void sa_algs_print(FILE *f, const struct kernel_sa *sa, unsigned flags)
{
	const struct sk_alg *a;

	if (sa->proto == KERNEL_PROTO_COMP) {
		a = sk_alg_by_id(KERNEL_CAP_COMP, sa->comp, 0);
		fprintf(f, "\tC: %s\n", a ? a->name : "unknown");
		return;
	}
	if (sa->proto == KERNEL_PROTO_ESP) {
		a = sk_alg_by_id(KERNEL_CAP_ENC, sa->enc, 0);
		fprintf(f, "\tE: %s  ", a ? a->name : "unknown");
		key_print(f, sa->enc_key, sa->enc_key_len, flags, true);
		fputc('\n', f);
	}
	if (sa->auth != KERNEL_AUTH_NONE) {
		a = sk_alg_by_id(KERNEL_CAP_AUTH, sa->auth, sa->icv_bits);
		fprintf(f, "\tA: %s  ", a ? a->name : "unknown");
		key_print(f, sa->auth_key, sa->auth_key_len, flags, true);
		fputc('\n', f);
	}
}

void sk_sa_print(FILE *f, const struct kernel_sa *sa, const struct kernel_sa_stats *st,
		 unsigned flags)
{
	bool encap = sa->encap.enabled;
	unsigned icv = sa->icv_bits;

	if (!icv) { /* 0 = the RFC length: what our table says */
		const struct sk_alg *a = sa->auth != KERNEL_AUTH_NONE
						 ? sk_alg_by_id(KERNEL_CAP_AUTH, sa->auth, 0)
						 : sk_alg_by_id(KERNEL_CAP_ENC, sa->enc, 0);
		icv = a ? a->icv_bits : 0;
	}
	sk_addr_print(f, &sa->src, -1, sa->encap.sport, encap);
	fputc(' ', f);
	sk_addr_print(f, &sa->dst, -1, sa->encap.dport, encap);
	fprintf(f, "\n\t%s mode=%s spi=%u(0x%08x) reqid=%u(0x%08x)\n",
		encap ? "esp-udp" : sk_proto_name(sa->proto), mode_name(sa->mode), sa->spi, sa->spi,
		sa->reqid, sa->reqid);
	sa_algs_print(f, sa, flags);
	fprintf(f, "\ticv=%u replay=%u esn=%s\n", icv, sa->replay_window, sa->esn ? "yes" : "no");
	if (!st)
		return;
	fputs("\tcreated: ", f);
	date_print(f, st->add_time);
	fputs("\tcurrent: ", f);
	date_print(f, (uint64_t)time(NULL));
	uint64_t now = (uint64_t)time(NULL);
	fprintf(f, "\n\tdiff: %" PRIu64 "(s)\thard: %" PRIu64 "(s)\tsoft: %" PRIu64 "(s)\n",
		st->add_time && now > st->add_time ? now - st->add_time : 0, sa->hard.add_sec,
		sa->soft.add_sec);
	fputs("\tlast: ", f);
	date_print(f, st->use_time);
	fprintf(f, "\thard: %" PRIu64 "(s)\tsoft: %" PRIu64 "(s)\n", sa->hard.use_sec,
		sa->soft.use_sec);
	fprintf(f, "\tcurrent: %" PRIu64 "(bytes)\thard: %" PRIu64 "(bytes)\tsoft: %" PRIu64
		   "(bytes)\n", st->bytes, sa->hard.bytes, sa->soft.bytes);
	fprintf(f, "\tallocated: %" PRIu64 "\thard: %" PRIu64 "\tsoft: %" PRIu64 "\n",
		st->packets, sa->hard.packets, sa->soft.packets);
	fprintf(f, "\treplay_drops=%u integrity_failed=%u\n", st->replay_drops,
		st->integrity_failed);
}

void sk_policy_print(FILE *f, const struct kernel_policy *p, unsigned flags)
{
	(void)flags; /* XFRM templates carry no ports: -p has nothing more to show */
	selector_print(f, &p->sel);
	fputs("\n\t", f);
	policy_head_print(f, p);
	fputc('\n', f);
	for (size_t i = 0; i < p->n_tmpl; i++) {
		fputc('\t', f);
		tmpl_print(f, &p->tmpl[i]);
		fputc('\n', f);
	}
	fprintf(f, "\tlifetime: %" PRIu64 "(s) validtime: %" PRIu64 "(s)\n", p->hard.add_sec,
		p->hard.use_sec);
	fprintf(f, "\tspid=%u\n", p->index);
}
