/* internal: what the core files of src/kernel share (not for users of kernel.h). */
#ifndef RACOON_KERNEL_INTERNAL_H
#define RACOON_KERNEL_INTERNAL_H

#include "kernel/kernel.h"

struct owner;

const struct kernel_ops *kernel_ops_of(const struct kernel *k);
void *kernel_priv_of(const struct kernel *k);
struct owner *kernel_owner_of(const struct kernel *k);
/* What kernel_caps() answers from now on (NULL: the backend's own table again). */
void kernel_set_caps(struct kernel *k, const struct kernel_caps *c);
/* Someone flushed the SPD: forget every policy on record. */
void kernel_forget_policies(struct kernel *k);

#endif
