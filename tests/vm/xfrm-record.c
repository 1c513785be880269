/* xfrm-record: save raw XFRM netlink messages from the kernel as unit test fixtures.
 *
 *   xfrm-record sa DIR          dump the SAD: DIR/sa-N.bin, one message per file
 *   xfrm-record policy DIR      dump the SPD: DIR/policy-N.bin
 *   xfrm-record events DIR N S  save the next N event messages (S seconds at most):
 *                               DIR/ev-TYPE-N.bin
 * Deliberately independent of src/kernel (plain libmnl), so fixtures show what the
 * kernel sends, not what our builder would expect.
 */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/xfrm.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *dir;
static int counter;

static void save(const struct nlmsghdr *nlh, const char *kind)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s-%d.bin", dir, kind, counter++);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(nlh, 1, nlh->nlmsg_len, f) != nlh->nlmsg_len) {
		perror(path);
		exit(1);
	}
	fclose(f);
}

static int dump_cb(const struct nlmsghdr *nlh, void *data)
{
	save(nlh, data);
	return MNL_CB_OK;
}

static const char *ev_name(uint16_t t)
{
	switch (t) {
	case XFRM_MSG_ACQUIRE: return "acquire";
	case XFRM_MSG_EXPIRE: return "expire";
	case XFRM_MSG_POLEXPIRE: return "polexpire";
	case XFRM_MSG_MAPPING: return "mapping";
	case XFRM_MSG_NEWPOLICY: return "newpolicy";
	case XFRM_MSG_UPDPOLICY: return "updpolicy";
	case XFRM_MSG_DELPOLICY: return "delpolicy";
	case XFRM_MSG_FLUSHPOLICY: return "flushpolicy";
	default: return "other";
	}
}

static int ev_cb(const struct nlmsghdr *nlh, void *data)
{
	save(nlh, ev_name(nlh->nlmsg_type));
	(*(int *)data)--;
	return MNL_CB_OK;
}

static int dump(struct mnl_socket *nl, uint16_t type, const char *kind)
{
	static uint8_t buf[65536];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = 1;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (int i = 0; i < 10000; i++) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0)
			return -errno;
		int r = mnl_cb_run(buf, (size_t)n, 1, mnl_socket_get_portid(nl), dump_cb, (void *)kind);
		if (r <= MNL_CB_STOP)
			return r < 0 ? -errno : 0;
	}
	return -ETIMEDOUT;
}

static int events(struct mnl_socket *nl, int count, int seconds)
{
	static uint8_t buf[65536];
	unsigned groups[] = { XFRMNLGRP_ACQUIRE, XFRMNLGRP_EXPIRE, XFRMNLGRP_POLICY,
			      XFRMNLGRP_MAPPING };
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		if (mnl_socket_setsockopt(nl, NETLINK_ADD_MEMBERSHIP, &groups[i], sizeof(groups[i])) < 0)
			return -errno;
	printf("ready\n");
	fflush(stdout);
	time_t end = time(NULL) + seconds;
	while (count > 0 && time(NULL) < end) {
		struct pollfd p = { mnl_socket_get_fd(nl), POLLIN, 0 };
		if (poll(&p, 1, 200) <= 0)
			continue;
		ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0)
			return -errno;
		mnl_cb_run(buf, (size_t)n, 0, 0, ev_cb, &count);
	}
	return count > 0 ? -ETIMEDOUT : 0;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: xfrm-record sa|policy|events DIR [N S]\n");
		return 2;
	}
	dir = argv[2];
	struct mnl_socket *nl = mnl_socket_open(NETLINK_XFRM);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("netlink");
		return 1;
	}
	int r;
	if (!strcmp(argv[1], "sa"))
		r = dump(nl, XFRM_MSG_GETSA, "sa");
	else if (!strcmp(argv[1], "policy"))
		r = dump(nl, XFRM_MSG_GETPOLICY, "policy");
	else if (!strcmp(argv[1], "events") && argc >= 5)
		r = events(nl, atoi(argv[3]), atoi(argv[4]));
	else
		r = -EINVAL;
	mnl_socket_close(nl);
	if (r < 0)
		fprintf(stderr, "xfrm-record: %s\n", strerror(-r));
	return r < 0;
}
