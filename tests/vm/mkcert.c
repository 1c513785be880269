/* mkcert DIR IP_A IP_B: a test CA and two host certificates for lab scenarios (85-spd-
 * rsasig): DIR/ca.pem, DIR/a.pem + a.key (CN=a.lab, subjectAltName IP_A), DIR/b.pem +
 * b.key (CN=b.lab, IP_B), valid from an hour ago for a day. Keys are written 0600. */
#include <stdlib.h>
#include <sys/stat.h>

#include "../unit/cert_util.h"

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: mkcert DIR IP_A IP_B\n");
		return 2;
	}
	umask(077);
	gnutls_x509_privkey_t kca, ka, kb;
	gnutls_x509_crt_t ca, a, b;
	time_t now = time(NULL);
	char p[4096];
	int g = 0;
	if ((g = tc_key(&kca)) < 0 || (g = tc_key(&ka)) < 0 || (g = tc_key(&kb)) < 0 ||
	    (g = tc_cert(&ca, kca, "CN=Racoon Lab CA,O=Racoon Lab", NULL, now - 3600, now + 86400,
			 true, NULL, NULL, 1)) < 0 ||
	    (g = tc_cert(&a, ka, "CN=a.lab,O=Racoon Lab", argv[2], now - 3600, now + 86400, false,
			 ca, kca, 2)) < 0 ||
	    (g = tc_cert(&b, kb, "CN=b.lab,O=Racoon Lab", argv[3], now - 3600, now + 86400, false,
			 ca, kca, 3)) < 0) {
		fprintf(stderr, "mkcert: %s\n", gnutls_strerror(g));
		return 1;
	}
	struct { const char *n; gnutls_x509_crt_t c; gnutls_x509_privkey_t k; } out[] = {
		{ "ca", ca, NULL }, { "a", a, ka }, { "b", b, kb },
	};
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "%s/%s.pem", argv[1], out[i].n);
		if (tc_write_cert(p, out[i].c) < 0)
			return perror(p), 1;
		snprintf(p, sizeof(p), "%s/%s.key", argv[1], out[i].n);
		if (out[i].k && tc_write_key(p, out[i].k) < 0)
			return perror(p), 1;
		gnutls_x509_crt_deinit(out[i].c);
	}
	gnutls_x509_privkey_deinit(kca);
	gnutls_x509_privkey_deinit(ka);
	gnutls_x509_privkey_deinit(kb);
	return 0;
}
