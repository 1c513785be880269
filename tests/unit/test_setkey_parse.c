/* Unit tests: setkey's parser. Table rows: a script and its canonical form, or a bad
 * script and the line:column and message of its error. */
#include <check.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "setkey/algs.h"
#include "setkey/cmd.h"
#include "setkey/format.h"
#include "setkey/policy.h"

#define K16 "0x00112233445566778899aabbccddeeff"
#define K20 "0x00112233445566778899aabbccddeeff01020304"
#define K32 "0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"

/* The canonical text of a parsed script (keys shown). Caller frees. */
static char *canon(const struct sk_script *s)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	ck_assert_ptr_nonnull(f);
	for (size_t i = 0; i < s->n; i++)
		sk_cmd_print(f, &s->cmds[i], SK_FMT_KEYS);
	fclose(f);
	return out;
}

static unsigned warnings;
static char last_warning[256];
static void count_warn(void *ud, unsigned line, unsigned col, const char *msg)
{
	(void)ud;
	warnings++;
	snprintf(last_warning, sizeof(last_warning), "%u:%u: %s", line, col, msg);
}

static const struct sk_parse_opts opts = { .warn = count_warn, .no_dns = true };

static int parse(const char *text, struct sk_script *s, struct sk_error *e)
{
	return sk_parse(text, strlen(text), &opts, s, e);
}

static const struct {
	const char *in;
	const char *out;
} good[] = {
	{ "add 192.0.2.1 192.0.2.2 esp 0x1000 -E aes-cbc " K16 " -A hmac-sha256 " K32 ";",
	  "add 192.0.2.1 192.0.2.2 esp 0x1000 -m transport -E aes-cbc " K16
	  " -A hmac-sha256 " K32 ";\n" },
	{ "add -4 192.0.2.1 192.0.2.2 esp 4096 -m tunnel -r 32 -u 7 -lh 3600 -ls 3000 "
	  "-bh 1000000 -bs 900000 -E aes-gcm-16 " K20 ";",
	  "add 192.0.2.1 192.0.2.2 esp 0x1000 -m tunnel -r 32 -u 7 -lh 3600 -ls 3000 "
	  "-bh 1000000 -bs 900000 -E aes-gcm-16 " K20 ";\n" },
	{ "add 2001:db8::1 2001:db8::2 ah 0x200 -A hmac-sha1 \"12345678901234567890\";",
	  "add 2001:db8::1 2001:db8::2 ah 0x200 -m transport -A hmac-sha1 "
	  "0x3132333435363738393031323334353637383930;\n" },
	{ "add 192.0.2.1 192.0.2.2 ipcomp 0x4000 -C deflate;",
	  "add 192.0.2.1 192.0.2.2 ipcomp 0x4000 -m transport -C deflate;\n" },
	{ "add 192.0.2.1 192.0.2.2 ipcomp 2 -C deflate -R;",
	  "add 192.0.2.1 192.0.2.2 ipcomp 0x2 -m transport -C deflate -R;\n" },
	{ "add 192.0.2.1[4501] 192.0.2.2 esp-udp 0x1001 -m any -E null -A hmac-md5 " K16 ";",
	  "add 192.0.2.1[4501] 192.0.2.2[4500] esp-udp 0x1001 -m any -E null -A hmac-md5 "
	  K16 ";\n" },
	{ "add 192.0.2.1 192.0.2.2 esp 0x1000 -E 3des-cbc 0x0011223344556677_0011223344556677"
	  "_0011223344556677;",
	  "add 192.0.2.1 192.0.2.2 esp 0x1000 -m transport -E 3des-cbc "
	  "0x001122334455667700112233445566770011223344556677;\n" },
	{ "get 192.0.2.1 192.0.2.2 esp 0x1000; delete 192.0.2.1 192.0.2.2 ah 300;"
	  "deleteall 192.0.2.1 192.0.2.2 esp; getspi 192.0.2.1 192.0.2.2 esp 0x2000 -m tunnel -u 3;",
	  "get 192.0.2.1 192.0.2.2 esp 0x1000;\ndelete 192.0.2.1 192.0.2.2 ah 0x12c;\n"
	  "deleteall 192.0.2.1 192.0.2.2 esp;\n"
	  "getspi 192.0.2.1 192.0.2.2 esp 0x2000 -m tunnel -u 3;\n" },
	{ "flush; flush esp; dump ah; dump; spdflush; spddump;;",
	  "flush;\nflush esp;\ndump ah;\ndump;\nspdflush;\nspddump;\n" },
	{ "spdadd 192.0.2.0/24 198.51.100.0/24 any -P out ipsec esp/transport//require;",
	  "spdadd 192.0.2.0/24[any] 198.51.100.0/24[any] any -P out prio def ipsec "
	  "esp/transport//require;\n" },
	{ "spdadd 192.0.2.1[500] 198.51.100.2[any] udp -P in none;",
	  "spdadd 192.0.2.1/32[500] 198.51.100.2/32[any] udp -P in prio def none;\n" },
	{ "spdupdate 10.0.0.0/8 0/0 tcp -P fwd prio high + 5 discard;",
	  "spdupdate 10.0.0.0/8[any] 0.0.0.0/0[any] tcp -P fwd prio high + 5 discard;\n" },
	{ "spdadd 2001:db8::/32 2001:db8:1::/48 icmp6 135,0 -P out priority low -3 ipsec "
	  "esp/tunnel/2001:db8::1-2001:db8::2/unique:42 ah/transport//use;",
	  "spdadd 2001:db8::/32[any] 2001:db8:1::/48[any] icmp6 135 -P out prio low - 3 ipsec "
	  "esp/tunnel/2001:db8::1-2001:db8::2/unique:42 ah/transport//use;\n" },
	{ "spdadd 0/0 0/0 icmp 3,4 -P in discard;",
	  "spdadd 0.0.0.0/0[any] 0.0.0.0/0[any] icmp 3,4 -P in prio def discard;\n" },
	{ "spdadd 192.0.2.0/24 198.51.100.0/24 17 -P out prio 10 ipsec "
	  "esp/tunnel/192.0.2.1-198.51.100.1;",
	  "spdadd 192.0.2.0/24[any] 198.51.100.0/24[any] udp -P out prio def + 10 ipsec "
	  "esp/tunnel/192.0.2.1-198.51.100.1/require;\n" },
	{ "spddelete 192.0.2.0/24 198.51.100.0/24 any -P out;\n"
	  "spddelete 192.0.2.0/24 198.51.100.0/24 any -P in ipsec esp/transport//require;",
	  "spddelete 192.0.2.0/24[any] 198.51.100.0/24[any] any -P out;\n"
	  "spddelete 192.0.2.0/24[any] 198.51.100.0/24[any] any -P in prio def ipsec "
	  "esp/transport//require;\n" },
	{ "# comment\nspdflush; # trailing\n\n exit; this is not parsed",
	  "spdflush;\n" },
};

START_TEST(good_scripts)
{
	struct sk_script s;
	struct sk_error e;
	int rc = parse(good[_i].in, &s, &e);
	if (rc != 0)
		ck_abort_msg("row %d: %u:%u: %s", _i, e.line, e.col, e.msg);
	char *c = canon(&s);
	ck_assert_str_eq(c, good[_i].out);
	/* the canonical form parses to itself */
	struct sk_script s2;
	ck_assert_int_eq(parse(c, &s2, &e), 0);
	char *c2 = canon(&s2);
	ck_assert_str_eq(c2, c);
	free(c);
	free(c2);
	sk_script_free(&s);
	sk_script_free(&s2);
}
END_TEST

static const struct {
	const char *in;
	unsigned line, col;
	const char *msg; /* a part of the message */
} bad[] = {
	{ "add 192.0.2.1 192.0.2.2 esp 0x1000 -E aes-cbc " K16, 1, 81, "missing ';'" },
	{ "frobnicate;", 1, 1, "expected a command" },
	{ "update 192.0.2.1 192.0.2.2 esp 0x1000;", 1, 1, "does not exist" },
	{ "flush;\n  add 192.0.2.1 192.0.2.300 esp 0x1000 -E null;", 2, 17, "invalid address" },
	{ "add 192.0.2.1 2001:db8::1 esp 0x1000 -E null -A hmac-md5 " K16 ";", 1, 15,
	  "different address families" },
	{ "add -6 192.0.2.1 192.0.2.2 esp 0x1000;", 1, 8, "not an IPv6 address" },
	{ "add 192.0.2.1 192.0.2.2 esp 0x10 -E null -A hmac-md5 " K16 ";", 1, 29, "below 256" },
	{ "add 192.0.2.1 192.0.2.2 esp 0x1ffffffff -E aes-cbc " K16 ";", 1, 29, "invalid SPI" },
	{ "add 192.0.2.1 192.0.2.2 ipcomp 0x10000 -C deflate;", 1, 32, "16 bits" },
	{ "add 192.0.2.1 192.0.2.2 ipcomp 2 -C deflate;", 1, 32, "-R" },
	{ "add 192.0.2.1 192.0.2.2 esp 0x1000 -E aes-cbc 0x0011;", 1, 47, "16 to 32 bytes" },
	{ "add 192.0.2.1 192.0.2.2 esp 0x1000 -E aes-cbc 0x001;", 1, 47, "odd number" },
	{ "add 192.0.2.1 192.0.2.2 esp 0x1000 -E aes-cbc 0x00zz;", 1, 51, "invalid character" },
	{ "add 192.0.2.1 192.0.2.2 esp 0x1000 -E aes-cbc \"short;", 1, 47, "unterminated" },
	{ "add 192.0.2.1 192.0.2.2 esp 0x1000 -E rot13 0x00;", 1, 39, "encryption algorithm" },
	{ "add 192.0.2.1 192.0.2.2 esp 0x1000 -E des-deriv 0x00;", 1, 39, "KAME" },
	{ "add 192.0.2.1 192.0.2.2 esp 0x1000 -A hmac-sha1 " K20 ";", 1, 1, "esp needs -E" },
	{ "add 192.0.2.1 192.0.2.2 esp 0x1000 -E aes-gcm-16 " K20 " -A hmac-sha1 " K20 ";", 1, 1,
	  "provides integrity" },
	{ "add 192.0.2.1 192.0.2.2 esp 0x1000 -E null;", 1, 1, "neither" },
	{ "add 192.0.2.1 192.0.2.2 ah 0x1000 -E aes-cbc " K16 " -A hmac-sha1 " K20 ";", 1, 1,
	  "only -A" },
	{ "add 192.0.2.1 192.0.2.2 ah 0x1000 -A hmac-sha1 " K20 " -A hmac-sha1 " K20 ";", 1, 91,
	  "given twice" },
	{ "add 192.0.2.1 192.0.2.2 esp 0x1000 -m sideways -E null -A hmac-md5 " K16 ";", 1, 39,
	  "a mode" },
	{ "add 192.0.2.1 192.0.2.2 esp 0x1000 -f random-pad -E aes-cbc " K16 ";", 1, 36, "KAME" },
	{ "add 192.0.2.1 192.0.2.2 esp-old 0x1000 -E aes-cbc " K16 ";", 1, 25, "RFC 1827" },
	{ "add 192.0.2.1[500] 192.0.2.2 esp 0x1000 -E aes-cbc " K16 ";", 1, 5, "esp-udp" },
	{ "get 192.0.2.1 192.0.2.2 esp 0x1000 -m tunnel;", 1, 36, "expected ';'" },
	{ "getspi 192.0.2.1 192.0.2.2 esp 0x1000 -E null;", 1, 39, "only for add" },
	{ "add 192.0.2.1 192.0.2.2 esp 0x1000 -R -C deflate;", 1, 36, "after -C" },
	{ "add 192.0.2.1 192.0.2.2 esp 0x1000 -r -1 -E null;", 1, 39, "replay window" },
	{ "flush esp-udp;", 1, 7, "esp-udp" },
	{ "add 192.0.2.1 192.0.2.2 esp 0x1000 -E aes-cbc \"a\0b\";", 1, 47, "NUL" },
	{ "spdadd 192.0.2.0/33 198.51.100.0/24 any -P out none;", 1, 18, "prefix length" },
	{ "spdadd 192.0.2.0/24[99999] 198.51.100.0/24 any -P out none;", 1, 21, "invalid port" },
	{ "spdadd 192.0.2.0/24[80 198.51.100.0/24 any -P out none;", 1, 20, "missing ']'" },
	{ "spdadd 192.0.2.0/24 198.51.100.0/24 nosuchproto -P out none;", 1, 37,
	  "upper-layer protocol" },
	{ "spdadd 192.0.2.0/24 198.51.100.0/24 any -P sideways none;", 1, 44, "direction" },
	{ "spdadd 192.0.2.0/24 198.51.100.0/24 any -P out;", 1, 47, "action" },
	{ "spdadd 192.0.2.0/24 198.51.100.0/24 any -P out ipsec;", 1, 53, "at least one rule" },
	{ "spdadd 192.0.2.0/24 198.51.100.0/24 any -P out none esp/transport//require;", 1, 53,
	  "only ipsec" },
	{ "spdadd 192.0.2.0/24 198.51.100.0/24 any -P out bypass;", 1, 48, "per-socket" },
	{ "spdadd 192.0.2.0/24 198.51.100.0/24 any -P out ipsec esp/tunnel//require;", 1, 73,
	  "needs its endpoints" },
	{ "spdadd 192.0.2.0/24 198.51.100.0/24 any -P out ipsec esp/transport/192.0.2.1-192.0.2.2/require;",
	  1, 68, "tunnel mode only" },
	{ "spdadd 192.0.2.0/24 198.51.100.0/24 any -P out ipsec esp/tunnel/192.0.2.1-2001:db8::1;",
	  1, 75, "different address families" },
	{ "spdadd 192.0.2.0/24 198.51.100.0/24 any -P out ipsec esp/tunnel/192.0.2.1;", 1, 65,
	  "src-dst" },
	{ "spdadd 192.0.2.0/24 198.51.100.0/24 any -P out ipsec foo/transport;", 1, 54,
	  "rule protocol" },
	{ "spdadd 192.0.2.0/24 198.51.100.0/24 any -P out ipsec esp;", 1, 57, "needs a mode" },
	{ "spdadd 192.0.2.0/24 198.51.100.0/24 any -P out ipsec esp/transport//mandatory;", 1, 69,
	  "a level" },
	{ "spdadd 192.0.2.0/24 198.51.100.0/24 any -P out ipsec esp/transport//unique:x;", 1, 76,
	  "reqid" },
	{ "spdadd 192.0.2.0/24 198.51.100.0/24 any -P out prio middle ipsec esp/transport//use;", 1,
	  53, "priority" },
	{ "spdadd 192.0.2.0/24 198.51.100.0/24 any -P out prio def + 1073741825 none;", 1, 59,
	  "out of range" },
	{ "spdadd 192.0.2.0/24 198.51.100.0/24 any -P out prio -2147483648 none;", 1, 54,
	  "out of range" },
	{ "spdadd 192.0.2.0/24 198.51.100.0/24 any -P out ipsec a/b/c/d/e;", 1, 54, "rule protocol" },
	{ "spdadd 192.0.2.0/24 198.51.100.0/24 any -P out ipsec esp/transport//use/x;", 1, 72,
	  "too many '/'" },
	{ "spdadd 192.0.2.0/24 198.51.100.0/24 any -ctx 1 1 \"x\" -P out none;", 1, 41, "SELinux" },
	{ "spdadd tagged \"x\" -P out none;", 1, 8, "NetBSD" },
	{ "spdadd 192.0.2.0/24 2001:db8::/32 any -P out none;", 1, 21, "different address families" },
	{ "spdadd 192.0.2.0/24 198.51.100.0/24 tcp 8,0 -P out none;", 1, 41, "-P" },
	{ "spdadd 192.0.2.0/24 198.51.100.0/24 icmp 300 -P out none;", 1, 42, "ICMP type" },
	{ "spdadd -46 192.0.2.0/24 198.51.100.0/24 any -P out none;", 1, 10, "exclude" },
	{ "\"stray\";", 1, 1, "expected a command" },
	{ "spdflush extra;", 1, 10, "expected ';'" },
};

START_TEST(bad_scripts)
{
	struct sk_script s;
	struct sk_error e;
	const char *in = bad[_i].in;
	/* the one row with a NUL byte inside: its length goes past the NUL */
	size_t len = strlen(in);
	if (strstr(in, "\"a") && len < 60)
		len += 1 + strlen(in + len + 1);
	int rc = sk_parse(in, len, &opts, &s, &e);
	if (rc == 0)
		ck_abort_msg("row %d parsed: %s", _i, in);
	ck_assert_int_eq(s.n, 0);
	ck_assert_ptr_null(s.cmds);
	if (e.line != bad[_i].line || e.col != bad[_i].col || !strstr(e.msg, bad[_i].msg))
		ck_abort_msg("row %d: got %u:%u: %s; want %u:%u: ...%s...", _i, e.line, e.col, e.msg,
			     bad[_i].line, bad[_i].col, bad[_i].msg);
}
END_TEST

START_TEST(icv_lengths_and_keys)
{
	static const struct {
		const char *alg, *key;
		int id;
		unsigned icv;
		unsigned warns;
	} rows[] = {
		{ "hmac-sha256", K32, KERNEL_AUTH_HMAC_SHA2_256, 128, 0 },
		{ "hmac-sha2-256", K32, KERNEL_AUTH_HMAC_SHA2_256, 128, 0 },
		{ "hmac-sha256-96", K32, KERNEL_AUTH_HMAC_SHA2_256, 96, 1 },
		{ "hmac-sha384", K32 "0011223344556677" "8899aabbccddeeff", KERNEL_AUTH_HMAC_SHA2_384, 192, 0 },
		{ "hmac-sha512", K32 "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
		  KERNEL_AUTH_HMAC_SHA2_512, 256, 0 },
		{ "hmac-sha1", K20, KERNEL_AUTH_HMAC_SHA1, 96, 0 },
		{ "hmac-md5", K16, KERNEL_AUTH_HMAC_MD5, 96, 0 },
	};
	char text[512];
	struct sk_script s;
	struct sk_error e;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		snprintf(text, sizeof(text), "add 192.0.2.1 192.0.2.2 esp 0x1000 -E aes-cbc " K16
			 " -A %s %s;", rows[i].alg, rows[i].key);
		warnings = 0;
		ck_assert_msg(parse(text, &s, &e) == 0, "%s: %u:%u %s", rows[i].alg, e.line, e.col, e.msg);
		const struct sk_sa_cmd *sa = &s.cmds[0].u.sa;
		ck_assert_int_eq(sa->sa.auth, rows[i].id);
		ck_assert_uint_eq(sa->sa.icv_bits, rows[i].icv);
		ck_assert_uint_eq(warnings, rows[i].warns);
		ck_assert_uint_eq(sa->auth_key.len, (strlen(rows[i].key) - 2) / 2);
		ck_assert(sa->auth_key.flags & BUF_SECRET);
		ck_assert(sa->enc_key.flags & BUF_SECRET);
		ck_assert_ptr_null(sa->sa.auth_key); /* keys stay in the command's buffers */
		sk_script_free(&s);
	}
	ck_assert_str_eq(last_warning + strlen(last_warning) - 9, "t need it");

	/* AES-GCM: 16-byte key + 4-byte salt, ICV 128, no -A */
	ck_assert_int_eq(parse("add 192.0.2.1 192.0.2.2 esp 0x1000 -E aes-gcm-16 " K32 "01020304;",
			       &s, &e), 0);
	ck_assert_int_eq(s.cmds[0].u.sa.sa.enc, KERNEL_ENC_AES_GCM_16);
	ck_assert_uint_eq(s.cmds[0].u.sa.enc_key.len, 36);
	ck_assert_uint_eq(s.cmds[0].u.sa.enc_key.ptr[35], 4);
	ck_assert_uint_eq(s.cmds[0].u.sa.enc->icv_bits, 128);
	sk_script_free(&s);
	ck_assert_int_ne(parse("add 192.0.2.1 192.0.2.2 esp 0x1000 -E aes-gcm-16 " K16 ";", &s, &e), 0);
	ck_assert_ptr_nonnull(strstr(e.msg, "20 to 36"));
}
END_TEST

START_TEST(priorities)
{
	static const struct {
		const char *prio;
		uint32_t value;
	} rows[] = {
		{ "", SK_PRIO_DEFAULT },
		{ "prio def", 0x80000000u },
		{ "prio high", 0x40000000u },
		{ "prio low", 0xC0000000u },
		{ "prio high + 5", 0x40000000u - 5 },
		{ "prio high +5", 0x40000000u - 5 },
		{ "priority low - 3", 0xC0000003u },
		{ "prio low -3", 0xC0000003u },
		{ "prio 10", 0x80000000u - 10 },
		{ "prio -10", 0x80000000u + 10 },
		{ "prio def + 1073741824", 0x40000000u },
		{ "prio high + 1073741824", 0 },
		{ "prio low - 1073741823", 0xffffffffu },
		{ "prio 2147483648", 0 },
	};
	char text[256], out[64];
	struct sk_script s;
	struct sk_error e;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		snprintf(text, sizeof(text), "spdadd 0/0 0/0 any -P out %s none;", rows[i].prio);
		ck_assert_msg(parse(text, &s, &e) == 0, "%s: %s", rows[i].prio, e.msg);
		uint32_t got = s.cmds[0].u.spd.pol.priority;
		ck_assert_msg(got == rows[i].value, "%s: 0x%x", rows[i].prio, got);
		sk_script_free(&s);
		/* what dumps print reads back as the same value */
		sk_prio_format(got, out, sizeof(out));
		snprintf(text, sizeof(text), "spdadd 0/0 0/0 any -P out %s none;", out);
		ck_assert_msg(parse(text, &s, &e) == 0, "%s: %s", out, e.msg);
		ck_assert_uint_eq(s.cmds[0].u.spd.pol.priority, got);
		sk_script_free(&s);
	}
}
END_TEST

START_TEST(model_details)
{
	struct sk_script s;
	struct sk_error e;
	const char *text = "\n\nspdadd 192.0.2.0/24[80] 198.51.100.0/24 tcp\n"
			   "  -P in ipsec esp/tunnel/203.0.113.1-203.0.113.2/unique:9\n"
			   "  ah/transport//use;\n"
			   "add 192.0.2.1[1] 192.0.2.2[2] esp-udp 300 -E aes-cbc " K16 ";";
	ck_assert_int_eq(parse(text, &s, &e), 0);
	ck_assert_uint_eq(s.n, 2);
	const struct sk_cmd *c = &s.cmds[0];
	ck_assert_uint_eq(c->line, 3);
	ck_assert_uint_eq(c->col, 1);
	ck_assert_uint_eq(c->end_line, 5);
	const struct kernel_policy *p = &c->u.spd.pol;
	ck_assert_int_eq(p->dir, KERNEL_DIR_IN);
	ck_assert_uint_eq(p->sel.src_plen, 24);
	ck_assert_uint_eq(p->sel.sport, 80);
	ck_assert_uint_eq(p->sel.dport, 0);
	ck_assert_uint_eq(p->sel.proto, IPPROTO_TCP);
	ck_assert_uint_eq(p->n_tmpl, 2);
	ck_assert_int_eq(p->tmpl[0].mode, KERNEL_MODE_TUNNEL);
	ck_assert_int_eq(p->tmpl[0].level, KERNEL_LEVEL_UNIQUE);
	ck_assert_uint_eq(p->tmpl[0].reqid, 9);
	ck_assert_int_eq(p->tmpl[0].dst.sa.sa_family, AF_INET);
	ck_assert_int_eq(p->tmpl[1].proto, KERNEL_PROTO_AH);
	ck_assert_int_eq(p->tmpl[1].level, KERNEL_LEVEL_USE);
	ck_assert(c->u.spd.has_action);
	c = &s.cmds[1];
	ck_assert_uint_eq(c->line, 6);
	ck_assert(c->u.sa.sa.encap.enabled);
	ck_assert_uint_eq(c->u.sa.sa.encap.sport, 1);
	ck_assert_uint_eq(c->u.sa.sa.encap.dport, 2);
	ck_assert_int_eq(c->u.sa.sa.proto, KERNEL_PROTO_ESP);
	ck_assert_uint_eq(c->u.sa.sa.spi, 300);
	sk_script_free(&s);

	ck_assert_int_eq(parse("", &s, &e), 0);
	ck_assert_uint_eq(s.n, 0);
	ck_assert_int_eq(parse(" ;; # nothing\n", &s, &e), 0);
	ck_assert_uint_eq(s.n, 0);
}
END_TEST

START_TEST(command_limit)
{
	size_t n = SK_MAX_COMMANDS + 1, len = n * 7;
	char *text = malloc(len + 1);
	struct sk_script s;
	struct sk_error e;
	ck_assert_ptr_nonnull(text);
	for (size_t i = 0; i < n; i++)
		memcpy(text + i * 7, "flush;\n", 7);
	text[len] = '\0';
	ck_assert_int_ne(sk_parse(text, len, &opts, &s, &e), 0);
	ck_assert_uint_eq(e.line, SK_MAX_COMMANDS + 1);
	ck_assert_ptr_nonnull(strstr(e.msg, "too many"));
	ck_assert_int_eq(sk_parse(text, len - 7, &opts, &s, &e), 0);
	ck_assert_uint_eq(s.n, SK_MAX_COMMANDS);
	sk_script_free(&s);
	free(text);
}
END_TEST

/* Deterministic mutations of every good row: parse or fail cleanly, never crash/leak. */
START_TEST(mutations_fail_cleanly)
{
	uint32_t seed = 12345;
	char text[1024];
	for (size_t r = 0; r < sizeof(good) / sizeof(good[0]); r++) {
		size_t len = strlen(good[r].in);
		for (int m = 0; m < 300; m++) {
			memcpy(text, good[r].in, len);
			for (int k = 0; k < 1 + m % 4; k++) {
				seed = seed * 1103515245u + 12345u;
				size_t at = (seed >> 8) % len;
				static const char pool[] = ";/[]-\"#0x9 .:,+\n\0";
				text[at] = pool[(seed >> 20) % (sizeof(pool) - 1)];
			}
			size_t cut = m % 7 == 0 ? (seed >> 4) % (len + 1) : len;
			struct sk_script s;
			struct sk_error e;
			if (sk_parse(text, cut, &opts, &s, &e) == 0) {
				char *c = canon(&s);
				free(c);
				sk_script_free(&s);
			} else {
				ck_assert(e.msg[0] != '\0');
				ck_assert(e.line >= 1);
			}
		}
	}
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("setkey_parse");
	TCase *tc = tcase_create("parse");
	tcase_add_loop_test(tc, good_scripts, 0, sizeof(good) / sizeof(good[0]));
	tcase_add_loop_test(tc, bad_scripts, 0, sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(tc, icv_lengths_and_keys);
	tcase_add_test(tc, priorities);
	tcase_add_test(tc, model_details);
	tcase_add_test(tc, command_limit);
	tcase_add_test(tc, mutations_fail_cleanly);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
