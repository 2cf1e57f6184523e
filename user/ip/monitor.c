// SPDX-License-Identifier: GPL-2.0
/* ip-dmvpn monitor: one line (or JSON object) per kernel event. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "ipdmvpn.h"
#include "json_print.h"
#include "names.h"
#include "nl.h"
#include "utils.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int print_event(__u8 cmd, struct nlattr **tb, void *arg)
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
					     nla_get_u8(tb[DMVPN_A_EVENT]) : 0,
				     buf, sizeof(buf)));
	if (tb[DMVPN_A_MCAST]) {
		print_dmvpn_mcast(tb, true);
	} else if (tb[DMVPN_A_NHS]) {
		print_dmvpn_nhs(tb, true);
	} else if (tb[DMVPN_A_CONFIG]) {
		print_dmvpn_ifname(tb);
		print_dmvpn_config(tb[DMVPN_A_CONFIG]);
	} else {
		print_dmvpn_entry(tb, true);
	}
	print_nl();
	close_json_object();
	delete_json_obj_plain();
	fflush(stdout);
	return 0;
}

int do_monitor(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t block, waitmask;
	__u32 ifindex = dmvpn_parse_dev_filter(argc, argv);
	int err;

	/*
	 * libnl restarts recvmsg() on EINTR, so signals are only let in
	 * while waiting in ppoll(), which then returns and sees stop.
	 */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &waitmask);
	sigdelset(&waitmask, SIGINT);
	sigdelset(&waitmask, SIGTERM);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	if (dmvpn_nl_open() || dmvpn_nl_subscribe())
		return -2;

	while (!stop) {
		struct pollfd pfd = { .fd = dmvpn_nl_fd(), .events = POLLIN };

		if (ppoll(&pfd, 1, NULL, &waitmask) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "Error: poll: %s\n", strerror(errno));
			return -2;
		}
		err = dmvpn_nl_recv(print_event, &ifindex);
		if (err == -ENOBUFS) {
			fprintf(stderr,
				"Warning: event queue overrun, events were lost.\n");
			continue;
		}
		if (err)
			return -2;
	}
	return 0;
}
