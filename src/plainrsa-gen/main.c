/* plainrsa-gen: make an RSA key for racoon's plain RSA authentication.
 *
 * Prints (or writes to a new file, mode 0600) the private key as a `: RSA { ... }` block,
 * preceded by the public key as a `# : PUB 0s...` comment line for the peer's
 * peers_certfile plain_rsa file. The format is crypto/plainrsa.h's.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto/init.h"
#include "crypto/plainrsa.h"
#include "crypto/pubkey.h"

#define BITS_MIN 1024u
#define BITS_MAX 16384u

static void usage(FILE *f)
{
	fputs("usage: plainrsa-gen [-b bits] [-e pubexp] [-f outfile] [-h]\n"
	      "  -b bits     modulus size, 1024 to 16384 (default 2048)\n"
	      "  -e pubexp   public exponent, odd, decimal or 0x hex (default 65537)\n"
	      "  -f outfile  write to a new file, mode 0600 (default: standard output)\n"
	      "  -h          this help\n",
	      f);
}

/* A whole unsigned number, decimal or 0x hex, within [min, max]. */
static bool parse_num(const char *s, unsigned long min, unsigned long max, unsigned long *v)
{
	char *end;
	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return false;
	errno = 0;
	unsigned long n = strtoul(s, &end, strncmp(s, "0x", 2) == 0 ? 16 : 10);
	if (errno || *end || n < min || n > max)
		return false;
	*v = n;
	return true;
}

static int write_all(int fd, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long bits = 2048, e = 65537;
	const char *outfile = NULL;
	int c;
	while ((c = getopt(argc, argv, "b:e:f:h")) != -1) {
		switch (c) {
		case 'b':
			if (!parse_num(optarg, BITS_MIN, BITS_MAX, &bits)) {
				fprintf(stderr, "plainrsa-gen: -b %s: bits must be %u to %u\n", optarg,
					BITS_MIN, BITS_MAX);
				return 1;
			}
			break;
		case 'e':
			if (!parse_num(optarg, 3, 0xffffffffUL, &e) || !(e & 1)) {
				fprintf(stderr,
					"plainrsa-gen: -e %s: the exponent must be odd, 3 to 0xffffffff\n",
					optarg);
				return 1;
			}
			break;
		case 'f':
			outfile = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "plainrsa-gen: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 1;
	}
	crypto_init();

	/* Create the file first: no key is made for a name that cannot be used. */
	int fd = STDOUT_FILENO;
	if (outfile) {
		fd = open(outfile, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0) {
			fprintf(stderr, "plainrsa-gen: %s: %s%s\n", outfile, strerror(errno),
				errno == EEXIST ? " (never overwritten: choose another name)" : "");
			return 1;
		}
		/* O_CREAT's mode is filtered by the umask; a key file is 0600 whatever it is */
		if (fchmod(fd, 0600) < 0) {
			fprintf(stderr, "plainrsa-gen: %s: %s\n", outfile, strerror(errno));
			close(fd);
			unlink(outfile);
			return 1;
		}
	}

	struct crypto_privkey *k = NULL;
	struct buf text = { 0 };
	int r = crypto_privkey_generate_rsa_e((unsigned)bits, e, &k);
	if (r < 0)
		fprintf(stderr, "plainrsa-gen: key generation failed: %s\n", strerror(-r));
	if (r == 0 && (r = crypto_plainrsa_format(k, &text)) < 0)
		fprintf(stderr, "plainrsa-gen: %s\n", strerror(-r));
	if (r == 0 && (r = write_all(fd, text.ptr, text.len)) < 0)
		fprintf(stderr, "plainrsa-gen: %s: %s\n", outfile ? outfile : "standard output",
			strerror(-r));
	if (outfile) {
		int rs = fsync(fd) < 0 ? -errno : 0;
		int rc = close(fd) < 0 ? -errno : 0;
		if (r == 0 && (rs < 0 || rc < 0)) {
			r = rs < 0 ? rs : rc;
			fprintf(stderr, "plainrsa-gen: %s: %s\n", outfile, strerror(-r));
		}
	}
	if (outfile && r < 0)
		unlink(outfile); /* no half-written key file */
	buf_free(&text);
	crypto_privkey_free(k);
	return r < 0 ? 1 : 0;
}
