/* caps: whether the kernel backend can install a Quick Mode transform correctly.
 *
 * Asked at proposal time on both sides (issue 9): an initiator never offers what its
 * kernel would install wrongly or not at all, and a responder never selects it. The
 * backend's table is the truth (kernel_caps(): for PF_KEY, narrowed by the kernel's
 * REGISTER answer). Without a kernel (-Z) nothing is installed, so everything passes.
 */
#include <stdio.h>
#include <string.h>

#include "ike/phase2/p2.h"
#include "kernel/kernel.h"

const struct kernel_caps *ike_p2_caps(const struct ike_engine *e)
{
	return e->o.no_kernel || !e->o.kernel ? NULL : kernel_caps(e->o.kernel);
}

/* XFRM installs everything the engine negotiates; any other backend gets the hint. */
static const char *hint(const struct kernel_caps *c)
{
	return strcmp(c->backend, "xfrm") ? "; use kernel_interface xfrm" : "";
}

static bool enc_ok(const struct kernel_caps *c, uint8_t id, unsigned key_bits, char *why,
		   size_t n)
{
	const char *name = kernel_enc_name((enum kernel_enc)id);
	unsigned salt = kernel_enc_salt_len((enum kernel_enc)id) * 8;
	if (!key_bits) { /* no Key Length attribute: the algorithm's default */
		int len = ike_p2_enc_key_len(id, 0);
		key_bits = len > 0 ? (unsigned)len * 8 - salt : 0;
	}
	if (!name) {
		snprintf(why, n, "ESP transform %u is unknown to the %s backend%s", id,
			 c->backend, hint(c));
		return false;
	}
	if (kernel_enc_is_aead((enum kernel_enc)id) && !c->aead) {
		snprintf(why, n, "%s: the %s backend has no AEAD algorithms%s", name, c->backend,
			 hint(c));
		return false;
	}
	if (!kernel_caps_find(c, KERNEL_CAP_ENC, id)) {
		snprintf(why, n, "%s: the %s backend cannot install it (the kernel does not "
				 "list it)%s", name, c->backend, hint(c));
		return false;
	}
	if (!kernel_caps_enc_ok(c, (enum kernel_enc)id, key_bits)) {
		snprintf(why, n, "%s with a %u-bit key: the %s backend cannot install that key "
				 "length%s", name, key_bits, c->backend, hint(c));
		return false;
	}
	return true;
}

static bool auth_ok(const struct kernel_caps *c, uint16_t auth, char *why, size_t n)
{
	const char *name = kernel_auth_name((enum kernel_auth)auth);
	const struct kernel_alg_cap *a = kernel_caps_find(c, KERNEL_CAP_AUTH, auth);
	if (!name || !a) {
		snprintf(why, n, "%s: the %s backend cannot install it%s",
			 name ? name : "this authentication algorithm", c->backend, hint(c));
		return false;
	}
	if (!kernel_caps_auth_ok(c, (enum kernel_auth)auth)) {
		/* The peer checks the RFC length: every packet would fail authentication. */
		snprintf(why, n, "%s: the %s backend installs it with a %u-bit ICV, not the "
				 "%u bits the RFC and the peer use%s", name, c->backend,
			 a->icv_bits, kernel_auth_icv_bits((enum kernel_auth)auth), hint(c));
		return false;
	}
	return true;
}

bool ike_p2_installable(const struct kernel_caps *c, uint8_t proto, uint8_t id, uint16_t auth,
			unsigned key_bits, char *why, size_t n)
{
	if (!c)
		return true;
	switch (proto) {
	case ISAKMP_PROTO_IPSEC_ESP:
		if (!enc_ok(c, id, key_bits, why, n))
			return false;
		return auth == IPSEC_AUTH_NONE || auth_ok(c, auth, why, n);
	case ISAKMP_PROTO_IPSEC_AH:
		return auth_ok(c, auth, why, n);
	case ISAKMP_PROTO_IPCOMP:
		if (kernel_caps_comp_ok(c, (enum kernel_comp)id))
			return true;
		snprintf(why, n, "%s compression: the %s backend cannot install it%s",
			 kernel_comp_name((enum kernel_comp)id) ? kernel_comp_name((enum kernel_comp)id)
								 : "this",
			 c->backend, hint(c));
		return false;
	default:
		snprintf(why, n, "protocol %u is not IPsec", proto);
		return false;
	}
}
