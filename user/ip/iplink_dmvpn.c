// SPDX-License-Identifier: GPL-2.0
/*
 * iplink_dmvpn.c	"ip link ... type dmvpn": multipoint GRE devices whose
 *			peers are found in an NHRP cache (dmvpn.ko).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/dmvpn.h>

#include "rt_names.h"
#include "utils.h"
#include "ip_common.h"

static void dmvpn_print_help(struct link_util *lu, int argc, char **argv,
			     FILE *f)
{
	(void)argc;
	(void)argv;
	fprintf(f,
		"Usage: ... %s local ADDR\n"
		"			[ key KEY ]\n"
		"			[ dev PHYS_DEV ]\n"
		"			[ ttl TTL ]\n"
		"			[ tos TOS ]\n"
		"			[ max-entries NUMBER ]\n"
		"			[ fwmark MARK ]\n"
		"			[ protect { require | none } ]\n"
		"			[ hold-peer PACKETS ] [ hold-device PACKETS ]\n"
		"			[ hold-time MSEC ]\n"
		"\n"
		"Where:	ADDR := IPv4 or IPv6 underlay (NBMA) address\n"
		"	KEY  := { 0..4294967295 }\n"
		"	TTL  := { 1..255 | inherit }\n"
		"	TOS  := { NUMBER | inherit }\n",
		lu->id);
}

static int dmvpn_parse_opt(struct link_util *lu, int argc, char **argv,
			   struct nlmsghdr *n)
{
	bool seen_local = false, seen_key = false, seen_dev = false;
	bool seen_ttl = false, seen_tos = false, seen_max = false;
	bool seen_mark = false, seen_protect = false;
	bool seen_hold_peer = false, seen_hold_dev = false;
	bool seen_hold_time = false;
	inet_prefix local;
	__u32 u32;
	__u8 u8;

	while (argc > 0) {
		if (strcmp(*argv, "local") == 0) {
			NEXT_ARG();
			if (seen_local)
				duparg("local", *argv);
			get_addr(&local, *argv, AF_UNSPEC);
			/* get_addr() also takes "any", which has no bytes. */
			if (!is_addrtype_inet_not_unspec(&local))
				invarg("\"local\" must be an IPv4 or IPv6 address",
				       *argv);
			addattr_l(n, 1024, IFLA_DMVPN_LOCAL, local.data,
				  local.bytelen);
			seen_local = true;
		} else if (strcmp(*argv, "key") == 0) {
			NEXT_ARG();
			if (seen_key)
				duparg("key", *argv);
			if (get_u32(&u32, *argv, 0))
				invarg("invalid key", *argv);
			addattr32(n, 1024, IFLA_DMVPN_KEY, u32);
			seen_key = true;
		} else if (strcmp(*argv, "dev") == 0) {
			NEXT_ARG();
			if (seen_dev)
				duparg("dev", *argv);
			u32 = ll_name_to_index(*argv);
			if (!u32) {
				fprintf(stderr, "Cannot find device \"%s\"\n",
					*argv);
				exit(-1);
			}
			addattr32(n, 1024, IFLA_DMVPN_LINK, u32);
			seen_dev = true;
		} else if (strcmp(*argv, "ttl") == 0 ||
			   strcmp(*argv, "hoplimit") == 0) {
			NEXT_ARG();
			if (seen_ttl)
				duparg("ttl", *argv);
			if (strcmp(*argv, "inherit") == 0)
				u8 = 0;
			else if (get_u8(&u8, *argv, 0) || !u8)
				invarg("invalid TTL", *argv);
			addattr8(n, 1024, IFLA_DMVPN_TTL, u8);
			seen_ttl = true;
		} else if (strcmp(*argv, "tos") == 0 ||
			   strcmp(*argv, "dsfield") == 0) {
			NEXT_ARG();
			if (seen_tos)
				duparg("tos", *argv);
			/* Same TOS syntax as the gre link type: hex or name. */
			if (strcmp(*argv, "inherit") == 0)
				u32 = 1;
			else if (rtnl_dsfield_a2n(&u32, *argv) || u32 > 0xff)
				invarg("invalid TOS", *argv);
			addattr8(n, 1024, IFLA_DMVPN_TOS, u32);
			seen_tos = true;
		} else if (strcmp(*argv, "max-entries") == 0) {
			NEXT_ARG();
			if (seen_max)
				duparg("max-entries", *argv);
			if (get_u32(&u32, *argv, 0))
				invarg("invalid max-entries", *argv);
			addattr32(n, 1024, IFLA_DMVPN_MAX_ENTRIES, u32);
			seen_max = true;
		} else if (strcmp(*argv, "fwmark") == 0) {
			NEXT_ARG();
			if (seen_mark)
				duparg("fwmark", *argv);
			if (get_u32(&u32, *argv, 0))
				invarg("invalid fwmark", *argv);
			addattr32(n, 1024, IFLA_DMVPN_FWMARK, u32);
			seen_mark = true;
		} else if (strcmp(*argv, "protect") == 0) {
			NEXT_ARG();
			if (seen_protect)
				duparg("protect", *argv);
			if (strcmp(*argv, "require") == 0)
				u8 = DMVPN_PROTECT_REQUIRE;
			else if (strcmp(*argv, "none") == 0)
				u8 = DMVPN_PROTECT_NONE;
			else
				invarg("protect is \"require\" or \"none\"", *argv);
			addattr8(n, 1024, IFLA_DMVPN_PROTECT, u8);
			seen_protect = true;
		} else if (strcmp(*argv, "hold-peer") == 0) {
			NEXT_ARG();
			if (seen_hold_peer)
				duparg("hold-peer", *argv);
			if (get_u32(&u32, *argv, 0))
				invarg("invalid hold-peer", *argv);
			addattr32(n, 1024, IFLA_DMVPN_HOLD_PEER, u32);
			seen_hold_peer = true;
		} else if (strcmp(*argv, "hold-device") == 0) {
			NEXT_ARG();
			if (seen_hold_dev)
				duparg("hold-device", *argv);
			if (get_u32(&u32, *argv, 0))
				invarg("invalid hold-device", *argv);
			addattr32(n, 1024, IFLA_DMVPN_HOLD_DEVICE, u32);
			seen_hold_dev = true;
		} else if (strcmp(*argv, "hold-time") == 0) {
			NEXT_ARG();
			if (seen_hold_time)
				duparg("hold-time", *argv);
			if (get_u32(&u32, *argv, 0))
				invarg("invalid hold-time", *argv);
			addattr32(n, 1024, IFLA_DMVPN_HOLD_TIME, u32);
			seen_hold_time = true;
		} else if (strcmp(*argv, "help") == 0) {
			dmvpn_print_help(lu, argc, argv, stderr);
			return -1;
		} else {
			fprintf(stderr, "%s: unknown option \"%s\"\n", lu->id,
				*argv);
			dmvpn_print_help(lu, argc, argv, stderr);
			return -1;
		}
		argc--;
		argv++;
	}
	return 0;
}

static void dmvpn_print_opt(struct link_util *lu, FILE *f, struct rtattr *tb[])
{
	char buf[INET6_ADDRSTRLEN];
	__u8 ttl, tos;
	__u32 link;
	int len;

	(void)lu;
	(void)f;
	if (!tb)
		return;

	if (tb[IFLA_DMVPN_LOCAL]) {
		len = RTA_PAYLOAD(tb[IFLA_DMVPN_LOCAL]);
		if ((len != 4 && len != 16) ||
		    !inet_ntop(len == 4 ? AF_INET : AF_INET6,
			       RTA_DATA(tb[IFLA_DMVPN_LOCAL]), buf, sizeof(buf)))
			strcpy(buf, "unknown");
		print_string(PRINT_ANY, "local", "local %s ", buf);
	}
	if (tb[IFLA_DMVPN_KEY])
		print_uint(PRINT_ANY, "key", "key %u ",
			   rta_getattr_u32(tb[IFLA_DMVPN_KEY]));
	if (tb[IFLA_DMVPN_LINK]) {
		link = rta_getattr_u32(tb[IFLA_DMVPN_LINK]);
		if (link)
			print_string(PRINT_ANY, "link", "dev %s ",
				     ll_index_to_name(link));
	}
	/* As for gre: JSON keeps raw values, text spells copy-inner. */
	if (tb[IFLA_DMVPN_TTL]) {
		ttl = rta_getattr_u8(tb[IFLA_DMVPN_TTL]);
		if (is_json_context() || ttl)
			print_uint(PRINT_ANY, "ttl", "ttl %u ", ttl);
		else
			print_string(PRINT_FP, NULL, "ttl %s ", "inherit");
	}
	if (tb[IFLA_DMVPN_TOS]) {
		tos = rta_getattr_u8(tb[IFLA_DMVPN_TOS]);
		if (is_json_context() || tos != 1)
			print_uint(PRINT_ANY, "tos", "tos %#x ", tos);
		else
			print_string(PRINT_FP, NULL, "tos %s ", "inherit");
	}
	if (tb[IFLA_DMVPN_MAX_ENTRIES])
		print_uint(PRINT_ANY, "max_entries", "max-entries %u ",
			   rta_getattr_u32(tb[IFLA_DMVPN_MAX_ENTRIES]));
	if (tb[IFLA_DMVPN_FWMARK] && rta_getattr_u32(tb[IFLA_DMVPN_FWMARK]))
		print_0xhex(PRINT_ANY, "fwmark", "fwmark %#llx ",
			    rta_getattr_u32(tb[IFLA_DMVPN_FWMARK]));
	if (tb[IFLA_DMVPN_PROTECT])
		print_string(PRINT_ANY, "protect", "protect %s ",
			     rta_getattr_u8(tb[IFLA_DMVPN_PROTECT]) ==
					     DMVPN_PROTECT_REQUIRE ?
				     "require" : "none");
	if (tb[IFLA_DMVPN_HOLD_PEER])
		print_uint(PRINT_ANY, "hold_peer", "hold-peer %u ",
			   rta_getattr_u32(tb[IFLA_DMVPN_HOLD_PEER]));
	if (tb[IFLA_DMVPN_HOLD_DEVICE])
		print_uint(PRINT_ANY, "hold_device", "hold-device %u ",
			   rta_getattr_u32(tb[IFLA_DMVPN_HOLD_DEVICE]));
	if (tb[IFLA_DMVPN_HOLD_TIME])
		print_uint(PRINT_ANY, "hold_time", "hold-time %u ",
			   rta_getattr_u32(tb[IFLA_DMVPN_HOLD_TIME]));
}

struct link_util dmvpn_link_util = {
	.id = "dmvpn",
	.maxattr = IFLA_DMVPN_MAX,
	.parse_opt = dmvpn_parse_opt,
	.print_opt = dmvpn_print_opt,
	.print_help = dmvpn_print_help,
};
