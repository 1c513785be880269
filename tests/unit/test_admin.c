/* Unit tests: admin protocol framing, JSON writer, command dispatch, and the server over a
 * real UNIX socket (garbage, oversized and silent clients do not stop it serving others). */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "admin/json.h"
#include "admin/proto.h"
#include "admin/server.h"
#include "event/event.h"
#include "ike/ike.h"
#include "isakmp/isakmp.h"

START_TEST(header_codec)
{
	uint8_t h[ADMIN_HDR_LEN];
	struct admin_hdr hdr;
	admin_hdr_put(h, ADMIN_MAGIC_REQUEST, 0, 42);
	ck_assert_int_eq(admin_hdr_parse(h, sizeof(h), ADMIN_MAGIC_REQUEST, 100, &hdr), 0);
	ck_assert_uint_eq(hdr.length, 42);
	ck_assert_int_eq(admin_hdr_parse(h, 11, ADMIN_MAGIC_REQUEST, 100, &hdr), -EAGAIN);
	ck_assert_int_eq(admin_hdr_parse(h, sizeof(h), ADMIN_MAGIC_REPLY, 100, &hdr), -EPROTO);
	ck_assert_int_eq(admin_hdr_parse(h, sizeof(h), ADMIN_MAGIC_REQUEST, 41, &hdr), -EMSGSIZE);
	h[3] = 9; /* version */
	ck_assert_int_eq(admin_hdr_parse(h, sizeof(h), ADMIN_MAGIC_REQUEST, 100, &hdr), -EPROTO);
}
END_TEST

START_TEST(request_codec)
{
	struct buf b;
	buf_init(&b, 0);
	char *argv[] = { "show-sa", "isakmp" };
	ck_assert_int_eq(admin_request_build(&b, 2, argv), 0);
	const char *out[ADMIN_MAX_ARGS];
	ck_assert_int_eq(admin_request_parse(b.ptr + ADMIN_HDR_LEN, b.len - ADMIN_HDR_LEN, out), 2);
	ck_assert_str_eq(out[0], "show-sa");
	ck_assert_str_eq(out[1], "isakmp");
	ck_assert_int_eq(admin_request_parse((const uint8_t *)"abc", 3, out), -EINVAL);
	ck_assert_int_eq(admin_request_parse((const uint8_t *)"", 0, out), -EINVAL);
	ck_assert_int_eq(admin_request_parse((const uint8_t *)"\0x", 3, out), -EINVAL);
	uint8_t many[2 * (ADMIN_MAX_ARGS + 1)];
	for (size_t i = 0; i < sizeof(many); i += 2) {
		many[i] = 'a';
		many[i + 1] = 0;
	}
	ck_assert_int_eq(admin_request_parse(many, sizeof(many), out), -EINVAL);
	buf_free(&b);
}
END_TEST

START_TEST(json_writer)
{
	struct buf b;
	struct json j;
	buf_init(&b, 0);
	json_init(&j, &b);
	json_obj_begin(&j);
	json_kv_str(&j, "s", "a\"b\\c\n\x01");
	json_kv_u64(&j, "n", 7);
	json_key(&j, "arr");
	json_arr_begin(&j);
	json_bool(&j, true);
	json_null(&j);
	json_arr_end(&j);
	json_obj_end(&j);
	buf_put_u8(&b, 0);
	ck_assert_str_eq((char *)b.ptr,
			 "{\"s\":\"a\\\"b\\\\c\\n\\u0001\",\"n\":7,\"arr\":[true,null]}");
	buf_free(&b);
}
END_TEST

static int reloads, reload_result;
static int fake_reload(void *ud)
{
	reloads++;
	return reload_result;
}

static int run(const char *a0, const char *a1, const char *a2, struct buf *out, bool *json)
{
	const char *argv[] = { a0, a1, a2 };
	int argc = a2 ? 3 : a1 ? 2 : 1;
	struct admin_env env = { .reload = fake_reload };
	struct admin_outcome o;
	buf_reset(out);
	int r = admin_dispatch(&env, argc, argv, out, &o);
	*json = o.json;
	return r;
}

START_TEST(dispatch_without_engine)
{
	struct buf out;
	bool json;
	buf_init(&out, 0);
	ck_assert_int_eq(run("nonsense", NULL, NULL, &out, &json), -ENOENT);
	ck_assert_int_eq(run("show-sa", "bogus", NULL, &out, &json), -EINVAL);
	ck_assert_int_eq(run("ss", "isakmp", NULL, &out, &json), 0);
	ck_assert_int_eq(run("-j", "status", NULL, &out, &json), 0);
	ck_assert(json);
	buf_put_u8(&out, 0);
	ck_assert_ptr_nonnull(strstr((char *)out.ptr, "\"schema_version\":\"2.0\""));
	ck_assert_ptr_nonnull(strstr((char *)out.ptr, "\"phase1\":[]"));
	ck_assert_int_eq(run("status", "-f", "json", &out, &json), 0);
	ck_assert(json);
	ck_assert_int_eq(run("status", "-x", NULL, &out, &json), -EINVAL);
	reload_result = 0;
	ck_assert_int_eq(run("rc", NULL, NULL, &out, &json), 0);
	reload_result = -EINVAL;
	ck_assert_int_eq(run("reload-config", NULL, NULL, &out, &json), -EINVAL);
	ck_assert_int_eq(reloads, 2);
	/* saopts are checked before the engine is needed */
	ck_assert_int_eq(run("delete-sa", "isakmp", "inet", &out, &json), -EINVAL);
	const char *es[] = { "es", "isakmp", "inet", "192.0.2.1", "192.0.2.2" };
	struct admin_env env = { 0 };
	struct admin_outcome oc;
	ck_assert_int_eq(admin_dispatch(&env, 5, es, &out, &oc), -ENOENT);
	ck_assert(!oc.usage);
	const char *bad[] = { "es", "esp", "inet", "192.0.2.1/33", "192.0.2.2", "any" };
	ck_assert_int_eq(admin_dispatch(&env, 6, bad, &out, &oc), -EINVAL);
	ck_assert(oc.usage); /* racoonctl exits 2 */
	ck_assert_int_eq(run("status", "-f", "yaml", &out, &json), -EINVAL);
	ck_assert_int_eq(run("logout-user", "alice", NULL, &out, &json), -ENOTSUP);
	buf_free(&out);
}
END_TEST

/* ---- the server over a socket --------------------------------------------------- */

static char sockpath[108];

static int client(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	strcpy(sun.sun_path, sockpath);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	return fd;
}

static void pump(int rounds)
{
	for (int i = 0; i < rounds; i++)
		sd_event_run(event_loop(), 10000);
}

/* Read what the server sent; returns bytes (0 = closed without data, -1 = nothing yet). */
static ssize_t drain(int fd, uint8_t *p, size_t n)
{
	ssize_t got = 0;
	for (int i = 0; i < 50; i++) {
		pump(1);
		ssize_t k = read(fd, p + got, n - (size_t)got);
		if (k > 0)
			got += k;
		else if (k == 0)
			return got;
	}
	return got ? got : -1;
}

START_TEST(server_serves_and_survives_bad_clients)
{
	snprintf(sockpath, sizeof(sockpath), "/tmp/racoon-admin-test-%d/racoon.sock", getpid());
	struct admin_env env = { .reload = fake_reload };
	struct admin_config cfg = { .path = sockpath, .owner = (uid_t)-1, .group = (gid_t)-1 };
	struct admin_server *s;
	ck_assert_int_eq(admin_server_start(&cfg, &env, &s), 0);
	struct stat st;
	ck_assert_int_eq(stat(sockpath, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0600);

	int garbage = client(), huge = client(), silent = client(), good = client();
	pump(3);
	ck_assert_uint_eq(admin_server_clients(s), 4);
	ck_assert_int_eq(write(garbage, "GARBAGE-GARBAGE!", 16), 16);
	uint8_t h[ADMIN_HDR_LEN];
	admin_hdr_put(h, ADMIN_MAGIC_REQUEST, 0, 1u << 30);
	ck_assert_int_eq(write(huge, h, sizeof(h)), (ssize_t)sizeof(h));

	struct buf req;
	buf_init(&req, 0);
	char *argv[] = { "status" };
	admin_request_build(&req, 1, argv);
	ck_assert_int_eq(write(good, req.ptr, req.len), (ssize_t)req.len);
	uint8_t reply[4096];
	ssize_t n = drain(good, reply, sizeof(reply));
	ck_assert_int_gt(n, ADMIN_HDR_LEN + 4);
	struct admin_hdr hdr;
	ck_assert_int_eq(admin_hdr_parse(reply, (size_t)n, ADMIN_MAGIC_REPLY, ADMIN_MAX_REPLY, &hdr), 0);
	ck_assert_uint_eq(hdr.length, (size_t)n - ADMIN_HDR_LEN);
	ck_assert_uint_eq(reply[ADMIN_HDR_LEN + 3], 0); /* status 0 */
	/* the bad clients were dropped without a reply; the silent one is still connected */
	ck_assert_int_eq(drain(garbage, reply, sizeof(reply)), 0);
	ck_assert_int_eq(drain(huge, reply, sizeof(reply)), 0);
	ck_assert_uint_eq(admin_server_clients(s), 1);

	/* show-event: subscribed clients receive published lines */
	int ev = client();
	char *sub[] = { "show-event" };
	buf_reset(&req);
	admin_request_build(&req, 1, sub);
	ck_assert_int_eq(write(ev, req.ptr, req.len), (ssize_t)req.len);
	pump(5);
	n = drain(ev, reply, sizeof(reply)); /* the "listening" reply */
	ck_assert_int_gt(n, 0);
	admin_server_publish(s, "phase1 up 192.0.2.2\n", "{}\n");
	pump(5);
	n = drain(ev, reply, sizeof(reply));
	ck_assert_int_gt(n, ADMIN_HDR_LEN + 4);
	reply[n] = 0;
	ck_assert_ptr_nonnull(strstr((char *)reply + ADMIN_HDR_LEN + 4, "phase1 up"));
	ck_assert_uint_eq(admin_server_subscribers(s), 1);

	/* an engine event becomes one show-event line */
	union sockaddr_any l, r;
	ck_assert_int_eq(addr_parse("192.0.2.1", &l), 0);
	ck_assert_int_eq(addr_parse("192.0.2.2", &r), 0);
	addr_set_port(&l, 500);
	addr_set_port(&r, 500);
	struct ike_event e = { .type = IKE_EV_PH2_DOWN, .local = &l, .remote = &r,
			       .icookie = { 1, 2, 3, 4, 5, 6, 7, 8 }, .msgid = 0xabcdef01,
			       .proto = ISAKMP_PROTO_IPSEC_ESP, .spi_in = 0x11111111,
			       .spi_out = 0x22222222, .why = "administrative delete" };
	admin_engine_event(s, &e);
	pump(5);
	n = drain(ev, reply, sizeof(reply) - 1);
	ck_assert_int_gt(n, ADMIN_HDR_LEN + 4);
	reply[n] = 0;
	const char *line = (char *)reply + ADMIN_HDR_LEN + 4;
	ck_assert_msg(strstr(line, " phase2-down 192.0.2.1[500]-192.0.2.2[500] "
				   "spi:0102030405060708:0000000000000000 msgid:abcdef01 esp "
				   "in:11111111 out:22222222 (administrative delete)\n"), "%s", line);
	/* a reason as long as a line still gives one bounded line */
	char why[700];
	memset(why, 'x', sizeof(why) - 1);
	why[sizeof(why) - 1] = 0;
	e.why = why;
	e.type = IKE_EV_PH1_FAILED;
	admin_engine_event(s, &e);
	pump(5);
	n = drain(ev, reply, sizeof(reply) - 1);
	ck_assert_int_gt(n, ADMIN_HDR_LEN + 4);
	reply[n] = 0;
	ck_assert_ptr_nonnull(strstr((char *)reply + ADMIN_HDR_LEN + 4, "phase1-failed"));
	ck_assert_int_eq(reply[n - 1], '\n');

	buf_free(&req);
	close(garbage);
	close(huge);
	close(silent);
	close(good);
	close(ev);
	admin_server_stop(s);
	ck_assert_int_ne(access(sockpath, F_OK), 0);
	char dir[120];
	snprintf(dir, sizeof(dir), "/tmp/racoon-admin-test-%d", getpid());
	rmdir(dir);
	event_loop_free();
}
END_TEST

int main(void)
{
	Suite *su = suite_create("admin");
	TCase *t = tcase_create("all");
	tcase_set_timeout(t, 30); /* drain() polls up to 0.5 s per read; sanitizers are slower */
	tcase_add_test(t, header_codec);
	tcase_add_test(t, request_codec);
	tcase_add_test(t, json_writer);
	tcase_add_test(t, dispatch_without_engine);
	tcase_add_test(t, server_serves_and_survives_bad_clients);
	suite_add_tcase(su, t);
	SRunner *r = srunner_create(su);
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
