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
	IFLA_DMVPN_FWMARK,	/* u32: mark for the underlay route lookup and
				 * the outer packet; 0 = the packet's own
				 */
	IFLA_DMVPN_PROTECT,	/* u8: DMVPN_PROTECT_*; default NONE */
	IFLA_DMVPN_HOLD_PEER,	/* u32: packets held per peer while its SA is
				 * negotiated (PROTECT); default 256, 0 = none
				 */
	IFLA_DMVPN_HOLD_DEVICE,	/* u32: packets held on the device in all;
				 * default 4096
				 */
	IFLA_DMVPN_HOLD_TIME,	/* u32 ms: how long a packet waits for its
				 * SA; default 5000
				 */
	__IFLA_DMVPN_MAX
};

/* IFLA_DMVPN_PROTECT. With REQUIRE no GRE leaves without an IPsec SA
 * (xfrm bundle) to its peer, and none is taken in that did not come out
 * of one (secpath): for want of one a packet is held in the peer's queue
 * until the SA is installed (IFLA_DMVPN_HOLD_*; or sent through an NHS
 * whose SA is up, if the peer is not one), else dropped and counted;
 * never sent or delivered in clear.
 */
enum {
	DMVPN_PROTECT_NONE,
	DMVPN_PROTECT_REQUIRE,
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
	DMVPN_CMD_ENTRY_FLUSH,	/* optional ENTRY { TYPE, PROTO/PREFIXLEN } */
	DMVPN_CMD_MCAST_NEW,	/* multicast replication map */
	DMVPN_CMD_MCAST_DEL,
	DMVPN_CMD_MCAST_GET,	/* dump */
	DMVPN_CMD_ENTRY_SET,	/* update an existing entry */
	DMVPN_CMD_EVENT,	/* kernel -> userspace only, on DMVPN_MCGRP_EVENTS */
	DMVPN_CMD_CONFIG_SET,	/* NHRP configuration: only the attrs present */
	DMVPN_CMD_NHS_NEW,	/* add a configured next-hop server */
	DMVPN_CMD_NHS_DEL,
	DMVPN_CMD_NHS_GET,	/* dump: all, or one device */
	DMVPN_CMD_NHS_SET,	/* dmvpnd publishes an NHS's run-time status */
	DMVPN_CMD_SA_INITIATED,	/* dmvpnd: this node initiated the SA to
				 * SA_NBMA whose outbound SPI is SA_SPI (the
				 * peer installed it first): a new SA to that
				 * peer need not settle
				 */
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
	DMVPN_A_PAD,		/* unused (u64s are in nests); kept for the ABI */
	DMVPN_A_CONFIG,		/* nest: DMVPN_CFG_A_*; in DEV_GET replies */
	DMVPN_A_NHS,		/* nest: DMVPN_NHS_A_* */
	DMVPN_A_REPLACE_LEARNED, /* flag: ENTRY_NEW may update what NHRP
				  * learned (dynamic, incomplete, negative,
				  * not an NHS), never configuration
				  */
	DMVPN_A_PROTECT,	/* u8, read-only: IFLA_DMVPN_PROTECT */
	DMVPN_A_SA_NBMA,	/* binary 4: SA_INITIATED's peer */
	DMVPN_A_SA_SPI,		/* u32: SA_INITIATED's outbound SPI */
	__DMVPN_A_MAX
};

#define DMVPN_A_MAX (__DMVPN_A_MAX - 1)

enum dmvpn_entry_type {
	DMVPN_ENTRY_UNSPEC,
	DMVPN_ENTRY_STATIC,	/* configured, never expires */
	DMVPN_ENTRY_DYNAMIC,	/* learned (registration / resolution) */
	DMVPN_ENTRY_LOCAL,	/* this router's own binding */
	DMVPN_ENTRY_INCOMPLETE,	/* resolution pending; no NBMA yet: traffic
				 * goes via an NHS and raises no MISS
				 */
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
#define DMVPN_F_NHS		(1U << 6)	/* a next-hop server: traffic
						 * with no entry of its own is
						 * sent to it (Phase 2)
						 */
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
	DMVPN_ENTRY_A_PACKETS,	 /* u64: unicast to the entry's peer, i.e. */
	DMVPN_ENTRY_A_BYTES,	 /* u64: by all entries of its NBMA (dump) */
	DMVPN_ENTRY_A_PAD,
	DMVPN_ENTRY_A_SA,	 /* u8: enum dmvpn_sa_state of the peer, on a
				  * protected device (dump, PEER_SA event)
				  */
	DMVPN_ENTRY_A_HELD,	 /* u32: packets the peer holds for its SA */
	DMVPN_ENTRY_A_HELD_AGE,	 /* u32 ms: age of the oldest of them */
	__DMVPN_ENTRY_A_MAX
};

#define DMVPN_ENTRY_A_MAX (__DMVPN_ENTRY_A_MAX - 1)

/* DMVPN_ENTRY_A_SA: what the last packet to the peer found. */
enum dmvpn_sa_state {
	DMVPN_SA_UNKNOWN,	/* nothing sent to it yet */
	DMVPN_SA_PENDING,	/* no SA: its packets are held or go via an
				 * NHS, and the lookup asked for one
				 */
	DMVPN_SA_UP,		/* sent through an SA */
};

#define DMVPN_MCAST_F_DYNAMIC	(1U << 0)	/* added by registration */

enum dmvpn_mcast_attr {
	DMVPN_MCAST_A_UNSPEC,
	DMVPN_MCAST_A_NBMA,	/* binary 4/16 */
	DMVPN_MCAST_A_FLAGS,	/* u32: DMVPN_MCAST_F_* */
	DMVPN_MCAST_A_PACKETS,	/* u64: copies sent to the peer (dump only) */
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
	DMVPN_STATS_A_TX_VIA_NHS,	/* unresolved: sent to an NHS instead */
	DMVPN_STATS_A_TX_UNPROTECTED,	/* dropped: no IPsec SA (PROTECT) */
	DMVPN_STATS_A_RX_UNPROTECTED,	/* dropped: came in clear (PROTECT) */
	DMVPN_STATS_A_TX_HELD,		/* held for a peer's SA */
	DMVPN_STATS_A_TX_RELEASED,	/* sent once the SA came */
	DMVPN_STATS_A_TX_HOLD_OVERFLOW,	/* dropped: a hold limit was reached */
	DMVPN_STATS_A_TX_HOLD_EXPIRED,	/* dropped: held too long, or the
					 * peer went (out of the cache)
					 */
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
	DMVPN_EVENT_CONFIG_CHANGED,	/* CONFIG carries the new configuration */
	DMVPN_EVENT_NHS_ADDED,
	DMVPN_EVENT_NHS_DELETED,
	DMVPN_EVENT_NHS_CHANGED,	/* status (state) changed via NHS_SET */
	DMVPN_EVENT_FLUSHED,	/* ENTRY_COUNT entries went at once (flush,
				 * device removal): no event for each
				 */
	DMVPN_EVENT_PEER_SA,	/* a peer's SA state changed: ENTRY carries
				 * NBMA, SA, HELD
				 */
	DMVPN_EVENT_PEER_GONE,	/* on a protected device, the last entry
				 * with ENTRY's NBMA went: its SA may go
				 */
	__DMVPN_EVENT_MAX
};

#define DMVPN_EVENT_MAX (__DMVPN_EVENT_MAX - 1)

/*
 * NHRP configuration of a device (DMVPN_A_CONFIG). The kernel only stores
 * it, so that it lives and dies with the device and survives dmvpnd
 * restarts; dmvpnd acts on it. CONFIG_SET changes only the attributes
 * present; NETWORK_ID 0 (the default) means NHRP is off on the device.
 */
enum dmvpn_role {
	DMVPN_ROLE_NONE,	/* default: no NHRP */
	DMVPN_ROLE_SPOKE,	/* NHC: registers with the NHS list */
	DMVPN_ROLE_HUB,		/* NHS: accepts registrations (and may
				 * itself register with its NHS list)
				 */
	__DMVPN_ROLE_MAX
};

#define DMVPN_ROLE_MAX (__DMVPN_ROLE_MAX - 1)

#define DMVPN_DEFAULT_HOLDTIME	7200	/* s, as Cisco IOS and FRR */
#define DMVPN_AUTH_MAX		8	/* Cisco: cleartext, at most 8 bytes */
#define DMVPN_NHS_MAX		16	/* configured NHS per device */
#define DMVPN_FQDN_MAX		253

enum dmvpn_cfg_attr {
	DMVPN_CFG_A_UNSPEC,
	DMVPN_CFG_A_ROLE,	  /* u8: enum dmvpn_role */
	DMVPN_CFG_A_NETWORK_ID,	  /* u32: 0 = NHRP off */
	DMVPN_CFG_A_HOLDTIME,	  /* u32 s, 1..65535; default 7200 */
	DMVPN_CFG_A_REG_INTERVAL, /* u32 s, 0..65535; 0 = holdtime / 3 */
	DMVPN_CFG_A_AUTH,	  /* binary 0..8: cleartext; empty = none */
	DMVPN_CFG_A_UNIQUE,	  /* u8 0/1: register with U; default 1 */
	DMVPN_CFG_A_MCAST_DYNAMIC, /* u8 0/1: hub replicates multicast to
				    * registered spokes; default 0
				    */
	__DMVPN_CFG_A_MAX
};

#define DMVPN_CFG_A_MAX (__DMVPN_CFG_A_MAX - 1)

/*
 * A configured next-hop server (DMVPN_A_NHS). It is identified by its NBMA
 * address or its FQDN (exactly one of the two). The STATUS attributes are
 * written by dmvpnd with NHS_SET and refused in NHS_NEW; SINCE is computed
 * by the kernel from the last state change.
 */
enum dmvpn_nhs_state {
	DMVPN_NHS_STATE_NONE,	/* no status published yet */
	DMVPN_NHS_STATE_DOWN,	/* requests unanswered or refused */
	DMVPN_NHS_STATE_REGISTERING, /* request sent, no reply yet */
	DMVPN_NHS_STATE_UP,	/* registered */
	__DMVPN_NHS_STATE_MAX
};

#define DMVPN_NHS_STATE_MAX (__DMVPN_NHS_STATE_MAX - 1)

enum dmvpn_nhs_attr {
	DMVPN_NHS_A_UNSPEC,
	/* configuration */
	DMVPN_NHS_A_NBMA,	/* binary 4/16 */
	DMVPN_NHS_A_FQDN,	/* string, at most DMVPN_FQDN_MAX */
	DMVPN_NHS_A_PROTO,	/* binary 4/16: tunnel address; absent =
				 * learned from the registration reply
				 */
	DMVPN_NHS_A_PRIORITY,	/* u8: lower is preferred; default 0 */
	/* status (NHS_SET) */
	DMVPN_NHS_A_STATE,	/* u8: enum dmvpn_nhs_state */
	DMVPN_NHS_A_CUR_NBMA,	/* binary 4/16: resolved FQDN */
	DMVPN_NHS_A_CUR_PROTO,	/* binary 4/16: learned tunnel address */
	DMVPN_NHS_A_REQUESTS,	/* u64: registration requests sent */
	DMVPN_NHS_A_REPLIES,	/* u64: successful replies received */
	DMVPN_NHS_A_FAILURES,	/* u64: refusals, errors and timeouts */
	DMVPN_NHS_A_LAST_CODE,	/* u8: CIE code of the last reply */
	DMVPN_NHS_A_NAT,	/* u8 0/1: the NHS saw us behind NAT */
	/* kernel-computed */
	DMVPN_NHS_A_SINCE,	/* u32 s: since the last state change */
	DMVPN_NHS_A_PAD,
	__DMVPN_NHS_A_MAX
};

#define DMVPN_NHS_A_MAX (__DMVPN_NHS_A_MAX - 1)

#endif /* _UAPI_LINUX_DMVPN_H */
