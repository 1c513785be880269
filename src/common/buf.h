/* buf: the one bounded byte buffer of racoon.
 *
 * A buf is either a view (points into memory it does not own, read-only use) or an
 * owned, growable buffer with a hard size cap. Every read goes through a cursor and
 * checks what is left; a failed read or write sets a sticky error flag, so a parser
 * can do a run of reads and test buf_ok() once. Buffers marked secret are wiped
 * before their memory is freed or moved.
 */
#ifndef RACOON_COMMON_BUF_H
#define RACOON_COMMON_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BUF_MAX_DEFAULT (64u * 1024u) /* cap for owned buffers unless set otherwise */

enum buf_flags {
	BUF_OWNED = 1u << 0,  /* ptr is ours to free */
	BUF_SECRET = 1u << 1, /* wipe on free, on grow and on reset */
	BUF_ERROR = 1u << 2,  /* a read or write went out of bounds (sticky) */
};

struct buf {
	uint8_t *ptr;
	size_t len; /* bytes of valid data */
	size_t cap; /* bytes allocated (0 for a view) */
	size_t max; /* hard limit for len on owned buffers */
	size_t pos; /* read cursor, <= len */
	unsigned flags;
};

/* Views and owned buffers. */
struct buf buf_view(const void *ptr, size_t len);
int buf_init(struct buf *b, size_t max);        /* empty owned buffer; 0 or -ENOMEM */
int buf_init_secret(struct buf *b, size_t max); /* same, wiped on free */
int buf_dup(struct buf *dst, const void *ptr, size_t len, bool secret);
void buf_free(struct buf *b); /* wipes when secret; safe on a zeroed struct */
void buf_reset(struct buf *b); /* len = pos = 0, clears the error, keeps memory */

static inline bool buf_ok(const struct buf *b) { return !(b->flags & BUF_ERROR); }
static inline size_t buf_left(const struct buf *b) { return b->len - b->pos; }
static inline const uint8_t *buf_cur(const struct buf *b) { return b->ptr + b->pos; }

/* Reading (network byte order). On short input: return false, set BUF_ERROR, output 0. */
bool buf_get_u8(struct buf *b, uint8_t *v);
bool buf_get_u16(struct buf *b, uint16_t *v);
bool buf_get_u32(struct buf *b, uint32_t *v);
bool buf_get_u64(struct buf *b, uint64_t *v);
bool buf_get_bytes(struct buf *b, void *dst, size_t n);
bool buf_skip(struct buf *b, size_t n);
/* A view of the next n bytes; the cursor moves past them. */
bool buf_get_sub(struct buf *b, size_t n, struct buf *sub);

/* Writing (owned buffers only; grows up to max). On failure: false, BUF_ERROR set. */
bool buf_put_u8(struct buf *b, uint8_t v);
bool buf_put_u16(struct buf *b, uint16_t v);
bool buf_put_u32(struct buf *b, uint32_t v);
bool buf_put_u64(struct buf *b, uint64_t v);
bool buf_put_bytes(struct buf *b, const void *src, size_t n);
bool buf_put_zero(struct buf *b, size_t n);
/* Reserve n bytes at the end and return where they are (NULL on failure). */
uint8_t *buf_reserve(struct buf *b, size_t n);
/* Overwrite a big-endian u16/u32 at an absolute offset already written (length fields). */
bool buf_patch_u16(struct buf *b, size_t off, uint16_t v);
bool buf_patch_u32(struct buf *b, size_t off, uint32_t v);

/* Compare contents in constant time (for MACs/hashes); false when lengths differ. */
bool buf_equal_ct(const void *a, const void *b, size_t n);
/* Wipe memory in a way the compiler cannot drop. */
void buf_wipe(void *p, size_t n);

#endif
