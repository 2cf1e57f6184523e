// SPDX-License-Identifier: GPL-2.0
/*
 * The "dmvpn" generic netlink family: devices, NHRP cache entries, the
 * multicast map, and events (the NHRP configuration commands are in
 * netlink_config.c). Every change needs CAP_NET_ADMIN in the
 * namespace's user namespace; every rejection says why through extack.
 * Documentation/netlink.rst is the reference for userspace.
 */
#include <linux/jiffies.h>
#include <net/genetlink.h>
#include <net/ipv6.h>
#include <net/netlink.h>
#include <kunit/visibility.h>

#include "compat.h"
#include "dmvpn.h"

#define DMVPN_READ_ONLY { .type = NLA_REJECT, \
			  .reject_message = "dmvpn: read-only attribute" }

/* Not const: 6.1's policy holds a plain pointer. */
static struct netlink_range_validation dmvpn_holdtime_range = {
	.max = U16_MAX,
};

const struct nla_policy dmvpn_entry_policy[DMVPN_ENTRY_A_MAX + 1] = {
	[DMVPN_ENTRY_A_PROTO] = { .type = NLA_BINARY, .len = 16 },
	[DMVPN_ENTRY_A_PREFIXLEN] = NLA_POLICY_MAX(NLA_U8, 128),
	[DMVPN_ENTRY_A_NBMA] = { .type = NLA_BINARY, .len = 16 },
	[DMVPN_ENTRY_A_TYPE] = NLA_POLICY_RANGE(NLA_U8, DMVPN_ENTRY_STATIC,
						DMVPN_ENTRY_MAX),
	[DMVPN_ENTRY_A_FLAGS] = NLA_POLICY_MASK(NLA_U32, DMVPN_F_USER_MASK),
	/* NHRP carries holding times in 16 bits. */
	[DMVPN_ENTRY_A_HOLDTIME] = NLA_POLICY_FULL_RANGE(NLA_U32,
							  &dmvpn_holdtime_range),
	[DMVPN_ENTRY_A_EXPIRES] = DMVPN_READ_ONLY,
	[DMVPN_ENTRY_A_AGE] = DMVPN_READ_ONLY,
	[DMVPN_ENTRY_A_USED] = DMVPN_READ_ONLY,
	[DMVPN_ENTRY_A_PACKETS] = DMVPN_READ_ONLY,
	[DMVPN_ENTRY_A_BYTES] = DMVPN_READ_ONLY,
	[DMVPN_ENTRY_A_SA] = DMVPN_READ_ONLY,
	[DMVPN_ENTRY_A_HELD] = DMVPN_READ_ONLY,
	[DMVPN_ENTRY_A_HELD_AGE] = DMVPN_READ_ONLY,
};
EXPORT_SYMBOL_IF_KUNIT(dmvpn_entry_policy);

static const struct nla_policy dmvpn_mcast_policy[DMVPN_MCAST_A_MAX + 1] = {
	[DMVPN_MCAST_A_NBMA] = { .type = NLA_BINARY, .len = 16 },
	[DMVPN_MCAST_A_FLAGS] = NLA_POLICY_MASK(NLA_U32, DMVPN_MCAST_F_DYNAMIC),
	[DMVPN_MCAST_A_PACKETS] = DMVPN_READ_ONLY,
};

static const struct nla_policy dmvpn_policy[DMVPN_A_MAX + 1] = {
	[DMVPN_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[DMVPN_A_IFNAME] = { .type = NLA_STRING, .len = IFNAMSIZ - 1 },
	[DMVPN_A_LOCAL] = DMVPN_READ_ONLY,
	[DMVPN_A_KEY] = DMVPN_READ_ONLY,
	[DMVPN_A_LINK] = DMVPN_READ_ONLY,
	[DMVPN_A_TTL] = DMVPN_READ_ONLY,
	[DMVPN_A_TOS] = DMVPN_READ_ONLY,
	[DMVPN_A_MAX_ENTRIES] = DMVPN_READ_ONLY,
	[DMVPN_A_PROTECT] = DMVPN_READ_ONLY,
	[DMVPN_A_ENTRY_COUNT] = DMVPN_READ_ONLY,
	[DMVPN_A_STATS] = DMVPN_READ_ONLY,
	[DMVPN_A_ENTRY] = NLA_POLICY_NESTED(dmvpn_entry_policy),
	[DMVPN_A_MCAST] = NLA_POLICY_NESTED(dmvpn_mcast_policy),
	[DMVPN_A_EVENT] = DMVPN_READ_ONLY,
	[DMVPN_A_REPLACE] = { .type = NLA_FLAG },
	[DMVPN_A_CONFIG] = NLA_POLICY_NESTED(dmvpn_cfg_policy),
	/* Each NHS command parses the nest with a policy of its own. */
	[DMVPN_A_NHS] = { .type = NLA_NESTED },
	[DMVPN_A_REPLACE_LEARNED] = { .type = NLA_FLAG },
	[DMVPN_A_SA_NBMA] = NLA_POLICY_EXACT_LEN(sizeof(struct in_addr)),
	/* 1 to 255 are reserved (RFC 4303). */
	[DMVPN_A_SA_SPI] = NLA_POLICY_MIN(NLA_U32, 256),
};

int dmvpn_nl_addr(const struct nlattr *a, struct dmvpn_addr *addr,
		  struct netlink_ext_ack *extack)
{
	memset(addr, 0, sizeof(*addr));
	switch (nla_len(a)) {
	case sizeof(struct in_addr):
		addr->family = AF_INET;
		addr->ip4 = nla_get_in_addr(a);
		return 0;
	case sizeof(struct in6_addr):
		addr->family = AF_INET6;
		addr->ip6 = nla_get_in6_addr(a);
		return 0;
	}
	NL_SET_ERR_MSG_ATTR(extack, a,
			    "dmvpn: address must be 4 (IPv4) or 16 (IPv6) bytes");
	return -EINVAL;
}

bool dmvpn_unicast(const struct dmvpn_addr *a)
{
	if (a->family == AF_INET6)
		return !ipv6_addr_any(&a->ip6) &&
		       !ipv6_addr_loopback(&a->ip6) &&
		       !ipv6_addr_is_multicast(&a->ip6);
	return dmvpn_ip4_unicast(a->ip4);
}

int dmvpn_nl_nbma(const struct nlattr *a, u8 family, struct dmvpn_addr *nbma,
		  struct netlink_ext_ack *extack)
{
	int err = dmvpn_nl_addr(a, nbma, extack);

	if (err)
		return err;
	if (nbma->family != family) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "dmvpn: NBMA address family differs from the underlay");
		return -EAFNOSUPPORT;
	}
	if (!dmvpn_unicast(nbma)) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "dmvpn: NBMA address must be unicast");
		return -EINVAL;
	}
	return 0;
}

/**
 * dmvpn_nl_parse_entry() - turn a DMVPN_A_ENTRY nest into an entry spec
 * @nest: the DMVPN_A_ENTRY attribute
 * @nbma_family: family of the device's underlay
 * @spec: filled on success
 * @key_only: only the lookup key is wanted (delete, get)
 * @extack: error report
 *
 * Return: 0 or a negative errno with @extack set.
 */
int dmvpn_nl_parse_entry(const struct nlattr *nest, u8 nbma_family,
			 struct dmvpn_entry_spec *spec, bool key_only,
			 struct netlink_ext_ack *extack)
{
	struct nlattr *tb[DMVPN_ENTRY_A_MAX + 1];
	struct dmvpn_key key;
	u8 bits;
	int err;

	memset(spec, 0, sizeof(*spec));
	err = nla_parse_nested(tb, DMVPN_ENTRY_A_MAX, nest, dmvpn_entry_policy,
			       extack);
	if (err)
		return err;
	if (!tb[DMVPN_ENTRY_A_PROTO]) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "dmvpn: entry needs a protocol address");
		return -EINVAL;
	}
	err = dmvpn_nl_addr(tb[DMVPN_ENTRY_A_PROTO], &spec->proto, extack);
	if (err)
		return err;
	bits = dmvpn_family_bits(spec->proto.family);
	spec->plen = bits;
	if (tb[DMVPN_ENTRY_A_PREFIXLEN])
		spec->plen = nla_get_u8(tb[DMVPN_ENTRY_A_PREFIXLEN]);
	if (spec->plen > bits) {
		NL_SET_ERR_MSG_ATTR(extack, tb[DMVPN_ENTRY_A_PREFIXLEN],
				    "dmvpn: prefix length too long for the address family");
		return -EINVAL;
	}
	spec->type = spec->plen < bits ? DMVPN_ENTRY_SHORTCUT :
					 DMVPN_ENTRY_STATIC;
	if (tb[DMVPN_ENTRY_A_TYPE])
		spec->type = nla_get_u8(tb[DMVPN_ENTRY_A_TYPE]);
	if (spec->type != DMVPN_ENTRY_SHORTCUT && spec->plen != bits) {
		NL_SET_ERR_MSG_ATTR(extack, tb[DMVPN_ENTRY_A_PREFIXLEN],
				    "dmvpn: only shortcut entries cover a prefix");
		return -EINVAL;
	}
	dmvpn_key_init(&key, DMVPN_TABLE_SHORTCUT, &spec->proto, spec->plen);
	if (memcmp(&key.ip6, &spec->proto.ip6, bits / 8)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[DMVPN_ENTRY_A_PROTO],
				    "dmvpn: prefix has host bits set");
		return -EINVAL;
	}
	if (key_only) {
		int unused = tb[DMVPN_ENTRY_A_NBMA] ? DMVPN_ENTRY_A_NBMA :
			     tb[DMVPN_ENTRY_A_FLAGS] ? DMVPN_ENTRY_A_FLAGS :
			     tb[DMVPN_ENTRY_A_HOLDTIME] ? DMVPN_ENTRY_A_HOLDTIME : 0;

		if (unused) {
			NL_SET_ERR_MSG_ATTR(extack, tb[unused],
					    "dmvpn: only PROTO, PREFIXLEN and TYPE name an entry");
			return -EINVAL;
		}
		return 0;
	}

	if (tb[DMVPN_ENTRY_A_FLAGS])
		spec->flags = nla_get_u32(tb[DMVPN_ENTRY_A_FLAGS]);
	if (tb[DMVPN_ENTRY_A_HOLDTIME])
		spec->holdtime = nla_get_u32(tb[DMVPN_ENTRY_A_HOLDTIME]);
	if (spec->holdtime && (spec->type == DMVPN_ENTRY_STATIC ||
			       spec->type == DMVPN_ENTRY_LOCAL)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[DMVPN_ENTRY_A_HOLDTIME],
				    "dmvpn: static and local entries do not expire");
		return -EINVAL;
	}
	if (spec->type == DMVPN_ENTRY_INCOMPLETE ||
	    spec->type == DMVPN_ENTRY_NEGATIVE) {
		if (tb[DMVPN_ENTRY_A_NBMA]) {
			NL_SET_ERR_MSG_ATTR(extack, tb[DMVPN_ENTRY_A_NBMA],
					    "dmvpn: incomplete and negative entries have no NBMA address");
			return -EINVAL;
		}
		return 0;
	}
	if (!tb[DMVPN_ENTRY_A_NBMA]) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "dmvpn: entry needs an NBMA address");
		return -EINVAL;
	}
	return dmvpn_nl_nbma(tb[DMVPN_ENTRY_A_NBMA], nbma_family, &spec->nbma,
			     extack);
}
EXPORT_SYMBOL_IF_KUNIT(dmvpn_nl_parse_entry);

/* Resolves the device of a request; holds a reference on success. */
struct dmvpn_dev *dmvpn_nl_dev(struct net *net, struct nlattr **attrs,
			       struct netlink_ext_ack *extack)
{
	struct net_device *dev = NULL;
	char name[IFNAMSIZ];

	if (attrs[DMVPN_A_IFINDEX] && attrs[DMVPN_A_IFNAME]) {
		NL_SET_ERR_MSG(extack, "dmvpn: give ifindex or ifname, not both");
		return ERR_PTR(-EINVAL);
	}
	if (attrs[DMVPN_A_IFINDEX]) {
		dev = dev_get_by_index(net, nla_get_u32(attrs[DMVPN_A_IFINDEX]));
		if (!dev)
			NL_SET_BAD_ATTR(extack, attrs[DMVPN_A_IFINDEX]);
	} else if (attrs[DMVPN_A_IFNAME]) {
		nla_strscpy(name, attrs[DMVPN_A_IFNAME], sizeof(name));
		dev = dev_get_by_name(net, name);
		if (!dev)
			NL_SET_BAD_ATTR(extack, attrs[DMVPN_A_IFNAME]);
	} else {
		NL_SET_ERR_MSG(extack, "dmvpn: device (ifindex or ifname) required");
		return ERR_PTR(-EINVAL);
	}
	if (!dev) {
		NL_SET_ERR_MSG(extack, "dmvpn: no such device");
		return ERR_PTR(-ENODEV);
	}
	if (!netif_is_dmvpn(dev)) {
		dev_put(dev);
		NL_SET_ERR_MSG(extack, "dmvpn: not a dmvpn device");
		return ERR_PTR(-EOPNOTSUPP);
	}
	return netdev_priv(dev);
}

/* Whole seconds, without going through a u32 of milliseconds (49.7 days). */
u32 dmvpn_secs_since(unsigned long then)
{
	return (jiffies - then) / HZ;
}

int dmvpn_nl_put_addr(struct sk_buff *skb, int type,
		      const struct dmvpn_addr *a)
{
	if (a->family == AF_INET6)
		return nla_put_in6_addr(skb, type, &a->ip6);
	return nla_put_in_addr(skb, type, a->ip4);
}

/* The largest DMVPN_A_ENTRY or DMVPN_A_MCAST nest an event carries. */
#define DMVPN_NL_ENTRY_SIZE						\
	(nla_total_size(0) +						\
	 2 * nla_total_size(sizeof(struct in6_addr)) +	/* PROTO, NBMA */ \
	 2 * nla_total_size(sizeof(u8)) +		/* PREFIXLEN, TYPE */ \
	 4 * nla_total_size(sizeof(u32)) + /* FLAGS EXPIRES AGE USED */	\
	 2 * nla_total_size_64bit(sizeof(u64)) + /* PACKETS, BYTES */	\
	 DMVPN_NL_SA_SIZE)

/* A peer's IPsec state, in an entry's nest. */
#define DMVPN_NL_SA_SIZE						\
	(nla_total_size(sizeof(u8)) +			/* SA */	\
	 2 * nla_total_size(sizeof(u32)))		/* HELD, HELD_AGE */

/* Only on a protected device: a peer that never went through one has
 * nothing to show.
 */
static int dmvpn_nl_put_sa(struct sk_buff *skb, const struct dmvpn_peer *p)
{
	u32 held = skb_queue_len_lockless(&p->hold);
	u8 sa = READ_ONCE(p->sa);

	if (sa == DMVPN_SA_UNKNOWN && !held)
		return 0;
	if (nla_put_u8(skb, DMVPN_ENTRY_A_SA, sa) ||
	    nla_put_u32(skb, DMVPN_ENTRY_A_HELD, held))
		return -EMSGSIZE;
	if (!held)
		return 0;
	return nla_put_u32(skb, DMVPN_ENTRY_A_HELD_AGE,
			   jiffies_to_msecs(jiffies -
					    READ_ONCE(p->hold_oldest)));
}

static int dmvpn_nl_put_entry(struct sk_buff *skb, const struct dmvpn_entry *e)
{
	struct dmvpn_addr proto = { .family = e->key.family };
	unsigned long expires = READ_ONCE(e->expires);
	unsigned long used = READ_ONCE(e->used);
	const struct dmvpn_peer *peer = rcu_dereference_check(e->peer,
							      rcu_read_lock_any_held());
	u32 flags = READ_ONCE(e->flags);
	struct dmvpn_peer_totals t = {};
	struct nlattr *nest;

	if (peer)
		dmvpn_peer_totals(peer, &t);
	proto.ip6 = e->key.ip6;
	nest = nla_nest_start(skb, DMVPN_A_ENTRY);
	if (!nest)
		return -EMSGSIZE;
	if (used)
		flags |= DMVPN_F_USED;
	if (dmvpn_nl_put_addr(skb, DMVPN_ENTRY_A_PROTO, &proto) ||
	    nla_put_u8(skb, DMVPN_ENTRY_A_PREFIXLEN, e->key.plen) ||
	    (peer && dmvpn_nl_put_addr(skb, DMVPN_ENTRY_A_NBMA, &peer->nbma)) ||
	    nla_put_u8(skb, DMVPN_ENTRY_A_TYPE, READ_ONCE(e->type)) ||
	    nla_put_u32(skb, DMVPN_ENTRY_A_FLAGS, flags) ||
	    (expires && nla_put_u32(skb, DMVPN_ENTRY_A_EXPIRES,
				    time_after(expires, jiffies) ?
				    DIV_ROUND_UP(jiffies_to_msecs(expires - jiffies),
						 MSEC_PER_SEC) : 0)) ||
	    nla_put_u32(skb, DMVPN_ENTRY_A_AGE, dmvpn_secs_since(e->created)) ||
	    (used && nla_put_u32(skb, DMVPN_ENTRY_A_USED,
				 dmvpn_secs_since(used))) ||
	    (peer && (nla_put_u64_64bit(skb, DMVPN_ENTRY_A_PACKETS, t.packets,
					DMVPN_ENTRY_A_PAD) ||
		      nla_put_u64_64bit(skb, DMVPN_ENTRY_A_BYTES, t.bytes,
					DMVPN_ENTRY_A_PAD) ||
		      dmvpn_nl_put_sa(skb, peer)))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int dmvpn_nl_put_mcast(struct sk_buff *skb, const struct dmvpn_entry *e)
{
	const struct dmvpn_peer *peer = rcu_dereference_check(e->peer,
							      rcu_read_lock_any_held());
	struct dmvpn_peer_totals t;
	struct nlattr *nest;

	dmvpn_peer_totals(peer, &t);
	nest = nla_nest_start(skb, DMVPN_A_MCAST);
	if (!nest)
		return -EMSGSIZE;
	if (dmvpn_nl_put_addr(skb, DMVPN_MCAST_A_NBMA, &peer->nbma) ||
	    nla_put_u32(skb, DMVPN_MCAST_A_FLAGS, READ_ONCE(e->flags)) ||
	    nla_put_u64_64bit(skb, DMVPN_MCAST_A_PACKETS, t.mcast,
			      DMVPN_MCAST_A_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int dmvpn_nl_put_any(struct sk_buff *skb, const struct dmvpn_entry *e)
{
	return e->key.table == DMVPN_TABLE_MCAST ? dmvpn_nl_put_mcast(skb, e) :
						   dmvpn_nl_put_entry(skb, e);
}

static int dmvpn_nl_put_stats(struct sk_buff *skb, struct dmvpn_dev *d)
{
	struct rtnl_link_stats64 st;
	struct nlattr *nest;
	const struct {
		int type;
		u64 val;
	} *c, cnt[] = {
		{ DMVPN_STATS_A_TX_NO_MAPPING, dmvpn_counter_read(d, DMVPN_CNT_TX_NO_MAPPING) },
		{ DMVPN_STATS_A_TX_ERRORS, dmvpn_counter_read(d, DMVPN_CNT_TX_ERRORS) },
		{ DMVPN_STATS_A_TX_MCAST, dmvpn_counter_read(d, DMVPN_CNT_TX_MCAST) },
		{ DMVPN_STATS_A_RX_KEY_MISMATCH, dmvpn_counter_read(d, DMVPN_CNT_RX_KEY_MISMATCH) },
		{ DMVPN_STATS_A_RX_MALFORMED, dmvpn_counter_read(d, DMVPN_CNT_RX_MALFORMED) },
		{ DMVPN_STATS_A_RX_POLICY, dmvpn_counter_read(d, DMVPN_CNT_RX_POLICY) },
		{ DMVPN_STATS_A_RX_NHRP, dmvpn_counter_read(d, DMVPN_CNT_RX_NHRP) },
		{ DMVPN_STATS_A_TX_NHRP, dmvpn_counter_read(d, DMVPN_CNT_TX_NHRP) },
		{ DMVPN_STATS_A_MISS_EVENTS, dmvpn_counter_read(d, DMVPN_CNT_MISS_EVENTS) },
		{ DMVPN_STATS_A_TX_VIA_NHS, dmvpn_counter_read(d, DMVPN_CNT_TX_VIA_NHS) },
		{ DMVPN_STATS_A_TX_UNPROTECTED, dmvpn_counter_read(d, DMVPN_CNT_TX_UNPROTECTED) },
		{ DMVPN_STATS_A_RX_UNPROTECTED, dmvpn_counter_read(d, DMVPN_CNT_RX_UNPROTECTED) },
		{ DMVPN_STATS_A_TX_HELD, dmvpn_counter_read(d, DMVPN_CNT_TX_HELD) },
		{ DMVPN_STATS_A_TX_RELEASED, dmvpn_counter_read(d, DMVPN_CNT_TX_RELEASED) },
		{ DMVPN_STATS_A_TX_HOLD_OVERFLOW, dmvpn_counter_read(d, DMVPN_CNT_HOLD_FULL) },
		{ DMVPN_STATS_A_TX_HOLD_EXPIRED, atomic64_read(&d->cache.peers.hold.expired) },
	};

	dev_get_tstats64(d->dev, &st);
	nest = nla_nest_start(skb, DMVPN_A_STATS);
	if (!nest ||
	    nla_put_u64_64bit(skb, DMVPN_STATS_A_TX_PACKETS, st.tx_packets,
			      DMVPN_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, DMVPN_STATS_A_TX_BYTES, st.tx_bytes,
			      DMVPN_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, DMVPN_STATS_A_RX_PACKETS, st.rx_packets,
			      DMVPN_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, DMVPN_STATS_A_RX_BYTES, st.rx_bytes,
			      DMVPN_STATS_A_PAD))
		return -EMSGSIZE;
	for (c = cnt; c < cnt + ARRAY_SIZE(cnt); c++)
		if (nla_put_u64_64bit(skb, c->type, c->val, DMVPN_STATS_A_PAD))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* Whether the sender of @request may read secrets of @d. */
static bool dmvpn_nl_admin(const struct sk_buff *request, struct dmvpn_dev *d)
{
	return netlink_ns_capable(request, dev_net(d->dev)->user_ns,
				  CAP_NET_ADMIN);
}

static int dmvpn_nl_fill_dev(struct sk_buff *skb, struct dmvpn_dev *d,
			     u32 portid, u32 seq, int flags, bool secret)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &dmvpn_genl_family, flags,
			  DMVPN_CMD_DEV_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, DMVPN_A_IFINDEX, d->dev->ifindex) ||
	    nla_put_string(skb, DMVPN_A_IFNAME, d->dev->name) ||
	    dmvpn_nl_put_addr(skb, DMVPN_A_LOCAL, &d->p.local) ||
	    (d->p.key_set && nla_put_u32(skb, DMVPN_A_KEY, d->p.key)) ||
	    nla_put_u32(skb, DMVPN_A_LINK, d->p.link) ||
	    nla_put_u8(skb, DMVPN_A_TTL, READ_ONCE(d->p.ttl)) ||
	    nla_put_u8(skb, DMVPN_A_TOS, READ_ONCE(d->p.tos)) ||
	    nla_put_u32(skb, DMVPN_A_MAX_ENTRIES,
			READ_ONCE(d->cache.max_entries)) ||
	    nla_put_u32(skb, DMVPN_A_ENTRY_COUNT, READ_ONCE(d->cache.count)) ||
	    nla_put_u8(skb, DMVPN_A_PROTECT, READ_ONCE(d->p.protect)) ||
	    dmvpn_nl_put_stats(skb, d) ||
	    dmvpn_nl_put_config(skb, d, secret)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int dmvpn_nl_dev_get(struct sk_buff *skb, struct genl_info *info)
{
	struct dmvpn_dev *d;
	struct sk_buff *msg;
	int err;

	d = dmvpn_nl_dev(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(d))
		return PTR_ERR(d);
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	err = -ENOMEM;
	if (msg)
		err = dmvpn_nl_fill_dev(msg, d, info->snd_portid, info->snd_seq,
					0, dmvpn_nl_admin(skb, d));
	dev_put(d->dev);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

static int dmvpn_nl_dev_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	struct net_device *dev;
	long idx = 0;

	rcu_read_lock();
	for_each_netdev_rcu(net, dev) {
		if (!netif_is_dmvpn(dev))
			continue;
		if (idx < cb->args[0]) {
			idx++;
			continue;
		}
		if (dmvpn_nl_fill_dev(skb, netdev_priv(dev),
				      NETLINK_CB(cb->skb).portid,
				      cb->nlh->nlmsg_seq, NLM_F_MULTI,
				      dmvpn_nl_admin(cb->skb,
						     netdev_priv(dev))))
			break;
		idx++;
	}
	rcu_read_unlock();
	cb->args[0] = idx;
	return skb->len;
}

static int dmvpn_nl_fill_entry(struct sk_buff *skb, struct dmvpn_dev *d,
			       const struct dmvpn_entry *e, u8 cmd,
			       u32 portid, u32 seq, int flags,
			       struct netlink_callback *cb)
{
	void *hdr = genlmsg_put(skb, portid, seq, &dmvpn_genl_family, flags,
				cmd);

	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (nla_put_u32(skb, DMVPN_A_IFINDEX, d->dev->ifindex) ||
	    dmvpn_nl_put_any(skb, e)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* The ifindex a dump request names, 0 for every device, or an error. */
int dmvpn_nl_dump_ifindex(struct net *net, struct netlink_callback *cb)
{
	struct nlattr **attrs = dmvpn_compat_dump_attrs(cb);
	struct dmvpn_dev *d;
	int ifindex;

	if (!attrs[DMVPN_A_IFINDEX] && !attrs[DMVPN_A_IFNAME])
		return 0;
	d = dmvpn_nl_dev(net, attrs, cb->extack);
	if (IS_ERR(d))
		return PTR_ERR(d);
	ifindex = d->dev->ifindex;
	dev_put(d->dev);
	return ifindex;
}

/* A dump's place: args[0] = devices done, args[1] = the entry to go on
 * from (held: its cursor), args[2] = entries done in the current device,
 * by which the walk resumes only when the cursor's entry has gone since.
 * Each part of the dump then costs what it returns, not what precedes it.
 */
enum { DMVPN_DUMP_DEV, DMVPN_DUMP_CURSOR, DMVPN_DUMP_DONE, DMVPN_DUMP_IFINDEX };

static void dmvpn_nl_cursor_drop(struct netlink_callback *cb)
{
	struct dmvpn_entry *e = (void *)cb->args[DMVPN_DUMP_CURSOR];

	cb->args[DMVPN_DUMP_CURSOR] = 0;
	if (e)
		dmvpn_entry_put(e);
}

/* Where the walk of @d goes on from, under rcu_read_lock(). */
static struct dmvpn_entry *dmvpn_nl_resume(struct netlink_callback *cb,
					   struct dmvpn_dev *d,
					   struct list_head *head)
{
	struct dmvpn_entry *e = (void *)cb->args[DMVPN_DUMP_CURSOR], *pos;
	long skip = cb->args[DMVPN_DUMP_DONE];

	if (e && cb->args[DMVPN_DUMP_IFINDEX] == d->dev->ifindex &&
	    !dmvpn_entry_unlinked(e))
		return e;
	/* No cursor, or a stale one: count, as the gen check flags it. */
	list_for_each_entry_rcu(pos, head, list)
		if (skip-- <= 0)
			return pos;
	return list_entry(head, struct dmvpn_entry, list);
}

/* Resumable walk over every entry (or multicast entry) of every dmvpn
 * device, optionally one device.
 */
static int dmvpn_nl_dump_table(struct sk_buff *skb, struct netlink_callback *cb,
			       bool mcast)
{
	struct net *net = sock_net(skb->sk);
	int filter = 0, err = 0;
	struct list_head *head;
	struct net_device *dev;
	struct dmvpn_entry *e;
	struct dmvpn_dev *d;
	long di = 0;

	filter = dmvpn_nl_dump_ifindex(net, cb);
	if (filter < 0)
		return filter;
	cb->seq = atomic_read(&dmvpn_pernet(net)->gen);

	rcu_read_lock();
	for_each_netdev_rcu(net, dev) {
		if (!netif_is_dmvpn(dev) || (filter && dev->ifindex != filter))
			continue;
		if (di++ < cb->args[DMVPN_DUMP_DEV])
			continue;
		d = netdev_priv(dev);
		head = mcast ? &d->cache.mcast : &d->cache.entries;
		e = dmvpn_nl_resume(cb, d, head);
		dmvpn_nl_cursor_drop(cb);
		list_for_each_entry_from_rcu(e, head, list) {
			err = dmvpn_nl_fill_entry(skb, d, e, mcast ?
						  DMVPN_CMD_MCAST_GET :
						  DMVPN_CMD_ENTRY_GET,
						  NETLINK_CB(cb->skb).portid,
						  cb->nlh->nlmsg_seq,
						  NLM_F_MULTI, cb);
			if (err) {
				/* Go on from here next time. */
				cb->args[DMVPN_DUMP_CURSOR] =
					(unsigned long)dmvpn_entry_hold(e);
				cb->args[DMVPN_DUMP_IFINDEX] = dev->ifindex;
				goto out;
			}
			cb->args[DMVPN_DUMP_DONE]++;
		}
		cb->args[DMVPN_DUMP_DEV] = di;
		cb->args[DMVPN_DUMP_DONE] = 0;
	}
out:
	rcu_read_unlock();
	/* An entry too big for an empty message would loop forever. */
	return err && !skb->len ? err : skb->len;
}

static int dmvpn_nl_dump_done(struct netlink_callback *cb)
{
	dmvpn_nl_cursor_drop(cb);
	return 0;
}

static int dmvpn_nl_entry_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	return dmvpn_nl_dump_table(skb, cb, false);
}

static int dmvpn_nl_mcast_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	return dmvpn_nl_dump_table(skb, cb, true);
}

/* Packets to the device's own local address would loop back into it (and
 * a multicast copy be delivered twice): refused as an NBMA address.
 */
static int dmvpn_nl_not_local(struct dmvpn_dev *d,
			      const struct dmvpn_addr *nbma,
			      struct netlink_ext_ack *extack)
{
	if (!nbma->family || !dmvpn_addr_equal(nbma, &d->p.local))
		return 0;
	NL_SET_ERR_MSG(extack,
		       "dmvpn: NBMA address is the device's own local address");
	return -EINVAL;
}

/* The device and entry of an ENTRY_* request; holds the device. */
static struct dmvpn_dev *dmvpn_nl_entry_req(struct genl_info *info,
					    bool key_only,
					    struct dmvpn_entry_spec *spec)
{
	struct dmvpn_dev *d;
	int err;

	err = dmvpn_nl_need(info, DMVPN_A_ENTRY);
	if (err)
		return ERR_PTR(err);
	d = dmvpn_nl_dev(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(d))
		return d;
	err = dmvpn_nl_parse_entry(info->attrs[DMVPN_A_ENTRY],
				   d->p.local.family, spec, key_only,
				   info->extack);
	if (!err)
		err = dmvpn_nl_not_local(d, &spec->nbma, info->extack);
	if (err) {
		dev_put(d->dev);
		return ERR_PTR(err);
	}
	return d;
}

static int dmvpn_nl_entry_get(struct sk_buff *skb, struct genl_info *info)
{
	struct dmvpn_entry_spec spec;
	struct dmvpn_entry *e;
	struct dmvpn_dev *d;
	struct sk_buff *msg;
	int err = -ENOMEM;

	d = dmvpn_nl_entry_req(info, true, &spec);
	if (IS_ERR(d))
		return PTR_ERR(d);
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		goto out;
	rcu_read_lock();
	e = dmvpn_cache_find(&d->cache, dmvpn_spec_table(&spec), &spec.proto,
			     spec.plen);
	err = -ENOENT;
	if (e)
		err = dmvpn_nl_fill_entry(msg, d, e, DMVPN_CMD_ENTRY_GET,
					  info->snd_portid, info->snd_seq, 0,
					  NULL);
	rcu_read_unlock();
	if (err == -ENOENT)
		NL_SET_ERR_MSG(info->extack, "dmvpn: no such entry");
out:
	dev_put(d->dev);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/* ENTRY_NEW creates (or, with DMVPN_A_REPLACE, creates or updates);
 * ENTRY_SET only updates. New generic netlink families may not use the
 * NLM_F_CREATE/REPLACE/EXCL flags, hence the command and the attribute.
 */
static int dmvpn_nl_entry_change(struct genl_info *info, bool create)
{
	enum dmvpn_add_mode mode = DMVPN_ADD_UPDATE;
	struct dmvpn_entry_spec spec;
	struct dmvpn_dev *d;
	int err;

	if (create)
		mode = nla_get_flag(info->attrs[DMVPN_A_REPLACE]) ?
		       DMVPN_ADD_REPLACE : DMVPN_ADD_CREATE;
	if (nla_get_flag(info->attrs[DMVPN_A_REPLACE_LEARNED])) {
		if (mode != DMVPN_ADD_CREATE) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    info->attrs[DMVPN_A_REPLACE_LEARNED],
					    "dmvpn: REPLACE_LEARNED goes alone with ENTRY_NEW");
			return -EINVAL;
		}
		mode = DMVPN_ADD_LEARNED;
	}
	d = dmvpn_nl_entry_req(info, false, &spec);
	if (IS_ERR(d))
		return PTR_ERR(d);
	err = dmvpn_cache_add(&d->cache, &spec, mode, info->extack);
	dev_put(d->dev);
	return err;
}

static int dmvpn_nl_entry_new(struct sk_buff *skb, struct genl_info *info)
{
	return dmvpn_nl_entry_change(info, true);
}

static int dmvpn_nl_entry_set(struct sk_buff *skb, struct genl_info *info)
{
	return dmvpn_nl_entry_change(info, false);
}

static int dmvpn_nl_entry_del(struct sk_buff *skb, struct genl_info *info)
{
	struct dmvpn_entry_spec spec;
	struct dmvpn_dev *d;
	int err;

	d = dmvpn_nl_entry_req(info, true, &spec);
	if (IS_ERR(d))
		return PTR_ERR(d);
	err = dmvpn_cache_del(&d->cache, dmvpn_spec_table(&spec), &spec.proto,
			      spec.plen);
	if (err)
		NL_SET_ERR_MSG(info->extack, "dmvpn: no such entry");
	dev_put(d->dev);
	return err;
}

/* ENTRY_FLUSH: every entry, or those of one TYPE, or within one prefix
 * (PROTO and PREFIXLEN), or both.
 */
static int dmvpn_nl_entry_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *nest = info->attrs[DMVPN_A_ENTRY];
	struct dmvpn_entry_spec spec = {};
	struct dmvpn_flush_filter f = {};
	struct dmvpn_dev *d;
	int err;

	d = dmvpn_nl_dev(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(d))
		return PTR_ERR(d);
	if (nest) {
		struct nlattr *tb[DMVPN_ENTRY_A_MAX + 1];

		err = nla_parse_nested(tb, DMVPN_ENTRY_A_MAX, nest,
				       dmvpn_entry_policy, info->extack);
		if (err)
			goto out;
		f.type = tb[DMVPN_ENTRY_A_TYPE] ?
			 nla_get_u8(tb[DMVPN_ENTRY_A_TYPE]) : 0;
		if (tb[DMVPN_ENTRY_A_PROTO]) {
			err = dmvpn_nl_parse_entry(nest, d->p.local.family,
						   &spec, true, info->extack);
			if (err)
				goto out;
			dmvpn_key_init(&f.within, DMVPN_TABLE_SHORTCUT,
				       &spec.proto, spec.plen);
			f.has_within = true;
		} else if (tb[DMVPN_ENTRY_A_PREFIXLEN] ||
			   tb[DMVPN_ENTRY_A_NBMA] || tb[DMVPN_ENTRY_A_FLAGS] ||
			   tb[DMVPN_ENTRY_A_HOLDTIME]) {
			NL_SET_ERR_MSG_ATTR(info->extack, nest,
					    "dmvpn: ENTRY_FLUSH filters by TYPE and by PROTO/PREFIXLEN only");
			err = -EINVAL;
			goto out;
		}
	}
	dmvpn_cache_flush(&d->cache, &f, false);
	err = 0;
out:
	dev_put(d->dev);
	return err;
}

static int dmvpn_nl_mcast_parse(struct genl_info *info, u8 family,
				struct dmvpn_addr *nbma, u32 *flags)
{
	struct nlattr *tb[DMVPN_MCAST_A_MAX + 1];
	struct nlattr *nest = info->attrs[DMVPN_A_MCAST];
	int err;

	err = dmvpn_nl_need(info, DMVPN_A_MCAST);
	if (err)
		return err;
	err = nla_parse_nested(tb, DMVPN_MCAST_A_MAX, nest, dmvpn_mcast_policy,
			       info->extack);
	if (err)
		return err;
	if (!tb[DMVPN_MCAST_A_NBMA]) {
		NL_SET_ERR_MSG_ATTR(info->extack, nest,
				    "dmvpn: multicast entry needs an NBMA address");
		return -EINVAL;
	}
	*flags = tb[DMVPN_MCAST_A_FLAGS] ?
		 nla_get_u32(tb[DMVPN_MCAST_A_FLAGS]) : 0;
	return dmvpn_nl_nbma(tb[DMVPN_MCAST_A_NBMA], family, nbma,
			     info->extack);
}

static int dmvpn_nl_mcast_change(struct genl_info *info, bool add)
{
	bool replace = nla_get_flag(info->attrs[DMVPN_A_REPLACE]);
	struct dmvpn_addr nbma;
	struct dmvpn_dev *d;
	u32 flags;
	int err;

	d = dmvpn_nl_dev(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(d))
		return PTR_ERR(d);
	err = dmvpn_nl_mcast_parse(info, d->p.local.family, &nbma, &flags);
	if (!err && add)
		err = dmvpn_nl_not_local(d, &nbma, info->extack);
	if (err)
		goto out;
	if (add) {
		err = dmvpn_mcast_add(&d->cache, &nbma, flags, replace,
				      info->extack);
	} else {
		err = dmvpn_cache_del(&d->cache, DMVPN_TABLE_MCAST, &nbma,
				      dmvpn_family_bits(nbma.family));
		if (err)
			NL_SET_ERR_MSG(info->extack,
				       "dmvpn: no such multicast entry");
	}
out:
	dev_put(d->dev);
	return err;
}

static int dmvpn_nl_mcast_new(struct sk_buff *skb, struct genl_info *info)
{
	return dmvpn_nl_mcast_change(info, true);
}

static int dmvpn_nl_mcast_del(struct sk_buff *skb, struct genl_info *info)
{
	return dmvpn_nl_mcast_change(info, false);
}

struct sk_buff *dmvpn_nl_event_msg(struct dmvpn_dev *d,
				   enum dmvpn_event event, size_t payload,
				   gfp_t gfp, void **hdr)
{
	struct sk_buff *msg = genlmsg_new(nla_total_size(sizeof(u8)) +
					  nla_total_size(sizeof(u32)) +
					  payload, gfp);

	if (!msg)
		return NULL;
	*hdr = genlmsg_put(msg, 0, 0, &dmvpn_genl_family, 0, DMVPN_CMD_EVENT);
	if (!*hdr || nla_put_u8(msg, DMVPN_A_EVENT, event) ||
	    nla_put_u32(msg, DMVPN_A_IFINDEX, d->dev->ifindex)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

void dmvpn_nl_event_send(struct dmvpn_dev *d, struct sk_buff *msg, void *hdr,
			 gfp_t gfp)
{
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&dmvpn_genl_family, d->net, msg, 0, 0, gfp);
}

void dmvpn_nl_notify(struct dmvpn_cache *cache, enum dmvpn_event event,
		     const struct dmvpn_entry *e, unsigned int count,
		     gfp_t gfp)
{
	struct dmvpn_dev *d = container_of(cache, struct dmvpn_dev, cache);
	struct sk_buff *msg;
	void *hdr;

	if (!genl_has_listeners(&dmvpn_genl_family, d->net, 0))
		return;
	msg = dmvpn_nl_event_msg(d, event, e ? DMVPN_NL_ENTRY_SIZE :
					   nla_total_size(sizeof(u32)),
				 gfp, &hdr);
	if (!msg)
		return;
	if (e ? dmvpn_nl_put_any(msg, e) :
		nla_put_u32(msg, DMVPN_A_ENTRY_COUNT, count)) {
		nlmsg_free(msg);
		return;
	}
	dmvpn_nl_event_send(d, msg, hdr, gfp);
}

/* An event whose entry is one address (@attr: PROTO or NBMA) and, with
 * @sa_of, that peer's SA state. From the transmit path: GFP_ATOMIC.
 * True if it was sent.
 */
static bool dmvpn_nl_event_addr(struct dmvpn_dev *d, enum dmvpn_event event,
				int attr, const struct dmvpn_addr *a,
				const struct dmvpn_peer *sa_of)
{
	struct sk_buff *msg;
	struct nlattr *nest;
	void *hdr;

	msg = dmvpn_nl_event_msg(d, event, nla_total_size(0) +
				 nla_total_size(sizeof(struct in6_addr)) +
				 (sa_of ? DMVPN_NL_SA_SIZE : 0),
				 GFP_ATOMIC, &hdr);
	if (!msg)
		return false;
	nest = nla_nest_start(msg, DMVPN_A_ENTRY);
	if (!nest || dmvpn_nl_put_addr(msg, attr, a) ||
	    (sa_of && dmvpn_nl_put_sa(msg, sa_of))) {
		nlmsg_free(msg);
		return false;
	}
	nla_nest_end(msg, nest);
	dmvpn_nl_event_send(d, msg, hdr, GFP_ATOMIC);
	return true;
}

void dmvpn_nl_notify_miss(struct dmvpn_dev *d, const struct dmvpn_addr *nh)
{
	if (genl_has_listeners(&dmvpn_genl_family, d->net, 0) &&
	    __ratelimit(&d->miss_rs) &&
	    dmvpn_nl_event_addr(d, DMVPN_EVENT_MISS, DMVPN_ENTRY_A_PROTO, nh,
				NULL))
		dmvpn_count(d, DMVPN_CNT_MISS_EVENTS);
}

/* On a change of the peer's SA state only. */
void dmvpn_nl_notify_peer_sa(struct dmvpn_dev *d, const struct dmvpn_peer *p)
{
	if (genl_has_listeners(&dmvpn_genl_family, d->net, 0))
		dmvpn_nl_event_addr(d, DMVPN_EVENT_PEER_SA, DMVPN_ENTRY_A_NBMA,
				    &p->nbma, p);
}

/* So that dmvpnd can end the IKE_SA of a spoke no entry leads to any
 * more. Not while the device goes: that is one FLUSHED event.
 */
void dmvpn_nl_notify_peer_gone(struct dmvpn_peers *peers,
			       const struct dmvpn_peer *p)
{
	struct dmvpn_dev *d = container_of(peers, struct dmvpn_dev,
					   cache.peers);

	if (dmvpn_protected(d) && !d->cache.dead &&
	    genl_has_listeners(&dmvpn_genl_family, d->net, 0))
		dmvpn_nl_event_addr(d, DMVPN_EVENT_PEER_GONE,
				    DMVPN_ENTRY_A_NBMA, &p->nbma, NULL);
}

/* The netns's SA, not a device's: every protected device's peer hears. */
static int dmvpn_nl_sa_initiated(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **attrs = info->attrs;

	if (!attrs[DMVPN_A_SA_NBMA] || !attrs[DMVPN_A_SA_SPI]) {
		NL_SET_ERR_MSG(info->extack,
			       "dmvpn: DMVPN_A_SA_NBMA and DMVPN_A_SA_SPI required");
		return -EINVAL;
	}
	dmvpn_settle_initiated(genl_info_net(info),
			       nla_get_in_addr(attrs[DMVPN_A_SA_NBMA]),
			       htonl(nla_get_u32(attrs[DMVPN_A_SA_SPI])));
	return 0;
}

static const struct genl_small_ops dmvpn_genl_ops[] = {
	{
		.cmd = DMVPN_CMD_DEV_GET,
		.doit = dmvpn_nl_dev_get,
		.dumpit = dmvpn_nl_dev_dump,
	}, {
		.cmd = DMVPN_CMD_ENTRY_NEW,
		.doit = dmvpn_nl_entry_new,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = DMVPN_CMD_ENTRY_SET,
		.doit = dmvpn_nl_entry_set,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = DMVPN_CMD_ENTRY_DEL,
		.doit = dmvpn_nl_entry_del,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = DMVPN_CMD_ENTRY_FLUSH,
		.doit = dmvpn_nl_entry_flush,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = DMVPN_CMD_MCAST_NEW,
		.doit = dmvpn_nl_mcast_new,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = DMVPN_CMD_MCAST_DEL,
		.doit = dmvpn_nl_mcast_del,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = DMVPN_CMD_CONFIG_SET,
		.doit = dmvpn_nl_config_set,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = DMVPN_CMD_NHS_NEW,
		.doit = dmvpn_nl_nhs_new,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = DMVPN_CMD_NHS_DEL,
		.doit = dmvpn_nl_nhs_del,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = DMVPN_CMD_NHS_GET,
		.doit = dmvpn_nl_nhs_get,
		.dumpit = dmvpn_nl_nhs_dump,
	}, {
		.cmd = DMVPN_CMD_NHS_SET,
		.doit = dmvpn_nl_nhs_set,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = DMVPN_CMD_SA_INITIATED,
		.doit = dmvpn_nl_sa_initiated,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

/* The dumps that keep a cursor, released when they end. */
static const struct genl_ops dmvpn_genl_dump_ops[] = {
	{
		.cmd = DMVPN_CMD_ENTRY_GET,
		.doit = dmvpn_nl_entry_get,
		.dumpit = dmvpn_nl_entry_dump,
		.done = dmvpn_nl_dump_done,
	}, {
		.cmd = DMVPN_CMD_MCAST_GET,
		.dumpit = dmvpn_nl_mcast_dump,
		.done = dmvpn_nl_dump_done,
	},
};

static const struct genl_multicast_group dmvpn_mcgrps[] = {
	{ .name = DMVPN_MCGRP_EVENTS, DMVPN_COMPAT_MCGRP_ADMIN },
};

struct genl_family dmvpn_genl_family __ro_after_init = {
	.name = DMVPN_GENL_NAME,
	.version = DMVPN_GENL_VERSION,
	.maxattr = DMVPN_A_MAX,
	.policy = dmvpn_policy,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = dmvpn_genl_dump_ops,
	.n_ops = ARRAY_SIZE(dmvpn_genl_dump_ops),
	.small_ops = dmvpn_genl_ops,
	.n_small_ops = ARRAY_SIZE(dmvpn_genl_ops),
	.mcgrps = dmvpn_mcgrps,
	.n_mcgrps = ARRAY_SIZE(dmvpn_mcgrps),
};

int __init dmvpn_genl_init(void)
{
	return genl_register_family(&dmvpn_genl_family);
}

void dmvpn_genl_uninit(void)
{
	genl_unregister_family(&dmvpn_genl_family);
}
