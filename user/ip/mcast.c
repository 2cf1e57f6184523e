// SPDX-License-Identifier: GPL-2.0
/* ip-dmvpn mcast: NBMA addresses that receive copies of multicast. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "ipdmvpn.h"
#include "json_print.h"
#include "nl.h"
#include "utils.h"

static int mcast_modify(__u8 cmd, int argc, char **argv)
{
	struct dmvpn_addr nbma;
	bool has_nbma = false;
	struct nlattr *nest;
	struct nl_msg *req;
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

	if (dmvpn_nl_open())
		return -2;
	req = dmvpn_nl_req(cmd, 0);
	nla_put_u32(req, DMVPN_A_IFINDEX, ifindex);
	nest = nla_nest_start(req, DMVPN_A_MCAST | NLA_F_NESTED);
	nla_put(req, DMVPN_MCAST_A_NBMA, nbma.len, nbma.data);
	nla_nest_end(req, nest);
	return dmvpn_nl_talk(req, NULL, NULL) ? -2 : 0;
}

static int show_mcast(__u8 cmd, struct nlattr **tb, void *arg)
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
	struct nl_msg *req;
	__u32 ifindex = dmvpn_parse_dev_filter(argc, argv);

	if (dmvpn_nl_open())
		return -2;
	req = dmvpn_nl_req(DMVPN_CMD_MCAST_GET, NLM_F_DUMP);
	if (ifindex)
		nla_put_u32(req, DMVPN_A_IFINDEX, ifindex);

	return dmvpn_show(req, show_mcast, &ifindex);
}

int do_mcast(int argc, char **argv)
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
		usage();
	fprintf(stderr, "Command \"%s\" is unknown, try \"ip-dmvpn help\".\n",
		*argv);
	exit(-1);
}
