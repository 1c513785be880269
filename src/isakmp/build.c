/* build: the message builder; next-payload fields and lengths are patched as payloads
 * close, so callers only say what goes in, in order. */
#include "isakmp/build.h"

#include <errno.h>
#include <string.h>

#include "isakmp/desc.h"

static int fail(struct isakmp_builder *b, int err)
{
	if (!b->err)
		b->err = err;
	return b->err;
}

/* The sticky result after a run of writes. */
static int status(struct isakmp_builder *b)
{
	if (!b->err && !buf_ok(b->out))
		b->err = -EMSGSIZE;
	return b->err;
}

static void put_gen(struct isakmp_builder *b)
{
	static const struct gen_hdr zero;
	desc_write(desc_fields_gen, b->out, &zero);
}

static void patch_len(struct isakmp_builder *b, size_t off)
{
	size_t len = b->out->len - off;
	if (len > UINT16_MAX) {
		fail(b, -EMSGSIZE);
		return;
	}
	buf_patch_u16(b->out, off + 2, (uint16_t)len);
}

int isakmp_build_init(struct isakmp_builder *b, struct buf *out, const struct isakmp_hdr *h)
{
	memset(b, 0, sizeof(*b));
	b->out = out;
	b->start = out->len;
	b->np_off = b->start + 16;
	buf_put_bytes(out, h->icookie, ISAKMP_COOKIE_LEN);
	buf_put_bytes(out, h->rcookie, ISAKMP_COOKIE_LEN);
	buf_put_u8(out, ISAKMP_PT_NONE);
	buf_put_u8(out, h->version ? h->version : ISAKMP_VERSION);
	buf_put_u8(out, h->exchange);
	buf_put_u8(out, h->flags);
	buf_put_u32(out, h->msgid);
	buf_put_u32(out, 0);
	return status(b);
}

static void close_trans(struct isakmp_builder *b)
{
	if (!b->trans_off)
		return;
	patch_len(b, b->trans_off);
	b->trans_np_off = b->trans_off;
	b->trans_off = 0;
}

static void close_prop(struct isakmp_builder *b)
{
	close_trans(b);
	if (!b->prop_off)
		return;
	patch_len(b, b->prop_off);
	if (b->prop_ntrans > UINT8_MAX)
		fail(b, -EMSGSIZE);
	else
		b->out->ptr[b->prop_off + 7] = (uint8_t)b->prop_ntrans;
	b->prop_np_off = b->prop_off;
	b->prop_off = 0;
}

int isakmp_build_end(struct isakmp_builder *b)
{
	if (b->err)
		return b->err;
	if (!b->pl_off)
		return fail(b, -EINVAL);
	close_prop(b);
	patch_len(b, b->pl_off);
	b->last_body_off = b->pl_off + ISAKMP_GEN_LEN;
	b->last_body_len = b->out->len - b->last_body_off;
	b->last_end = b->out->len;
	b->pl_off = 0;
	b->trans_np_off = b->prop_np_off = 0;
	return status(b);
}

int isakmp_build_begin(struct isakmp_builder *b, uint8_t type)
{
	if (b->err)
		return b->err;
	if (type == ISAKMP_PT_NONE || type == ISAKMP_PT_P || type == ISAKMP_PT_T)
		return fail(b, -EINVAL);
	if (b->pl_off && isakmp_build_end(b))
		return b->err;
	if (!buf_ok(b->out))
		return status(b);
	b->out->ptr[b->np_off] = type;
	b->pl_off = b->out->len;
	b->pl_type = type;
	b->np_off = b->pl_off;
	put_gen(b);
	return status(b);
}

int isakmp_build_put(struct isakmp_builder *b, const void *p, size_t n)
{
	if (b->err)
		return b->err;
	if (!b->pl_off)
		return fail(b, -EINVAL);
	if (n)
		buf_put_bytes(b->out, p, n);
	return status(b);
}

int isakmp_build_u8(struct isakmp_builder *b, uint8_t v)
{
	return isakmp_build_put(b, &v, 1);
}

int isakmp_build_u16(struct isakmp_builder *b, uint16_t v)
{
	uint8_t t[2] = { (uint8_t)(v >> 8), (uint8_t)v };
	return isakmp_build_put(b, t, 2);
}

int isakmp_build_u32(struct isakmp_builder *b, uint32_t v)
{
	uint8_t t[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
	return isakmp_build_put(b, t, 4);
}

int isakmp_build_data(struct isakmp_builder *b, uint8_t type, const void *p, size_t n)
{
	isakmp_build_begin(b, type);
	isakmp_build_put(b, p, n);
	return isakmp_build_end(b);
}

int isakmp_build_reserve(struct isakmp_builder *b, uint8_t type, size_t n, size_t *body_off)
{
	if (isakmp_build_begin(b, type))
		return b->err;
	*body_off = b->pl_off + ISAKMP_GEN_LEN;
	buf_put_zero(b->out, n);
	return isakmp_build_end(b);
}

/* A payload whose fixed part is a field list (and whose variable part it names too). */
static int build_fields(struct isakmp_builder *b, uint8_t type, const struct field *f,
			const void *obj)
{
	if (isakmp_build_begin(b, type))
		return b->err;
	desc_write(f, b->out, obj);
	return isakmp_build_end(b);
}

int isakmp_build_sa_begin(struct isakmp_builder *b, uint32_t doi, uint32_t situation)
{
	struct isakmp_sa sa = { .doi = doi, .situation = situation };
	if (isakmp_build_begin(b, ISAKMP_PT_SA))
		return b->err;
	desc_write(desc_fields_sa, b->out, &sa);
	return status(b);
}

int isakmp_build_proposal_begin(struct isakmp_builder *b, uint8_t num, uint8_t proto,
				const uint8_t *spi, uint8_t spi_len)
{
	if (b->err)
		return b->err;
	if (!b->pl_off || b->pl_type != ISAKMP_PT_SA || (spi_len && !spi))
		return fail(b, -EINVAL);
	close_prop(b);
	if (b->prop_np_off)
		b->out->ptr[b->prop_np_off] = ISAKMP_PT_P;
	b->prop_off = b->out->len;
	b->prop_ntrans = 0;
	b->trans_np_off = 0;
	struct prop_wire w = { .num = num, .proto = proto, .spi_len = spi_len, .spi = spi };
	put_gen(b);
	desc_write(desc_fields_prop, b->out, &w);
	return status(b);
}

int isakmp_build_transform_begin(struct isakmp_builder *b, uint8_t num, uint8_t id)
{
	if (b->err)
		return b->err;
	if (!b->prop_off)
		return fail(b, -EINVAL);
	close_trans(b);
	if (b->trans_np_off)
		b->out->ptr[b->trans_np_off] = ISAKMP_PT_T;
	b->trans_off = b->out->len;
	b->prop_ntrans++;
	struct trans_wire w = { .num = num, .id = id };
	put_gen(b);
	desc_write(desc_fields_trans, b->out, &w);
	return status(b);
}

static bool in_attr_list(const struct isakmp_builder *b)
{
	return b->trans_off || (b->pl_off && b->pl_type == ISAKMP_PT_ATTR);
}

int isakmp_build_attr_tv(struct isakmp_builder *b, uint16_t type, uint16_t value)
{
	if (b->err)
		return b->err;
	if (!in_attr_list(b) || type > ISAKMP_ATTR_TYPE_MASK)
		return fail(b, -EINVAL);
	buf_put_u16(b->out, (uint16_t)(type | ISAKMP_ATTR_AF_TV));
	buf_put_u16(b->out, value);
	return status(b);
}

int isakmp_build_attr_tlv(struct isakmp_builder *b, uint16_t type, const void *p, size_t n)
{
	if (b->err)
		return b->err;
	if (!in_attr_list(b) || type > ISAKMP_ATTR_TYPE_MASK || n > UINT16_MAX || (n && !p))
		return fail(b, -EINVAL);
	buf_put_u16(b->out, type);
	buf_put_u16(b->out, (uint16_t)n);
	if (n)
		buf_put_bytes(b->out, p, n);
	return status(b);
}

int isakmp_build_attr_num(struct isakmp_builder *b, uint16_t type, uint64_t value)
{
	if (value <= UINT16_MAX)
		return isakmp_build_attr_tv(b, type, (uint16_t)value);
	size_t n = value <= UINT32_MAX ? 4 : 8;
	uint8_t t[8];
	for (size_t i = 0; i < n; i++)
		t[i] = (uint8_t)(value >> (8 * (n - 1 - i)));
	return isakmp_build_attr_tlv(b, type, t, n);
}

int isakmp_build_id(struct isakmp_builder *b, uint8_t id_type, uint8_t protocol,
		    uint16_t port, const void *data, size_t n)
{
	struct isakmp_id id = {
		.type = id_type, .protocol = protocol, .port = port, .data = data, .len = n,
	};
	if (n && !data)
		return fail(b, -EINVAL);
	return build_fields(b, ISAKMP_PT_ID, desc_fields_id, &id);
}

int isakmp_build_id_addr(struct isakmp_builder *b, uint8_t protocol, uint16_t port,
			 const union sockaddr_any *a)
{
	size_t n = 0;
	const uint8_t *p = addr_bytes(a, &n);
	if (!p || (n != 4 && n != 16))
		return fail(b, -EINVAL);
	uint8_t type = n == 4 ? ISAKMP_ID_IPV4_ADDR : ISAKMP_ID_IPV6_ADDR;
	return isakmp_build_id(b, type, protocol, port, p, n);
}

int isakmp_build_id_subnet(struct isakmp_builder *b, uint8_t protocol, uint16_t port,
			   const union sockaddr_any *a, unsigned prefixlen)
{
	size_t n = 0;
	const uint8_t *p = addr_bytes(a, &n);
	uint8_t v[32];
	if (!p || (n != 4 && n != 16) || prefixlen > 8 * n)
		return fail(b, -EINVAL);
	for (size_t i = 0; i < n; i++) {
		unsigned bits = prefixlen > 8 * i ? prefixlen - 8 * i : 0;
		uint8_t m = bits >= 8 ? 0xff : (uint8_t)(0xff00u >> bits);
		v[n + i] = m;
		v[i] = p[i] & m; /* the network, as the mask says */
	}
	uint8_t type = n == 4 ? ISAKMP_ID_IPV4_ADDR_SUBNET : ISAKMP_ID_IPV6_ADDR_SUBNET;
	return isakmp_build_id(b, type, protocol, port, v, 2 * n);
}

int isakmp_build_id_range(struct isakmp_builder *b, uint8_t protocol, uint16_t port,
			  const union sockaddr_any *from, const union sockaddr_any *to)
{
	size_t n = 0, m = 0;
	const uint8_t *p = addr_bytes(from, &n), *q = addr_bytes(to, &m);
	uint8_t v[32];
	if (!p || !q || n != m || (n != 4 && n != 16))
		return fail(b, -EINVAL);
	memcpy(v, p, n);
	memcpy(v + n, q, n);
	uint8_t type = n == 4 ? ISAKMP_ID_IPV4_ADDR_RANGE : ISAKMP_ID_IPV6_ADDR_RANGE;
	return isakmp_build_id(b, type, protocol, port, v, 2 * n);
}

int isakmp_build_cert(struct isakmp_builder *b, uint8_t type, uint8_t encoding,
		      const void *p, size_t n)
{
	struct isakmp_cert c = { .encoding = encoding, .data = p, .len = n };
	if ((type != ISAKMP_PT_CERT && type != ISAKMP_PT_CR) || (n && !p))
		return fail(b, -EINVAL);
	return build_fields(b, type, desc_fields_cert, &c);
}

int isakmp_build_notify(struct isakmp_builder *b, uint32_t doi, uint8_t proto,
			uint16_t ntype, const uint8_t *spi, uint8_t spi_len, const void *data,
			size_t n)
{
	struct isakmp_notify_pl nt = {
		.doi = doi, .proto = proto, .spi_len = spi_len, .type = ntype,
		.spi = spi, .data = data, .len = n,
	};
	if (spi_len > ISAKMP_MAX_SPI_LEN || (spi_len && !spi) || (n && !data))
		return fail(b, -EINVAL);
	return build_fields(b, ISAKMP_PT_N, desc_fields_notify, &nt);
}

int isakmp_build_delete(struct isakmp_builder *b, uint32_t doi, uint8_t proto,
			uint8_t spi_len, const uint8_t *spis, uint16_t nspis)
{
	struct isakmp_delete del = {
		.doi = doi, .proto = proto, .spi_len = spi_len, .nspis = nspis,
	};
	if (!spi_len || spi_len > ISAKMP_MAX_SPI_LEN || !nspis || !spis)
		return fail(b, -EINVAL);
	if (isakmp_build_begin(b, ISAKMP_PT_D))
		return b->err;
	desc_write(desc_fields_delete, b->out, &del);
	buf_put_bytes(b->out, spis, (size_t)spi_len * nspis);
	return isakmp_build_end(b);
}

int isakmp_build_natoa(struct isakmp_builder *b, uint8_t type, const union sockaddr_any *a)
{
	size_t n = 0;
	const uint8_t *p = addr_bytes(a, &n);
	if ((type != ISAKMP_PT_NATOA && type != ISAKMP_PT_NATOA_DRAFT &&
	     type != ISAKMP_PT_NATOA_BADDRAFT) || !p || (n != 4 && n != 16))
		return fail(b, -EINVAL);
	if (isakmp_build_begin(b, type))
		return b->err;
	buf_put_u8(b->out, n == 4 ? ISAKMP_ID_IPV4_ADDR : ISAKMP_ID_IPV6_ADDR);
	buf_put_zero(b->out, 3);
	buf_put_bytes(b->out, p, n);
	return isakmp_build_end(b);
}

int isakmp_build_cfg_begin(struct isakmp_builder *b, uint8_t cfg_type, uint16_t identifier)
{
	struct isakmp_cfg c = { .type = cfg_type, .identifier = identifier };
	if (isakmp_build_begin(b, ISAKMP_PT_ATTR))
		return b->err;
	desc_write(desc_fields_cfg, b->out, &c);
	return status(b);
}

int isakmp_build_frag(struct isakmp_builder *b, uint16_t id, uint8_t num, uint8_t flags,
		      const void *p, size_t n)
{
	struct isakmp_frag_pl f = { .id = id, .num = num, .flags = flags, .data = p, .len = n };
	if (!num || !n || !p)
		return fail(b, -EINVAL);
	return build_fields(b, ISAKMP_PT_FRAG, desc_fields_frag, &f);
}

int isakmp_build_finish(struct isakmp_builder *b)
{
	if (b->pl_off)
		isakmp_build_end(b);
	if (b->err)
		return b->err;
	if (b->out->len - b->start > UINT32_MAX)
		return fail(b, -EMSGSIZE);
	buf_patch_u32(b->out, b->start + 24, (uint32_t)(b->out->len - b->start));
	return status(b);
}

int isakmp_build_seal(struct buf *out, size_t start, uint8_t flags)
{
	if (start > out->len || out->len - start < ISAKMP_HDR_LEN ||
	    out->len - start > UINT32_MAX)
		return -EINVAL;
	out->ptr[start + 19] |= flags;
	return buf_patch_u32(out, start + 24, (uint32_t)(out->len - start)) ? 0 : -EINVAL;
}
