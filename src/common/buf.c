/* buf: bounded byte buffer with a read cursor and a sticky error flag. */
#include "common/buf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void buf_wipe(void *p, size_t n)
{
	if (p && n)
		explicit_bzero(p, n);
}

bool buf_equal_ct(const void *a, const void *b, size_t n)
{
	const volatile uint8_t *x = a, *y = b;
	uint8_t d = 0;
	for (size_t i = 0; i < n; i++)
		d |= x[i] ^ y[i];
	return d == 0;
}

struct buf buf_view(const void *ptr, size_t len)
{
	struct buf b = { .ptr = (uint8_t *)ptr, .len = ptr ? len : 0 };
	return b;
}

int buf_init(struct buf *b, size_t max)
{
	memset(b, 0, sizeof(*b));
	b->flags = BUF_OWNED;
	b->max = max ? max : BUF_MAX_DEFAULT;
	return 0;
}

int buf_init_secret(struct buf *b, size_t max)
{
	int r = buf_init(b, max);
	b->flags |= BUF_SECRET;
	return r;
}

int buf_dup(struct buf *dst, const void *ptr, size_t len, bool secret)
{
	buf_init(dst, len ? len : 1);
	if (secret)
		dst->flags |= BUF_SECRET;
	if (!buf_put_bytes(dst, ptr, len)) {
		buf_free(dst);
		return -ENOMEM;
	}
	return 0;
}

void buf_free(struct buf *b)
{
	if (!b)
		return;
	if (b->flags & BUF_OWNED) {
		if (b->flags & BUF_SECRET)
			buf_wipe(b->ptr, b->cap);
		free(b->ptr);
	}
	unsigned keep = b->flags & (BUF_OWNED | BUF_SECRET);
	size_t max = b->max;
	memset(b, 0, sizeof(*b));
	b->flags = keep;
	b->max = max;
}

void buf_reset(struct buf *b)
{
	if ((b->flags & BUF_SECRET) && (b->flags & BUF_OWNED))
		buf_wipe(b->ptr, b->len);
	b->len = b->pos = 0;
	b->flags &= ~BUF_ERROR;
}

static bool fail(struct buf *b)
{
	b->flags |= BUF_ERROR;
	return false;
}

bool buf_get_bytes(struct buf *b, void *dst, size_t n)
{
	if (!buf_ok(b) || n > buf_left(b)) {
		if (dst && n)
			memset(dst, 0, n);
		return fail(b);
	}
	if (dst && n)
		memcpy(dst, b->ptr + b->pos, n);
	b->pos += n;
	return true;
}

bool buf_skip(struct buf *b, size_t n)
{
	return buf_get_bytes(b, NULL, n);
}

bool buf_get_u8(struct buf *b, uint8_t *v)
{
	return buf_get_bytes(b, v, 1);
}

bool buf_get_u16(struct buf *b, uint16_t *v)
{
	uint8_t t[2];
	bool ok = buf_get_bytes(b, t, 2);
	*v = (uint16_t)(t[0] << 8 | t[1]);
	return ok;
}

bool buf_get_u32(struct buf *b, uint32_t *v)
{
	uint8_t t[4];
	bool ok = buf_get_bytes(b, t, 4);
	*v = (uint32_t)t[0] << 24 | (uint32_t)t[1] << 16 | (uint32_t)t[2] << 8 | t[3];
	return ok;
}

bool buf_get_u64(struct buf *b, uint64_t *v)
{
	uint32_t hi, lo;
	bool ok = buf_get_u32(b, &hi) && buf_get_u32(b, &lo);
	*v = ok ? ((uint64_t)hi << 32 | lo) : 0;
	return ok;
}

bool buf_get_sub(struct buf *b, size_t n, struct buf *sub)
{
	const uint8_t *start = buf_cur(b);
	if (!buf_skip(b, n)) {
		*sub = buf_view(NULL, 0);
		sub->flags = BUF_ERROR;
		return false;
	}
	*sub = buf_view(start, n);
	return true;
}

uint8_t *buf_reserve(struct buf *b, size_t n)
{
	if (!buf_ok(b) || !(b->flags & BUF_OWNED) || n > b->max || b->len > b->max - n) {
		fail(b);
		return NULL;
	}
	if (b->len + n > b->cap) {
		size_t ncap = b->cap ? b->cap : 64;
		while (ncap < b->len + n)
			ncap *= 2;
		if (ncap > b->max)
			ncap = b->max;
		uint8_t *p = malloc(ncap);
		if (!p) {
			fail(b);
			return NULL;
		}
		if (b->len)
			memcpy(p, b->ptr, b->len);
		if (b->flags & BUF_SECRET)
			buf_wipe(b->ptr, b->cap);
		free(b->ptr);
		b->ptr = p;
		b->cap = ncap;
	}
	uint8_t *at = b->ptr + b->len;
	b->len += n;
	return at;
}

bool buf_put_bytes(struct buf *b, const void *src, size_t n)
{
	uint8_t *at = buf_reserve(b, n);
	if (!at)
		return false;
	if (n)
		memcpy(at, src, n);
	return true;
}

bool buf_put_zero(struct buf *b, size_t n)
{
	uint8_t *at = buf_reserve(b, n);
	if (!at)
		return false;
	if (n)
		memset(at, 0, n);
	return true;
}

bool buf_put_u8(struct buf *b, uint8_t v)
{
	return buf_put_bytes(b, &v, 1);
}

bool buf_put_u16(struct buf *b, uint16_t v)
{
	uint8_t t[2] = { (uint8_t)(v >> 8), (uint8_t)v };
	return buf_put_bytes(b, t, 2);
}

bool buf_put_u32(struct buf *b, uint32_t v)
{
	uint8_t t[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
	return buf_put_bytes(b, t, 4);
}

bool buf_put_u64(struct buf *b, uint64_t v)
{
	return buf_put_u32(b, (uint32_t)(v >> 32)) && buf_put_u32(b, (uint32_t)v);
}

bool buf_patch_u16(struct buf *b, size_t off, uint16_t v)
{
	if (off > b->len || b->len - off < 2)
		return fail(b);
	b->ptr[off] = (uint8_t)(v >> 8);
	b->ptr[off + 1] = (uint8_t)v;
	return true;
}

bool buf_patch_u32(struct buf *b, size_t off, uint32_t v)
{
	if (off > b->len || b->len - off < 4)
		return fail(b);
	for (int i = 0; i < 4; i++)
		b->ptr[off + i] = (uint8_t)(v >> (24 - 8 * i));
	return true;
}
