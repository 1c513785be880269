/* Unit tests: messages written by strongSwan's charon (IKEv1), from the Oakley oracle
 * fixtures of tests/oracle: its SA and ID bodies, the decrypted bodies of its Main or
 * Aggressive Mode authentication message, Quick Mode 1 and informational delete. Each
 * parses, decodes to the negotiated values, and our builder writes the same bytes again. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "isakmp/build.h"
#include "isakmp/digest.h"
#include "test_isakmp_samples.h"

static const char *const fixtures[] = {
	"mm-aes128-sha256-modp2048", "mm-3des-md5-modp1536-pfs", "mm-aes256-sha512-ecp384-pfs",
	"mm-aes256-sha256-ecp521", "am-aes192-sha1-modp1024-gcm", "am-aes128-sha384-ecp256-pfs",
	"mm-aes128-sha1-modp2048-rsa",
};
#define NFIX (sizeof(fixtures) / sizeof(fixtures[0]))

static struct isakmp_digest dg;
static char text[32768];

static void load(const char *name)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s.txt", ORACLE_DIR, name);
	FILE *f = fopen(path, "r");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	size_t n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = 0;
}

/* The value of "key VALUE" at the start of a line, NULL when absent. */
static const char *value(const char *key)
{
	size_t k = strlen(key);
	for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		if (strncmp(l, key, k) == 0 && l[k] == ' ')
			return l + k + 1;
	return NULL;
}

static long num(const char *key)
{
	const char *v = value(key);
	ck_assert_msg(v != NULL, "no %s", key);
	return strtol(v, NULL, 10);
}

static size_t bytes(const char *key, uint8_t *out, size_t cap)
{
	const char *v = value(key);
	size_t n = 0;
	ck_assert_msg(v != NULL, "no %s", key);
	for (; v[0] && v[0] != '\n' && v[1] && v[1] != '\n'; v += 2) {
		unsigned b;
		ck_assert(sscanf(v, "%2x", &b) == 1);
		ck_assert_uint_lt(n, cap);
		out[n++] = (uint8_t)b;
	}
	return n;
}

/* Our builder writes the parsed chain again; it must equal charon's bytes. */
static void rebuilds_same(const uint8_t *chain, size_t chain_len)
{
	struct buf r;
	buf_init(&r, 0);
	ck_assert_int_eq(sample_rebuild(&dg, &r), 0);
	ck_assert_uint_eq(r.len - ISAKMP_HDR_LEN, chain_len);
	ck_assert(memcmp(r.ptr + ISAKMP_HDR_LEN, chain, chain_len) == 0);
	buf_free(&r);
}

static void parse_plain(uint8_t first, const uint8_t *p, size_t n)
{
	isakmp_digest_init(&dg);
	dg.hdr.icookie[0] = 1;
	dg.hdr.version = ISAKMP_VERSION;
	dg.hdr.next_payload = first;
	enum isakmp_perr e = isakmp_parse_body(&dg, p, n);
	ck_assert_msg(e == ISAKMP_PERR_OK, "%s", isakmp_perr_name(e));
	rebuilds_same(p, dg.chain_len);
}

static uint16_t attr(const struct isakmp_transform *t, uint16_t type)
{
	const struct isakmp_attr *a = isakmp_attr_find(t->attrs, t->nattrs, type);
	ck_assert_msg(a != NULL, "attribute %u missing", type);
	uint64_t v;
	ck_assert(isakmp_attr_u64(a, &v));
	return (uint16_t)v;
}

START_TEST(phase1_sa_and_ids)
{
	static uint8_t b[4096];
	struct isakmp_payload p;
	load(fixtures[_i]);
	size_t n = bytes("sai_b", b, sizeof(b));
	isakmp_digest_init(&dg);
	ck_assert_int_eq(isakmp_decode_payload(&dg, ISAKMP_PT_SA, b, n, &p), ISAKMP_PERR_OK);
	ck_assert_uint_eq(p.u.sa.nproposals, 1);
	const struct isakmp_proposal *pr = &p.u.sa.proposals[0];
	ck_assert_uint_eq(pr->proto, ISAKMP_PROTO_ISAKMP);
	ck_assert_uint_ge(pr->ntransforms, 1);
	const struct isakmp_transform *t = &pr->transforms[0];
	ck_assert_uint_eq(t->id, ISAKMP_TRANS_KEY_IKE);
	ck_assert_uint_eq(attr(t, OAKLEY_ATTR_ENC), num("cipher"));
	ck_assert_uint_eq(attr(t, OAKLEY_ATTR_HASH), num("hash"));
	ck_assert_uint_eq(attr(t, OAKLEY_ATTR_GROUP_DESC), num("group"));
	ck_assert_uint_eq(attr(t, OAKLEY_ATTR_AUTH), num("auth"));
	if (num("cipher") == OAKLEY_ENC_AES)
		ck_assert_uint_eq(attr(t, OAKLEY_ATTR_KEY_LENGTH), num("keybits"));
	n = bytes("idii_b", b, sizeof(b));
	ck_assert_int_eq(isakmp_decode_payload(&dg, ISAKMP_PT_ID, b, n, &p), ISAKMP_PERR_OK);
	ck_assert_uint_eq(p.u.id.type, ISAKMP_ID_IPV4_ADDR);
	ck_assert_uint_eq(p.u.id.data[0], 198);
	n = bytes("idir_b", b, sizeof(b));
	ck_assert_int_eq(isakmp_decode_payload(&dg, ISAKMP_PT_ID, b, n, &p), ISAKMP_PERR_OK);
	ck_assert_uint_eq(p.u.id.len, 4);
}
END_TEST

START_TEST(phase1_auth_message)
{
	static uint8_t b[4096];
	load(fixtures[_i]);
	bool aggressive = strncmp(fixtures[_i], "am-", 3) == 0;
	size_t n = bytes("p1_msg_plain", b, sizeof(b));
	uint8_t hash[64];
	size_t hash_len = bytes("hash_i", hash, sizeof(hash));
	/* MM5 is ID [CERT] HASH|SIG [N]; AM3 is HASH [NAT-D NAT-D] */
	parse_plain(aggressive ? ISAKMP_PT_HASH : ISAKMP_PT_ID, b, n);
	ck_assert_uint_le(n - dg.chain_len, 16); /* only padding left */
	if (num("auth") == OAKLEY_AUTH_RSA_SIG) {
		static uint8_t sig[1024];
		size_t sig_len = bytes("sig_i", sig, sizeof(sig));
		ck_assert_uint_eq(isakmp_count(&dg, ISAKMP_PT_SIG), 1);
		const struct isakmp_payload *g = isakmp_first(&dg, ISAKMP_PT_SIG);
		ck_assert(g->len == sig_len && memcmp(g->body, sig, sig_len) == 0);
		for (const struct isakmp_payload *c = isakmp_first(&dg, ISAKMP_PT_CERT); c;
		     c = isakmp_next(&dg, c))
			ck_assert_uint_eq(c->u.cert.encoding, ISAKMP_CERT_X509_SIGN);
	} else {
		const struct isakmp_payload *h = isakmp_first(&dg, ISAKMP_PT_HASH);
		ck_assert_ptr_nonnull(h);
		ck_assert_uint_eq(h->len, hash_len);
		ck_assert(memcmp(h->body, hash, hash_len) == 0);
	}
	if (!aggressive) {
		ck_assert_uint_eq(isakmp_first(&dg, ISAKMP_PT_ID)->u.id.type, ISAKMP_ID_IPV4_ADDR);
		const struct isakmp_payload *nt = isakmp_first(&dg, ISAKMP_PT_N);
		ck_assert_ptr_nonnull(nt);
		ck_assert_uint_eq(nt->u.n.type, ISAKMP_N_INITIAL_CONTACT);
		ck_assert_uint_eq(nt->u.n.spi_len, 16);
	}
}
END_TEST

START_TEST(quick_mode_1)
{
	static uint8_t b[4096];
	uint8_t spi[4], hash[64];
	load(fixtures[_i]);
	size_t n = bytes("qm_msg_plain", b, sizeof(b));
	size_t hash_len = bytes("qm_hash1", hash, sizeof(hash));
	bytes("spi_r2i", spi, sizeof(spi));
	parse_plain(ISAKMP_PT_HASH, b, n);
	const struct isakmp_payload *h = &dg.payloads[0];
	ck_assert_uint_eq(h->type, ISAKMP_PT_HASH);
	ck_assert(h->len == hash_len && memcmp(h->body, hash, hash_len) == 0);
	/* what HASH(1) covers: everything after the HASH payload, padding excluded */
	uint8_t rest[4096];
	size_t rest_len = bytes("qm_rest1", rest, sizeof(rest));
	ck_assert_uint_eq((size_t)(dg.chain + dg.chain_len - (h->raw + h->raw_len)), rest_len);
	ck_assert(memcmp(h->raw + h->raw_len, rest, rest_len) == 0);
	const struct isakmp_sa *sa = &isakmp_first(&dg, ISAKMP_PT_SA)->u.sa;
	const struct isakmp_proposal *pr = &sa->proposals[0];
	ck_assert_uint_eq(pr->proto, ISAKMP_PROTO_IPSEC_ESP);
	ck_assert_uint_eq(pr->spi_len, 4);
	ck_assert(memcmp(pr->spi, spi, 4) == 0); /* the initiator's inbound SPI */
	const struct isakmp_transform *t = &pr->transforms[0];
	ck_assert_uint_eq(t->id, num("esp_enc"));
	if (num("esp_keybits")) /* none for 3DES */
		ck_assert_uint_eq(attr(t, IPSEC_ATTR_KEY_LENGTH), num("esp_keybits"));
	else
		ck_assert_ptr_null(isakmp_attr_find(t->attrs, t->nattrs, IPSEC_ATTR_KEY_LENGTH));
	if (num("esp_auth"))
		ck_assert_uint_eq(attr(t, IPSEC_ATTR_AUTH), num("esp_auth"));
	ck_assert_uint_eq(isakmp_count(&dg, ISAKMP_PT_NONCE), 1);
	ck_assert_uint_eq(isakmp_count(&dg, ISAKMP_PT_KE), value("qm_gxi") ? 1 : 0);
	for (const struct isakmp_payload *id = isakmp_first(&dg, ISAKMP_PT_ID); id;
	     id = isakmp_next(&dg, id)) { /* traffic selectors: addresses or subnets */
		union sockaddr_any a, m;
		ck_assert_int_eq(isakmp_id_addrs(&id->u.id, &a, &m), 0);
	}
	/* the same rest on its own, SA first */
	parse_plain(ISAKMP_PT_SA, rest, rest_len);
	ck_assert_uint_eq(dg.chain_len, rest_len);
}
END_TEST

START_TEST(informational_delete)
{
	uint8_t b[256], spi[4];
	load(fixtures[_i]);
	size_t n = bytes("info_rest", b, sizeof(b));
	parse_plain(ISAKMP_PT_D, b, n);
	ck_assert_uint_eq(dg.chain_len, n);
	const struct isakmp_delete *d = &isakmp_first(&dg, ISAKMP_PT_D)->u.d;
	ck_assert_uint_eq(d->proto, num("proto"));
	ck_assert_uint_eq(d->nspis, 1);
	ck_assert_uint_eq(d->spi_len, 4);
	bytes("spi_r2i", spi, sizeof(spi));
	uint8_t other[4];
	bytes("spi_i2r", other, sizeof(other));
	ck_assert(memcmp(d->spis, spi, 4) == 0 || memcmp(d->spis, other, 4) == 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("isakmp_interop");
	TCase *t = tcase_create("strongswan");
	tcase_add_loop_test(t, phase1_sa_and_ids, 0, NFIX);
	tcase_add_loop_test(t, phase1_auth_message, 0, NFIX);
	tcase_add_loop_test(t, quick_mode_1, 0, NFIX);
	tcase_add_loop_test(t, informational_delete, 0, NFIX);
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
