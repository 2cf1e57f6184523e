#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Prints -D flags for API changes that stable kernels backport, so a
# version number cannot tell them apart. Usage: compat-probe.sh SRCTREE
src=$1
# header_ops->parse(skb, dev, haddr)
grep -A1 'int[[:space:]]*(\*parse)(const struct sk_buff \*skb,' \
	"$src/include/linux/netdevice.h" | grep -q 'struct net_device' &&
	echo -DDMVPN_COMPAT_PARSE_HAS_DEV
exit 0
