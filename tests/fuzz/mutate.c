/* Deterministic mutation driver for the libFuzzer harnesses, run by `make check`.
 *
 * Links with one tests/fuzz/fuzz_*.c harness (LLVMFuzzerTestOneInput) and feeds it every
 * seed file named on the command line, then every truncation of each seed and a fixed
 * number of byte flips, insertions and deletions from a seeded PRNG. The harness must
 * never crash, hang or leak (ASan in the sanitizer build); the driver only counts.
 *
 *   usage: mutate [-n MUTATIONS_PER_SEED] SEED_FILE...
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
	/* xorshift64*: deterministic across runs and machines */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	uint8_t *p = malloc(cap);
	size_t k;
	while (p && (k = fread(p + n, 1, cap - n, f)) > 0) {
		n += k;
		if (n == cap) {
			if (cap >= (1u << 24))
				break;
			uint8_t *q = realloc(p, cap *= 2);
			if (!q) {
				free(p);
				p = NULL;
			} else {
				p = q;
			}
		}
	}
	fclose(f);
	*len = n;
	return p;
}

int main(int argc, char **argv)
{
	int per_seed = 2000, first = 1;
	if (argc > 2 && strcmp(argv[1], "-n") == 0) {
		per_seed = atoi(argv[2]);
		first = 3;
	}
	if (first >= argc) {
		fprintf(stderr, "usage: mutate [-n N] SEED_FILE...\n");
		return 2;
	}
	unsigned long runs = 0;
	for (int i = first; i < argc; i++) {
		size_t len;
		uint8_t *seed = read_file(argv[i], &len);
		if (!seed) {
			fprintf(stderr, "mutate: cannot read %s\n", argv[i]);
			return 2;
		}
		LLVMFuzzerTestOneInput(seed, len);
		runs++;
		for (size_t cut = 0; cut < len; cut++, runs++) {
			uint8_t *t = malloc(cut ? cut : 1); /* exact size: ASan sees overreads */
			memcpy(t, seed, cut);
			LLVMFuzzerTestOneInput(t, cut);
			free(t);
		}
		uint8_t *m = malloc(len + 16);
		for (int k = 0; k < per_seed; k++, runs++) {
			size_t n = len;
			memcpy(m, seed, len);
			int edits = 1 + (int)(rng() % 4);
			for (int e = 0; e < edits && n; e++) {
				size_t at = (size_t)(rng() % n);
				switch (rng() % 4) {
				case 0: m[at] ^= (uint8_t)(1u << (rng() % 8)); break;
				case 1: m[at] = (uint8_t)rng(); break;
				case 2: /* interesting values for length fields */
					m[at] = (uint8_t[]){ 0x00, 0x01, 0x7f, 0x80, 0xff }[rng() % 5];
					break;
				case 3: /* delete a byte */
					memmove(m + at, m + at + 1, n - at - 1);
					n--;
					break;
				}
			}
			uint8_t *t = malloc(n ? n : 1);
			memcpy(t, m, n);
			LLVMFuzzerTestOneInput(t, n);
			free(t);
		}
		free(m);
		free(seed);
	}
	printf("mutate: %lu inputs, no crash\n", runs);
	return 0;
}
