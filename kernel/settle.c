// SPDX-License-Identifier: GPL-2.0
/*
 * A new SA settles before traffic that has another way (an NHS) takes it.
 * An IKE responder installs both halves of a CHILD_SA when it answers
 * IKE_AUTH, and the xfrm core sends on the newest SA at once; the
 * initiator installs its inbound half only when it has read that answer.
 * ESP sent meanwhile reaches an SPI the initiator allocated but has not
 * installed, and is dropped there (XfrmAcquireError). Nothing in the SA
 * says which end a node was, and when both spokes initiate at once each
 * is responder of one CHILD_SA. So a peer whose SA just came keeps its
 * traffic on the NHS until the peer is heard on the node's newest inbound
 * SA from it (which was installed with the newest outbound one: the peer
 * has that CHILD_SA), or dmvpnd says this node initiated the newest
 * outbound one (the peer installed it first), or DMVPN_SETTLE has passed.
 */
#include <linux/skbuff.h>
#include <net/xfrm.h>

#include "dmvpn.h"

void dmvpn_settle_start(struct dmvpn_dev *d, struct dmvpn_peer *p,
			unsigned long now)
{
	unsigned long until = now + DMVPN_SETTLE;

	WRITE_ONCE(p->settle_until, until);
	/* Racing writers may leave an earlier time: then a peer heard
	 * after it settles by its own time only.
	 */
	if (time_after(until, READ_ONCE(d->settle_until)))
		WRITE_ONCE(d->settle_until, until);
}

/* An SA @spi from @src to peer @dst (NULL: not a peer) was installed:
 * the newest to its peer (whichever of the two addresses is not ours). Inbound, soon after the
 * first one it is a second CHILD_SA (both ends initiated), which the peer
 * may not have yet either; later ones are rekeys, whose responder
 * installs its outbound half only once the initiator has both. Under RCU.
 */
void dmvpn_settle_new_sa(struct dmvpn_dev *d, struct dmvpn_peer *dst,
			 __be32 src, __be32 spi)
{
	struct dmvpn_addr a = { .family = AF_INET, .ip4 = src };
	unsigned long now = jiffies;
	struct dmvpn_peer *p;

	if (dst) {
		WRITE_ONCE(dst->settle_out_spi, spi);
		/* The xfrm core sends on it at once. Its inbound half settled
		 * nothing if it came while the peer had no SA up, and an older
		 * SA's settling may have ended since.
		 */
		if (READ_ONCE(dst->sa) == DMVPN_SA_UP &&
		    time_before(now, READ_ONCE(dst->up_since) +
				     DMVPN_SETTLE_WINDOW))
			dmvpn_settle_start(d, dst, now);
	}
	p = dmvpn_peer_find(&d->cache.peers, &a);
	if (!p)
		return;
	WRITE_ONCE(p->settle_spi, spi);
	if (READ_ONCE(p->sa) == DMVPN_SA_UP &&
	    time_before(now, READ_ONCE(p->up_since) + DMVPN_SETTLE_WINDOW))
		dmvpn_settle_start(d, p, now);
}

/* dmvpnd says this node initiated the SA whose outbound SPI is @spi to
 * @nbma (charon's child-updown says so): the peer installed it before
 * this node did. If it is the newest to that peer, traffic may take it.
 */
void dmvpn_settle_initiated(struct net *net, __be32 nbma, __be32 spi)
{
	struct dmvpn_addr a = { .family = AF_INET, .ip4 = nbma };
	struct dmvpn_net *dn = dmvpn_pernet(net);
	struct dmvpn_peer *p;
	struct dmvpn_dev *d;

	rcu_read_lock();
	list_for_each_entry_rcu(d, &dn->devs, list) {
		if (!dmvpn_protected(d))
			continue;
		p = dmvpn_peer_find(&d->cache.peers, &a);
		if (p && READ_ONCE(p->settle_out_spi) == spi)
			WRITE_ONCE(p->settle_until, jiffies);
	}
	rcu_read_unlock();
}

/* @skb came from @nbma through IPsec: if that was over the newest inbound
 * SA from a settling peer, the peer has the SA its traffic would take.
 * Under RCU.
 */
void dmvpn_settle_heard(struct dmvpn_dev *d, __be32 nbma,
			const struct sk_buff *skb)
{
	struct dmvpn_addr a = { .family = AF_INET, .ip4 = nbma };
	struct sec_path *sp = skb_sec_path(skb);
	unsigned long now = jiffies;
	struct dmvpn_peer *p;

	if (!sp || !sp->len)
		return;
	p = dmvpn_peer_find(&d->cache.peers, &a);
	if (p && dmvpn_settling(p, now) &&
	    sp->xvec[sp->len - 1]->id.spi == READ_ONCE(p->settle_spi))
		WRITE_ONCE(p->settle_until, now);
}
