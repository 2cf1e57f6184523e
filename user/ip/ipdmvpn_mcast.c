// SPDX-License-Identifier: GPL-2.0
/* ip dmvpn mcast: NBMA addresses that receive copies of multicast. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipdmvpn.h"
#include "json_print.h"
#include "utils.h"

static int mcast_modify(__u8 cmd, int argc, char **argv)
{
	struct dmvpn_addr nbma;
	bool has_nbma = false;
	struct rtattr *nest;
	DMVPN_REQUEST(req, cmd, 0);
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
			if (strcmp(*argv, "nbma") == 0)
				NEXT_ARG();
			if (has_nbma)
				duparg2("NBMA", *argv);
			if (dmvpn_addr_parse(&nbma, *argv, 0))
				invarg("invalid NBMA address", *argv);
			has_nbma = true;
		}
		argc--;
		argv++;
	}
	if (!has_nbma)
		missarg("NBMA");
	if (!ifindex)
		missarg("dev");

	addattr32(&req.n, DMVPN_BUFLEN, DMVPN_A_IFINDEX, ifindex);
	nest = addattr_nest(&req.n, DMVPN_BUFLEN, DMVPN_A_MCAST | NLA_F_NESTED);
	addattr_l(&req.n, DMVPN_BUFLEN, DMVPN_MCAST_A_NBMA, nbma.data, nbma.len);
	addattr_nest_end(&req.n, nest);
	return dmvpn_talk(&req.n, NULL, NULL) ? -2 : 0;
}

static int show_mcast(__u8 cmd, struct rtattr **tb, void *arg)
{
	__u32 *ifindex = arg;

	(void)cmd;
	if (!dmvpn_msg_on_dev(tb, *ifindex))
		return 0;
	open_json_object(NULL);
	print_dmvpn_mcast(tb, false);
	print_nl();
	close_json_object();
	return 0;
}

static int mcast_show(int argc, char **argv)
{
	__u32 ifindex = dmvpn_parse_dev_filter(argc, argv);

	return dmvpn_show_get(DMVPN_CMD_MCAST_GET, ifindex, show_mcast,
			      &ifindex);
}

int ipdmvpn_mcast(int argc, char **argv)
{
	if (argc < 1)
		return mcast_show(0, NULL);
	if (matches(*argv, "add") == 0)
		return mcast_modify(DMVPN_CMD_MCAST_NEW, argc - 1, argv + 1);
	if (matches(*argv, "delete") == 0)
		return mcast_modify(DMVPN_CMD_MCAST_DEL, argc - 1, argv + 1);
	if (matches(*argv, "show") == 0 || matches(*argv, "list") == 0 ||
	    strcmp(*argv, "lst") == 0)
		return mcast_show(argc - 1, argv + 1);
	if (matches(*argv, "help") == 0)
		dmvpn_usage();
	fprintf(stderr, "Command \"%s\" is unknown, try \"ip dmvpn help\".\n",
		*argv);
	exit(-1);
}
