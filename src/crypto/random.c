/* random: getrandom(2) in a loop (it may return short counts for large requests). */
#include <errno.h>
#include <stdint.h>
#include <sys/random.h>

#include "crypto/random.h"

int crypto_random(void *p, size_t n)
{
	uint8_t *d = p;
	while (n > 0) {
		ssize_t r = getrandom(d, n, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		d += r;
		n -= (size_t)r;
	}
	return 0;
}
