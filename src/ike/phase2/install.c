/* install: SPIs from the kernel, KEYMAT, and the IPsec SAs into the kernel (or, under
 * -Z, a log line saying what would have been installed). */
#include <errno.h>
#include <string.h>

#include "crypto/oakley.h"
#include "ike/lifecycle.h"
#include "ike/phase2/p2.h"
#include "kernel/kernel.h"

int ike_p2_enc_key_len(uint8_t id, unsigned bits)
{
	switch (id) {
	case ISAKMP_ESP_DES: return bits && bits != 64 ? -1 : 8;
	case ISAKMP_ESP_3DES: return bits && bits != 192 ? -1 : 24;
	case ISAKMP_ESP_NULL: return 0;
	case ISAKMP_ESP_CAST: return bits ? (bits >= 40 && bits <= 128 && bits % 8 == 0 ? (int)bits / 8 : -1) : 16;
	case ISAKMP_ESP_BLOWFISH: return bits ? (bits >= 40 && bits <= 448 && bits % 8 == 0 ? (int)bits / 8 : -1) : 16;
	case ISAKMP_ESP_TWOFISH:
	case ISAKMP_ESP_AES:
	case ISAKMP_ESP_CAMELLIA:
		if (!bits)
			return 16;
		return bits == 128 || bits == 192 || bits == 256 ? (int)bits / 8 : -1;
	case ISAKMP_ESP_AES_GCM_8:
	case ISAKMP_ESP_AES_GCM_12:
	case ISAKMP_ESP_AES_GCM_16:
		if (!bits)
			return 16 + 4;
		return bits == 128 || bits == 192 || bits == 256 ? (int)bits / 8 + 4 : -1;
	default:
		return -1;
	}
}

int ike_p2_auth_key_len(uint16_t auth)
{
	switch (auth) {
	case IPSEC_AUTH_NONE: return 0;
	case IPSEC_AUTH_HMAC_MD5: return 16;
	case IPSEC_AUTH_HMAC_SHA1: return 20;
	case IPSEC_AUTH_HMAC_SHA2_256: return 32;
	case IPSEC_AUTH_HMAC_SHA2_384: return 48;
	case IPSEC_AUTH_HMAC_SHA2_512: return 64;
	default: return -1;
	}
}

static enum kernel_proto kproto(uint8_t p)
{
	return p == ISAKMP_PROTO_IPSEC_AH ? KERNEL_PROTO_AH
	       : p == ISAKMP_PROTO_IPCOMP ? KERNEL_PROTO_COMP : KERNEL_PROTO_ESP;
}

static const char *proto_name(uint8_t p)
{
	return p == ISAKMP_PROTO_IPSEC_AH ? "AH" : p == ISAKMP_PROTO_IPCOMP ? "IPCOMP" : "ESP";
}

/* ---- SPIs ----------------------------------------------------------------------- */

static bool all_spis(const struct ike_ph2 *q)
{
	for (unsigned i = 0; i < q->np; i++)
		if (!q->p[i].spi_in)
			return false;
	return true;
}

static void spi_done(void *ud, int err, uint32_t spi)
{
	struct ike_ph2_proto *pp = ud;
	struct ike_ph2 *q = pp->owner;
	pp->spi_req = 0;
	if (err < 0 || !spi) {
		ike_ph2_fail(q, "the kernel gave no SPI");
		return;
	}
	pp->spi_in = spi;
	if (all_spis(q))
		quick_spi_ready(q);
}

int ike_ph2_get_spis(struct ike_ph2 *q)
{
	struct ike_engine *e = q->eng;
	for (unsigned i = 0; i < q->np; i++) {
		struct ike_ph2_proto *pp = &q->p[i];
		pp->owner = q;
		if (e->o.no_kernel) {
			/* -Z: SPIs of our own, never seen by a kernel. */
			uint32_t s = 0;
			while (s < 0x100 || (pp->proto == ISAKMP_PROTO_IPCOMP && s > 0xffff)) {
				if (ike_rand(e, &s, sizeof(s)) < 0)
					return -EIO;
				if (pp->proto == ISAKMP_PROTO_IPCOMP)
					s &= 0xffff;
			}
			pp->spi_in = s;
			continue;
		}
		struct kernel_spi_req r = { .src = q->req.remote, .dst = q->req.local,
					    .proto = kproto(pp->proto),
					    .mode = q->encap == IPSEC_ENCAP_TUNNEL ? KERNEL_MODE_TUNNEL
										  : KERNEL_MODE_TRANSPORT,
					    .reqid = q->req.reqid, .seq = q->req.seq };
		addr_set_port(&r.src, 0);
		addr_set_port(&r.dst, 0);
		int64_t id = kernel_spi_alloc(e->o.kernel, &r, spi_done, pp);
		if (id < 0)
			return (int)id;
		pp->spi_req = id;
	}
	if (e->o.no_kernel)
		quick_spi_ready(q);
	return 0;
}

/* ---- KEYMAT and SAs ------------------------------------------------------------- */

static int keymat(struct ike_ph2 *q, const struct ike_ph2_proto *pp, uint32_t spi, size_t len,
		  struct buf *out)
{
	struct ike_ph1 *p = q->ph1;
	return oakley_keymat(p->hash, &p->keys.d, q->gxy.len ? &q->gxy : NULL, pp->proto, spi,
			     &q->ni, &q->nr, len, out);
}

static int install_one(struct ike_ph2 *q, const struct ike_ph2_proto *pp, bool in)
{
	struct ike_engine *e = q->eng;
	int el = pp->proto == ISAKMP_PROTO_IPSEC_ESP ? ike_p2_enc_key_len(pp->trans_id, pp->key_bits) : 0;
	int al = pp->proto == ISAKMP_PROTO_IPCOMP ? 0 : ike_p2_auth_key_len(pp->auth);
	if (el < 0 || al < 0)
		return -EINVAL;
	struct buf km = { 0 };
	uint32_t spi = in ? pp->spi_in : pp->spi_out;
	int r = 0;
	if (el + al > 0)
		r = keymat(q, pp, spi, (size_t)(el + al), &km);
	if (r < 0)
		return r;
	struct kernel_sa sa = {
		.src = in ? q->req.remote : q->req.local, .dst = in ? q->req.local : q->req.remote,
		.spi = spi, .proto = kproto(pp->proto),
		.mode = q->encap == IPSEC_ENCAP_TUNNEL ? KERNEL_MODE_TUNNEL : KERNEL_MODE_TRANSPORT,
		.reqid = q->req.reqid,
		.enc = pp->proto == ISAKMP_PROTO_IPSEC_ESP ? (enum kernel_enc)pp->trans_id : KERNEL_ENC_NONE,
		.enc_key = km.ptr, .enc_key_len = (size_t)el,
		.auth = (enum kernel_auth)(pp->proto == ISAKMP_PROTO_IPCOMP ? 0 : pp->auth),
		.auth_key = km.ptr ? km.ptr + el : NULL, .auth_key_len = (size_t)al,
		.comp = pp->proto == ISAKMP_PROTO_IPCOMP ? (enum kernel_comp)pp->trans_id : KERNEL_COMP_NONE,
		.replay_window = in && pp->proto != ISAKMP_PROTO_IPCOMP ? 32 : 0,
		.seq = in ? q->req.seq : 0,
	};
	addr_set_port(&sa.src, 0);
	addr_set_port(&sa.dst, 0);
	/* Our timers are authoritative; the kernel's hard limit is a safety net after them. */
	sa.hard.add_sec = (uint64_t)q->lifetime_s + IKE_REKEY_GRACE_S * 2;
	if (q->lifetime_kb)
		sa.hard.bytes = (uint64_t)q->lifetime_kb * 1024u;
	if (log_secrets_enabled() && km.len)
		log_hexdump("ike", in ? "KEYMAT in" : "KEYMAT out", km.ptr, km.len);
	/* Inbound SPIs came from kernel_spi_alloc: the larval SA is updated. */
	if (e->o.no_kernel)
		r = 0;
	else if (in)
		r = kernel_sa_update(e->o.kernel, &sa);
	else
		r = kernel_sa_add(e->o.kernel, &sa);
	buf_free(&km);
	return r;
}

static void log_installed(struct ike_ph2 *q, const struct ike_ph2_proto *pp, bool in)
{
	char a[ADDR_STRLEN], b[ADDR_STRLEN];
	struct log_ctx c;
	ike_ph2_ctx(q, &c);
	c.spi = in ? pp->spi_in : pp->spi_out;
	const union sockaddr_any *s = in ? &q->req.remote : &q->req.local;
	const union sockaddr_any *d = in ? &q->req.local : &q->req.remote;
	log_ctx(LL_INFO, "ike", &c, LOG_MSGID_PH2_ESTABLISHED,
		"IPsec-SA established%s: %s/%s %s->%s spi=%u(0x%x)",
		q->eng->o.no_kernel ? " (-Z: would be installed, kernel untouched)" : "",
		proto_name(pp->proto), q->encap == IPSEC_ENCAP_TUNNEL ? "Tunnel" : "Transport",
		addr_ntop(s, a), addr_ntop(d, b), c.spi, c.spi);
}

/* One direction of every protocol of the bundle. */
static int install_dir(struct ike_ph2 *q, bool in)
{
	for (unsigned i = 0; i < q->np; i++) {
		int r = install_one(q, &q->p[i], in);
		if (r < 0) {
			log_error("ike", "installing the %s %s SA failed: %s",
				  proto_name(q->p[i].proto), in ? "inbound" : "outbound",
				  strerror(-r));
			ike_ph2_uninstall(q);
			return r;
		}
		log_installed(q, &q->p[i], in);
	}
	return 0;
}

/* Inbound first, so the peer's traffic has an SA before it can send any: a responder
 * calls this as it sends QM2, the initiator as QM2 arrives. */
int ike_ph2_install_inbound(struct ike_ph2 *q)
{
	if (!q->ph1)
		return -ENOTCONN;
	if (q->in_installed)
		return 0;
	int r = install_dir(q, true);
	if (r == 0)
		q->in_installed = true;
	return r;
}

int ike_ph2_install(struct ike_ph2 *q)
{
	if (!q->ph1)
		return -ENOTCONN;
	int r = ike_ph2_install_inbound(q);
	if (r == 0)
		r = install_dir(q, false);
	if (r < 0)
		return r;
	q->installed = true;
	ike_ph2_index_spis(q);
	return 0;
}

void ike_ph2_uninstall(struct ike_ph2 *q)
{
	struct ike_engine *e = q->eng;
	if (e->o.no_kernel)
		return;
	for (unsigned i = 0; i < q->np; i++) {
		const struct ike_ph2_proto *pp = &q->p[i];
		struct kernel_sa_id in = { .src = q->req.remote, .dst = q->req.local,
					   .spi = pp->spi_in, .proto = kproto(pp->proto) };
		struct kernel_sa_id out = { .src = q->req.local, .dst = q->req.remote,
					    .spi = pp->spi_out, .proto = kproto(pp->proto) };
		addr_set_port(&in.src, 0);
		addr_set_port(&in.dst, 0);
		addr_set_port(&out.src, 0);
		addr_set_port(&out.dst, 0);
		if (pp->spi_in)
			kernel_sa_delete(e->o.kernel, &in);
		if (pp->spi_out)
			kernel_sa_delete(e->o.kernel, &out);
	}
	q->installed = q->in_installed = false;
}
