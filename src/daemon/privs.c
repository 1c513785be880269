/* privs: check the effective capabilities against what racoon is about to do. */
#include "daemon/privs.h"

#include <errno.h>
#include <linux/capability.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static int effective_caps(uint64_t *eff)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];
	memset(d, 0, sizeof(d));
	if (syscall(SYS_capget, &h, d) < 0)
		return -errno;
	*eff = (uint64_t)d[0].effective | ((uint64_t)d[1].effective << 32);
	return 0;
}

unsigned privs_unprivileged_port_start(void)
{
	FILE *f = fopen("/proc/sys/net/ipv4/ip_unprivileged_port_start", "re");
	unsigned v = 1024;
	if (!f)
		return v;
	if (fscanf(f, "%u", &v) != 1 || v > 65536)
		v = 1024;
	fclose(f);
	return v;
}

int privs_check(const struct privs_need *need, char *msg, size_t msglen)
{
	uint64_t eff = 0;
	if (effective_caps(&eff) < 0)
		eff = geteuid() == 0 ? ~(uint64_t)0 : 0;
	bool no_admin = need->net_admin && !(eff & (1ULL << CAP_NET_ADMIN));
	bool no_bind = need->bind_service && !(eff & (1ULL << CAP_NET_BIND_SERVICE));
	if (!no_admin && !no_bind) {
		if (msglen)
			msg[0] = '\0';
		return 0;
	}
	char admin[160] = "", bindmsg[160] = "";
	if (no_admin)
		snprintf(admin, sizeof(admin),
			 "CAP_NET_ADMIN (to install IPsec SAs and the IKE sockets' bypass policy; "
			 "-Z needs none)");
	if (no_bind)
		snprintf(bindmsg, sizeof(bindmsg),
			 "CAP_NET_BIND_SERVICE (to bind ports below %u; or use -p/-P >= %u)",
			 privs_unprivileged_port_start(), privs_unprivileged_port_start());
	snprintf(msg, msglen, "racoon lacks %s%s%s: run it as root or from racoon.service", admin,
		 no_admin && no_bind ? " and " : "", bindmsg);
	return -EPERM;
}
