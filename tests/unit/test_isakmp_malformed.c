/* Unit tests: malformed ISAKMP messages, each refused with the status (and the notify
 * type the engine answers with) that RFC 2408 5 asks for. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "isakmp/build.h"
#include "isakmp/digest.h"

static struct isakmp_digest dg;

/* A header around a hex body (spaces ignored). */
struct row {
	const char *name;
	uint8_t np;        /* first payload */
	const char *body;  /* hex */
	int len_delta;     /* added to the header's length field */
	uint8_t version;   /* 0: 0x10 */
	uint8_t exchange;  /* 0: Main Mode */
	uint8_t flags;
	bool zero_cookie;
	enum isakmp_perr expect;
	uint16_t notify;
};

static const struct row rows[] = {
	/* header (RFC 2408 5.2) */
	{ "valid VID", 13, "00000005 aa", 0, 0, 0, 0, false, ISAKMP_PERR_OK, 0 },
	{ "header length past the datagram", 13, "00000005 aa", 1, 0, 0, 0, false,
	  ISAKMP_PERR_LENGTH, 30 },
	{ "header length short of the datagram", 13, "00000005 aa", -1, 0, 0, 0, false,
	  ISAKMP_PERR_LENGTH, 30 },
	{ "header length below the header", 0, "", -28, 0, 0, 0, false, ISAKMP_PERR_LENGTH, 30 },
	{ "zero initiator cookie", 13, "00000005 aa", 0, 0, 0, 0, true, ISAKMP_PERR_COOKIE, 4 },
	{ "IKEv2 version", 13, "00000005 aa", 0, 0x20, 0, 0, false,
	  ISAKMP_PERR_MAJOR_VERSION, 5 },
	{ "minor version 1", 13, "00000005 aa", 0, 0x11, 0, 0, false,
	  ISAKMP_PERR_MINOR_VERSION, 6 },
	{ "unknown exchange", 13, "00000005 aa", 0, 0, 7, 0, false, ISAKMP_PERR_EXCHANGE, 7 },
	{ "IKEv2 exchange", 13, "00000005 aa", 0, 0, 34 + 1, 0, false, ISAKMP_PERR_EXCHANGE, 7 },
	{ "undefined flag", 13, "00000005 aa", 0, 0, 0, 0x08, false, ISAKMP_PERR_FLAGS, 8 },
	{ "encrypted, no body", 0, "", 0, 0, 0, ISAKMP_FLAG_E, false, ISAKMP_PERR_MALFORMED, 16 },
	/* the payload chain */
	{ "unknown first payload", 99, "00000005 aa", 0, 0, 0, 0, false,
	  ISAKMP_PERR_PAYLOAD_TYPE, 1 },
	{ "proposal at top level", 2, "00000008 01010000", 0, 0, 0, 0, false,
	  ISAKMP_PERR_PAYLOAD_TYPE, 1 },
	{ "transform at top level", 3, "00000008 01010000", 0, 0, 0, 0, false,
	  ISAKMP_PERR_PAYLOAD_TYPE, 1 },
	{ "GDOI payload number", 17, "00000005 aa", 0, 0, 0, 0, false,
	  ISAKMP_PERR_PAYLOAD_TYPE, 1 },
	{ "unknown next payload", 13, "11000005 aa", 0, 0, 0, 0, false,
	  ISAKMP_PERR_PAYLOAD_TYPE, 1 },
	{ "first payload but no body", 13, "", 0, 0, 0, 0, false, ISAKMP_PERR_MALFORMED, 16 },
	{ "truncated generic header", 13, "0000", 0, 0, 0, 0, false, ISAKMP_PERR_MALFORMED, 16 },
	{ "zero-length payload", 13, "00000000", 0, 0, 0, 0, false, ISAKMP_PERR_MALFORMED, 16 },
	{ "zero-length payload looping on itself", 13, "0d000000 0d000000", 0, 0, 0, 0, false,
	  ISAKMP_PERR_MALFORMED, 16 },
	{ "payload length 3", 13, "0d000003 aa", 0, 0, 0, 0, false, ISAKMP_PERR_MALFORMED, 16 },
	{ "payload length past the end", 13, "00000010 aabb", 0, 0, 0, 0, false,
	  ISAKMP_PERR_MALFORMED, 16 },
	{ "next payload announced, none follows", 13, "0d000005 aa", 0, 0, 0, 0, false,
	  ISAKMP_PERR_MALFORMED, 16 },
	{ "bytes after the last payload", 13, "00000005 aa bb", 0, 0, 0, 0, false,
	  ISAKMP_PERR_MALFORMED, 16 },
	{ "empty VID", 13, "00000004", 0, 0, 0, 0, false, ISAKMP_PERR_MALFORMED, 16 },
	{ "empty HASH", 8, "00000004", 0, 0, 0, 0, false, ISAKMP_PERR_MALFORMED, 16 },
	{ "empty KE", 4, "00000004", 0, 0, 0, 0, false, ISAKMP_PERR_KEY, 17 },
	/* SA, proposals, transforms, attributes */
	{ "valid SA", 1, "0000001c 00000001 00000001 00000010 01010001 00000008 01010000", 0, 0, 0,
	  0, false, ISAKMP_PERR_OK, 0 },
	{ "SA shorter than DOI+situation", 1, "00000008 00000001", 0, 0, 0, 0, false,
	  ISAKMP_PERR_MALFORMED, 16 },
	{ "SA with DOI 2", 1, "0000000c 00000002 00000001", 0, 0, 0, 0, false, ISAKMP_PERR_DOI, 2 },
	{ "SA with secrecy situation", 1, "0000000c 00000001 00000002", 0, 0, 0, 0, false,
	  ISAKMP_PERR_SITUATION, 3 },
	{ "SA without proposals", 1, "0000000c 00000001 00000001", 0, 0, 0, 0, false,
	  ISAKMP_PERR_PROPOSAL, 15 },
	{ "proposal protocol 9", 1, "00000014 00000001 00000001 00000008 01090000", 0, 0, 0, 0,
	  false, ISAKMP_PERR_PROTOCOL, 10 },
	{ "ESP SPI of 3 bytes", 1, "00000017 00000001 00000001 0000000b 01030301 aabbcc", 0, 0, 0,
	  0, false, ISAKMP_PERR_SPI, 11 },
	{ "IPComp CPI of 3 bytes", 1, "00000017 00000001 00000001 0000000b 01040301 aabbcc", 0, 0,
	  0, 0, false, ISAKMP_PERR_SPI, 11 },
	{ "ISAKMP SPI of 17 bytes", 1,
	  "00000025 00000001 00000001 00000019 01011101 000102030405060708090a0b0c0d0e0f10", 0, 0,
	  0, 0, false, ISAKMP_PERR_SPI, 11 },
	{ "SPI longer than the proposal", 1, "00000014 00000001 00000001 00000008 01030401", 0, 0,
	  0, 0, false, ISAKMP_PERR_MALFORMED, 16 },
	{ "proposal without transforms", 1, "00000014 00000001 00000001 00000008 01010000", 0, 0, 0,
	  0, false, ISAKMP_PERR_PROPOSAL, 15 },
	{ "transform count 2, one transform", 1,
	  "0000001c 00000001 00000001 00000010 01010002 00000008 01010000", 0, 0, 0, 0, false,
	  ISAKMP_PERR_PROPOSAL, 15 },
	{ "transform count 1, two transforms", 1,
	  "00000024 00000001 00000001 00000018 01010001 03000008 01010000 00000008 02010000", 0, 0,
	  0, 0, false, ISAKMP_PERR_PROPOSAL, 15 },
	{ "transform announces another, none follows", 1,
	  "0000001c 00000001 00000001 00000010 01010001 03000008 01010000", 0, 0, 0, 0, false,
	  ISAKMP_PERR_MALFORMED, 16 },
	{ "transform next field 5", 1,
	  "0000001c 00000001 00000001 00000010 01010001 05000008 01010000", 0, 0, 0, 0, false,
	  ISAKMP_PERR_PROPOSAL, 15 },
	{ "proposal next field 5", 1,
	  "0000001c 00000001 00000001 05000010 01010001 00000008 01010000", 0, 0, 0, 0, false,
	  ISAKMP_PERR_PROPOSAL, 15 },
	{ "proposal numbers decreasing", 1,
	  "0000002c 00000001 00000001 02000010 02010001 00000008 01010000"
	  " 00000010 01010001 00000008 01010000", 0, 0, 0, 0, false, ISAKMP_PERR_PROPOSAL, 15 },
	{ "proposal length past the SA", 1, "00000014 00000001 00000001 00000020 01010001", 0, 0,
	  0, 0, false, ISAKMP_PERR_MALFORMED, 16 },
	{ "proposal length 7", 1, "00000014 00000001 00000001 00000007 01010001", 0, 0, 0, 0,
	  false, ISAKMP_PERR_MALFORMED, 16 },
	{ "zero-length proposal", 1, "00000014 00000001 00000001 02000000 01010001", 0, 0, 0, 0,
	  false, ISAKMP_PERR_MALFORMED, 16 },
	{ "bytes after the last proposal", 1,
	  "0000001e 00000001 00000001 00000010 01010001 00000008 01010000 aabb", 0, 0, 0, 0, false,
	  ISAKMP_PERR_MALFORMED, 16 },
	{ "transform length 7", 1, "0000001b 00000001 00000001 0000000f 01010001 00000007 010100",
	  0, 0, 0, 0, false, ISAKMP_PERR_MALFORMED, 16 },
	{ "zero-length transform", 1,
	  "0000001c 00000001 00000001 00000010 01010001 03000000 01010000", 0, 0, 0, 0, false,
	  ISAKMP_PERR_MALFORMED, 16 },
	{ "attribute length past the transform", 1,
	  "00000021 00000001 00000001 00000015 01010001 0000000d 01010000 00010010 aa", 0, 0, 0, 0,
	  false, ISAKMP_PERR_ATTR, 16 },
	{ "attribute length 0xffff", 1,
	  "00000021 00000001 00000001 00000015 01010001 0000000d 01010000 0001ffff aa", 0, 0, 0, 0,
	  false, ISAKMP_PERR_ATTR, 16 },
	{ "stray attribute bytes", 1,
	  "0000001e 00000001 00000001 00000012 01010001 0000000a 01010000 8001", 0, 0, 0, 0, false,
	  ISAKMP_PERR_ATTR, 16 },
	/* ID */
	{ "IPv4 ID of 5 bytes", 5, "0000000d 01000000 c000020101", 0, 0, 0, 0, false,
	  ISAKMP_PERR_ID, 18 },
	{ "IPv6 subnet ID of 16 bytes", 5,
	  "00000018 06000000 20010db8000000000000000000000000", 0, 0, 0, 0, false, ISAKMP_PERR_ID,
	  18 },
	{ "IPv4 range ID of 4 bytes", 5, "0000000c 07000000 c0000201", 0, 0, 0, 0, false,
	  ISAKMP_PERR_ID, 18 },
	{ "ID type 99", 5, "0000000c 63000000 61626364", 0, 0, 0, 0, false, ISAKMP_PERR_ID, 18 },
	{ "empty FQDN", 5, "00000008 02000000", 0, 0, 0, 0, false, ISAKMP_PERR_ID, 18 },
	{ "ID without type fields", 5, "00000006 0100", 0, 0, 0, 0, false, ISAKMP_PERR_MALFORMED,
	  16 },
	/* N, D */
	{ "notify SPI past the end", 11, "0000000c 00000001 01106002", 0, 0, 0, 0, false,
	  ISAKMP_PERR_MALFORMED, 16 },
	{ "notify DOI 7", 11, "0000000c 00000007 01006002", 0, 0, 0, 0, false, ISAKMP_PERR_DOI,
	  2 },
	{ "notify SPI of 17 bytes", 11,
	  "0000001d 00000001 01116002 000102030405060708090a0b0c0d0e0f10", 0, 0, 0, 0, false,
	  ISAKMP_PERR_SPI, 11 },
	{ "delete count disagrees with SPIs", 12, "00000010 00000001 03040002 aabbccdd", 0, 0, 0, 0,
	  false, ISAKMP_PERR_MALFORMED, 16 },
	{ "delete SPI size 0", 12, "0000000c 00000001 03000001", 0, 0, 0, 0, false,
	  ISAKMP_PERR_SPI, 11 },
	{ "delete with no SPIs", 12, "0000000c 00000001 03040000", 0, 0, 0, 0, false,
	  ISAKMP_PERR_MALFORMED, 16 },
	{ "delete SPI count overflow", 12, "00000010 00000001 0310ffff aabbccdd", 0, 0, 0, 0, false,
	  ISAKMP_PERR_MALFORMED, 16 },
	/* NAT-OA, ATTR, FRAG */
	{ "NAT-OA with FQDN type", 21, "0000000c 02000000 c0000201", 0, 0, 0, 0, false,
	  ISAKMP_PERR_MALFORMED, 16 },
	{ "NAT-OA IPv4 with 16 bytes", 131,
	  "00000018 01000000 00000000000000000000000000000000", 0, 0, 0, 0, false,
	  ISAKMP_PERR_MALFORMED, 16 },
	{ "NAT-OA IPv6 with 4 bytes", 21, "0000000c 05000000 c0000201", 0, 0, 0, 0, false,
	  ISAKMP_PERR_MALFORMED, 16 },
	{ "mode-cfg attribute past the end", 14, "0000000c 01000000 00010008", 0, 0, 6, 0, false,
	  ISAKMP_PERR_ATTR, 16 },
	{ "mode-cfg header cut", 14, "00000006 0100", 0, 0, 6, 0, false, ISAKMP_PERR_MALFORMED,
	  16 },
	{ "fragment number 0", 132, "00000009 00010001 aa", 0, 0, 0, 0, false,
	  ISAKMP_PERR_MALFORMED, 16 },
	{ "fragment without data", 132, "00000008 00010101", 0, 0, 0, 0, false,
	  ISAKMP_PERR_MALFORMED, 16 },
	{ "cert without encoding", 6, "00000004", 0, 0, 0, 0, false, ISAKMP_PERR_MALFORMED, 16 },
};

static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;
	for (; *s; s++) {
		int v;
		if (*s >= '0' && *s <= '9')
			v = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			v = *s - 'a' + 10;
		else
			continue;
		if (hi < 0) {
			hi = v;
		} else {
			ck_assert_uint_lt(n, cap);
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	ck_assert_int_eq(hi, -1);
	return n;
}

static size_t make_msg(const struct row *r, uint8_t *m, size_t cap)
{
	size_t n = unhex(r->body, m + ISAKMP_HDR_LEN, cap - ISAKMP_HDR_LEN) + ISAKMP_HDR_LEN;
	uint32_t len = (uint32_t)((int)n + r->len_delta);
	memset(m, 0, ISAKMP_HDR_LEN);
	if (!r->zero_cookie)
		m[0] = 0x11;
	m[16] = r->np;
	m[17] = r->version ? r->version : ISAKMP_VERSION;
	m[18] = r->exchange ? r->exchange : ISAKMP_EXCH_IDENT;
	m[19] = r->flags;
	m[24] = (uint8_t)(len >> 24);
	m[25] = (uint8_t)(len >> 16);
	m[26] = (uint8_t)(len >> 8);
	m[27] = (uint8_t)len;
	return n;
}

START_TEST(table)
{
	const struct row *r = &rows[_i];
	uint8_t m[512];
	size_t n = make_msg(r, m, sizeof(m));
	/* exact-size copy so ASan sees any read past the end */
	uint8_t *exact = malloc(n);
	memcpy(exact, m, n);
	enum isakmp_perr e = isakmp_parse(exact, n, &dg);
	ck_assert_msg(e == r->expect, "%s: got '%s', want '%s'", r->name, isakmp_perr_name(e),
		      isakmp_perr_name(r->expect));
	ck_assert_msg(isakmp_perr_notify(e) == r->notify, "%s: notify %u", r->name,
		      isakmp_perr_notify(e));
	/* the same body, decrypted, fails the same way (padding aside) */
	if (r->expect >= ISAKMP_PERR_PAYLOAD_TYPE && r->expect != ISAKMP_PERR_ENCRYPTED &&
	    r->flags == 0 && strcmp(r->name, "bytes after the last payload") != 0) {
		isakmp_digest_init(&dg);
		dg.hdr.next_payload = r->np;
		ck_assert_int_eq(isakmp_parse_body(&dg, exact + ISAKMP_HDR_LEN,
						   n - ISAKMP_HDR_LEN), r->expect);
	}
	free(exact);
}
END_TEST

START_TEST(short_datagrams)
{
	uint8_t m[ISAKMP_HDR_LEN] = { 1 };
	for (size_t n = 0; n < ISAKMP_HDR_LEN; n++) {
		ck_assert_int_eq(isakmp_parse(m, n, &dg), ISAKMP_PERR_SHORT);
		ck_assert_uint_eq(isakmp_perr_notify(ISAKMP_PERR_SHORT), 0);
	}
	ck_assert_int_eq(isakmp_parse(NULL, 100, &dg), ISAKMP_PERR_SHORT);
}
END_TEST

/* Caps: a chain of 65 payloads, 65 proposals, 129 transforms, 513 attributes. */
static enum isakmp_perr parse_built(struct buf *m)
{
	return isakmp_parse(m->ptr, m->len, &dg);
}

START_TEST(too_many_payloads)
{
	struct buf m;
	struct isakmp_builder b;
	struct isakmp_hdr h = { .icookie = { 1 }, .exchange = ISAKMP_EXCH_IDENT };
	buf_init(&m, 0);
	isakmp_build_init(&b, &m, &h);
	for (int i = 0; i < ISAKMP_MAX_PAYLOADS; i++)
		isakmp_build_data(&b, ISAKMP_PT_VID, "v", 1);
	ck_assert_int_eq(isakmp_build_finish(&b), 0);
	ck_assert_int_eq(parse_built(&m), ISAKMP_PERR_OK);
	ck_assert_uint_eq(dg.npayloads, ISAKMP_MAX_PAYLOADS);
	buf_reset(&m);
	isakmp_build_init(&b, &m, &h);
	for (int i = 0; i <= ISAKMP_MAX_PAYLOADS; i++)
		isakmp_build_data(&b, ISAKMP_PT_VID, "v", 1);
	ck_assert_int_eq(isakmp_build_finish(&b), 0);
	ck_assert_int_eq(parse_built(&m), ISAKMP_PERR_TOO_MANY);
	ck_assert_uint_eq(isakmp_perr_notify(ISAKMP_PERR_TOO_MANY), ISAKMP_N_PAYLOAD_MALFORMED);
	buf_free(&m);
}
END_TEST

START_TEST(too_many_proposals_transforms_attrs)
{
	struct buf m;
	struct isakmp_builder b;
	struct isakmp_hdr h = { .icookie = { 1 }, .exchange = ISAKMP_EXCH_IDENT };
	buf_init(&m, 0);
	isakmp_build_init(&b, &m, &h);
	isakmp_build_sa_begin(&b, 1, 1);
	for (int i = 0; i <= ISAKMP_MAX_PROPOSALS; i++) {
		isakmp_build_proposal_begin(&b, (uint8_t)i, ISAKMP_PROTO_ISAKMP, NULL, 0);
		isakmp_build_transform_begin(&b, 1, 1);
	}
	ck_assert_int_eq(isakmp_build_finish(&b), 0);
	ck_assert_int_eq(parse_built(&m), ISAKMP_PERR_TOO_MANY);

	buf_reset(&m);
	isakmp_build_init(&b, &m, &h);
	isakmp_build_sa_begin(&b, 1, 1);
	isakmp_build_proposal_begin(&b, 1, ISAKMP_PROTO_ISAKMP, NULL, 0);
	for (int i = 0; i <= ISAKMP_MAX_TRANSFORMS; i++)
		isakmp_build_transform_begin(&b, (uint8_t)i, 1);
	ck_assert_int_eq(isakmp_build_finish(&b), 0);
	ck_assert_int_eq(parse_built(&m), ISAKMP_PERR_TOO_MANY);

	buf_reset(&m);
	isakmp_build_init(&b, &m, &h);
	isakmp_build_sa_begin(&b, 1, 1);
	isakmp_build_proposal_begin(&b, 1, ISAKMP_PROTO_ISAKMP, NULL, 0);
	isakmp_build_transform_begin(&b, 1, 1);
	for (int i = 0; i < ISAKMP_MAX_ATTRS; i++)
		isakmp_build_attr_tv(&b, 1, 1);
	ck_assert_int_eq(isakmp_build_finish(&b), 0);
	ck_assert_int_eq(parse_built(&m), ISAKMP_PERR_OK);
	buf_reset(&m);
	isakmp_build_init(&b, &m, &h);
	isakmp_build_sa_begin(&b, 1, 1);
	isakmp_build_proposal_begin(&b, 1, ISAKMP_PROTO_ISAKMP, NULL, 0);
	isakmp_build_transform_begin(&b, 1, 1);
	for (int i = 0; i <= ISAKMP_MAX_ATTRS; i++)
		isakmp_build_attr_tv(&b, 1, 1);
	ck_assert_int_eq(isakmp_build_finish(&b), 0);
	ck_assert_int_eq(parse_built(&m), ISAKMP_PERR_TOO_MANY);
	buf_free(&m);
}
END_TEST

/* Decrypted bodies may end in padding; plaintext messages may not. */
START_TEST(padding_only_when_decrypted)
{
	uint8_t body[] = { 0x00, 0x00, 0x00, 0x05, 0xaa, 0x00, 0x00, 0x03 };
	isakmp_digest_init(&dg);
	dg.hdr.next_payload = ISAKMP_PT_VID;
	ck_assert_int_eq(isakmp_parse_body(&dg, body, sizeof(body)), ISAKMP_PERR_OK);
	ck_assert_uint_eq(dg.chain_len, 5);
	ck_assert_int_eq(isakmp_parse_body(&dg, NULL, 8), ISAKMP_PERR_MALFORMED);
	dg.hdr.next_payload = ISAKMP_PT_NONE;
	ck_assert_int_eq(isakmp_parse_body(&dg, body, sizeof(body)), ISAKMP_PERR_OK);
	ck_assert_uint_eq(dg.npayloads, 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("isakmp_malformed");
	TCase *t = tcase_create("malformed");
	tcase_add_loop_test(t, table, 0, sizeof(rows) / sizeof(rows[0]));
	tcase_add_test(t, short_datagrams);
	tcase_add_test(t, too_many_payloads);
	tcase_add_test(t, too_many_proposals_transforms_attrs);
	tcase_add_test(t, padding_only_when_decrypted);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(suite());
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
