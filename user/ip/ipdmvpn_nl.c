// SPDX-License-Identifier: GPL-2.0
/*
 * The dmvpn generic netlink family through libnetlink: requests, dumps
 * and events.  libnetlink prints the kernel's extended ack messages.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/genetlink.h>

#include "utils.h"
#include "ipdmvpn.h"

static struct rtnl_handle dmvpn_rth = { .fd = -1 };
static int dmvpn_family;

static const __u16 dmvpn_minlen[DMVPN_A_MAX + 1] = {
	[DMVPN_A_IFINDEX] = 4,
	[DMVPN_A_IFNAME] = DMVPN_ATTR_STRING,
	[DMVPN_A_LOCAL] = 4,
	[DMVPN_A_KEY] = 4,
	[DMVPN_A_LINK] = 4,
	[DMVPN_A_TTL] = 1,
	[DMVPN_A_TOS] = 1,
	[DMVPN_A_MAX_ENTRIES] = 4,
	[DMVPN_A_ENTRY_COUNT] = 4,
	[DMVPN_A_EVENT] = 1,
};

static int dmvpn_check(struct rtattr **tb, int max, const __u16 *minlen)
{
	int i;

	for (i = 0; i <= max; i++) {
		const char *s;
		int len;

		if (!tb[i] || !minlen[i])
			continue;
		len = RTA_PAYLOAD(tb[i]);
		if (minlen[i] != DMVPN_ATTR_STRING) {
			if (len < minlen[i])
				return -1;
			continue;
		}
		s = RTA_DATA(tb[i]);
		if (len < 1 || s[len - 1] != '\0')
			return -1;
	}
	return 0;
}

int dmvpn_parse_nested(struct rtattr **tb, int max, const struct rtattr *nest,
		       const __u16 *minlen)
{
	/* The kernel marks nests with NLA_F_NESTED, as it must. */
	parse_rtattr_flags(tb, max, RTA_DATA(nest), RTA_PAYLOAD(nest),
			   NLA_F_NESTED);
	return dmvpn_check(tb, max, minlen);
}

/* genl_init_handle() would print a generic message for a missing module. */
static int dmvpn_open(void)
{
	GENL_REQUEST(req, 256, GENL_ID_CTRL, 0, 0, CTRL_CMD_GETFAMILY,
		     NLM_F_REQUEST);
	struct rtattr *tb[CTRL_ATTR_MAX + 1];
	struct nlmsghdr *answer;
	int len;

	if (dmvpn_family)
		return 0;
	if (dmvpn_rth.fd < 0 &&
	    rtnl_open_byproto(&dmvpn_rth, 0, NETLINK_GENERIC) < 0) {
		fprintf(stderr, "Cannot open generic netlink socket\n");
		return -1;
	}

	addattr_l(&req.n, sizeof(req), CTRL_ATTR_FAMILY_NAME, DMVPN_GENL_NAME,
		  strlen(DMVPN_GENL_NAME) + 1);
	if (rtnl_talk_suppress_rtnl_errmsg(&dmvpn_rth, &req.n, &answer) < 0) {
		if (errno == ENOENT)
			fprintf(stderr,
				"dmvpn kernel module not loaded (generic netlink family '%s' not found)\n",
				DMVPN_GENL_NAME);
		else
			fprintf(stderr,
				"Error: cannot resolve generic netlink family '%s': %s\n",
				DMVPN_GENL_NAME, strerror(errno));
		return -1;
	}
	len = answer->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	if (len >= 0)
		parse_rtattr(tb, CTRL_ATTR_MAX,
			     (struct rtattr *)((char *)NLMSG_DATA(answer) +
					       GENL_HDRLEN), len);
	if (len < 0 || !tb[CTRL_ATTR_FAMILY_ID]) {
		fprintf(stderr, "Error: malformed reply from the controller\n");
		free(answer);
		return -1;
	}
	dmvpn_family = rta_getattr_u16(tb[CTRL_ATTR_FAMILY_ID]);
	free(answer);
	return 0;
}

struct dmvpn_filter_arg {
	dmvpn_msg_fn fn;
	void *arg;
};

static int dmvpn_filter(struct nlmsghdr *n, void *arg)
{
	struct dmvpn_filter_arg *fa = arg;
	struct rtattr *tb[DMVPN_A_MAX + 1];
	struct genlmsghdr *ghdr = NLMSG_DATA(n);
	int len = n->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);

	if (n->nlmsg_type != dmvpn_family)
		return 0;
	if (len < 0) {
		fprintf(stderr, "Error: malformed message from the kernel\n");
		return -EBADMSG;
	}
	parse_rtattr_flags(tb, DMVPN_A_MAX,
			   (struct rtattr *)((char *)ghdr + GENL_HDRLEN), len,
			   NLA_F_NESTED);
	if (dmvpn_check(tb, DMVPN_A_MAX, dmvpn_minlen)) {
		fprintf(stderr, "Error: malformed message from the kernel\n");
		return -EBADMSG;
	}
	return fa->fn ? fa->fn(ghdr->cmd, tb, fa->arg) : 0;
}

int dmvpn_talk(struct nlmsghdr *n, dmvpn_msg_fn fn, void *arg)
{
	struct dmvpn_filter_arg fa = { .fn = fn, .arg = arg };
	struct nlmsghdr *answer;
	int err;

	if (dmvpn_open())
		return -1;
	n->nlmsg_type = dmvpn_family;

	if (n->nlmsg_flags & NLM_F_DUMP) {
		n->nlmsg_seq = dmvpn_rth.dump = ++dmvpn_rth.seq;
		if (rtnl_send(&dmvpn_rth, n, n->nlmsg_len) < 0) {
			perror("Cannot send dump request");
			return -1;
		}
		return rtnl_dump_filter(&dmvpn_rth, dmvpn_filter, &fa) < 0 ?
			-1 : 0;
	}
	if (!fn)
		return rtnl_talk(&dmvpn_rth, n, NULL) < 0 ? -1 : 0;
	if (rtnl_talk(&dmvpn_rth, n, &answer) < 0)
		return -1;
	err = dmvpn_filter(answer, &fa);
	free(answer);
	return err < 0 ? err : 0;
}

int dmvpn_get(__u8 cmd, __u32 ifindex, dmvpn_msg_fn fn, void *arg)
{
	bool one = cmd == DMVPN_CMD_DEV_GET && ifindex;
	DMVPN_REQUEST(req, cmd, one ? 0 : NLM_F_DUMP);
	int err;

	/* Dumps are filtered by the kernel, and by the callers too. */
	if (ifindex)
		addattr32(&req.n, DMVPN_BUFLEN, DMVPN_A_IFINDEX, ifindex);
	dmvpn_keep_names(true);
	err = dmvpn_talk(&req.n, fn, arg);
	dmvpn_keep_names(false);
	return err;
}

int dmvpn_show(struct nlmsghdr *n, dmvpn_msg_fn fn, void *arg)
{
	int err;

	new_json_obj(json);
	err = dmvpn_talk(n, fn, arg);
	delete_json_obj();
	return err ? -2 : 0;
}

int dmvpn_show_get(__u8 cmd, __u32 ifindex, dmvpn_msg_fn fn, void *arg)
{
	int err;

	new_json_obj(json);
	err = dmvpn_get(cmd, ifindex, fn, arg);
	delete_json_obj();
	return err ? -2 : 0;
}

static int dmvpn_listen_filter(struct rtnl_ctrl_data *ctrl,
			       struct nlmsghdr *n, void *arg)
{
	return dmvpn_filter(n, arg);
}

/* Each event is flushed as printed: nothing is pending at a signal. */
static void dmvpn_listen_stop(int sig)
{
	_exit(0);
}

int dmvpn_listen(dmvpn_msg_fn fn, void *arg)
{
	struct dmvpn_filter_arg fa = { .fn = fn, .arg = arg };
	int rcvbuf = 4 << 20;

	if (dmvpn_open())
		return -1;
	if (genl_add_mcast_grp(&dmvpn_rth, dmvpn_family, DMVPN_MCGRP_EVENTS) < 0) {
		fprintf(stderr, "Error: cannot join multicast group '%s'\n",
			DMVPN_MCGRP_EVENTS);
		return -1;
	}
	/* Bursts of expiries must not overrun the socket. */
	setsockopt(dmvpn_rth.fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	signal(SIGINT, dmvpn_listen_stop);
	signal(SIGTERM, dmvpn_listen_stop);
	return rtnl_listen(&dmvpn_rth, dmvpn_listen_filter, &fa);
}
