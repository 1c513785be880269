/* policy: the reference's policy priorities (libipsec's ipsec_set_policy). */
#ifndef RACOON_SETKEY_POLICY_H
#define RACOON_SETKEY_POLICY_H

#include <stddef.h>
#include <stdint.h>

/* Lower values win in the kernel. `prio def` is also what a policy without a priority
 * gets, as the reference does on Linux. */
#define SK_PRIO_HIGH 0x40000000u
#define SK_PRIO_DEFAULT 0x80000000u
#define SK_PRIO_LOW 0xC0000000u
#define SK_PRIO_PLUS_MAX 0x40000000u  /* base + N: N at most this */
#define SK_PRIO_MINUS_MAX 0x3fffffffu /* base - N */

/* "prio def", "prio high + 3", "prio low - 7": the base nearest to the value. */
void sk_prio_format(uint32_t prio, char *out, size_t n);

#endif
