/* input: read a whole script. See input.h. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "setkey/input.h"

int sk_read_input(const char *path, struct buf *b)
{
	uint8_t chunk[4096];
	int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	int rc = 0;

	if (fd < 0)
		return -errno;
	if (buf_init_secret(b, SK_INPUT_MAX) < 0) {
		rc = -ENOMEM;
		goto out;
	}
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -errno;
			break;
		}
		if (n == 0)
			break;
		if (!buf_put_bytes(b, chunk, (size_t)n)) {
			rc = b->len + (size_t)n > SK_INPUT_MAX ? -EFBIG : -ENOMEM;
			break;
		}
	}
	buf_wipe(chunk, sizeof(chunk)); /* it held key material */
out:
	if (fd != STDIN_FILENO)
		close(fd);
	if (rc < 0)
		buf_free(b);
	return rc;
}
