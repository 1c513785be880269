/* readfile: small key and certificate files read whole (crypto-internal helper). */
#ifndef RACOON_CRYPTO_READFILE_H
#define RACOON_CRYPTO_READFILE_H

#include <stdbool.h>

#include "common/buf.h"

#define PUBKEY_FILE_MAX (1024u * 1024u)

/* The file into an owned buffer (secret ones wiped on free): 0, -errno, -EBADMSG when
 * empty, -EFBIG over PUBKEY_FILE_MAX. */
int crypto_read_file(const char *path, bool secret, struct buf *out);

#endif
