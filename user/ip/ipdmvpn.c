// SPDX-License-Identifier: GPL-2.0
/*
 * ip-dmvpn: the "ip dmvpn" object, built standalone until it is merged
 * into iproute2.  Options, exit codes and messages follow ip(8): 255 for
 * usage errors, 1 for a missing device, 2 when the kernel refuses.
 */
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipdmvpn.h"
#include "nl.h"
#include "utils.h"

#ifndef DMVPN_VERSION
#define DMVPN_VERSION "unknown"
#endif

void usage(void)
{
	fprintf(stderr,
		"Usage: ip-dmvpn [ OPTIONS ] OBJECT { COMMAND | help }\n"
		"       ip-dmvpn [ -force ] -batch FILENAME\n"
		"where  OBJECT := { show | dev | config | nhs | map | cache | mcast | monitor }\n"
		"       ip-dmvpn show [ [ dev ] NAME ]\n"
		"       ip-dmvpn dev show [ [ dev ] NAME ]\n"
		"       ip-dmvpn config set dev NAME [ role { hub | spoke | none } ]\n"
		"                    [ network-id ID ] [ holdtime SECS ] [ registration-interval SECS ]\n"
		"                    [ auth STRING | no-auth ] [ unique | no-unique ]\n"
		"                    [ multicast dynamic | no-multicast-dynamic ]\n"
		"       ip-dmvpn config show [ dev NAME ]\n"
		"       ip-dmvpn nhs { add | replace } dev NAME { nbma NBMA | fqdn FQDN }\n"
		"                    [ proto PROTO ] [ priority PRIO ]\n"
		"       ip-dmvpn nhs del dev NAME { nbma NBMA | fqdn FQDN }\n"
		"       ip-dmvpn nhs show [ dev NAME ]\n"
		"       ip-dmvpn map { add | replace | change } PROTO[/PLEN] [ nbma NBMA ] dev NAME\n"
		"                    [ type TYPE ] [ holdtime SECS ] [ flags FLAGS ]\n"
		"       ip-dmvpn map { del | get } PROTO[/PLEN] dev NAME [ type TYPE ]\n"
		"       ip-dmvpn map show [ dev NAME ] [ type TYPE ]\n"
		"       ip-dmvpn map flush dev NAME [ type TYPE ] [ PROTO[/PLEN] ]\n"
		"       ip-dmvpn cache ...   (the same as map)\n"
		"       ip-dmvpn mcast { add | del } NBMA dev NAME\n"
		"       ip-dmvpn mcast show [ dev NAME ]\n"
		"       ip-dmvpn monitor [ dev NAME ]\n"
		"TYPE := { static | dynamic | local | incomplete | shortcut | negative }\n"
		"FLAGS := { FLAG[,FLAG...] | none }\n"
		"FLAG := { unique | registered | nhop | router | implicit | nat | nhs }\n"
		"PROTO, NBMA := IPv4 or IPv6 address\n"
		"OPTIONS := { -j[son] | -p[retty] | -s[tatistics] | -h[elp] | -V[ersion] }\n");
	exit(-1);
}

__u32 dmvpn_dev_index(const char *name)
{
	__u32 ifindex = 0;

	if (strlen(name) < IF_NAMESIZE)
		ifindex = if_nametoindex(name);
	if (!ifindex) {
		fprintf(stderr, "Device \"%s\" does not exist.\n", name);
		exit(1);
	}
	return ifindex;
}

/* The arguments of a listing that takes only "[dev NAME]". */
__u32 dmvpn_parse_dev_filter(int argc, char **argv)
{
	__u32 ifindex = 0;

	while (argc > 0) {
		if (strcmp(*argv, "dev") == 0) {
			NEXT_ARG();
			if (ifindex)
				duparg("dev", *argv);
			ifindex = dmvpn_dev_index(*argv);
		} else if (matches(*argv, "help") == 0) {
			usage();
		} else {
			invarg("unknown argument", *argv);
		}
		argc--;
		argv++;
	}
	return ifindex;
}

int dmvpn_msg_on_dev(struct nlattr **tb, __u32 ifindex)
{
	return !ifindex || !tb[DMVPN_A_IFINDEX] ||
	       nla_get_u32(tb[DMVPN_A_IFINDEX]) == ifindex;
}

/* First match wins an abbreviation: "c" is config, "m" is map. */
static const struct cmd {
	const char *cmd;
	int (*func)(int argc, char **argv);
} cmds[] = {
	{ "show", do_peers_show },
	{ "list", do_peers_show },
	{ "lst", do_peers_show },
	{ "dev", do_dev },
	{ "config", do_config },
	{ "nhs", do_nhs },
	{ "map", do_map },
	{ "cache", do_map },
	{ "mcast", do_mcast },
	{ "monitor", do_monitor },
	{ 0 }
};

/* One command, without the options; returns the exit status. */
static int do_cmd(int argc, char **argv)
{
	const struct cmd *c;
	int ret;

	if (argc < 1)
		return -do_peers_show(0, NULL);
	if (matches(*argv, "help") == 0)
		usage();
	for (c = cmds; c->cmd; c++) {
		if (matches(*argv, c->cmd) == 0) {
			ret = c->func(argc - 1, argv + 1);
			dmvpn_nl_close();
			return -ret;
		}
	}
	fprintf(stderr, "Object \"%s\" is unknown, try \"ip-dmvpn help\".\n",
		*argv);
	exit(-1);
}

int main(int argc, char **argv)
{
	const char *batch = NULL;
	bool force = false;

	while (argc > 1 && argv[1][0] == '-' && argv[1][1]) {
		char *opt = argv[1];

		/* ip(8) takes both -opt and --opt */
		if (opt[1] == '-')
			opt++;
		if (strcmp(opt, "--") == 0) {
			argc--;
			argv++;
			break;
		}
		if (matches(opt, "-json") == 0) {
			json = 1;
		} else if (matches(opt, "-pretty") == 0) {
			pretty = 1;
		} else if (matches(opt, "-statistics") == 0 ||
			   matches(opt, "-stats") == 0) {
			show_stats++;
		} else if (matches(opt, "-batch") == 0) {
			argc--;
			argv++;
			if (argc <= 1)
				usage();
			batch = argv[1];
		} else if (matches(opt, "-force") == 0) {
			force = true;
		} else if (matches(opt, "-help") == 0) {
			usage();
		} else if (matches(opt, "-Version") == 0) {
			printf("ip-dmvpn, dmvpn %s\n", DMVPN_VERSION);
			return 0;
		} else {
			fprintf(stderr,
				"Option \"%s\" is unknown, try \"ip-dmvpn -help\".\n",
				argv[1]);
			exit(-1);
		}
		argc--;
		argv++;
	}
	argc--;
	argv++;

	if (batch) {
		if (argc > 0) {
			fprintf(stderr,
				"Error: -batch takes its commands from \"%s\" only.\n",
				batch);
			exit(-1);
		}
		return do_batch(batch, force, do_cmd);
	}
	return do_cmd(argc, argv);
}
