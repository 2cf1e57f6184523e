/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The NHRP cache of one dmvpn device: protocol (overlay) address -> peer
 * (NBMA, underlay, address; peer.h). One rhashtable holds three tables
 * told apart by the key: host entries, shortcut prefixes (also in a trie
 * for longest-prefix match, lpm.h) and the multicast replication map.
 * Readers use RCU; writers take cache->lock.
 */
#ifndef _DMVPN_CACHE_H
#define _DMVPN_CACHE_H

#include <linux/refcount.h>
#include <linux/rhashtable-types.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <uapi/linux/dmvpn.h>

#include "addr.h"
#include "lpm.h"
#include "peer.h"

enum dmvpn_table {
	DMVPN_TABLE_HOST,
	DMVPN_TABLE_SHORTCUT,
	DMVPN_TABLE_MCAST,
};

/* Hashed with memcmp semantics: always build it with dmvpn_key_init(). */
struct dmvpn_key {
	u8 table;
	u8 family;
	u8 plen;
	u8 pad;
	union {
		__be32 ip4;
		struct in6_addr ip6;
	};
};

/* What lookups read comes first; nothing here is written per packet but
 * @used, once per tick.
 */
struct dmvpn_entry {
	struct rhash_head node;
	struct dmvpn_key key;
	/* The cache's, and a dump's that stopped here (its cursor). */
	refcount_t refs;
	/* NULL while incomplete or negative: nothing to send to. */
	struct dmvpn_peer __rcu *peer;
	u8 type;		/* enum dmvpn_entry_type */
	bool unlinked;		/* off every list: a cursor here is stale */
	u32 flags;		/* DMVPN_F_* or DMVPN_MCAST_F_* */
	unsigned long expires;	/* jiffies; 0 = never */
	unsigned long used;	/* jiffies of the last packet; 0 = never */
	unsigned long created;	/* jiffies */
	/* cache->entries or cache->mcast; RCU for dumps and replication. */
	struct list_head list;
	/* cache->nhs while a host entry carries DMVPN_F_NHS; writers only. */
	struct list_head nhs_list;
	struct dmvpn_lpm_node *lpm;	/* shortcuts: its trie node */
	struct rcu_head rcu;
};

/* What userspace asks for; validated by netlink.c before the cache sees it. */
struct dmvpn_entry_spec {
	struct dmvpn_addr proto;
	u8 plen;
	struct dmvpn_addr nbma;
	u8 type;
	u32 flags;
	u32 holdtime;		/* seconds; 0 = never expires */
};

struct dmvpn_cache;
/* @e is NULL for DMVPN_EVENT_FLUSHED, which says @count entries went. */
typedef void (*dmvpn_cache_notify_t)(struct dmvpn_cache *cache,
				     enum dmvpn_event event,
				     const struct dmvpn_entry *e,
				     unsigned int count, gfp_t gfp);

struct dmvpn_cache {
	struct rhashtable ht;
	spinlock_t lock;	/* writers: ht, lists, counts, plen maps */
	struct list_head entries;
	struct list_head mcast;
	/* Host entries flagged DMVPN_F_NHS, oldest first, and the first
	 * of them that was usable at the last change: what unresolved
	 * traffic is sent to (Phase 2).
	 */
	struct list_head nhs;
	struct dmvpn_entry __rcu *nhs_first;
	unsigned int count;	/* host + shortcut entries */
	unsigned int mcast_count;
	unsigned int max_entries;
	unsigned long next_expiry;	/* jiffies; 0 = nothing expires */
	bool dead;
	struct dmvpn_lpm shortcuts;
	struct dmvpn_peers peers;
	struct delayed_work gc_work;
	dmvpn_cache_notify_t notify;
	atomic_t *gen;		/* optional, bumped on every change */
};

static inline bool dmvpn_entry_expired(const struct dmvpn_entry *e,
				       unsigned long now)
{
	unsigned long exp = READ_ONCE(e->expires);

	return exp && time_after_eq(now, exp);
}

/* The peer of a usable entry, or NULL. Caller holds an RCU read lock of
 * any flavour (the cache lock disables BH).
 */
static inline struct dmvpn_peer *dmvpn_entry_peer(const struct dmvpn_entry *e,
						  unsigned long now)
{
	struct dmvpn_peer *p = rcu_dereference_check(e->peer,
						     rcu_read_lock_any_held());
	u8 type = READ_ONCE(e->type);

	if (!p || type == DMVPN_ENTRY_INCOMPLETE ||
	    type == DMVPN_ENTRY_NEGATIVE || dmvpn_entry_expired(e, now))
		return NULL;
	return p;
}

/* The NBMA address of an entry, or NULL; same context as above. */
static inline const struct dmvpn_addr *
dmvpn_entry_nbma(const struct dmvpn_entry *e)
{
	struct dmvpn_peer *p = rcu_dereference_check(e->peer,
						     rcu_read_lock_any_held());

	return p ? &p->nbma : NULL;
}

static inline enum dmvpn_table
dmvpn_spec_table(const struct dmvpn_entry_spec *spec)
{
	return spec->type == DMVPN_ENTRY_SHORTCUT ? DMVPN_TABLE_SHORTCUT :
						    DMVPN_TABLE_HOST;
}

void dmvpn_key_init(struct dmvpn_key *key, enum dmvpn_table table,
		    const struct dmvpn_addr *addr, u8 plen);
int dmvpn_cache_init(struct dmvpn_cache *cache, unsigned int max_entries,
		     dmvpn_cache_notify_t notify, atomic_t *gen);
void dmvpn_cache_stop(struct dmvpn_cache *cache);
void dmvpn_cache_destroy(struct dmvpn_cache *cache);
/* Which entries dmvpn_cache_flush() deletes; all fields 0: every one. */
struct dmvpn_flush_filter {
	u8 type;		/* enum dmvpn_entry_type, 0 = any */
	bool has_within;
	struct dmvpn_key within; /* entries whose prefix lies in this one */
};

unsigned int dmvpn_cache_flush(struct dmvpn_cache *cache,
			       const struct dmvpn_flush_filter *f, bool mcast);
void dmvpn_cache_set_max(struct dmvpn_cache *cache, unsigned int max_entries);

/* What dmvpn_cache_add() may do with an entry of the same key. */
enum dmvpn_add_mode {
	DMVPN_ADD_CREATE,	/* -EEXIST if there is one */
	DMVPN_ADD_REPLACE,	/* create or update */
	DMVPN_ADD_UPDATE,	/* -ENOENT if there is none */
	DMVPN_ADD_LEARNED,	/* create, or update a learned entry;
				 * -EEXIST over configuration
				 */
};

int dmvpn_cache_add(struct dmvpn_cache *cache,
		    const struct dmvpn_entry_spec *spec,
		    enum dmvpn_add_mode mode, struct netlink_ext_ack *extack);
int dmvpn_cache_del(struct dmvpn_cache *cache, enum dmvpn_table table,
		    const struct dmvpn_addr *addr, u8 plen);
int dmvpn_mcast_add(struct dmvpn_cache *cache, const struct dmvpn_addr *nbma,
		    u32 flags, bool replace, struct netlink_ext_ack *extack);
unsigned int dmvpn_cache_expire(struct dmvpn_cache *cache, unsigned long now);

/* Whether @e has left the cache; if not, under RCU its list pointers
 * lead on through live entries.
 */
static inline bool dmvpn_entry_unlinked(const struct dmvpn_entry *e)
{
	/* Pairs with the release in dmvpn_entry_unlink(). */
	return smp_load_acquire(&e->unlinked);
}

struct dmvpn_entry *dmvpn_entry_hold(struct dmvpn_entry *e);
void dmvpn_entry_put(struct dmvpn_entry *e);

struct dmvpn_entry *dmvpn_cache_find(struct dmvpn_cache *cache,
				     enum dmvpn_table table,
				     const struct dmvpn_addr *addr, u8 plen);

/* How dmvpn_cache_route() found its answer. */
enum dmvpn_route_how {
	DMVPN_ROUTE_ENTRY,	/* a shortcut or the nexthop's own entry */
	DMVPN_ROUTE_PENDING,	/* the nexthop's entry is incomplete or
				 * negative: an NHS, or nothing; no MISS
				 */
	DMVPN_ROUTE_MISS,	/* no entry: an NHS, or nothing; and a MISS */
};

struct dmvpn_route {
	struct dmvpn_entry *entry;	/* NULL: nowhere to send */
	struct dmvpn_peer *peer;	/* the entry's, while entry is set */
	enum dmvpn_route_how how;
};

void dmvpn_cache_route(struct dmvpn_cache *cache, const struct dmvpn_addr *dst,
		       const struct dmvpn_addr *nexthop, unsigned long now,
		       struct dmvpn_route *r);
struct dmvpn_entry *dmvpn_cache_nhs(struct dmvpn_cache *cache,
				    unsigned long now,
				    struct dmvpn_peer **peer);

#endif /* _DMVPN_CACHE_H */
