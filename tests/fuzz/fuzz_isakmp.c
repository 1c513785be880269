/* libFuzzer harness for the ISAKMP codec: the datagram parser (port 500 and, after the
 * NAT-T framing, port 4500), the decrypted-body parser and the printer. A message that
 * parses is rebuilt with the builder; the rebuild must parse and rebuild to the same
 * bytes and split into fragments that carry it whole (abort otherwise), so builder and
 * parser agree on every accepted input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "isakmp/digest.h"
#include "isakmp/frag.h"
#include "isakmp/natt.h"
#include "isakmp/print.h"
#include "../unit/test_isakmp_samples.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct isakmp_digest d1, d2;

static void sink(void *arg, const char *line)
{
	size_t *n = arg;
	*n += strlen(line);
}

/* Fragments of an accepted message parse and carry its bytes in order. */
struct reasm {
	uint8_t data[70000];
	size_t len;
};
static struct reasm reasm;

static int take_frag(void *arg, const uint8_t *p, size_t n)
{
	struct reasm *r = arg;
	if (isakmp_parse(p, n, &d2) != ISAKMP_PERR_OK || d2.npayloads != 1)
		abort();
	const struct isakmp_frag_pl *f = &d2.payloads[0].u.frag;
	if (r->len + f->len > sizeof(r->data))
		abort();
	memcpy(r->data + r->len, f->data, f->len);
	r->len += f->len;
	return 0;
}

static void split(const uint8_t *msg, size_t len)
{
	reasm.len = 0;
	int n = isakmp_fragment(msg, len, 200, 1, take_frag, &reasm);
	if (n > 0 && (reasm.len != len || memcmp(reasm.data, msg, len)))
		abort();
}

static void round_trip(void)
{
	struct buf r1, r2;
	size_t printed = 0;
	isakmp_print(&d1, true, sink, &printed);
	buf_init(&r1, 0);
	buf_init(&r2, 0);
	if (sample_rebuild(&d1, &r1) != 0)
		abort(); /* everything the parser accepts can be built */
	if (isakmp_parse(r1.ptr, r1.len, &d2) != ISAKMP_PERR_OK)
		abort();
	if (sample_rebuild(&d2, &r2) != 0 || r1.len != r2.len || memcmp(r1.ptr, r2.ptr, r1.len))
		abort();
	split(r1.ptr, r1.len);
	buf_free(&r1);
	buf_free(&r2);
}

static void parse_datagram(const uint8_t *p, size_t n)
{
	enum isakmp_perr e = isakmp_parse(p, n, &d1);
	if (e == ISAKMP_PERR_OK) {
		round_trip();
	} else if (e == ISAKMP_PERR_ENCRYPTED) {
		/* treat the ciphertext as if it were the plaintext */
		if (isakmp_parse_body(&d1, d1.encrypted, d1.encrypted_len) == ISAKMP_PERR_OK) {
			size_t printed = 0;
			isakmp_print(&d1, false, sink, &printed);
		}
	}
	(void)isakmp_perr_notify(e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *ike;
	size_t ike_len;
	parse_datagram(data, size);
	if (isakmp_natt_classify(data, size, &ike, &ike_len) == ISAKMP_NATT_IKE)
		parse_datagram(ike, ike_len);
	/* the input as a decrypted body whose first payload type is its first byte */
	if (size > 0) {
		isakmp_digest_init(&d1);
		d1.hdr.next_payload = data[0];
		if (isakmp_parse_body(&d1, data + 1, size - 1) == ISAKMP_PERR_OK) {
			size_t printed = 0;
			isakmp_print(&d1, true, sink, &printed);
		}
	}
	return 0;
}
