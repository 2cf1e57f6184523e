// SPDX-License-Identifier: GPL-2.0
/* ip dmvpn monitor: one line (or JSON object) per kernel event. */
#include <stdio.h>
#include <string.h>

#include "ipdmvpn.h"
#include "json_print.h"
#include "utils.h"

static int print_event(__u8 cmd, struct rtattr **tb, void *arg)
{
	__u32 *ifindex = arg;
	char buf[16];

	if (cmd != DMVPN_CMD_EVENT || !dmvpn_msg_on_dev(tb, *ifindex))
		return 0;

	/* No enclosing array: a reader may act on each line as it comes. */
	new_json_obj_plain(json);
	open_json_object(NULL);
	print_string(PRINT_ANY, "event", "%s",
		     dmvpn_event_n2a(tb[DMVPN_A_EVENT] ?
					     rta_getattr_u8(tb[DMVPN_A_EVENT]) : 0,
				     buf, sizeof(buf)));
	if (tb[DMVPN_A_MCAST]) {
		print_dmvpn_mcast(tb, true);
	} else if (tb[DMVPN_A_NHS]) {
		print_dmvpn_nhs(tb, true);
	} else if (tb[DMVPN_A_CONFIG]) {
		print_dmvpn_ifname(tb);
		print_dmvpn_config(tb[DMVPN_A_CONFIG]);
	} else if (tb[DMVPN_A_ENTRY_COUNT]) {
		print_dmvpn_ifname(tb);
		print_uint(PRINT_ANY, "entries", " entries %u",
			   rta_getattr_u32(tb[DMVPN_A_ENTRY_COUNT]));
	} else {
		print_dmvpn_entry(tb, true);
	}
	print_nl();
	close_json_object();
	delete_json_obj_plain();
	fflush(stdout);
	return 0;
}

int ipdmvpn_monitor(int argc, char **argv)
{
	__u32 ifindex = dmvpn_parse_dev_filter(argc, argv);

	/* SIGINT and SIGTERM end it with status 0. */
	dmvpn_listen(print_event, &ifindex);
	return -2;
}
