// SPDX-License-Identifier: GPL-2.0
/* ip dmvpn dev show: dmvpn devices and their counters. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipdmvpn.h"
#include "json_print.h"
#include "utils.h"

static int show_one(__u8 cmd, struct rtattr **tb, void *arg)
{
	(void)cmd;
	(void)arg;
	open_json_object(NULL);
	print_dmvpn_dev(tb);
	print_nl();
	close_json_object();
	return 0;
}

int ipdmvpn_dev_show(int argc, char **argv)
{
	const char *dev = NULL;
	__u32 ifindex = 0;

	while (argc > 0) {
		if (strcmp(*argv, "dev") == 0)
			NEXT_ARG();
		else if (matches(*argv, "help") == 0)
			dmvpn_usage();
		if (dev)
			duparg("dev", *argv);
		dev = *argv;
		argc--;
		argv++;
	}
	if (dev)
		ifindex = dmvpn_dev_index(dev);

	return dmvpn_show_get(DMVPN_CMD_DEV_GET, ifindex, show_one, NULL);
}

int ipdmvpn_dev(int argc, char **argv)
{
	if (argc < 1)
		return ipdmvpn_dev_show(0, NULL);
	if (matches(*argv, "show") == 0 || matches(*argv, "list") == 0 ||
	    strcmp(*argv, "lst") == 0)
		return ipdmvpn_dev_show(argc - 1, argv + 1);
	if (matches(*argv, "help") == 0)
		dmvpn_usage();
	fprintf(stderr, "Command \"%s\" is unknown, try \"ip dmvpn help\".\n",
		*argv);
	exit(-1);
}
