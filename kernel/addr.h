/* SPDX-License-Identifier: GPL-2.0 */
/* An IPv4 or IPv6 address, overlay (protocol) or underlay (NBMA). */
#ifndef _DMVPN_ADDR_H
#define _DMVPN_ADDR_H

#include <linux/in6.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <net/ipv6.h>

struct dmvpn_addr {
	u8 family;		/* AF_INET, AF_INET6; 0 = none */
	union {
		__be32 ip4;
		struct in6_addr ip6;
	};
};

static inline u8 dmvpn_family_bits(u8 family)
{
	return family == AF_INET6 ? 128 : 32;
}

static inline bool dmvpn_addr_equal(const struct dmvpn_addr *a,
				    const struct dmvpn_addr *b)
{
	if (a->family != b->family)
		return false;
	if (a->family == AF_INET6)
		return ipv6_addr_equal(&a->ip6, &b->ip6);
	return a->ip4 == b->ip4;
}

/* A copy fit for hashing with memcmp semantics: padding zeroed. */
static inline void dmvpn_addr_key(struct dmvpn_addr *key,
				  const struct dmvpn_addr *a)
{
	memset(key, 0, sizeof(*key));
	key->family = a->family;
	if (a->family == AF_INET6)
		key->ip6 = a->ip6;
	else
		key->ip4 = a->ip4;
}

#endif /* _DMVPN_ADDR_H */
