/* digest: a received ISAKMP message, parsed once.
 *
 * isakmp_parse() checks the header and every payload in the chain (every length against
 * what is left, caps on payload, proposal, transform and attribute counts) and fills a
 * digest: the payloads in order and, per payload type, a list of the decoded payloads.
 * Handlers read the decoded fields and never touch raw bytes.
 *
 * Nothing is allocated: the digest holds fixed pools and points into the caller's
 * message buffer, which must outlive it. Do not copy a digest by value (payloads point
 * into its own pools). An encrypted message (E flag) is parsed in two steps: isakmp_parse()
 * reads the header only and leaves d->encrypted; the engine decrypts and calls
 * isakmp_parse_body() on the plaintext (which may end in padding).
 */
#ifndef RACOON_ISAKMP_DIGEST_H
#define RACOON_ISAKMP_DIGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/addr.h"
#include "isakmp/isakmp.h"

/* Caps: far above what any real exchange carries, low enough to bound work. */
#define ISAKMP_MAX_PAYLOADS 64
#define ISAKMP_MAX_PROPOSALS 64
#define ISAKMP_MAX_TRANSFORMS 128
#define ISAKMP_MAX_ATTRS 512
#define ISAKMP_MAX_SPI_LEN 16

/* Why a message was refused; isakmp_perr_notify() gives the notify type to answer with
 * (0: drop silently, nothing in it can be trusted enough to answer). */
enum isakmp_perr {
	ISAKMP_PERR_OK = 0,
	ISAKMP_PERR_SHORT,           /* shorter than the ISAKMP header: drop */
	ISAKMP_PERR_LENGTH,          /* header length disagrees with the datagram */
	ISAKMP_PERR_COOKIE,          /* zero initiator cookie */
	ISAKMP_PERR_MAJOR_VERSION,
	ISAKMP_PERR_MINOR_VERSION,
	ISAKMP_PERR_EXCHANGE,        /* unknown exchange type */
	ISAKMP_PERR_FLAGS,           /* undefined flag bits */
	ISAKMP_PERR_PAYLOAD_TYPE,    /* unknown or misplaced payload type */
	ISAKMP_PERR_MALFORMED,       /* a length past the end, short or looping payload */
	ISAKMP_PERR_TOO_MANY,        /* payload/proposal/transform/attribute cap hit */
	ISAKMP_PERR_ATTR,            /* attribute length overflow or bad TV/TLV */
	ISAKMP_PERR_DOI,             /* DOI other than IPsec (SA) or ISAKMP/IPsec (N, D) */
	ISAKMP_PERR_SITUATION,       /* situation bits we do not speak */
	ISAKMP_PERR_PROPOSAL,        /* proposal/transform numbering or counts wrong */
	ISAKMP_PERR_PROTOCOL,        /* protocol id out of range */
	ISAKMP_PERR_SPI,             /* SPI size wrong for the protocol */
	ISAKMP_PERR_ID,              /* ID payload body wrong for its ID type */
	ISAKMP_PERR_KEY,             /* empty KE payload */
	ISAKMP_PERR_ENCRYPTED,       /* body is encrypted: decrypt, then isakmp_parse_body() */
};

/* One data attribute (TV or TLV). For TV, value holds the number and data points at its
 * 2 bytes on the wire; for TLV, data/len is the value. */
struct isakmp_attr {
	uint16_t type; /* without the AF bit */
	bool tv;
	uint16_t value; /* TV only */
	uint16_t len;
	const uint8_t *data;
};
/* A TV value, or a TLV value of 1..8 bytes as a number. false when it does not fit. */
bool isakmp_attr_u64(const struct isakmp_attr *a, uint64_t *v);
/* The first attribute of a type in a list, NULL when absent. */
const struct isakmp_attr *isakmp_attr_find(const struct isakmp_attr *a, unsigned n,
					   uint16_t type);

struct isakmp_transform {
	uint8_t num;
	uint8_t id;
	const struct isakmp_attr *attrs;
	unsigned nattrs;
	const uint8_t *raw; /* transform substructure including its header */
	size_t raw_len;
};

struct isakmp_proposal {
	uint8_t num;
	uint8_t proto; /* enum isakmp_proto */
	uint8_t spi_len;
	uint8_t spi[ISAKMP_MAX_SPI_LEN];
	const struct isakmp_transform *transforms;
	unsigned ntransforms; /* equals the "# of transforms" field */
};

struct isakmp_sa {
	uint32_t doi;
	uint32_t situation;
	const struct isakmp_proposal *proposals;
	unsigned nproposals;
};

struct isakmp_id {
	uint8_t type;     /* enum isakmp_id_type */
	uint8_t protocol; /* IPsec DOI: IP protocol, 0 = any */
	uint16_t port;    /* IPsec DOI: port, 0 = any */
	const uint8_t *data;
	size_t len;
};

struct isakmp_cert { /* CERT and CR */
	uint8_t encoding; /* enum isakmp_cert_type */
	const uint8_t *data;
	size_t len;
};

struct isakmp_notify_pl {
	uint32_t doi;
	uint8_t proto;
	uint8_t spi_len;
	uint16_t type; /* enum isakmp_notify */
	const uint8_t *spi;
	const uint8_t *data;
	size_t len;
};

struct isakmp_delete {
	uint32_t doi;
	uint8_t proto;
	uint8_t spi_len;
	uint16_t nspis;
	const uint8_t *spis; /* nspis * spi_len bytes */
};

struct isakmp_natoa {
	uint8_t id_type; /* ISAKMP_ID_IPV4_ADDR or ISAKMP_ID_IPV6_ADDR */
	union sockaddr_any addr; /* port 0 */
};

struct isakmp_cfg {
	uint8_t type; /* enum isakmp_cfg_type */
	uint16_t identifier;
	const struct isakmp_attr *attrs;
	unsigned nattrs;
};

struct isakmp_frag_pl {
	uint16_t id;
	uint8_t num; /* 1-based */
	uint8_t flags; /* ISAKMP_FRAG_LAST */
	const uint8_t *data;
	size_t len;
};

/* One payload of the chain. body/len is the payload after the generic header (what
 * HASH_I/HASH_R take as SAi_b, IDii_b); raw/raw_len includes the generic header (what
 * Quick Mode hashes cover). The union member used follows type. */
struct isakmp_payload {
	uint8_t type;
	uint8_t next_type; /* the next payload field as received */
	int next_same;     /* index of the next payload of this type, -1 at the end */
	const uint8_t *raw;
	size_t raw_len;
	const uint8_t *body;
	size_t len;
	union {
		struct isakmp_sa sa;
		struct isakmp_id id;          /* ID */
		struct isakmp_cert cert;      /* CERT, CR */
		struct isakmp_notify_pl n;    /* N */
		struct isakmp_delete d;       /* D */
		struct isakmp_natoa natoa;    /* NAT-OA (all three numbers) */
		struct isakmp_cfg cfg;        /* ATTR */
		struct isakmp_frag_pl frag;   /* FRAG */
	} u; /* KE, HASH, SIG, NONCE, VID, NAT-D, GSS: body/len only */
};

struct isakmp_digest {
	struct isakmp_hdr hdr;
	const uint8_t *msg; /* the whole message as given (header first) */
	size_t msg_len;     /* hdr.length */
	const uint8_t *encrypted; /* E flag: the body still to decrypt */
	size_t encrypted_len;
	const uint8_t *chain;     /* first payload of the (plaintext) chain */
	size_t chain_len;         /* through the end of the last payload, padding excluded */
	unsigned npayloads;
	struct isakmp_payload payloads[ISAKMP_MAX_PAYLOADS];
	int16_t first[256]; /* per payload type: index of the first one, -1 when none */
	uint16_t count[256];
	/* pools the decoded payloads point into */
	unsigned nprop, ntrans, nattr;
	struct isakmp_proposal prop_pool[ISAKMP_MAX_PROPOSALS];
	struct isakmp_transform trans_pool[ISAKMP_MAX_TRANSFORMS];
	struct isakmp_attr attr_pool[ISAKMP_MAX_ATTRS];
	/* where parsing stopped, for logs */
	size_t err_offset;
};

/* Read the fixed header of a datagram (no checks beyond its size). */
enum isakmp_perr isakmp_parse_hdr(const uint8_t *p, size_t len, struct isakmp_hdr *h);

/* Parse a whole message (header first). ISAKMP_PERR_ENCRYPTED when the E flag is set:
 * the header part of d is valid and d->encrypted is the body to decrypt. A fragment
 * message (first payload FRAG) is parsed as plaintext whatever its E flag says. */
enum isakmp_perr isakmp_parse(const uint8_t *msg, size_t len, struct isakmp_digest *d);

/* Parse the decrypted body of d's message (first payload type from d->hdr). Bytes after
 * the last payload are padding and ignored. The plaintext must outlive d. */
enum isakmp_perr isakmp_parse_body(struct isakmp_digest *d, const uint8_t *plain, size_t len);

/* Notify type to answer a parse error with, 0 to drop silently. */
uint16_t isakmp_perr_notify(enum isakmp_perr e);
const char *isakmp_perr_name(enum isakmp_perr e);

/* Payload lookup: the first of a type (NULL when none), the next of the same type. */
const struct isakmp_payload *isakmp_first(const struct isakmp_digest *d, uint8_t type);
const struct isakmp_payload *isakmp_next(const struct isakmp_digest *d,
					 const struct isakmp_payload *p);
unsigned isakmp_count(const struct isakmp_digest *d, uint8_t type);

/* Decode a payload body outside a message (the caller's own SA, a reassembled body...).
 * Attribute/proposal/transform storage comes from d's pools (d may be fresh from
 * isakmp_digest_init). */
void isakmp_digest_init(struct isakmp_digest *d);
enum isakmp_perr isakmp_decode_payload(struct isakmp_digest *d, uint8_t type,
				       const uint8_t *body, size_t len,
				       struct isakmp_payload *out);

/* Addresses of an ID payload: IPV4/IPV6_ADDR fill a; SUBNET fills a (address) and b
 * (mask); RANGE fills a (start) and b (end). Port and protocol are not set.
 * 0, or -EINVAL for other ID types. */
int isakmp_id_addrs(const struct isakmp_id *id, union sockaddr_any *a, union sockaddr_any *b);
/* Prefix length of a SUBNET ID's mask, -EINVAL when the mask is not contiguous. */
int isakmp_id_prefixlen(const struct isakmp_id *id);

#endif
