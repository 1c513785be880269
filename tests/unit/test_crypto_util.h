/* Helpers shared by the crypto unit suites: hex strings in, byte comparisons out. */
#ifndef RACOON_TEST_CRYPTO_UTIL_H
#define RACOON_TEST_CRYPTO_UTIL_H

#include <check.h>
#include <ctype.h>
#include <stdint.h>
#include <string.h>

static inline int tc_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Decode hex (spaces ignored) into out; returns the byte count, aborts the test on junk. */
static inline size_t tc_unhex(const char *hex, uint8_t *out, size_t max)
{
	size_t n = 0;
	int hi = -1;
	for (const char *p = hex; *p; p++) {
		if (*p == ' ' || *p == '\n')
			continue;
		int v = tc_nibble(*p);
		ck_assert_msg(v >= 0, "bad hex digit in test vector");
		if (hi < 0) {
			hi = v;
			continue;
		}
		ck_assert_msg(n < max, "test vector too long");
		out[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	ck_assert_msg(hi < 0, "odd hex length in test vector");
	return n;
}

#define TC_ASSERT_HEX(got, len, hex)                                                        \
	do {                                                                                \
		uint8_t exp_[4096];                                                         \
		size_t n_ = tc_unhex(hex, exp_, sizeof(exp_));                              \
		ck_assert_uint_eq((len), n_);                                               \
		ck_assert_msg(memcmp((got), exp_, n_) == 0, "mismatch with %s", #hex);      \
	} while (0)

#endif
