// SPDX-License-Identifier: GPL-2.0
/*
 * The shortcut trie (see lpm.h). Each node holds a prefix; its children
 * extend it, the bit just after the node's prefix choosing the child. A
 * branching node holds no entry and exists only where two prefixes part:
 * it goes when it is left with one child.
 */
#include <linux/bitops.h>
#include <linux/slab.h>
#include <kunit/visibility.h>

#include "cache.h"
#include "lpm.h"

#define dmvpn_lpm_deref(p) rcu_dereference_protected(p, 1)

static unsigned int dmvpn_lpm_bit(const u8 *addr, unsigned int i)
{
	return (addr[i >> 3] >> (7 - (i & 7))) & 1;
}

/* How many leading bits of @a and @b agree, at most @limit. */
static unsigned int dmvpn_lpm_common(const u8 *a, const u8 *b,
				     unsigned int limit)
{
	unsigned int i;

	for (i = 0; i * 8 < limit; i++) {
		u8 x = a[i] ^ b[i];

		if (x)
			return min(limit, i * 8 + 7 - __fls(x));
	}
	return limit;
}

static bool dmvpn_lpm_covers(const struct dmvpn_lpm_node *n, const u8 *addr)
{
	return dmvpn_lpm_common(n->addr, addr, n->cidr) == n->cidr;
}

static void dmvpn_lpm_set(struct dmvpn_lpm_node *n, u8 fi, const u8 *addr,
			  u8 cidr, struct dmvpn_entry *e)
{
	unsigned int bytes = DIV_ROUND_UP(cidr, 8);

	memset(n, 0, sizeof(*n));
	n->fi = fi;
	n->cidr = cidr;
	memcpy(n->addr, addr, bytes);
	if (cidr & 7)
		n->addr[bytes - 1] &= 0xff << (8 - (cidr & 7));
	RCU_INIT_POINTER(n->entry, e);
}

static struct dmvpn_lpm_node __rcu **dmvpn_lpm_slot(struct dmvpn_lpm *t,
						    struct dmvpn_lpm_node *n)
{
	struct dmvpn_lpm_node *p = n->parent;

	if (!p)
		return &t->root[n->fi];
	return &p->child[dmvpn_lpm_bit(n->addr, p->cidr)];
}

void dmvpn_lpm_init(struct dmvpn_lpm *t)
{
	RCU_INIT_POINTER(t->root[0], NULL);
	RCU_INIT_POINTER(t->root[1], NULL);
	t->nodes = 0;
}

/**
 * dmvpn_lpm_insert() - add the node of a shortcut entry
 * @t: the trie; the caller holds the cache lock
 * @family: AF_INET or AF_INET6
 * @addr: the prefix, network order, host bits clear
 * @cidr: its length
 * @e: the entry; no other entry has this prefix
 * @spares: DMVPN_LPM_SPARES allocated nodes; those used are set to NULL
 *
 * Return: the node that holds @e, for dmvpn_lpm_remove().
 */
struct dmvpn_lpm_node *dmvpn_lpm_insert(struct dmvpn_lpm *t, u8 family,
					const u8 *addr, u8 cidr,
					struct dmvpn_entry *e,
					struct dmvpn_lpm_node **spares)
{
	u8 fi = family == AF_INET6;
	struct dmvpn_lpm_node __rcu **slot = &t->root[fi];
	struct dmvpn_lpm_node *parent = NULL, *node, *new, *fork;
	unsigned int common;

	/* Down through the nodes whose prefixes cover @addr/@cidr. */
	for (;;) {
		node = dmvpn_lpm_deref(*slot);
		if (!node || node->cidr >= cidr ||
		    !dmvpn_lpm_covers(node, addr))
			break;
		parent = node;
		slot = &node->child[dmvpn_lpm_bit(addr, node->cidr)];
	}
	if (node && node->cidr == cidr && dmvpn_lpm_covers(node, addr)) {
		/* A branching node at exactly this prefix. */
		rcu_assign_pointer(node->entry, e);
		return node;
	}

	new = spares[0];
	spares[0] = NULL;
	dmvpn_lpm_set(new, fi, addr, cidr, e);
	new->parent = parent;
	t->nodes++;
	if (!node) {
		rcu_assign_pointer(*slot, new);
		return new;
	}
	common = dmvpn_lpm_common(node->addr, addr, min(node->cidr, cidr));
	if (common == cidr) {
		/* The new prefix covers the node: it goes in between. */
		RCU_INIT_POINTER(new->child[dmvpn_lpm_bit(node->addr, cidr)],
				 node);
		node->parent = new;
		rcu_assign_pointer(*slot, new);
		return new;
	}
	/* They part at bit @common: a branching node holds both. */
	fork = spares[1];
	spares[1] = NULL;
	dmvpn_lpm_set(fork, fi, addr, common, NULL);
	fork->parent = parent;
	RCU_INIT_POINTER(fork->child[dmvpn_lpm_bit(addr, common)], new);
	RCU_INIT_POINTER(fork->child[dmvpn_lpm_bit(node->addr, common)], node);
	new->parent = fork;
	node->parent = fork;
	t->nodes++;
	rcu_assign_pointer(*slot, fork);
	return new;
}
EXPORT_SYMBOL_IF_KUNIT(dmvpn_lpm_insert);

static bool dmvpn_lpm_forks(const struct dmvpn_lpm_node *n)
{
	return rcu_access_pointer(n->child[0]) &&
	       rcu_access_pointer(n->child[1]);
}

/* Replaces @n by its only child, if any. A reader standing on @n still
 * finds its way down: @n keeps its child pointers until it is freed.
 */
static void dmvpn_lpm_splice(struct dmvpn_lpm *t, struct dmvpn_lpm_node *n)
{
	struct dmvpn_lpm_node *child = dmvpn_lpm_deref(n->child[0]);

	if (!child)
		child = dmvpn_lpm_deref(n->child[1]);
	if (child)
		child->parent = n->parent;
	rcu_assign_pointer(*dmvpn_lpm_slot(t, n), child);
	t->nodes--;
	kfree_rcu(n, rcu);
}

/* Removes the entry of @node, and the nodes that are no longer needed. */
void dmvpn_lpm_remove(struct dmvpn_lpm *t, struct dmvpn_lpm_node *node)
{
	struct dmvpn_lpm_node *parent = node->parent;

	RCU_INIT_POINTER(node->entry, NULL);
	if (dmvpn_lpm_forks(node))
		return;
	dmvpn_lpm_splice(t, node);
	if (parent && !rcu_access_pointer(parent->entry) &&
	    !dmvpn_lpm_forks(parent))
		dmvpn_lpm_splice(t, parent);
}
EXPORT_SYMBOL_IF_KUNIT(dmvpn_lpm_remove);

/**
 * dmvpn_lpm_lookup() - the longest usable shortcut for an address
 * @t: the trie
 * @family: of @addr
 * @addr: the destination, network order
 * @now: jiffies
 * @peer: set to the entry's peer when one is found
 *
 * Return: the entry or NULL. Caller holds rcu_read_lock().
 */
struct dmvpn_entry *dmvpn_lpm_lookup(const struct dmvpn_lpm *t, u8 family,
				     const u8 *addr, unsigned long now,
				     struct dmvpn_peer **peer)
{
	const struct dmvpn_lpm_node *n = rcu_dereference(t->root[family ==
								 AF_INET6]);
	unsigned int bits = dmvpn_family_bits(family);
	struct dmvpn_entry *best = NULL, *e;
	struct dmvpn_peer *p;

	while (n && dmvpn_lpm_covers(n, addr)) {
		e = rcu_dereference(n->entry);
		p = e ? dmvpn_entry_peer(e, now) : NULL;
		if (p) {
			best = e;
			*peer = p;
		}
		if (n->cidr == bits)
			break;
		n = rcu_dereference(n->child[dmvpn_lpm_bit(addr, n->cidr)]);
	}
	return best;
}
EXPORT_SYMBOL_IF_KUNIT(dmvpn_lpm_lookup);
