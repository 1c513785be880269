/* bench_isakmp: ns per parse and per build of Main Mode messages (MM1: SA with three
 * transforms and VIDs; MM3: KE, NONCE, NAT-D). Not part of make check.
 *   usage: bench_isakmp [ITERATIONS] */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "isakmp/digest.h"
#include "../tests/unit/test_isakmp_samples.h"

static struct isakmp_digest d;

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int bench(enum sample s, long iters)
{
	struct buf m;
	buf_init(&m, 0);
	if (sample_build(s, &m) != 0)
		return 1;
	double t0 = now_ns();
	for (long i = 0; i < iters; i++) {
		buf_reset(&m);
		if (sample_build(s, &m) != 0)
			return 1;
	}
	double t1 = now_ns();
	unsigned sink = 0;
	for (long i = 0; i < iters; i++) {
		if (isakmp_parse(m.ptr, m.len, &d) != ISAKMP_PERR_OK)
			return 1;
		sink += d.npayloads;
	}
	double t2 = now_ns();
	printf("%s (%zu bytes, %u payloads): build %.0f ns, parse %.0f ns\n", sample_name(s),
	       m.len, sink / (unsigned)iters, (t1 - t0) / (double)iters,
	       (t2 - t1) / (double)iters);
	buf_free(&m);
	return 0;
}

int main(int argc, char **argv)
{
	long iters = argc > 1 ? atol(argv[1]) : 200000;
	if (iters <= 0)
		iters = 1;
	return bench(S_MM1, iters) | bench(S_MM3, iters) | bench(S_QM1, iters);
}
