// SPDX-License-Identifier: GPL-2.0
/*
 * The peer table of one cache: NBMA address -> peer. Writers hold the
 * cache lock (so references are plain counts); the transmit path reaches
 * peers only through entries, under RCU.
 */
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <kunit/visibility.h>

#include "peer.h"

static const struct rhashtable_params dmvpn_peer_params = {
	.key_len = sizeof(struct dmvpn_addr),
	.key_offset = offsetof(struct dmvpn_peer, nbma),
	.head_offset = offsetof(struct dmvpn_peer, node),
	.automatic_shrinking = true,
};

/* May sleep. Everything is charged to the caller's memory cgroup: peers
 * are created on behalf of whoever configures the device.
 */
struct dmvpn_peer *dmvpn_peer_alloc(void)
{
	struct dmvpn_peer *p = kzalloc(sizeof(*p), DMVPN_GFP);
	int cpu;

	if (!p)
		return NULL;
	p->stats = alloc_percpu_gfp(struct dmvpn_peer_stats, DMVPN_GFP);
	if (!p->stats)
		goto err;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(p->stats, cpu)->syncp);
	if (dst_cache_init(&p->dst_cache, DMVPN_GFP))
		goto err;
	__skb_queue_head_init(&p->hold);
	INIT_LIST_HEAD(&p->hold_node);
	return p;
err:
	free_percpu(p->stats);
	kfree(p);
	return NULL;
}

void dmvpn_peer_free(struct dmvpn_peer *p)
{
	if (!p)
		return;
	dst_cache_destroy(&p->dst_cache);
	free_percpu(p->stats);
	kfree(p);
}

static void dmvpn_peer_free_rcu(struct rcu_head *head)
{
	dmvpn_peer_free(container_of(head, struct dmvpn_peer, rcu));
}

struct dmvpn_peer *dmvpn_peer_find(struct dmvpn_peers *peers,
				   const struct dmvpn_addr *nbma)
{
	struct dmvpn_addr key;

	dmvpn_addr_key(&key, nbma);
	return rhashtable_lookup_fast(&peers->ht, &key, dmvpn_peer_params);
}
EXPORT_SYMBOL_IF_KUNIT(dmvpn_peer_find);

/**
 * dmvpn_peer_get() - a reference to the peer of an NBMA address
 * @peers: the table; the caller holds the cache lock
 * @nbma: the address
 * @spare: a dmvpn_peer_alloc()ed peer to use if there is none yet; taken
 *	(set to NULL) when used
 *
 * Return: the peer, ERR_PTR(-EAGAIN) if one is needed and *@spare is NULL,
 * or another ERR_PTR if the table cannot grow.
 */
struct dmvpn_peer *dmvpn_peer_get(struct dmvpn_peers *peers,
				  const struct dmvpn_addr *nbma,
				  struct dmvpn_peer **spare)
{
	struct dmvpn_peer *p = dmvpn_peer_find(peers, nbma);
	int err;

	if (p) {
		p->refs++;
		return p;
	}
	p = *spare;
	if (!p)
		return ERR_PTR(-EAGAIN);
	dmvpn_addr_key(&p->nbma, nbma);
	err = rhashtable_insert_fast(&peers->ht, &p->node, dmvpn_peer_params);
	if (err)
		return ERR_PTR(err);
	*spare = NULL;
	p->refs = 1;
	peers->count++;
	if (peers->born)
		peers->born(peers, p);
	return p;
}

/* Readers that found @p through an entry unlinked before this call are
 * waited for: the peer goes after a grace period.
 */
void dmvpn_peer_put(struct dmvpn_peers *peers, struct dmvpn_peer *p)
{
	if (--p->refs)
		return;
	dmvpn_hold_forget(&peers->hold, p);
	if (peers->gone)
		peers->gone(peers, p);
	rhashtable_remove_fast(&peers->ht, &p->node, dmvpn_peer_params);
	peers->count--;
	call_rcu(&p->rcu, dmvpn_peer_free_rcu);
}

void dmvpn_peer_totals(const struct dmvpn_peer *p, struct dmvpn_peer_totals *t)
{
	int cpu;

	memset(t, 0, sizeof(*t));
	for_each_possible_cpu(cpu) {
		const struct dmvpn_peer_stats *s = per_cpu_ptr(p->stats, cpu);
		u64 packets, bytes, mcast;
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			packets = u64_stats_read(&s->packets);
			bytes = u64_stats_read(&s->bytes);
			mcast = u64_stats_read(&s->mcast);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		t->packets += packets;
		t->bytes += bytes;
		t->mcast += mcast;
	}
}
EXPORT_SYMBOL_IF_KUNIT(dmvpn_peer_totals);

int dmvpn_peers_init(struct dmvpn_peers *peers)
{
	peers->count = 0;
	peers->gone = NULL;
	dmvpn_hold_init(&peers->hold);
	return rhashtable_init(&peers->ht, &dmvpn_peer_params);
}

/* Called once the entries are gone: the table is empty. */
void dmvpn_peers_destroy(struct dmvpn_peers *peers)
{
	WARN_ON_ONCE(peers->count);
	rhashtable_destroy(&peers->ht);
}
