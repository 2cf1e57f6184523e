// SPDX-License-Identifier: GPL-2.0
/*
 * ip dmvpn: NHRP state of dmvpn (multipoint GRE) devices, kept by the
 * kernel in the "dmvpn" generic netlink family.  Exit codes follow ip(8):
 * 255 for usage errors, 1 for a missing device, 2 when the kernel refuses.
 */
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utils.h"
#include "ip_common.h"
#include "ipdmvpn.h"

void dmvpn_usage(void)
{
	fprintf(stderr,
		"Usage: ip [ OPTIONS ] dmvpn OBJECT { COMMAND | help }\n"
		"       ip [ OPTIONS ] dmvpn [ -force ] -batch FILENAME\n"
		"where  OBJECT := { show | dev | config | nhs | map | cache | mcast | monitor }\n"
		"       ip dmvpn show [ [ dev ] NAME ]\n"
		"       ip dmvpn dev show [ [ dev ] NAME ]\n"
		"       ip dmvpn config set dev NAME [ role { hub | spoke | none } ]\n"
		"                    [ network-id ID ] [ holdtime SECS ] [ registration-interval SECS ]\n"
		"                    [ auth STRING | no-auth ] [ unique | no-unique ]\n"
		"                    [ multicast dynamic | no-multicast-dynamic ]\n"
		"       ip dmvpn config show [ dev NAME ]\n"
		"       ip dmvpn nhs { add | replace } dev NAME { nbma NBMA | fqdn FQDN }\n"
		"                    [ proto PROTO ] [ priority PRIO ]\n"
		"       ip dmvpn nhs del dev NAME { nbma NBMA | fqdn FQDN }\n"
		"       ip dmvpn nhs show [ dev NAME ]\n"
		"       ip dmvpn map { add | replace | change } PROTO[/PLEN] [ nbma NBMA ] dev NAME\n"
		"                    [ type TYPE ] [ holdtime SECS ] [ flags FLAGS ]\n"
		"       ip dmvpn map { del | get } PROTO[/PLEN] dev NAME [ type TYPE ]\n"
		"       ip dmvpn map show [ dev NAME ] [ type TYPE ]\n"
		"       ip dmvpn map flush dev NAME [ type TYPE ] [ PROTO[/PLEN] ]\n"
		"       ip dmvpn cache ...   (the same as map)\n"
		"       ip dmvpn mcast { add | del } NBMA dev NAME\n"
		"       ip dmvpn mcast show [ dev NAME ]\n"
		"       ip dmvpn monitor [ dev NAME ]\n"
		"TYPE := { static | dynamic | local | incomplete | shortcut | negative }\n"
		"FLAGS := { FLAG[,FLAG...] | none }\n"
		"FLAG := { unique | registered | nhop | router | implicit | nat | nhs }\n"
		"PROTO, NBMA := IPv4 or IPv6 address\n"
		"OPTIONS := { -j[son] [ -p[retty] ] | -s[tatistics] }\n");
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
			dmvpn_usage();
		} else {
			invarg("unknown argument", *argv);
		}
		argc--;
		argv++;
	}
	return ifindex;
}

int dmvpn_msg_on_dev(struct rtattr **tb, __u32 ifindex)
{
	return !ifindex || !tb[DMVPN_A_IFINDEX] ||
	       rta_getattr_u32(tb[DMVPN_A_IFINDEX]) == ifindex;
}

/* First match wins an abbreviation: "c" is config, "m" is map. */
static const struct cmd {
	const char *cmd;
	int (*func)(int argc, char **argv);
} cmds[] = {
	{ "show", ipdmvpn_peers_show },
	{ "list", ipdmvpn_peers_show },
	{ "lst", ipdmvpn_peers_show },
	{ "dev", ipdmvpn_dev },
	{ "config", ipdmvpn_config },
	{ "nhs", ipdmvpn_nhs },
	{ "map", ipdmvpn_map },
	{ "cache", ipdmvpn_map },
	{ "mcast", ipdmvpn_mcast },
	{ "monitor", ipdmvpn_monitor },
	{ 0 }
};

/* One command; returns 0 or minus the exit status, as do_* in ip(8). */
static int dmvpn_cmd(int argc, char **argv)
{
	const struct cmd *c;

	if (argc < 1)
		return ipdmvpn_peers_show(0, NULL);
	if (matches(*argv, "help") == 0)
		dmvpn_usage();
	for (c = cmds; c->cmd; c++)
		if (matches(*argv, c->cmd) == 0)
			return c->func(argc - 1, argv + 1);
	fprintf(stderr, "Command \"%s\" is unknown, try \"ip dmvpn help\".\n",
		*argv);
	exit(-1);
}

/* A line of -batch runs in a child, whose exit status this is. */
static int dmvpn_batch_cmd(int argc, char **argv)
{
	return -dmvpn_cmd(argc, argv);
}

int do_ipdmvpn(int argc, char **argv)
{
	const char *batch = NULL;
	bool force = false;

	/*
	 * "-batch FILE" runs each line of FILE as "ip dmvpn LINE", in a
	 * child process, so that a usage error fails only its line.
	 */
	while (argc > 0 && argv[0][0] == '-') {
		if (matches(*argv, "-force") == 0) {
			force = true;
		} else if (matches(*argv, "-batch") == 0) {
			NEXT_ARG();
			batch = *argv;
		} else {
			fprintf(stderr,
				"Option \"%s\" is unknown, try \"ip dmvpn help\".\n",
				*argv);
			exit(-1);
		}
		argc--;
		argv++;
	}
	if (!batch) {
		if (force)
			dmvpn_usage();
		return dmvpn_cmd(argc, argv);
	}
	if (argc > 0) {
		fprintf(stderr,
			"Error: -batch takes its commands from \"%s\" only.\n",
			batch);
		exit(-1);
	}
	return -do_dmvpn_batch(batch, force, dmvpn_batch_cmd);
}
