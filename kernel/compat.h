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
#ifdef DMVPN_COMPAT_NETNS_LOCAL_FIELD
	dev->netns_local = true;
#else
	dev->features |= NETIF_F_NETNS_LOCAL;
#endif
}

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

#endif /* _DMVPN_COMPAT_H */
