/* id: identification payload bodies by ID type (RFC 2407 4.6.2) and NAT-OA addresses. */
#include <errno.h>
#include <string.h>

#include "isakmp/desc.h"

/* Exact body sizes of the address ID types; 0 for free-form ones. */
static int id_addr_len(uint8_t type, int *family)
{
	switch (type) {
	case ISAKMP_ID_IPV4_ADDR:
		*family = AF_INET;
		return 4;
	case ISAKMP_ID_IPV4_ADDR_SUBNET:
	case ISAKMP_ID_IPV4_ADDR_RANGE:
		*family = AF_INET;
		return 8;
	case ISAKMP_ID_IPV6_ADDR:
		*family = AF_INET6;
		return 16;
	case ISAKMP_ID_IPV6_ADDR_SUBNET:
	case ISAKMP_ID_IPV6_ADDR_RANGE:
		*family = AF_INET6;
		return 32;
	}
	*family = AF_UNSPEC;
	return 0;
}

enum isakmp_perr id_check(const struct isakmp_id *id)
{
	int family;
	int n = id_addr_len(id->type, &family);
	if (n)
		return id->len == (size_t)n ? ISAKMP_PERR_OK : ISAKMP_PERR_ID;
	switch (id->type) {
	case ISAKMP_ID_FQDN:
	case ISAKMP_ID_USER_FQDN:
	case ISAKMP_ID_DER_ASN1_DN:
	case ISAKMP_ID_DER_ASN1_GN:
	case ISAKMP_ID_KEY_ID:
	case ISAKMP_ID_LIST:
		return id->len ? ISAKMP_PERR_OK : ISAKMP_PERR_ID;
	}
	return ISAKMP_PERR_ID;
}

static void set_addr(union sockaddr_any *a, int family, const uint8_t *p)
{
	memset(a, 0, sizeof(*a));
	a->sa.sa_family = (sa_family_t)family;
	if (family == AF_INET)
		memcpy(&a->sin.sin_addr, p, 4);
	else
		memcpy(&a->sin6.sin6_addr, p, 16);
}

int isakmp_id_addrs(const struct isakmp_id *id, union sockaddr_any *a, union sockaddr_any *b)
{
	int family;
	int n = id_addr_len(id->type, &family);
	if (!n || id->len != (size_t)n)
		return -EINVAL;
	int alen = family == AF_INET ? 4 : 16;
	set_addr(a, family, id->data);
	if (n > alen && b)
		set_addr(b, family, id->data + alen);
	return 0;
}

int isakmp_id_prefixlen(const struct isakmp_id *id)
{
	if ((id->type != ISAKMP_ID_IPV4_ADDR_SUBNET && id->type != ISAKMP_ID_IPV6_ADDR_SUBNET) ||
	    id_check(id) != ISAKMP_PERR_OK)
		return -EINVAL;
	size_t alen = id->len / 2;
	const uint8_t *m = id->data + alen;
	int bits = 0;
	size_t i = 0;
	for (; i < alen && m[i] == 0xff; i++)
		bits += 8;
	if (i < alen) {
		uint8_t v = m[i++];
		while (v & 0x80) {
			bits++;
			v = (uint8_t)(v << 1);
		}
		if (v) /* a one after a zero */
			return -EINVAL;
		for (; i < alen; i++)
			if (m[i])
				return -EINVAL;
	}
	return bits;
}

enum isakmp_perr natoa_decode(struct isakmp_natoa *o, const uint8_t *p, size_t len)
{
	int family;
	int n = id_addr_len(o->id_type, &family);
	if ((o->id_type != ISAKMP_ID_IPV4_ADDR && o->id_type != ISAKMP_ID_IPV6_ADDR) ||
	    len != (size_t)n)
		return ISAKMP_PERR_MALFORMED;
	set_addr(&o->addr, family, p);
	return ISAKMP_PERR_OK;
}
