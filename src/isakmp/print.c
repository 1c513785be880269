/* print: one text line per header, payload, proposal, transform and attribute. */
#include "isakmp/print.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>

#include "common/hexdump.h"
#include "isakmp/names.h"

#define HEX_MAX 32 /* bytes of a blob shown before "..." */

struct line {
	char s[320];
	size_t n;
};

static void add(struct line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct line *l, const char *fmt, ...)
{
	va_list ap;
	if (l->n >= sizeof(l->s) - 1)
		return;
	va_start(ap, fmt);
	int k = vsnprintf(l->s + l->n, sizeof(l->s) - l->n, fmt, ap);
	va_end(ap);
	if (k > 0)
		l->n += (size_t)k < sizeof(l->s) - l->n ? (size_t)k : sizeof(l->s) - 1 - l->n;
}

static void add_hex(struct line *l, const uint8_t *p, size_t n)
{
	char hex[2 * HEX_MAX + 1];
	hex_encode(p, n < HEX_MAX ? n : HEX_MAX, hex, sizeof(hex));
	add(l, "%s%s", hex, n > HEX_MAX ? "..." : "");
}

static void emit(struct line *l, isakmp_print_fn fn, void *arg)
{
	fn(arg, l->s);
	l->n = 0;
	l->s[0] = 0;
}

static const char *nm(enum isakmp_names t, unsigned v, char *buf)
{
	return isakmp_name_num(t, v, buf);
}

static bool attr_secret(uint16_t type)
{
	return type == XAUTH_USER_PASSWORD || type == XAUTH_PASSCODE ||
	       type == XAUTH_NEXT_PIN || type == XAUTH_ANSWER;
}

/* Text as text, bytes outside printable ASCII as dots; at most 64 shown. */
static void add_text(struct line *l, const uint8_t *p, size_t n)
{
	char s[65];
	size_t k = n < sizeof(s) - 1 ? n : sizeof(s) - 1;
	for (size_t i = 0; i < k; i++)
		s[i] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '.';
	s[k] = 0;
	add(l, "\"%s\"%s", s, n > k ? "..." : "");
}

static bool cfg_text(uint16_t type)
{
	switch (type) {
	case MODECFG_APPLICATION_VERSION: case XAUTH_USER_NAME: case XAUTH_MESSAGE:
	case XAUTH_CHALLENGE: case XAUTH_DOMAIN: case UNITY_BANNER: case UNITY_DEF_DOMAIN:
	case UNITY_SPLITDNS_NAME: case UNITY_DDNS_HOSTNAME:
		return true;
	}
	return false;
}

static bool cfg_ip4(uint16_t type)
{
	return type == MODECFG_INTERNAL_IP4_ADDRESS || type == MODECFG_INTERNAL_IP4_NETMASK ||
	       type == MODECFG_INTERNAL_IP4_DNS || type == MODECFG_INTERNAL_IP4_NBNS ||
	       type == MODECFG_INTERNAL_IP4_DHCP;
}

/* Mode-cfg values that are not numbers: hidden secrets, text, IPv4 addresses. */
static bool add_cfg_value(struct line *l, const struct isakmp_attr *a, bool secrets)
{
	if (attr_secret(a->type) && !secrets) {
		add(l, " <hidden, %u bytes>", a->len);
	} else if (!a->tv && a->len && cfg_text(a->type)) {
		add(l, "=");
		add_text(l, a->data, a->len);
	} else if (!a->tv && a->len == 4 && cfg_ip4(a->type)) {
		add(l, "=%u.%u.%u.%u", a->data[0], a->data[1], a->data[2], a->data[3]);
	} else {
		return false;
	}
	return true;
}

static void print_attrs(const struct isakmp_attr *a, unsigned n, enum isakmp_names types,
			uint8_t proto, bool secrets, const char *indent, isakmp_print_fn fn,
			void *arg)
{
	struct line l = { .n = 0 };
	char b1[ISAKMP_NAME_BUFLEN], b2[ISAKMP_NAME_BUFLEN];
	bool cfg = types == ISAKMP_NAMES_CFG_ATTR;
	for (unsigned i = 0; i < n; i++) {
		uint64_t v;
		add(&l, "%s%s", indent, nm(types, a[i].type, b1));
		enum isakmp_names vt = cfg ? ISAKMP_NAMES_COUNT_
					   : isakmp_names_attr_value(proto, a[i].type);
		if (cfg && add_cfg_value(&l, &a[i], secrets))
			;
		else if (a[i].tv && vt != ISAKMP_NAMES_COUNT_)
			add(&l, "=%s", nm(vt, a[i].value, b2));
		else if (a[i].tv || (a[i].len <= 4 && isakmp_attr_u64(&a[i], &v)))
			add(&l, "=%llu", a[i].tv ? (unsigned long long)a[i].value
						: (unsigned long long)v);
		else {
			add(&l, " len=%u ", a[i].len);
			add_hex(&l, a[i].data, a[i].len);
		}
		emit(&l, fn, arg);
	}
}

static void print_sa(const struct isakmp_sa *sa, bool secrets, isakmp_print_fn fn, void *arg)
{
	struct line l = { .n = 0 };
	char b1[ISAKMP_NAME_BUFLEN], b2[ISAKMP_NAME_BUFLEN];
	for (unsigned i = 0; i < sa->nproposals; i++) {
		const struct isakmp_proposal *p = &sa->proposals[i];
		add(&l, "    P#%u %s transforms=%u", p->num, nm(ISAKMP_NAMES_PROTO, p->proto, b1),
		    p->ntransforms);
		if (p->spi_len) {
			add(&l, " spi=");
			add_hex(&l, p->spi, p->spi_len);
		}
		emit(&l, fn, arg);
		for (unsigned j = 0; j < p->ntransforms; j++) {
			const struct isakmp_transform *t = &p->transforms[j];
			enum isakmp_names tn = isakmp_names_transform(p->proto);
			add(&l, "      T#%u %s", t->num,
			    tn == ISAKMP_NAMES_COUNT_ ? "?" : nm(tn, t->id, b2));
			emit(&l, fn, arg);
			print_attrs(t->attrs, t->nattrs, isakmp_names_attr(p->proto), p->proto,
				    secrets, "        ", fn, arg);
		}
	}
}

static void add_id(struct line *l, const struct isakmp_id *id)
{
	char b[ISAKMP_NAME_BUFLEN], x[INET6_ADDRSTRLEN], y[INET6_ADDRSTRLEN];
	union sockaddr_any a, m;
	add(l, " %s proto=%u port=%u", nm(ISAKMP_NAMES_ID, id->type, b), id->protocol, id->port);
	if (isakmp_id_addrs(id, &a, &m) == 0) {
		const void *pa = a.sa.sa_family == AF_INET ? (const void *)&a.sin.sin_addr
							   : (const void *)&a.sin6.sin6_addr;
		const void *pm = a.sa.sa_family == AF_INET ? (const void *)&m.sin.sin_addr
							   : (const void *)&m.sin6.sin6_addr;
		inet_ntop(a.sa.sa_family, pa, x, sizeof(x));
		add(l, " %s", x);
		if (id->type == ISAKMP_ID_IPV4_ADDR_SUBNET || id->type == ISAKMP_ID_IPV6_ADDR_SUBNET)
			add(l, "/%d", isakmp_id_prefixlen(id));
		else if (id->type == ISAKMP_ID_IPV4_ADDR_RANGE || id->type == ISAKMP_ID_IPV6_ADDR_RANGE)
			add(l, "-%s", inet_ntop(a.sa.sa_family, pm, y, sizeof(y)));
	} else if (id->type == ISAKMP_ID_FQDN || id->type == ISAKMP_ID_USER_FQDN ||
		   id->type == ISAKMP_ID_KEY_ID) {
		add(l, " ");
		add_text(l, id->data, id->len);
	} else {
		add(l, " len=%zu ", id->len);
		add_hex(l, id->data, id->len);
	}
}

static void print_payload(const struct isakmp_payload *p, bool secrets, isakmp_print_fn fn,
			  void *arg)
{
	struct line l = { .n = 0 };
	char b1[ISAKMP_NAME_BUFLEN], b2[ISAKMP_NAME_BUFLEN], x[ADDR_STRLEN];
	add(&l, "  %s", nm(ISAKMP_NAMES_PAYLOAD, p->type, b1));
	switch (p->type) {
	case ISAKMP_PT_SA:
		add(&l, " doi=%s situation=%u proposals=%u",
		    nm(ISAKMP_NAMES_DOI, p->u.sa.doi, b2), p->u.sa.situation, p->u.sa.nproposals);
		emit(&l, fn, arg);
		print_sa(&p->u.sa, secrets, fn, arg);
		return;
	case ISAKMP_PT_ID:
		add_id(&l, &p->u.id);
		break;
	case ISAKMP_PT_CERT:
	case ISAKMP_PT_CR:
		add(&l, " %s len=%zu", nm(ISAKMP_NAMES_CERT, p->u.cert.encoding, b2), p->u.cert.len);
		break;
	case ISAKMP_PT_N:
		add(&l, " %s proto=%s", nm(ISAKMP_NAMES_NOTIFY, p->u.n.type, b2),
		    nm(ISAKMP_NAMES_PROTO, p->u.n.proto, b1));
		if (p->u.n.spi_len) {
			add(&l, " spi=");
			add_hex(&l, p->u.n.spi, p->u.n.spi_len);
		}
		if (p->u.n.len) {
			add(&l, " data=");
			add_hex(&l, p->u.n.data, p->u.n.len);
		}
		break;
	case ISAKMP_PT_D:
		add(&l, " proto=%s spis=%u ", nm(ISAKMP_NAMES_PROTO, p->u.d.proto, b2), p->u.d.nspis);
		add_hex(&l, p->u.d.spis, (size_t)p->u.d.spi_len * p->u.d.nspis);
		break;
	case ISAKMP_PT_NATOA:
	case ISAKMP_PT_NATOA_DRAFT:
	case ISAKMP_PT_NATOA_BADDRAFT:
		add(&l, " %s", addr_ntop(&p->u.natoa.addr, x));
		break;
	case ISAKMP_PT_ATTR:
		add(&l, " %s id=%u", nm(ISAKMP_NAMES_CFG_TYPE, p->u.cfg.type, b2),
		    p->u.cfg.identifier);
		emit(&l, fn, arg);
		print_attrs(p->u.cfg.attrs, p->u.cfg.nattrs, ISAKMP_NAMES_CFG_ATTR, 0, secrets,
			    "    ", fn, arg);
		return;
	case ISAKMP_PT_FRAG:
		add(&l, " id=%u num=%u%s len=%zu", p->u.frag.id, p->u.frag.num,
		    p->u.frag.flags & ISAKMP_FRAG_LAST ? " last" : "", p->u.frag.len);
		break;
	default: /* KE, HASH, SIG, NONCE, VID, NAT-D, GSS */
		add(&l, " len=%zu ", p->len);
		add_hex(&l, p->body, p->len);
		break;
	}
	emit(&l, fn, arg);
}

void isakmp_print(const struct isakmp_digest *d, bool show_secrets, isakmp_print_fn fn,
		  void *arg)
{
	struct line l = { .n = 0 };
	char b1[ISAKMP_NAME_BUFLEN], b2[ISAKMP_NAME_BUFLEN];
	const struct isakmp_hdr *h = &d->hdr;
	add(&l, "ISAKMP %s i=", nm(ISAKMP_NAMES_EXCHANGE, h->exchange, b1));
	add_hex(&l, h->icookie, ISAKMP_COOKIE_LEN);
	add(&l, " r=");
	add_hex(&l, h->rcookie, ISAKMP_COOKIE_LEN);
	add(&l, " np=%s ver=%u.%u flags=%s%s%s msgid=%08x len=%u",
	    nm(ISAKMP_NAMES_PAYLOAD, h->next_payload, b2), h->version >> 4, h->version & 0xf,
	    h->flags & ISAKMP_FLAG_E ? "E" : "", h->flags & ISAKMP_FLAG_C ? "C" : "",
	    h->flags & ISAKMP_FLAG_A ? "A" : "", h->msgid, h->length);
	emit(&l, fn, arg);
	if (d->encrypted && d->npayloads == 0) {
		add(&l, "  <encrypted, %zu bytes>", d->encrypted_len);
		emit(&l, fn, arg);
	}
	for (unsigned i = 0; i < d->npayloads; i++)
		print_payload(&d->payloads[i], show_secrets, fn, arg);
}
