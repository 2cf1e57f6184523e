/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few places where the kernels dmvpn supports (6.1 to current) differ.
 * Each shim is named for what it does; the code elsewhere stays shaped like
 * current upstream.
 */
#ifndef _DMVPN_COMPAT_H
#define _DMVPN_COMPAT_H

#include <linux/netdevice.h>
#include <linux/version.h>
#include <net/genetlink.h>

/* 6.12 moved the unaligned accessors out of asm/. */
#if __has_include(<linux/unaligned.h>)
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/* 6.11 turned NETIF_F_LLTX and NETIF_F_NETNS_LOCAL into struct fields. */
static inline void dmvpn_compat_set_lltx(struct net_device *dev)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
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
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
	dev->netns_local = true;
#else
	dev->features |= NETIF_F_NETNS_LOCAL;
#endif
}

/* 6.2 wrapped the dump's attributes in a genl_info. */
static inline struct nlattr **dmvpn_compat_dump_attrs(struct netlink_callback *cb)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
	return genl_dumpit_info(cb)->info.attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

/* header_ops->parse gained the device (upstream 6.19, stable backports):
 * probed by Kbuild because stable kernels differ within one version.
 */
#ifdef DMVPN_COMPAT_PARSE_HAS_DEV
#define DMVPN_HEADER_PARSE_ARGS \
	const struct sk_buff *skb, const struct net_device *dev, \
	unsigned char *haddr
#else
#define DMVPN_HEADER_PARSE_ARGS const struct sk_buff *skb, unsigned char *haddr
#endif

#endif /* _DMVPN_COMPAT_H */
