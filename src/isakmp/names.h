/* names: a printable name for every IKEv1 number in isakmp/isakmp.h, and back. */
#ifndef RACOON_ISAKMP_NAMES_H
#define RACOON_ISAKMP_NAMES_H

#include <stdbool.h>
#include <stdint.h>

enum isakmp_names {
	ISAKMP_NAMES_EXCHANGE,
	ISAKMP_NAMES_PAYLOAD,
	ISAKMP_NAMES_NOTIFY,
	ISAKMP_NAMES_DOI,
	ISAKMP_NAMES_PROTO,
	ISAKMP_NAMES_TRANS_ISAKMP,
	ISAKMP_NAMES_TRANS_AH,
	ISAKMP_NAMES_TRANS_ESP,
	ISAKMP_NAMES_TRANS_IPCOMP,
	ISAKMP_NAMES_OAKLEY_ATTR,
	ISAKMP_NAMES_OAKLEY_ENC,
	ISAKMP_NAMES_OAKLEY_HASH,
	ISAKMP_NAMES_OAKLEY_AUTH,
	ISAKMP_NAMES_OAKLEY_GROUP,
	ISAKMP_NAMES_OAKLEY_GROUP_TYPE,
	ISAKMP_NAMES_OAKLEY_LIFE,
	ISAKMP_NAMES_IPSEC_ATTR,
	ISAKMP_NAMES_IPSEC_LIFE,
	ISAKMP_NAMES_IPSEC_ENCAP,
	ISAKMP_NAMES_IPSEC_AUTH,
	ISAKMP_NAMES_ID,
	ISAKMP_NAMES_CERT,
	ISAKMP_NAMES_CFG_TYPE,
	ISAKMP_NAMES_CFG_ATTR,
	ISAKMP_NAMES_COUNT_
};

/* The name of v in table t, NULL when unknown. */
const char *isakmp_name(enum isakmp_names t, unsigned v);
/* The name, or "UNKNOWN-<v>" written into buf. */
#define ISAKMP_NAME_BUFLEN 24
const char *isakmp_name_num(enum isakmp_names t, unsigned v, char buf[ISAKMP_NAME_BUFLEN]);
/* Case-insensitive reverse lookup: the value, or -1. */
long isakmp_name_value(enum isakmp_names t, const char *name);

/* The table naming transform ids of a protocol (ISAKMP_NAMES_COUNT_ when none). */
enum isakmp_names isakmp_names_transform(uint8_t proto);
/* The table naming attribute types in a transform of proto (Oakley for ISAKMP, IPsec DOI
 * otherwise) and the one naming the values of attribute type `type` there
 * (ISAKMP_NAMES_COUNT_ when the value is a plain number). */
enum isakmp_names isakmp_names_attr(uint8_t proto);
enum isakmp_names isakmp_names_attr_value(uint8_t proto, uint16_t type);

#endif
