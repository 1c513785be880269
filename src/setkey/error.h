/* error: where a setkey script went wrong, and why. */
#ifndef RACOON_SETKEY_ERROR_H
#define RACOON_SETKEY_ERROR_H

struct sk_error {
	unsigned line, col; /* 1-based; 0 when not about a place in the input */
	char msg[256];
};

/* Record the first error only: later calls keep what is there. Returns -1. */
int sk_error_set(struct sk_error *err, unsigned line, unsigned col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
