/* pfkey_msg: PF_KEY v2 framing, checked like network input, and extension writers.
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------+---------------+---------------+---------------+
 * |  sadb_msg_version | _type     |  _errno       |  _satype      |
 * +---------------+---------------+---------------+---------------+
 * |  sadb_msg_len (8-byte units)  |  sadb_msg_reserved            |
 * +---------------+---------------+---------------+---------------+
 * |  sadb_msg_seq                 ...  sadb_msg_pid               |
 * +---------------+---------------+---------------+---------------+
 * then extensions, each starting with sadb_ext_len (8-byte units, >= 1) and
 * sadb_ext_type, so every extension starts 8-aligned relative to the message.
 */
#include "kernel/pfkey/pfkey.h"

#include <errno.h>
#include <string.h>

/* Fixed part of each extension we know (the kernel refuses shorter ones too). */
static const uint16_t ext_min[SADB_EXT_MAX + 1] = {
	[SADB_EXT_SA] = sizeof(struct sadb_sa),
	[SADB_EXT_LIFETIME_CURRENT] = sizeof(struct sadb_lifetime),
	[SADB_EXT_LIFETIME_HARD] = sizeof(struct sadb_lifetime),
	[SADB_EXT_LIFETIME_SOFT] = sizeof(struct sadb_lifetime),
	[SADB_EXT_ADDRESS_SRC] = sizeof(struct sadb_address),
	[SADB_EXT_ADDRESS_DST] = sizeof(struct sadb_address),
	[SADB_EXT_ADDRESS_PROXY] = sizeof(struct sadb_address),
	[SADB_EXT_KEY_AUTH] = sizeof(struct sadb_key),
	[SADB_EXT_KEY_ENCRYPT] = sizeof(struct sadb_key),
	[SADB_EXT_IDENTITY_SRC] = sizeof(struct sadb_ident),
	[SADB_EXT_IDENTITY_DST] = sizeof(struct sadb_ident),
	[SADB_EXT_SENSITIVITY] = sizeof(struct sadb_sens),
	[SADB_EXT_PROPOSAL] = sizeof(struct sadb_prop),
	[SADB_EXT_SUPPORTED_AUTH] = sizeof(struct sadb_supported),
	[SADB_EXT_SUPPORTED_ENCRYPT] = sizeof(struct sadb_supported),
	[SADB_EXT_SPIRANGE] = sizeof(struct sadb_spirange),
	[SADB_X_EXT_KMPRIVATE] = sizeof(struct sadb_x_kmprivate),
	[SADB_X_EXT_POLICY] = sizeof(struct sadb_x_policy),
	[SADB_X_EXT_SA2] = sizeof(struct sadb_x_sa2),
	[SADB_X_EXT_NAT_T_TYPE] = sizeof(struct sadb_x_nat_t_type),
	[SADB_X_EXT_NAT_T_SPORT] = sizeof(struct sadb_x_nat_t_port),
	[SADB_X_EXT_NAT_T_DPORT] = sizeof(struct sadb_x_nat_t_port),
	[SADB_X_EXT_NAT_T_OA] = sizeof(struct sadb_address),
	[SADB_X_EXT_SEC_CTX] = sizeof(struct sadb_x_sec_ctx),
	[SADB_X_EXT_KMADDRESS] = sizeof(struct sadb_x_kmaddress),
	[SADB_X_EXT_FILTER] = sizeof(struct sadb_x_filter),
};

static bool is_address(unsigned type)
{
	return type == SADB_EXT_ADDRESS_SRC || type == SADB_EXT_ADDRESS_DST ||
	       type == SADB_EXT_ADDRESS_PROXY || type == SADB_X_EXT_NAT_T_OA;
}

size_t pfkey_sockaddr_len(int family)
{
	return family == AF_INET ? sizeof(struct sockaddr_in)
	       : family == AF_INET6 ? sizeof(struct sockaddr_in6) : 0;
}

static size_t align8(size_t n) { return (n + 7) & ~(size_t)7; }

/* An address extension must hold exactly one sockaddr of a known family (padded to 8)
 * and a prefix length that fits it. */
static bool address_ok(const struct buf *ext)
{
	struct sadb_address a;
	uint16_t family;
	if (ext->len < sizeof(a) + sizeof(family))
		return false;
	memcpy(&a, ext->ptr, sizeof(a));
	memcpy(&family, ext->ptr + sizeof(a), sizeof(family));
	size_t sl = pfkey_sockaddr_len(family);
	if (!sl || ext->len != align8(sizeof(a) + sl))
		return false;
	return a.sadb_address_prefixlen <= (family == AF_INET ? 32 : 128);
}

int pfkey_msg_parse(const void *data, size_t len, struct pfkey_msg *m)
{
	memset(m, 0, sizeof(*m));
	struct buf in = buf_view(data, len);
	if (len % 8 != 0 || !buf_get_bytes(&in, &m->hdr, sizeof(m->hdr)))
		return -EBADMSG;
	if (m->hdr.sadb_msg_version != PF_KEY_V2 || (size_t)m->hdr.sadb_msg_len * 8 != len)
		return -EBADMSG;
	/* Bounded: each round consumes at least 8 bytes. */
	while (buf_left(&in) > 0) {
		struct sadb_ext e;
		if (buf_left(&in) < 8 || !buf_get_bytes(&in, &e, sizeof(e)))
			return -EBADMSG;
		in.pos -= sizeof(e);
		size_t elen = (size_t)e.sadb_ext_len * 8;
		struct buf ext;
		if (elen == 0 || e.sadb_ext_type == SADB_EXT_RESERVED ||
		    !buf_get_sub(&in, elen, &ext))
			return -EBADMSG;
		unsigned t = e.sadb_ext_type;
		if (t > SADB_EXT_MAX)
			continue; /* a newer kernel's extension: skip it */
		if (elen < ext_min[t] || m->ext[t].len)
			return -EBADMSG; /* short or duplicate */
		if (is_address(t) && !address_ok(&ext))
			return -EBADMSG;
		m->ext[t] = ext;
	}
	return 0;
}

bool pfkey_ext_fixed(const struct pfkey_msg *m, unsigned type, void *out, size_t size)
{
	if (!pfkey_has(m, type) || m->ext[type].len < size) {
		memset(out, 0, size);
		return false;
	}
	memcpy(out, m->ext[type].ptr, size);
	return true;
}

int pfkey_ext_address(const struct pfkey_msg *m, unsigned type, union sockaddr_any *a,
		      uint8_t *plen, uint8_t *proto)
{
	struct sadb_address h;
	memset(a, 0, sizeof(*a));
	if (!pfkey_ext_fixed(m, type, &h, sizeof(h)))
		return -ENOENT;
	/* address_ok() checked family and size at parse time. */
	struct buf v = m->ext[type];
	v.pos = sizeof(h);
	uint16_t family;
	memcpy(&family, buf_cur(&v), sizeof(family));
	if (!buf_get_bytes(&v, a, pfkey_sockaddr_len(family)))
		return -EBADMSG;
	if (plen)
		*plen = h.sadb_address_prefixlen;
	if (proto)
		*proto = h.sadb_address_proto;
	return 0;
}

int pfkey_ext_key(const struct pfkey_msg *m, unsigned type, const uint8_t **key, size_t *len)
{
	struct sadb_key h;
	*key = NULL;
	*len = 0;
	if (!pfkey_ext_fixed(m, type, &h, sizeof(h)))
		return -ENOENT;
	size_t n = ((size_t)h.sadb_key_bits + 7) / 8;
	if (h.sadb_key_bits % 8 || sizeof(h) + n > m->ext[type].len)
		return -EBADMSG;
	*key = m->ext[type].ptr + sizeof(h);
	*len = n;
	return 0;
}

/* ---- Writers ------------------------------------------------------------------------ */

void pfkey_put_hdr(struct buf *b, uint8_t type, uint8_t satype, uint32_t seq, uint32_t pid)
{
	struct sadb_msg h = {
		.sadb_msg_version = PF_KEY_V2, .sadb_msg_type = type, .sadb_msg_satype = satype,
		.sadb_msg_len = sizeof(h) / 8, .sadb_msg_seq = seq, .sadb_msg_pid = pid,
	};
	buf_put_bytes(b, &h, sizeof(h));
}

void pfkey_put_sa(struct buf *b, uint32_t spi, uint8_t replay, uint8_t auth, uint8_t enc)
{
	struct sadb_sa s = {
		.sadb_sa_len = sizeof(s) / 8, .sadb_sa_exttype = SADB_EXT_SA,
		.sadb_sa_spi = htonl(spi), .sadb_sa_replay = replay,
		.sadb_sa_state = SADB_SASTATE_MATURE, .sadb_sa_auth = auth, .sadb_sa_encrypt = enc,
	};
	buf_put_bytes(b, &s, sizeof(s));
}

void pfkey_put_sockaddr(struct buf *b, const union sockaddr_any *a, uint16_t port)
{
	size_t sl = pfkey_sockaddr_len(a->sa.sa_family);
	if (!sl) {
		b->flags |= BUF_ERROR;
		return;
	}
	union sockaddr_any c;
	memset(&c, 0, sizeof(c));
	if (a->sa.sa_family == AF_INET) {
		c.sin.sin_family = AF_INET;
		c.sin.sin_addr = a->sin.sin_addr;
		c.sin.sin_port = htons(port);
	} else {
		c.sin6.sin6_family = AF_INET6;
		c.sin6.sin6_addr = a->sin6.sin6_addr;
		c.sin6.sin6_port = htons(port);
	}
	buf_put_bytes(b, &c, sl);
}

void pfkey_put_address(struct buf *b, uint16_t type, const union sockaddr_any *a, uint8_t plen,
		       uint8_t proto, uint16_t port)
{
	size_t sl = pfkey_sockaddr_len(a->sa.sa_family);
	struct sadb_address h = {
		.sadb_address_len = (uint16_t)(align8(sizeof(h) + sl) / 8),
		.sadb_address_exttype = type, .sadb_address_proto = proto,
		.sadb_address_prefixlen = plen,
	};
	buf_put_bytes(b, &h, sizeof(h));
	pfkey_put_sockaddr(b, a, port);
	buf_put_zero(b, align8(sizeof(h) + sl) - sizeof(h) - sl);
}

void pfkey_put_key(struct buf *b, uint16_t type, const uint8_t *key, size_t len)
{
	size_t total = align8(sizeof(struct sadb_key) + len);
	if (len > 512) {
		b->flags |= BUF_ERROR;
		return;
	}
	struct sadb_key h = {
		.sadb_key_len = (uint16_t)(total / 8), .sadb_key_exttype = type,
		.sadb_key_bits = (uint16_t)(len * 8),
	};
	buf_put_bytes(b, &h, sizeof(h));
	if (len)
		buf_put_bytes(b, key, len);
	buf_put_zero(b, total - sizeof(h) - len);
}

void pfkey_put_lifetime(struct buf *b, uint16_t type, const struct kernel_lifetime *l)
{
	/* allocations is the packet limit in Linux, 32 bits wide: saturate, never wrap. */
	struct sadb_lifetime t = {
		.sadb_lifetime_len = sizeof(t) / 8, .sadb_lifetime_exttype = type,
		.sadb_lifetime_allocations = l->packets > UINT32_MAX ? UINT32_MAX : (uint32_t)l->packets,
		.sadb_lifetime_bytes = l->bytes, .sadb_lifetime_addtime = l->add_sec,
		.sadb_lifetime_usetime = l->use_sec,
	};
	buf_put_bytes(b, &t, sizeof(t));
}

void pfkey_put_sa2(struct buf *b, uint8_t mode, uint32_t reqid)
{
	struct sadb_x_sa2 s = {
		.sadb_x_sa2_len = sizeof(s) / 8, .sadb_x_sa2_exttype = SADB_X_EXT_SA2,
		.sadb_x_sa2_mode = mode, .sadb_x_sa2_reqid = reqid,
	};
	buf_put_bytes(b, &s, sizeof(s));
}

void pfkey_put_spirange(struct buf *b, uint32_t min, uint32_t max)
{
	struct sadb_spirange r = {
		.sadb_spirange_len = sizeof(r) / 8, .sadb_spirange_exttype = SADB_EXT_SPIRANGE,
		.sadb_spirange_min = min, .sadb_spirange_max = max,
	};
	buf_put_bytes(b, &r, sizeof(r));
}

void pfkey_put_nat_t(struct buf *b, const struct kernel_encap *e)
{
	struct sadb_x_nat_t_type t = {
		.sadb_x_nat_t_type_len = sizeof(t) / 8,
		.sadb_x_nat_t_type_exttype = SADB_X_EXT_NAT_T_TYPE,
		.sadb_x_nat_t_type_type = 2, /* UDP_ENCAP_ESPINUDP (RFC 3948) */
	};
	buf_put_bytes(b, &t, sizeof(t));
	struct sadb_x_nat_t_port p = {
		.sadb_x_nat_t_port_len = sizeof(p) / 8,
		.sadb_x_nat_t_port_exttype = SADB_X_EXT_NAT_T_SPORT,
		.sadb_x_nat_t_port_port = htons(e->sport),
	};
	buf_put_bytes(b, &p, sizeof(p));
	p.sadb_x_nat_t_port_exttype = SADB_X_EXT_NAT_T_DPORT;
	p.sadb_x_nat_t_port_port = htons(e->dport);
	buf_put_bytes(b, &p, sizeof(p));
	if (e->oa.sa.sa_family)
		pfkey_put_address(b, SADB_X_EXT_NAT_T_OA, &e->oa,
				  e->oa.sa.sa_family == AF_INET ? 32 : 128, 0, 0);
}

int pfkey_finish(struct buf *b)
{
	if (!buf_ok(b) || b->len < sizeof(struct sadb_msg) || b->len % 8 || b->len / 8 > UINT16_MAX)
		return -EMSGSIZE;
	uint16_t units = (uint16_t)(b->len / 8);
	memcpy(b->ptr + offsetof(struct sadb_msg, sadb_msg_len), &units, sizeof(units));
	return (int)b->len;
}
