/* check_prsa FILE BITS EXPONENT: checks a key file written by plainrsa-gen.
 *
 * The text is read here line by line (not with crypto/plainrsa.c) and the numbers are
 * checked with GMP: n = p*q of BITS bits, e = EXPONENT, e*d = 1 mod lcm(p-1, q-1),
 * Exponent1/2 = d mod (p-1)/(q-1), Coefficient = q^-1 mod p, the `# : PUB 0s` blob and
 * `# pubkey=` both hold (e, n). Then our parser must read the file back into a key whose
 * signature verifies with the key parsed from the PUB line. Exit 0 or 1 with a reason. */
#include <errno.h>
#include <gmp.h>
#include <nettle/base64.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/init.h"
#include "crypto/plainrsa.h"
#include "crypto/pubkey.h"

static int fail(const char *what)
{
	fprintf(stderr, "check_prsa: FAIL: %s\n", what);
	return 1;
}

static const char *names[] = { "Modulus", "PublicExponent", "PrivateExponent", "Prime1",
			       "Prime2", "Exponent1", "Exponent2", "Coefficient" };

/* "0s..." -> (e, n) per RFC 3110 (short exponent length form). */
static bool blob(const char *s, mpz_t e, mpz_t n)
{
	if (strncmp(s, "0s", 2) != 0)
		return false;
	s += 2;
	size_t len = strcspn(s, "\n");
	uint8_t *d = malloc(BASE64_DECODE_LENGTH(len) + 1);
	size_t got = BASE64_DECODE_LENGTH(len);
	struct base64_decode_ctx ctx;
	base64_decode_init(&ctx);
	bool ok = d && base64_decode_update(&ctx, &got, d, len, s) && base64_decode_final(&ctx) &&
		  got > 2 && d[0] > 0 && (size_t)d[0] + 1 < got;
	if (ok) {
		mpz_import(e, d[0], 1, 1, 1, 0, d + 1);
		mpz_import(n, got - 1 - d[0], 1, 1, 1, 0, d + 1 + d[0]);
	}
	free(d);
	return ok;
}

int main(int argc, char **argv)
{
	if (argc != 4)
		return fail("usage: check_prsa FILE BITS EXPONENT");
	crypto_init();
	FILE *f = fopen(argv[1], "r");
	if (!f)
		return fail("cannot open the file");
	static char text[65536];
	size_t tlen = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[tlen] = '\0';

	mpz_t v[8], pe, pn, ke, kn, t, u, l;
	bool seen[8] = { false };
	for (int i = 0; i < 8; i++)
		mpz_init(v[i]);
	mpz_inits(pe, pn, ke, kn, t, u, l, NULL);
	unsigned bits = 0, nlines = 0;
	char *save, *line;
	const char *publine = NULL, *pubcomment = NULL;
	bool opened = false, closed = false;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save), nlines++) {
		if (nlines == 0) {
			if (strncmp(line, "# : PUB ", 8) != 0)
				return fail("first line is not '# : PUB 0s...'");
			publine = line + 8;
			continue;
		}
		if (strcmp(line, ": RSA\t{") == 0) {
			opened = true;
			continue;
		}
		if (strcmp(line, "  }") == 0) {
			closed = true;
			continue;
		}
		if (sscanf(line, "\t# RSA %u bits", &bits) == 1)
			continue;
		if (strncmp(line, "\t# pubkey=", 10) == 0) {
			pubcomment = line + 10;
			continue;
		}
		int i;
		for (i = 0; i < 8; i++) {
			size_t nl = strlen(names[i]);
			if (line[0] == '\t' && strncmp(line + 1, names[i], nl) == 0 &&
			    strncmp(line + 1 + nl, ": 0x", 4) == 0)
				break;
		}
		if (i == 8 || seen[i] || mpz_set_str(v[i], line + 1 + strlen(names[i]) + 4, 16) < 0)
			return fail("unexpected, repeated or non-hex line in the RSA block");
		seen[i] = true;
	}
	for (int i = 0; i < 8; i++)
		if (!seen[i])
			return fail("a field is missing");
	if (!opened || !closed || !publine || !pubcomment)
		return fail("block frame, '# RSA' or '# pubkey=' line missing");
	if (strcmp(publine, pubcomment) != 0)
		return fail("'# : PUB' and '# pubkey=' differ");
	mpz_t *n = &v[0], *e = &v[1], *d = &v[2], *p = &v[3], *q = &v[4];
	unsigned want_bits = (unsigned)strtoul(argv[2], NULL, 0);
	if (bits != want_bits || mpz_sizeinbase(*n, 2) != want_bits)
		return fail("modulus size");
	if (mpz_cmp_ui(*e, strtoul(argv[3], NULL, 0)) != 0)
		return fail("public exponent");
	mpz_mul(t, *p, *q);
	if (mpz_cmp(t, *n) != 0 || mpz_probab_prime_p(*p, 25) == 0 || mpz_probab_prime_p(*q, 25) == 0)
		return fail("n != p*q or a factor is not prime");
	mpz_sub_ui(t, *p, 1);
	mpz_sub_ui(u, *q, 1);
	mpz_lcm(l, t, u);
	mpz_mul(pe, *e, *d);
	mpz_mod(pe, pe, l);
	if (mpz_cmp_ui(pe, 1) != 0)
		return fail("e*d != 1 mod lcm(p-1, q-1)");
	mpz_mod(pe, *d, t);
	if (mpz_cmp(pe, v[5]) != 0)
		return fail("Exponent1 != d mod (p-1)");
	mpz_mod(pe, *d, u);
	if (mpz_cmp(pe, v[6]) != 0)
		return fail("Exponent2 != d mod (q-1)");
	mpz_mul(pe, v[7], *q);
	mpz_mod(pe, pe, *p);
	if (mpz_cmp_ui(pe, 1) != 0 || mpz_cmp(v[7], *p) >= 0)
		return fail("Coefficient != q^-1 mod p");
	if (!blob(publine, ke, kn) || mpz_cmp(ke, *e) != 0 || mpz_cmp(kn, *n) != 0)
		return fail("the PUB blob is not (e, n)");

	/* Our parser: the private key from the file, the public one from the PUB line. */
	struct crypto_privkey *k = NULL;
	struct crypto_pubkey *pk = NULL, *pk2 = NULL;
	unsigned errline = 0;
	if (crypto_plainrsa_load_privkey(argv[1], &k, &errline) != 0)
		return fail("crypto_plainrsa_load_privkey refuses the file");
	char pubtext[8192];
	snprintf(pubtext, sizeof(pubtext), ": PUB %s\n", publine);
	struct buf pb = buf_view(pubtext, strlen(pubtext));
	if (crypto_plainrsa_parse_pubkey(&pb, &pk, &errline) != 0)
		return fail("crypto_plainrsa_parse_pubkey refuses the PUB line");
	if (crypto_pubkey_from_privkey(k, &pk2) != 0 || !crypto_pubkey_equal(pk, pk2))
		return fail("the PUB line is not the private key's public key");
	uint8_t h[20] = { 0xa5, 1, 2, 3 };
	struct buf sig = { 0 };
	if (crypto_rsa_sign(k, h, sizeof(h), &sig) != 0 || crypto_rsa_verify(pk, h, sizeof(h), &sig) != 0)
		return fail("sign/verify round trip");
	h[0] ^= 1;
	if (crypto_rsa_verify(pk, h, sizeof(h), &sig) != -EBADMSG)
		return fail("a changed hash verifies");
	buf_free(&sig);
	crypto_privkey_free(k);
	crypto_pubkey_free(pk);
	crypto_pubkey_free(pk2);
	for (int i = 0; i < 8; i++)
		mpz_clear(v[i]);
	mpz_clears(pe, pn, ke, kn, t, u, l, NULL);
	printf("check_prsa: %s: %u bits, e=%s: consistent\n", argv[1], bits, argv[3]);
	return 0;
}
