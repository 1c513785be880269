/* addr: parse, print and compare IPv4/IPv6 socket addresses. */
#include "common/addr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int addr_parse(const char *s, union sockaddr_any *a)
{
	char tmp[ADDR_STRLEN];
	memset(a, 0, sizeof(*a));
	if (!s || strlen(s) >= sizeof(tmp))
		return -EINVAL;
	if (inet_pton(AF_INET, s, &a->sin.sin_addr) == 1) {
		a->sin.sin_family = AF_INET;
		return 0;
	}
	strcpy(tmp, s);
	char *scope = strchr(tmp, '%');
	if (scope)
		*scope++ = '\0';
	if (inet_pton(AF_INET6, tmp, &a->sin6.sin6_addr) != 1)
		return -EINVAL;
	a->sin6.sin6_family = AF_INET6;
	if (scope) {
		unsigned idx = if_nametoindex(scope);
		if (!idx) {
			char *end;
			unsigned long v = strtoul(scope, &end, 10);
			if (*scope == '\0' || *end != '\0' || v == 0 || v > UINT32_MAX)
				return -EINVAL;
			idx = (unsigned)v;
		}
		a->sin6.sin6_scope_id = idx;
	}
	return 0;
}

const char *addr_ntop(const union sockaddr_any *a, char out[ADDR_STRLEN])
{
	switch (a->sa.sa_family) {
	case AF_INET:
		inet_ntop(AF_INET, &a->sin.sin_addr, out, ADDR_STRLEN);
		break;
	case AF_INET6:
		inet_ntop(AF_INET6, &a->sin6.sin6_addr, out, ADDR_STRLEN);
		if (a->sin6.sin6_scope_id) {
			size_t n = strlen(out);
			snprintf(out + n, ADDR_STRLEN - n, "%%%u", a->sin6.sin6_scope_id);
		}
		break;
	default:
		snprintf(out, ADDR_STRLEN, "?");
	}
	return out;
}

const char *addr_ntop_port(const union sockaddr_any *a, char out[ADDR_PORT_STRLEN])
{
	char host[ADDR_STRLEN];
	snprintf(out, ADDR_PORT_STRLEN, "%s[%u]", addr_ntop(a, host), addr_port(a));
	return out;
}

socklen_t addr_len(const union sockaddr_any *a)
{
	switch (a->sa.sa_family) {
	case AF_INET:
		return sizeof(struct sockaddr_in);
	case AF_INET6:
		return sizeof(struct sockaddr_in6);
	default:
		return 0;
	}
}

uint16_t addr_port(const union sockaddr_any *a)
{
	switch (a->sa.sa_family) {
	case AF_INET:
		return ntohs(a->sin.sin_port);
	case AF_INET6:
		return ntohs(a->sin6.sin6_port);
	default:
		return 0;
	}
}

void addr_set_port(union sockaddr_any *a, uint16_t port)
{
	if (a->sa.sa_family == AF_INET)
		a->sin.sin_port = htons(port);
	else if (a->sa.sa_family == AF_INET6)
		a->sin6.sin6_port = htons(port);
}

const uint8_t *addr_bytes(const union sockaddr_any *a, size_t *len)
{
	switch (a->sa.sa_family) {
	case AF_INET:
		*len = 4;
		return (const uint8_t *)&a->sin.sin_addr;
	case AF_INET6:
		*len = 16;
		return a->sin6.sin6_addr.s6_addr;
	default:
		*len = 0;
		return NULL;
	}
}

bool addr_equal(const union sockaddr_any *a, const union sockaddr_any *b)
{
	size_t la, lb;
	const uint8_t *pa = addr_bytes(a, &la), *pb = addr_bytes(b, &lb);
	if (a->sa.sa_family != b->sa.sa_family || !pa || la != lb)
		return false;
	if (a->sa.sa_family == AF_INET6 && a->sin6.sin6_scope_id != b->sin6.sin6_scope_id)
		return false;
	return memcmp(pa, pb, la) == 0;
}

bool addr_equal_port(const union sockaddr_any *a, const union sockaddr_any *b)
{
	return addr_equal(a, b) && addr_port(a) == addr_port(b);
}

bool addr_is_any(const union sockaddr_any *a)
{
	size_t n;
	const uint8_t *p = addr_bytes(a, &n);
	for (size_t i = 0; p && i < n; i++)
		if (p[i])
			return false;
	return p != NULL;
}
