// SPDX-License-Identifier: GPL-2.0
/*
 * ip-dmvpn: "ip dmvpn" as a program of its own, for hosts that keep their
 * distribution's ip(8).  It is linked from the objects of the patched
 * iproute2 tree (ip/ipdmvpn*.o, lib/libutil.a, lib/libnetlink.a), so it
 * behaves as "ip dmvpn" by construction: "ip-dmvpn -j map show" is
 * "ip -j dmvpn map show".  The options are ip's that ip dmvpn uses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utils.h"
#include "ip_common.h"
#include "version.h"

/* ip.c defines these for ip(8); libutil and libnetlink refer to some. */
int preferred_family = AF_UNSPEC;
/* In ip.c up to iproute2 6.x, in lib/utils.c since: weak here. */
int human_readable __attribute__((weak));
int use_iec __attribute__((weak));
int show_stats;
int show_details;
int oneline;
int brief;
int json;
int timestamp;
int force;
int max_flush_loops = 10;
int batch_mode;
bool do_all;
struct rtnl_handle rth = { .fd = -1 };

static void usage(void) __attribute__((noreturn));
static void usage(void)
{
	fprintf(stderr,
		"Usage: ip-dmvpn [ OPTIONS ] ARGS\n"
		"       runs \"ip [ OPTIONS ] dmvpn ARGS\"; see \"ip-dmvpn help\"\n"
		"OPTIONS := { -j[son] | -p[retty] | -s[tatistics] | -h[elp] | -V[ersion] }\n");
	exit(-1);
}

int main(int argc, char **argv)
{
	while (argc > 1 && argv[1][0] == '-') {
		char *opt = argv[1];

		if (strcmp(opt, "--") == 0) {
			argc--;
			argv++;
			break;
		}
		if (opt[1] == '-')
			opt++;
		if (matches(opt, "-json") == 0) {
			json = 1;
		} else if (matches(opt, "-pretty") == 0) {
			pretty = 1;
		} else if (matches(opt, "-statistics") == 0 ||
			   matches(opt, "-stats") == 0) {
			show_stats++;
		} else if (matches(opt, "-Version") == 0) {
			printf("ip-dmvpn, iproute2-%s + dmvpn\n", version);
			return 0;
		} else if (matches(opt, "-help") == 0) {
			usage();
		} else if (matches(opt, "-batch") == 0 ||
			   matches(opt, "-force") == 0) {
			/* ip dmvpn's own options */
			break;
		} else {
			fprintf(stderr,
				"Option \"%s\" is unknown, try \"ip-dmvpn -help\".\n",
				argv[1]);
			exit(-1);
		}
		argc--;
		argv++;
	}
	return -do_ipdmvpn(argc - 1, argv + 1);
}
