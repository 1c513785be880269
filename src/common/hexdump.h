/* hexdump: bytes as hex text for logs and -v packet dumps. */
#ifndef RACOON_COMMON_HEXDUMP_H
#define RACOON_COMMON_HEXDUMP_H

#include <stddef.h>
#include <stdint.h>

/* Write at most outlen-1 hex digits of p (no separators) and a NUL; returns out. */
char *hex_encode(const uint8_t *p, size_t n, char *out, size_t outlen);
/* One hex digit's value, -1 for anything else. */
int hex_nibble(char c);
/* Parse hex digits (optional 0x prefix) into out; returns bytes or -EINVAL/-ENOSPC. */
int hex_decode(const char *s, uint8_t *out, size_t outlen);

#endif
