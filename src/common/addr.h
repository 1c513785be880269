/* addr: IPv4/IPv6 socket addresses as one value type. */
#ifndef RACOON_COMMON_ADDR_H
#define RACOON_COMMON_ADDR_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

union sockaddr_any {
	struct sockaddr sa;
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
	struct sockaddr_storage ss;
};

/* "192.0.2.1", "2001:db8::1", "fe80::1%eth0"; port stays 0. 0 or -EINVAL. */
int addr_parse(const char *s, union sockaddr_any *a);
/* "192.0.2.1" (no port) into out; returns out. "?" for unknown families. */
#define ADDR_STRLEN 64
const char *addr_ntop(const union sockaddr_any *a, char out[ADDR_STRLEN]);
/* "192.0.2.1[500]" as racoon logs endpoints. */
#define ADDR_PORT_STRLEN (ADDR_STRLEN + 8)
const char *addr_ntop_port(const union sockaddr_any *a, char out[ADDR_PORT_STRLEN]);

socklen_t addr_len(const union sockaddr_any *a);
uint16_t addr_port(const union sockaddr_any *a); /* host order */
void addr_set_port(union sockaddr_any *a, uint16_t port);
bool addr_equal(const union sockaddr_any *a, const union sockaddr_any *b);      /* address only */
bool addr_equal_port(const union sockaddr_any *a, const union sockaddr_any *b); /* and port */
bool addr_is_any(const union sockaddr_any *a);
/* Raw address bytes (4 or 16) and their length. */
const uint8_t *addr_bytes(const union sockaddr_any *a, size_t *len);

#endif
