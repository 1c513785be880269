/* Hand-built IKEv1 messages (see test_isakmp_samples.h). */
#include "test_isakmp_samples.h"

#include <string.h>

#include "common/addr.h"
#include "isakmp/build.h"

static const uint8_t icookie[8] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08 };
static const uint8_t rcookie[8] = { 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8 };

/* Vendor IDs as racoon sends them (MD5 of the names; DPD and XAUTH fixed bytes). */
static const uint8_t vid_rfc3947[16] = { 0x4a, 0x13, 0x1c, 0x81, 0x07, 0x03, 0x58, 0x45,
					 0x5c, 0x57, 0x28, 0xf2, 0x0e, 0x95, 0x45, 0x2f };
static const uint8_t vid_dpd[16] = { 0xaf, 0xca, 0xd7, 0x13, 0x68, 0xa1, 0xf1, 0xc9,
				     0x6b, 0x86, 0x96, 0xfc, 0x77, 0x57, 0x01, 0x00 };
static const uint8_t vid_frag[20] = { 0x40, 0x48, 0xb7, 0xd5, 0x6e, 0xbc, 0xe8, 0x85,
				      0x25, 0xe7, 0xde, 0x7f, 0x00, 0xd6, 0xc2, 0xd3,
				      0x80, 0x00, 0x00, 0x00 };
static const uint8_t vid_xauth[8] = { 0x09, 0x00, 0x26, 0x89, 0xdf, 0xd6, 0xb7, 0x12 };

static void fill(uint8_t *p, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + 7 * i);
}

static int blob(struct isakmp_builder *b, uint8_t type, size_t n, uint8_t seed)
{
	uint8_t v[512];
	fill(v, n, seed);
	return isakmp_build_data(b, type, v, n);
}

static void hdr(struct isakmp_hdr *h, uint8_t exch, bool responder, uint32_t msgid)
{
	memset(h, 0, sizeof(*h));
	memcpy(h->icookie, icookie, 8);
	if (responder)
		memcpy(h->rcookie, rcookie, 8);
	h->version = ISAKMP_VERSION;
	h->exchange = exch;
	h->msgid = msgid;
}

static void addr(union sockaddr_any *a, const char *s)
{
	addr_parse(s, a);
}

/* Phase 1 SA: all three transforms, or only the first (the responder's choice). */
static void sa_phase1(struct isakmp_builder *b, bool all)
{
	isakmp_build_sa_begin(b, ISAKMP_DOI_IPSEC, ISAKMP_SIT_IDENTITY_ONLY);
	isakmp_build_proposal_begin(b, 1, ISAKMP_PROTO_ISAKMP, NULL, 0);
	isakmp_build_transform_begin(b, 1, ISAKMP_TRANS_KEY_IKE);
	isakmp_build_attr_tv(b, OAKLEY_ATTR_ENC, OAKLEY_ENC_AES);
	isakmp_build_attr_tv(b, OAKLEY_ATTR_KEY_LENGTH, 256);
	isakmp_build_attr_tv(b, OAKLEY_ATTR_HASH, OAKLEY_HASH_SHA2_256);
	isakmp_build_attr_tv(b, OAKLEY_ATTR_AUTH, OAKLEY_AUTH_PSK);
	isakmp_build_attr_tv(b, OAKLEY_ATTR_GROUP_DESC, OAKLEY_GROUP_MODP2048);
	isakmp_build_attr_tv(b, OAKLEY_ATTR_LIFE_TYPE, OAKLEY_LIFE_SECONDS);
	isakmp_build_attr_num(b, OAKLEY_ATTR_LIFE_DURATION, 28800);
	if (all) {
		isakmp_build_transform_begin(b, 2, ISAKMP_TRANS_KEY_IKE);
		isakmp_build_attr_tv(b, OAKLEY_ATTR_ENC, OAKLEY_ENC_3DES);
		isakmp_build_attr_tv(b, OAKLEY_ATTR_HASH, OAKLEY_HASH_SHA);
		isakmp_build_attr_tv(b, OAKLEY_ATTR_AUTH, OAKLEY_AUTH_RSA_SIG);
		isakmp_build_attr_tv(b, OAKLEY_ATTR_GROUP_DESC, OAKLEY_GROUP_MODP1024);
		isakmp_build_attr_tv(b, OAKLEY_ATTR_LIFE_TYPE, OAKLEY_LIFE_SECONDS);
		isakmp_build_attr_num(b, OAKLEY_ATTR_LIFE_DURATION, 172800); /* TLV, 4 bytes */
		isakmp_build_transform_begin(b, 3, ISAKMP_TRANS_KEY_IKE);
		isakmp_build_attr_tv(b, OAKLEY_ATTR_ENC, OAKLEY_ENC_AES);
		isakmp_build_attr_tv(b, OAKLEY_ATTR_KEY_LENGTH, 128);
		isakmp_build_attr_tv(b, OAKLEY_ATTR_HASH, OAKLEY_HASH_SHA);
		isakmp_build_attr_tv(b, OAKLEY_ATTR_AUTH, OAKLEY_AUTH_XAUTH_PSK_I);
		isakmp_build_attr_tv(b, OAKLEY_ATTR_GROUP_DESC, OAKLEY_GROUP_ECP256);
	}
	isakmp_build_end(b);
}

static void sa_phase2(struct isakmp_builder *b, bool all)
{
	const uint8_t spi_esp[4] = { 0xc0, 0x01, 0x02, 0x03 }, cpi[2] = { 0x10, 0x01 };
	const uint8_t spi_ah[4] = { 0xc0, 0x0a, 0x0b, 0x0c };
	isakmp_build_sa_begin(b, ISAKMP_DOI_IPSEC, ISAKMP_SIT_IDENTITY_ONLY);
	isakmp_build_proposal_begin(b, 1, ISAKMP_PROTO_IPSEC_ESP, spi_esp, 4);
	isakmp_build_transform_begin(b, 1, ISAKMP_ESP_AES_GCM_16);
	isakmp_build_attr_tv(b, IPSEC_ATTR_SA_LIFE_TYPE, IPSEC_LIFE_SECONDS);
	isakmp_build_attr_num(b, IPSEC_ATTR_SA_LIFE_DURATION, 3600);
	isakmp_build_attr_tv(b, IPSEC_ATTR_ENCAP_MODE, IPSEC_ENCAP_UDP_TUNNEL);
	isakmp_build_attr_tv(b, IPSEC_ATTR_KEY_LENGTH, 256);
	isakmp_build_attr_tv(b, IPSEC_ATTR_GROUP_DESC, OAKLEY_GROUP_MODP2048);
	if (all) {
		isakmp_build_transform_begin(b, 2, ISAKMP_ESP_AES);
		isakmp_build_attr_tv(b, IPSEC_ATTR_AUTH, IPSEC_AUTH_HMAC_SHA2_256);
		isakmp_build_attr_tv(b, IPSEC_ATTR_KEY_LENGTH, 128);
		isakmp_build_attr_tv(b, IPSEC_ATTR_ENCAP_MODE, IPSEC_ENCAP_UDP_TUNNEL_DRAFT);
		isakmp_build_attr_tv(b, IPSEC_ATTR_SA_LIFE_TYPE, IPSEC_LIFE_KILOBYTES);
		isakmp_build_attr_num(b, IPSEC_ATTR_SA_LIFE_DURATION, 4608000);
		/* same number: ESP and IPComp together (RFC 2408 4.2) */
		isakmp_build_proposal_begin(b, 1, ISAKMP_PROTO_IPCOMP, cpi, 2);
		isakmp_build_transform_begin(b, 1, ISAKMP_IPCOMP_DEFLATE);
		isakmp_build_attr_tv(b, IPSEC_ATTR_ENCAP_MODE, IPSEC_ENCAP_TUNNEL);
		isakmp_build_proposal_begin(b, 2, ISAKMP_PROTO_IPSEC_AH, spi_ah, 4);
		isakmp_build_transform_begin(b, 1, ISAKMP_AH_SHA);
		isakmp_build_attr_tv(b, IPSEC_ATTR_AUTH, IPSEC_AUTH_HMAC_SHA1);
		isakmp_build_attr_tv(b, IPSEC_ATTR_ENCAP_MODE, IPSEC_ENCAP_TRANSPORT);
	}
	isakmp_build_end(b);
}

static void main_mode(struct isakmp_builder *b, enum sample s)
{
	union sockaddr_any a;
	switch (s) {
	case S_MM1:
	case S_MM2:
		sa_phase1(b, s == S_MM1);
		isakmp_build_data(b, ISAKMP_PT_VID, vid_rfc3947, sizeof(vid_rfc3947));
		isakmp_build_data(b, ISAKMP_PT_VID, vid_dpd, sizeof(vid_dpd));
		isakmp_build_data(b, ISAKMP_PT_VID, vid_frag, sizeof(vid_frag));
		break;
	case S_MM3:
	case S_MM4:
		blob(b, ISAKMP_PT_KE, 256, s == S_MM3 ? 0x11 : 0x22);
		blob(b, ISAKMP_PT_NONCE, 32, s == S_MM3 ? 0x33 : 0x44);
		if (s == S_MM4)
			isakmp_build_cert(b, ISAKMP_PT_CR, ISAKMP_CERT_X509_SIGN, NULL, 0);
		blob(b, s == S_MM3 ? ISAKMP_PT_NATD : ISAKMP_PT_NATD_DRAFT, 20, 0x55);
		blob(b, s == S_MM3 ? ISAKMP_PT_NATD : ISAKMP_PT_NATD_DRAFT, 20, 0x66);
		break;
	default: /* MM6 */
		addr(&a, "192.0.2.1");
		isakmp_build_id_addr(b, 17, 500, &a);
		blob(b, ISAKMP_PT_HASH, 32, 0x77);
		break;
	}
}

static void mm5(struct isakmp_builder *b)
{
	uint8_t cert[300], spi[16];
	fill(cert, sizeof(cert), 0x30);
	isakmp_build_id(b, ISAKMP_ID_FQDN, 17, 500, "vpn.example.org", 15);
	memcpy(spi, icookie, 8);
	memcpy(spi + 8, rcookie, 8);
	isakmp_build_cert(b, ISAKMP_PT_CERT, ISAKMP_CERT_X509_SIGN, cert, sizeof(cert));
	blob(b, ISAKMP_PT_SIG, 256, 0x99);
	isakmp_build_notify(b, ISAKMP_DOI_IPSEC, ISAKMP_PROTO_ISAKMP, ISAKMP_N_INITIAL_CONTACT,
			    spi, 16, NULL, 0);
}

static void aggressive(struct isakmp_builder *b, enum sample s)
{
	static const char ufqdn[] = "alice@example.org";
	const uint8_t unity[16] = { 0x12, 0xf5, 0xf2, 0x8c, 0x45, 0x71, 0x68, 0xa9,
				    0x70, 0x2d, 0x9f, 0xe2, 0x74, 0xcc, 0x01, 0x00 };
	union sockaddr_any a;
	sa_phase1(b, s == S_AM1);
	blob(b, ISAKMP_PT_KE, 128, 0x12);
	blob(b, ISAKMP_PT_NONCE, 16, 0x34);
	if (s == S_AM1) {
		isakmp_build_id(b, ISAKMP_ID_USER_FQDN, 0, 0, ufqdn, strlen(ufqdn));
		isakmp_build_data(b, ISAKMP_PT_VID, vid_xauth, sizeof(vid_xauth));
		isakmp_build_data(b, ISAKMP_PT_VID, unity, sizeof(unity));
	} else {
		addr(&a, "2001:db8::1");
		isakmp_build_id_addr(b, 0, 0, &a);
		blob(b, ISAKMP_PT_HASH, 20, 0x56);
		blob(b, ISAKMP_PT_NATD_DRAFT, 20, 0x57);
		blob(b, ISAKMP_PT_NATD_DRAFT, 20, 0x58);
		isakmp_build_data(b, ISAKMP_PT_VID, vid_rfc3947, sizeof(vid_rfc3947));
	}
}

static void quick(struct isakmp_builder *b, enum sample s)
{
	union sockaddr_any a, z;
	size_t off;
	isakmp_build_reserve(b, ISAKMP_PT_HASH, 20, &off);
	sa_phase2(b, s == S_QM1);
	blob(b, ISAKMP_PT_NONCE, 24, 0x21);
	if (s == S_QM1) {
		blob(b, ISAKMP_PT_KE, 256, 0x43);
		addr(&a, "198.51.100.7");
		isakmp_build_id_subnet(b, 0, 0, &a, 24);
		addr(&a, "2001:db8:1::");
		isakmp_build_id_subnet(b, 0, 0, &a, 48);
		addr(&a, "203.0.113.5");
		isakmp_build_natoa(b, ISAKMP_PT_NATOA, &a);
		addr(&a, "2001:db8::5");
		isakmp_build_natoa(b, ISAKMP_PT_NATOA_DRAFT, &a);
	} else {
		const uint8_t spi[4] = { 0xc0, 0x01, 0x02, 0x03 };
		const uint8_t life[] = { 0x80, 0x01, 0x00, 0x01, 0x00, 0x02, 0x00, 0x04,
					 0x00, 0x00, 0x0e, 0x10 };
		addr(&a, "198.51.100.10");
		addr(&z, "198.51.100.20");
		isakmp_build_id_range(b, 6, 80, &a, &z);
		addr(&a, "2001:db8::10");
		addr(&z, "2001:db8::20");
		isakmp_build_id_range(b, 6, 80, &a, &z);
		isakmp_build_notify(b, ISAKMP_DOI_IPSEC, ISAKMP_PROTO_IPSEC_ESP,
				    ISAKMP_N_RESPONDER_LIFETIME, spi, 4, life, sizeof(life));
	}
}

static void info(struct isakmp_builder *b, enum sample s)
{
	uint8_t spi[16];
	const uint8_t seq[4] = { 0x00, 0x00, 0x30, 0x39 };
	const uint8_t esp_spis[8] = { 0xc0, 0x01, 0x02, 0x03, 0xc0, 0x0a, 0x0b, 0x0c };
	memcpy(spi, icookie, 8);
	memcpy(spi + 8, rcookie, 8);
	blob(b, ISAKMP_PT_HASH, 20, 0x13);
	if (s == S_INFO_DPD) {
		isakmp_build_notify(b, ISAKMP_DOI_IPSEC, ISAKMP_PROTO_ISAKMP, ISAKMP_N_R_U_THERE,
				    spi, 16, seq, sizeof(seq));
	} else {
		isakmp_build_delete(b, ISAKMP_DOI_IPSEC, ISAKMP_PROTO_IPSEC_ESP, 4, esp_spis, 2);
		isakmp_build_delete(b, ISAKMP_DOI_IPSEC, ISAKMP_PROTO_ISAKMP, 16, spi, 1);
	}
}

static void cfg(struct isakmp_builder *b)
{
	blob(b, ISAKMP_PT_HASH, 20, 0x14);
	isakmp_build_cfg_begin(b, ISAKMP_CFG_REQUEST, 0x1234);
	isakmp_build_attr_tlv(b, MODECFG_INTERNAL_IP4_ADDRESS, NULL, 0);
	isakmp_build_attr_tlv(b, MODECFG_INTERNAL_IP4_NETMASK, NULL, 0);
	isakmp_build_attr_tlv(b, MODECFG_INTERNAL_IP4_DNS, NULL, 0);
	isakmp_build_attr_tlv(b, MODECFG_APPLICATION_VERSION, "racoon", 6);
	isakmp_build_attr_tv(b, XAUTH_TYPE, 0);
	isakmp_build_attr_tlv(b, XAUTH_USER_NAME, "alice", 5);
	isakmp_build_attr_tlv(b, XAUTH_USER_PASSWORD, "s3cret", 6);
	isakmp_build_attr_tlv(b, UNITY_BANNER, NULL, 0);
	isakmp_build_attr_tlv(b, UNITY_SPLIT_INCLUDE, NULL, 0);
	isakmp_build_end(b);
}

static void frag(struct isakmp_builder *b, enum sample s)
{
	uint8_t data[120];
	fill(data, sizeof(data), s == S_FRAG1 ? 0x61 : 0x62);
	if (s == S_FRAG1)
		isakmp_build_frag(b, 1, 1, 0, data, 100);
	else
		isakmp_build_frag(b, 1, 2, ISAKMP_FRAG_LAST, data, 50);
}

static const struct {
	const char *name;
	uint8_t exch;
	bool responder;
	uint32_t msgid;
} samples[S_COUNT] = {
	[S_MM1] = { "mm1", ISAKMP_EXCH_IDENT, false, 0 },
	[S_MM2] = { "mm2", ISAKMP_EXCH_IDENT, true, 0 },
	[S_MM3] = { "mm3", ISAKMP_EXCH_IDENT, true, 0 },
	[S_MM4] = { "mm4", ISAKMP_EXCH_IDENT, true, 0 },
	[S_MM5] = { "mm5", ISAKMP_EXCH_IDENT, true, 0 },
	[S_MM6] = { "mm6", ISAKMP_EXCH_IDENT, true, 0 },
	[S_AM1] = { "am1", ISAKMP_EXCH_AGGRESSIVE, false, 0 },
	[S_AM2] = { "am2", ISAKMP_EXCH_AGGRESSIVE, true, 0 },
	[S_QM1] = { "qm1", ISAKMP_EXCH_QUICK, true, 0x12345678 },
	[S_QM2] = { "qm2", ISAKMP_EXCH_QUICK, true, 0x12345678 },
	[S_INFO_DPD] = { "info-dpd", ISAKMP_EXCH_INFO, true, 0x0badcafe },
	[S_INFO_DELETE] = { "info-delete", ISAKMP_EXCH_INFO, true, 0x0badcaff },
	[S_CFG] = { "cfg", ISAKMP_EXCH_TRANSACTION, true, 0x01020304 },
	[S_FRAG1] = { "frag1", ISAKMP_EXCH_IDENT, true, 0 },
	[S_FRAG2] = { "frag2", ISAKMP_EXCH_IDENT, true, 0 },
};

const char *sample_name(enum sample s)
{
	return (unsigned)s < S_COUNT ? samples[s].name : "?";
}

int sample_build(enum sample s, struct buf *out)
{
	struct isakmp_builder b;
	struct isakmp_hdr h;
	if ((unsigned)s >= S_COUNT)
		return -1;
	hdr(&h, samples[s].exch, samples[s].responder, samples[s].msgid);
	isakmp_build_init(&b, out, &h);
	switch (s) {
	case S_MM5:
		mm5(&b);
		break;
	case S_MM1: case S_MM2: case S_MM3: case S_MM4: case S_MM6:
		main_mode(&b, s);
		break;
	case S_AM1: case S_AM2:
		aggressive(&b, s);
		break;
	case S_QM1: case S_QM2:
		quick(&b, s);
		break;
	case S_INFO_DPD: case S_INFO_DELETE:
		info(&b, s);
		break;
	case S_CFG:
		cfg(&b);
		break;
	default:
		frag(&b, s);
		break;
	}
	return isakmp_build_finish(&b);
}

static void rebuild_attrs(struct isakmp_builder *b, const struct isakmp_attr *a, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if (a[i].tv)
			isakmp_build_attr_tv(b, a[i].type, a[i].value);
		else
			isakmp_build_attr_tlv(b, a[i].type, a[i].data, a[i].len);
	}
}

static void rebuild_sa(struct isakmp_builder *b, const struct isakmp_sa *sa)
{
	isakmp_build_sa_begin(b, sa->doi, sa->situation);
	for (unsigned i = 0; i < sa->nproposals; i++) {
		const struct isakmp_proposal *p = &sa->proposals[i];
		isakmp_build_proposal_begin(b, p->num, p->proto, p->spi, p->spi_len);
		for (unsigned j = 0; j < p->ntransforms; j++) {
			isakmp_build_transform_begin(b, p->transforms[j].num, p->transforms[j].id);
			rebuild_attrs(b, p->transforms[j].attrs, p->transforms[j].nattrs);
		}
	}
	isakmp_build_end(b);
}

static void rebuild_payload(struct isakmp_builder *b, const struct isakmp_payload *p)
{
	switch (p->type) {
	case ISAKMP_PT_SA:
		rebuild_sa(b, &p->u.sa);
		break;
	case ISAKMP_PT_ID:
		isakmp_build_id(b, p->u.id.type, p->u.id.protocol, p->u.id.port, p->u.id.data,
				p->u.id.len);
		break;
	case ISAKMP_PT_CERT:
	case ISAKMP_PT_CR:
		isakmp_build_cert(b, p->type, p->u.cert.encoding, p->u.cert.data, p->u.cert.len);
		break;
	case ISAKMP_PT_N:
		isakmp_build_notify(b, p->u.n.doi, p->u.n.proto, p->u.n.type, p->u.n.spi,
				    p->u.n.spi_len, p->u.n.data, p->u.n.len);
		break;
	case ISAKMP_PT_D:
		isakmp_build_delete(b, p->u.d.doi, p->u.d.proto, p->u.d.spi_len, p->u.d.spis,
				    p->u.d.nspis);
		break;
	case ISAKMP_PT_NATOA:
	case ISAKMP_PT_NATOA_DRAFT:
	case ISAKMP_PT_NATOA_BADDRAFT:
		isakmp_build_natoa(b, p->type, &p->u.natoa.addr);
		break;
	case ISAKMP_PT_ATTR:
		isakmp_build_cfg_begin(b, p->u.cfg.type, p->u.cfg.identifier);
		rebuild_attrs(b, p->u.cfg.attrs, p->u.cfg.nattrs);
		isakmp_build_end(b);
		break;
	case ISAKMP_PT_FRAG:
		isakmp_build_frag(b, p->u.frag.id, p->u.frag.num, p->u.frag.flags, p->u.frag.data,
				  p->u.frag.len);
		break;
	default:
		isakmp_build_data(b, p->type, p->body, p->len);
		break;
	}
}

int sample_rebuild(const struct isakmp_digest *d, struct buf *out)
{
	struct isakmp_builder b;
	isakmp_build_init(&b, out, &d->hdr);
	for (unsigned i = 0; i < d->npayloads; i++)
		rebuild_payload(&b, &d->payloads[i]);
	return isakmp_build_finish(&b);
}
