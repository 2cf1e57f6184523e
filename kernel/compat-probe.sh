#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Prints -D flags for the kernel API differences dmvpn bridges (see
# compat.h). Probing the headers instead of comparing versions also covers
# stable kernels that backport a change. Usage: compat-probe.sh SRCTREE
inc=$1/include
netdev=$inc/linux/netdevice.h

# 6.11: NETIF_F_LLTX / NETIF_F_NETNS_LOCAL became net_device fields.
grep -q 'lltx:1' "$netdev" && echo -DDMVPN_COMPAT_LLTX_FIELD
grep -q 'netns_local:1' "$netdev" && echo -DDMVPN_COMPAT_NETNS_LOCAL_FIELD
# 6.15: ... and netns_local was renamed netns_immutable.
grep -q 'netns_immutable:1' "$netdev" && echo -DDMVPN_COMPAT_NETNS_IMMUTABLE_FIELD
# 6.7: the core allocates the per-CPU counters of the declared type.
grep -q 'pcpu_stat_type' "$netdev" && echo -DDMVPN_COMPAT_PCPU_STAT_TYPE
# 6.15: newlink(dev, struct rtnl_newlink_params *, extack).
grep -q 'struct rtnl_newlink_params {' "$inc/net/rtnetlink.h" &&
	echo -DDMVPN_COMPAT_NEWLINK_PARAMS
# After 6.12: struct flowi4 carries a dscp_t instead of a TOS byte.
grep -q 'define flowi4_dscp' "$inc/net/flow.h" && echo -DDMVPN_COMPAT_FLOWI4_DSCP
# 6.10: ip_tunnel flags are a bitmap.
grep -q 'IP_TUNNEL_DECLARE_FLAGS(i_flags)' "$inc/net/ip_tunnels.h" &&
	echo -DDMVPN_COMPAT_TUNNEL_FLAGS_BITMAP
# After 6.12: iptunnel_xmit(..., bool xnet, u16 ipcb_flags).
grep -A3 '^void iptunnel_xmit(' "$inc/net/ip_tunnels.h" | grep -q 'ipcb_flags' &&
	echo -DDMVPN_COMPAT_IPTUNNEL_XMIT_FLAGS
# 6.2: a dump's attributes moved into genl_dumpit_info.info.
grep -A4 'struct genl_dumpit_info {' "$inc/net/genetlink.h" |
	grep -q 'struct genl_info' && echo -DDMVPN_COMPAT_DUMPIT_INFO
# 6.12: <asm/unaligned.h> became <linux/unaligned.h>.
[ -f "$inc/linux/unaligned.h" ] && echo -DDMVPN_COMPAT_LINUX_UNALIGNED
# header_ops->parse(skb, dev, haddr): 6.19 and stable backports.
grep -A1 'int[[:space:]]*(\*parse)(const struct sk_buff \*skb,' "$netdev" |
	grep -q 'struct net_device' && echo -DDMVPN_COMPAT_PARSE_HAS_DEV
# 6.13: MODULE_IMPORT_NS() takes a string.
grep -q 'define MODULE_IMPORT_NS(ns)[[:space:]]*MODULE_INFO(import_ns, ns)' \
	"$inc/linux/module.h" && echo -DDMVPN_COMPAT_IMPORT_NS_STRING
# 6.13 (and 6.12 stable): xfrm_find_acq() takes a per-CPU state number.
grep -A1 '^struct xfrm_state \*xfrm_find_acq(' "$inc/net/xfrm.h" |
	grep -q 'pcpu_num' && echo -DDMVPN_COMPAT_FIND_ACQ_PCPU
exit 0
