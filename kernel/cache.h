/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The NHRP cache of one dmvpn device: protocol (overlay) address -> NBMA
 * (underlay) address. One rhashtable holds three tables told apart by the
 * key: host entries, shortcut prefixes (longest-prefix match through a
 * bitmap of the prefix lengths in use) and the multicast replication map.
 * Readers use RCU; writers take cache->lock.
 */
#ifndef _DMVPN_CACHE_H
#define _DMVPN_CACHE_H

#include <linux/in6.h>
#include <linux/rhashtable-types.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <net/dst_cache.h>
#include <uapi/linux/dmvpn.h>

struct dmvpn_addr {
	u8 family;		/* AF_INET, AF_INET6; 0 = none */
	union {
		__be32 ip4;
		struct in6_addr ip6;
	};
};

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

struct dmvpn_entry {
	struct rhash_head node;
	struct dmvpn_key key;
	/* cache->entries or cache->mcast; RCU for dumps and replication. */
	struct list_head list;
	/* cache->nhs while a host entry carries DMVPN_F_NHS; writers only. */
	struct list_head nhs_list;
	struct dmvpn_addr nbma;
	u8 type;		/* enum dmvpn_entry_type */
	u32 flags;		/* DMVPN_F_* or DMVPN_MCAST_F_* */
	unsigned long created;	/* jiffies */
	unsigned long expires;	/* jiffies; 0 = never */
	unsigned long used;	/* jiffies of the last packet; 0 = never */
	atomic64_t packets;
	atomic64_t bytes;
	struct dst_cache dst_cache;
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
typedef void (*dmvpn_cache_notify_t)(struct dmvpn_cache *cache,
				     enum dmvpn_event event,
				     const struct dmvpn_entry *e, gfp_t gfp);

#define DMVPN_PLEN_BITS 129

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
	/* Shortcut prefix lengths in use, [0] IPv4, [1] IPv6. */
	DECLARE_BITMAP(plens[2], DMVPN_PLEN_BITS);
	u32 plen_refs[2][DMVPN_PLEN_BITS];
	struct delayed_work gc_work;
	dmvpn_cache_notify_t notify;
	atomic_t *gen;		/* optional, bumped on every change */
};

static inline u8 dmvpn_family_bits(u8 family)
{
	return family == AF_INET6 ? 128 : 32;
}

static inline bool dmvpn_addr_equal(const struct dmvpn_addr *a,
				    const struct dmvpn_addr *b)
{
	if (a->family != b->family)
		return false;
	if (a->family == AF_INET6)
		return ipv6_addr_equal(&a->ip6, &b->ip6);
	return a->ip4 == b->ip4;
}

static inline bool dmvpn_entry_expired(const struct dmvpn_entry *e,
				       unsigned long now)
{
	unsigned long exp = READ_ONCE(e->expires);

	return exp && time_after_eq(now, exp);
}

void dmvpn_key_init(struct dmvpn_key *key, enum dmvpn_table table,
		    const struct dmvpn_addr *addr, u8 plen);
int dmvpn_cache_init(struct dmvpn_cache *cache, unsigned int max_entries,
		     dmvpn_cache_notify_t notify, atomic_t *gen);
void dmvpn_cache_stop(struct dmvpn_cache *cache);
void dmvpn_cache_destroy(struct dmvpn_cache *cache);
unsigned int dmvpn_cache_flush(struct dmvpn_cache *cache, u8 type,
			       bool mcast);
void dmvpn_cache_set_max(struct dmvpn_cache *cache, unsigned int max_entries);

int dmvpn_cache_add(struct dmvpn_cache *cache,
		    const struct dmvpn_entry_spec *spec, bool replace,
		    struct netlink_ext_ack *extack);
int dmvpn_cache_del(struct dmvpn_cache *cache, enum dmvpn_table table,
		    const struct dmvpn_addr *addr, u8 plen);
int dmvpn_mcast_add(struct dmvpn_cache *cache, const struct dmvpn_addr *nbma,
		    u32 flags, bool replace, struct netlink_ext_ack *extack);
unsigned int dmvpn_cache_expire(struct dmvpn_cache *cache, unsigned long now);

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

struct dmvpn_entry *dmvpn_cache_route(struct dmvpn_cache *cache,
				      const struct dmvpn_addr *dst,
				      const struct dmvpn_addr *nexthop,
				      unsigned long now,
				      enum dmvpn_route_how *how);
struct dmvpn_entry *dmvpn_cache_nhs(struct dmvpn_cache *cache,
				    unsigned long now);

#endif /* _DMVPN_CACHE_H */
