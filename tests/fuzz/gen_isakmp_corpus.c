/* Writes the ISAKMP seed corpus (tests/fuzz/corpus/isakmp) from the hand-built samples:
 * every sample plaintext, Main Mode 3 behind the NAT-T marker, Main Mode 5 with the E
 * flag (body scrambled as if encrypted), a NAT keepalive and an ESP-in-UDP packet.
 * The ss-*.bin seeds are not from here: they are decrypted bodies strongSwan's charon
 * wrote (tests/oracle/fixtures *_msg_plain), prefixed with their first payload type, the
 * form in which the harness feeds bodies to isakmp_parse_body().
 *   usage: gen_isakmp_corpus DIR */
#include <stdio.h>
#include <string.h>

#include "isakmp/build.h"
#include "isakmp/natt.h"
#include "../unit/test_isakmp_samples.h"

static int save(const char *dir, const char *name, const uint8_t *p, size_t n)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s.bin", dir, name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n) {
		perror(path);
		if (f)
			fclose(f);
		return 1;
	}
	return fclose(f) != 0;
}

int main(int argc, char **argv)
{
	struct buf m;
	int rc = 0;
	if (argc != 2) {
		fprintf(stderr, "usage: gen_isakmp_corpus DIR\n");
		return 2;
	}
	for (int s = 0; s < S_COUNT; s++) {
		buf_init(&m, 0);
		rc |= sample_build(s, &m) != 0 || save(argv[1], sample_name(s), m.ptr, m.len);
		buf_free(&m);
	}
	buf_init(&m, 0);
	isakmp_natt_put_marker(&m);
	rc |= sample_build(S_MM3, &m) != 0 || save(argv[1], "natt-mm3", m.ptr, m.len);
	buf_free(&m);
	buf_init(&m, 0);
	rc |= sample_build(S_MM5, &m) != 0;
	for (size_t i = ISAKMP_HDR_LEN; i < m.len; i++)
		m.ptr[i] ^= 0xa5;
	rc |= isakmp_build_seal(&m, 0, ISAKMP_FLAG_E) != 0 ||
	      save(argv[1], "mm5-encrypted", m.ptr, m.len);
	buf_free(&m);
	const uint8_t ka[1] = { 0xff };
	const uint8_t esp[16] = { 0xc0, 0x01, 0x02, 0x03, 0, 0, 0, 1 };
	rc |= save(argv[1], "natt-keepalive", ka, sizeof(ka));
	rc |= save(argv[1], "natt-esp", esp, sizeof(esp));
	return rc;
}
