// SPDX-License-Identifier: GPL-2.0
/*
 * Packets that wait for an IPsec SA. On a protected device a packet for a
 * peer without an SA waits in that peer's own queue, bounded per peer and
 * per device, and is sent in order as soon as the SA is installed. The
 * xfrm core tells every key manager of each new SA and policy
 * (km_state_notify(), km_policy_notify()); dmvpn registers as one that
 * only listens, so a release is a notification, not a poll. The xfrm
 * core's own queue (XFRM_LOOKUP_QUEUE) is one per policy: behind the one
 * wildcard trap policy of a spoke, one peer's negotiation would hold
 * every other peer's packets.
 */
#include <linux/skbuff.h>
#include <net/xfrm.h>

#include "compat.h"
#include "dmvpn.h"

/* When a held packet was queued, in jiffies. Ours from ndo_start_xmit on:
 * the encapsulation writes its own control block only once it sends.
 */
struct dmvpn_hold_cb {
	unsigned long since;
};

static struct dmvpn_hold_cb *dmvpn_hold_cb(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct dmvpn_hold_cb) > sizeof(skb->cb));
	return (struct dmvpn_hold_cb *)skb->cb;
}

static unsigned long dmvpn_hold_time(const struct dmvpn_dev *d)
{
	return msecs_to_jiffies(READ_ONCE(d->p.hold_time));
}

void dmvpn_hold_init(struct dmvpn_hold *h)
{
	spin_lock_init(&h->lock);
	INIT_LIST_HEAD(&h->peers);
	h->total = 0;
	atomic64_set(&h->expired, 0);
}

/* @p leaves the table (caller holds the cache lock): what it holds is
 * dropped and counted, and nothing more is held for it.
 */
void dmvpn_hold_forget(struct dmvpn_hold *h, struct dmvpn_peer *p)
{
	unsigned int n;

	spin_lock_bh(&h->lock);
	p->hold_gone = true;
	list_del_init(&p->hold_node);
	n = skb_queue_len(&p->hold);
	WRITE_ONCE(h->total, h->total - n);
	__skb_queue_purge(&p->hold);
	WRITE_ONCE(p->hold_busy, false);
	spin_unlock_bh(&h->lock);
	atomic64_add(n, &h->expired);
}

/**
 * dmvpn_hold_skb() - hold a packet until @p has an SA
 * @d: the device
 * @p: the peer, reached under RCU
 * @skb: consumed: held, or dropped and counted at a limit
 */
void dmvpn_hold_skb(struct dmvpn_dev *d, struct dmvpn_peer *p,
		    struct sk_buff *skb)
{
	struct dmvpn_hold *h = &d->cache.peers.hold;

	/* Seconds in a queue must not pin the overlay route (and its
	 * device); the outer packet gets its own.
	 */
	skb_dst_drop(skb);
	dmvpn_hold_cb(skb)->since = jiffies;
	spin_lock_bh(&h->lock);
	if (p->hold_gone) {
		spin_unlock_bh(&h->lock);
		atomic64_inc(&h->expired);
		DEV_STATS_INC(d->dev, tx_dropped);
		kfree_skb(skb);
		return;
	}
	if (skb_queue_len(&p->hold) >= READ_ONCE(d->p.hold_peer) ||
	    h->total >= READ_ONCE(d->p.hold_device)) {
		spin_unlock_bh(&h->lock);
		dmvpn_tx_drop(d, skb, DMVPN_CNT_HOLD_FULL);
		return;
	}
	if (skb_queue_empty(&p->hold))
		WRITE_ONCE(p->hold_oldest, dmvpn_hold_cb(skb)->since);
	__skb_queue_tail(&p->hold, skb);
	WRITE_ONCE(h->total, h->total + 1);
	if (list_empty(&p->hold_node))
		list_add_tail(&p->hold_node, &h->peers);
	WRITE_ONCE(p->hold_busy, true);
	spin_unlock_bh(&h->lock);
	dmvpn_count(d, DMVPN_CNT_TX_HELD);
	/* Expiry; a new SA runs the work at once instead. */
	queue_delayed_work(system_wq, &d->hold_work, dmvpn_hold_time(d));
}

/* A new peer on a protected device asks for its SA at once, not with its
 * first packet: the work's route lookup sends charon the ACQUIRE (with a
 * trap policy), and marks the peer pending until the SA comes, so that
 * traffic with another way takes it meanwhile.
 */
void dmvpn_hold_peer_born(struct dmvpn_peers *peers, struct dmvpn_peer *p)
{
	struct dmvpn_dev *d = container_of(peers, struct dmvpn_dev,
					   cache.peers);
	struct dmvpn_hold *h = &peers->hold;

	if (!dmvpn_protected(d))
		return;
	spin_lock_bh(&h->lock);
	p->hold_probe = true;
	if (list_empty(&p->hold_node))
		list_add_tail(&p->hold_node, &h->peers);
	spin_unlock_bh(&h->lock);
	mod_delayed_work(system_wq, &d->hold_work, 0);
}

/* Moves @p's packets held @timeout or longer to @out. */
static void dmvpn_hold_expire(struct dmvpn_hold *h, struct dmvpn_peer *p,
			      unsigned long now, unsigned long timeout,
			      struct sk_buff_head *out)
{
	struct sk_buff *skb;

	while ((skb = skb_peek(&p->hold)) &&
	       time_after_eq(now, dmvpn_hold_cb(skb)->since + timeout)) {
		__skb_unlink(skb, &p->hold);
		__skb_queue_tail(out, skb);
		WRITE_ONCE(h->total, h->total - 1);
	}
	if (skb)
		WRITE_ONCE(p->hold_oldest, dmvpn_hold_cb(skb)->since);
}

/* Sends what @p holds while its SA lasts; called with h->lock held, which
 * it drops to send. Packets held meanwhile queue behind: order is kept.
 */
static void dmvpn_hold_release(struct dmvpn_dev *d, struct dmvpn_hold *h,
			       struct dmvpn_peer *p)
	__must_hold(&h->lock)
{
	struct sk_buff_head out;

	while (!skb_queue_empty(&p->hold)) {
		__skb_queue_head_init(&out);
		skb_queue_splice_init(&p->hold, &out);
		WRITE_ONCE(h->total, h->total - skb_queue_len(&out));
		spin_unlock_bh(&h->lock);
		dmvpn_xmit_released(d, &out, p->nbma.ip4);
		spin_lock_bh(&h->lock);
	}
	WRITE_ONCE(p->hold_busy, false);
}

/* Expires what waited too long and releases the peers that have an SA
 * now; runs when an SA is installed and when the oldest packet expires.
 */
void dmvpn_hold_work(struct work_struct *work)
{
	struct dmvpn_dev *d = container_of(to_delayed_work(work),
					   struct dmvpn_dev, hold_work);
	struct dmvpn_hold *h = &d->cache.peers.hold;
	unsigned long timeout = dmvpn_hold_time(d);
	unsigned long now = jiffies, next = 0, due;
	struct sk_buff_head expired;
	struct dmvpn_peer *p;
	LIST_HEAD(todo);
	unsigned int n;
	bool up, probe;

	__skb_queue_head_init(&expired);
	/* A peer that leaves the table meanwhile is freed after a grace
	 * period: its memory stays valid here.
	 */
	rcu_read_lock();
	spin_lock_bh(&h->lock);
	list_splice_init(&h->peers, &todo);
	while (!list_empty(&todo)) {
		p = list_first_entry(&todo, struct dmvpn_peer, hold_node);
		list_del_init(&p->hold_node);
		probe = p->hold_probe;
		p->hold_probe = false;
		dmvpn_hold_expire(h, p, now, timeout, &expired);
		if (skb_queue_empty(&p->hold)) {
			WRITE_ONCE(p->hold_busy, false);
			if (probe && !p->hold_gone) {
				spin_unlock_bh(&h->lock);
				dmvpn_peer_probe(d, p);
				spin_lock_bh(&h->lock);
			}
			continue;
		}
		spin_unlock_bh(&h->lock);
		up = dmvpn_peer_sa_up(d, p);
		spin_lock_bh(&h->lock);
		if (up) {
			dmvpn_hold_release(d, h, p);
			continue;
		}
		if (skb_queue_empty(&p->hold))
			continue;
		/* A packet held meanwhile may have listed it again. */
		if (list_empty(&p->hold_node))
			list_add_tail(&p->hold_node, &h->peers);
		due = dmvpn_hold_cb(skb_peek(&p->hold))->since + timeout;
		if (!next || time_before(due, next))
			next = due;
	}
	spin_unlock_bh(&h->lock);
	rcu_read_unlock();

	n = skb_queue_len(&expired);
	if (n) {
		atomic64_add(n, &h->expired);
		DEV_STATS_ADD(d->dev, tx_dropped, n);
		__skb_queue_purge(&expired);
	}
	if (next)
		queue_delayed_work(system_wq, &d->hold_work,
				   time_after(next, now) ? next - now : 0);
}

/* Something to @p (NULL: to anyone) may have become protected on @d: the
 * peers it leads to try their direct path with their next packet, and
 * what they hold is released if it is. Under RCU.
 */
static void dmvpn_hold_kick(struct dmvpn_dev *d, struct dmvpn_peer *p)
{
	if (!p) {
		atomic_inc(&d->policy_gen);
		if (READ_ONCE(d->cache.peers.hold.total))
			mod_delayed_work(system_wq, &d->hold_work, 0);
		return;
	}
	WRITE_ONCE(p->probe_at, jiffies);
	if (READ_ONCE(p->hold_busy))
		mod_delayed_work(system_wq, &d->hold_work, 0);
}

/* What a new SA (@spi from @in to @out) or policy (@spi 0, to @out: NULL
 * for anyone) in @net means to its protected devices: its peer may have
 * become protected, and a new SA settles. Whether one of them has a peer
 * at @out. Atomic context.
 */
static bool dmvpn_km_event(struct net *net, const struct dmvpn_addr *out,
			   __be32 in, __be32 spi)
{
	struct dmvpn_net *dn = dmvpn_pernet(net);
	struct dmvpn_peer *p;
	struct dmvpn_dev *d;
	bool found = false;

	rcu_read_lock();
	list_for_each_entry_rcu(d, &dn->devs, list) {
		if (!dmvpn_protected(d))
			continue;
		p = out ? dmvpn_peer_find(&d->cache.peers, out) : NULL;
		if (p || !out)
			dmvpn_hold_kick(d, p);
		found = found || p;
		if (spi)
			dmvpn_settle_new_sa(d, p, in, spi);
	}
	rcu_read_unlock();
	return found;
}

/* An SA to a peer came: no larval state of an ACQUIRE for it may stay.
 * xfrm_state_find() sends the ACQUIRE before it takes the state lock to
 * insert its larval state, so lookups that race (the peer's first packet
 * and the probe of dmvpn_hold_peer_born()) make one each; the key manager
 * answers one, and xfrm_state_add() removes one only. A larval state left
 * outlives the SA and, once the SA goes, keeps every lookup from asking
 * for a new one until xfrm_acq_expires (charon: 165 s).
 */
static void dmvpn_drop_larval(struct net *net, const struct dmvpn_acq_key *k)
{
	struct xfrm_state *acq;

	while ((acq = dmvpn_compat_find_acq(net, k))) {
		xfrm_state_delete(acq);
		xfrm_state_put(acq);
	}
}

/* A new or updated SA. Its outbound policy may come after it (charon
 * installs a CHILD_SA's states first), hence the policy events too.
 */
static int dmvpn_km_notify(struct xfrm_state *x, const struct km_event *c)
{
	struct dmvpn_addr nbma = { .family = AF_INET };

	/* x is NULL for a flush. */
	if (!x || (c->event != XFRM_MSG_NEWSA && c->event != XFRM_MSG_UPDSA) ||
	    x->props.family != AF_INET)
		return 0;
	/* Outbound, the peer is the destination; inbound, the source (the
	 * other lookup finds no peer: our own address is none).
	 */
	nbma.ip4 = x->id.daddr.a4;
	if (dmvpn_km_event(xs_net(x), &nbma, x->props.saddr.a4, x->id.spi) &&
	    x->km.state == XFRM_STATE_VALID) {
		struct dmvpn_acq_key k = {
			.mark = x->mark,
			.reqid = x->props.reqid,
			.if_id = x->if_id,
			.mode = x->props.mode,
			.proto = x->id.proto,
			.daddr = x->id.daddr,
			.saddr = x->props.saddr,
		};

		dmvpn_drop_larval(xs_net(x), &k);
	}
	return 0;
}

/* A new outbound policy: for one peer if its selector is a host, else
 * (a wildcard trap) for every peer.
 *
 * A larval state for that peer under the policy's template predates the
 * policy: its ACQUIRE went to whoever held the policy then, a charon
 * that has since restarted (it removes its SAs before its policies, and
 * packets in between make one), and that will not answer it. Left, it
 * keeps every lookup from asking the new charon until it expires;
 * removed, the next lookup asks.
 */
static int dmvpn_km_notify_policy(struct xfrm_policy *xp, int dir,
				  const struct km_event *c)
{
	struct dmvpn_addr nbma = { .family = AF_INET };
	bool host;

	if (!xp || dir != XFRM_POLICY_OUT ||
	    (c->event != XFRM_MSG_NEWPOLICY && c->event != XFRM_MSG_UPDPOLICY) ||
	    xp->family != AF_INET)
		return 0;
	nbma.ip4 = xp->selector.daddr.a4;
	host = xp->selector.prefixlen_d == 32;
	if (dmvpn_km_event(xp_net(xp), host ? &nbma : NULL, 0, 0) &&
	    xp->xfrm_nr == 1) {
		struct dmvpn_acq_key k = {
			.mark = xp->mark,
			.reqid = xp->xfrm_vec[0].reqid,
			.if_id = xp->if_id,
			.mode = xp->xfrm_vec[0].mode,
			.proto = xp->xfrm_vec[0].id.proto,
			.daddr = xp->selector.daddr,
			.saddr = xp->selector.saddr,
		};

		dmvpn_drop_larval(xp_net(xp), &k);
	}
	return 0;
}

/* The key manager interface calls these unconditionally: we answer no
 * ACQUIRE and compile no socket policy, charon's xfrm_user does.
 */
static int dmvpn_km_acquire(struct xfrm_state *x, struct xfrm_tmpl *t,
			    struct xfrm_policy *xp)
{
	return -EOPNOTSUPP;
}

static struct xfrm_policy *dmvpn_km_compile_policy(struct sock *sk, int opt,
						   u8 *data, int len, int *dir)
{
	*dir = -EOPNOTSUPP;
	return NULL;
}

static struct xfrm_mgr dmvpn_km = {
	.notify = dmvpn_km_notify,
	.notify_policy = dmvpn_km_notify_policy,
	.acquire = dmvpn_km_acquire,
	.compile_policy = dmvpn_km_compile_policy,
};

void dmvpn_hold_km_register(void)
{
	xfrm_register_km(&dmvpn_km);
}

void dmvpn_hold_km_unregister(void)
{
	xfrm_unregister_km(&dmvpn_km);
}
