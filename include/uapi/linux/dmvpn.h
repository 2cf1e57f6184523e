/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * dmvpn: Dynamic Multipoint VPN over multipoint GRE.
 *
 * This header is the whole contract between dmvpn.ko and userspace
 * (dmvpnd, ip dmvpn, the iproute2 link plugin). See
 * Documentation/netlink.rst for the semantics of every command.
 *
 * Addresses are carried as raw network-order bytes: 4 bytes for IPv4,
 * 16 bytes for IPv6; the length tells the family.
 */
#ifndef _UAPI_LINUX_DMVPN_H
#define _UAPI_LINUX_DMVPN_H

#include <linux/types.h>

/* NHRP rides in GRE with this protocol type (RFC 2332 section 3). */
#define DMVPN_ETH_P_NHRP 0x2001

/* ---- rtnetlink: ip link add NAME type dmvpn ... (IFLA_INFO_DATA) ---- */
enum {
	IFLA_DMVPN_UNSPEC,
	IFLA_DMVPN_LOCAL,	/* binary 4/16: underlay (NBMA) source, required */
	IFLA_DMVPN_KEY,		/* u32 host order: GRE key; absent = none */
	IFLA_DMVPN_LINK,	/* u32: underlay ifindex; 0 = any */
	IFLA_DMVPN_TTL,		/* u8: outer TTL; 0 = copy inner; default 64 */
	IFLA_DMVPN_TOS,		/* u8: outer TOS; 1 = copy inner; default 0 */
	IFLA_DMVPN_MAX_ENTRIES,	/* u32: NHRP cache bound; default 65536 */
	__IFLA_DMVPN_MAX
};

#define IFLA_DMVPN_MAX (__IFLA_DMVPN_MAX - 1)

/* ---- generic netlink family ---- */
#define DMVPN_GENL_NAME		"dmvpn"
#define DMVPN_GENL_VERSION	1
#define DMVPN_MCGRP_EVENTS	"events"

enum dmvpn_cmd {
	DMVPN_CMD_UNSPEC,
	DMVPN_CMD_DEV_GET,	/* do: one device (IFINDEX or IFNAME); dump: all */
	DMVPN_CMD_ENTRY_NEW,	/* create; with DMVPN_A_REPLACE create or update */
	DMVPN_CMD_ENTRY_DEL,
	DMVPN_CMD_ENTRY_GET,	/* do: exact entry; dump: all, or one device */
	DMVPN_CMD_ENTRY_FLUSH,	/* optional ENTRY { TYPE } filter */
	DMVPN_CMD_MCAST_NEW,	/* multicast replication map */
	DMVPN_CMD_MCAST_DEL,
	DMVPN_CMD_MCAST_GET,	/* dump */
	DMVPN_CMD_ENTRY_SET,	/* update an existing entry */
	DMVPN_CMD_EVENT,	/* kernel -> userspace only, on DMVPN_MCGRP_EVENTS */
	__DMVPN_CMD_MAX
};

#define DMVPN_CMD_MAX (__DMVPN_CMD_MAX - 1)

enum dmvpn_attr {
	DMVPN_A_UNSPEC,
	DMVPN_A_IFINDEX,	/* u32 */
	DMVPN_A_IFNAME,		/* string */
	DMVPN_A_LOCAL,		/* binary 4/16, read-only */
	DMVPN_A_KEY,		/* u32, read-only, absent when keyless */
	DMVPN_A_LINK,		/* u32, read-only */
	DMVPN_A_TTL,		/* u8, read-only */
	DMVPN_A_TOS,		/* u8, read-only */
	DMVPN_A_MAX_ENTRIES,	/* u32, read-only */
	DMVPN_A_ENTRY_COUNT,	/* u32, read-only */
	DMVPN_A_STATS,		/* nest: DMVPN_STATS_A_* */
	DMVPN_A_ENTRY,		/* nest: DMVPN_ENTRY_A_* */
	DMVPN_A_MCAST,		/* nest: DMVPN_MCAST_A_* */
	DMVPN_A_EVENT,		/* u8: enum dmvpn_event */
	DMVPN_A_REPLACE,	/* flag: ENTRY_NEW / MCAST_NEW may update */
	DMVPN_A_PAD,
	__DMVPN_A_MAX
};

#define DMVPN_A_MAX (__DMVPN_A_MAX - 1)

enum dmvpn_entry_type {
	DMVPN_ENTRY_UNSPEC,
	DMVPN_ENTRY_STATIC,	/* configured, never expires */
	DMVPN_ENTRY_DYNAMIC,	/* learned (registration / resolution) */
	DMVPN_ENTRY_LOCAL,	/* this router's own binding */
	DMVPN_ENTRY_INCOMPLETE,	/* resolution pending; no NBMA yet */
	DMVPN_ENTRY_SHORTCUT,	/* prefix route to an NBMA (Phase 3) */
	DMVPN_ENTRY_NEGATIVE,	/* resolution failed: do not ask again yet */
	__DMVPN_ENTRY_MAX
};

#define DMVPN_ENTRY_MAX (__DMVPN_ENTRY_MAX - 1)

/* DMVPN_ENTRY_A_FLAGS; the Cisco "show dmvpn" flags plus kernel state. */
#define DMVPN_F_UNIQUE		(1U << 0)
#define DMVPN_F_REGISTERED	(1U << 1)
#define DMVPN_F_NHOP		(1U << 2)
#define DMVPN_F_ROUTER		(1U << 3)
#define DMVPN_F_IMPLICIT	(1U << 4)
#define DMVPN_F_NAT		(1U << 5)
#define DMVPN_F_NHS		(1U << 6)
#define DMVPN_F_USED		(1U << 7)	/* kernel-set: carried traffic */
#define DMVPN_F_USER_MASK	0x7fU

enum dmvpn_entry_attr {
	DMVPN_ENTRY_A_UNSPEC,
	DMVPN_ENTRY_A_PROTO,	 /* binary 4/16: overlay (protocol) address */
	DMVPN_ENTRY_A_PREFIXLEN, /* u8: default 32/128 (a host) */
	DMVPN_ENTRY_A_NBMA,	 /* binary 4/16: underlay address */
	DMVPN_ENTRY_A_TYPE,	 /* u8: enum dmvpn_entry_type */
	DMVPN_ENTRY_A_FLAGS,	 /* u32: DMVPN_F_* */
	DMVPN_ENTRY_A_HOLDTIME,	 /* u32 s: lifetime on add, 0 = forever */
	DMVPN_ENTRY_A_EXPIRES,	 /* u32 s: remaining lifetime (dump only) */
	DMVPN_ENTRY_A_AGE,	 /* u32 s: since created (dump only) */
	DMVPN_ENTRY_A_USED,	 /* u32 s: since last packet (dump only) */
	DMVPN_ENTRY_A_PACKETS,	 /* u64 (dump only) */
	DMVPN_ENTRY_A_BYTES,	 /* u64 (dump only) */
	DMVPN_ENTRY_A_PAD,
	__DMVPN_ENTRY_A_MAX
};

#define DMVPN_ENTRY_A_MAX (__DMVPN_ENTRY_A_MAX - 1)

#define DMVPN_MCAST_F_DYNAMIC	(1U << 0)	/* added by registration */

enum dmvpn_mcast_attr {
	DMVPN_MCAST_A_UNSPEC,
	DMVPN_MCAST_A_NBMA,	/* binary 4/16 */
	DMVPN_MCAST_A_FLAGS,	/* u32: DMVPN_MCAST_F_* */
	DMVPN_MCAST_A_PACKETS,	/* u64 (dump only) */
	DMVPN_MCAST_A_PAD,
	__DMVPN_MCAST_A_MAX
};

#define DMVPN_MCAST_A_MAX (__DMVPN_MCAST_A_MAX - 1)

/* Device counters, DMVPN_A_STATS; all u64. */
enum dmvpn_stats_attr {
	DMVPN_STATS_A_UNSPEC,
	DMVPN_STATS_A_TX_PACKETS,
	DMVPN_STATS_A_TX_BYTES,
	DMVPN_STATS_A_RX_PACKETS,
	DMVPN_STATS_A_RX_BYTES,
	DMVPN_STATS_A_TX_NO_MAPPING,	/* dropped: no NHRP entry */
	DMVPN_STATS_A_TX_ERRORS,	/* dropped: no route, no memory */
	DMVPN_STATS_A_TX_MCAST,		/* multicast copies sent */
	DMVPN_STATS_A_RX_KEY_MISMATCH,	/* our local address, other key */
	DMVPN_STATS_A_RX_MALFORMED,	/* bad GRE header or checksum */
	DMVPN_STATS_A_RX_POLICY,	/* refused by IPsec policy */
	DMVPN_STATS_A_RX_NHRP,		/* NHRP frames to userspace */
	DMVPN_STATS_A_TX_NHRP,		/* NHRP frames from userspace */
	DMVPN_STATS_A_MISS_EVENTS,	/* cache-miss notifications sent */
	DMVPN_STATS_A_PAD,
	__DMVPN_STATS_A_MAX
};

#define DMVPN_STATS_A_MAX (__DMVPN_STATS_A_MAX - 1)

enum dmvpn_event {
	DMVPN_EVENT_UNSPEC,
	DMVPN_EVENT_ENTRY_ADDED,
	DMVPN_EVENT_ENTRY_DELETED,
	DMVPN_EVENT_ENTRY_EXPIRED,
	DMVPN_EVENT_MISS,	/* ENTRY carries PROTO = the unresolved nexthop */
	DMVPN_EVENT_MCAST_ADDED,
	DMVPN_EVENT_MCAST_DELETED,
	__DMVPN_EVENT_MAX
};

#define DMVPN_EVENT_MAX (__DMVPN_EVENT_MAX - 1)

#endif /* _UAPI_LINUX_DMVPN_H */
