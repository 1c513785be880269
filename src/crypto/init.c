/* init: GMP allocation functions that wipe memory before giving it back.
 *
 * GMP hands the block size to its free and realloc functions, so wiping is exact. Blocks
 * allocated before crypto_init() (by the default malloc) are compatible: ours also end
 * in free(). */
#include <gmp.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "crypto/init.h"

static void *wipe_alloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		abort(); /* GMP has no way to report allocation failure either */
	return p;
}

static void *wipe_realloc(void *old, size_t old_size, size_t new_size)
{
	void *p = wipe_alloc(new_size);
	if (old) {
		memcpy(p, old, old_size < new_size ? old_size : new_size);
		buf_wipe(old, old_size);
		free(old);
	}
	return p;
}

static void wipe_free(void *p, size_t size)
{
	if (!p)
		return;
	buf_wipe(p, size);
	free(p);
}

void crypto_init(void)
{
	mp_set_memory_functions(wipe_alloc, wipe_realloc, wipe_free);
}

bool crypto_gmp_wipes(void)
{
	void *(*a)(size_t);
	void *(*r)(void *, size_t, size_t);
	void (*f)(void *, size_t);
	mp_get_memory_functions(&a, &r, &f);
	return a == wipe_alloc && r == wipe_realloc && f == wipe_free;
}
