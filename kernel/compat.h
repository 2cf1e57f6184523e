/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few places where the kernels dmvpn supports (6.1 to current) differ.
 * Kbuild sets the DMVPN_COMPAT_* macros by probing the kernel's headers
 * (compat-probe.sh); the code elsewhere stays shaped like upstream.
 */
#ifndef _DMVPN_COMPAT_H
#define _DMVPN_COMPAT_H

#include <linux/netdevice.h>
#include <net/genetlink.h>
#include <net/inet_dscp.h>
#include <net/ip_tunnels.h>
#include <net/rtnetlink.h>
#include <net/xfrm.h>

#ifdef DMVPN_COMPAT_LINUX_UNALIGNED
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

static inline void dmvpn_compat_set_lltx(struct net_device *dev)
{
#ifdef DMVPN_COMPAT_LLTX_FIELD
	dev->lltx = true;
#else
	dev->features |= NETIF_F_LLTX;
#endif
}

/* The device and its underlay must share a netns: the receive hook and
 * the route lookups run in the device's namespace.
 */
static inline void dmvpn_compat_set_netns_local(struct net_device *dev)
{
#if defined(DMVPN_COMPAT_NETNS_IMMUTABLE_FIELD)
	dev->netns_immutable = true;
#elif defined(DMVPN_COMPAT_NETNS_LOCAL_FIELD)
	dev->netns_local = true;
#else
	dev->features |= NETIF_F_NETNS_LOCAL;
#endif
}

/* Per-CPU TX/RX counters in dev->tstats. Where the core knows the counter
 * type (6.7) it allocates and frees them, and iptunnel_xmit() counts only
 * into a device that declares it (7.0, 6.19.y): it warns on any other.
 */
static inline void dmvpn_compat_set_tstats(struct net_device *dev)
{
#ifdef DMVPN_COMPAT_PCPU_STAT_TYPE
	dev->pcpu_stat_type = NETDEV_PCPU_STAT_TSTATS;
#endif
}

static inline int dmvpn_compat_alloc_tstats(struct net_device *dev)
{
#ifndef DMVPN_COMPAT_PCPU_STAT_TYPE
	dev->tstats = netdev_alloc_pcpu_stats(struct pcpu_sw_netstats);
	if (!dev->tstats)
		return -ENOMEM;
#endif
	return 0;
}

static inline void dmvpn_compat_free_tstats(struct net_device *dev)
{
#ifndef DMVPN_COMPAT_PCPU_STAT_TYPE
	free_percpu(dev->tstats);
	dev->tstats = NULL;
#endif
}

/* The route lookup's TOS became a dscp_t (after 6.12). */
static inline void dmvpn_compat_flow_dscp(struct flowi4 *fl4, u8 dsfield)
{
#ifdef DMVPN_COMPAT_FLOWI4_DSCP
	fl4->flowi4_dscp = inet_dsfield_to_dscp(dsfield);
#else
	fl4->flowi4_tos = dsfield & INET_DSCP_MASK;
#endif
}

/* What tells a larval state of an ACQUIRE apart: the template and the
 * policy it came from, and the flow's addresses (transport mode).
 */
struct dmvpn_acq_key {
	struct xfrm_mark mark;
	u32 reqid;
	u32 if_id;
	u8 mode;
	u8 proto;
	xfrm_address_t daddr;
	xfrm_address_t saddr;
};

/* The larval state of an ACQUIRE for @k, without making one;
 * xfrm_find_acq() took a per-CPU state number in 6.13.
 */
static inline struct xfrm_state *
dmvpn_compat_find_acq(struct net *net, const struct dmvpn_acq_key *k)
{
#ifdef DMVPN_COMPAT_FIND_ACQ_PCPU
	return xfrm_find_acq(net, &k->mark, k->mode, k->reqid, k->if_id,
			     UINT_MAX, k->proto, &k->daddr, &k->saddr, 0,
			     AF_INET);
#else
	return xfrm_find_acq(net, &k->mark, k->mode, k->reqid, k->if_id,
			     k->proto, &k->daddr, &k->saddr, 0, AF_INET);
#endif
}

/* iptunnel_xmit() took the IP control block's flags (after 6.12). */
static inline void dmvpn_compat_iptunnel_xmit(struct rtable *rt,
					      struct sk_buff *skb,
					      __be32 src, __be32 dst, u8 proto,
					      u8 tos, u8 ttl, __be16 df)
{
#ifdef DMVPN_COMPAT_IPTUNNEL_XMIT_FLAGS
	iptunnel_xmit(NULL, rt, skb, src, dst, proto, tos, ttl, df, false, 0);
#else
	iptunnel_xmit(NULL, rt, skb, src, dst, proto, tos, ttl, df, false);
#endif
}

/* An ip_gre tunnel's receive key; its flags became a bitmap in 6.10. */
static inline bool dmvpn_compat_tunnel_ikey(const struct ip_tunnel *t, u32 *key)
{
	*key = ntohl(t->parms.i_key);
#ifdef DMVPN_COMPAT_TUNNEL_FLAGS_BITMAP
	return test_bit(IP_TUNNEL_KEY_BIT, t->parms.i_flags);
#else
	return t->parms.i_flags & TUNNEL_KEY;
#endif
}

/* 6.15 packed newlink()'s arguments into struct rtnl_newlink_params.
 * dmvpn's newlink() has the new form; on older kernels
 * DMVPN_COMPAT_NEWLINK(fn) defines the old-form fn_compat that calls it,
 * and DMVPN_NEWLINK(fn) names whichever rtnl_link_ops takes.
 */
#ifdef DMVPN_COMPAT_NEWLINK_PARAMS
#define DMVPN_COMPAT_NEWLINK(fn)
#define DMVPN_NEWLINK(fn) fn
#else
struct rtnl_newlink_params {
	struct net *src_net;
	struct nlattr **tb;
	struct nlattr **data;
};

#define DMVPN_COMPAT_NEWLINK(fn)					\
static int fn##_compat(struct net *src_net, struct net_device *dev,	\
		       struct nlattr *tb[], struct nlattr *data[],	\
		       struct netlink_ext_ack *extack)			\
{									\
	struct rtnl_newlink_params p = {				\
		.src_net = src_net, .tb = tb, .data = data,		\
	};								\
	return fn(dev, &p, extack);					\
}

#define DMVPN_NEWLINK(fn) fn##_compat
#endif

static inline struct nlattr **dmvpn_compat_dump_attrs(struct netlink_callback *cb)
{
#ifdef DMVPN_COMPAT_DUMPIT_INFO
	return genl_dumpit_info(cb)->info.attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

#ifdef DMVPN_COMPAT_PARSE_HAS_DEV
#define DMVPN_HEADER_PARSE_ARGS \
	const struct sk_buff *skb, const struct net_device *dev, \
	unsigned char *haddr
#else
#define DMVPN_HEADER_PARSE_ARGS const struct sk_buff *skb, unsigned char *haddr
#endif

/* Multicast groups that only CAP_NET_ADMIN may join: 6.7, and 6.1.y. */
#ifdef GENL_MCAST_CAP_NET_ADMIN
#define DMVPN_COMPAT_MCGRP_ADMIN .flags = GENL_MCAST_CAP_NET_ADMIN
#else
#define DMVPN_COMPAT_MCGRP_ADMIN
#endif

#endif /* _DMVPN_COMPAT_H */
