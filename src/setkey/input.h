/* input: read a script file (or stdin) whole, into a secret bounded buffer. */
#ifndef RACOON_SETKEY_INPUT_H
#define RACOON_SETKEY_INPUT_H

#include "common/buf.h"

#define SK_INPUT_MAX (16u * 1024u * 1024u) /* bytes per file */

/* path "-" = stdin. 0 or negative errno (-EFBIG past SK_INPUT_MAX). b is initialised
 * here as a secret buffer (keys); buf_free wipes it. */
int sk_read_input(const char *path, struct buf *b);

#endif
