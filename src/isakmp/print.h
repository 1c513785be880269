/* print: a parsed message as text lines, for `racoon -v` and tests.
 *
 * One line for the header, one per payload, indented lines for proposals, transforms and
 * attributes. Values that may be secrets (XAUTH passwords, passcodes) are printed only
 * when show_secrets is set (the daemon passes log_secrets_enabled()).
 */
#ifndef RACOON_ISAKMP_PRINT_H
#define RACOON_ISAKMP_PRINT_H

#include <stdbool.h>

#include "isakmp/digest.h"

typedef void (*isakmp_print_fn)(void *arg, const char *line);

void isakmp_print(const struct isakmp_digest *d, bool show_secrets, isakmp_print_fn fn,
		  void *arg);
/* The same lines to the log at LL_DEBUG under subsys, when `-v` was given; title first.
 * (Links src/log.) */
void isakmp_log_digest(const char *subsys, const char *title, const struct isakmp_digest *d);

#endif
