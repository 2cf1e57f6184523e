/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Longest-prefix match for shortcut entries: a path-compressed binary
 * trie per address family, as WireGuard's allowedips. A lookup visits only
 * the nodes on the destination's path, so its cost does not depend on how
 * many prefix lengths are in use; peers' resolution replies choose them.
 * Readers use RCU; writers hold the cache lock and pass in preallocated
 * nodes, because the lock is a spinlock.
 */
#ifndef _DMVPN_LPM_H
#define _DMVPN_LPM_H

#include <linux/rcupdate.h>
#include <linux/types.h>

struct dmvpn_entry;
struct dmvpn_peer;

struct dmvpn_lpm_node {
	struct dmvpn_lpm_node __rcu *child[2];
	struct dmvpn_entry __rcu *entry;	/* NULL: a branching node */
	struct dmvpn_lpm_node *parent;		/* writers only */
	u8 cidr;
	u8 fi;					/* 0 IPv4, 1 IPv6 */
	u8 addr[16];				/* masked to cidr */
	struct rcu_head rcu;
};

struct dmvpn_lpm {
	struct dmvpn_lpm_node __rcu *root[2];
	unsigned int nodes;
};

/* An insertion needs at most this many new nodes. */
#define DMVPN_LPM_SPARES 2

void dmvpn_lpm_init(struct dmvpn_lpm *t);
struct dmvpn_lpm_node *dmvpn_lpm_insert(struct dmvpn_lpm *t, u8 family,
					const u8 *addr, u8 cidr,
					struct dmvpn_entry *e,
					struct dmvpn_lpm_node **spares);
void dmvpn_lpm_remove(struct dmvpn_lpm *t, struct dmvpn_lpm_node *node);
struct dmvpn_entry *dmvpn_lpm_lookup(const struct dmvpn_lpm *t, u8 family,
				     const u8 *addr, unsigned long now,
				     struct dmvpn_peer **peer);

#endif /* _DMVPN_LPM_H */
