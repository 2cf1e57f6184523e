// SPDX-License-Identifier: GPL-2.0
/*
 * The dmvpn link kind: one multipoint GRE device serving many peers.
 *
 * The device keeps the dst of outgoing packets (netif_keep_dst) because the
 * route's nexthop is the key of the NHRP cache lookup. Its link-layer
 * "header" is the outer IPv4 + GRE header, the way ip_gre presents NBMA
 * devices: AF_PACKET users (dmvpnd, nhrpd) read the sender's NBMA address
 * with header_ops->parse and send to an NBMA address with SOCK_DGRAM.
 */
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/inetdevice.h>
#include <linux/ip.h>
#include <linux/rtnetlink.h>
#include <net/ip_tunnels.h>
#include <net/rtnetlink.h>

#include "compat.h"
#include "dmvpn.h"
#include "gre.h"

unsigned int dmvpn_net_id __read_mostly;

unsigned int dmvpn_tunnel_hlen(const struct dmvpn_dev *d)
{
	return sizeof(struct iphdr) + DMVPN_GRE_BASE_HLEN +
	       (d->p.key_set ? 4 : 0);
}

static u32 dmvpn_hash(__be32 local, bool key_set, u32 key)
{
	return hash_32((__force u32)local ^ (key_set ? key ^ 0x9e3779b9 : 0),
		       DMVPN_HASH_BITS);
}

/**
 * dmvpn_dev_lookup_rcu() - the device that owns (local address, key)
 * @net: namespace of the underlay
 * @local: destination address of the received GRE packet
 * @key_set: whether the packet carries a key
 * @key: the key
 *
 * Return: the device or NULL. Caller holds rcu_read_lock().
 */
struct dmvpn_dev *dmvpn_dev_lookup_rcu(struct net *net, __be32 local,
				       bool key_set, u32 key)
{
	struct dmvpn_net *dn = dmvpn_pernet(net);
	struct dmvpn_dev *d;

	hlist_for_each_entry_rcu(d, &dn->hash[dmvpn_hash(local, key_set, key)],
				 hnode) {
		if (d->p.local.ip4 == local && d->p.key_set == key_set &&
		    (!key_set || d->p.key == key))
			return d;
	}
	return NULL;
}

static void dmvpn_dev_hash(struct dmvpn_dev *d)
{
	struct dmvpn_net *dn = dmvpn_pernet(d->net);
	u32 h = dmvpn_hash(d->p.local.ip4, d->p.key_set, d->p.key);

	hlist_add_head_rcu(&d->hnode, &dn->hash[h]);
	list_add_tail_rcu(&d->list, &dn->devs);
}

static int dmvpn_dev_init(struct net_device *dev)
{
	struct dmvpn_dev *d = netdev_priv(dev);
	int err, cpu;

	err = dmvpn_compat_alloc_tstats(dev);
	if (err)
		return err;
	d->cnt = alloc_percpu_gfp(struct dmvpn_counters, GFP_KERNEL_ACCOUNT);
	err = -ENOMEM;
	if (!d->cnt)
		goto err_stats;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(d->cnt, cpu)->syncp);
	err = dmvpn_cache_init(&d->cache, d->cache.max_entries,
			       dmvpn_nl_notify, &dmvpn_pernet(d->net)->gen);
	if (err)
		goto err_cnt;
	err = gro_cells_init(&d->gro_cells, dev);
	if (err)
		goto err_cache;
	d->cache.peers.born = dmvpn_hold_peer_born;
	d->cache.peers.gone = dmvpn_nl_notify_peer_gone;
	return 0;

err_cache:
	dmvpn_cache_destroy(&d->cache);
err_cnt:
	free_percpu(d->cnt);
err_stats:
	dmvpn_compat_free_tstats(dev);
	return err;
}

u64 dmvpn_counter_read(const struct dmvpn_dev *d, enum dmvpn_counter c)
{
	u64 sum = 0, v;
	unsigned int start;
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct dmvpn_counters *p = per_cpu_ptr(d->cnt, cpu);

		do {
			start = u64_stats_fetch_begin(&p->syncp);
			v = u64_stats_read(&p->c[c]);
		} while (u64_stats_fetch_retry(&p->syncp, start));
		sum += v;
	}
	return sum;
}

static void dmvpn_dev_uninit(struct net_device *dev)
{
	struct dmvpn_dev *d = netdev_priv(dev);

	if (!hlist_unhashed(&d->hnode)) {
		hlist_del_init_rcu(&d->hnode);
		list_del_rcu(&d->list);
		/* With the last device goes the hook, and its cost for
		 * every packet the namespace receives.
		 */
		if (list_empty(&dmvpn_pernet(d->net)->devs))
			dmvpn_receive_disable(d->net);
	}
	dmvpn_cache_stop(&d->cache);
}

/* Runs after the last RCU reader of the device is gone. */
static void dmvpn_dev_free(struct net_device *dev)
{
	struct dmvpn_dev *d = netdev_priv(dev);

	/* The last key-manager notification that could queue it is gone
	 * with the last RCU reader; the cache emptied the queues.
	 */
	cancel_delayed_work_sync(&d->hold_work);
	gro_cells_destroy(&d->gro_cells);
	dmvpn_cache_destroy(&d->cache);
	dmvpn_nhrp_destroy(&d->nhrp);
	free_percpu(d->cnt);
	dmvpn_compat_free_tstats(dev);
}

static const struct net_device_ops dmvpn_netdev_ops = {
	.ndo_init = dmvpn_dev_init,
	.ndo_uninit = dmvpn_dev_uninit,
	.ndo_start_xmit = dmvpn_xmit,
	.ndo_get_stats64 = dev_get_tstats64,
};

/* Only NHRP frames from AF_PACKET get their outer header here; IP packets
 * are resolved through the NHRP cache in ndo_start_xmit.
 */
static int dmvpn_header_create(struct sk_buff *skb, struct net_device *dev,
			       unsigned short type, const void *daddr,
			       const void *saddr, unsigned int len)
{
	struct dmvpn_dev *d = netdev_priv(dev);
	unsigned int hlen = dmvpn_tunnel_hlen(d);
	struct iphdr *iph;

	if (type != DMVPN_ETH_P_NHRP)
		return 0;
	iph = skb_push(skb, hlen);
	memset(iph, 0, sizeof(*iph));
	iph->version = 4;
	iph->ihl = 5;
	iph->protocol = IPPROTO_GRE;
	iph->saddr = saddr ? *(const __be32 *)saddr : d->p.local.ip4;
	if (daddr)
		memcpy(&iph->daddr, daddr, sizeof(iph->daddr));
	dmvpn_gre_build((u8 *)(iph + 1), htons(type), d->p.key_set, d->p.key);
	return iph->daddr ? hlen : -hlen;
}

static int dmvpn_header_parse(DMVPN_HEADER_PARSE_ARGS)
{
	const struct iphdr *iph = (const struct iphdr *)skb_mac_header(skb);

	/* An IP packet has no link-layer header (create() adds none). */
	if (!skb_mac_header_was_set(skb) ||
	    skb_mac_header(skb) == skb_network_header(skb) ||
	    skb_mac_header(skb) + sizeof(*iph) > skb_tail_pointer(skb) ||
	    iph->version != 4)
		return 0;
	memcpy(haddr, &iph->saddr, sizeof(iph->saddr));
	return sizeof(iph->saddr);
}

static const struct header_ops dmvpn_header_ops = {
	.create = dmvpn_header_create,
	.parse = dmvpn_header_parse,
};

#define DMVPN_FEATURES (NETIF_F_SG | NETIF_F_FRAGLIST | NETIF_F_HIGHDMA | \
			NETIF_F_HW_CSUM | NETIF_F_GSO_SOFTWARE)

static void dmvpn_setup(struct net_device *dev)
{
	struct dmvpn_dev *d = netdev_priv(dev);

	dev->netdev_ops = &dmvpn_netdev_ops;
	dev->header_ops = &dmvpn_header_ops;
	dev->needs_free_netdev = true;
	dev->priv_destructor = dmvpn_dev_free;
	dev->type = ARPHRD_IPGRE;
	dev->flags = IFF_NOARP | IFF_BROADCAST | IFF_MULTICAST;
	dev->priv_flags |= IFF_NO_QUEUE;
	dev->addr_len = sizeof(struct in_addr);
	dev->min_mtu = ETH_MIN_MTU;
	dev->features |= DMVPN_FEATURES;
	dev->hw_features |= DMVPN_FEATURES;
	dmvpn_compat_set_lltx(dev);
	dmvpn_compat_set_netns_local(dev);
	dmvpn_compat_set_tstats(dev);
	netif_keep_dst(dev);

	d->dev = dev;
	INIT_HLIST_NODE(&d->hnode);
	INIT_LIST_HEAD(&d->list);
	d->p.ttl = DMVPN_DEFAULT_TTL;
	d->cache.max_entries = DMVPN_DEFAULT_MAX_ENTRIES;
	d->p.hold_peer = DMVPN_HOLD_PEER_DEFAULT;
	d->p.hold_device = DMVPN_HOLD_DEVICE_DEFAULT;
	d->p.hold_time = DMVPN_HOLD_TIME_DEFAULT;
	INIT_DELAYED_WORK(&d->hold_work, dmvpn_hold_work);
	dmvpn_nhrp_init(&d->nhrp, dmvpn_nl_notify_nhrp);
	/* Cache misses wake the resolver; a flood of them must not. */
	ratelimit_state_init(&d->miss_rs, HZ, 100);
	ratelimit_set_flags(&d->miss_rs, RATELIMIT_MSG_ON_RELEASE);
}

/* Not const: 6.1's policy holds a plain pointer. */
static struct netlink_range_validation dmvpn_max_entries_range = {
	.min = 1,
	.max = DMVPN_MAX_ENTRIES_LIMIT,
};

static struct netlink_range_validation dmvpn_hold_peer_range = {
	.max = DMVPN_HOLD_PEER_LIMIT,
};

static struct netlink_range_validation dmvpn_hold_device_range = {
	.max = DMVPN_HOLD_DEVICE_LIMIT,
};

static struct netlink_range_validation dmvpn_hold_time_range = {
	.min = DMVPN_HOLD_TIME_MIN,
	.max = DMVPN_HOLD_TIME_MAX,
};

static const struct nla_policy dmvpn_link_policy[IFLA_DMVPN_MAX + 1] = {
	[IFLA_DMVPN_LOCAL] = { .type = NLA_BINARY, .len = 16 },
	[IFLA_DMVPN_KEY] = { .type = NLA_U32 },
	[IFLA_DMVPN_LINK] = { .type = NLA_U32 },
	[IFLA_DMVPN_TTL] = { .type = NLA_U8 },
	[IFLA_DMVPN_TOS] = { .type = NLA_U8 },
	[IFLA_DMVPN_FWMARK] = { .type = NLA_U32 },
	[IFLA_DMVPN_PROTECT] = NLA_POLICY_MAX(NLA_U8, DMVPN_PROTECT_REQUIRE),
	[IFLA_DMVPN_HOLD_PEER] = NLA_POLICY_FULL_RANGE(NLA_U32,
						       &dmvpn_hold_peer_range),
	[IFLA_DMVPN_HOLD_DEVICE] = NLA_POLICY_FULL_RANGE(NLA_U32,
							 &dmvpn_hold_device_range),
	[IFLA_DMVPN_HOLD_TIME] = NLA_POLICY_FULL_RANGE(NLA_U32,
						       &dmvpn_hold_time_range),
	[IFLA_DMVPN_MAX_ENTRIES] = NLA_POLICY_FULL_RANGE(NLA_U32,
							 &dmvpn_max_entries_range),
};

static int dmvpn_validate(struct nlattr *tb[], struct nlattr *data[],
			  struct netlink_ext_ack *extack)
{
	struct nlattr *a;
	__be32 local;

	if (tb[IFLA_ADDRESS] || tb[IFLA_BROADCAST]) {
		NL_SET_ERR_MSG(extack,
			       "dmvpn: the link address is the local address");
		return -EINVAL;
	}
	if (!data)
		return 0;
	a = data[IFLA_DMVPN_LOCAL];
	if (a && nla_len(a) == sizeof(struct in6_addr)) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "dmvpn: IPv6 underlay is not supported yet");
		return -EAFNOSUPPORT;
	}
	if (a && nla_len(a) != sizeof(local)) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "dmvpn: local must be a 4-byte IPv4 address");
		return -EINVAL;
	}
	if (a) {
		local = nla_get_in_addr(a);
		if (!dmvpn_ip4_unicast(local)) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "dmvpn: local must be a unicast address");
			return -EINVAL;
		}
	}
	a = data[IFLA_DMVPN_TOS];
	if (a && nla_get_u8(a) != DMVPN_TOS_INHERIT &&
	    (nla_get_u8(a) & INET_ECN_MASK)) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "dmvpn: tos must not set the ECN bits");
		return -EINVAL;
	}
	return 0;
}

static void dmvpn_apply_mutable(struct dmvpn_dev *d, struct nlattr *data[])
{
	if (data[IFLA_DMVPN_TTL])
		WRITE_ONCE(d->p.ttl, nla_get_u8(data[IFLA_DMVPN_TTL]));
	if (data[IFLA_DMVPN_TOS])
		WRITE_ONCE(d->p.tos, nla_get_u8(data[IFLA_DMVPN_TOS]));
	if (data[IFLA_DMVPN_FWMARK])
		WRITE_ONCE(d->p.fwmark, nla_get_u32(data[IFLA_DMVPN_FWMARK]));
	if (data[IFLA_DMVPN_PROTECT])
		WRITE_ONCE(d->p.protect, nla_get_u8(data[IFLA_DMVPN_PROTECT]));
	if (data[IFLA_DMVPN_HOLD_PEER])
		WRITE_ONCE(d->p.hold_peer,
			   nla_get_u32(data[IFLA_DMVPN_HOLD_PEER]));
	if (data[IFLA_DMVPN_HOLD_DEVICE])
		WRITE_ONCE(d->p.hold_device,
			   nla_get_u32(data[IFLA_DMVPN_HOLD_DEVICE]));
	if (data[IFLA_DMVPN_HOLD_TIME])
		WRITE_ONCE(d->p.hold_time,
			   nla_get_u32(data[IFLA_DMVPN_HOLD_TIME]));
}

/* A hub forwards spoke-to-spoke traffic out of the device it came in on.
 * An ICMP redirect would tell the spoke to send to the other spoke's
 * overlay address directly, which only NHRP can resolve: redirects are
 * NHRP's job here (traffic indication), not ICMP's. Linux ORs send_redirects
 * with conf/all, so hubs also want net.ipv4.conf.all.send_redirects=0
 * (Documentation/design.rst).
 */
static void dmvpn_no_redirects(struct net_device *dev)
{
	struct in_device *in_dev = __in_dev_get_rtnl(dev);

	if (!in_dev)
		return;
	IN_DEV_CONF_SET(in_dev, SEND_REDIRECTS, 0);
	IN_DEV_CONF_SET(in_dev, ACCEPT_REDIRECTS, 0);
}

static struct dmvpn_dev *dmvpn_find_params(struct net *net,
					   const struct dmvpn_params *p)
{
	struct dmvpn_dev *d;

	ASSERT_RTNL();
	list_for_each_entry(d, &dmvpn_pernet(net)->devs, list) {
		if (d->p.local.ip4 == p->local.ip4 &&
		    d->p.key_set == p->key_set &&
		    (!p->key_set || d->p.key == p->key))
			return d;
	}
	return NULL;
}

/* IFLA_DMVPN_MAX_ENTRIES into @max, within the bound of @net's owner. */
static int dmvpn_max_entries(const struct net *net, struct nlattr **data,
			     u32 *max, struct netlink_ext_ack *extack)
{
	struct nlattr *a = data[IFLA_DMVPN_MAX_ENTRIES];

	if (!a)
		return 0;
	if (net->user_ns != &init_user_ns &&
	    nla_get_u32(a) > DMVPN_USERNS_MAX_ENTRIES_LIMIT) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "dmvpn: max-entries above 65536 needs a namespace of the initial user namespace");
		return -ERANGE;
	}
	*max = nla_get_u32(a);
	return 0;
}

/* What ESP adds at most with the usual suites, NAT-T's UDP header
 * included: 8 (UDP) + 8 (SPI, sequence number) + 16 (an AES-CBC IV) +
 * 17 (padding to a 16-byte block, and ESP's trailer) + 16 (a 128-bit
 * ICV). Inner packets that fit the MTU then need no fragmentation of
 * the ESP packet below them.
 */
#define DMVPN_ESP_OVERHEAD 65

/* The MTU of a device whose administrator set none: the underlay's,
 * less GRE, and less ESP on a protected device.
 */
static unsigned int dmvpn_default_mtu(const struct dmvpn_dev *d,
				      const struct net_device *link)
{
	int mtu = (link ? link->mtu : ETH_DATA_LEN) - dmvpn_tunnel_hlen(d);

	if (dmvpn_protected(d))
		mtu -= DMVPN_ESP_OVERHEAD;
	return max_t(int, mtu, ETH_MIN_MTU);
}

static int dmvpn_newlink(struct net_device *dev,
			 struct rtnl_newlink_params *params,
			 struct netlink_ext_ack *extack)
{
	struct nlattr **data = params->data;
	struct dmvpn_dev *d = netdev_priv(dev);
	struct net *net = dev_net(dev);
	struct net_device *link = NULL, *gdev;
	int err;

	if (!data || !data[IFLA_DMVPN_LOCAL]) {
		NL_SET_ERR_MSG(extack, "dmvpn: local address is required");
		return -EINVAL;
	}
	d->net = net;
	d->p.local.family = AF_INET;
	d->p.local.ip4 = nla_get_in_addr(data[IFLA_DMVPN_LOCAL]);
	if (data[IFLA_DMVPN_KEY]) {
		d->p.key_set = true;
		d->p.key = nla_get_u32(data[IFLA_DMVPN_KEY]);
	}
	if (data[IFLA_DMVPN_LINK]) {
		d->p.link = nla_get_u32(data[IFLA_DMVPN_LINK]);
		link = d->p.link ? __dev_get_by_index(net, d->p.link) : NULL;
		if (d->p.link && !link) {
			NL_SET_ERR_MSG_ATTR(extack, data[IFLA_DMVPN_LINK],
					    "dmvpn: underlay device not found");
			return -ENODEV;
		}
	}
	if (net->user_ns != &init_user_ns)
		d->cache.max_entries = DMVPN_USERNS_DEFAULT_MAX_ENTRIES;
	err = dmvpn_max_entries(net, data, &d->cache.max_entries, extack);
	if (err)
		return err;
	dmvpn_apply_mutable(d, data);

	if (dmvpn_find_params(net, &d->p)) {
		NL_SET_ERR_MSG(extack,
			       "dmvpn: a device with this local address and key exists");
		return -EEXIST;
	}
	for_each_netdev(net, gdev) {
		if (dmvpn_gre_overlaps(gdev, &d->p)) {
			NL_SET_ERR_MSG(extack,
				       "dmvpn: an ip_gre tunnel receives GRE for this local address and key");
			return -EADDRINUSE;
		}
	}

	dev_addr_set(dev, (const u8 *)&d->p.local.ip4);
	dev->max_mtu = IP_MAX_MTU - dmvpn_tunnel_hlen(d);
	if (params->tb && params->tb[IFLA_MTU]) {
		/* rtnl_create_link() set it, before max_mtu was known. */
		if (dev->mtu > dev->max_mtu) {
			NL_SET_ERR_MSG_ATTR(extack, params->tb[IFLA_MTU],
					    "dmvpn: MTU above the GRE maximum");
			return -EINVAL;
		}
	} else {
		dev->mtu = dmvpn_default_mtu(d, link);
	}
	/* No link header in hard_header_len, as on a point-to-point ip_gre:
	 * GRO compares that many bytes at the mac header to match a flow,
	 * and an IP packet's mac header is its own IP header. The outer
	 * header create() builds for NHRP goes in the headroom.
	 */
	dev->hard_header_len = 0;
	dev->needed_headroom = LL_MAX_HEADER + dmvpn_tunnel_hlen(d);

	err = dmvpn_receive_enable(net);
	if (err) {
		NL_SET_ERR_MSG(extack, "dmvpn: cannot hook GRE reception");
		return err;
	}
	err = register_netdevice(dev);
	if (err) {
		if (list_empty(&dmvpn_pernet(net)->devs))
			dmvpn_receive_disable(net);
		return err;
	}
	dmvpn_no_redirects(dev);
	dmvpn_dev_hash(d);
	return 0;
}

DMVPN_COMPAT_NEWLINK(dmvpn_newlink)

static int dmvpn_changelink(struct net_device *dev, struct nlattr *tb[],
			    struct nlattr *data[],
			    struct netlink_ext_ack *extack)
{
	struct dmvpn_dev *d = netdev_priv(dev);
	struct net_device *link;
	struct dmvpn_params old;
	unsigned int mtu;
	struct nlattr *a;
	u32 max;
	int err;

	if (!data)
		return 0;
	a = data[IFLA_DMVPN_LOCAL];
	if (a && nla_get_in_addr(a) != d->p.local.ip4)
		goto immutable;
	a = data[IFLA_DMVPN_KEY];
	if (a && (!d->p.key_set || nla_get_u32(a) != d->p.key))
		goto immutable;
	a = data[IFLA_DMVPN_LINK];
	if (a && nla_get_u32(a) != d->p.link)
		goto immutable;
	max = READ_ONCE(d->cache.max_entries);
	err = dmvpn_max_entries(d->net, data, &max, extack);
	if (err)
		return err;
	link = d->p.link ? __dev_get_by_index(d->net, d->p.link) : NULL;
	mtu = dmvpn_default_mtu(d, link);
	old = d->p;
	dmvpn_apply_mutable(d, data);
	/* An MTU of the administrator's stays; the default follows. */
	if (old.protect != d->p.protect && dev->mtu == mtu)
		dev_set_mtu(dev, dmvpn_default_mtu(d, link));
	/* The peers' cached routes were looked up with the old mark, TOS
	 * and protection (a plain route or an IPsec bundle): make every
	 * IPv4 route of the namespace be looked up again.
	 */
	if (old.fwmark != d->p.fwmark || old.tos != d->p.tos ||
	    old.protect != d->p.protect)
		rt_genid_bump_ipv4(d->net);
	/* Held packets: released without protection, or expired sooner. */
	if (old.protect != d->p.protect || old.hold_time != d->p.hold_time)
		mod_delayed_work(system_wq, &d->hold_work, 0);
	dmvpn_cache_set_max(&d->cache, max);
	return 0;

immutable:
	NL_SET_ERR_MSG_ATTR(extack, a,
			    "dmvpn: local, key and link are fixed; recreate the device");
	return -EOPNOTSUPP;
}

static size_t dmvpn_get_size(const struct net_device *dev)
{
	return nla_total_size(sizeof(struct in6_addr)) +	/* LOCAL */
	       nla_total_size(sizeof(u32)) +			/* KEY */
	       nla_total_size(sizeof(u32)) +			/* LINK */
	       nla_total_size(sizeof(u8)) +			/* TTL */
	       nla_total_size(sizeof(u8)) +			/* TOS */
	       nla_total_size(sizeof(u32)) +			/* MAX_ENTRIES */
	       nla_total_size(sizeof(u32)) +			/* FWMARK */
	       nla_total_size(sizeof(u8)) +			/* PROTECT */
	       3 * nla_total_size(sizeof(u32));		/* HOLD_* */
}

static int dmvpn_fill_info(struct sk_buff *skb, const struct net_device *dev)
{
	const struct dmvpn_dev *d = netdev_priv(dev);

	if (nla_put_in_addr(skb, IFLA_DMVPN_LOCAL, d->p.local.ip4) ||
	    (d->p.key_set && nla_put_u32(skb, IFLA_DMVPN_KEY, d->p.key)) ||
	    nla_put_u32(skb, IFLA_DMVPN_LINK, d->p.link) ||
	    nla_put_u8(skb, IFLA_DMVPN_TTL, d->p.ttl) ||
	    nla_put_u8(skb, IFLA_DMVPN_TOS, d->p.tos) ||
	    nla_put_u32(skb, IFLA_DMVPN_MAX_ENTRIES,
			READ_ONCE(d->cache.max_entries)) ||
	    nla_put_u32(skb, IFLA_DMVPN_FWMARK, READ_ONCE(d->p.fwmark)) ||
	    nla_put_u8(skb, IFLA_DMVPN_PROTECT, READ_ONCE(d->p.protect)) ||
	    nla_put_u32(skb, IFLA_DMVPN_HOLD_PEER, READ_ONCE(d->p.hold_peer)) ||
	    nla_put_u32(skb, IFLA_DMVPN_HOLD_DEVICE,
			READ_ONCE(d->p.hold_device)) ||
	    nla_put_u32(skb, IFLA_DMVPN_HOLD_TIME, READ_ONCE(d->p.hold_time)))
		return -EMSGSIZE;
	return 0;
}

struct rtnl_link_ops dmvpn_link_ops __read_mostly = {
	.kind = KBUILD_MODNAME,
	.maxtype = IFLA_DMVPN_MAX,
	.policy = dmvpn_link_policy,
	.priv_size = sizeof(struct dmvpn_dev),
	.setup = dmvpn_setup,
	.validate = dmvpn_validate,
	.newlink = DMVPN_NEWLINK(dmvpn_newlink),
	.changelink = dmvpn_changelink,
	.get_size = dmvpn_get_size,
	.fill_info = dmvpn_fill_info,
};

static int __net_init dmvpn_net_init(struct net *net)
{
	struct dmvpn_net *dn = dmvpn_pernet(net);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(dn->hash); i++)
		INIT_HLIST_HEAD(&dn->hash[i]);
	INIT_LIST_HEAD(&dn->devs);
	atomic_set(&dn->gen, 0);
	dn->hook_registered = false;
	return 0;
}

/* Runs before the devices go (exit precedes exit_batch): nothing can reach
 * them through the hook afterwards, which is what a dying netns wants.
 */
static void __net_exit dmvpn_net_exit(struct net *net)
{
	dmvpn_receive_disable(net);
}

static void __net_exit dmvpn_net_exit_batch(struct list_head *net_list)
{
	struct dmvpn_dev *d, *tmp;
	struct net *net;
	LIST_HEAD(kill);

	rtnl_lock();
	list_for_each_entry(net, net_list, exit_list)
		list_for_each_entry_safe(d, tmp, &dmvpn_pernet(net)->devs, list)
			unregister_netdevice_queue(d->dev, &kill);
	unregister_netdevice_many(&kill);
	rtnl_unlock();
}

static struct pernet_operations dmvpn_net_ops = {
	.init = dmvpn_net_init,
	.exit = dmvpn_net_exit,
	.exit_batch = dmvpn_net_exit_batch,
	.id = &dmvpn_net_id,
	.size = sizeof(struct dmvpn_net),
};

int __init dmvpn_device_init(void)
{
	int err;

	err = register_pernet_device(&dmvpn_net_ops);
	if (err)
		return err;
	err = dmvpn_coexist_init();
	if (err)
		goto err_pernet;
	err = rtnl_link_register(&dmvpn_link_ops);
	if (err)
		goto err_coexist;
	return 0;

err_coexist:
	dmvpn_coexist_uninit();
err_pernet:
	unregister_pernet_device(&dmvpn_net_ops);
	return err;
}

void dmvpn_device_uninit(void)
{
	rtnl_link_unregister(&dmvpn_link_ops);
	dmvpn_coexist_uninit();
	unregister_pernet_device(&dmvpn_net_ops);
}
