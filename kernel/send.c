// SPDX-License-Identifier: GPL-2.0
/*
 * Transmit: pick the NBMA address for a packet (shortcut prefix on the
 * inner destination, else the route's nexthop in the NHRP cache, else a
 * next-hop server; the multicast map for multicast and broadcast), then
 * GRE-encapsulate.
 */
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/dsfield.h>
#include <net/icmp.h>
#include <net/ip6_route.h>
#include <net/ip_tunnels.h>
#include <net/route.h>
#include <net/xfrm.h>

#include "compat.h"
#include "dmvpn.h"
#include "gre.h"

enum dmvpn_target {
	DMVPN_UNICAST,
	DMVPN_REPLICATE,
	DMVPN_INVALID,
};

static enum dmvpn_target dmvpn_ip4_target(struct sk_buff *skb,
					  struct dmvpn_addr *dst,
					  struct dmvpn_addr *nh)
{
	struct dst_entry *dst_e = skb_dst(skb);
	const struct rtable *rt = NULL;
	const struct iphdr *iph;

	if (!pskb_network_may_pull(skb, sizeof(*iph)))
		return DMVPN_INVALID;
	iph = ip_hdr(skb);
	if (dst_e && dst_e->ops->family == AF_INET)
		rt = (const struct rtable *)dst_e;
	dst->family = AF_INET;
	dst->ip4 = iph->daddr;
	if (ipv4_is_multicast(iph->daddr) || ipv4_is_lbcast(iph->daddr) ||
	    (rt && rt->rt_type == RTN_BROADCAST))
		return DMVPN_REPLICATE;
	if (rt && rt->rt_gw_family == AF_INET6) {
		nh->family = AF_INET6;
		nh->ip6 = rt->rt_gw6;
	} else {
		nh->family = AF_INET;
		nh->ip4 = rt ? rt_nexthop(rt, iph->daddr) : iph->daddr;
	}
	return DMVPN_UNICAST;
}

static enum dmvpn_target dmvpn_ip6_target(struct sk_buff *skb,
					  struct dmvpn_addr *dst,
					  struct dmvpn_addr *nh)
{
	struct dst_entry *dst_e = skb_dst(skb);
	const struct ipv6hdr *ip6h;

	if (!pskb_network_may_pull(skb, sizeof(*ip6h)))
		return DMVPN_INVALID;
	ip6h = ipv6_hdr(skb);
	dst->family = AF_INET6;
	dst->ip6 = ip6h->daddr;
	if (ipv6_addr_is_multicast(&ip6h->daddr))
		return DMVPN_REPLICATE;
	nh->family = AF_INET6;
	if (dst_e && dst_e->ops->family == AF_INET6)
		nh->ip6 = *rt6_nexthop((struct rt6_info *)dst_e, &ip6h->daddr);
	else
		nh->ip6 = ip6h->daddr;
	return DMVPN_UNICAST;
}

void dmvpn_tx_drop(struct dmvpn_dev *d, struct sk_buff *skb,
		   enum dmvpn_counter counter)
{
	dmvpn_count(d, counter);
	DEV_STATS_INC(d->dev, tx_dropped);
	kfree_skb(skb);
}

/* The IPsec bundle to the peer, or nothing: the xfrm core's own queue is
 * not asked for (no XFRM_LOOKUP_QUEUE), so a pending SA is an error here
 * rather than a blackhole route that swallows the packet, and a peer
 * without a policy gets no plain route. Every failure is -ENOPROTOOPT.
 */
static struct rtable *dmvpn_route_protected(struct net *net,
					    struct flowi4 *fl4)
{
	struct rtable *rt = __ip_route_output_key(net, fl4);
	struct dst_entry *dst;

	if (IS_ERR(rt))
		return rt;
	/* As ip_route_output_flow() does before its xfrm lookup. */
	fl4->flowi4_oif = rt->dst.dev->ifindex;
	dst = xfrm_lookup(net, &rt->dst, flowi4_to_flowi(fl4), NULL, 0);
	if (IS_ERR(dst))
		return ERR_PTR(-ENOPROTOOPT);
	if (!dst_xfrm(dst)) {
		dst_release(dst);
		return ERR_PTR(-ENOPROTOOPT);
	}
	return (struct rtable *)dst;
}

static struct rtable *dmvpn_route(struct dmvpn_dev *d, __be32 nbma, u8 tos,
				  u32 mark, struct dst_cache *dc,
				  __be32 *saddr)
{
	struct flowi4 fl4;
	struct rtable *rt;

	if (dc) {
		rt = dst_cache_get_ip4(dc, saddr);
		if (rt)
			return rt;
	}
	memset(&fl4, 0, sizeof(fl4));
	fl4.daddr = nbma;
	fl4.saddr = d->p.local.ip4;
	fl4.flowi4_oif = d->p.link;
	dmvpn_compat_flow_dscp(&fl4, tos);
	fl4.flowi4_proto = IPPROTO_GRE;
	fl4.flowi4_mark = mark;
	fl4.fl4_gre_key = htonl(d->p.key);
	if (dmvpn_protected(d))
		rt = dmvpn_route_protected(d->net, &fl4);
	else
		rt = ip_route_output_key(d->net, &fl4);
	if (IS_ERR(rt))
		return rt;
	*saddr = fl4.saddr;
	if (dc)
		dst_cache_set_ip4(dc, &rt->dst, fl4.saddr);
	return rt;
}

static void dmvpn_sa_event(struct dmvpn_dev *d, struct dmvpn_peer *p, u8 sa)
{
	if (READ_ONCE(p->sa) == sa)
		return;
	WRITE_ONCE(p->sa, sa);
	dmvpn_nl_notify_peer_sa(d, p);
}

/* A packet to @p went through an SA. One that came while we asked for it
 * settles (settle.c).
 */
static void dmvpn_sa_is_up(struct dmvpn_dev *d, struct dmvpn_peer *p)
{
	unsigned long now = jiffies;
	u8 was = READ_ONCE(p->sa);

	if (was == DMVPN_SA_UP)
		return;
	WRITE_ONCE(p->probe_backoff, 0);
	WRITE_ONCE(p->up_since, now);
	if (was == DMVPN_SA_PENDING)
		dmvpn_settle_start(d, p, now);
	dmvpn_sa_event(d, p, DMVPN_SA_UP);
}

/* A packet to @p found no SA, and its lookup asked for one (an ACQUIRE,
 * if a trap policy matches and none is being negotiated). Traffic that
 * has another way tries the direct one again after a backoff.
 */
static void dmvpn_sa_is_pending(struct dmvpn_dev *d, struct dmvpn_peer *p)
{
	unsigned int gen = atomic_read(&d->policy_gen);
	unsigned long backoff = READ_ONCE(p->probe_backoff);

	/* What failed before a new policy says nothing about it. */
	if (gen != READ_ONCE(p->probe_gen))
		backoff = 0;
	backoff = clamp(backoff * 2, DMVPN_PROBE_MIN, DMVPN_PROBE_MAX);
	WRITE_ONCE(p->probe_backoff, backoff);
	WRITE_ONCE(p->probe_at, jiffies + backoff);
	WRITE_ONCE(p->probe_gen, gen);
	dmvpn_sa_event(d, p, DMVPN_SA_PENDING);
}

/* Whether @p's traffic should take another way for now. */
static bool dmvpn_sa_wait(const struct dmvpn_dev *d,
			  const struct dmvpn_peer *p, unsigned long now)
{
	return dmvpn_protected(d) &&
	       READ_ONCE(p->sa) == DMVPN_SA_PENDING &&
	       READ_ONCE(p->probe_gen) == atomic_read(&d->policy_gen) &&
	       time_before(now, READ_ONCE(p->probe_at));
}

/**
 * dmvpn_encap() - encapsulate and send to a peer or an NBMA address
 * @d: the device
 * @skb: consumed
 * @nbma: where to
 * @p: the peer of @nbma, whose route is cached and which holds the
 *	packet while it has no SA; NULL (NHRP frames, released packets):
 *	no cache, and no SA is a drop
 * @alt: where a packet for @p goes while @p has no SA (an NHS), or NULL
 */
static void dmvpn_encap(struct dmvpn_dev *d, struct sk_buff *skb,
			__be32 nbma, struct dmvpn_peer *p,
			struct dmvpn_peer *alt)
{
	const struct iphdr *inner = ip_hdr(skb);
	__be16 proto = skb->protocol;
	unsigned int gre_hlen = dmvpn_tunnel_hlen(d) - sizeof(struct iphdr);
	u8 tos = READ_ONCE(d->p.tos), ttl = READ_ONCE(d->p.ttl);
	u32 mark = READ_ONCE(d->p.fwmark);
	struct dst_cache *dc = p ? &p->dst_cache : NULL;
	unsigned int headroom;
	struct rtable *rt;
	__be32 saddr;

	/* Behind what the peer already holds, to keep the order, unless
	 * there is another way.
	 */
	if (p && READ_ONCE(p->hold_busy)) {
		if (!alt) {
			dmvpn_hold_skb(d, p, skb);
			return;
		}
		dmvpn_count(d, DMVPN_CNT_TX_VIA_NHS);
		p = alt;
		nbma = alt->nbma.ip4;
		alt = NULL;
		dc = &p->dst_cache;
	}
	if (tos == DMVPN_TOS_INHERIT) {
		tos = ip_tunnel_get_dsfield(inner, skb);
		/* The route may depend on the TOS: do not cache it. */
		dc = NULL;
	}
	/* The outer packet and its route carry one mark: the device's, else
	 * the packet's own, with which no cached route may be shared.
	 */
	if (mark)
		skb->mark = mark;
	else if (skb->mark)
		dc = NULL;
	rt = dmvpn_route(d, nbma, tos, skb->mark, dc, &saddr);
	if (PTR_ERR(rt) == -ENOPROTOOPT) {
		if (!p) {
			dmvpn_tx_drop(d, skb, DMVPN_CNT_TX_UNPROTECTED);
			return;
		}
		dmvpn_sa_is_pending(d, p);
		if (alt) {
			dmvpn_count(d, DMVPN_CNT_TX_VIA_NHS);
			dmvpn_encap(d, skb, alt->nbma.ip4, alt, NULL);
		} else {
			dmvpn_hold_skb(d, p, skb);
		}
		return;
	}
	if (p && dmvpn_protected(d))
		dmvpn_sa_is_up(d, p);
	if (IS_ERR(rt)) {
		DEV_STATS_INC(d->dev, tx_carrier_errors);
		goto err;
	}
	if (alt && dmvpn_settling(p, jiffies)) {
		ip_rt_put(rt);
		dmvpn_count(d, DMVPN_CNT_TX_VIA_NHS);
		dmvpn_encap(d, skb, alt->nbma.ip4, alt, NULL);
		return;
	}
	if (rt->dst.dev == d->dev) {
		/* The underlay route points into the overlay: a loop. */
		DEV_STATS_INC(d->dev, collisions);
		ip_rt_put(rt);
		goto err;
	}
	if (!ttl) {
		if (proto == htons(ETH_P_IP))
			ttl = inner->ttl;
		else if (proto == htons(ETH_P_IPV6))
			ttl = ((const struct ipv6hdr *)inner)->hop_limit;
		else
			ttl = ip4_dst_hoplimit(&rt->dst);
	}
	tos = ip_tunnel_ecn_encap(tos, inner, skb);

	headroom = LL_RESERVED_SPACE(rt->dst.dev) + rt->dst.header_len +
		   sizeof(struct iphdr) + gre_hlen;
	if (skb_cow_head(skb, headroom) ||
	    iptunnel_handle_offloads(skb, SKB_GSO_GRE)) {
		ip_rt_put(rt);
		goto err;
	}
	skb_set_inner_protocol(skb, proto);
	dmvpn_gre_build(skb_push(skb, gre_hlen), proto, d->p.key_set,
			d->p.key);
	/* The outer packet's transport header, as gre_build_header() sets
	 * it: ESP in transport mode reads it, and a frame from a packet
	 * socket (dmvpnd's NHRP) has none.
	 */
	skb_reset_transport_header(skb);
	/* DF stays clear: the underlay may fragment, as Cisco does by
	 * default, so no ICMP from the underlay is needed for PMTU.
	 */
	dmvpn_compat_iptunnel_xmit(rt, skb, saddr, nbma, IPPROTO_GRE, tos, ttl,
				   0);
	return;

err:
	dmvpn_tx_drop(d, skb, DMVPN_CNT_TX_ERRORS);
}

/* The entry's "used" and the peer's counters: per CPU, or once a tick. */
static void dmvpn_account(struct dmvpn_entry *e, struct dmvpn_peer *p,
			  unsigned int len, bool mcast)
{
	unsigned long now = jiffies;

	dmvpn_peer_account(p, len, mcast);
	if (READ_ONCE(e->used) != now)
		WRITE_ONCE(e->used, now);
}

static void dmvpn_xmit_mcast(struct dmvpn_dev *d, struct sk_buff *skb)
{
	struct dmvpn_peer *p, *prev_p = NULL;
	struct dmvpn_entry *e, *prev = NULL;
	struct sk_buff *copy;

	list_for_each_entry_rcu(e, &d->cache.mcast, list) {
		p = rcu_dereference(e->peer);
		if (!p)
			continue;
		if (prev) {
			copy = skb_clone(skb, GFP_ATOMIC);
			if (!copy) {
				dmvpn_count(d, DMVPN_CNT_TX_ERRORS);
				break;
			}
			dmvpn_account(prev, prev_p, copy->len, true);
			dmvpn_count(d, DMVPN_CNT_TX_MCAST);
			dmvpn_encap(d, copy, prev_p->nbma.ip4, prev_p, NULL);
		}
		prev = e;
		prev_p = p;
	}
	if (!prev) {
		dmvpn_tx_drop(d, skb, DMVPN_CNT_TX_NO_MAPPING);
		return;
	}
	dmvpn_account(prev, prev_p, skb->len, true);
	dmvpn_count(d, DMVPN_CNT_TX_MCAST);
	dmvpn_encap(d, skb, prev_p->nbma.ip4, prev_p, NULL);
}

/* An NHRP frame from AF_PACKET: header_ops->create put the outer header in
 * front of it, and its destination is the NBMA address to send to.
 */
static void dmvpn_xmit_nhrp(struct dmvpn_dev *d, struct sk_buff *skb)
{
	unsigned int hlen = dmvpn_tunnel_hlen(d);
	__be32 nbma;

	if (!pskb_may_pull(skb, hlen))
		goto bad;
	nbma = ((const struct iphdr *)skb->data)->daddr;
	if (!dmvpn_ip4_unicast(nbma))
		goto bad;
	__skb_pull(skb, hlen);
	skb_reset_network_header(skb);
	dmvpn_count(d, DMVPN_CNT_TX_NHRP);
	dmvpn_encap(d, skb, nbma, NULL, NULL);
	return;
bad:
	dmvpn_tx_drop(d, skb, DMVPN_CNT_TX_ERRORS);
}

/* The shortcut or nexthop entry; else, in Phase 2, a next-hop server
 * forwards the packet while the nexthop gets resolved (MISS tells dmvpnd
 * to start, unless an incomplete or negative entry says it has).
 */
static void dmvpn_xmit_unicast(struct dmvpn_dev *d, struct sk_buff *skb,
			       const struct dmvpn_addr *dst,
			       const struct dmvpn_addr *nh)
{
	struct dmvpn_peer *alt = NULL, *nhs_peer;
	unsigned long now = jiffies;
	struct dmvpn_route r;

	dmvpn_cache_route(&d->cache, dst, nh, now, &r);
	if (r.how == DMVPN_ROUTE_MISS)
		dmvpn_nl_notify_miss(d, nh);
	if (!r.entry) {
		/* Tell the sender, as a router without a route would
		 * (rate-limited by the ICMP limits).
		 */
		if (dst->family == AF_INET)
			icmp_ndo_send(skb, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH,
				      0);
		else
			icmpv6_ndo_send(skb, ICMPV6_DEST_UNREACH,
					ICMPV6_ADDR_UNREACH, 0);
		dmvpn_tx_drop(d, skb, DMVPN_CNT_TX_NO_MAPPING);
		return;
	}
	if (r.how != DMVPN_ROUTE_ENTRY)
		dmvpn_count(d, DMVPN_CNT_TX_VIA_NHS);
	/* While a peer that is not an NHS negotiates its SA, or the new SA
	 * settles, its traffic goes through an NHS not known to lack one,
	 * as in Phase 2 before the resolution, instead of waiting.
	 */
	if (r.how == DMVPN_ROUTE_ENTRY && dmvpn_protected(d) &&
	    dmvpn_cache_nhs(&d->cache, now, &nhs_peer) && nhs_peer != r.peer &&
	    READ_ONCE(nhs_peer->sa) != DMVPN_SA_PENDING) {
		alt = nhs_peer;
		if (dmvpn_sa_wait(d, r.peer, now) ||
		    dmvpn_settling(r.peer, now)) {
			dmvpn_count(d, DMVPN_CNT_TX_VIA_NHS);
			dmvpn_account(r.entry, alt, skb->len, false);
			dmvpn_encap(d, skb, alt->nbma.ip4, alt, NULL);
			return;
		}
	}
	dmvpn_account(r.entry, r.peer, skb->len, false);
	dmvpn_encap(d, skb, r.peer->nbma.ip4, r.peer, alt);
}

/* Whether @p has an SA now (a lookup as a packet's, which asks for one
 * if not). Process context; @p reached under RCU.
 */
bool dmvpn_peer_sa_up(struct dmvpn_dev *d, struct dmvpn_peer *p)
{
	struct rtable *rt;
	__be32 saddr;

	local_bh_disable();
	rt = dmvpn_route(d, p->nbma.ip4, 0, READ_ONCE(d->p.fwmark), NULL,
			 &saddr);
	if (!IS_ERR(rt)) {
		ip_rt_put(rt);
		dmvpn_sa_is_up(d, p);
	}
	local_bh_enable();
	return !IS_ERR(rt);
}

/* Asks for @p's SA if it has none: a lookup as a packet's; without an SA
 * the peer is pending, as after a packet. Process context; @p reached
 * under RCU.
 */
void dmvpn_peer_probe(struct dmvpn_dev *d, struct dmvpn_peer *p)
{
	if (dmvpn_peer_sa_up(d, p))
		return;
	local_bh_disable();
	dmvpn_sa_is_pending(d, p);
	local_bh_enable();
}

/* Sends packets a peer held, in order, now that it has an SA. */
void dmvpn_xmit_released(struct dmvpn_dev *d, struct sk_buff_head *list,
			 __be32 nbma)
{
	struct sk_buff *skb;

	local_bh_disable();
	while ((skb = __skb_dequeue(list))) {
		dmvpn_count(d, DMVPN_CNT_TX_RELEASED);
		dmvpn_encap(d, skb, nbma, NULL, NULL);
	}
	local_bh_enable();
}

netdev_tx_t dmvpn_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct dmvpn_dev *d = netdev_priv(dev);
	struct dmvpn_addr dst, nh;
	enum dmvpn_target target;

	rcu_read_lock();
	/* The stack's IP packets, and AF_PACKET's (hard_header_len is 0),
	 * start at their network header; should anything come before it,
	 * it is not sent: IP goes where the cache says.
	 */
	if (skb->protocol != htons(DMVPN_ETH_P_NHRP) &&
	    skb_network_offset(skb) > 0) {
		if (!pskb_may_pull(skb, skb_network_offset(skb))) {
			dmvpn_tx_drop(d, skb, DMVPN_CNT_TX_ERRORS);
			goto out;
		}
		__skb_pull(skb, skb_network_offset(skb));
	}
	switch (skb->protocol) {
	case htons(ETH_P_IP):
		target = dmvpn_ip4_target(skb, &dst, &nh);
		break;
	case htons(ETH_P_IPV6):
		target = dmvpn_ip6_target(skb, &dst, &nh);
		break;
	case htons(DMVPN_ETH_P_NHRP):
		dmvpn_xmit_nhrp(d, skb);
		goto out;
	default:
		target = DMVPN_INVALID;
	}

	if (target == DMVPN_INVALID)
		dmvpn_tx_drop(d, skb, DMVPN_CNT_TX_ERRORS);
	else if (target == DMVPN_REPLICATE)
		dmvpn_xmit_mcast(d, skb);
	else
		dmvpn_xmit_unicast(d, skb, &dst, &nh);
out:
	rcu_read_unlock();
	return NETDEV_TX_OK;
}
