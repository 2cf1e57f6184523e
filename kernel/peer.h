/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A peer is one NBMA (underlay) address of a dmvpn device and what belongs
 * to the path there, whichever overlay addresses lead to it: the route
 * cache, the traffic counters, the IPsec state and the packets that wait
 * for an SA. Host,
 * shortcut and multicast entries point to their peer, as WireGuard's
 * allowedips point to its peers; entries that cannot transmit (incomplete,
 * negative) have none. A peer goes with the last entry pointing to it.
 */
#ifndef _DMVPN_PEER_H
#define _DMVPN_PEER_H

#include <linux/gfp.h>
#include <linux/rhashtable-types.h>
#include <linux/skbuff.h>
#include <linux/u64_stats_sync.h>
#include <net/dst_cache.h>

#include "addr.h"
#include "hold.h"

/* What a cache allocates for whoever configures it: charged to their memory
 * cgroup, and failing at its limit rather than calling the OOM killer.
 */
#define DMVPN_GFP (GFP_KERNEL_ACCOUNT | __GFP_NORETRY | __GFP_NOWARN)

/* Per CPU, so that senders to one peer share no written cache line. */
struct dmvpn_peer_stats {
	u64_stats_t packets;	/* unicast, including NHS fallback */
	u64_stats_t bytes;
	u64_stats_t mcast;	/* multicast and broadcast copies */
	struct u64_stats_sync syncp;
};

struct dmvpn_peer {
	struct rhash_head node;
	struct dmvpn_addr nbma;	/* the key: build it with dmvpn_addr_key() */
	unsigned int refs;	/* entries pointing here; under the cache lock */
	struct dmvpn_peer_stats __percpu *stats;
	struct dst_cache dst_cache;
	/* IPsec, on a protected device: what the last packet found
	 * (enum dmvpn_sa_state) and, while there is no SA, when traffic
	 * that has another way (an NHS) next tries the direct one, unless
	 * a policy for anyone came since (probe_gen, dmvpn_dev.policy_gen).
	 */
	u8 sa;
	unsigned int probe_gen;
	unsigned long probe_at;		/* jiffies */
	unsigned long probe_backoff;	/* jiffies */
	/* A new SA settles (settle.c): until settle_until, unless the peer
	 * is heard first on settle_spi, its newest inbound SA, or dmvpnd
	 * says this node initiated settle_out_spi, its newest outbound one.
	 */
	unsigned long up_since;		/* jiffies the SA came */
	unsigned long settle_until;	/* jiffies */
	__be32 settle_spi;
	__be32 settle_out_spi;
	/* Packets waiting for the SA; under dmvpn_hold.lock. */
	struct sk_buff_head hold;
	struct list_head hold_node;	/* on dmvpn_hold.peers */
	unsigned long hold_oldest;	/* jiffies the first was held */
	bool hold_busy;	/* held or being released: new packets queue */
	bool hold_gone;	/* out of the table: hold nothing more */
	bool hold_probe; /* new: the work asks for its SA */
	struct rcu_head rcu;
};

struct dmvpn_peers {
	struct rhashtable ht;
	unsigned int count;
	struct dmvpn_hold hold;
	/* Told when a peer joins or leaves the table; may be NULL. Atomic
	 * context, the cache lock held.
	 */
	void (*born)(struct dmvpn_peers *peers, struct dmvpn_peer *p);
	void (*gone)(struct dmvpn_peers *peers, const struct dmvpn_peer *p);
};

struct dmvpn_peer_totals {
	u64 packets;
	u64 bytes;
	u64 mcast;
};

int dmvpn_peers_init(struct dmvpn_peers *peers);
void dmvpn_peers_destroy(struct dmvpn_peers *peers);

struct dmvpn_peer *dmvpn_peer_alloc(void);
void dmvpn_peer_free(struct dmvpn_peer *p);
struct dmvpn_peer *dmvpn_peer_find(struct dmvpn_peers *peers,
				   const struct dmvpn_addr *nbma);
struct dmvpn_peer *dmvpn_peer_get(struct dmvpn_peers *peers,
				  const struct dmvpn_addr *nbma,
				  struct dmvpn_peer **spare);
void dmvpn_peer_put(struct dmvpn_peers *peers, struct dmvpn_peer *p);
void dmvpn_peer_totals(const struct dmvpn_peer *p,
		       struct dmvpn_peer_totals *t);

static inline void dmvpn_peer_account(struct dmvpn_peer *p, unsigned int len,
				      bool mcast)
{
	struct dmvpn_peer_stats *s = this_cpu_ptr(p->stats);

	u64_stats_update_begin(&s->syncp);
	if (mcast) {
		u64_stats_inc(&s->mcast);
	} else {
		u64_stats_inc(&s->packets);
		u64_stats_add(&s->bytes, len);
	}
	u64_stats_update_end(&s->syncp);
}

/* Whether traffic to @p that has another way takes it while @p's new SA
 * settles (settle.c).
 */
static inline bool dmvpn_settling(const struct dmvpn_peer *p,
				  unsigned long now)
{
	return time_before(now, READ_ONCE(p->settle_until));
}

#endif /* _DMVPN_PEER_H */
