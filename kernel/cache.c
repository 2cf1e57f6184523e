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

static void dmvpn_entry_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct dmvpn_entry, rcu));
}

/* A reference for a dump's cursor; the caller holds rcu_read_lock().
 * Return: @e, or NULL if it is going.
 */
struct dmvpn_entry *dmvpn_entry_hold(struct dmvpn_entry *e)
{
	return refcount_inc_not_zero(&e->refs) ? e : NULL;
}

/* Readers may still hold @e: it goes after a grace period. */
void dmvpn_entry_put(struct dmvpn_entry *e)
{
	if (refcount_dec_and_test(&e->refs))
		call_rcu(&e->rcu, dmvpn_entry_free_rcu);
}

/* What a change may need allocated before the cache lock is taken. */
struct dmvpn_spare {
	struct dmvpn_entry *entry;
	struct dmvpn_peer *peer;
	struct dmvpn_lpm_node *nodes[DMVPN_LPM_SPARES];
	bool want_entry, want_peer, want_nodes;
};

static int dmvpn_spare_alloc(struct dmvpn_spare *sp)
{
	int i;

	if (sp->want_entry && !sp->entry) {
		sp->entry = kzalloc(sizeof(*sp->entry), DMVPN_GFP);
		if (!sp->entry)
			return -ENOMEM;
	}
	if (sp->want_peer && !sp->peer) {
		sp->peer = dmvpn_peer_alloc();
		if (!sp->peer)
			return -ENOMEM;
	}
	for (i = 0; sp->want_nodes && i < DMVPN_LPM_SPARES; i++) {
		if (sp->nodes[i])
			continue;
		sp->nodes[i] = kzalloc(sizeof(*sp->nodes[i]), DMVPN_GFP);
		if (!sp->nodes[i])
			return -ENOMEM;
	}
	sp->want_entry = false;
	sp->want_peer = false;
	sp->want_nodes = false;
	return 0;
}

/* Allocates what the last attempt found missing. May sleep. The memory is
 * charged to the caller, who configures the device; at its memory cgroup's
 * limit the change fails (NORETRY: no OOM kill) and says so.
 */
static int dmvpn_spare_fill(struct dmvpn_spare *sp,
			    struct netlink_ext_ack *extack)
{
	int err = dmvpn_spare_alloc(sp);

	if (err)
		NL_SET_ERR_MSG(extack,
			       "dmvpn: out of memory for the NHRP cache (memory cgroup limit?)");
	return err;
}

static void dmvpn_spare_free(struct dmvpn_spare *sp)
{
	int i;

	kfree(sp->entry);
	dmvpn_peer_free(sp->peer);
	for (i = 0; i < DMVPN_LPM_SPARES; i++)
		kfree(sp->nodes[i]);
}

/* Takes the spare entry, initialised; the caller checked it is there. */
static struct dmvpn_entry *dmvpn_spare_entry(struct dmvpn_spare *sp,
					     const struct dmvpn_key *key)
{
	struct dmvpn_entry *e = sp->entry;

	sp->entry = NULL;
	e->key = *key;
	e->created = jiffies;
	refcount_set(&e->refs, 1);
	INIT_LIST_HEAD(&e->nhs_list);
	return e;
}

static unsigned long dmvpn_expiry(u32 holdtime)
{
	unsigned long exp;

	if (!holdtime)
		return 0;
	exp = jiffies + (unsigned long)holdtime * HZ;
	return exp ? exp : 1;	/* 0 means "never" */
}

/* DMVPN_EVENT_UNSPEC: a change that is part of a batch with one event. */
static void dmvpn_cache_changed(struct dmvpn_cache *cache,
				enum dmvpn_event event,
				const struct dmvpn_entry *e)
{
	lockdep_assert_held(&cache->lock);
	if (cache->gen)
		atomic_inc(cache->gen);
	if (cache->notify && event != DMVPN_EVENT_UNSPEC)
		cache->notify(cache, event, e, 1, GFP_ATOMIC);
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
		if (dmvpn_entry_peer(e, now)) {
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

static struct dmvpn_peer *dmvpn_entry_peer_locked(struct dmvpn_cache *cache,
						  struct dmvpn_entry *e)
{
	return rcu_dereference_protected(e->peer,
					 lockdep_is_held(&cache->lock));
}

/* Everything that can lead a reader to @e goes before its peer and @e
 * itself are handed to RCU.
 */
static void dmvpn_entry_unlink(struct dmvpn_cache *cache,
			       struct dmvpn_entry *e, enum dmvpn_event event)
{
	struct dmvpn_peer *peer = dmvpn_entry_peer_locked(cache, e);

	rhashtable_remove_fast(&cache->ht, &e->node, dmvpn_ht_params);
	/* Before the unlink: a cursor that sees it not set may follow it. */
	smp_store_release(&e->unlinked, true);
	list_del_rcu(&e->list);
	if (!list_empty(&e->nhs_list)) {
		list_del_init(&e->nhs_list);
		dmvpn_nhs_pick(cache);
	}
	if (e->lpm)
		dmvpn_lpm_remove(&cache->shortcuts, e->lpm);
	if (e->key.table == DMVPN_TABLE_MCAST)
		cache->mcast_count--;
	else
		cache->count--;
	dmvpn_cache_changed(cache, event, e);
	if (peer)
		dmvpn_peer_put(&cache->peers, peer);
	dmvpn_entry_put(e);
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
 * @peer: set to the entry's peer when one is found
 *
 * Return: the first usable host entry flagged DMVPN_F_NHS, or NULL. Caller
 * holds rcu_read_lock().
 */
struct dmvpn_entry *dmvpn_cache_nhs(struct dmvpn_cache *cache,
				    unsigned long now, struct dmvpn_peer **peer)
{
	struct dmvpn_entry *e = rcu_dereference(cache->nhs_first);

	*peer = e ? dmvpn_entry_peer(e, now) : NULL;
	return *peer ? e : NULL;
}
EXPORT_SYMBOL_IF_KUNIT(dmvpn_cache_nhs);

static const u8 *dmvpn_addr_bytes(const struct dmvpn_addr *a)
{
	return a->family == AF_INET6 ? a->ip6.s6_addr : (const u8 *)&a->ip4;
}

/**
 * dmvpn_cache_route() - the transmit-path lookup
 * @cache: the cache
 * @dst: inner destination, matched against shortcut prefixes first
 * @nexthop: route nexthop, matched exactly against host entries
 * @now: jiffies
 * @r: the answer: an entry with its peer, or none
 *
 * Without a usable shortcut or host entry the packet goes to a next-hop
 * server (dmvpn_cache_nhs()); @r->how tells the caller whether the
 * nexthop is unknown (DMVPN_ROUTE_MISS: ask for a resolution) or already
 * being resolved (DMVPN_ROUTE_PENDING). Caller holds rcu_read_lock().
 */
void dmvpn_cache_route(struct dmvpn_cache *cache, const struct dmvpn_addr *dst,
		       const struct dmvpn_addr *nexthop, unsigned long now,
		       struct dmvpn_route *r)
{
	struct dmvpn_entry *e;

	r->how = DMVPN_ROUTE_ENTRY;
	r->entry = dmvpn_lpm_lookup(&cache->shortcuts, dst->family,
				    dmvpn_addr_bytes(dst), now, &r->peer);
	if (r->entry)
		return;
	e = dmvpn_cache_find(cache, DMVPN_TABLE_HOST, nexthop,
			     dmvpn_family_bits(nexthop->family));
	r->peer = e ? dmvpn_entry_peer(e, now) : NULL;
	if (r->peer) {
		r->entry = e;
		return;
	}
	/* Only incomplete and negative entries are unusable yet alive. */
	r->how = e && !dmvpn_entry_expired(e, now) ? DMVPN_ROUTE_PENDING :
						     DMVPN_ROUTE_MISS;
	r->entry = dmvpn_cache_nhs(cache, now, &r->peer);
}
EXPORT_SYMBOL_IF_KUNIT(dmvpn_cache_route);

/* Points @e to the peer of @nbma (none if it has no family); keeps the
 * current peer when the address is the same.
 */
static int dmvpn_entry_set_peer(struct dmvpn_cache *cache,
				struct dmvpn_entry *e,
				const struct dmvpn_addr *nbma,
				struct dmvpn_spare *sp)
{
	struct dmvpn_peer *old = dmvpn_entry_peer_locked(cache, e), *new = NULL;

	if (old && nbma->family && dmvpn_addr_equal(&old->nbma, nbma))
		return 0;
	if (nbma->family) {
		new = dmvpn_peer_get(&cache->peers, nbma, &sp->peer);
		if (IS_ERR(new))
			return PTR_ERR(new);
	}
	rcu_assign_pointer(e->peer, new);
	/* Readers that still hold @old are waited for: see peer_put. */
	if (old)
		dmvpn_peer_put(&cache->peers, old);
	return 0;
}

/* Whether the change can be made with what @sp holds; if not, says what
 * to allocate. Called with cache->lock held.
 */
static bool dmvpn_spare_enough(struct dmvpn_cache *cache,
			       struct dmvpn_entry *old,
			       const struct dmvpn_addr *nbma,
			       enum dmvpn_table table, struct dmvpn_spare *sp)
{
	struct dmvpn_peer *p = old ? dmvpn_entry_peer_locked(cache, old) : NULL;

	if (!old && !sp->entry)
		sp->want_entry = true;
	if (!old && table == DMVPN_TABLE_SHORTCUT &&
	    (!sp->nodes[0] || !sp->nodes[1]))
		sp->want_nodes = true;
	if (nbma->family && !sp->peer &&
	    !(p && dmvpn_addr_equal(&p->nbma, nbma)) &&
	    !dmvpn_peer_find(&cache->peers, nbma))
		sp->want_peer = true;
	return !sp->want_entry && !sp->want_nodes && !sp->want_peer;
}

/* A shortcut that expires is an answer NHRP got (a network behind a
 * peer), which it refreshes; one without a holding time is configuration.
 */
static bool dmvpn_entry_learned(const struct dmvpn_entry *e)
{
	u8 type = READ_ONCE(e->type);

	if (type == DMVPN_ENTRY_SHORTCUT)
		return READ_ONCE(e->expires) != 0;
	return (type == DMVPN_ENTRY_DYNAMIC || type == DMVPN_ENTRY_INCOMPLETE ||
		type == DMVPN_ENTRY_NEGATIVE) &&
	       !(READ_ONCE(e->flags) & DMVPN_F_NHS);
}

static int dmvpn_cache_add_locked(struct dmvpn_cache *cache,
				  const struct dmvpn_entry_spec *spec,
				  const struct dmvpn_key *key,
				  enum dmvpn_add_mode mode,
				  struct dmvpn_spare *sp,
				  struct netlink_ext_ack *extack)
{
	unsigned long expires = dmvpn_expiry(spec->holdtime);
	static const struct dmvpn_addr none;
	const struct dmvpn_addr *nbma = &spec->nbma;
	struct dmvpn_entry *e;
	bool gone;
	int err;

	if (cache->dead)
		return -ENODEV;
	e = dmvpn_cache_find_key(cache, key);
	/* An expired entry the reclaim work has not reached yet is gone. */
	gone = e && dmvpn_entry_expired(e, jiffies);
	if (e && !gone && mode == DMVPN_ADD_CREATE) {
		NL_SET_ERR_MSG(extack, "dmvpn: entry exists (use replace)");
		return -EEXIST;
	}
	/* NHRP (a registration, a resolution) never takes a binding the
	 * administrator configured, whatever a daemon believes the cache
	 * holds.
	 */
	if (e && !gone && mode == DMVPN_ADD_LEARNED && !dmvpn_entry_learned(e)) {
		NL_SET_ERR_MSG(extack,
			       "dmvpn: entry is configuration (static, local or NHS)");
		return -EEXIST;
	}
	if ((!e || gone) && mode == DMVPN_ADD_UPDATE) {
		NL_SET_ERR_MSG(extack, "dmvpn: no such entry");
		return -ENOENT;
	}
	if (!e && cache->count >= cache->max_entries) {
		NL_SET_ERR_MSG(extack,
			       "dmvpn: NHRP cache is full (see max-entries)");
		return -ENOSPC;
	}
	/* Entries that never transmit own no peer (and no route cache). */
	if (spec->type == DMVPN_ENTRY_INCOMPLETE ||
	    spec->type == DMVPN_ENTRY_NEGATIVE)
		nbma = &none;
	if (!dmvpn_spare_enough(cache, e, nbma, key->table, sp))
		return -EAGAIN;

	if (e) {
		/* In place: readers see the old peer or the new one, and
		 * the entry's identity and rank among the servers stay.
		 */
		err = dmvpn_entry_set_peer(cache, e, nbma, sp);
		if (err)
			return err;
		if (gone) {
			WRITE_ONCE(e->created, jiffies);
			WRITE_ONCE(e->used, 0);
		}
		WRITE_ONCE(e->type, spec->type);
		WRITE_ONCE(e->flags, spec->flags);
		WRITE_ONCE(e->expires, expires);
	} else {
		e = dmvpn_spare_entry(sp, key);
		e->type = spec->type;
		e->flags = spec->flags;
		e->expires = expires;
		err = dmvpn_entry_set_peer(cache, e, nbma, sp);
		if (err)
			goto err_free;
		err = rhashtable_insert_fast(&cache->ht, &e->node,
					     dmvpn_ht_params);
		if (err)
			goto err_put;
		list_add_tail_rcu(&e->list, &cache->entries);
		cache->count++;
		if (key->table == DMVPN_TABLE_SHORTCUT)
			e->lpm = dmvpn_lpm_insert(&cache->shortcuts,
						  key->family, key->ip6.s6_addr,
						  key->plen, e, sp->nodes);
	}
	dmvpn_nhs_track(cache, e);
	dmvpn_cache_arm(cache, expires);
	dmvpn_cache_changed(cache, DMVPN_EVENT_ENTRY_ADDED, e);
	return 0;

err_put:
	if (rcu_access_pointer(e->peer))
		dmvpn_peer_put(&cache->peers, dmvpn_entry_peer_locked(cache, e));
err_free:
	kfree(e);	/* never published */
	return err;
}

/* Runs a locked change until it has what it needs allocated: at most one
 * round of allocation, and none for a refresh (the common case).
 */
#define dmvpn_cache_change(cache, sp, extack, call)			\
({									\
	struct dmvpn_cache *__cache = (cache);				\
	struct dmvpn_spare *__sp = (sp);				\
	int __err;							\
									\
	for (;;) {							\
		spin_lock_bh(&__cache->lock);				\
		__err = (call);						\
		spin_unlock_bh(&__cache->lock);				\
		if (__err != -EAGAIN)					\
			break;						\
		__err = dmvpn_spare_fill(__sp, (extack));		\
		if (__err)						\
			break;						\
	}								\
	dmvpn_spare_free(__sp);						\
	__err;								\
})

/**
 * dmvpn_cache_add() - add or change an entry
 * @cache: the cache
 * @spec: validated entry
 * @mode: what to do when an entry with the same key exists, or not
 * @extack: error report
 *
 * An existing entry is updated in place, whatever changes: a new NBMA
 * address points it to another peer.
 *
 * Return: 0 or a negative errno with @extack set.
 */
int dmvpn_cache_add(struct dmvpn_cache *cache,
		    const struct dmvpn_entry_spec *spec,
		    enum dmvpn_add_mode mode, struct netlink_ext_ack *extack)
{
	struct dmvpn_spare sp = {};
	struct dmvpn_key key;

	dmvpn_key_init(&key, dmvpn_spec_table(spec), &spec->proto,
		       spec->plen);
	return dmvpn_cache_change(cache, &sp, extack,
				  dmvpn_cache_add_locked(cache, spec, &key,
							 mode, &sp, extack));
}
EXPORT_SYMBOL_IF_KUNIT(dmvpn_cache_add);

static int dmvpn_mcast_add_locked(struct dmvpn_cache *cache,
				  const struct dmvpn_key *key,
				  const struct dmvpn_addr *nbma, u32 flags,
				  bool replace, struct dmvpn_spare *sp,
				  struct netlink_ext_ack *extack)
{
	struct dmvpn_entry *e;
	int err;

	if (cache->dead)
		return -ENODEV;
	e = dmvpn_cache_find_key(cache, key);
	if (e && !replace) {
		NL_SET_ERR_MSG(extack, "dmvpn: multicast entry exists");
		return -EEXIST;
	}
	if (e) {
		WRITE_ONCE(e->flags, flags);
		dmvpn_cache_changed(cache, DMVPN_EVENT_MCAST_ADDED, e);
		return 0;
	}
	if (cache->mcast_count >= cache->max_entries) {
		NL_SET_ERR_MSG(extack,
			       "dmvpn: multicast map is full (see max-entries)");
		return -ENOSPC;
	}
	if (!dmvpn_spare_enough(cache, NULL, nbma, key->table, sp))
		return -EAGAIN;
	e = dmvpn_spare_entry(sp, key);
	e->flags = flags;
	err = dmvpn_entry_set_peer(cache, e, nbma, sp);
	if (err) {
		kfree(e);
		return err;
	}
	err = rhashtable_insert_fast(&cache->ht, &e->node, dmvpn_ht_params);
	if (err) {
		dmvpn_peer_put(&cache->peers, dmvpn_entry_peer_locked(cache, e));
		kfree(e);
		return err;
	}
	list_add_tail_rcu(&e->list, &cache->mcast);
	cache->mcast_count++;
	dmvpn_cache_changed(cache, DMVPN_EVENT_MCAST_ADDED, e);
	return 0;
}

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
	struct dmvpn_spare sp = {};
	struct dmvpn_key key;

	dmvpn_key_init(&key, DMVPN_TABLE_MCAST, nbma,
		       dmvpn_family_bits(nbma->family));
	return dmvpn_cache_change(cache, &sp, extack,
				  dmvpn_mcast_add_locked(cache, &key, nbma,
							 flags, replace, &sp,
							 extack));
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

static bool dmvpn_flush_match(const struct dmvpn_entry *e,
			      const struct dmvpn_flush_filter *f)
{
	const struct dmvpn_key *w;

	if (!f)
		return true;
	w = &f->within;
	if (f->type && e->type != f->type)
		return false;
	if (!f->has_within)
		return true;
	if (e->key.family != w->family || e->key.plen < w->plen)
		return false;
	if (w->family == AF_INET6)
		return ipv6_prefix_equal(&e->key.ip6, &w->ip6, w->plen);
	return !((e->key.ip4 ^ w->ip4) & inet_make_mask(w->plen));
}

/* Unlinks at most @budget entries of @list that @f matches. */
static unsigned int dmvpn_flush_some(struct dmvpn_cache *cache,
				     struct list_head *list,
				     const struct dmvpn_flush_filter *f,
				     unsigned int budget)
{
	struct dmvpn_entry *e, *tmp;
	unsigned int n = 0;

	list_for_each_entry_safe(e, tmp, list, list) {
		if (n == budget)
			break;
		if (!dmvpn_flush_match(e, f))
			continue;
		dmvpn_entry_unlink(cache, e, DMVPN_EVENT_UNSPEC);
		n++;
	}
	return n;
}

/* Entries unlinked per hold of the cache lock: bounds how long BH stays
 * off for the other CPUs' transmit paths waiting on nothing but this.
 */
#define DMVPN_FLUSH_BATCH 1024

/**
 * dmvpn_cache_flush() - delete entries
 * @cache: the cache
 * @f: which host and shortcut entries; NULL = all
 * @mcast: also empty the multicast map
 *
 * Listeners get one DMVPN_EVENT_FLUSHED, not one event per entry, which
 * for a large cache would be as many atomic allocations and an overrun.
 * May sleep.
 *
 * Return: the number of entries deleted.
 */
unsigned int dmvpn_cache_flush(struct dmvpn_cache *cache,
			       const struct dmvpn_flush_filter *f, bool mcast)
{
	unsigned int n = 0, batch;

	do {
		spin_lock_bh(&cache->lock);
		batch = dmvpn_flush_some(cache, &cache->entries, f,
					 DMVPN_FLUSH_BATCH);
		if (mcast && batch < DMVPN_FLUSH_BATCH)
			batch += dmvpn_flush_some(cache, &cache->mcast, NULL,
						  DMVPN_FLUSH_BATCH - batch);
		n += batch;
		if (batch < DMVPN_FLUSH_BATCH && n && cache->notify)
			cache->notify(cache, DMVPN_EVENT_FLUSHED, NULL, n,
				      GFP_ATOMIC);
		spin_unlock_bh(&cache->lock);
		cond_resched();
	} while (batch == DMVPN_FLUSH_BATCH);
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
EXPORT_SYMBOL_IF_KUNIT(dmvpn_cache_set_max);

int dmvpn_cache_init(struct dmvpn_cache *cache, unsigned int max_entries,
		     dmvpn_cache_notify_t notify, atomic_t *gen)
{
	int err;

	spin_lock_init(&cache->lock);
	INIT_LIST_HEAD(&cache->entries);
	INIT_LIST_HEAD(&cache->mcast);
	INIT_LIST_HEAD(&cache->nhs);
	RCU_INIT_POINTER(cache->nhs_first, NULL);
	INIT_DELAYED_WORK(&cache->gc_work, dmvpn_cache_gc);
	dmvpn_lpm_init(&cache->shortcuts);
	cache->count = 0;
	cache->mcast_count = 0;
	cache->max_entries = max_entries;
	cache->next_expiry = 0;
	cache->dead = false;
	cache->notify = notify;
	cache->gen = gen;
	err = dmvpn_peers_init(&cache->peers);
	if (err)
		return err;
	err = rhashtable_init(&cache->ht, &dmvpn_ht_params);
	if (err)
		dmvpn_peers_destroy(&cache->peers);
	return err;
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
	dmvpn_cache_flush(cache, NULL, true);
}
EXPORT_SYMBOL_IF_KUNIT(dmvpn_cache_stop);

void dmvpn_cache_destroy(struct dmvpn_cache *cache)
{
	rhashtable_destroy(&cache->ht);
	dmvpn_peers_destroy(&cache->peers);
}
EXPORT_SYMBOL_IF_KUNIT(dmvpn_cache_destroy);
