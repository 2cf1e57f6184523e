// SPDX-License-Identifier: GPL-2.0
/*
 * ip dmvpn nhs: a device's configured next-hop servers, and the status
 * dmvpnd publishes for each of them.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipdmvpn.h"
#include "json_print.h"
#include "utils.h"

struct nhs_args {
	__u32 ifindex;
	struct dmvpn_addr nbma, proto;
	const char *fqdn;
	__u8 priority;
	bool has_nbma, has_proto, has_priority;
};

/* Which keywords a subcommand takes besides "dev" and the key. */
#define NHS_OPT_NEW 0x1 /* proto, priority */

static const __u16 nhs_policy[DMVPN_NHS_A_MAX + 1] = {
	[DMVPN_NHS_A_NBMA] = 4,
	[DMVPN_NHS_A_FQDN] = DMVPN_ATTR_STRING,
	[DMVPN_NHS_A_PROTO] = 4,
	[DMVPN_NHS_A_PRIORITY] = 1,
	[DMVPN_NHS_A_STATE] = 1,
	[DMVPN_NHS_A_CUR_NBMA] = 4,
	[DMVPN_NHS_A_CUR_PROTO] = 4,
	[DMVPN_NHS_A_REQUESTS] = 8,
	[DMVPN_NHS_A_REPLIES] = 8,
	[DMVPN_NHS_A_FAILURES] = 8,
	[DMVPN_NHS_A_LAST_CODE] = 1,
	[DMVPN_NHS_A_NAT] = 1,
	[DMVPN_NHS_A_SINCE] = 4,
};

/* A host name as the resolver takes it: labels of [A-Za-z0-9_-] and dots. */
static bool valid_fqdn(const char *s)
{
	size_t len = strlen(s);

	if (!len || len > DMVPN_FQDN_MAX || *s == '.' || *s == '-')
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("-._", *s))
			return false;
	return true;
}

static void parse_nhs_args(struct nhs_args *a, int opts, int argc, char **argv)
{
	memset(a, 0, sizeof(*a));
	while (argc > 0) {
		if (strcmp(*argv, "dev") == 0) {
			NEXT_ARG();
			if (a->ifindex)
				duparg("dev", *argv);
			a->ifindex = dmvpn_dev_index(*argv);
		} else if (strcmp(*argv, "nbma") == 0) {
			NEXT_ARG();
			if (a->has_nbma)
				duparg("nbma", *argv);
			if (a->fqdn)
				invarg("give nbma or fqdn, not both", *argv);
			if (dmvpn_addr_parse(&a->nbma, *argv, 0))
				invarg("invalid NBMA address", *argv);
			a->has_nbma = true;
		} else if (strcmp(*argv, "fqdn") == 0) {
			NEXT_ARG();
			if (a->fqdn)
				duparg("fqdn", *argv);
			if (a->has_nbma)
				invarg("give nbma or fqdn, not both", *argv);
			if (!valid_fqdn(*argv))
				invarg("invalid FQDN", *argv);
			a->fqdn = *argv;
		} else if ((opts & NHS_OPT_NEW) &&
			   strcmp(*argv, "proto") == 0) {
			NEXT_ARG();
			if (a->has_proto)
				duparg("proto", *argv);
			if (dmvpn_addr_parse(&a->proto, *argv, 0))
				invarg("invalid protocol address", *argv);
			a->has_proto = true;
		} else if ((opts & NHS_OPT_NEW) &&
			   strcmp(*argv, "priority") == 0) {
			NEXT_ARG();
			if (a->has_priority)
				duparg("priority", *argv);
			if (get_u8(&a->priority, *argv, 0))
				invarg("priority must be 0..255", *argv);
			a->has_priority = true;
		} else if (matches(*argv, "help") == 0) {
			dmvpn_usage();
		} else {
			invarg("unknown argument", *argv);
		}
		argc--;
		argv++;
	}
	if (!a->has_nbma && !a->fqdn)
		missarg("nbma or fqdn");
	if (!a->ifindex)
		missarg("dev");
}

static int nhs_modify(__u8 cmd, bool replace, int opts, int argc, char **argv)
{
	struct nhs_args a;
	struct rtattr *nest;
	DMVPN_REQUEST(req, cmd, 0);

	parse_nhs_args(&a, opts, argc, argv);

	addattr32(&req.n, DMVPN_BUFLEN, DMVPN_A_IFINDEX, a.ifindex);
	nest = addattr_nest(&req.n, DMVPN_BUFLEN, DMVPN_A_NHS | NLA_F_NESTED);
	if (a.has_nbma)
		addattr_l(&req.n, DMVPN_BUFLEN, DMVPN_NHS_A_NBMA, a.nbma.data, a.nbma.len);
	if (a.fqdn)
		addattrstrz(&req.n, DMVPN_BUFLEN, DMVPN_NHS_A_FQDN, a.fqdn);
	if (a.has_proto)
		addattr_l(&req.n, DMVPN_BUFLEN, DMVPN_NHS_A_PROTO, a.proto.data, a.proto.len);
	if (a.has_priority)
		addattr8(&req.n, DMVPN_BUFLEN, DMVPN_NHS_A_PRIORITY, a.priority);
	addattr_nest_end(&req.n, nest);
	if (replace)
		addattr(&req.n, DMVPN_BUFLEN, DMVPN_A_REPLACE);
	return dmvpn_talk(&req.n, NULL, NULL) ? -2 : 0;
}

static void print_counter(struct rtattr **tb, int attr, const char *key,
			  const char *fmt)
{
	if (tb[attr])
		print_u64(PRINT_ANY, key, fmt, rta_getattr_u64(tb[attr]));
}

void print_dmvpn_nhs(struct rtattr **top, bool lead)
{
	struct rtattr *tb[DMVPN_NHS_A_MAX + 1];
	char buf[16];
	__u32 since;
	__u8 state;

	if (!top[DMVPN_A_NHS]) {
		print_dmvpn_ifname(top);
		return;
	}
	if (dmvpn_parse_nested(tb, DMVPN_NHS_A_MAX, top[DMVPN_A_NHS],
			     nhs_policy) < 0) {
		fprintf(stderr, "Error: malformed next-hop server\n");
		return;
	}

	/* The key first, as in "nhs del". */
	if (tb[DMVPN_NHS_A_NBMA])
		print_dmvpn_addr("nbma", lead ? " nbma %s" : "nbma %s",
				 tb[DMVPN_NHS_A_NBMA]);
	else if (tb[DMVPN_NHS_A_FQDN])
		print_string(PRINT_ANY, "fqdn", lead ? " fqdn %s" : "fqdn %s",
			     rta_getattr_str(tb[DMVPN_NHS_A_FQDN]));
	if (tb[DMVPN_NHS_A_PROTO])
		print_dmvpn_addr("proto", " proto %s", tb[DMVPN_NHS_A_PROTO]);
	print_dmvpn_ifname(top);
	if (tb[DMVPN_NHS_A_PRIORITY])
		print_uint(PRINT_ANY, "priority", " priority %u",
			   rta_getattr_u8(tb[DMVPN_NHS_A_PRIORITY]));

	if (tb[DMVPN_NHS_A_STATE]) {
		state = rta_getattr_u8(tb[DMVPN_NHS_A_STATE]);
		print_string(PRINT_ANY, "state", " state %s",
			     dmvpn_nhs_state_n2a(state, buf, sizeof(buf)));
	}
	if (tb[DMVPN_NHS_A_SINCE]) {
		since = rta_getattr_u32(tb[DMVPN_NHS_A_SINCE]);
		print_uint(PRINT_JSON, "since", NULL, since);
		print_string(PRINT_FP, NULL, " since %s",
			     dmvpn_duration(since, buf, sizeof(buf)));
	}
	if (tb[DMVPN_NHS_A_CUR_NBMA])
		print_dmvpn_addr("current_nbma", " current-nbma %s",
				 tb[DMVPN_NHS_A_CUR_NBMA]);
	if (tb[DMVPN_NHS_A_CUR_PROTO])
		print_dmvpn_addr("current_proto", " current-proto %s",
				 tb[DMVPN_NHS_A_CUR_PROTO]);
	print_counter(tb, DMVPN_NHS_A_REQUESTS, "requests", " requests %llu");
	print_counter(tb, DMVPN_NHS_A_REPLIES, "replies", " replies %llu");
	print_counter(tb, DMVPN_NHS_A_FAILURES, "failures", " failures %llu");
	if (tb[DMVPN_NHS_A_LAST_CODE])
		print_uint(PRINT_ANY, "last_code", " last-code %u",
			   rta_getattr_u8(tb[DMVPN_NHS_A_LAST_CODE]));
	if (tb[DMVPN_NHS_A_NAT]) {
		print_bool(PRINT_JSON, "nat", NULL,
			   rta_getattr_u8(tb[DMVPN_NHS_A_NAT]));
		if (rta_getattr_u8(tb[DMVPN_NHS_A_NAT]))
			print_string(PRINT_FP, NULL, " %s", "nat");
	}
}

static int show_nhs(__u8 cmd, struct rtattr **tb, void *arg)
{
	__u32 *ifindex = arg;

	(void)cmd;
	if (!dmvpn_msg_on_dev(tb, *ifindex))
		return 0;
	open_json_object(NULL);
	print_dmvpn_nhs(tb, false);
	print_nl();
	close_json_object();
	return 0;
}

static int nhs_show(int argc, char **argv)
{
	__u32 ifindex = dmvpn_parse_dev_filter(argc, argv);

	return dmvpn_show_get(DMVPN_CMD_NHS_GET, ifindex, show_nhs, &ifindex);
}

int ipdmvpn_nhs(int argc, char **argv)
{
	if (argc < 1)
		return nhs_show(0, NULL);
	if (matches(*argv, "add") == 0)
		return nhs_modify(DMVPN_CMD_NHS_NEW, false, NHS_OPT_NEW,
				  argc - 1, argv + 1);
	if (matches(*argv, "replace") == 0)
		return nhs_modify(DMVPN_CMD_NHS_NEW, true, NHS_OPT_NEW,
				  argc - 1, argv + 1);
	if (matches(*argv, "delete") == 0)
		return nhs_modify(DMVPN_CMD_NHS_DEL, false, 0, argc - 1,
				  argv + 1);
	if (matches(*argv, "show") == 0 || matches(*argv, "list") == 0 ||
	    strcmp(*argv, "lst") == 0)
		return nhs_show(argc - 1, argv + 1);
	if (matches(*argv, "help") == 0)
		dmvpn_usage();
	fprintf(stderr, "Command \"%s\" is unknown, try \"ip dmvpn help\".\n",
		*argv);
	exit(-1);
}
