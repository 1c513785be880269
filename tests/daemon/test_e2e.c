/* Integration: two racoon daemons in one private network namespace negotiate an ISAKMP
 * SA, started with racoonctl establish-sa over the admin socket (needs root). -Z: no
 * kernel state is touched. Shows the daemon wiring end to end: admin socket -> engine ->
 * sockets -> peer -> engine, the SA events in the log and STATUS= following the count. */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nstest.h"

#define TRIES 1000 /* x 20 ms */
#define NOTIFY NS_DIR "/notify-b"

static void write_conf(const char *name, const char *me, const char *peer)
{
	char path[256], psk[256], text[2048];
	snprintf(psk, sizeof(psk), NS_DIR "/psk-%s.txt", name);
	snprintf(text, sizeof(text), "%s shared-secret-for-the-test\n", peer);
	ns_write_file(psk, text);
	ck_assert(chmod(psk, 0600) == 0);
	snprintf(path, sizeof(path), NS_DIR "/%s.conf", name);
	snprintf(text, sizeof(text),
		 "path pre_shared_key \"%s\";\n"
		 "path pidfile \"%s.pid\";\n"
		 "listen {\n"
		 "  isakmp %s [500];\n"
		 "  adminsock \"/run/%s.sock\";\n"
		 "}\n"
		 "remote %s {\n"
		 "  exchange_mode main;\n"
		 "  my_identifier address %s;\n"
		 "  proposal {\n"
		 "    encryption_algorithm aes;\n"
		 "    hash_algorithm sha256;\n"
		 "    authentication_method pre_shared_key;\n"
		 "    dh_group modp2048;\n"
		 "  }\n"
		 "}\n",
		 psk, name, me, name, peer, me);
	ns_write_file(path, text);
}

/* a logs to the journal (readiness: its admin socket), b to a file. */
static void spawn_racoon(struct ns_proc *p, const char *name, char *const env[])
{
	static char conf[2][256], log[2][256], out[2][256];
	int i = name[0] == 'a' ? 0 : 1;
	snprintf(conf[i], sizeof(conf[i]), NS_DIR "/%s.conf", name);
	snprintf(log[i], sizeof(log[i]), NS_DIR "/%s.log", name);
	snprintf(out[i], sizeof(out[i]), NS_DIR "/%s.out", name);
	char *with_file[] = { (char *)ns_racoon(), "-F", "-Z", "-f", conf[i], "-l", log[i], NULL };
	char *journal[] = { (char *)ns_racoon(), "-F", "-Z", "-f", conf[i], NULL };
	ns_spawn(p, i ? with_file : journal, env, out[i]);
	ck_assert_msg(ns_wait_for_text(out[i], "started (", TRIES), "racoon %s did not start",
		      name);
}

static void assert_field(const char *json, const char *field_value)
{
	ck_assert_msg(strstr(json, field_value) != NULL, "%s lacks %s", json, field_value);
}

static const char *racoonctl(void)
{
	static char path[4096];
	const char *b = getenv("top_builddir");
	snprintf(path, sizeof(path), "%s/racoonctl", b ? b : ".");
	return path;
}

START_TEST(phase1_between_two_daemons)
{
	ns_enter();
	ck_assert_int_eq(ns_sh("{ ip link add d0 type dummy 2>/dev/null || "
			       "{ ip link add d0 type veth peer name d0p && ip link set d0p up; }; } && "
			       "ip link set d0 up && ip addr add 192.0.2.1/24 dev d0 && "
			       "ip addr add 192.0.2.2/24 dev d0"), 0);
	struct ns_proc journald;
	ns_journald_start(&journald);
	write_conf("a", "192.0.2.1", "192.0.2.2");
	write_conf("b", "192.0.2.2", "192.0.2.1");
	int nfd = ns_notify_open(NOTIFY);
	char *env_b[] = { "NOTIFY_SOCKET=" NOTIFY, NULL };
	struct ns_proc a, b;
	spawn_racoon(&a, "a", NULL);
	spawn_racoon(&b, "b", env_b);
	char seen[16384] = "";
	ck_assert(ns_notify_wait(nfd, "READY=1", seen, sizeof(seen), TRIES));

	char cmd[4608];
	snprintf(cmd, sizeof(cmd),
		 "%s -s /run/a.sock establish-sa isakmp inet 192.0.2.1 192.0.2.2 > " NS_DIR
		 "/ctl.out 2>&1",
		 racoonctl());
	int st = ns_sh("%s", cmd);
	char *ctl = ns_read_file(NS_DIR "/ctl.out");
	ck_assert_msg(st == 0, "racoonctl: %d: %s", st, ctl);
	free(ctl);

	/* The initiator's event in the journal, with its fixed MESSAGE_ID and peer fields. */
	char match[128];
	snprintf(match, sizeof(match), "_PID=%d MESSAGE_ID=4d2b8a0c51e54c52a1f0a3c6f1e7b101",
		 (int)a.pid);
	char *j = ns_journal_json(match, "ISAKMP-SA established 192.0.2.1[500]-192.0.2.2[500]");
	assert_field(j, "ISAKMP-SA established 192.0.2.1[500]-192.0.2.2[500]");
	assert_field(j, "\"REMOTE_ADDR\":\"192.0.2.2\"");
	assert_field(j, "\"REMOTE_PORT\":\"500\"");
	assert_field(j, "\"LOCAL_ADDR\":\"192.0.2.1\"");
	assert_field(j, "\"PHASE\":\"1\"");
	assert_field(j, "\"ISAKMP_COOKIES\":\"");
	assert_field(j, "\"RACOON_SUBSYSTEM\":\"ike\"");
	assert_field(j, "\"SYSLOG_IDENTIFIER\":\"racoon\"");
	assert_field(j, "\"CODE_FUNC\":\"");
	free(j);
	ck_assert(ns_wait_for_text(NS_DIR "/b.log", "ISAKMP-SA established 192.0.2.2[500]-192.0.2.1[500]",
				   TRIES));
	/* The responder's STATUS= follows its SA count. */
	ck_assert_msg(ns_notify_wait(nfd, "STATUS=1 IKE socket, 1 ISAKMP-SA, 0 IPsec-SAs", seen,
				     sizeof(seen), TRIES), "seen: %s", seen);
	/* racoonctl reads the SA back from the initiator. */
	snprintf(cmd, sizeof(cmd), "%s -s /run/a.sock show-sa isakmp > " NS_DIR "/ctl.out 2>&1",
		 racoonctl());
	ck_assert_int_eq(ns_sh("%s", cmd), 0);
	ck_assert(ns_wait_for_text(NS_DIR "/ctl.out", "192.0.2.2", 1));

	ck_assert_int_eq(kill(a.pid, SIGTERM), 0);
	ck_assert_int_eq(ns_wait(&a), 0);
	ck_assert_int_eq(kill(b.pid, SIGTERM), 0);
	ck_assert_int_eq(ns_wait(&b), 0);
	ck_assert(access("/run/a.sock", F_OK) != 0);
	ck_assert(access("/run/a.pid", F_OK) != 0);
	close(nfd);
	ns_journald_stop(&journald);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("e2e");
	TCase *t = tcase_create("e2e");
	tcase_set_timeout(t, 120);
	tcase_add_test(t, phase1_between_two_daemons);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	ns_require_root();
	if (access("/lib/systemd/systemd-journald", X_OK) != 0 ||
	    ns_sh("command -v journalctl >/dev/null") != 0) {
		fprintf(stderr, "SKIP: systemd-journald and journalctl are needed\n");
		return 77;
	}
	SRunner *r = srunner_create(suite());
	srunner_set_fork_status(r, CK_FORK);
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? 1 : 0;
}
