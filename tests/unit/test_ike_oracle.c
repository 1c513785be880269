/* Unit test: the engine against strongSwan's charon (tests/oracle/fixtures). Our responder
 * is given the Phase 1 state charon's responder had, then charon's initiator messages:
 * Main Mode I3 (our HASH_R must equal charon's), Quick Mode I1 (decryption and HASH(1) as
 * charon computed them) and a HASH(3) built from the fixture (with the fixture's Nr fed
 * through the random seam): the KEYMAT we install for the outbound SA must be charon's.
 * A mistake both of our own peers share cannot pass this. */
#include <check.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/hexdump.h"
#include "conf/conf.h"
#include "crypto/cipher.h"
#include "event/event.h"
#include "ike/ike.h"
#include "ike/phase1.h"
#include "ike/sa.h"
#include "isakmp/isakmp.h"
#include "kernel/kernel.h"
#include "kernel/mock/mock.h"

#define FIXTURE "tests/oracle/fixtures/mm-aes128-sha256-modp2048.txt"

struct fx {
	char key[64][32];
	struct buf val[64];
	int n;
};

static void fx_load(struct fx *f)
{
	char path[1024];
	const char *top = getenv("top_srcdir");
	snprintf(path, sizeof(path), "%s/%s", top ? top : ".", FIXTURE);
	FILE *fp = fopen(path, "r");
	ck_assert_msg(fp != NULL, "cannot open %s (set top_srcdir)", path);
	char line[4096];
	memset(f, 0, sizeof(*f));
	while (fgets(line, sizeof(line), fp) && f->n < 64) {
		char k[32], v[2048];
		if (line[0] == '#' || sscanf(line, "%31s %2047s", k, v) != 2)
			continue;
		static const char *const decimal[] = { "qm_mid", "info_mid", "hash", "cipher",
						       "keybits", "group", "esp_enc", "esp_keybits",
						       "esp_auth", "auth", "proto" };
		bool dec = false;
		for (size_t i = 0; i < sizeof(decimal) / sizeof(decimal[0]); i++)
			dec |= !strcmp(k, decimal[i]);
		size_t n = dec ? 4 : strlen(v) / 2;
		uint8_t *b = malloc(n ? n : 1);
		if (dec) {
			unsigned long x = strtoul(v, NULL, 10);
			for (int i = 0; i < 4; i++)
				b[i] = (uint8_t)(x >> (24 - 8 * i));
		} else {
			ck_assert_int_eq(hex_decode(v, b, n), (int)n);
		}
		snprintf(f->key[f->n], sizeof(f->key[0]), "%s", k);
		ck_assert_int_eq(buf_dup(&f->val[f->n], b, n, false), 0);
		free(b);
		f->n++;
	}
	fclose(fp);
}

static const struct buf *fx(const struct fx *f, const char *k)
{
	for (int i = 0; i < f->n; i++)
		if (!strcmp(f->key[i], k))
			return &f->val[i];
	ck_abort_msg("fixture lacks %s", k);
	return NULL;
}

static void fx_free(struct fx *f)
{
	for (int i = 0; i < f->n; i++)
		buf_free(&f->val[i]);
}

static void copy(struct buf *dst, const struct buf *src)
{
	buf_free(dst);
	ck_assert_int_eq(buf_dup(dst, src->ptr, src->len, false), 0);
}

/* What the responder sends. */
static uint8_t sent[4][2048];
static size_t sent_len[4], n_sent;
static int capture(void *ud, const union sockaddr_any *from, const union sockaddr_any *to,
		   const uint8_t *d, size_t n)
{
	ck_assert_uint_lt(n_sent, 4);
	ck_assert_uint_le(n, sizeof(sent[0]));
	memcpy(sent[n_sent], d, n);
	sent_len[n_sent++] = n;
	return 0;
}

/* Random bytes: the fixture's Nr when a 32-byte nonce is asked for, a pattern else. */
static const struct buf *fixed_nr;
static int fixed_random(void *ud, void *p, size_t n)
{
	static uint8_t c = 1;
	if (n == 32 && fixed_nr) {
		memcpy(p, fixed_nr->ptr, 32);
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		((uint8_t *)p)[i] = c++;
	return 0;
}

/* An ISAKMP message: header + encrypted body. */
static size_t message(uint8_t *out, const struct fx *f, uint8_t next, uint8_t exch,
		      uint32_t msgid, const uint8_t *body, size_t n)
{
	memcpy(out, fx(f, "cky_i")->ptr, 8);
	memcpy(out + 8, fx(f, "cky_r")->ptr, 8);
	out[16] = next;
	out[17] = ISAKMP_VERSION;
	out[18] = exch;
	out[19] = ISAKMP_FLAG_E;
	uint32_t len = (uint32_t)(28 + n);
	for (int i = 0; i < 4; i++) {
		out[20 + i] = (uint8_t)(msgid >> (24 - 8 * i));
		out[24 + i] = (uint8_t)(len >> (24 - 8 * i));
	}
	memcpy(out + 28, body, n);
	return 28 + n;
}

static const char conf_text[] =
	"path pre_shared_key \"/x\";\n"
	"remote 198.51.100.1 {\n exchange_mode main;\n nonce_size 32;\n proposal {\n"
	"  encryption_algorithm aes 128;\n  hash_algorithm sha256;\n"
	"  authentication_method pre_shared_key;\n  dh_group modp2048;\n }\n}\n"
	"sainfo anonymous {\n encryption_algorithm aes 128;\n"
	" authentication_algorithm hmac_sha256;\n compression_algorithm deflate;\n}\n";

/* Our responder as charon's was after Main Mode message 4. */
static struct ike_ph1 *responder_state(struct ike_engine *e, const struct fx *f,
				       const union sockaddr_any *us, const union sockaddr_any *peer)
{
	struct ike_ph1 *p = ike_ph1_new(e, false, us, peer);
	ck_assert_ptr_nonnull(p);
	memcpy(p->icookie, fx(f, "cky_i")->ptr, 8);
	memcpy(p->rcookie, fx(f, "cky_r")->ptr, 8);
	p->exchange = ISAKMP_EXCH_IDENT;
	ck_assert_int_eq(ike_ph1_load_conf(p, ike_remote_find(e, NULL, peer, ISAKMP_EXCH_IDENT)), 0);
	p->cipher = crypto_cipher_by_ike(CRYPTO_CIPHER_AES);
	p->enc_keylen = 16;
	p->hash = crypto_hash_by_ike(CRYPTO_HASH_SHA2_256);
	p->dh = dh_group_by_id(DH_MODP2048);
	p->auth = IKE_AUTH_PSK;
	p->auth_method = OAKLEY_AUTH_PSK;
	p->lifetime_s = 28800;
	copy(&p->sa_i_b, fx(f, "sai_b"));
	copy(&p->dh_pub, fx(f, "gxr"));
	copy(&p->dh_peer, fx(f, "gxi"));
	copy(&p->ni, fx(f, "ni"));
	copy(&p->nr, fx(f, "nr"));
	copy(&p->skeyid, fx(f, "skeyid"));
	copy(&p->keys.d, fx(f, "skeyid_d"));
	copy(&p->keys.a, fx(f, "skeyid_a"));
	copy(&p->keys.e, fx(f, "skeyid_e"));
	copy(&p->enc_key, fx(f, "enc_key"));
	memcpy(p->iv.b, fx(f, "p1_msg_iv")->ptr, 16);
	p->iv.len = 16;
	p->keyed = true;
	p->state = PH1_MM_R2_SENT;
	ike_ph1_index(p);
	return p;
}

static void decrypt(const struct fx *f, const uint8_t *iv, const uint8_t *msg, size_t len,
		    uint8_t *plain)
{
	uint8_t v[16];
	memcpy(v, iv, 16);
	memcpy(plain, msg + 28, len - 28);
	const struct buf *k = fx(f, "enc_key");
	ck_assert_int_eq(crypto_cbc_decrypt(crypto_cipher_by_ike(CRYPTO_CIPHER_AES), k->ptr, 16, v,
					    plain, len - 28), 0);
}

START_TEST(engine_matches_strongswan)
{
	struct fx f;
	fx_load(&f);
	struct racoon_conf *c;
	struct conf_load_opts lo = { .no_file_checks = true };
	ck_assert_int_eq(conf_parse_string("t.conf", conf_text, strlen(conf_text), &lo, &c), 0);
	struct kernel *k;
	struct kernel_options ko = { 0 };
	ck_assert_int_eq(kernel_open("mock", &ko, &k), 0);
	fixed_nr = fx(&f, "qm_nr");
	struct ike_engine_opts o = { .conf = c, .kernel = k, .send = capture,
				     .random = fixed_random };
	struct ike_engine *e;
	ck_assert_int_eq(ike_engine_new(&o, &e), 0);
	union sockaddr_any us, peer;
	addr_parse("198.51.100.2", &us);
	addr_parse("198.51.100.1", &peer);
	addr_set_port(&us, 500);
	addr_set_port(&peer, 500);
	struct ike_ph1 *p = responder_state(e, &f, &us, &peer);
	uint8_t m[2048], plain[2048];

	/* Main Mode I3 (with charon's INITIAL-CONTACT inside): our R3 carries charon's
	 * HASH_R and our ID. */
	const struct buf *i3 = fx(&f, "p1_msg_cipher");
	size_t n = message(m, &f, ISAKMP_PT_ID, ISAKMP_EXCH_IDENT, 0, i3->ptr, i3->len);
	ike_engine_input(e, &us, &peer, m, n);
	ck_assert_int_eq(p->state, PH1_ESTABLISHED);
	ck_assert_uint_eq(n_sent, 1);
	decrypt(&f, i3->ptr + i3->len - 16, sent[0], sent_len[0], plain);
	const struct buf *idr = fx(&f, "idir_b"), *hr = fx(&f, "hash_r");
	ck_assert_uint_eq(plain[0], ISAKMP_PT_HASH);
	ck_assert_mem_eq(plain + 4, idr->ptr, idr->len);
	ck_assert_mem_eq(plain + 4 + idr->len + 4, hr->ptr, hr->len);

	/* Quick Mode I1 under charon's Phase 1 chain. */
	memcpy(p->iv.b, fx(&f, "p1_last")->ptr, 16);
	const struct buf *q1 = fx(&f, "qm_msg_cipher"), *mid = fx(&f, "qm_mid");
	ck_assert_uint_eq(mid->len, 4);
	uint32_t msgid = (uint32_t)mid->ptr[0] << 24 | (uint32_t)mid->ptr[1] << 16 |
			 (uint32_t)mid->ptr[2] << 8 | mid->ptr[3];
	n = message(m, &f, ISAKMP_PT_HASH, ISAKMP_EXCH_QUICK, msgid, q1->ptr, q1->len);
	ike_engine_input(e, &us, &peer, m, n);
	kernel_dispatch(k); /* our SPI: R1 goes out */
	ck_assert_uint_eq(n_sent, 2);
	struct ike_stats st;
	ike_engine_stats(e, &st);
	ck_assert_uint_eq(st.ph2, 1);
	ck_assert_uint_eq(st.dropped, 0);

	/* HASH(3) as charon would send it, chained after our R1. */
	const struct buf *h3 = fx(&f, "qm_hash3");
	uint8_t body[48] = { 0, 0, 0, 36 };
	memcpy(body + 4, h3->ptr, 32);
	body[47] = 11;
	uint8_t iv[16];
	memcpy(iv, sent[1] + sent_len[1] - 16, 16);
	ck_assert_int_eq(crypto_cbc_encrypt(crypto_cipher_by_ike(CRYPTO_CIPHER_AES),
					    fx(&f, "enc_key")->ptr, 16, iv, body, 48), 0);
	n = message(m, &f, ISAKMP_PT_HASH, ISAKMP_EXCH_QUICK, msgid, body, 48);
	ike_engine_input(e, &us, &peer, m, n);
	ike_engine_stats(e, &st);
	ck_assert_uint_eq(st.ph2_established, 1);

	/* Our outbound SA uses charon's SPI: its KEYMAT is charon's r2i KEYMAT. */
	const struct buf *spi = fx(&f, "spi_r2i"), *km = fx(&f, "keymat_r2i");
	struct kernel_sa_id id = { .src = us, .dst = peer, .proto = KERNEL_PROTO_ESP };
	addr_set_port(&id.src, 0);
	addr_set_port(&id.dst, 0);
	id.spi = (uint32_t)spi->ptr[0] << 24 | (uint32_t)spi->ptr[1] << 16 |
		 (uint32_t)spi->ptr[2] << 8 | spi->ptr[3];
	const struct kernel_mock_sa *sa = kernel_mock_sa_find(k, &id);
	ck_assert_ptr_nonnull(sa);
	ck_assert_uint_eq(sa->sa.enc_key_len, 16);
	ck_assert_uint_eq(sa->sa.auth_key_len, 32);
	ck_assert_uint_ge(km->len, 48);
	ck_assert_mem_eq(sa->enc_key, km->ptr, 16);
	ck_assert_mem_eq(sa->auth_key, km->ptr + 16, 32);

	ike_engine_free(e);
	kernel_close(k);
	conf_free(c);
	fx_free(&f);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("ike_oracle");
	TCase *t = tcase_create("all");
	tcase_add_test(t, engine_matches_strongswan);
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
