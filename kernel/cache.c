// SPDX-License-Identifier: GPL-2.0
/*
 * NHRP cache: one rhashtable per device for host entries, shortcut prefixes
 * and the multicast map. The transmit path looks up under RCU without
 * taking any lock; netlink and the expiry work take cache->lock (BH-safe,
 * because events are built under it and may be sent from softirq).
 */
#include <linux/inetdevice.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <net/ipv6.h>
#include <net/netlink.h>
#include <net/route.h>
#include <kunit/visibility.h>

#include "cache.h"

static const struct rhashtable_params dmvpn_ht_params = {
	.key_len = sizeof(struct dmvpn_key),
	.key_offset = offsetof(struct dmvpn_entry, key),
	.head_offset = offsetof(struct dmvpn_entry, node),
	.automatic_shrinking = true,
};

void dmvpn_key_init(struct dmvpn_key *key, enum dmvpn_table table,
		    const struct dmvpn_addr *addr, u8 plen)
{
	memset(key, 0, sizeof(*key));
	key->table = table;
	key->family = addr->family;
	key->plen = plen;
	if (addr->family == AF_INET6)
		ipv6_addr_prefix(&key->ip6, &addr->ip6, plen);
	else
		key->ip4 = addr->ip4 & inet_make_mask(plen);
}
EXPORT_SYMBOL_IF_KUNIT(dmvpn_key_init);

static struct dmvpn_entry *dmvpn_entry_alloc(void)
{
	struct dmvpn_entry *e = kzalloc(sizeof(*e), GFP_KERNEL);

	if (!e)
		return NULL;
	if (dst_cache_init(&e->dst_cache, GFP_KERNEL)) {
		kfree(e);
		return NULL;
	}
	e->created = jiffies;
	INIT_LIST_HEAD(&e->nhs_list);
	atomic64_set(&e->packets, 0);
	atomic64_set(&e->bytes, 0);
	return e;
}

static void dmvpn_entry_free(struct dmvpn_entry *e)
{
	dst_cache_destroy(&e->dst_cache);
	kfree(e);
}

static void dmvpn_entry_free_rcu(struct rcu_head *head)
{
	dmvpn_entry_free(container_of(head, struct dmvpn_entry, rcu));
}

static unsigned long dmvpn_expiry(u32 holdtime)
{
	unsigned long exp;

	if (!holdtime)
		return 0;
	exp = jiffies + (unsigned long)holdtime * HZ;
	return exp ? exp : 1;	/* 0 means "never" */
}

static void dmvpn_cache_changed(struct dmvpn_cache *cache,
				enum dmvpn_event event,
				const struct dmvpn_entry *e)
{
	lockdep_assert_held(&cache->lock);
	if (cache->gen)
		atomic_inc(cache->gen);
	if (cache->notify)
		cache->notify(cache, event, e, GFP_ATOMIC);
}

/* Called with cache->lock held: keep the expiry work due at the earliest. */
static void dmvpn_cache_arm(struct dmvpn_cache *cache, unsigned long expires)
{
	unsigned long delay;

	if (!expires || cache->dead)
		return;
	if (cache->next_expiry && time_before_eq(cache->next_expiry, expires))
		return;
	cache->next_expiry = expires;
	/* Lookups check expiry themselves; the work only reclaims, so
	 * one-second granularity bounds how often it walks the list.
	 */
	delay = time_after(expires, jiffies) ? expires - jiffies : 0;
	mod_delayed_work(system_power_efficient_wq, &cache->gc_work,
			 max_t(unsigned long, delay, HZ));
}

static void dmvpn_plen_ref(struct dmvpn_cache *cache,
			   const struct dmvpn_key *key, bool get)
{
	int fi = key->family == AF_INET6;

	if (get) {
		if (cache->plen_refs[fi][key->plen]++ == 0)
			set_bit(key->plen, cache->plens[fi]);
	} else if (--cache->plen_refs[fi][key->plen] == 0) {
		clear_bit(key->plen, cache->plens[fi]);
	}
}

static bool dmvpn_entry_usable(const struct dmvpn_entry *e, unsigned long now)
{
	u8 type = READ_ONCE(e->type);

	return e->nbma.family && type != DMVPN_ENTRY_INCOMPLETE &&
	       type != DMVPN_ENTRY_NEGATIVE && !dmvpn_entry_expired(e, now);
}

/* Called with cache->lock held after any change to the NHS entries: the
 * transmit path then reads the choice with one pointer load. An entry
 * that expires stays chosen until the reclaim work unlinks it; readers
 * check usability themselves.
 */
static void dmvpn_nhs_pick(struct dmvpn_cache *cache)
{
	unsigned long now = jiffies;
	struct dmvpn_entry *e, *first = NULL;

	list_for_each_entry(e, &cache->nhs, nhs_list) {
		if (dmvpn_entry_usable(e, now)) {
			first = e;
			break;
		}
	}
	rcu_assign_pointer(cache->nhs_first, first);
}

/* Keeps @e on cache->nhs exactly while it is a host entry flagged NHS. */
static void dmvpn_nhs_track(struct dmvpn_cache *cache, struct dmvpn_entry *e)
{
	bool nhs = e->key.table == DMVPN_TABLE_HOST &&
		   (READ_ONCE(e->flags) & DMVPN_F_NHS);

	if (nhs && list_empty(&e->nhs_list))
		list_add_tail(&e->nhs_list, &cache->nhs);
	else if (!nhs && !list_empty(&e->nhs_list))
		list_del_init(&e->nhs_list);
	dmvpn_nhs_pick(cache);
}

static void dmvpn_entry_unlink(struct dmvpn_cache *cache,
			       struct dmvpn_entry *e, enum dmvpn_event event)
{
	rhashtable_remove_fast(&cache->ht, &e->node, dmvpn_ht_params);
	list_del_rcu(&e->list);
	if (!list_empty(&e->nhs_list)) {
		list_del_init(&e->nhs_list);
		dmvpn_nhs_pick(cache);
	}
	if (e->key.table == DMVPN_TABLE_MCAST) {
		cache->mcast_count--;
	} else {
		cache->count--;
		if (e->key.table == DMVPN_TABLE_SHORTCUT)
			dmvpn_plen_ref(cache, &e->key, false);
	}
	dmvpn_cache_changed(cache, event, e);
	call_rcu(&e->rcu, dmvpn_entry_free_rcu);
}

static struct dmvpn_entry *dmvpn_cache_find_key(struct dmvpn_cache *cache,
						const struct dmvpn_key *key)
{
	return rhashtable_lookup_fast(&cache->ht, key, dmvpn_ht_params);
}

/**
 * dmvpn_cache_find() - exact lookup
 * @cache: the cache
 * @table: which of the three tables
 * @addr: protocol address (NBMA address for the multicast map)
 * @plen: prefix length; host entries use the full length
 *
 * The caller holds rcu_read_lock() or cache->lock for as long as it uses
 * the returned entry.
 */
struct dmvpn_entry *dmvpn_cache_find(struct dmvpn_cache *cache,
				     enum dmvpn_table table,
				     const struct dmvpn_addr *addr, u8 plen)
{
	struct dmvpn_key key;

	dmvpn_key_init(&key, table, addr, plen);
	return dmvpn_cache_find_key(cache, &key);
}
EXPORT_SYMBOL_IF_KUNIT(dmvpn_cache_find);

/**
 * dmvpn_cache_nhs() - where traffic without an entry of its own goes
 * @cache: the cache
 * @now: jiffies
 *
 * Return: the first usable host entry flagged DMVPN_F_NHS, or NULL. Caller
 * holds rcu_read_lock().
 */
struct dmvpn_entry *dmvpn_cache_nhs(struct dmvpn_cache *cache,
				    unsigned long now)
{
	struct dmvpn_entry *e = rcu_dereference(cache->nhs_first);

	return e && dmvpn_entry_usable(e, now) ? e : NULL;
}
EXPORT_SYMBOL_IF_KUNIT(dmvpn_cache_nhs);

/**
 * dmvpn_cache_route() - the transmit-path lookup
 * @cache: the cache
 * @dst: inner destination, matched against shortcut prefixes first
 * @nexthop: route nexthop, matched exactly against host entries
 * @now: jiffies
 * @how: set to how the answer was found
 *
 * Without a usable shortcut or host entry the packet goes to a next-hop
 * server (dmvpn_cache_nhs()); *@how tells the caller whether the nexthop
 * is unknown (DMVPN_ROUTE_MISS: ask for a resolution) or already being
 * resolved (DMVPN_ROUTE_PENDING).
 *
 * Return: an entry with a usable NBMA address, or NULL. Caller holds
 * rcu_read_lock().
 */
struct dmvpn_entry *dmvpn_cache_route(struct dmvpn_cache *cache,
				      const struct dmvpn_addr *dst,
				      const struct dmvpn_addr *nexthop,
				      unsigned long now,
				      enum dmvpn_route_how *how)
{
	const unsigned long *plens = cache->plens[dst->family == AF_INET6];
	unsigned int size = dmvpn_family_bits(dst->family) + 1;
	struct dmvpn_entry *e;
	unsigned int plen;

	*how = DMVPN_ROUTE_ENTRY;
	/* Longest prefix first: one exact probe per prefix length in use. */
	while ((plen = find_last_bit(plens, size)) < size) {
		e = dmvpn_cache_find(cache, DMVPN_TABLE_SHORTCUT, dst, plen);
		if (e && dmvpn_entry_usable(e, now))
			return e;
		size = plen;
	}
	e = dmvpn_cache_find(cache, DMVPN_TABLE_HOST, nexthop,
			     dmvpn_family_bits(nexthop->family));
	if (e && dmvpn_entry_usable(e, now))
		return e;
	/* Only incomplete and negative entries are unusable yet alive. */
	*how = e && !dmvpn_entry_expired(e, now) ? DMVPN_ROUTE_PENDING :
						   DMVPN_ROUTE_MISS;
	return dmvpn_cache_nhs(cache, now);
}
EXPORT_SYMBOL_IF_KUNIT(dmvpn_cache_route);

static void dmvpn_entry_fill(struct dmvpn_entry *e,
			     const struct dmvpn_entry_spec *spec)
{
	enum dmvpn_table table = spec->type == DMVPN_ENTRY_SHORTCUT ?
				 DMVPN_TABLE_SHORTCUT : DMVPN_TABLE_HOST;

	dmvpn_key_init(&e->key, table, &spec->proto, spec->plen);
	e->nbma = spec->nbma;
	e->type = spec->type;
	e->flags = spec->flags;
	e->expires = dmvpn_expiry(spec->holdtime);
}

/**
 * dmvpn_cache_add() - add or replace an entry
 * @cache: the cache
 * @spec: validated entry
 * @replace: update an existing entry instead of failing with -EEXIST
 * @extack: error report
 *
 * A refresh that keeps the NBMA address updates the entry in place, so its
 * counters and cached route survive; a new NBMA address swaps in a fresh
 * entry because a cached route may not be reset under readers.
 *
 * Return: 0 or a negative errno with @extack set.
 */
int dmvpn_cache_add(struct dmvpn_cache *cache,
		    const struct dmvpn_entry_spec *spec, bool replace,
		    struct netlink_ext_ack *extack)
{
	struct dmvpn_entry *new, *old;
	int err = 0;

	new = dmvpn_entry_alloc();
	if (!new)
		return -ENOMEM;
	dmvpn_entry_fill(new, spec);

	spin_lock_bh(&cache->lock);
	if (cache->dead) {
		err = -ENODEV;
		goto out_free;
	}
	old = dmvpn_cache_find_key(cache, &new->key);
	/* An expired entry the reclaim work has not reached yet is gone. */
	if (old && !replace && !dmvpn_entry_expired(old, jiffies)) {
		NL_SET_ERR_MSG(extack, "dmvpn: entry exists (use replace)");
		err = -EEXIST;
		goto out_free;
	}
	if (old && dmvpn_addr_equal(&old->nbma, &new->nbma)) {
		WRITE_ONCE(old->type, new->type);
		WRITE_ONCE(old->flags, new->flags);
		WRITE_ONCE(old->expires, new->expires);
		dmvpn_nhs_track(cache, old);
		dmvpn_cache_arm(cache, new->expires);
		dmvpn_cache_changed(cache, DMVPN_EVENT_ENTRY_ADDED, old);
		goto out_free;
	}
	if (old) {
		new->created = old->created;
		new->used = READ_ONCE(old->used);
		atomic64_set(&new->packets, atomic64_read(&old->packets));
		atomic64_set(&new->bytes, atomic64_read(&old->bytes));
		err = rhashtable_replace_fast(&cache->ht, &old->node,
					      &new->node, dmvpn_ht_params);
		if (err)
			goto out_free;
		list_replace_rcu(&old->list, &new->list);
		/* Keeps its rank among the servers. */
		if (!list_empty(&old->nhs_list))
			list_replace_init(&old->nhs_list, &new->nhs_list);
	} else {
		if (cache->count >= cache->max_entries) {
			NL_SET_ERR_MSG(extack,
				       "dmvpn: NHRP cache is full (see max-entries)");
			err = -ENOSPC;
			goto out_free;
		}
		err = rhashtable_insert_fast(&cache->ht, &new->node,
					     dmvpn_ht_params);
		if (err)
			goto out_free;
		list_add_tail_rcu(&new->list, &cache->entries);
		cache->count++;
		if (new->key.table == DMVPN_TABLE_SHORTCUT)
			dmvpn_plen_ref(cache, &new->key, true);
	}
	dmvpn_nhs_track(cache, new);
	/* Only once nhs_first cannot name it any more:
	 * a reader that loads it after call_rcu() would not be waited for.
	 */
	if (old)
		call_rcu(&old->rcu, dmvpn_entry_free_rcu);
	dmvpn_cache_arm(cache, new->expires);
	dmvpn_cache_changed(cache, DMVPN_EVENT_ENTRY_ADDED, new);
	spin_unlock_bh(&cache->lock);
	return 0;

out_free:
	spin_unlock_bh(&cache->lock);
	dmvpn_entry_free(new);
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(dmvpn_cache_add);

/**
 * dmvpn_mcast_add() - add an NBMA address to the multicast map
 * @cache: the cache
 * @nbma: where multicast and broadcast copies go
 * @flags: DMVPN_MCAST_F_*
 * @replace: update the flags of an existing entry instead of -EEXIST
 * @extack: error report
 *
 * Return: 0 or a negative errno with @extack set.
 */
int dmvpn_mcast_add(struct dmvpn_cache *cache, const struct dmvpn_addr *nbma,
		    u32 flags, bool replace, struct netlink_ext_ack *extack)
{
	struct dmvpn_entry *new, *old;
	int err = 0;

	new = dmvpn_entry_alloc();
	if (!new)
		return -ENOMEM;
	dmvpn_key_init(&new->key, DMVPN_TABLE_MCAST, nbma,
		       dmvpn_family_bits(nbma->family));
	new->nbma = *nbma;
	new->flags = flags;

	spin_lock_bh(&cache->lock);
	if (cache->dead) {
		err = -ENODEV;
		goto out_free;
	}
	old = dmvpn_cache_find_key(cache, &new->key);
	if (old) {
		if (!replace) {
			NL_SET_ERR_MSG(extack, "dmvpn: multicast entry exists");
			err = -EEXIST;
		} else {
			WRITE_ONCE(old->flags, flags);
			dmvpn_cache_changed(cache, DMVPN_EVENT_MCAST_ADDED, old);
		}
		goto out_free;
	}
	if (cache->mcast_count >= cache->max_entries) {
		NL_SET_ERR_MSG(extack,
			       "dmvpn: multicast map is full (see max-entries)");
		err = -ENOSPC;
		goto out_free;
	}
	err = rhashtable_insert_fast(&cache->ht, &new->node, dmvpn_ht_params);
	if (err)
		goto out_free;
	list_add_tail_rcu(&new->list, &cache->mcast);
	cache->mcast_count++;
	dmvpn_cache_changed(cache, DMVPN_EVENT_MCAST_ADDED, new);
	spin_unlock_bh(&cache->lock);
	return 0;

out_free:
	spin_unlock_bh(&cache->lock);
	dmvpn_entry_free(new);
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(dmvpn_mcast_add);

/**
 * dmvpn_cache_del() - delete one entry
 * @cache: the cache
 * @table: which table
 * @addr: protocol address (NBMA address for the multicast map)
 * @plen: prefix length
 *
 * Return: 0 or -ENOENT.
 */
int dmvpn_cache_del(struct dmvpn_cache *cache, enum dmvpn_table table,
		    const struct dmvpn_addr *addr, u8 plen)
{
	struct dmvpn_entry *e;
	int err = -ENOENT;

	spin_lock_bh(&cache->lock);
	e = dmvpn_cache_find(cache, table, addr, plen);
	if (e) {
		dmvpn_entry_unlink(cache, e, table == DMVPN_TABLE_MCAST ?
				   DMVPN_EVENT_MCAST_DELETED :
				   DMVPN_EVENT_ENTRY_DELETED);
		err = 0;
	}
	spin_unlock_bh(&cache->lock);
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(dmvpn_cache_del);

/**
 * dmvpn_cache_flush() - delete entries
 * @cache: the cache
 * @type: only entries of this enum dmvpn_entry_type; 0 = all
 * @mcast: also empty the multicast map
 *
 * Return: the number of entries deleted.
 */
unsigned int dmvpn_cache_flush(struct dmvpn_cache *cache, u8 type, bool mcast)
{
	struct dmvpn_entry *e, *tmp;
	unsigned int n = 0;

	spin_lock_bh(&cache->lock);
	list_for_each_entry_safe(e, tmp, &cache->entries, list) {
		if (type && e->type != type)
			continue;
		dmvpn_entry_unlink(cache, e, DMVPN_EVENT_ENTRY_DELETED);
		n++;
	}
	if (mcast) {
		list_for_each_entry_safe(e, tmp, &cache->mcast, list) {
			dmvpn_entry_unlink(cache, e, DMVPN_EVENT_MCAST_DELETED);
			n++;
		}
	}
	spin_unlock_bh(&cache->lock);
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(dmvpn_cache_flush);

/**
 * dmvpn_cache_expire() - reclaim entries whose holding time has passed
 * @cache: the cache
 * @now: jiffies (a parameter so tests need not sleep)
 *
 * Return: the number of entries removed.
 */
unsigned int dmvpn_cache_expire(struct dmvpn_cache *cache, unsigned long now)
{
	struct dmvpn_entry *e, *tmp;
	unsigned long next = 0;
	unsigned int n = 0;

	spin_lock_bh(&cache->lock);
	list_for_each_entry_safe(e, tmp, &cache->entries, list) {
		unsigned long exp = e->expires;

		if (!exp)
			continue;
		if (time_after_eq(now, exp)) {
			dmvpn_entry_unlink(cache, e, DMVPN_EVENT_ENTRY_EXPIRED);
			n++;
		} else if (!next || time_before(exp, next)) {
			next = exp;
		}
	}
	cache->next_expiry = 0;
	dmvpn_cache_arm(cache, next);
	spin_unlock_bh(&cache->lock);
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(dmvpn_cache_expire);

static void dmvpn_cache_gc(struct work_struct *work)
{
	struct dmvpn_cache *cache = container_of(to_delayed_work(work),
						 struct dmvpn_cache, gc_work);

	dmvpn_cache_expire(cache, jiffies);
}

void dmvpn_cache_set_max(struct dmvpn_cache *cache, unsigned int max_entries)
{
	spin_lock_bh(&cache->lock);
	cache->max_entries = max_entries;
	spin_unlock_bh(&cache->lock);
}

int dmvpn_cache_init(struct dmvpn_cache *cache, unsigned int max_entries,
		     dmvpn_cache_notify_t notify, atomic_t *gen)
{
	spin_lock_init(&cache->lock);
	INIT_LIST_HEAD(&cache->entries);
	INIT_LIST_HEAD(&cache->mcast);
	INIT_LIST_HEAD(&cache->nhs);
	RCU_INIT_POINTER(cache->nhs_first, NULL);
	INIT_DELAYED_WORK(&cache->gc_work, dmvpn_cache_gc);
	bitmap_zero(cache->plens[0], DMVPN_PLEN_BITS);
	bitmap_zero(cache->plens[1], DMVPN_PLEN_BITS);
	memset(cache->plen_refs, 0, sizeof(cache->plen_refs));
	cache->count = 0;
	cache->mcast_count = 0;
	cache->max_entries = max_entries;
	cache->next_expiry = 0;
	cache->dead = false;
	cache->notify = notify;
	cache->gen = gen;
	return rhashtable_init(&cache->ht, &dmvpn_ht_params);
}
EXPORT_SYMBOL_IF_KUNIT(dmvpn_cache_init);

/**
 * dmvpn_cache_stop() - refuse further changes and empty the cache
 * @cache: the cache
 *
 * May sleep. Entries are freed after a grace period; the table itself goes
 * in dmvpn_cache_destroy() once no reader can reach the cache any more.
 */
void dmvpn_cache_stop(struct dmvpn_cache *cache)
{
	spin_lock_bh(&cache->lock);
	cache->dead = true;
	spin_unlock_bh(&cache->lock);
	cancel_delayed_work_sync(&cache->gc_work);
	dmvpn_cache_flush(cache, 0, true);
}
EXPORT_SYMBOL_IF_KUNIT(dmvpn_cache_stop);

void dmvpn_cache_destroy(struct dmvpn_cache *cache)
{
	rhashtable_destroy(&cache->ht);
}
EXPORT_SYMBOL_IF_KUNIT(dmvpn_cache_destroy);
