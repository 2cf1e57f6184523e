// SPDX-License-Identifier: GPL-2.0
/*
 * GRE reception. The GRE demultiplexer has a single slot for version 0 and
 * ip_gre owns it, so dmvpn takes its packets earlier: a netfilter hook at
 * LOCAL_IN (after defragmentation and after the filter table) claims GRE
 * addressed to a dmvpn device's (local address, key) and lets everything
 * else continue to ip_gre untouched. Documentation/design.rst weighs the
 * alternatives.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <net/dsfield.h>
#include <net/inet_ecn.h>
#include <net/ip.h>
#include <net/ip_tunnels.h>
#include <net/xfrm.h>

#include "dmvpn.h"
#include "gre.h"

static void dmvpn_count_key_mismatch(struct net *net, __be32 daddr)
{
	struct dmvpn_dev *d;

	list_for_each_entry_rcu(d, &dmvpn_pernet(net)->devs, list) {
		if (d->p.local.ip4 == daddr) {
			dmvpn_count(d, DMVPN_CNT_RX_KEY_MISMATCH);
			return;
		}
	}
}

/* The payloads dmvpn carries; a gretap (TEB), ERSPAN or MPLS tunnel on the
 * same address and key gets the others.
 */
static bool dmvpn_carries(__be16 proto)
{
	return proto == htons(ETH_P_IP) || proto == htons(ETH_P_IPV6) ||
	       proto == htons(DMVPN_ETH_P_NHRP);
}

/* Pulls the inner header into the linear area and decapsulates ECN. */
static bool dmvpn_inner_ok(struct sk_buff *skb, u8 outer_tos)
{
	u8 inner;

	switch (skb->protocol) {
	case htons(ETH_P_IP):
		if (!pskb_may_pull(skb, sizeof(struct iphdr)))
			return false;
		inner = ip_hdr(skb)->tos;
		break;
	case htons(ETH_P_IPV6):
		if (!pskb_may_pull(skb, sizeof(struct ipv6hdr)))
			return false;
		inner = ipv6_get_dsfield(ipv6_hdr(skb));
		break;
	default:
		return true;
	}
	/* 2 = CE outside, not-ECT inside: RFC 6040 says drop. */
	return INET_ECN_decapsulate(skb, outer_tos, inner) < 2;
}

static unsigned int dmvpn_rcv(void *priv, struct sk_buff *skb,
			      const struct nf_hook_state *state)
{
	struct dmvpn_gre_hdr_info gre;
	const struct iphdr *iph;
	struct dmvpn_dev *d;
	unsigned int off;
	u8 outer_tos;
	__be32 saddr;
	int hlen;

	iph = ip_hdr(skb);
	if (iph->protocol != IPPROTO_GRE)
		return NF_ACCEPT;
	off = skb_network_offset(skb) + ip_hdrlen(skb);
	if (!pskb_may_pull(skb, off + DMVPN_GRE_BASE_HLEN))
		return NF_ACCEPT;
	hlen = dmvpn_gre_hlen(*(__be16 *)(skb->data + off));
	/* Not a header we could own (e.g. PPTP's version 1): not ours. */
	if (hlen < 0 || !pskb_may_pull(skb, off + hlen))
		return NF_ACCEPT;
	dmvpn_gre_parse(skb->data + off, hlen, &gre);
	iph = ip_hdr(skb);
	d = dmvpn_dev_lookup_rcu(state->net, iph->daddr, gre.key_set, gre.key);
	if (!d) {
		dmvpn_count_key_mismatch(state->net, iph->daddr);
		return NF_ACCEPT;
	}
	/* As ip_tunnel_lookup() skips a tunnel that is down. */
	if (!dmvpn_carries(gre.proto) || !(READ_ONCE(d->dev->flags) & IFF_UP))
		return NF_ACCEPT;

	if (gre.csum) {
		/* As gre_parse_header(). The sum starts at the outer IP
		 * header, whose own checksum makes it add nothing; a
		 * CHECKSUM_PARTIAL packet (looped from a local sender) is
		 * not summed at all.
		 */
		if (skb_checksum_simple_validate(skb))
			goto malformed;
		skb_checksum_try_convert(skb, IPPROTO_GRE, null_compute_pseudo);
	}
	outer_tos = iph->tos;
	saddr = iph->saddr;
	/* What ip_local_deliver would have checked for the GRE protocol. It
	 * may pull, which moves the headers: iph is not read after it.
	 */
	if (!xfrm4_policy_check(NULL, XFRM_POLICY_IN, skb)) {
		dmvpn_count(d, DMVPN_CNT_RX_POLICY);
		goto drop;
	}
	/* Whatever the policies say (charon may be down, a hub has no
	 * inbound trap): a protected device takes only what IPsec
	 * delivered.
	 */
	if (dmvpn_protected(d) && !skb_sec_path(skb)) {
		dmvpn_count(d, DMVPN_CNT_RX_UNPROTECTED);
		goto drop;
	}
	if (time_before(jiffies, READ_ONCE(d->settle_until)))
		dmvpn_settle_heard(d, saddr, skb);

	/* An NHRP frame keeps the outer IP header as its link-layer header:
	 * parse() hands the sender's NBMA address to AF_PACKET readers from
	 * it. IP has none, as on transmit.
	 */
	skb_set_mac_header(skb, skb_network_offset(skb));
	/* Resets offload state, hash, queue mapping; scrubs the packet. */
	if (iptunnel_pull_header(skb, off + hlen, gre.proto, false))
		goto malformed;
	skb_reset_network_header(skb);
	skb_reset_transport_header(skb);
	if (gre.proto == htons(DMVPN_ETH_P_NHRP)) {
		skb->mac_len = skb_network_header(skb) - skb_mac_header(skb);
	} else {
		skb_reset_mac_header(skb);
		skb->mac_len = 0;
	}
	if (!dmvpn_inner_ok(skb, outer_tos))
		goto malformed;

	skb->dev = d->dev;
	if (gre.proto == htons(DMVPN_ETH_P_NHRP))
		dmvpn_count(d, DMVPN_CNT_RX_NHRP);
	dev_sw_netstats_rx_add(d->dev, skb->len);
	/* GRO merges a flow's segments in order, as after ip_gre: with
	 * hard_header_len 0 it matches them by their IP and TCP headers.
	 * It counts its own drops (a full cell) in rx_dropped.
	 */
	gro_cells_receive(&d->gro_cells, skb);
	return NF_STOLEN;

malformed:
	dmvpn_count(d, DMVPN_CNT_RX_MALFORMED);
	DEV_STATS_INC(d->dev, rx_errors);
drop:
	DEV_STATS_INC(d->dev, rx_dropped);
	kfree_skb(skb);
	return NF_STOLEN;
}

static const struct nf_hook_ops dmvpn_nf_ops = {
	.hook = dmvpn_rcv,
	.pf = NFPROTO_IPV4,
	.hooknum = NF_INET_LOCAL_IN,
	/* After the filter table, so "ip protocol gre" rules still apply. */
	.priority = NF_IP_PRI_FILTER + 1,
};

/* The hook exists only in namespaces that ever had a dmvpn device. */
int dmvpn_receive_enable(struct net *net)
{
	struct dmvpn_net *dn = dmvpn_pernet(net);
	int err;

	ASSERT_RTNL();
	if (dn->hook_registered)
		return 0;
	err = nf_register_net_hook(net, &dmvpn_nf_ops);
	if (!err)
		dn->hook_registered = true;
	return err;
}

void dmvpn_receive_disable(struct net *net)
{
	struct dmvpn_net *dn = dmvpn_pernet(net);

	if (dn->hook_registered) {
		nf_unregister_net_hook(net, &dmvpn_nf_ops);
		dn->hook_registered = false;
	}
}
