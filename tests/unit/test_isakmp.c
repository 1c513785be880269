/* Unit tests: isakmp codec round trips, builder, names, NAT-T framing, printer. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "isakmp/build.h"
#include "isakmp/digest.h"
#include "isakmp/frag.h"
#include "isakmp/names.h"
#include "isakmp/natt.h"
#include "isakmp/print.h"
#include "test_isakmp_samples.h"

static struct isakmp_digest dg, dg2; /* big: keep off the stack */

static void build_sample(enum sample s, struct buf *out)
{
	buf_init(out, 0);
	ck_assert_int_eq(sample_build(s, out), 0);
}

/* Every sample parses, and building it again from the digest gives the same bytes. */
START_TEST(samples_round_trip)
{
	for (int s = 0; s < S_COUNT; s++) {
		struct buf m, r;
		build_sample(s, &m);
		enum isakmp_perr e = isakmp_parse(m.ptr, m.len, &dg);
		ck_assert_msg(e == ISAKMP_PERR_OK, "%s: %s", sample_name(s), isakmp_perr_name(e));
		ck_assert_uint_eq(dg.msg_len, m.len);
		ck_assert_uint_eq(dg.chain_len, m.len - ISAKMP_HDR_LEN);
		buf_init(&r, 0);
		ck_assert_int_eq(sample_rebuild(&dg, &r), 0);
		ck_assert_msg(r.len == m.len && memcmp(r.ptr, m.ptr, m.len) == 0, "%s differs",
			      sample_name(s));
		buf_free(&r);
		buf_free(&m);
	}
}
END_TEST

START_TEST(header_fields)
{
	struct buf m;
	build_sample(S_QM1, &m);
	ck_assert_int_eq(isakmp_parse(m.ptr, m.len, &dg), ISAKMP_PERR_OK);
	ck_assert_uint_eq(dg.hdr.exchange, ISAKMP_EXCH_QUICK);
	ck_assert_uint_eq(dg.hdr.msgid, 0x12345678);
	ck_assert_uint_eq(dg.hdr.version, 0x10);
	ck_assert_uint_eq(dg.hdr.next_payload, ISAKMP_PT_HASH);
	ck_assert_uint_eq(dg.hdr.length, m.len);
	ck_assert_uint_eq(dg.hdr.icookie[0], 1);
	ck_assert_uint_eq(dg.hdr.rcookie[7], 0xa8);
	/* payload order and per-type lists */
	static const uint8_t order[] = { ISAKMP_PT_HASH, ISAKMP_PT_SA, ISAKMP_PT_NONCE,
					 ISAKMP_PT_KE, ISAKMP_PT_ID, ISAKMP_PT_ID,
					 ISAKMP_PT_NATOA, ISAKMP_PT_NATOA_DRAFT };
	ck_assert_uint_eq(dg.npayloads, sizeof(order));
	for (unsigned i = 0; i < sizeof(order); i++)
		ck_assert_uint_eq(dg.payloads[i].type, order[i]);
	ck_assert_uint_eq(isakmp_count(&dg, ISAKMP_PT_ID), 2);
	const struct isakmp_payload *id = isakmp_first(&dg, ISAKMP_PT_ID);
	ck_assert_ptr_eq(id, &dg.payloads[4]);
	ck_assert_ptr_eq(isakmp_next(&dg, id), &dg.payloads[5]);
	ck_assert_ptr_null(isakmp_next(&dg, isakmp_next(&dg, id)));
	ck_assert_ptr_null(isakmp_first(&dg, ISAKMP_PT_CERT));
	/* raw covers the generic header, body does not */
	const struct isakmp_payload *h = isakmp_first(&dg, ISAKMP_PT_HASH);
	ck_assert_ptr_eq(h->raw, m.ptr + ISAKMP_HDR_LEN);
	ck_assert_uint_eq(h->raw_len, 24);
	ck_assert_uint_eq(h->len, 20);
	ck_assert_uint_eq(h->next_type, ISAKMP_PT_SA);
	buf_free(&m);
}
END_TEST

START_TEST(sa_phase1_decoded)
{
	struct buf m;
	uint64_t v;
	build_sample(S_MM1, &m);
	ck_assert_int_eq(isakmp_parse(m.ptr, m.len, &dg), ISAKMP_PERR_OK);
	const struct isakmp_sa *sa = &isakmp_first(&dg, ISAKMP_PT_SA)->u.sa;
	ck_assert_uint_eq(sa->doi, ISAKMP_DOI_IPSEC);
	ck_assert_uint_eq(sa->situation, ISAKMP_SIT_IDENTITY_ONLY);
	ck_assert_uint_eq(sa->nproposals, 1);
	const struct isakmp_proposal *p = &sa->proposals[0];
	ck_assert_uint_eq(p->proto, ISAKMP_PROTO_ISAKMP);
	ck_assert_uint_eq(p->spi_len, 0);
	ck_assert_uint_eq(p->ntransforms, 3);
	const struct isakmp_transform *t = &p->transforms[0];
	ck_assert_uint_eq(t->num, 1);
	ck_assert_uint_eq(t->id, ISAKMP_TRANS_KEY_IKE);
	ck_assert_uint_eq(t->nattrs, 7);
	const struct isakmp_attr *a = isakmp_attr_find(t->attrs, t->nattrs, OAKLEY_ATTR_KEY_LENGTH);
	ck_assert_ptr_nonnull(a);
	ck_assert(a->tv);
	ck_assert_uint_eq(a->value, 256);
	a = isakmp_attr_find(t->attrs, t->nattrs, OAKLEY_ATTR_LIFE_DURATION);
	ck_assert(isakmp_attr_u64(a, &v));
	ck_assert_uint_eq(v, 28800);
	/* a duration past 16 bits travels as a 4-byte TLV */
	t = &p->transforms[1];
	a = isakmp_attr_find(t->attrs, t->nattrs, OAKLEY_ATTR_LIFE_DURATION);
	ck_assert(!a->tv);
	ck_assert_uint_eq(a->len, 4);
	ck_assert(isakmp_attr_u64(a, &v));
	ck_assert_uint_eq(v, 172800);
	ck_assert_ptr_null(isakmp_attr_find(t->attrs, t->nattrs, OAKLEY_ATTR_KEY_LENGTH));
	a = isakmp_attr_find(p->transforms[2].attrs, p->transforms[2].nattrs, OAKLEY_ATTR_AUTH);
	ck_assert_uint_eq(a->value, OAKLEY_AUTH_XAUTH_PSK_I);
	/* transform raw spans its own header */
	ck_assert_uint_eq(p->transforms[0].raw[0], ISAKMP_PT_T);
	ck_assert_uint_eq(p->transforms[2].raw[0], ISAKMP_PT_NONE);
	ck_assert_uint_eq(isakmp_count(&dg, ISAKMP_PT_VID), 3);
	buf_free(&m);
}
END_TEST

START_TEST(sa_phase2_decoded)
{
	struct buf m;
	uint64_t v;
	build_sample(S_QM1, &m);
	ck_assert_int_eq(isakmp_parse(m.ptr, m.len, &dg), ISAKMP_PERR_OK);
	const struct isakmp_sa *sa = &isakmp_first(&dg, ISAKMP_PT_SA)->u.sa;
	ck_assert_uint_eq(sa->nproposals, 3);
	ck_assert_uint_eq(sa->proposals[0].proto, ISAKMP_PROTO_IPSEC_ESP);
	ck_assert_uint_eq(sa->proposals[0].spi_len, 4);
	ck_assert_uint_eq(sa->proposals[0].spi[0], 0xc0);
	ck_assert_uint_eq(sa->proposals[0].transforms[0].id, ISAKMP_ESP_AES_GCM_16);
	ck_assert_uint_eq(sa->proposals[1].num, 1); /* ESP and IPComp AND-ed */
	ck_assert_uint_eq(sa->proposals[1].proto, ISAKMP_PROTO_IPCOMP);
	ck_assert_uint_eq(sa->proposals[1].spi_len, 2);
	ck_assert_uint_eq(sa->proposals[2].proto, ISAKMP_PROTO_IPSEC_AH);
	const struct isakmp_transform *t = &sa->proposals[0].transforms[1];
	ck_assert_uint_eq(t->id, ISAKMP_ESP_AES);
	ck_assert_uint_eq(isakmp_attr_find(t->attrs, t->nattrs, IPSEC_ATTR_ENCAP_MODE)->value,
			  IPSEC_ENCAP_UDP_TUNNEL_DRAFT);
	ck_assert(isakmp_attr_u64(isakmp_attr_find(t->attrs, t->nattrs,
						   IPSEC_ATTR_SA_LIFE_DURATION), &v));
	ck_assert_uint_eq(v, 4608000);
	buf_free(&m);
}
END_TEST

START_TEST(ids_and_natoa)
{
	struct buf m;
	union sockaddr_any a, b;
	char s[ADDR_STRLEN];
	build_sample(S_QM1, &m);
	ck_assert_int_eq(isakmp_parse(m.ptr, m.len, &dg), ISAKMP_PERR_OK);
	const struct isakmp_payload *p = isakmp_first(&dg, ISAKMP_PT_ID);
	ck_assert_uint_eq(p->u.id.type, ISAKMP_ID_IPV4_ADDR_SUBNET);
	ck_assert_int_eq(isakmp_id_addrs(&p->u.id, &a, &b), 0);
	ck_assert_str_eq(addr_ntop(&a, s), "198.51.100.0"); /* masked by the builder */
	ck_assert_str_eq(addr_ntop(&b, s), "255.255.255.0");
	ck_assert_int_eq(isakmp_id_prefixlen(&p->u.id), 24);
	p = isakmp_next(&dg, p);
	ck_assert_uint_eq(p->u.id.type, ISAKMP_ID_IPV6_ADDR_SUBNET);
	ck_assert_int_eq(isakmp_id_prefixlen(&p->u.id), 48);
	ck_assert_int_eq(isakmp_id_addrs(&p->u.id, &a, &b), 0);
	ck_assert_str_eq(addr_ntop(&a, s), "2001:db8:1::");
	p = isakmp_first(&dg, ISAKMP_PT_NATOA);
	ck_assert_str_eq(addr_ntop(&p->u.natoa.addr, s), "203.0.113.5");
	p = isakmp_first(&dg, ISAKMP_PT_NATOA_DRAFT);
	ck_assert_uint_eq(p->u.natoa.id_type, ISAKMP_ID_IPV6_ADDR);
	ck_assert_str_eq(addr_ntop(&p->u.natoa.addr, s), "2001:db8::5");
	buf_free(&m);

	build_sample(S_QM2, &m);
	ck_assert_int_eq(isakmp_parse(m.ptr, m.len, &dg), ISAKMP_PERR_OK);
	p = isakmp_first(&dg, ISAKMP_PT_ID);
	ck_assert_uint_eq(p->u.id.type, ISAKMP_ID_IPV4_ADDR_RANGE);
	ck_assert_uint_eq(p->u.id.protocol, 6);
	ck_assert_uint_eq(p->u.id.port, 80);
	ck_assert_int_eq(isakmp_id_addrs(&p->u.id, &a, &b), 0);
	ck_assert_str_eq(addr_ntop(&b, s), "198.51.100.20");
	ck_assert_int_eq(isakmp_id_prefixlen(&p->u.id), -EINVAL);
	p = isakmp_next(&dg, p);
	ck_assert_uint_eq(p->u.id.type, ISAKMP_ID_IPV6_ADDR_RANGE);
	ck_assert_int_eq(isakmp_id_addrs(&p->u.id, &a, &b), 0);
	ck_assert_str_eq(addr_ntop(&a, s), "2001:db8::10");
	p = isakmp_first(&dg, ISAKMP_PT_N);
	ck_assert_uint_eq(p->u.n.type, ISAKMP_N_RESPONDER_LIFETIME);
	ck_assert_uint_eq(p->u.n.spi_len, 4);
	ck_assert_uint_eq(p->u.n.len, 12);
	buf_free(&m);

	build_sample(S_MM5, &m);
	ck_assert_int_eq(isakmp_parse(m.ptr, m.len, &dg), ISAKMP_PERR_OK);
	p = isakmp_first(&dg, ISAKMP_PT_ID);
	ck_assert_uint_eq(p->u.id.type, ISAKMP_ID_FQDN);
	ck_assert_uint_eq(p->u.id.len, 15);
	ck_assert(memcmp(p->u.id.data, "vpn.example.org", 15) == 0);
	ck_assert_int_eq(isakmp_id_addrs(&p->u.id, &a, &b), -EINVAL);
	p = isakmp_first(&dg, ISAKMP_PT_CERT);
	ck_assert_uint_eq(p->u.cert.encoding, ISAKMP_CERT_X509_SIGN);
	ck_assert_uint_eq(p->u.cert.len, 300);
	p = isakmp_first(&dg, ISAKMP_PT_N);
	ck_assert_uint_eq(p->u.n.type, ISAKMP_N_INITIAL_CONTACT);
	ck_assert_uint_eq(p->u.n.spi_len, 16);
	ck_assert_uint_eq(isakmp_first(&dg, ISAKMP_PT_SIG)->len, 256);
	buf_free(&m);
}
END_TEST

START_TEST(every_id_type)
{
	static const struct { uint8_t type; size_t len; } rows[] = {
		{ ISAKMP_ID_IPV4_ADDR, 4 }, { ISAKMP_ID_FQDN, 9 }, { ISAKMP_ID_USER_FQDN, 11 },
		{ ISAKMP_ID_IPV4_ADDR_SUBNET, 8 }, { ISAKMP_ID_IPV6_ADDR, 16 },
		{ ISAKMP_ID_IPV6_ADDR_SUBNET, 32 }, { ISAKMP_ID_IPV4_ADDR_RANGE, 8 },
		{ ISAKMP_ID_IPV6_ADDR_RANGE, 32 }, { ISAKMP_ID_DER_ASN1_DN, 40 },
		{ ISAKMP_ID_DER_ASN1_GN, 12 }, { ISAKMP_ID_KEY_ID, 5 }, { ISAKMP_ID_LIST, 3 },
	};
	uint8_t data[40];
	memset(data, 0xff, sizeof(data));
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct buf m;
		struct isakmp_builder b;
		struct isakmp_hdr h = { .icookie = { 1 }, .exchange = ISAKMP_EXCH_IDENT };
		buf_init(&m, 0);
		isakmp_build_init(&b, &m, &h);
		isakmp_build_id(&b, rows[i].type, 17, 4500, data, rows[i].len);
		ck_assert_int_eq(isakmp_build_finish(&b), 0);
		ck_assert_int_eq(isakmp_parse(m.ptr, m.len, &dg), ISAKMP_PERR_OK);
		const struct isakmp_id *id = &isakmp_first(&dg, ISAKMP_PT_ID)->u.id;
		ck_assert_uint_eq(id->type, rows[i].type);
		ck_assert_uint_eq(id->port, 4500);
		ck_assert_uint_eq(id->len, rows[i].len);
		buf_free(&m);
	}
}
END_TEST

START_TEST(other_payloads)
{
	struct buf m;
	build_sample(S_INFO_DELETE, &m);
	ck_assert_int_eq(isakmp_parse(m.ptr, m.len, &dg), ISAKMP_PERR_OK);
	const struct isakmp_payload *p = isakmp_first(&dg, ISAKMP_PT_D);
	ck_assert_uint_eq(p->u.d.proto, ISAKMP_PROTO_IPSEC_ESP);
	ck_assert_uint_eq(p->u.d.nspis, 2);
	ck_assert_uint_eq(p->u.d.spis[4], 0xc0);
	p = isakmp_next(&dg, p);
	ck_assert_uint_eq(p->u.d.spi_len, 16);
	buf_free(&m);

	build_sample(S_INFO_DPD, &m);
	ck_assert_int_eq(isakmp_parse(m.ptr, m.len, &dg), ISAKMP_PERR_OK);
	p = isakmp_first(&dg, ISAKMP_PT_N);
	ck_assert_uint_eq(p->u.n.type, ISAKMP_N_R_U_THERE);
	ck_assert_uint_eq(p->u.n.len, 4);
	ck_assert_uint_eq(p->u.n.data[3], 0x39);
	buf_free(&m);

	build_sample(S_CFG, &m);
	ck_assert_int_eq(isakmp_parse(m.ptr, m.len, &dg), ISAKMP_PERR_OK);
	p = isakmp_first(&dg, ISAKMP_PT_ATTR);
	ck_assert_uint_eq(p->u.cfg.type, ISAKMP_CFG_REQUEST);
	ck_assert_uint_eq(p->u.cfg.identifier, 0x1234);
	ck_assert_uint_eq(p->u.cfg.nattrs, 9);
	const struct isakmp_attr *a = isakmp_attr_find(p->u.cfg.attrs, p->u.cfg.nattrs,
						       XAUTH_USER_NAME);
	ck_assert_uint_eq(a->len, 5);
	ck_assert(memcmp(a->data, "alice", 5) == 0);
	buf_free(&m);

	build_sample(S_FRAG2, &m);
	ck_assert_int_eq(isakmp_parse(m.ptr, m.len, &dg), ISAKMP_PERR_OK);
	p = isakmp_first(&dg, ISAKMP_PT_FRAG);
	ck_assert_uint_eq(p->u.frag.id, 1);
	ck_assert_uint_eq(p->u.frag.num, 2);
	ck_assert_uint_eq(p->u.frag.flags, ISAKMP_FRAG_LAST);
	ck_assert_uint_eq(p->u.frag.len, 50);
	buf_free(&m);

	build_sample(S_MM4, &m);
	ck_assert_int_eq(isakmp_parse(m.ptr, m.len, &dg), ISAKMP_PERR_OK);
	p = isakmp_first(&dg, ISAKMP_PT_CR);
	ck_assert_uint_eq(p->u.cert.encoding, ISAKMP_CERT_X509_SIGN);
	ck_assert_uint_eq(p->u.cert.len, 0);
	ck_assert_uint_eq(isakmp_count(&dg, ISAKMP_PT_NATD_DRAFT), 2);
	ck_assert_uint_eq(isakmp_first(&dg, ISAKMP_PT_KE)->len, 256);
	buf_free(&m);
}
END_TEST

/* Payload numbers without a sample: GSS, the "bad draft" NAT-D/NAT-OA. */
START_TEST(rare_payload_numbers)
{
	struct buf m, r;
	struct isakmp_builder b;
	struct isakmp_hdr h = { .icookie = { 9 }, .exchange = ISAKMP_EXCH_IDENT };
	union sockaddr_any a;
	addr_parse("192.0.2.9", &a);
	buf_init(&m, 0);
	isakmp_build_init(&b, &m, &h);
	isakmp_build_data(&b, ISAKMP_PT_GSS, "token", 5);
	isakmp_build_data(&b, ISAKMP_PT_NATD_BADDRAFT, "0123456789abcdefghij", 20);
	isakmp_build_natoa(&b, ISAKMP_PT_NATOA_BADDRAFT, &a);
	ck_assert_int_eq(isakmp_build_finish(&b), 0);
	ck_assert_int_eq(isakmp_parse(m.ptr, m.len, &dg), ISAKMP_PERR_OK);
	ck_assert_uint_eq(dg.npayloads, 3);
	ck_assert_uint_eq(isakmp_first(&dg, ISAKMP_PT_GSS)->len, 5);
	char s[ADDR_STRLEN];
	ck_assert_str_eq(addr_ntop(&isakmp_first(&dg, ISAKMP_PT_NATOA_BADDRAFT)->u.natoa.addr, s),
			 "192.0.2.9");
	buf_init(&r, 0);
	ck_assert_int_eq(sample_rebuild(&dg, &r), 0);
	ck_assert(r.len == m.len && memcmp(r.ptr, m.ptr, m.len) == 0);
	buf_free(&r);
	buf_free(&m);
}
END_TEST

/* Encrypt-after-build: the engine swaps the body for ciphertext, seals, and parses the
 * decrypted body (with padding) later. */
START_TEST(encrypted_flow)
{
	struct buf m;
	struct isakmp_builder b;
	struct isakmp_hdr h = { .icookie = { 1 }, .rcookie = { 2 }, .exchange = ISAKMP_EXCH_IDENT };
	buf_init(&m, 0);
	isakmp_build_init(&b, &m, &h);
	isakmp_build_id(&b, ISAKMP_ID_FQDN, 0, 0, "a.example", 9);
	isakmp_build_data(&b, ISAKMP_PT_HASH, "0123456789abcdefghij", 20);
	ck_assert_int_eq(isakmp_build_finish(&b), 0);
	size_t body = isakmp_build_body_off(&b), plain_len = m.len - body;
	uint8_t plain[256];
	memcpy(plain, m.ptr + body, plain_len);
	/* "encrypt": pad to 16 and flip bits */
	size_t padded = (plain_len + 15) / 16 * 16;
	memset(plain + plain_len, 0, padded - plain_len);
	plain[padded - 1] = (uint8_t)(padded - plain_len - 1);
	m.len = body;
	for (size_t i = 0; i < padded; i++)
		buf_put_u8(&m, plain[i] ^ 0x5a);
	ck_assert_int_eq(isakmp_build_seal(&m, 0, ISAKMP_FLAG_E), 0);
	ck_assert_int_eq(isakmp_parse(m.ptr, m.len, &dg), ISAKMP_PERR_ENCRYPTED);
	ck_assert_uint_eq(dg.hdr.flags, ISAKMP_FLAG_E);
	ck_assert_uint_eq(dg.encrypted_len, padded);
	ck_assert_uint_eq(dg.hdr.length, m.len);
	uint8_t dec[256];
	for (size_t i = 0; i < padded; i++)
		dec[i] = dg.encrypted[i] ^ 0x5a;
	ck_assert_int_eq(isakmp_parse_body(&dg, dec, padded), ISAKMP_PERR_OK);
	ck_assert_uint_eq(dg.npayloads, 2);
	ck_assert_uint_eq(dg.chain_len, plain_len);
	ck_assert_uint_eq(isakmp_first(&dg, ISAKMP_PT_HASH)->len, 20);
	buf_free(&m);
}
END_TEST

/* With the NAT-T marker first, and the Quick Mode HASH filled in afterwards. */
START_TEST(natt_and_reserve)
{
	struct buf m;
	struct isakmp_builder b;
	struct isakmp_hdr h = { .icookie = { 1 }, .exchange = ISAKMP_EXCH_QUICK, .msgid = 7 };
	size_t off;
	buf_init(&m, 0);
	ck_assert_int_eq(isakmp_natt_put_marker(&m), 0);
	isakmp_build_init(&b, &m, &h);
	isakmp_build_reserve(&b, ISAKMP_PT_HASH, 20, &off);
	size_t hash_end = b.last_end;
	isakmp_build_data(&b, ISAKMP_PT_NONCE, "nonce-nonce-nonce", 17);
	ck_assert_int_eq(isakmp_build_finish(&b), 0);
	ck_assert_uint_eq(off, 4 + ISAKMP_HDR_LEN + ISAKMP_GEN_LEN);
	ck_assert_uint_eq(hash_end, off + 20);
	memset(m.ptr + off, 0xab, 20);
	const uint8_t *ike;
	size_t ike_len;
	ck_assert_int_eq(isakmp_natt_classify(m.ptr, m.len, &ike, &ike_len), ISAKMP_NATT_IKE);
	ck_assert_ptr_eq(ike, m.ptr + 4);
	ck_assert_int_eq(isakmp_parse(ike, ike_len, &dg), ISAKMP_PERR_OK);
	ck_assert_uint_eq(isakmp_first(&dg, ISAKMP_PT_HASH)->body[19], 0xab);
	ck_assert_uint_eq(isakmp_first(&dg, ISAKMP_PT_NONCE)->len, 17);

	const uint8_t ka[1] = { 0xff }, esp[8] = { 0, 0, 0, 1, 0, 0, 0, 1 }, bad[2] = { 0, 0 };
	ck_assert_int_eq(isakmp_natt_classify(ka, 1, &ike, &ike_len), ISAKMP_NATT_KEEPALIVE);
	ck_assert_ptr_null(ike);
	ck_assert_int_eq(isakmp_natt_classify(esp, 8, &ike, &ike_len), ISAKMP_NATT_ESP);
	ck_assert_int_eq(isakmp_natt_classify(bad, 2, &ike, &ike_len), ISAKMP_NATT_INVALID);
	ck_assert_int_eq(isakmp_natt_classify(bad, 1, &ike, &ike_len), ISAKMP_NATT_INVALID);
	ck_assert_int_eq(isakmp_natt_classify(NULL, 0, &ike, &ike_len), ISAKMP_NATT_INVALID);
	buf_reset(&m);
	ck_assert_int_eq(isakmp_natt_put_keepalive(&m), 0);
	ck_assert_uint_eq(m.len, 1);
	ck_assert_uint_eq(m.ptr[0], 0xff);
	buf_free(&m);
}
END_TEST

START_TEST(builder_errors)
{
	struct buf m;
	struct isakmp_builder b;
	struct isakmp_hdr h = { .icookie = { 1 }, .exchange = ISAKMP_EXCH_IDENT };
	union sockaddr_any a;
	addr_parse("192.0.2.1", &a);

	buf_init(&m, 0); /* attributes outside a transform */
	isakmp_build_init(&b, &m, &h);
	isakmp_build_sa_begin(&b, 1, 1);
	ck_assert_int_eq(isakmp_build_attr_tv(&b, 1, 1), -EINVAL);
	ck_assert_int_eq(isakmp_build_finish(&b), -EINVAL); /* sticky */
	buf_free(&m);

	buf_init(&m, 0); /* transform outside a proposal, proposal outside an SA */
	isakmp_build_init(&b, &m, &h);
	ck_assert_int_eq(isakmp_build_transform_begin(&b, 1, 1), -EINVAL);
	buf_free(&m);
	buf_init(&m, 0);
	isakmp_build_init(&b, &m, &h);
	ck_assert_int_eq(isakmp_build_proposal_begin(&b, 1, 1, NULL, 0), -EINVAL);
	buf_free(&m);

	buf_init(&m, 0); /* nonsense arguments */
	isakmp_build_init(&b, &m, &h);
	ck_assert_int_eq(isakmp_build_begin(&b, ISAKMP_PT_P), -EINVAL);
	buf_free(&m);
	buf_init(&m, 0);
	isakmp_build_init(&b, &m, &h);
	ck_assert_int_eq(isakmp_build_id_subnet(&b, 0, 0, &a, 33), -EINVAL);
	buf_free(&m);
	buf_init(&m, 0);
	isakmp_build_init(&b, &m, &h);
	ck_assert_int_eq(isakmp_build_natoa(&b, ISAKMP_PT_NATD, &a), -EINVAL);
	buf_free(&m);
	buf_init(&m, 0);
	isakmp_build_init(&b, &m, &h);
	ck_assert_int_eq(isakmp_build_frag(&b, 1, 0, 0, "x", 1), -EINVAL);
	buf_free(&m);
	buf_init(&m, 0);
	isakmp_build_init(&b, &m, &h);
	ck_assert_int_eq(isakmp_build_end(&b), -EINVAL);
	buf_free(&m);

	buf_init(&m, 100); /* the cap of out */
	isakmp_build_init(&b, &m, &h);
	uint8_t big[200] = { 0 };
	ck_assert_int_eq(isakmp_build_data(&b, ISAKMP_PT_KE, big, sizeof(big)), -EMSGSIZE);
	ck_assert_int_eq(isakmp_build_finish(&b), -EMSGSIZE);
	buf_free(&m);

	buf_init(&m, 0); /* a payload longer than 16 bits can count */
	isakmp_build_init(&b, &m, &h);
	uint8_t *huge = calloc(1, 70000);
	ck_assert_int_eq(isakmp_build_data(&b, ISAKMP_PT_CERT, huge, 70000), -EMSGSIZE);
	free(huge);
	buf_free(&m);

	buf_init(&m, 0); /* more than 255 transforms in a proposal */
	isakmp_build_init(&b, &m, &h);
	isakmp_build_sa_begin(&b, 1, 1);
	isakmp_build_proposal_begin(&b, 1, ISAKMP_PROTO_ISAKMP, NULL, 0);
	for (int i = 0; i < 256; i++)
		isakmp_build_transform_begin(&b, (uint8_t)i, 1);
	ck_assert_int_eq(isakmp_build_finish(&b), -EMSGSIZE);
	buf_free(&m);

	uint8_t tiny[10];
	struct buf v = buf_view(tiny, sizeof(tiny));
	ck_assert_int_eq(isakmp_build_seal(&v, 0, ISAKMP_FLAG_E), -EINVAL);
}
END_TEST

START_TEST(attr_numbers)
{
	struct buf m;
	struct isakmp_builder b;
	struct isakmp_hdr h = { .icookie = { 1 }, .exchange = ISAKMP_EXCH_TRANSACTION };
	uint64_t v;
	buf_init(&m, 0);
	isakmp_build_init(&b, &m, &h);
	isakmp_build_cfg_begin(&b, ISAKMP_CFG_SET, 1);
	isakmp_build_attr_num(&b, 1, 0xffff);
	isakmp_build_attr_num(&b, 2, 0x10000);
	isakmp_build_attr_num(&b, 3, 0x123456789aull);
	isakmp_build_attr_tlv(&b, 4, "123456789", 9);
	isakmp_build_attr_tlv(&b, 5, NULL, 0);
	ck_assert_int_eq(isakmp_build_finish(&b), 0);
	ck_assert_int_eq(isakmp_parse(m.ptr, m.len, &dg), ISAKMP_PERR_OK);
	const struct isakmp_cfg *c = &isakmp_first(&dg, ISAKMP_PT_ATTR)->u.cfg;
	ck_assert_uint_eq(c->nattrs, 5);
	ck_assert(c->attrs[0].tv);
	ck_assert(isakmp_attr_u64(&c->attrs[1], &v));
	ck_assert_uint_eq(v, 0x10000);
	ck_assert_uint_eq(c->attrs[1].len, 4);
	ck_assert(isakmp_attr_u64(&c->attrs[2], &v));
	ck_assert_uint_eq(v, 0x123456789aull);
	ck_assert_uint_eq(c->attrs[2].len, 8);
	ck_assert(!isakmp_attr_u64(&c->attrs[3], &v)); /* 9 bytes: not a number */
	ck_assert(!isakmp_attr_u64(&c->attrs[4], &v)); /* empty */
	buf_free(&m);
}
END_TEST

START_TEST(names)
{
	char buf[ISAKMP_NAME_BUFLEN];
	ck_assert_str_eq(isakmp_name(ISAKMP_NAMES_EXCHANGE, ISAKMP_EXCH_IDENT), "MAIN");
	ck_assert_str_eq(isakmp_name(ISAKMP_NAMES_PAYLOAD, ISAKMP_PT_NATD_DRAFT), "NAT-D(draft)");
	ck_assert_str_eq(isakmp_name(ISAKMP_NAMES_NOTIFY, 36136), "R-U-THERE");
	ck_assert_str_eq(isakmp_name(ISAKMP_NAMES_NOTIFY, 36137), "R-U-THERE-ACK");
	ck_assert_str_eq(isakmp_name(ISAKMP_NAMES_NOTIFY, 24578), "INITIAL-CONTACT");
	ck_assert_str_eq(isakmp_name(ISAKMP_NAMES_NOTIFY, 24576), "RESPONDER-LIFETIME");
	ck_assert_str_eq(isakmp_name(ISAKMP_NAMES_NOTIFY, 16), "PAYLOAD-MALFORMED");
	ck_assert_str_eq(isakmp_name(ISAKMP_NAMES_TRANS_ESP, 20), "ESP_AES_GCM_16");
	ck_assert_str_eq(isakmp_name(ISAKMP_NAMES_IPSEC_ENCAP, 61443), "UDP_TUNNEL_DRAFT");
	ck_assert_str_eq(isakmp_name(ISAKMP_NAMES_IPSEC_ENCAP, 4), "UDP_TRANSPORT");
	ck_assert_str_eq(isakmp_name(ISAKMP_NAMES_OAKLEY_AUTH, 64221), "HYBRID_INIT_RSA");
	ck_assert_str_eq(isakmp_name(ISAKMP_NAMES_OAKLEY_AUTH, 65001), "XAUTH_INIT_PRE_SHARED");
	ck_assert_str_eq(isakmp_name(ISAKMP_NAMES_OAKLEY_GROUP, 19), "ECP_256");
	ck_assert_str_eq(isakmp_name(ISAKMP_NAMES_ID, ISAKMP_ID_IPV6_ADDR_RANGE), "IPV6_ADDR_RANGE");
	ck_assert_str_eq(isakmp_name(ISAKMP_NAMES_CFG_ATTR, UNITY_BANNER), "UNITY_BANNER");
	ck_assert_ptr_null(isakmp_name(ISAKMP_NAMES_NOTIFY, 12345));
	ck_assert_ptr_null(isakmp_name(ISAKMP_NAMES_COUNT_, 1));
	ck_assert_str_eq(isakmp_name_num(ISAKMP_NAMES_PAYLOAD, 99, buf), "UNKNOWN-99");
	ck_assert_int_eq(isakmp_name_value(ISAKMP_NAMES_TRANS_ESP, "esp_aes"), ISAKMP_ESP_AES);
	ck_assert_int_eq(isakmp_name_value(ISAKMP_NAMES_EXCHANGE, "nope"), -1);
	ck_assert_int_eq(isakmp_names_transform(ISAKMP_PROTO_IPCOMP), ISAKMP_NAMES_TRANS_IPCOMP);
	ck_assert_int_eq(isakmp_names_transform(9), ISAKMP_NAMES_COUNT_);
	ck_assert_int_eq(isakmp_names_attr_value(ISAKMP_PROTO_ISAKMP, OAKLEY_ATTR_GROUP_DESC),
			 ISAKMP_NAMES_OAKLEY_GROUP);
	ck_assert_int_eq(isakmp_names_attr_value(ISAKMP_PROTO_IPSEC_ESP, IPSEC_ATTR_AUTH),
			 ISAKMP_NAMES_IPSEC_AUTH);
	/* every named value maps back to itself */
	for (int t = 0; t < ISAKMP_NAMES_COUNT_; t++)
		for (unsigned v = 0; v < 70000; v++) {
			const char *s = isakmp_name(t, v);
			if (s && t != ISAKMP_NAMES_OAKLEY_AUTH) /* 65001 has two names */
				ck_assert_int_eq(isakmp_name_value(t, s), (long)v);
		}
	for (int e = 0; e <= ISAKMP_PERR_ENCRYPTED; e++)
		ck_assert_str_ne(isakmp_perr_name(e), "?");
}
END_TEST

struct lines {
	char text[8192];
	size_t n;
	unsigned count;
};

static void collect(void *arg, const char *line)
{
	struct lines *l = arg;
	int k = snprintf(l->text + l->n, sizeof(l->text) - l->n, "%s\n", line);
	if (k > 0 && (size_t)k < sizeof(l->text) - l->n)
		l->n += (size_t)k;
	l->count++;
}

START_TEST(printer)
{
	static struct lines l;
	struct buf m;
	build_sample(S_MM1, &m);
	ck_assert_int_eq(isakmp_parse(m.ptr, m.len, &dg), ISAKMP_PERR_OK);
	memset(&l, 0, sizeof(l));
	isakmp_print(&dg, false, collect, &l);
	ck_assert_ptr_nonnull(strstr(l.text, "ISAKMP MAIN i=0102030405060708"));
	ck_assert_ptr_nonnull(strstr(l.text, "P#1 ISAKMP transforms=3"));
	ck_assert_ptr_nonnull(strstr(l.text, "ENCRYPTION_ALGORITHM=AES_CBC"));
	ck_assert_ptr_nonnull(strstr(l.text, "LIFE_DURATION=172800"));
	ck_assert_ptr_nonnull(strstr(l.text, "GROUP_DESCRIPTION=ECP_256"));
	buf_free(&m);

	build_sample(S_CFG, &m);
	ck_assert_int_eq(isakmp_parse(m.ptr, m.len, &dg), ISAKMP_PERR_OK);
	memset(&l, 0, sizeof(l));
	isakmp_print(&dg, false, collect, &l);
	ck_assert_ptr_nonnull(strstr(l.text, "XAUTH_USER_PASSWORD <hidden, 6 bytes>"));
	ck_assert_ptr_null(strstr(l.text, "733363726574")); /* "s3cret" in hex */
	ck_assert_ptr_nonnull(strstr(l.text, "XAUTH_USER_NAME=\"alice\""));
	ck_assert_ptr_nonnull(strstr(l.text, "APPLICATION_VERSION=\"racoon\""));
	memset(&l, 0, sizeof(l));
	isakmp_print(&dg, true, collect, &l);
	ck_assert_ptr_nonnull(strstr(l.text, "733363726574"));
	buf_free(&m);

	build_sample(S_QM1, &m);
	ck_assert_int_eq(isakmp_parse(m.ptr, m.len, &dg), ISAKMP_PERR_OK);
	memset(&l, 0, sizeof(l));
	isakmp_print(&dg, false, collect, &l);
	ck_assert_ptr_nonnull(strstr(l.text, "T#1 ESP_AES_GCM_16"));
	ck_assert_ptr_nonnull(strstr(l.text, "IPV4_ADDR_SUBNET proto=0 port=0 198.51.100.0/24"));
	ck_assert_ptr_nonnull(strstr(l.text, "NAT-OA 203.0.113.5"));
	buf_free(&m);

	build_sample(S_MM5, &m);
	ck_assert_int_eq(isakmp_parse(m.ptr, m.len, &dg), ISAKMP_PERR_OK);
	memset(&l, 0, sizeof(l));
	isakmp_print(&dg, false, collect, &l);
	ck_assert_ptr_nonnull(strstr(l.text, "ID FQDN proto=17 port=500 \"vpn.example.org\""));
	ck_assert_ptr_nonnull(strstr(l.text, "N INITIAL-CONTACT proto=ISAKMP spi="));
	buf_free(&m);

	struct isakmp_builder b;
	struct isakmp_hdr h = { .icookie = { 1 }, .exchange = ISAKMP_EXCH_TRANSACTION };
	const uint8_t ip[4] = { 198, 51, 100, 9 };
	buf_init(&m, 0);
	isakmp_build_init(&b, &m, &h);
	isakmp_build_cfg_begin(&b, ISAKMP_CFG_REPLY, 7);
	isakmp_build_attr_tlv(&b, MODECFG_INTERNAL_IP4_ADDRESS, ip, 4);
	isakmp_build_attr_tv(&b, XAUTH_STATUS, 1);
	ck_assert_int_eq(isakmp_build_finish(&b), 0);
	ck_assert_int_eq(isakmp_parse(m.ptr, m.len, &dg), ISAKMP_PERR_OK);
	memset(&l, 0, sizeof(l));
	isakmp_print(&dg, false, collect, &l);
	ck_assert_ptr_nonnull(strstr(l.text, "ATTR CFG_REPLY id=7"));
	ck_assert_ptr_nonnull(strstr(l.text, "INTERNAL_IP4_ADDRESS=198.51.100.9"));
	ck_assert_ptr_nonnull(strstr(l.text, "XAUTH_STATUS=1"));
	buf_free(&m);

	for (int s = 0; s < S_COUNT; s++) { /* one line per payload at least */
		build_sample(s, &m);
		ck_assert_int_eq(isakmp_parse(m.ptr, m.len, &dg), ISAKMP_PERR_OK);
		memset(&l, 0, sizeof(l));
		isakmp_print(&dg, false, collect, &l);
		ck_assert_uint_ge(l.count, 1 + dg.npayloads);
		buf_free(&m);
	}
}
END_TEST

/* Decoding a payload body outside a message (e.g. our own SA for HASH_I). */
START_TEST(decode_standalone)
{
	struct buf m;
	struct isakmp_payload p;
	build_sample(S_MM2, &m);
	ck_assert_int_eq(isakmp_parse(m.ptr, m.len, &dg), ISAKMP_PERR_OK);
	const struct isakmp_payload *sa = isakmp_first(&dg, ISAKMP_PT_SA);
	isakmp_digest_init(&dg2);
	ck_assert_int_eq(isakmp_decode_payload(&dg2, ISAKMP_PT_SA, sa->body, sa->len, &p),
			 ISAKMP_PERR_OK);
	ck_assert_uint_eq(p.u.sa.nproposals, 1);
	ck_assert_uint_eq(p.u.sa.proposals[0].ntransforms, 1);
	ck_assert_int_eq(isakmp_decode_payload(&dg2, ISAKMP_PT_P, sa->body, sa->len, &p),
			 ISAKMP_PERR_PAYLOAD_TYPE);
	ck_assert_int_eq(isakmp_decode_payload(&dg2, ISAKMP_PT_SA, sa->body, 7, &p),
			 ISAKMP_PERR_MALFORMED);
	buf_free(&m);
}
END_TEST

struct frags {
	uint8_t data[4096];
	size_t len;
	unsigned count;
	int fail_at; /* callback result != 0 at this fragment number */
	size_t max;
	bool last_seen;
};

static int collect_frag(void *arg, const uint8_t *p, size_t n)
{
	struct frags *f = arg;
	ck_assert_uint_le(n, f->max);
	ck_assert(!f->last_seen); /* nothing after the last fragment */
	ck_assert_int_eq(isakmp_parse(p, n, &dg2), ISAKMP_PERR_OK);
	ck_assert_uint_eq(dg2.npayloads, 1);
	ck_assert_uint_eq(dg2.hdr.flags & ISAKMP_FLAG_E, 0);
	ck_assert_uint_eq(dg2.hdr.exchange, ISAKMP_EXCH_IDENT);
	ck_assert_uint_eq(dg2.hdr.icookie[0], 1);
	const struct isakmp_frag_pl *fr = &isakmp_first(&dg2, ISAKMP_PT_FRAG)->u.frag;
	ck_assert_uint_eq(fr->id, 7);
	ck_assert_uint_eq(fr->num, f->count + 1);
	memcpy(f->data + f->len, fr->data, fr->len);
	f->len += fr->len;
	f->count++;
	f->last_seen = (fr->flags & ISAKMP_FRAG_LAST) != 0;
	return (int)f->count == f->fail_at ? -EIO : 0;
}

START_TEST(fragment_split)
{
	static struct frags f;
	struct buf m;
	build_sample(S_MM5, &m);
	ck_assert_int_eq(isakmp_build_seal(&m, 0, ISAKMP_FLAG_E), 0); /* as if encrypted */
	memset(&f, 0, sizeof(f));
	f.max = 100;
	int n = isakmp_fragment(m.ptr, m.len, 100, 7, collect_frag, &f);
	ck_assert_int_eq(n, (int)((m.len + 63) / 64));
	ck_assert_uint_eq(f.count, (unsigned)n);
	ck_assert(f.last_seen);
	ck_assert(f.len == m.len && memcmp(f.data, m.ptr, m.len) == 0);
	memset(&f, 0, sizeof(f));
	f.max = ISAKMP_FRAG_MSG_MAX;
	ck_assert_int_eq(isakmp_fragment(m.ptr, m.len, ISAKMP_FRAG_MSG_MAX, 7, collect_frag, &f), 2);
	ck_assert(f.last_seen);
	ck_assert(f.len == m.len && memcmp(f.data, m.ptr, m.len) == 0);
	memset(&f, 0, sizeof(f));
	f.max = 100;
	f.fail_at = 2;
	ck_assert_int_eq(isakmp_fragment(m.ptr, m.len, 100, 7, collect_frag, &f), -EIO);
	ck_assert_uint_eq(f.count, 2);
	ck_assert_int_eq(isakmp_fragment(m.ptr, m.len, ISAKMP_FRAG_OVERHEAD, 7, collect_frag, &f),
			 -EINVAL);
	ck_assert_int_eq(isakmp_fragment(m.ptr, m.len, ISAKMP_FRAG_OVERHEAD + 1, 7, collect_frag,
					 &f), -EINVAL); /* 644 fragments */
	ck_assert_int_eq(isakmp_fragment(m.ptr, m.len - 1, 100, 7, collect_frag, &f), -EINVAL);
	buf_free(&m);

	/* racoon sends fragments of encrypted messages with E set: still plaintext */
	build_sample(S_FRAG1, &m);
	m.ptr[19] |= ISAKMP_FLAG_E;
	ck_assert_int_eq(isakmp_parse(m.ptr, m.len, &dg), ISAKMP_PERR_OK);
	ck_assert_uint_eq(isakmp_first(&dg, ISAKMP_PT_FRAG)->u.frag.len, 100);
	buf_free(&m);
}
END_TEST

static size_t read_seed(const char *name, uint8_t *p, size_t cap)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s.bin", ISAKMP_CORPUS_DIR, name);
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	size_t n = fread(p, 1, cap, f);
	fclose(f);
	return n;
}

/* The committed seed corpus is what the samples build today (regenerate it with
 * tests/fuzz/gen_isakmp_corpus when a sample changes). */
START_TEST(seed_corpus_current)
{
	static uint8_t seed[4096];
	const uint8_t *ike;
	size_t ike_len;
	for (int s = 0; s < S_COUNT; s++) {
		struct buf m;
		build_sample(s, &m);
		size_t n = read_seed(sample_name(s), seed, sizeof(seed));
		ck_assert_msg(n == m.len && memcmp(seed, m.ptr, n) == 0, "%s.bin is stale",
			      sample_name(s));
		buf_free(&m);
	}
	size_t n = read_seed("natt-mm3", seed, sizeof(seed));
	ck_assert_int_eq(isakmp_natt_classify(seed, n, &ike, &ike_len), ISAKMP_NATT_IKE);
	ck_assert_int_eq(isakmp_parse(ike, ike_len, &dg), ISAKMP_PERR_OK);
	n = read_seed("mm5-encrypted", seed, sizeof(seed));
	ck_assert_int_eq(isakmp_parse(seed, n, &dg), ISAKMP_PERR_ENCRYPTED);
	n = read_seed("natt-keepalive", seed, sizeof(seed));
	ck_assert_int_eq(isakmp_natt_classify(seed, n, &ike, &ike_len), ISAKMP_NATT_KEEPALIVE);
	n = read_seed("natt-esp", seed, sizeof(seed));
	ck_assert_int_eq(isakmp_natt_classify(seed, n, &ike, &ike_len), ISAKMP_NATT_ESP);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("isakmp");
	TCase *t = tcase_create("codec");
	tcase_add_test(t, samples_round_trip);
	tcase_add_test(t, header_fields);
	tcase_add_test(t, sa_phase1_decoded);
	tcase_add_test(t, sa_phase2_decoded);
	tcase_add_test(t, ids_and_natoa);
	tcase_add_test(t, every_id_type);
	tcase_add_test(t, other_payloads);
	tcase_add_test(t, rare_payload_numbers);
	tcase_add_test(t, encrypted_flow);
	tcase_add_test(t, natt_and_reserve);
	tcase_add_test(t, builder_errors);
	tcase_add_test(t, attr_numbers);
	tcase_add_test(t, names);
	tcase_add_test(t, printer);
	tcase_add_test(t, decode_standalone);
	tcase_add_test(t, seed_corpus_current);
	tcase_add_test(t, fragment_split);
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
