/* conf/psk: the pre-shared key file (`path pre_shared_key`).
 *
 * One key per line: an identifier, blanks, then the key (the rest of the line). A key
 * starting with 0x is hex. Lines starting with # are comments. The file is refused when
 * it is not a regular file, is group/world accessible, or belongs to someone other than
 * root or the user racoon runs as. The file's bytes live only in a secret buffer, which
 * is wiped after each lookup.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/hexdump.h"
#include "conf/conf.h"
#include "log/log.h"

#define PSK_FILE_MAX (1024u * 1024u)
#define PSK_KEY_MAX 1024u

static int check_fd(int fd, const char *path, uid_t owner, char *err, size_t errlen)
{
	struct stat st;
	if (fstat(fd, &st) < 0) {
		int e = errno;
		snprintf(err, errlen, "%s: %s", path, strerror(e));
		return -e;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "pre-shared key file %s is not a regular file", path);
		return -EINVAL;
	}
	if (st.st_uid != 0 && st.st_uid != owner) {
		snprintf(err, errlen,
			 "pre-shared key file %s is owned by uid %u; it must belong to root or to "
			 "the user racoon runs as (uid %u): run 'chown root %s'",
			 path, (unsigned)st.st_uid, (unsigned)owner, path);
		return -EPERM;
	}
	if (st.st_mode & 077) {
		snprintf(err, errlen,
			 "pre-shared key file %s is accessible by group or others (mode %04o); "
			 "run 'chmod 600 %s'",
			 path, (unsigned)(st.st_mode & 07777), path);
		return -EPERM;
	}
	if ((uintmax_t)st.st_size > PSK_FILE_MAX) {
		snprintf(err, errlen, "pre-shared key file %s is too large", path);
		return -EFBIG;
	}
	return 0;
}

int conf_psk_check(const char *path, uid_t owner, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		int e = errno;
		/* racoon -t as a normal user cannot open a root-only file: check what stat
		 * can tell, which is all that matters here. */
		struct stat st;
		if (e == EACCES && stat(path, &st) == 0) {
			fd = -1;
			if (!S_ISREG(st.st_mode) || (st.st_mode & 077) ||
			    (st.st_uid != 0 && st.st_uid != owner)) {
				snprintf(err, errlen,
					 "pre-shared key file %s: wrong owner or mode (uid %u, mode "
					 "%04o); run 'chown root %s; chmod 600 %s'",
					 path, (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777), path,
					 path);
				return -EPERM;
			}
			return 0;
		}
		snprintf(err, errlen, "pre-shared key file %s: %s", path, strerror(e));
		return -e;
	}
	int r = check_fd(fd, path, owner, err, errlen);
	close(fd);
	return r;
}

/* Read the file into a secret buffer. */
static int read_secret_file(const char *path, uid_t owner, struct buf *b)
{
	char err[512];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		int e = errno;
		log_error("conf", "cannot open pre-shared key file %s: %s", path, strerror(e));
		return -e;
	}
	int r = check_fd(fd, path, owner, err, sizeof(err));
	if (r < 0) {
		log_error("conf", "%s", err);
		close(fd);
		return r;
	}
	if ((r = buf_init_secret(b, PSK_FILE_MAX)) < 0) {
		close(fd);
		return r;
	}
	uint8_t chunk[4096];
	for (;;) {
		ssize_t k = read(fd, chunk, sizeof(chunk));
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			r = k < 0 ? -errno : 0;
			break;
		}
		if (!buf_put_bytes(b, chunk, (size_t)k)) {
			r = -EFBIG;
			break;
		}
	}
	buf_wipe(chunk, sizeof(chunk));
	close(fd);
	if (r < 0)
		buf_free(b);
	return r;
}

/* Two IDs match when equal as text, or when both are the same IP address. */
static bool id_matches(const char *a, size_t alen, const char *want)
{
	if (strlen(want) == alen && memcmp(a, want, alen) == 0)
		return true;
	char tmp[128];
	if (alen >= sizeof(tmp))
		return false;
	memcpy(tmp, a, alen);
	tmp[alen] = '\0';
	union sockaddr_any x, y;
	memset(&x, 0, sizeof(x));
	memset(&y, 0, sizeof(y));
	return addr_parse(tmp, &x) == 0 && addr_parse(want, &y) == 0 && addr_equal(&x, &y);
}

/* The key part of a line: text as is, or 0x hex. */
static int extract_key(const char *k, size_t klen, struct buf *secret)
{
	int r = buf_init_secret(secret, PSK_KEY_MAX);
	if (r < 0)
		return r;
	if (klen > 2 && k[0] == '0' && (k[1] == 'x' || k[1] == 'X')) {
		char hex[2 * PSK_KEY_MAX + 3];
		uint8_t raw[PSK_KEY_MAX];
		if (klen >= sizeof(hex))
			r = -EINVAL;
		if (!r) {
			memcpy(hex, k, klen);
			hex[klen] = '\0';
			r = hex_decode(hex, raw, sizeof(raw));
		}
		if (r > 0 && !buf_put_bytes(secret, raw, (size_t)r))
			r = -EFBIG;
		buf_wipe(hex, sizeof(hex));
		buf_wipe(raw, sizeof(raw));
		r = r < 0 ? r : 0;
	} else if (klen == 0 || !buf_put_bytes(secret, k, klen)) {
		r = -EINVAL;
	}
	if (r < 0)
		buf_free(secret);
	return r;
}

int conf_psk_lookup_file(const char *path, uid_t owner, const char *id, struct buf *secret)
{
	struct buf f;
	memset(secret, 0, sizeof(*secret));
	int r = read_secret_file(path, owner, &f);
	if (r < 0)
		return r;
	r = -ENOENT;
	const char *p = (const char *)f.ptr, *end = p + f.len;
	unsigned lineno = 0;
	while (p < end && r == -ENOENT) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		lineno++;
		const char *q = p, *line_end = eol;
		if (line_end > q && line_end[-1] == '\r')
			line_end--;
		while (q < line_end && (*q == ' ' || *q == '\t'))
			q++;
		const char *idp = q;
		while (q < line_end && !isspace((unsigned char)*q))
			q++;
		size_t idlen = (size_t)(q - idp);
		while (q < line_end && (*q == ' ' || *q == '\t'))
			q++;
		if (idlen && idp[0] != '#' && q < line_end && id_matches(idp, idlen, id)) {
			r = extract_key(q, (size_t)(line_end - q), secret);
			if (r < 0)
				log_error("conf", "%s:%u: bad key for %s (empty, or bad 0x hex)", path,
					  lineno, id);
			else
				log_debug2("conf", "pre-shared key for %s found at %s:%u (%zu bytes)", id,
					   path, lineno, secret->len);
		}
		p = eol + 1;
	}
	buf_free(&f);
	return r;
}

int conf_psk_lookup(const struct racoon_conf *c, const char *id, struct buf *secret)
{
	memset(secret, 0, sizeof(*secret));
	if (!c || !c->paths.pre_shared_key)
		return -ENOENT;
	return conf_psk_lookup_file(c->paths.pre_shared_key, geteuid(), id, secret);
}
