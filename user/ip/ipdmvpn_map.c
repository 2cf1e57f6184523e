// SPDX-License-Identifier: GPL-2.0
/* ip dmvpn map: the NHRP cache, protocol address to NBMA address. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipdmvpn.h"
#include "json_print.h"
#include "utils.h"

struct map_args {
	struct dmvpn_addr proto;
	struct dmvpn_addr nbma;
	__u32 ifindex;
	__u32 holdtime;
	__u32 flags;
	__u8 type;
	bool has_proto, has_nbma, has_holdtime, has_flags, has_type;
};

/* Which keywords a subcommand takes besides "dev" and PROTO. */
#define MAP_OPT_TYPE 0x1
#define MAP_OPT_NEW 0x2 /* nbma, holdtime, flags */

static void parse_map_args(struct map_args *m, int opts, int argc,
			   char **argv)
{
	memset(m, 0, sizeof(*m));
	while (argc > 0) {
		if ((opts & MAP_OPT_NEW) && strcmp(*argv, "nbma") == 0) {
			NEXT_ARG();
			if (m->has_nbma)
				duparg("nbma", *argv);
			if (dmvpn_addr_parse(&m->nbma, *argv, 0))
				invarg("invalid NBMA address", *argv);
			m->has_nbma = true;
		} else if (strcmp(*argv, "dev") == 0) {
			NEXT_ARG();
			if (m->ifindex)
				duparg("dev", *argv);
			m->ifindex = dmvpn_dev_index(*argv);
		} else if ((opts & MAP_OPT_TYPE) && strcmp(*argv, "type") == 0) {
			NEXT_ARG();
			if (m->has_type)
				duparg("type", *argv);
			if (dmvpn_entry_type_a2n(&m->type, *argv))
				invarg("invalid entry type", *argv);
			m->has_type = true;
		} else if ((opts & MAP_OPT_NEW) &&
			   strcmp(*argv, "holdtime") == 0) {
			NEXT_ARG();
			if (m->has_holdtime)
				duparg("holdtime", *argv);
			if (get_u32(&m->holdtime, *argv, 0))
				invarg("invalid holdtime", *argv);
			m->has_holdtime = true;
		} else if ((opts & MAP_OPT_NEW) && strcmp(*argv, "flags") == 0) {
			NEXT_ARG();
			if (m->has_flags)
				duparg("flags", *argv);
			if (dmvpn_entry_flags_a2n(&m->flags, *argv))
				invarg("invalid flags", *argv);
			m->has_flags = true;
		} else if (matches(*argv, "help") == 0) {
			dmvpn_usage();
		} else {
			if (m->has_proto)
				duparg2("PROTO", *argv);
			if (dmvpn_addr_parse(&m->proto, *argv, 1))
				invarg("invalid protocol address", *argv);
			m->has_proto = true;
		}
		argc--;
		argv++;
	}
}

static void put_entry(struct nlmsghdr *n, const struct map_args *m)
{
	struct rtattr *nest;

	addattr32(n, DMVPN_BUFLEN, DMVPN_A_IFINDEX, m->ifindex);
	if (!m->has_proto && !m->has_nbma && !m->has_type && !m->has_flags &&
	    !m->has_holdtime)
		return;
	/* Strict genl validation insists on NLA_F_NESTED; libnl omits it. */
	nest = addattr_nest(n, DMVPN_BUFLEN, DMVPN_A_ENTRY | NLA_F_NESTED);
	if (m->has_proto) {
		addattr_l(n, DMVPN_BUFLEN, DMVPN_ENTRY_A_PROTO, m->proto.data, m->proto.len);
		addattr8(n, DMVPN_BUFLEN, DMVPN_ENTRY_A_PREFIXLEN, m->proto.plen);
	}
	if (m->has_nbma)
		addattr_l(n, DMVPN_BUFLEN, DMVPN_ENTRY_A_NBMA, m->nbma.data, m->nbma.len);
	if (m->has_type)
		addattr8(n, DMVPN_BUFLEN, DMVPN_ENTRY_A_TYPE, m->type);
	if (m->has_flags)
		addattr32(n, DMVPN_BUFLEN, DMVPN_ENTRY_A_FLAGS, m->flags);
	if (m->has_holdtime)
		addattr32(n, DMVPN_BUFLEN, DMVPN_ENTRY_A_HOLDTIME, m->holdtime);
	addattr_nest_end(n, nest);
}

static void require(const struct map_args *m, bool proto)
{
	if (proto && !m->has_proto)
		missarg("PROTO");
	if (!m->ifindex)
		missarg("dev");
}

static int map_modify(__u8 cmd, bool replace, int opts, int argc,
		      char **argv)
{
	DMVPN_REQUEST(req, cmd, 0);
	struct map_args m;

	parse_map_args(&m, opts, argc, argv);
	require(&m, true);
	if (cmd != DMVPN_CMD_ENTRY_DEL && !m.has_type) {
		m.type = DMVPN_ENTRY_STATIC;
		m.has_type = true;
	}

	put_entry(&req.n, &m);
	if (replace)
		addattr(&req.n, DMVPN_BUFLEN, DMVPN_A_REPLACE);
	return dmvpn_talk(&req.n, NULL, NULL) ? -2 : 0;
}

struct show_filter {
	__u32 ifindex;
	bool has_type;
	__u8 type;
};

static int show_entry(__u8 cmd, struct rtattr **tb, void *arg)
{
	struct show_filter *f = arg;
	struct rtattr *etb[DMVPN_ENTRY_A_MAX + 1];

	(void)cmd;
	if (!dmvpn_msg_on_dev(tb, f->ifindex))
		return 0;
	if (f->has_type) {
		if (!tb[DMVPN_A_ENTRY])
			return 0;
		parse_rtattr_flags(etb, DMVPN_ENTRY_A_MAX,
				   RTA_DATA(tb[DMVPN_A_ENTRY]),
				   RTA_PAYLOAD(tb[DMVPN_A_ENTRY]), NLA_F_NESTED);
		if (!etb[DMVPN_ENTRY_A_TYPE] ||
		    RTA_PAYLOAD(etb[DMVPN_ENTRY_A_TYPE]) < 1 ||
		    rta_getattr_u8(etb[DMVPN_ENTRY_A_TYPE]) != f->type)
			return 0;
	}
	open_json_object(NULL);
	print_dmvpn_entry(tb, false);
	print_nl();
	close_json_object();
	return 0;
}

static int map_show(int argc, char **argv)
{
	struct show_filter f = {};

	while (argc > 0) {
		if (strcmp(*argv, "dev") == 0) {
			NEXT_ARG();
			if (f.ifindex)
				duparg("dev", *argv);
			f.ifindex = dmvpn_dev_index(*argv);
		} else if (strcmp(*argv, "type") == 0) {
			NEXT_ARG();
			if (f.has_type)
				duparg("type", *argv);
			if (dmvpn_entry_type_a2n(&f.type, *argv))
				invarg("invalid entry type", *argv);
			f.has_type = true;
		} else if (matches(*argv, "help") == 0) {
			dmvpn_usage();
		} else {
			invarg("unknown argument", *argv);
		}
		argc--;
		argv++;
	}

	return dmvpn_show_get(DMVPN_CMD_ENTRY_GET, f.ifindex, show_entry, &f);
}

static int map_get(int argc, char **argv)
{
	struct show_filter f = {};
	struct map_args m;
	DMVPN_REQUEST(req, DMVPN_CMD_ENTRY_GET, 0);

	parse_map_args(&m, MAP_OPT_TYPE, argc, argv);
	require(&m, true);

	put_entry(&req.n, &m);

	return dmvpn_show(&req.n, show_entry, &f);
}

static int map_flush(int argc, char **argv)
{
	struct map_args m;
	DMVPN_REQUEST(req, DMVPN_CMD_ENTRY_FLUSH, 0);

	parse_map_args(&m, MAP_OPT_TYPE, argc, argv);
	require(&m, false);

	put_entry(&req.n, &m);
	return dmvpn_talk(&req.n, NULL, NULL) ? -2 : 0;
}

int ipdmvpn_map(int argc, char **argv)
{
	if (argc < 1)
		return map_show(0, NULL);
	if (matches(*argv, "add") == 0)
		return map_modify(DMVPN_CMD_ENTRY_NEW, false,
				  MAP_OPT_TYPE | MAP_OPT_NEW, argc - 1, argv + 1);
	if (matches(*argv, "replace") == 0)
		return map_modify(DMVPN_CMD_ENTRY_NEW, true,
				  MAP_OPT_TYPE | MAP_OPT_NEW, argc - 1, argv + 1);
	if (matches(*argv, "change") == 0 || strcmp(*argv, "chg") == 0)
		return map_modify(DMVPN_CMD_ENTRY_SET, false,
				  MAP_OPT_TYPE | MAP_OPT_NEW, argc - 1, argv + 1);
	if (matches(*argv, "delete") == 0)
		return map_modify(DMVPN_CMD_ENTRY_DEL, false, MAP_OPT_TYPE,
				  argc - 1, argv + 1);
	if (matches(*argv, "get") == 0)
		return map_get(argc - 1, argv + 1);
	if (matches(*argv, "show") == 0 || matches(*argv, "list") == 0 ||
	    strcmp(*argv, "lst") == 0)
		return map_show(argc - 1, argv + 1);
	if (matches(*argv, "flush") == 0)
		return map_flush(argc - 1, argv + 1);
	if (matches(*argv, "help") == 0)
		dmvpn_usage();
	fprintf(stderr, "Command \"%s\" is unknown, try \"ip dmvpn help\".\n",
		*argv);
	exit(-1);
}
