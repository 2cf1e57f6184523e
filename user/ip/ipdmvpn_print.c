// SPDX-License-Identifier: GPL-2.0
/*
 * Text and JSON rendering of dmvpn devices, NHRP cache entries and
 * multicast map entries.  Text mirrors the command line syntax, so a line
 * of "map show" reads back as the arguments of "map add".
 */
#include <net/if.h>
#include <stdio.h>
#include <linux/dmvpn.h>

#include "ipdmvpn.h"
#include "json_print.h"
#include "utils.h"

static const __u16 entry_policy[DMVPN_ENTRY_A_MAX + 1] = {
	[DMVPN_ENTRY_A_PROTO] = 4,
	[DMVPN_ENTRY_A_PREFIXLEN] = 1,
	[DMVPN_ENTRY_A_NBMA] = 4,
	[DMVPN_ENTRY_A_TYPE] = 1,
	[DMVPN_ENTRY_A_FLAGS] = 4,
	[DMVPN_ENTRY_A_HOLDTIME] = 4,
	[DMVPN_ENTRY_A_EXPIRES] = 4,
	[DMVPN_ENTRY_A_AGE] = 4,
	[DMVPN_ENTRY_A_USED] = 4,
	[DMVPN_ENTRY_A_PACKETS] = 8,
	[DMVPN_ENTRY_A_BYTES] = 8,
	[DMVPN_ENTRY_A_SA] = 1,
	[DMVPN_ENTRY_A_HELD] = 4,
	[DMVPN_ENTRY_A_HELD_AGE] = 4,
};

static const char *const sa_names[] = {
	[DMVPN_SA_UNKNOWN] = "unknown",
	[DMVPN_SA_PENDING] = "pending",
	[DMVPN_SA_UP] = "up",
};

static const __u16 mcast_policy[DMVPN_MCAST_A_MAX + 1] = {
	[DMVPN_MCAST_A_NBMA] = 4,
	[DMVPN_MCAST_A_FLAGS] = 4,
	[DMVPN_MCAST_A_PACKETS] = 8,
};

static const __u16 stats_policy[DMVPN_STATS_A_MAX + 1] = {
	[DMVPN_STATS_A_TX_PACKETS ... DMVPN_STATS_A_MISS_EVENTS] = 8,
	[DMVPN_STATS_A_TX_VIA_NHS ... DMVPN_STATS_A_TX_HOLD_EXPIRED] = 8,
};

/* Text groups the counters by direction, one line each. */
static const struct {
	int attr;
	const char *key;
	const char *label;
	int rx;
} stats[] = {
	{ DMVPN_STATS_A_TX_PACKETS, "tx_packets", "packets", 0 },
	{ DMVPN_STATS_A_TX_BYTES, "tx_bytes", "bytes", 0 },
	{ DMVPN_STATS_A_TX_ERRORS, "tx_errors", "errors", 0 },
	{ DMVPN_STATS_A_TX_NO_MAPPING, "tx_no_mapping", "no-mapping", 0 },
	{ DMVPN_STATS_A_TX_VIA_NHS, "tx_via_nhs", "via-nhs", 0 },
	{ DMVPN_STATS_A_TX_UNPROTECTED, "tx_unprotected", "unprotected", 0 },
	{ DMVPN_STATS_A_TX_HELD, "tx_held", "held", 0 },
	{ DMVPN_STATS_A_TX_RELEASED, "tx_released", "released", 0 },
	{ DMVPN_STATS_A_TX_HOLD_OVERFLOW, "tx_hold_overflow", "hold-overflow",
	  0 },
	{ DMVPN_STATS_A_TX_HOLD_EXPIRED, "tx_hold_expired", "hold-expired", 0 },
	{ DMVPN_STATS_A_TX_MCAST, "tx_mcast", "mcast", 0 },
	{ DMVPN_STATS_A_TX_NHRP, "tx_nhrp", "nhrp", 0 },
	{ DMVPN_STATS_A_MISS_EVENTS, "miss_events", "miss-events", 0 },
	{ DMVPN_STATS_A_RX_PACKETS, "rx_packets", "packets", 1 },
	{ DMVPN_STATS_A_RX_BYTES, "rx_bytes", "bytes", 1 },
	{ DMVPN_STATS_A_RX_KEY_MISMATCH, "rx_key_mismatch", "key-mismatch", 1 },
	{ DMVPN_STATS_A_RX_MALFORMED, "rx_malformed", "malformed", 1 },
	{ DMVPN_STATS_A_RX_POLICY, "rx_policy", "policy", 1 },
	{ DMVPN_STATS_A_RX_UNPROTECTED, "rx_unprotected", "unprotected", 1 },
	{ DMVPN_STATS_A_RX_NHRP, "rx_nhrp", "nhrp", 1 },
};

/* Within a dump (dmvpn_get()) the last name is kept: a dump names the same
 * device in each of its (100,000) entries, and if_indextoname() costs three
 * system calls. Events are not dumps: a device may be renamed between two.
 */
static char last_name[IF_NAMESIZE];
static __u32 last;
static bool keep_names;

void dmvpn_keep_names(bool keep)
{
	keep_names = keep;
	last = 0;
}

/* Names of other namespaces' devices cannot be resolved, as in iproute2. */
static const char *index_to_name(__u32 ifindex, char *buf)
{
	if (ifindex != last || !keep_names) {
		if (!if_indextoname(ifindex, last_name))
			snprintf(last_name, IF_NAMESIZE, "if%u", ifindex);
		last = ifindex;
	}
	memcpy(buf, last_name, IF_NAMESIZE);
	return buf;
}

const char *dmvpn_dev_name(struct rtattr **tb, char *buf)
{
	if (tb[DMVPN_A_IFNAME])
		return rta_getattr_str(tb[DMVPN_A_IFNAME]);
	if (tb[DMVPN_A_IFINDEX])
		return index_to_name(rta_getattr_u32(tb[DMVPN_A_IFINDEX]), buf);
	return NULL;
}

void print_dmvpn_addr(const char *key, const char *fmt, struct rtattr *nla)
{
	char buf[DMVPN_ADDRSTRLEN];

	print_string(PRINT_ANY, key, fmt,
		     dmvpn_addr_ntop(RTA_DATA(nla), RTA_PAYLOAD(nla), buf,
				     sizeof(buf)));
}

static void print_flags(const struct dmvpn_flag_name *names, size_t n,
			__u32 flags)
{
	const char *sep = " flags ";
	char buf[16];
	size_t i;

	open_json_array(PRINT_JSON, "flags");
	for (i = 0; i < n; i++) {
		if (!(flags & names[i].flag))
			continue;
		flags &= ~names[i].flag;
		print_string(PRINT_JSON, NULL, NULL, names[i].name);
		print_string(PRINT_FP, NULL, "%s", sep);
		print_string(PRINT_FP, NULL, "%s", names[i].name);
		sep = ",";
	}
	if (flags) {
		snprintf(buf, sizeof(buf), "%#x", flags);
		print_string(PRINT_JSON, NULL, NULL, buf);
		print_string(PRINT_FP, NULL, "%s", sep);
		print_string(PRINT_FP, NULL, "%s", buf);
	}
	close_json_array(PRINT_JSON, NULL);
}

static void print_u32_attr(struct rtattr **tb, int attr, const char *key,
			   const char *fmt)
{
	if (tb[attr])
		print_uint(PRINT_ANY, key, fmt, rta_getattr_u32(tb[attr]));
}

static void print_u64_attr(struct rtattr **tb, int attr, const char *key,
			   const char *fmt)
{
	if (tb[attr])
		print_u64(PRINT_ANY, key, fmt, rta_getattr_u64(tb[attr]));
}

static void print_stats(struct rtattr *nest)
{
	struct rtattr *tb[DMVPN_STATS_A_MAX + 1];
	char fmt[32];
	int rx, first;
	size_t i;

	if (dmvpn_parse_nested(tb, DMVPN_STATS_A_MAX, nest, stats_policy) < 0) {
		fprintf(stderr, "Error: malformed device statistics\n");
		return;
	}
	open_json_object("stats");
	for (rx = 0; rx <= 1; rx++) {
		first = 1;
		for (i = 0; i < ARRAY_SIZE(stats); i++) {
			if (stats[i].rx != rx || !tb[stats[i].attr])
				continue;
			if (first) {
				print_nl();
				print_string(PRINT_FP, NULL, "%s",
					     rx ? "    rx:" : "    tx:");
				first = 0;
			}
			snprintf(fmt, sizeof(fmt), " %s %%llu", stats[i].label);
			print_u64(PRINT_ANY, stats[i].key, fmt,
				  rta_getattr_u64(tb[stats[i].attr]));
		}
	}
	close_json_object();
}

void print_dmvpn_dev(struct rtattr **tb)
{
	char name[IF_NAMESIZE], link[IF_NAMESIZE];
	const char *dev = dmvpn_dev_name(tb, name);
	__u8 ttl, tos;

	if (tb[DMVPN_A_IFINDEX])
		print_uint(PRINT_ANY, "ifindex", "%u: ",
			   rta_getattr_u32(tb[DMVPN_A_IFINDEX]));
	print_string(PRINT_ANY, "ifname", "%s:", dev ? dev : "?");
	if (tb[DMVPN_A_LOCAL])
		print_dmvpn_addr("local", " local %s", tb[DMVPN_A_LOCAL]);
	print_u32_attr(tb, DMVPN_A_KEY, "key", " key %u");
	if (tb[DMVPN_A_LINK] && rta_getattr_u32(tb[DMVPN_A_LINK]))
		print_string(PRINT_ANY, "link", " dev %s",
			     index_to_name(rta_getattr_u32(tb[DMVPN_A_LINK]),
					   link));
	/* JSON keeps the raw values; text spells the copy-inner ones. */
	if (tb[DMVPN_A_TTL]) {
		ttl = rta_getattr_u8(tb[DMVPN_A_TTL]);
		if (is_json_context() || ttl)
			print_uint(PRINT_ANY, "ttl", " ttl %u", ttl);
		else
			print_string(PRINT_FP, NULL, " ttl %s", "inherit");
	}
	if (tb[DMVPN_A_TOS]) {
		tos = rta_getattr_u8(tb[DMVPN_A_TOS]);
		if (is_json_context() || tos != 1)
			print_uint(PRINT_ANY, "tos", " tos %#x", tos);
		else
			print_string(PRINT_FP, NULL, " tos %s", "inherit");
	}
	print_u32_attr(tb, DMVPN_A_MAX_ENTRIES, "max_entries",
		       " max-entries %u");
	print_u32_attr(tb, DMVPN_A_ENTRY_COUNT, "entry_count", " entries %u");
	if (show_stats && tb[DMVPN_A_STATS])
		print_stats(tb[DMVPN_A_STATS]);
}

void print_dmvpn_ifname(struct rtattr **tb)
{
	char name[IF_NAMESIZE];
	const char *dev = dmvpn_dev_name(tb, name);

	if (dev)
		print_string(PRINT_ANY, "dev", " dev %s", dev);
}

/* The peer's IPsec state, on a protected device. */
static void print_entry_sa(struct rtattr **tb)
{
	__u8 sa;

	if (!tb[DMVPN_ENTRY_A_SA])
		return;
	sa = rta_getattr_u8(tb[DMVPN_ENTRY_A_SA]);
	if (sa < ARRAY_SIZE(sa_names) && sa_names[sa])
		print_string(PRINT_ANY, "sa", " sa %s", sa_names[sa]);
	else
		print_uint(PRINT_ANY, "sa", " sa %u", sa);
	print_u32_attr(tb, DMVPN_ENTRY_A_HELD, "held", " held %u");
	print_u32_attr(tb, DMVPN_ENTRY_A_HELD_AGE, "held_age_ms",
		       " held-age %ums");
}

void print_dmvpn_entry(struct rtattr **top, bool lead)
{
	struct rtattr *tb[DMVPN_ENTRY_A_MAX + 1];
	char buf[DMVPN_ADDRSTRLEN];
	struct rtattr *proto;
	unsigned int plen;

	if (!top[DMVPN_A_ENTRY]) {
		print_dmvpn_ifname(top);
		return;
	}
	if (dmvpn_parse_nested(tb, DMVPN_ENTRY_A_MAX, top[DMVPN_A_ENTRY],
			     entry_policy) < 0) {
		fprintf(stderr, "Error: malformed NHRP entry\n");
		return;
	}

	proto = tb[DMVPN_ENTRY_A_PROTO];
	if (proto) {
		plen = tb[DMVPN_ENTRY_A_PREFIXLEN] ?
			       rta_getattr_u8(tb[DMVPN_ENTRY_A_PREFIXLEN]) :
			       RTA_PAYLOAD(proto) * 8;
		dmvpn_addr_ntop(RTA_DATA(proto), RTA_PAYLOAD(proto), buf,
				sizeof(buf));
		print_string(PRINT_ANY, "proto", lead ? " %s" : "%s", buf);
		print_uint(PRINT_ANY, "plen", "/%u", plen);
	}
	if (tb[DMVPN_ENTRY_A_NBMA])
		print_dmvpn_addr("nbma", " nbma %s", tb[DMVPN_ENTRY_A_NBMA]);
	print_dmvpn_ifname(top);
	if (tb[DMVPN_ENTRY_A_TYPE])
		print_string(PRINT_ANY, "type", " type %s",
			     dmvpn_entry_type_n2a(
				     rta_getattr_u8(tb[DMVPN_ENTRY_A_TYPE]), buf,
				     sizeof(buf)));
	print_flags(dmvpn_entry_flag_names, dmvpn_entry_flag_count,
		    tb[DMVPN_ENTRY_A_FLAGS] ?
			    rta_getattr_u32(tb[DMVPN_ENTRY_A_FLAGS]) : 0);
	print_u32_attr(tb, DMVPN_ENTRY_A_HOLDTIME, "holdtime", " holdtime %u");
	print_u32_attr(tb, DMVPN_ENTRY_A_EXPIRES, "expires", " expires %u");
	print_u32_attr(tb, DMVPN_ENTRY_A_AGE, "age", " age %u");
	print_u32_attr(tb, DMVPN_ENTRY_A_USED, "used", " used %u");
	print_u64_attr(tb, DMVPN_ENTRY_A_PACKETS, "packets", " packets %llu");
	print_u64_attr(tb, DMVPN_ENTRY_A_BYTES, "bytes", " bytes %llu");
	print_entry_sa(tb);
}

void print_dmvpn_mcast(struct rtattr **top, bool lead)
{
	struct rtattr *tb[DMVPN_MCAST_A_MAX + 1];

	if (!top[DMVPN_A_MCAST]) {
		print_dmvpn_ifname(top);
		return;
	}
	if (dmvpn_parse_nested(tb, DMVPN_MCAST_A_MAX, top[DMVPN_A_MCAST],
			     mcast_policy) < 0) {
		fprintf(stderr, "Error: malformed multicast entry\n");
		return;
	}
	if (tb[DMVPN_MCAST_A_NBMA])
		print_dmvpn_addr("nbma", lead ? " %s" : "%s",
				 tb[DMVPN_MCAST_A_NBMA]);
	print_dmvpn_ifname(top);
	print_flags(dmvpn_mcast_flag_names, dmvpn_mcast_flag_count,
		    tb[DMVPN_MCAST_A_FLAGS] ?
			    rta_getattr_u32(tb[DMVPN_MCAST_A_FLAGS]) : 0);
	print_u64_attr(tb, DMVPN_MCAST_A_PACKETS, "packets", " packets %llu");
}

const char *dmvpn_duration(__u32 secs, char *buf, size_t len)
{
	if (secs < 86400)
		snprintf(buf, len, "%02u:%02u:%02u", secs / 3600,
			 secs / 60 % 60, secs % 60);
	else if (secs < 7 * 86400)
		snprintf(buf, len, "%ud%02uh", secs / 86400, secs / 3600 % 24);
	else
		snprintf(buf, len, "%uw%ud", secs / (7 * 86400),
			 secs / 86400 % 7);
	return buf;
}
