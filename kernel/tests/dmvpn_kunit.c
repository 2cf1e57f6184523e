// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suites for the pure-logic parts of dmvpn.ko: the NHRP cache, its
 * shortcut (longest-prefix) table, the choice of next-hop server for
 * unresolved traffic, the GRE header codec, the netlink entry parser, and
 * the NHRP configuration and NHS list. They run on module load:
 *
 *   modprobe dmvpn_kunit; cat /sys/kernel/debug/kunit/dmvpn_cache/results
 *
 * Every cache test gets a fresh cache with DMVPN_TEST_MAX entries and no
 * notifier; entries are freed by RCU callbacks, so each suite ends with
 * rcu_barrier() and kmemleak finds nothing.
 *
 * Lookups copy what they need under rcu_read_lock() and check it after
 * rcu_read_unlock(): a failed expectation allocates and may sleep.
 */
#include <kunit/test.h>
#include <linux/ctype.h>
#include <linux/if_ether.h>
#include <linux/inet.h>
#include <linux/inetdevice.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/prandom.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/netlink.h>
#include <net/route.h>

#include "cache.h"
#include "compat.h"
#include "dmvpn.h"
#include "gre.h"

#define DMVPN_TEST_MAX	8
/* No host entry for this nexthop: only shortcuts can answer. */
#define DMVPN_NH4	"10.255.255.254"
#define DMVPN_NH6	"2001:db8:ffff::fe"
/* Prefix length meaning "a host": 32 or 128 by the address family. */
#define DMVPN_HOST	0xff

/* ------------------------------------------------------------ helpers */

static struct dmvpn_addr dmvpn_ta(struct kunit *test, const char *s)
{
	struct dmvpn_addr a = {};

	if (strchr(s, ':')) {
		a.family = AF_INET6;
		KUNIT_ASSERT_EQ_MSG(test, in6_pton(s, -1, a.ip6.s6_addr, -1,
						   NULL), 1, "bad address %s", s);
	} else {
		a.family = AF_INET;
		KUNIT_ASSERT_EQ_MSG(test, in4_pton(s, -1, (u8 *)&a.ip4, -1,
						   NULL), 1, "bad address %s", s);
	}
	return a;
}

static void dmvpn_fmt(char *buf, size_t size, const struct dmvpn_addr *a)
{
	if (a->family == AF_INET6)
		snprintf(buf, size, "%pI6c", &a->ip6);
	else if (a->family == AF_INET)
		snprintf(buf, size, "%pI4", &a->ip4);
	else
		snprintf(buf, size, "(none)");
}

static u8 dmvpn_plen(const struct dmvpn_addr *a, u8 plen)
{
	return plen == DMVPN_HOST ? dmvpn_family_bits(a->family) : plen;
}

static struct dmvpn_entry_spec dmvpn_spec(struct kunit *test,
					  const char *proto, u8 plen,
					  const char *nbma, u8 type,
					  u32 holdtime)
{
	struct dmvpn_entry_spec s = {};

	s.proto = dmvpn_ta(test, proto);
	s.plen = dmvpn_plen(&s.proto, plen);
	if (nbma)
		s.nbma = dmvpn_ta(test, nbma);
	s.type = type;
	s.holdtime = holdtime;
	return s;
}

static int dmvpn_add(struct kunit *test, const char *proto, u8 plen,
		     const char *nbma, u8 type, u32 holdtime, bool replace)
{
	struct dmvpn_entry_spec s = dmvpn_spec(test, proto, plen, nbma, type,
					       holdtime);
	struct netlink_ext_ack extack = {};

	return dmvpn_cache_add(test->priv, &s, replace ? DMVPN_ADD_REPLACE :
						  DMVPN_ADD_CREATE, &extack);
}

static void dmvpn_add_host(struct kunit *test, const char *proto,
			   const char *nbma, u8 type, u32 holdtime)
{
	KUNIT_ASSERT_EQ_MSG(test, dmvpn_add(test, proto, DMVPN_HOST, nbma,
					    type, holdtime, false), 0,
			    "adding host %s", proto);
}

static void dmvpn_add_shortcut(struct kunit *test, const char *prefix,
			       u8 plen, const char *nbma, u32 holdtime)
{
	KUNIT_ASSERT_EQ_MSG(test, dmvpn_add(test, prefix, plen, nbma,
					    DMVPN_ENTRY_SHORTCUT, holdtime,
					    false), 0,
			    "adding shortcut %s/%u", prefix, plen);
}

static int dmvpn_del(struct kunit *test, enum dmvpn_table table,
		     const char *addr, u8 plen)
{
	struct dmvpn_addr a = dmvpn_ta(test, addr);

	return dmvpn_cache_del(test->priv, table, &a, dmvpn_plen(&a, plen));
}

/* What a test may look at once the RCU read section is over. */
struct dmvpn_snap {
	const struct dmvpn_entry *e;	/* identity only, never dereferenced */
	const struct dmvpn_peer *peer;	/* the same */
	struct dmvpn_addr nbma;
	u8 type;
	u8 plen;
	u32 flags;
	unsigned long created;
	unsigned long expires;
	u64 packets;
	u64 bytes;
	u64 mcast;
};

static bool dmvpn_find(struct kunit *test, enum dmvpn_table table,
		       const char *addr, u8 plen, struct dmvpn_snap *s)
{
	struct dmvpn_addr a = dmvpn_ta(test, addr);
	struct dmvpn_entry *e;

	memset(s, 0, sizeof(*s));
	rcu_read_lock();
	e = dmvpn_cache_find(test->priv, table, &a, dmvpn_plen(&a, plen));
	if (e) {
		struct dmvpn_peer *p = rcu_dereference(e->peer);
		struct dmvpn_peer_totals t = {};

		if (p) {
			dmvpn_peer_totals(p, &t);
			s->nbma = p->nbma;
		}
		s->e = e;
		s->peer = p;
		s->packets = t.packets;
		s->bytes = t.bytes;
		s->mcast = t.mcast;
		s->type = READ_ONCE(e->type);
		s->plen = e->key.plen;
		s->flags = READ_ONCE(e->flags);
		s->created = e->created;
		s->expires = READ_ONCE(e->expires);
	}
	rcu_read_unlock();
	return e;
}

/* Count @packets of @bytes / @packets on a host entry, as the transmit
 * path does (with BH off, on this CPU's counters).
 */
static void dmvpn_account(struct kunit *test, const char *addr,
			  unsigned int packets, unsigned int bytes)
{
	struct dmvpn_addr a = dmvpn_ta(test, addr);
	struct dmvpn_peer *p = NULL;
	struct dmvpn_entry *e;
	unsigned int i;

	rcu_read_lock_bh();
	e = dmvpn_cache_find(test->priv, DMVPN_TABLE_HOST, &a,
			     dmvpn_family_bits(a.family));
	if (e)
		p = rcu_dereference_bh(e->peer);
	for (i = 0; p && i < packets; i++)
		dmvpn_peer_account(p, bytes / packets, false);
	if (e)
		WRITE_ONCE(e->used, jiffies);
	rcu_read_unlock_bh();
	KUNIT_ASSERT_TRUE_MSG(test, p, "no host entry with a peer: %s", addr);
}

static unsigned int dmvpn_flush_type(struct dmvpn_cache *cache, u8 type,
				     bool mcast)
{
	struct dmvpn_flush_filter f = { .type = type };

	return dmvpn_cache_flush(cache, &f, mcast);
}

/* dmvpn_entry_expired() of a host entry: 1, 0, or -ENOENT. */
static int dmvpn_expired(struct kunit *test, const char *addr,
			 unsigned long now)
{
	struct dmvpn_addr a = dmvpn_ta(test, addr);
	struct dmvpn_entry *e;
	int ret = -ENOENT;

	rcu_read_lock();
	e = dmvpn_cache_find(test->priv, DMVPN_TABLE_HOST, &a,
			     dmvpn_family_bits(a.family));
	if (e)
		ret = dmvpn_entry_expired(e, now);
	rcu_read_unlock();
	return ret;
}

static bool dmvpn_addr_is(struct kunit *test, const struct dmvpn_addr *got,
			  const char *want)
{
	struct dmvpn_addr w = dmvpn_ta(test, want);

	return dmvpn_addr_equal(got, &w);
}

/* dmvpn_cache_route() must give @nbma (NULL: nothing usable). */
static void dmvpn_expect_route(struct kunit *test, const char *dst,
			       const char *nh, unsigned long now,
			       const char *nbma)
{
	struct dmvpn_addr d = dmvpn_ta(test, dst), n = dmvpn_ta(test, nh);
	struct dmvpn_addr got = {};
	const struct dmvpn_entry *e;
	struct dmvpn_route r;
	char buf[INET6_ADDRSTRLEN + 8];

	rcu_read_lock();
	dmvpn_cache_route(test->priv, &d, &n, now, &r);
	e = r.entry;
	if (e)
		got = r.peer->nbma;
	rcu_read_unlock();

	dmvpn_fmt(buf, sizeof(buf), &got);
	if (!nbma) {
		KUNIT_EXPECT_NULL_MSG(test, e, "route %s via %s: got %s",
				      dst, nh, buf);
		return;
	}
	KUNIT_EXPECT_TRUE_MSG(test, e && dmvpn_addr_is(test, &got, nbma),
			      "route %s via %s: want %s, got %s",
			      dst, nh, nbma, e ? buf : "nothing");
}

static unsigned int dmvpn_list_len(struct list_head *head)
{
	struct dmvpn_entry *e;
	unsigned int n = 0;

	rcu_read_lock();
	list_for_each_entry_rcu(e, head, list)
		n++;
	rcu_read_unlock();
	return n;
}

static void dmvpn_expect_count(struct kunit *test, unsigned int n,
			       unsigned int mcast)
{
	struct dmvpn_cache *cache = test->priv;

	KUNIT_EXPECT_EQ(test, READ_ONCE(cache->count), n);
	KUNIT_EXPECT_EQ(test, dmvpn_list_len(&cache->entries), n);
	KUNIT_EXPECT_EQ(test, READ_ONCE(cache->mcast_count), mcast);
	KUNIT_EXPECT_EQ(test, dmvpn_list_len(&cache->mcast), mcast);
}

static int dmvpn_cache_test_init(struct kunit *test)
{
	struct dmvpn_cache *cache;
	int err;

	cache = kunit_kzalloc(test, sizeof(*cache), GFP_KERNEL);
	if (!cache)
		return -ENOMEM;
	err = dmvpn_cache_init(cache, DMVPN_TEST_MAX, NULL, NULL);
	if (err)
		return err;
	test->priv = cache;
	return 0;
}

static void dmvpn_cache_test_exit(struct kunit *test)
{
	struct dmvpn_cache *cache = test->priv;

	if (!cache)
		return;
	dmvpn_cache_stop(cache);
	dmvpn_cache_destroy(cache);
}

static void dmvpn_test_suite_exit(struct kunit_suite *suite)
{
	/* Entries go by call_rcu(): let them go before kmemleak looks. */
	rcu_barrier();
}

/* ------------------------------------------------------ dmvpn_cache */

/* The key holds @want, zero-padded to the size of an IPv6 address. */
static bool dmvpn_key_is(struct kunit *test, const struct dmvpn_key *k,
			 const char *want)
{
	struct dmvpn_addr w = dmvpn_ta(test, want);

	return k->family == w.family && !memcmp(&k->ip6, &w.ip6, sizeof(w.ip6));
}

static void dmvpn_cache_test_key_init(struct kunit *test)
{
	struct dmvpn_addr a4 = dmvpn_ta(test, "10.1.2.3");
	struct dmvpn_addr a6 = dmvpn_ta(test, "2001:db8:1:2::5");
	struct dmvpn_key k, k2;

	memset(&k, 0xa5, sizeof(k));
	dmvpn_key_init(&k, DMVPN_TABLE_HOST, &a4, 32);
	KUNIT_EXPECT_EQ(test, k.table, (u8)DMVPN_TABLE_HOST);
	KUNIT_EXPECT_EQ(test, k.family, (u8)AF_INET);
	KUNIT_EXPECT_EQ(test, k.plen, 32);
	KUNIT_EXPECT_EQ(test, k.pad, 0);
	KUNIT_EXPECT_EQ(test, k.ip4, a4.ip4);
	/* The key is hashed with memcmp(): the rest of the union is zero. */
	KUNIT_EXPECT_NULL(test, memchr_inv(&k.ip6.s6_addr[4], 0, 12));

	dmvpn_key_init(&k, DMVPN_TABLE_SHORTCUT, &a4, 16);
	KUNIT_EXPECT_TRUE(test, dmvpn_key_is(test, &k, "10.1.0.0"));
	dmvpn_key_init(&k, DMVPN_TABLE_SHORTCUT, &a4, 0);
	KUNIT_EXPECT_TRUE(test, dmvpn_key_is(test, &k, "0.0.0.0"));

	dmvpn_key_init(&k, DMVPN_TABLE_SHORTCUT, &a6, 64);
	KUNIT_EXPECT_TRUE(test, dmvpn_key_is(test, &k, "2001:db8:1:2::"));
	dmvpn_key_init(&k, DMVPN_TABLE_SHORTCUT, &a6, 48);
	KUNIT_EXPECT_TRUE(test, dmvpn_key_is(test, &k, "2001:db8:1::"));
	dmvpn_key_init(&k, DMVPN_TABLE_SHORTCUT, &a6, 128);
	KUNIT_EXPECT_TRUE(test, dmvpn_key_is(test, &k, "2001:db8:1:2::5"));
	dmvpn_key_init(&k, DMVPN_TABLE_SHORTCUT, &a6, 0);
	KUNIT_EXPECT_TRUE(test, dmvpn_key_is(test, &k, "::"));
	KUNIT_EXPECT_EQ(test, k.family, (u8)AF_INET6);
	KUNIT_EXPECT_EQ(test, k.plen, 0);

	/* The three tables never share a key. */
	dmvpn_key_init(&k, DMVPN_TABLE_HOST, &a4, 32);
	dmvpn_key_init(&k2, DMVPN_TABLE_MCAST, &a4, 32);
	KUNIT_EXPECT_NE(test, memcmp(&k, &k2, sizeof(k)), 0);
	dmvpn_key_init(&k2, DMVPN_TABLE_SHORTCUT, &a4, 32);
	KUNIT_EXPECT_NE(test, memcmp(&k, &k2, sizeof(k)), 0);
}

static void dmvpn_cache_test_add_v4(struct kunit *test)
{
	struct dmvpn_snap s;

	KUNIT_ASSERT_EQ(test, dmvpn_add(test, "10.0.0.2", DMVPN_HOST,
					"192.0.2.2", DMVPN_ENTRY_STATIC, 0,
					false), 0);
	dmvpn_expect_count(test, 1, 0);

	KUNIT_ASSERT_TRUE(test, dmvpn_find(test, DMVPN_TABLE_HOST, "10.0.0.2",
					   DMVPN_HOST, &s));
	KUNIT_EXPECT_TRUE(test, dmvpn_addr_is(test, &s.nbma, "192.0.2.2"));
	KUNIT_EXPECT_EQ(test, s.type, (u8)DMVPN_ENTRY_STATIC);
	KUNIT_EXPECT_EQ(test, s.plen, 32);
	KUNIT_EXPECT_EQ(test, s.flags, 0);
	KUNIT_EXPECT_EQ(test, s.expires, 0);
	KUNIT_EXPECT_EQ(test, s.packets, 0);

	/* Host entries are not in the shortcut table or the multicast map. */
	KUNIT_EXPECT_FALSE(test, dmvpn_find(test, DMVPN_TABLE_SHORTCUT,
					    "10.0.0.2", 32, &s));
	KUNIT_EXPECT_FALSE(test, dmvpn_find(test, DMVPN_TABLE_MCAST,
					    "10.0.0.2", 32, &s));
	KUNIT_EXPECT_FALSE(test, dmvpn_find(test, DMVPN_TABLE_HOST,
					    "10.0.0.3", DMVPN_HOST, &s));

	/* Without shortcuts the nexthop alone decides. */
	dmvpn_expect_route(test, "10.9.9.9", "10.0.0.2", jiffies, "192.0.2.2");
	dmvpn_expect_route(test, "10.0.0.2", "10.0.0.2", jiffies, "192.0.2.2");
	dmvpn_expect_route(test, "10.0.0.2", "10.0.0.3", jiffies, NULL);
}

static void dmvpn_cache_test_add_v6(struct kunit *test)
{
	struct dmvpn_snap s;

	dmvpn_add_host(test, "2001:db8::2", "192.0.2.2",
		       DMVPN_ENTRY_DYNAMIC, 600);
	dmvpn_add_host(test, "2001:db8::3", "2001:db8:ffff::3",
		       DMVPN_ENTRY_STATIC, 0);
	/* Same bytes at the start, other family: another entry. */
	dmvpn_add_host(test, "32.1.13.184", "192.0.2.4",
		       DMVPN_ENTRY_STATIC, 0);
	dmvpn_expect_count(test, 3, 0);

	KUNIT_ASSERT_TRUE(test, dmvpn_find(test, DMVPN_TABLE_HOST,
					   "2001:db8::2", DMVPN_HOST, &s));
	KUNIT_EXPECT_EQ(test, s.plen, 128);
	KUNIT_EXPECT_EQ(test, s.type, (u8)DMVPN_ENTRY_DYNAMIC);
	KUNIT_EXPECT_TRUE(test, dmvpn_addr_is(test, &s.nbma, "192.0.2.2"));
	KUNIT_EXPECT_NE(test, s.expires, 0);
	KUNIT_EXPECT_TRUE(test, time_after(s.expires, jiffies + 500 * HZ));
	KUNIT_EXPECT_TRUE(test, time_before_eq(s.expires, jiffies + 600 * HZ));

	KUNIT_ASSERT_TRUE(test, dmvpn_find(test, DMVPN_TABLE_HOST,
					   "2001:db8::3", DMVPN_HOST, &s));
	KUNIT_EXPECT_TRUE(test, dmvpn_addr_is(test, &s.nbma,
					      "2001:db8:ffff::3"));
	KUNIT_EXPECT_FALSE(test, dmvpn_find(test, DMVPN_TABLE_HOST,
					    "2001:db8::4", DMVPN_HOST, &s));

	dmvpn_expect_route(test, "2001:db8:9::1", "2001:db8::2", jiffies,
			   "192.0.2.2");
	dmvpn_expect_route(test, "2001:db8:9::1", "2001:db8::3", jiffies,
			   "2001:db8:ffff::3");
	dmvpn_expect_route(test, "2001:db8:9::1", "2001:db8::4", jiffies,
			   NULL);
	dmvpn_expect_route(test, "32.1.13.184", "32.1.13.184", jiffies,
			   "192.0.2.4");
}

static void dmvpn_cache_test_exists(struct kunit *test)
{
	struct dmvpn_entry_spec spec = dmvpn_spec(test, "10.0.0.2", DMVPN_HOST,
						  "198.51.100.2",
						  DMVPN_ENTRY_STATIC, 0);
	struct netlink_ext_ack extack = {};
	struct dmvpn_snap s;

	dmvpn_add_host(test, "10.0.0.2", "192.0.2.2", DMVPN_ENTRY_STATIC, 0);
	KUNIT_EXPECT_EQ(test, dmvpn_cache_add(test->priv, &spec, DMVPN_ADD_CREATE,
					      &extack), -EEXIST);
	KUNIT_ASSERT_NOT_NULL(test, extack._msg);
	KUNIT_EXPECT_STREQ(test, extack._msg,
			   "dmvpn: entry exists (use replace)");
	dmvpn_expect_count(test, 1, 0);
	KUNIT_ASSERT_TRUE(test, dmvpn_find(test, DMVPN_TABLE_HOST, "10.0.0.2",
					   DMVPN_HOST, &s));
	KUNIT_EXPECT_TRUE(test, dmvpn_addr_is(test, &s.nbma, "192.0.2.2"));
}

static void dmvpn_cache_test_refresh(struct kunit *test)
{
	struct netlink_ext_ack extack = {};
	struct dmvpn_entry_spec spec;
	struct dmvpn_snap s1, s2;

	dmvpn_add_host(test, "10.0.0.2", "192.0.2.2", DMVPN_ENTRY_DYNAMIC, 60);
	dmvpn_account(test, "10.0.0.2", 3, 300);
	KUNIT_ASSERT_TRUE(test, dmvpn_find(test, DMVPN_TABLE_HOST, "10.0.0.2",
					   DMVPN_HOST, &s1));

	/* Same NBMA: updated in place, counters and identity kept. */
	KUNIT_ASSERT_EQ(test, dmvpn_add(test, "10.0.0.2", DMVPN_HOST,
					"192.0.2.2", DMVPN_ENTRY_DYNAMIC, 600,
					true), 0);
	KUNIT_ASSERT_TRUE(test, dmvpn_find(test, DMVPN_TABLE_HOST, "10.0.0.2",
					   DMVPN_HOST, &s2));
	KUNIT_EXPECT_PTR_EQ(test, s2.e, s1.e);
	KUNIT_EXPECT_EQ(test, s2.packets, 3);
	KUNIT_EXPECT_EQ(test, s2.bytes, 300);
	KUNIT_EXPECT_EQ(test, s2.created, s1.created);
	KUNIT_EXPECT_TRUE(test, time_after(s2.expires, s1.expires));
	dmvpn_expect_count(test, 1, 0);

	/* Type, flags and holding time all follow the new spec. */
	spec = dmvpn_spec(test, "10.0.0.2", DMVPN_HOST, "192.0.2.2",
			  DMVPN_ENTRY_STATIC, 0);
	spec.flags = DMVPN_F_NHS | DMVPN_F_UNIQUE;
	KUNIT_ASSERT_EQ(test, dmvpn_cache_add(test->priv, &spec, DMVPN_ADD_REPLACE,
					      &extack), 0);
	KUNIT_EXPECT_NULL(test, extack._msg);
	KUNIT_ASSERT_TRUE(test, dmvpn_find(test, DMVPN_TABLE_HOST, "10.0.0.2",
					   DMVPN_HOST, &s2));
	KUNIT_EXPECT_PTR_EQ(test, s2.e, s1.e);
	KUNIT_EXPECT_EQ(test, s2.type, (u8)DMVPN_ENTRY_STATIC);
	KUNIT_EXPECT_EQ(test, s2.flags, DMVPN_F_NHS | DMVPN_F_UNIQUE);
	KUNIT_EXPECT_EQ(test, s2.expires, 0);
	KUNIT_EXPECT_EQ(test, s2.packets, 3);
	dmvpn_expect_count(test, 1, 0);
}

static void dmvpn_cache_test_nbma_change(struct kunit *test)
{
	struct dmvpn_snap s1, s2;

	dmvpn_add_host(test, "10.0.0.2", "192.0.2.2", DMVPN_ENTRY_DYNAMIC, 60);
	dmvpn_account(test, "10.0.0.2", 5, 500);
	KUNIT_ASSERT_TRUE(test, dmvpn_find(test, DMVPN_TABLE_HOST, "10.0.0.2",
					   DMVPN_HOST, &s1));

	/* A new NBMA address: the same entry, another peer (a fresh route
	 * cache and counters); the old peer goes with its last entry.
	 */
	KUNIT_ASSERT_EQ(test, dmvpn_add(test, "10.0.0.2", DMVPN_HOST,
					"198.51.100.2", DMVPN_ENTRY_DYNAMIC,
					60, true), 0);
	KUNIT_ASSERT_TRUE(test, dmvpn_find(test, DMVPN_TABLE_HOST, "10.0.0.2",
					   DMVPN_HOST, &s2));
	KUNIT_EXPECT_PTR_EQ(test, s2.e, s1.e);
	KUNIT_EXPECT_PTR_NE(test, s2.peer, s1.peer);
	KUNIT_EXPECT_TRUE(test, dmvpn_addr_is(test, &s2.nbma, "198.51.100.2"));
	KUNIT_EXPECT_EQ(test, s2.created, s1.created);
	KUNIT_EXPECT_EQ(test, s2.packets, 0);
	KUNIT_EXPECT_EQ(test, ((struct dmvpn_cache *)test->priv)->peers.count,
			1);
	dmvpn_expect_count(test, 1, 0);
	dmvpn_expect_route(test, "10.0.0.2", "10.0.0.2", jiffies,
			   "198.51.100.2");

	/* Resolution completing: incomplete -> dynamic with an NBMA. */
	dmvpn_add_host(test, "10.0.0.3", NULL, DMVPN_ENTRY_INCOMPLETE, 300);
	dmvpn_expect_route(test, "10.0.0.3", "10.0.0.3", jiffies, NULL);
	KUNIT_ASSERT_EQ(test, dmvpn_add(test, "10.0.0.3", DMVPN_HOST,
					"192.0.2.3", DMVPN_ENTRY_DYNAMIC, 60,
					true), 0);
	dmvpn_expect_route(test, "10.0.0.3", "10.0.0.3", jiffies, "192.0.2.3");
	dmvpn_expect_count(test, 2, 0);
}

static void dmvpn_cache_test_del(struct kunit *test)
{
	struct dmvpn_snap s;

	dmvpn_add_host(test, "10.0.0.2", "192.0.2.2", DMVPN_ENTRY_STATIC, 0);
	dmvpn_add_host(test, "10.0.0.3", "192.0.2.3", DMVPN_ENTRY_DYNAMIC, 60);
	dmvpn_add_host(test, "2001:db8::3", "192.0.2.3", DMVPN_ENTRY_STATIC, 0);

	KUNIT_EXPECT_EQ(test, dmvpn_del(test, DMVPN_TABLE_HOST, "10.0.0.2",
					DMVPN_HOST), 0);
	KUNIT_EXPECT_FALSE(test, dmvpn_find(test, DMVPN_TABLE_HOST, "10.0.0.2",
					    DMVPN_HOST, &s));
	KUNIT_EXPECT_TRUE(test, dmvpn_find(test, DMVPN_TABLE_HOST, "10.0.0.3",
					   DMVPN_HOST, &s));
	dmvpn_expect_route(test, "10.0.0.2", "10.0.0.2", jiffies, NULL);
	dmvpn_expect_count(test, 2, 0);

	KUNIT_EXPECT_EQ(test, dmvpn_del(test, DMVPN_TABLE_HOST, "10.0.0.2",
					DMVPN_HOST), -ENOENT);
	/* The other tables do not hold the host entry. */
	KUNIT_EXPECT_EQ(test, dmvpn_del(test, DMVPN_TABLE_SHORTCUT, "10.0.0.3",
					32), -ENOENT);
	KUNIT_EXPECT_EQ(test, dmvpn_del(test, DMVPN_TABLE_MCAST, "10.0.0.3",
					DMVPN_HOST), -ENOENT);
	dmvpn_expect_count(test, 2, 0);

	KUNIT_EXPECT_EQ(test, dmvpn_del(test, DMVPN_TABLE_HOST, "2001:db8::3",
					DMVPN_HOST), 0);
	KUNIT_EXPECT_EQ(test, dmvpn_del(test, DMVPN_TABLE_HOST, "10.0.0.3",
					DMVPN_HOST), 0);
	dmvpn_expect_count(test, 0, 0);
}

static void dmvpn_cache_test_flush(struct kunit *test)
{
	struct dmvpn_addr m = dmvpn_ta(test, "192.0.2.100");
	struct dmvpn_cache *cache = test->priv;
	struct dmvpn_snap s;

	dmvpn_add_host(test, "10.0.0.1", "192.0.2.1", DMVPN_ENTRY_STATIC, 0);
	dmvpn_add_host(test, "10.0.0.2", "192.0.2.2", DMVPN_ENTRY_STATIC, 0);
	dmvpn_add_host(test, "10.0.0.3", "192.0.2.3", DMVPN_ENTRY_DYNAMIC, 60);
	dmvpn_add_host(test, "10.0.0.4", "192.0.2.4", DMVPN_ENTRY_DYNAMIC, 60);
	dmvpn_add_host(test, "2001:db8::5", "192.0.2.5",
		       DMVPN_ENTRY_DYNAMIC, 60);
	dmvpn_add_host(test, "10.0.0.6", NULL, DMVPN_ENTRY_INCOMPLETE, 300);
	dmvpn_add_shortcut(test, "10.1.0.0", 16, "192.0.2.7", 60);
	KUNIT_ASSERT_EQ(test, dmvpn_mcast_add(cache, &m, 0, false, NULL), 0);
	dmvpn_expect_count(test, 7, 1);

	KUNIT_EXPECT_EQ(test, dmvpn_flush_type(cache, DMVPN_ENTRY_DYNAMIC,
					       false), 3);
	dmvpn_expect_count(test, 4, 1);
	KUNIT_EXPECT_FALSE(test, dmvpn_find(test, DMVPN_TABLE_HOST, "10.0.0.3",
					    DMVPN_HOST, &s));
	KUNIT_EXPECT_TRUE(test, dmvpn_find(test, DMVPN_TABLE_HOST, "10.0.0.1",
					   DMVPN_HOST, &s));

	KUNIT_EXPECT_EQ(test, dmvpn_flush_type(cache, DMVPN_ENTRY_NEGATIVE,
					       false), 0);
	KUNIT_EXPECT_EQ(test, dmvpn_flush_type(cache, DMVPN_ENTRY_SHORTCUT,
					       false), 1);
	KUNIT_EXPECT_EQ(test, cache->shortcuts.nodes, 0);
	dmvpn_expect_count(test, 3, 1);

	/* Type 0 is everything; the multicast map only when asked. */
	KUNIT_EXPECT_EQ(test, dmvpn_flush_type(cache, 0, false), 3);
	dmvpn_expect_count(test, 0, 1);
	KUNIT_EXPECT_EQ(test, dmvpn_flush_type(cache, 0, true), 1);
	dmvpn_expect_count(test, 0, 0);
	KUNIT_EXPECT_EQ(test, dmvpn_flush_type(cache, 0, true), 0);
}

/* M2: "map flush 10.1.0.0/16" deletes what lies in the prefix, only. */
static void dmvpn_cache_test_flush_within(struct kunit *test)
{
	struct dmvpn_cache *cache = test->priv;
	struct dmvpn_flush_filter f = {};
	struct dmvpn_addr a = dmvpn_ta(test, "10.1.0.0");
	struct dmvpn_snap s;

	dmvpn_add_host(test, "10.1.0.1", "192.0.2.1", DMVPN_ENTRY_STATIC, 0);
	dmvpn_add_host(test, "10.1.255.2", "192.0.2.2", DMVPN_ENTRY_DYNAMIC,
		       60);
	dmvpn_add_host(test, "10.2.0.1", "192.0.2.3", DMVPN_ENTRY_DYNAMIC, 60);
	dmvpn_add_shortcut(test, "10.1.2.0", 24, "192.0.2.4", 0);
	/* Covers the prefix but does not lie in it: kept. */
	dmvpn_add_shortcut(test, "10.0.0.0", 8, "192.0.2.5", 0);
	dmvpn_add_host(test, "2001:db8::1", "192.0.2.6", DMVPN_ENTRY_STATIC, 0);

	dmvpn_key_init(&f.within, DMVPN_TABLE_SHORTCUT, &a, 16);
	f.has_within = true;
	f.type = DMVPN_ENTRY_DYNAMIC;
	KUNIT_EXPECT_EQ(test, dmvpn_cache_flush(cache, &f, false), 1);
	KUNIT_EXPECT_FALSE(test, dmvpn_find(test, DMVPN_TABLE_HOST,
					    "10.1.255.2", DMVPN_HOST, &s));
	f.type = 0;
	KUNIT_EXPECT_EQ(test, dmvpn_cache_flush(cache, &f, false), 2);
	dmvpn_expect_count(test, 3, 0);
	KUNIT_EXPECT_TRUE(test, dmvpn_find(test, DMVPN_TABLE_HOST, "10.2.0.1",
					   DMVPN_HOST, &s));
	KUNIT_EXPECT_TRUE(test, dmvpn_find(test, DMVPN_TABLE_SHORTCUT,
					   "10.0.0.0", 8, &s));
	KUNIT_EXPECT_TRUE(test, dmvpn_find(test, DMVPN_TABLE_HOST,
					   "2001:db8::1", DMVPN_HOST, &s));
	dmvpn_expect_route(test, "10.1.2.3", DMVPN_NH4, jiffies, "192.0.2.5");
}

static void dmvpn_cache_test_limit(struct kunit *test)
{
	struct dmvpn_entry_spec spec = dmvpn_spec(test, "10.0.0.100",
						  DMVPN_HOST, "192.0.2.100",
						  DMVPN_ENTRY_DYNAMIC, 60);
	struct dmvpn_addr m = dmvpn_ta(test, "192.0.2.200");
	struct netlink_ext_ack extack = {};
	char proto[16], nbma[16];
	int i;

	/* Host and shortcut entries share the bound. */
	for (i = 1; i < DMVPN_TEST_MAX; i++) {
		snprintf(proto, sizeof(proto), "10.0.0.%d", i);
		snprintf(nbma, sizeof(nbma), "192.0.2.%d", i);
		dmvpn_add_host(test, proto, nbma, DMVPN_ENTRY_DYNAMIC, 60);
	}
	dmvpn_add_shortcut(test, "10.1.0.0", 16, "192.0.2.99", 0);
	dmvpn_expect_count(test, DMVPN_TEST_MAX, 0);

	KUNIT_EXPECT_EQ(test, dmvpn_cache_add(test->priv, &spec, DMVPN_ADD_CREATE,
					      &extack), -ENOSPC);
	KUNIT_ASSERT_NOT_NULL(test, extack._msg);
	KUNIT_EXPECT_STREQ(test, extack._msg,
			   "dmvpn: NHRP cache is full (see max-entries)");
	dmvpn_expect_count(test, DMVPN_TEST_MAX, 0);

	/* A replace does not grow the cache: allowed when full. */
	KUNIT_EXPECT_EQ(test, dmvpn_add(test, "10.0.0.1", DMVPN_HOST,
					"192.0.2.1", DMVPN_ENTRY_DYNAMIC, 120,
					true), 0);
	KUNIT_EXPECT_EQ(test, dmvpn_add(test, "10.0.0.2", DMVPN_HOST,
					"198.51.100.2", DMVPN_ENTRY_DYNAMIC,
					120, true), 0);
	/* The multicast map has its own bound. */
	KUNIT_EXPECT_EQ(test, dmvpn_mcast_add(test->priv, &m, 0, false,
					      NULL), 0);
	dmvpn_expect_count(test, DMVPN_TEST_MAX, 1);

	KUNIT_EXPECT_EQ(test, dmvpn_del(test, DMVPN_TABLE_HOST, "10.0.0.3",
					DMVPN_HOST), 0);
	memset(&extack, 0, sizeof(extack));
	KUNIT_EXPECT_EQ(test, dmvpn_cache_add(test->priv, &spec, DMVPN_ADD_CREATE,
					      &extack), 0);
	KUNIT_EXPECT_NULL(test, extack._msg);
	dmvpn_expect_count(test, DMVPN_TEST_MAX, 1);
}

static void dmvpn_cache_test_mcast_limit(struct kunit *test)
{
	struct netlink_ext_ack extack = {};
	struct dmvpn_addr m;
	char nbma[16];
	int i;

	for (i = 1; i <= DMVPN_TEST_MAX; i++) {
		snprintf(nbma, sizeof(nbma), "192.0.2.%d", i);
		m = dmvpn_ta(test, nbma);
		KUNIT_ASSERT_EQ(test, dmvpn_mcast_add(test->priv, &m, 0, false,
						      NULL), 0);
	}
	m = dmvpn_ta(test, "192.0.2.99");
	KUNIT_EXPECT_EQ(test, dmvpn_mcast_add(test->priv, &m, 0, false,
					      &extack), -ENOSPC);
	KUNIT_ASSERT_NOT_NULL(test, extack._msg);
	KUNIT_EXPECT_STREQ(test, extack._msg,
			   "dmvpn: multicast map is full (see max-entries)");
	/* Unicast entries are still welcome. */
	dmvpn_add_host(test, "10.0.0.1", "192.0.2.1", DMVPN_ENTRY_STATIC, 0);
	dmvpn_expect_count(test, 1, DMVPN_TEST_MAX);
}

static void dmvpn_cache_test_expire(struct kunit *test)
{
	struct dmvpn_cache *cache = test->priv;
	struct dmvpn_addr m = dmvpn_ta(test, "192.0.2.200");
	struct dmvpn_snap s;

	dmvpn_add_host(test, "10.0.0.1", "192.0.2.1", DMVPN_ENTRY_STATIC, 0);
	dmvpn_add_host(test, "10.0.0.2", "192.0.2.2", DMVPN_ENTRY_LOCAL, 0);
	dmvpn_add_host(test, "10.0.0.3", "192.0.2.3", DMVPN_ENTRY_DYNAMIC, 100);
	dmvpn_add_host(test, "2001:db8::4", "192.0.2.4",
		       DMVPN_ENTRY_DYNAMIC, 100);
	dmvpn_add_host(test, "10.0.0.5", NULL, DMVPN_ENTRY_NEGATIVE, 100);
	dmvpn_add_host(test, "10.0.0.6", "192.0.2.6", DMVPN_ENTRY_DYNAMIC, 1000);
	dmvpn_add_shortcut(test, "10.1.0.0", 16, "192.0.2.7", 100);
	KUNIT_ASSERT_EQ(test, dmvpn_mcast_add(cache, &m, 0, false, NULL), 0);
	dmvpn_expect_count(test, 7, 1);

	/* Nothing is due yet. */
	KUNIT_EXPECT_EQ(test, dmvpn_cache_expire(cache, jiffies), 0);
	dmvpn_expect_count(test, 7, 1);

	/* The four 100 s entries, whatever their table or type. */
	KUNIT_EXPECT_EQ(test, dmvpn_cache_expire(cache, jiffies + 500 * HZ), 4);
	dmvpn_expect_count(test, 3, 1);
	KUNIT_EXPECT_FALSE(test, dmvpn_find(test, DMVPN_TABLE_HOST, "10.0.0.3",
					    DMVPN_HOST, &s));
	KUNIT_EXPECT_FALSE(test, dmvpn_find(test, DMVPN_TABLE_SHORTCUT,
					    "10.1.0.0", 16, &s));
	KUNIT_EXPECT_EQ(test, cache->shortcuts.nodes, 0);
	KUNIT_EXPECT_TRUE(test, dmvpn_find(test, DMVPN_TABLE_HOST, "10.0.0.6",
					   DMVPN_HOST, &s));
	/* The rest is still due: the expiry work stays armed. */
	KUNIT_EXPECT_NE(test, READ_ONCE(cache->next_expiry), 0);

	KUNIT_EXPECT_EQ(test, dmvpn_cache_expire(cache, jiffies + 5000 * HZ),
			1);
	KUNIT_EXPECT_EQ(test, READ_ONCE(cache->next_expiry), 0);
	/* Static and local entries and the multicast map never expire. */
	dmvpn_expect_count(test, 2, 1);
	KUNIT_EXPECT_TRUE(test, dmvpn_find(test, DMVPN_TABLE_HOST, "10.0.0.1",
					   DMVPN_HOST, &s));
	KUNIT_EXPECT_TRUE(test, dmvpn_find(test, DMVPN_TABLE_HOST, "10.0.0.2",
					   DMVPN_HOST, &s));
	KUNIT_EXPECT_EQ(test, dmvpn_cache_expire(cache, jiffies + 50000 * HZ),
			0);
}

static void dmvpn_cache_test_expired_route(struct kunit *test)
{
	unsigned long later = jiffies + 200 * HZ;
	struct dmvpn_snap s;

	dmvpn_add_host(test, "10.0.0.2", "192.0.2.2", DMVPN_ENTRY_DYNAMIC, 100);
	dmvpn_add_host(test, "10.0.0.3", "192.0.2.3", DMVPN_ENTRY_STATIC, 0);
	dmvpn_add_shortcut(test, "10.1.0.0", 16, "192.0.2.4", 100);

	dmvpn_expect_route(test, "10.9.0.1", "10.0.0.2", jiffies, "192.0.2.2");
	dmvpn_expect_route(test, "10.1.0.1", "10.0.0.3", jiffies, "192.0.2.4");

	/* Past their holding time, before the expiry work reclaims them. */
	dmvpn_expect_route(test, "10.9.0.1", "10.0.0.2", later, NULL);
	dmvpn_expect_route(test, "10.1.0.1", "10.0.0.3", later, "192.0.2.3");
	dmvpn_expect_route(test, "10.9.0.1", "10.0.0.3", later, "192.0.2.3");
	KUNIT_EXPECT_TRUE(test, dmvpn_find(test, DMVPN_TABLE_HOST, "10.0.0.2",
					   DMVPN_HOST, &s));
	KUNIT_EXPECT_EQ(test, dmvpn_expired(test, "10.0.0.2", later), 1);
	KUNIT_EXPECT_EQ(test, dmvpn_expired(test, "10.0.0.2", jiffies), 0);
	KUNIT_EXPECT_EQ(test, dmvpn_expired(test, "10.0.0.3", later), 0);
	dmvpn_expect_count(test, 3, 0);

	/* A refresh makes it usable again. */
	KUNIT_ASSERT_EQ(test, dmvpn_add(test, "10.0.0.2", DMVPN_HOST,
					"192.0.2.2", DMVPN_ENTRY_DYNAMIC, 1000,
					true), 0);
	dmvpn_expect_route(test, "10.9.0.1", "10.0.0.2", later, "192.0.2.2");
}

static void dmvpn_cache_test_unusable(struct kunit *test)
{
	struct dmvpn_snap s;

	dmvpn_add_host(test, "10.0.0.2", NULL, DMVPN_ENTRY_INCOMPLETE, 300);
	dmvpn_add_host(test, "10.0.0.3", NULL, DMVPN_ENTRY_NEGATIVE, 60);
	dmvpn_add_host(test, "2001:db8::2", NULL, DMVPN_ENTRY_INCOMPLETE, 0);
	/* Even with an address, these types never carry traffic. */
	dmvpn_add_host(test, "10.0.0.4", "192.0.2.4", DMVPN_ENTRY_NEGATIVE, 60);
	dmvpn_add_host(test, "10.0.0.5", "192.0.2.5",
		       DMVPN_ENTRY_INCOMPLETE, 60);
	dmvpn_expect_count(test, 5, 0);

	KUNIT_EXPECT_TRUE(test, dmvpn_find(test, DMVPN_TABLE_HOST, "10.0.0.2",
					   DMVPN_HOST, &s));
	KUNIT_EXPECT_EQ(test, s.nbma.family, 0);
	KUNIT_EXPECT_EQ(test, s.type, (u8)DMVPN_ENTRY_INCOMPLETE);

	dmvpn_expect_route(test, "10.9.0.1", "10.0.0.2", jiffies, NULL);
	dmvpn_expect_route(test, "10.9.0.1", "10.0.0.3", jiffies, NULL);
	dmvpn_expect_route(test, "10.9.0.1", "10.0.0.4", jiffies, NULL);
	dmvpn_expect_route(test, "10.9.0.1", "10.0.0.5", jiffies, NULL);
	dmvpn_expect_route(test, "2001:db8:9::1", "2001:db8::2", jiffies,
			   NULL);
}

static void dmvpn_cache_test_mcast(struct kunit *test)
{
	struct dmvpn_addr m4 = dmvpn_ta(test, "192.0.2.1");
	struct dmvpn_addr m6 = dmvpn_ta(test, "2001:db8::1");
	struct dmvpn_cache *cache = test->priv;
	struct netlink_ext_ack extack = {};
	struct dmvpn_snap s, s2;

	KUNIT_EXPECT_EQ(test, dmvpn_mcast_add(cache, &m4, 0, false, &extack),
			0);
	KUNIT_EXPECT_EQ(test, dmvpn_mcast_add(cache, &m6, DMVPN_MCAST_F_DYNAMIC,
					      false, &extack), 0);
	KUNIT_EXPECT_NULL(test, extack._msg);
	dmvpn_expect_count(test, 0, 2);
	KUNIT_ASSERT_TRUE(test, dmvpn_find(test, DMVPN_TABLE_MCAST,
					   "192.0.2.1", DMVPN_HOST, &s));
	KUNIT_EXPECT_TRUE(test, dmvpn_addr_is(test, &s.nbma, "192.0.2.1"));
	KUNIT_EXPECT_EQ(test, s.flags, 0);
	/* The map is not a host table: no unicast route through it. */
	KUNIT_EXPECT_FALSE(test, dmvpn_find(test, DMVPN_TABLE_HOST,
					    "192.0.2.1", DMVPN_HOST, &s2));
	dmvpn_expect_route(test, "192.0.2.1", "192.0.2.1", jiffies, NULL);

	KUNIT_EXPECT_EQ(test, dmvpn_mcast_add(cache, &m4, DMVPN_MCAST_F_DYNAMIC,
					      false, &extack), -EEXIST);
	KUNIT_ASSERT_NOT_NULL(test, extack._msg);
	KUNIT_EXPECT_STREQ(test, extack._msg, "dmvpn: multicast entry exists");
	KUNIT_ASSERT_TRUE(test, dmvpn_find(test, DMVPN_TABLE_MCAST,
					   "192.0.2.1", DMVPN_HOST, &s2));
	KUNIT_EXPECT_EQ(test, s2.flags, 0);

	/* Replace updates the flags in place. */
	KUNIT_EXPECT_EQ(test, dmvpn_mcast_add(cache, &m4, DMVPN_MCAST_F_DYNAMIC,
					      true, NULL), 0);
	KUNIT_ASSERT_TRUE(test, dmvpn_find(test, DMVPN_TABLE_MCAST,
					   "192.0.2.1", DMVPN_HOST, &s2));
	KUNIT_EXPECT_PTR_EQ(test, s2.e, s.e);
	KUNIT_EXPECT_EQ(test, s2.flags, DMVPN_MCAST_F_DYNAMIC);
	dmvpn_expect_count(test, 0, 2);

	/* A host entry with the same address lives beside it. */
	dmvpn_add_host(test, "192.0.2.1", "192.0.2.1", DMVPN_ENTRY_STATIC, 0);
	dmvpn_expect_count(test, 1, 2);

	KUNIT_EXPECT_EQ(test, dmvpn_del(test, DMVPN_TABLE_MCAST, "192.0.2.1",
					DMVPN_HOST), 0);
	KUNIT_EXPECT_EQ(test, dmvpn_del(test, DMVPN_TABLE_MCAST, "192.0.2.1",
					DMVPN_HOST), -ENOENT);
	KUNIT_EXPECT_TRUE(test, dmvpn_find(test, DMVPN_TABLE_HOST,
					   "192.0.2.1", DMVPN_HOST, &s2));
	KUNIT_EXPECT_EQ(test, dmvpn_del(test, DMVPN_TABLE_MCAST, "2001:db8::1",
					DMVPN_HOST), 0);
	dmvpn_expect_count(test, 1, 0);
}

static void dmvpn_cache_test_dead(struct kunit *test)
{
	struct dmvpn_addr m = dmvpn_ta(test, "192.0.2.1");
	struct dmvpn_cache *cache = test->priv;

	dmvpn_add_host(test, "10.0.0.2", "192.0.2.2", DMVPN_ENTRY_DYNAMIC, 60);
	dmvpn_add_shortcut(test, "10.1.0.0", 16, "192.0.2.3", 0);
	KUNIT_ASSERT_EQ(test, dmvpn_mcast_add(cache, &m, 0, false, NULL), 0);

	/* Stop empties the cache and refuses further changes. */
	dmvpn_cache_stop(cache);
	dmvpn_expect_count(test, 0, 0);
	KUNIT_EXPECT_EQ(test, cache->shortcuts.nodes, 0);
	KUNIT_EXPECT_EQ(test, dmvpn_add(test, "10.0.0.2", DMVPN_HOST,
					"192.0.2.2", DMVPN_ENTRY_STATIC, 0,
					false), -ENODEV);
	KUNIT_EXPECT_EQ(test, dmvpn_mcast_add(cache, &m, 0, false, NULL),
			-ENODEV);
	dmvpn_expect_route(test, "10.1.0.1", "10.0.0.2", jiffies, NULL);
	dmvpn_expect_count(test, 0, 0);
}

static struct kunit_case dmvpn_cache_test_cases[] = {
	KUNIT_CASE(dmvpn_cache_test_key_init),
	KUNIT_CASE(dmvpn_cache_test_add_v4),
	KUNIT_CASE(dmvpn_cache_test_add_v6),
	KUNIT_CASE(dmvpn_cache_test_exists),
	KUNIT_CASE(dmvpn_cache_test_refresh),
	KUNIT_CASE(dmvpn_cache_test_nbma_change),
	KUNIT_CASE(dmvpn_cache_test_del),
	KUNIT_CASE(dmvpn_cache_test_flush),
	KUNIT_CASE(dmvpn_cache_test_flush_within),
	KUNIT_CASE(dmvpn_cache_test_limit),
	KUNIT_CASE(dmvpn_cache_test_mcast_limit),
	KUNIT_CASE(dmvpn_cache_test_expire),
	KUNIT_CASE(dmvpn_cache_test_expired_route),
	KUNIT_CASE(dmvpn_cache_test_unusable),
	KUNIT_CASE(dmvpn_cache_test_mcast),
	KUNIT_CASE(dmvpn_cache_test_dead),
	{}
};

static struct kunit_suite dmvpn_cache_test_suite = {
	.name = "dmvpn_cache",
	.init = dmvpn_cache_test_init,
	.exit = dmvpn_cache_test_exit,
	.suite_exit = dmvpn_test_suite_exit,
	.test_cases = dmvpn_cache_test_cases,
};

/* -------------------------------------------------------- dmvpn_nhs */

static void dmvpn_add_nhs(struct kunit *test, const char *proto,
			  const char *nbma, u8 type, u32 holdtime, u32 flags,
			  bool replace)
{
	struct dmvpn_entry_spec s = dmvpn_spec(test, proto, DMVPN_HOST, nbma,
					       type, holdtime);

	s.flags = flags;
	KUNIT_ASSERT_EQ_MSG(test, dmvpn_cache_add(test->priv, &s, replace ?
						  DMVPN_ADD_REPLACE :
						  DMVPN_ADD_CREATE, NULL), 0,
			    "adding %s", proto);
}

/* dmvpn_cache_route() must give @nbma (NULL: nothing) and @how. */
static void dmvpn_expect_via(struct kunit *test, const char *nh,
			     unsigned long now, const char *nbma,
			     enum dmvpn_route_how want)
{
	struct dmvpn_addr n = dmvpn_ta(test, nh), got = {};
	const struct dmvpn_entry *e;
	char buf[INET6_ADDRSTRLEN + 8];
	enum dmvpn_route_how how;
	struct dmvpn_route r;

	rcu_read_lock();
	dmvpn_cache_route(test->priv, &n, &n, now, &r);
	e = r.entry;
	how = r.how;
	if (e)
		got = r.peer->nbma;
	rcu_read_unlock();

	dmvpn_fmt(buf, sizeof(buf), &got);
	KUNIT_EXPECT_EQ_MSG(test, how, want, "how for %s", nh);
	if (!nbma)
		KUNIT_EXPECT_NULL_MSG(test, e, "%s: got %s", nh, buf);
	else
		KUNIT_EXPECT_TRUE_MSG(test, e && dmvpn_addr_is(test, &got, nbma),
				      "%s: want %s, got %s", nh, nbma,
				      e ? buf : "nothing");
}

/* The NBMA address of the chosen NHS entry, or "(none)". */
static void dmvpn_expect_nhs(struct kunit *test, unsigned long now,
			     const char *nbma)
{
	struct dmvpn_addr got = {};
	const struct dmvpn_entry *e;
	char buf[INET6_ADDRSTRLEN + 8];
	struct dmvpn_peer *p;

	rcu_read_lock();
	e = dmvpn_cache_nhs(test->priv, now, &p);
	if (e)
		got = p->nbma;
	rcu_read_unlock();
	dmvpn_fmt(buf, sizeof(buf), &got);
	KUNIT_EXPECT_STREQ(test, buf, nbma ? nbma : "(none)");
}

static void dmvpn_nhs_test_no_nhs(struct kunit *test)
{
	dmvpn_add_host(test, "10.0.0.2", NULL, DMVPN_ENTRY_INCOMPLETE, 300);
	dmvpn_add_host(test, "10.0.0.3", "192.0.2.3", DMVPN_ENTRY_STATIC, 0);
	/* Unknown: drop and ask; pending: drop quietly. */
	dmvpn_expect_via(test, "10.0.0.9", jiffies, NULL, DMVPN_ROUTE_MISS);
	dmvpn_expect_via(test, "10.0.0.2", jiffies, NULL, DMVPN_ROUTE_PENDING);
	dmvpn_expect_via(test, "10.0.0.3", jiffies, "192.0.2.3",
			 DMVPN_ROUTE_ENTRY);
	dmvpn_expect_nhs(test, jiffies, NULL);
}

static void dmvpn_nhs_test_fallback(struct kunit *test)
{
	unsigned long later = jiffies + 400 * HZ;

	dmvpn_add_nhs(test, "10.0.0.1", "192.0.2.1", DMVPN_ENTRY_STATIC, 0,
		      DMVPN_F_NHS, false);
	dmvpn_add_host(test, "10.0.0.2", NULL, DMVPN_ENTRY_INCOMPLETE, 300);
	dmvpn_add_host(test, "10.0.0.3", NULL, DMVPN_ENTRY_NEGATIVE, 60);
	dmvpn_add_host(test, "10.0.0.4", "192.0.2.4", DMVPN_ENTRY_DYNAMIC, 300);
	dmvpn_add_host(test, "2001:db8::2", NULL, DMVPN_ENTRY_INCOMPLETE, 0);

	dmvpn_expect_nhs(test, jiffies, "192.0.2.1");
	dmvpn_expect_via(test, "10.0.0.9", jiffies, "192.0.2.1",
			 DMVPN_ROUTE_MISS);
	dmvpn_expect_via(test, "10.0.0.2", jiffies, "192.0.2.1",
			 DMVPN_ROUTE_PENDING);
	dmvpn_expect_via(test, "10.0.0.3", jiffies, "192.0.2.1",
			 DMVPN_ROUTE_PENDING);
	dmvpn_expect_via(test, "10.0.0.4", jiffies, "192.0.2.4",
			 DMVPN_ROUTE_ENTRY);
	dmvpn_expect_via(test, "2001:db8::2", jiffies, "192.0.2.1",
			 DMVPN_ROUTE_PENDING);
	dmvpn_expect_via(test, "10.0.0.1", jiffies, "192.0.2.1",
			 DMVPN_ROUTE_ENTRY);
	/* Expired entries are gone: the nexthop is unknown again. */
	dmvpn_expect_via(test, "10.0.0.2", later, "192.0.2.1",
			 DMVPN_ROUTE_MISS);
	dmvpn_expect_via(test, "10.0.0.4", later, "192.0.2.1",
			 DMVPN_ROUTE_MISS);
}

static void dmvpn_nhs_test_order(struct kunit *test)
{
	dmvpn_add_nhs(test, "10.0.0.1", "192.0.2.1", DMVPN_ENTRY_DYNAMIC, 100,
		      DMVPN_F_NHS, false);
	dmvpn_add_nhs(test, "10.0.0.5", "192.0.2.5", DMVPN_ENTRY_STATIC, 0,
		      DMVPN_F_NHS | DMVPN_F_UNIQUE, false);
	dmvpn_expect_nhs(test, jiffies, "192.0.2.1");
	/* A new NBMA address swaps the entry in: it keeps its rank. */
	dmvpn_add_nhs(test, "10.0.0.1", "192.0.2.11", DMVPN_ENTRY_DYNAMIC, 100,
		      DMVPN_F_NHS, true);
	dmvpn_expect_nhs(test, jiffies, "192.0.2.11");
	/* Losing the flag in place drops it from the servers. */
	dmvpn_add_nhs(test, "10.0.0.1", "192.0.2.11", DMVPN_ENTRY_DYNAMIC, 100,
		      0, true);
	dmvpn_expect_nhs(test, jiffies, "192.0.2.5");
	/* Regaining it puts it last. */
	dmvpn_add_nhs(test, "10.0.0.1", "192.0.2.11", DMVPN_ENTRY_DYNAMIC, 100,
		      DMVPN_F_NHS, true);
	dmvpn_expect_nhs(test, jiffies, "192.0.2.5");
	KUNIT_EXPECT_EQ(test, dmvpn_del(test, DMVPN_TABLE_HOST, "10.0.0.5",
					DMVPN_HOST), 0);
	dmvpn_expect_nhs(test, jiffies, "192.0.2.11");
	dmvpn_flush_type(test->priv, 0, false);
	dmvpn_expect_nhs(test, jiffies, NULL);
}

static void dmvpn_nhs_test_unusable(struct kunit *test)
{
	unsigned long later = jiffies + 200 * HZ;

	/* An NHS being resolved is no server yet. */
	dmvpn_add_nhs(test, "10.0.0.1", NULL, DMVPN_ENTRY_INCOMPLETE, 100,
		      DMVPN_F_NHS, false);
	dmvpn_expect_nhs(test, jiffies, NULL);
	dmvpn_add_nhs(test, "10.0.0.2", "192.0.2.2", DMVPN_ENTRY_DYNAMIC, 100,
		      DMVPN_F_NHS, false);
	dmvpn_add_nhs(test, "10.0.0.3", "192.0.2.3", DMVPN_ENTRY_DYNAMIC, 300,
		      DMVPN_F_NHS, false);
	dmvpn_expect_nhs(test, jiffies, "192.0.2.2");
	/* Resolved in place: it was first, so it is chosen. */
	dmvpn_add_nhs(test, "10.0.0.1", "192.0.2.1", DMVPN_ENTRY_DYNAMIC, 300,
		      DMVPN_F_NHS, true);
	dmvpn_expect_nhs(test, jiffies, "192.0.2.1");
	KUNIT_EXPECT_EQ(test, dmvpn_del(test, DMVPN_TABLE_HOST, "10.0.0.1",
					DMVPN_HOST), 0);
	/* Past its lifetime the chosen one is refused until reclaimed... */
	dmvpn_expect_nhs(test, later, NULL);
	/* ...and then the next takes over. */
	KUNIT_EXPECT_EQ(test, dmvpn_cache_expire(test->priv, later), 1);
	dmvpn_expect_nhs(test, later, "192.0.2.3");
	dmvpn_expect_via(test, "10.0.0.9", later, "192.0.2.3",
			 DMVPN_ROUTE_MISS);
}

static void dmvpn_nhs_test_shortcut_flag(struct kunit *test)
{
	struct dmvpn_entry_spec s = dmvpn_spec(test, "10.8.0.0", 16,
					       "192.0.2.8",
					       DMVPN_ENTRY_SHORTCUT, 0);

	/* Only host entries are servers. */
	s.flags = DMVPN_F_NHS;
	KUNIT_ASSERT_EQ(test, dmvpn_cache_add(test->priv, &s, DMVPN_ADD_CREATE, NULL), 0);
	dmvpn_expect_nhs(test, jiffies, NULL);
	dmvpn_expect_via(test, "10.0.0.9", jiffies, NULL, DMVPN_ROUTE_MISS);
}

static struct kunit_case dmvpn_nhs_test_cases[] = {
	KUNIT_CASE(dmvpn_nhs_test_no_nhs),
	KUNIT_CASE(dmvpn_nhs_test_fallback),
	KUNIT_CASE(dmvpn_nhs_test_order),
	KUNIT_CASE(dmvpn_nhs_test_unusable),
	KUNIT_CASE(dmvpn_nhs_test_shortcut_flag),
	{}
};

static struct kunit_suite dmvpn_nhs_test_suite = {
	.name = "dmvpn_nhs",
	.init = dmvpn_cache_test_init,
	.exit = dmvpn_cache_test_exit,
	.suite_exit = dmvpn_test_suite_exit,
	.test_cases = dmvpn_nhs_test_cases,
};

/* ------------------------------------------------------- dmvpn_peer */

static unsigned int dmvpn_peer_count(struct kunit *test)
{
	return READ_ONCE(((struct dmvpn_cache *)test->priv)->peers.count);
}

static void dmvpn_peer_test_shared(struct kunit *test)
{
	struct dmvpn_addr m = dmvpn_ta(test, "192.0.2.1");
	struct dmvpn_snap s1, s2, s3, sm;

	dmvpn_add_host(test, "10.0.0.1", "192.0.2.1", DMVPN_ENTRY_STATIC, 0);
	dmvpn_add_host(test, "10.0.0.2", "192.0.2.1", DMVPN_ENTRY_DYNAMIC, 60);
	dmvpn_add_shortcut(test, "10.1.0.0", 16, "192.0.2.1", 0);
	KUNIT_ASSERT_EQ(test, dmvpn_mcast_add(test->priv, &m, 0, false, NULL),
			0);
	dmvpn_add_host(test, "10.0.0.3", "192.0.2.3", DMVPN_ENTRY_DYNAMIC, 60);
	KUNIT_EXPECT_EQ(test, dmvpn_peer_count(test), 2);

	/* One NBMA address, one peer: one route cache, one set of
	 * counters, whichever entry the traffic was sent by.
	 */
	dmvpn_account(test, "10.0.0.1", 2, 200);
	dmvpn_account(test, "10.0.0.2", 1, 50);
	KUNIT_ASSERT_TRUE(test, dmvpn_find(test, DMVPN_TABLE_HOST, "10.0.0.1",
					   DMVPN_HOST, &s1));
	KUNIT_ASSERT_TRUE(test, dmvpn_find(test, DMVPN_TABLE_HOST, "10.0.0.2",
					   DMVPN_HOST, &s2));
	KUNIT_ASSERT_TRUE(test, dmvpn_find(test, DMVPN_TABLE_SHORTCUT,
					   "10.1.0.0", 16, &s3));
	KUNIT_ASSERT_TRUE(test, dmvpn_find(test, DMVPN_TABLE_MCAST,
					   "192.0.2.1", DMVPN_HOST, &sm));
	KUNIT_EXPECT_PTR_EQ(test, s1.peer, s2.peer);
	KUNIT_EXPECT_PTR_EQ(test, s1.peer, s3.peer);
	KUNIT_EXPECT_PTR_EQ(test, s1.peer, sm.peer);
	KUNIT_EXPECT_EQ(test, s3.packets, 3);
	KUNIT_EXPECT_EQ(test, s3.bytes, 250);
	KUNIT_EXPECT_EQ(test, sm.mcast, 0);

	/* The peer stays while any entry points to it. */
	KUNIT_EXPECT_EQ(test, dmvpn_del(test, DMVPN_TABLE_HOST, "10.0.0.1",
					DMVPN_HOST), 0);
	KUNIT_EXPECT_EQ(test, dmvpn_del(test, DMVPN_TABLE_SHORTCUT, "10.1.0.0",
					16), 0);
	KUNIT_EXPECT_EQ(test, dmvpn_del(test, DMVPN_TABLE_MCAST, "192.0.2.1",
					DMVPN_HOST), 0);
	KUNIT_EXPECT_EQ(test, dmvpn_peer_count(test), 2);
	KUNIT_ASSERT_TRUE(test, dmvpn_find(test, DMVPN_TABLE_HOST, "10.0.0.2",
					   DMVPN_HOST, &s2));
	KUNIT_EXPECT_EQ(test, s2.packets, 3);
	KUNIT_EXPECT_EQ(test, dmvpn_del(test, DMVPN_TABLE_HOST, "10.0.0.2",
					DMVPN_HOST), 0);
	KUNIT_EXPECT_EQ(test, dmvpn_peer_count(test), 1);
	dmvpn_flush_type(test->priv, 0, true);
	KUNIT_EXPECT_EQ(test, dmvpn_peer_count(test), 0);
}

/* Entries that can never transmit own no peer, hence no route cache. */
static void dmvpn_peer_test_unusable(struct kunit *test)
{
	struct dmvpn_snap s;

	dmvpn_add_host(test, "10.0.0.2", NULL, DMVPN_ENTRY_INCOMPLETE, 300);
	dmvpn_add_host(test, "10.0.0.4", "192.0.2.4", DMVPN_ENTRY_NEGATIVE, 60);
	KUNIT_EXPECT_EQ(test, dmvpn_peer_count(test), 0);
	KUNIT_ASSERT_TRUE(test, dmvpn_find(test, DMVPN_TABLE_HOST, "10.0.0.4",
					   DMVPN_HOST, &s));
	KUNIT_EXPECT_NULL(test, s.peer);

	/* Resolved: a peer; then negative again: none. */
	KUNIT_ASSERT_EQ(test, dmvpn_add(test, "10.0.0.2", DMVPN_HOST,
					"192.0.2.2", DMVPN_ENTRY_DYNAMIC, 60,
					true), 0);
	KUNIT_EXPECT_EQ(test, dmvpn_peer_count(test), 1);
	dmvpn_expect_route(test, "10.0.0.2", "10.0.0.2", jiffies, "192.0.2.2");
	KUNIT_ASSERT_EQ(test, dmvpn_add(test, "10.0.0.2", DMVPN_HOST, NULL,
					DMVPN_ENTRY_NEGATIVE, 60, true), 0);
	KUNIT_EXPECT_EQ(test, dmvpn_peer_count(test), 0);
	dmvpn_expect_route(test, "10.0.0.2", "10.0.0.2", jiffies, NULL);
}

/* Makes a host entry expired without waiting for its holding time. */
static void dmvpn_expire_now(struct kunit *test, const char *addr)
{
	struct dmvpn_addr a = dmvpn_ta(test, addr);
	struct dmvpn_entry *e;

	rcu_read_lock();
	e = dmvpn_cache_find(test->priv, DMVPN_TABLE_HOST, &a,
			     dmvpn_family_bits(a.family));
	if (e)
		WRITE_ONCE(e->expires, jiffies - 1 ?: 1);
	rcu_read_unlock();
	KUNIT_ASSERT_NOT_NULL(test, e);
}

static int dmvpn_update(struct kunit *test, const char *proto,
			const char *nbma, struct netlink_ext_ack *extack)
{
	struct dmvpn_entry_spec s = dmvpn_spec(test, proto, DMVPN_HOST, nbma,
					       DMVPN_ENTRY_DYNAMIC, 60);

	return dmvpn_cache_add(test->priv, &s, DMVPN_ADD_UPDATE, extack);
}

/* ENTRY_SET updates and never creates, whichever of it and a delete
 * comes first: the check and the change are one locked step.
 */
static void dmvpn_peer_test_update_only(struct kunit *test)
{
	struct netlink_ext_ack extack = {};
	struct dmvpn_snap s;

	KUNIT_EXPECT_EQ(test, dmvpn_update(test, "10.0.0.2", "192.0.2.2",
					   &extack), -ENOENT);
	KUNIT_EXPECT_STREQ(test, extack._msg, "dmvpn: no such entry");
	dmvpn_expect_count(test, 0, 0);
	KUNIT_EXPECT_EQ(test, dmvpn_peer_count(test), 0);

	/* Delete, then update. */
	dmvpn_add_host(test, "10.0.0.2", "192.0.2.2", DMVPN_ENTRY_DYNAMIC, 60);
	KUNIT_EXPECT_EQ(test, dmvpn_del(test, DMVPN_TABLE_HOST, "10.0.0.2",
					DMVPN_HOST), 0);
	KUNIT_EXPECT_EQ(test, dmvpn_update(test, "10.0.0.2", "192.0.2.9",
					   NULL), -ENOENT);
	KUNIT_EXPECT_FALSE(test, dmvpn_find(test, DMVPN_TABLE_HOST, "10.0.0.2",
					    DMVPN_HOST, &s));
	KUNIT_EXPECT_EQ(test, dmvpn_peer_count(test), 0);

	/* Update, then delete. */
	dmvpn_add_host(test, "10.0.0.2", "192.0.2.2", DMVPN_ENTRY_DYNAMIC, 60);
	KUNIT_EXPECT_EQ(test, dmvpn_update(test, "10.0.0.2", "192.0.2.9",
					   NULL), 0);
	KUNIT_ASSERT_TRUE(test, dmvpn_find(test, DMVPN_TABLE_HOST, "10.0.0.2",
					   DMVPN_HOST, &s));
	KUNIT_EXPECT_TRUE(test, dmvpn_addr_is(test, &s.nbma, "192.0.2.9"));
	KUNIT_EXPECT_EQ(test, dmvpn_del(test, DMVPN_TABLE_HOST, "10.0.0.2",
					DMVPN_HOST), 0);
	KUNIT_EXPECT_FALSE(test, dmvpn_find(test, DMVPN_TABLE_HOST, "10.0.0.2",
					    DMVPN_HOST, &s));
	dmvpn_expect_count(test, 0, 0);

	/* An expired entry not yet reclaimed is gone for an update too. */
	dmvpn_add_host(test, "10.0.0.3", "192.0.2.3", DMVPN_ENTRY_DYNAMIC, 1);
	dmvpn_expire_now(test, "10.0.0.3");
	KUNIT_EXPECT_EQ(test, dmvpn_update(test, "10.0.0.3", "192.0.2.3",
					   NULL), -ENOENT);
}

/* The chosen NHS changes NBMA address (NAT rebinding): transmit keeps
 * reading the same entry, whose peer changes under RCU. Both orders of
 * the NHS flag and the address change.
 */
static void dmvpn_peer_test_nhs_nbma(struct kunit *test)
{
	struct dmvpn_snap s1, s2;

	dmvpn_add_nhs(test, "10.0.0.1", "192.0.2.1", DMVPN_ENTRY_STATIC, 0,
		      DMVPN_F_NHS, false);
	KUNIT_ASSERT_TRUE(test, dmvpn_find(test, DMVPN_TABLE_HOST, "10.0.0.1",
					   DMVPN_HOST, &s1));
	dmvpn_add_nhs(test, "10.0.0.1", "198.51.100.1", DMVPN_ENTRY_STATIC, 0,
		      DMVPN_F_NHS, true);
	dmvpn_expect_nhs(test, jiffies, "198.51.100.1");
	KUNIT_ASSERT_TRUE(test, dmvpn_find(test, DMVPN_TABLE_HOST, "10.0.0.1",
					   DMVPN_HOST, &s2));
	KUNIT_EXPECT_PTR_EQ(test, s2.e, s1.e);
	KUNIT_EXPECT_EQ(test, dmvpn_peer_count(test), 1);

	/* Address and flag in one change, each way. */
	dmvpn_add_nhs(test, "10.0.0.2", "192.0.2.2", DMVPN_ENTRY_STATIC, 0, 0,
		      false);
	dmvpn_add_nhs(test, "10.0.0.1", "192.0.2.1", DMVPN_ENTRY_STATIC, 0, 0,
		      true);
	dmvpn_expect_nhs(test, jiffies, NULL);
	dmvpn_add_nhs(test, "10.0.0.2", "198.51.100.2", DMVPN_ENTRY_STATIC, 0,
		      DMVPN_F_NHS, true);
	dmvpn_expect_nhs(test, jiffies, "198.51.100.2");
	KUNIT_EXPECT_EQ(test, dmvpn_peer_count(test), 2);
}

struct dmvpn_race {
	struct dmvpn_cache *cache;
	__be32 nbma[2];
	atomic_t seen[2];
	atomic_t bad;
};

/* What the transmit path does with the NHS's peer, as fast as it can. */
static int dmvpn_race_reader(void *arg)
{
	struct dmvpn_race *r = arg;

	while (!kthread_should_stop()) {
		struct dmvpn_peer *p;
		__be32 saddr, nbma;
		struct rtable *rt;

		local_bh_disable();
		rcu_read_lock();
		if (dmvpn_cache_nhs(r->cache, jiffies, &p)) {
			nbma = READ_ONCE(p->nbma.ip4);
			rt = dst_cache_get_ip4(&p->dst_cache, &saddr);
			if (rt)
				ip_rt_put(rt);
			dmvpn_peer_account(p, 64, false);
			if (nbma == r->nbma[0])
				atomic_inc(&r->seen[0]);
			else if (nbma == r->nbma[1])
				atomic_inc(&r->seen[1]);
			else
				atomic_inc(&r->bad);
		}
		rcu_read_unlock();
		local_bh_enable();
		cond_resched();
	}
	return 0;
}

#define DMVPN_RACE_CHANGES	300

/* The NHS changes address while a reader on another CPU uses its peer:
 * under KASAN, a peer freed too early is a report that fails the run.
 */
static void dmvpn_peer_test_nhs_race(struct kunit *test)
{
	struct dmvpn_race *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	static const char *const nbma[] = { "192.0.2.1", "198.51.100.1" };
	unsigned long deadline = jiffies + 20 * HZ;
	struct task_struct *task;
	int i, total;

	KUNIT_ASSERT_NOT_NULL(test, r);
	r->cache = test->priv;
	for (i = 0; i < 2; i++)
		r->nbma[i] = dmvpn_ta(test, nbma[i]).ip4;
	dmvpn_add_nhs(test, "10.0.0.1", nbma[0], DMVPN_ENTRY_STATIC, 0,
		      DMVPN_F_NHS, false);
	task = kthread_run(dmvpn_race_reader, r, "dmvpn-kunit-race");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	for (i = 1; i <= DMVPN_RACE_CHANGES; i++) {
		total = atomic_read(&r->seen[0]) + atomic_read(&r->seen[1]);
		dmvpn_add_nhs(test, "10.0.0.1", nbma[i % 2],
			      DMVPN_ENTRY_STATIC, 0, DMVPN_F_NHS, true);
		/* Let the reader in between changes, even on one CPU. */
		while (atomic_read(&r->seen[0]) + atomic_read(&r->seen[1]) ==
		       total && time_before(jiffies, deadline))
			cond_resched();
	}
	kthread_stop(task);
	KUNIT_EXPECT_EQ(test, atomic_read(&r->bad), 0);
	KUNIT_EXPECT_GT(test, atomic_read(&r->seen[0]), 0);
	KUNIT_EXPECT_GT(test, atomic_read(&r->seen[1]), 0);
	KUNIT_EXPECT_EQ(test, dmvpn_peer_count(test), 1);
}

static struct kunit_case dmvpn_peer_test_cases[] = {
	KUNIT_CASE(dmvpn_peer_test_shared),
	KUNIT_CASE(dmvpn_peer_test_unusable),
	KUNIT_CASE(dmvpn_peer_test_update_only),
	KUNIT_CASE(dmvpn_peer_test_nhs_nbma),
	KUNIT_CASE(dmvpn_peer_test_nhs_race),
	{}
};

static struct kunit_suite dmvpn_peer_test_suite = {
	.name = "dmvpn_peer",
	.init = dmvpn_cache_test_init,
	.exit = dmvpn_cache_test_exit,
	.suite_exit = dmvpn_test_suite_exit,
	.test_cases = dmvpn_peer_test_cases,
};

/* --------------------------------------------------- dmvpn_shortcut */

static void dmvpn_shortcut_test_lpm_v4(struct kunit *test)
{
	dmvpn_add_shortcut(test, "10.0.0.0", 8, "192.0.2.8", 0);
	dmvpn_add_shortcut(test, "10.1.0.0", 16, "192.0.2.16", 0);
	dmvpn_add_shortcut(test, "10.1.2.0", 24, "192.0.2.24", 0);
	dmvpn_add_shortcut(test, "10.1.2.3", 32, "192.0.2.32", 0);

	dmvpn_expect_route(test, "10.1.2.3", DMVPN_NH4, jiffies, "192.0.2.32");
	dmvpn_expect_route(test, "10.1.2.4", DMVPN_NH4, jiffies, "192.0.2.24");
	dmvpn_expect_route(test, "10.1.2.255", DMVPN_NH4, jiffies, "192.0.2.24");
	dmvpn_expect_route(test, "10.1.3.3", DMVPN_NH4, jiffies, "192.0.2.16");
	dmvpn_expect_route(test, "10.1.255.255", DMVPN_NH4, jiffies, "192.0.2.16");
	dmvpn_expect_route(test, "10.2.2.3", DMVPN_NH4, jiffies, "192.0.2.8");
	dmvpn_expect_route(test, "10.0.0.0", DMVPN_NH4, jiffies, "192.0.2.8");
	dmvpn_expect_route(test, "11.1.2.3", DMVPN_NH4, jiffies, NULL);
	dmvpn_expect_route(test, "9.255.255.255", DMVPN_NH4, jiffies, NULL);
}

static void dmvpn_shortcut_test_fallback(struct kunit *test)
{
	struct dmvpn_cache *cache = test->priv;

	dmvpn_add_shortcut(test, "10.0.0.0", 8, "192.0.2.8", 0);
	dmvpn_add_shortcut(test, "10.1.0.0", 16, "192.0.2.16", 0);
	dmvpn_add_shortcut(test, "10.1.2.0", 24, "192.0.2.24", 0);
	dmvpn_add_shortcut(test, "10.1.2.3", 32, "192.0.2.32", 0);
	dmvpn_expect_count(test, 4, 0);

	KUNIT_EXPECT_EQ(test, dmvpn_del(test, DMVPN_TABLE_SHORTCUT, "10.1.2.3",
					32), 0);
	dmvpn_expect_route(test, "10.1.2.3", DMVPN_NH4, jiffies, "192.0.2.24");
	/* 8 -> 16 -> 24 is a chain: no branching node is left behind. */
	KUNIT_EXPECT_EQ(test, cache->shortcuts.nodes, 3);

	KUNIT_EXPECT_EQ(test, dmvpn_del(test, DMVPN_TABLE_SHORTCUT, "10.1.2.0",
					24), 0);
	dmvpn_expect_route(test, "10.1.2.3", DMVPN_NH4, jiffies, "192.0.2.16");

	/* Deleting by a covered address names the same prefix. */
	KUNIT_EXPECT_EQ(test, dmvpn_del(test, DMVPN_TABLE_SHORTCUT, "10.1.9.9",
					16), 0);
	dmvpn_expect_route(test, "10.1.2.3", DMVPN_NH4, jiffies, "192.0.2.8");
	KUNIT_EXPECT_EQ(test, dmvpn_del(test, DMVPN_TABLE_SHORTCUT, "10.1.0.0",
					16), -ENOENT);

	KUNIT_EXPECT_EQ(test, dmvpn_del(test, DMVPN_TABLE_SHORTCUT, "10.0.0.0",
					8), 0);
	dmvpn_expect_route(test, "10.1.2.3", DMVPN_NH4, jiffies, NULL);
	KUNIT_EXPECT_EQ(test, cache->shortcuts.nodes, 0);
	dmvpn_expect_count(test, 0, 0);
}

static void dmvpn_shortcut_test_host_nexthop(struct kunit *test)
{
	dmvpn_add_host(test, "10.255.0.1", "192.0.2.1", DMVPN_ENTRY_STATIC, 0);
	dmvpn_add_shortcut(test, "10.1.0.0", 16, "192.0.2.16", 0);

	/* A matching shortcut wins over the nexthop's host entry. */
	dmvpn_expect_route(test, "10.1.5.5", "10.255.0.1", jiffies,
			   "192.0.2.16");
	/* No shortcut: the nexthop's host entry is used. */
	dmvpn_expect_route(test, "10.2.5.5", "10.255.0.1", jiffies,
			   "192.0.2.1");
	dmvpn_expect_route(test, "10.2.5.5", "10.255.0.2", jiffies, NULL);
	/* The destination is never looked up as a host. */
	dmvpn_expect_route(test, "10.255.0.1", "10.255.0.2", jiffies, NULL);

	/* A /32 shortcut and a host entry for one address are distinct. */
	dmvpn_add_shortcut(test, "10.255.0.1", 32, "192.0.2.32", 0);
	dmvpn_expect_route(test, "10.255.0.1", "10.255.0.2", jiffies,
			   "192.0.2.32");
	dmvpn_expect_route(test, "10.2.5.5", "10.255.0.1", jiffies,
			   "192.0.2.1");
	dmvpn_expect_count(test, 3, 0);
}

static void dmvpn_shortcut_test_expired(struct kunit *test)
{
	unsigned long later = jiffies + 200 * HZ;

	dmvpn_add_shortcut(test, "10.1.0.0", 16, "192.0.2.16", 0);
	dmvpn_add_shortcut(test, "10.1.2.0", 24, "192.0.2.24", 100);
	dmvpn_add_host(test, "10.255.0.1", "192.0.2.1", DMVPN_ENTRY_STATIC, 0);

	dmvpn_expect_route(test, "10.1.2.3", DMVPN_NH4, jiffies, "192.0.2.24");
	/* An expired longer prefix gives way to the next one. */
	dmvpn_expect_route(test, "10.1.2.3", DMVPN_NH4, later, "192.0.2.16");

	KUNIT_EXPECT_EQ(test, dmvpn_del(test, DMVPN_TABLE_SHORTCUT, "10.1.0.0",
					16), 0);
	/* ... and with no other prefix, to the nexthop's host entry. */
	dmvpn_expect_route(test, "10.1.2.3", "10.255.0.1", later, "192.0.2.1");
	dmvpn_expect_route(test, "10.1.2.3", DMVPN_NH4, later, NULL);
}

static void dmvpn_shortcut_test_v6(struct kunit *test)
{
	struct dmvpn_cache *cache = test->priv;

	dmvpn_add_shortcut(test, "2001:db8:1::", 48, "192.0.2.48", 0);
	dmvpn_add_shortcut(test, "2001:db8:1:2::", 64, "192.0.2.64", 0);
	dmvpn_add_shortcut(test, "2001:db8:1:2::5", 128, "2001:db8:ffff::128",
			   0);
	dmvpn_add_host(test, "2001:db8:ffff::1", "192.0.2.1",
		       DMVPN_ENTRY_STATIC, 0);

	dmvpn_expect_route(test, "2001:db8:1:2::5", DMVPN_NH6, jiffies,
			   "2001:db8:ffff::128");
	dmvpn_expect_route(test, "2001:db8:1:2::6", DMVPN_NH6, jiffies,
			   "192.0.2.64");
	dmvpn_expect_route(test, "2001:db8:1:2:ffff:ffff:ffff:ffff", DMVPN_NH6,
			   jiffies, "192.0.2.64");
	dmvpn_expect_route(test, "2001:db8:1:3::5", DMVPN_NH6, jiffies,
			   "192.0.2.48");
	dmvpn_expect_route(test, "2001:db8:2::5", DMVPN_NH6, jiffies, NULL);
	dmvpn_expect_route(test, "2001:db8:2::5", "2001:db8:ffff::1", jiffies,
			   "192.0.2.1");

	/* IPv6 prefixes are another trie: 48 -> 64 -> 128, one chain. */
	KUNIT_EXPECT_NULL(test, rcu_access_pointer(cache->shortcuts.root[0]));
	KUNIT_EXPECT_EQ(test, cache->shortcuts.nodes, 3);
	dmvpn_expect_route(test, "32.1.13.184", DMVPN_NH4, jiffies, NULL);

	KUNIT_EXPECT_EQ(test, dmvpn_del(test, DMVPN_TABLE_SHORTCUT,
					"2001:db8:1:2::", 64), 0);
	dmvpn_expect_route(test, "2001:db8:1:2::6", DMVPN_NH6, jiffies,
			   "192.0.2.48");
	dmvpn_expect_route(test, "2001:db8:1:2::5", DMVPN_NH6, jiffies,
			   "2001:db8:ffff::128");
	KUNIT_EXPECT_EQ(test, dmvpn_del(test, DMVPN_TABLE_SHORTCUT,
					"2001:db8:1:2::5", 128), 0);
	dmvpn_expect_route(test, "2001:db8:1:2::5", DMVPN_NH6, jiffies,
			   "192.0.2.48");
}

static void dmvpn_shortcut_test_default(struct kunit *test)
{
	struct dmvpn_snap s;

	/* Host bits of a /0 prefix are masked: any address names it. */
	dmvpn_add_shortcut(test, "0.0.0.0", 0, "192.0.2.0", 0);
	dmvpn_add_shortcut(test, "::", 0, "2001:db8:ffff::", 0);
	KUNIT_EXPECT_TRUE(test, dmvpn_find(test, DMVPN_TABLE_SHORTCUT,
					   "203.0.113.9", 0, &s));

	dmvpn_expect_route(test, "8.8.8.8", DMVPN_NH4, jiffies, "192.0.2.0");
	dmvpn_expect_route(test, "10.1.2.3", DMVPN_NH4, jiffies, "192.0.2.0");
	dmvpn_expect_route(test, "255.255.255.255", DMVPN_NH4, jiffies, "192.0.2.0");
	dmvpn_expect_route(test, "2001:db8:1::1", DMVPN_NH6, jiffies,
			   "2001:db8:ffff::");

	dmvpn_add_shortcut(test, "10.0.0.0", 8, "192.0.2.8", 0);
	dmvpn_expect_route(test, "10.1.2.3", DMVPN_NH4, jiffies, "192.0.2.8");
	dmvpn_expect_route(test, "8.8.8.8", DMVPN_NH4, jiffies, "192.0.2.0");

	/* The default shortcut beats the nexthop's host entry too. */
	dmvpn_add_host(test, "10.255.0.1", "192.0.2.1", DMVPN_ENTRY_STATIC, 0);
	dmvpn_expect_route(test, "8.8.8.8", "10.255.0.1", jiffies,
			   "192.0.2.0");

	KUNIT_EXPECT_EQ(test, dmvpn_del(test, DMVPN_TABLE_SHORTCUT, "0.0.0.0",
					0), 0);
	dmvpn_expect_route(test, "8.8.8.8", DMVPN_NH4, jiffies, NULL);
	dmvpn_expect_route(test, "8.8.8.8", "10.255.0.1", jiffies,
			   "192.0.2.1");
	dmvpn_expect_route(test, "2001:db8:1::1", DMVPN_NH6, jiffies,
			   "2001:db8:ffff::");
}

static void dmvpn_shortcut_test_trie_shape(struct kunit *test)
{
	struct dmvpn_cache *cache = test->priv;
	struct dmvpn_snap s1, s2;

	/* .1 and .2 part at bit 22, .2 and .3 at bit 23: two branching
	 * nodes hold the three prefixes.
	 */
	dmvpn_add_shortcut(test, "10.1.1.0", 24, "192.0.2.1", 0);
	dmvpn_add_shortcut(test, "10.1.2.0", 24, "192.0.2.2", 0);
	dmvpn_add_shortcut(test, "10.1.3.0", 24, "192.0.2.3", 0);
	KUNIT_EXPECT_EQ(test, cache->shortcuts.nodes, 5);

	/* A replace, with the same NBMA or another, keeps the node. */
	KUNIT_ASSERT_TRUE(test, dmvpn_find(test, DMVPN_TABLE_SHORTCUT,
					   "10.1.3.0", 24, &s1));
	KUNIT_EXPECT_EQ(test, dmvpn_add(test, "10.1.3.0", 24, "192.0.2.3",
					DMVPN_ENTRY_SHORTCUT, 60, true), 0);
	KUNIT_EXPECT_EQ(test, dmvpn_add(test, "10.1.3.0", 24, "198.51.100.3",
					DMVPN_ENTRY_SHORTCUT, 60, true), 0);
	KUNIT_ASSERT_TRUE(test, dmvpn_find(test, DMVPN_TABLE_SHORTCUT,
					   "10.1.3.0", 24, &s2));
	KUNIT_EXPECT_PTR_EQ(test, s2.e, s1.e);
	KUNIT_EXPECT_EQ(test, cache->shortcuts.nodes, 5);
	dmvpn_expect_route(test, "10.1.3.9", DMVPN_NH4, jiffies, "198.51.100.3");

	/* A prefix at a branching node's place takes it over. */
	dmvpn_add_shortcut(test, "10.1.2.0", 23, "192.0.2.23", 0);
	KUNIT_EXPECT_EQ(test, cache->shortcuts.nodes, 5);
	KUNIT_EXPECT_EQ(test, dmvpn_del(test, DMVPN_TABLE_SHORTCUT, "10.1.2.0",
					23), 0);
	KUNIT_EXPECT_EQ(test, cache->shortcuts.nodes, 5);

	/* Removing a leaf removes the branching node left with one child. */
	KUNIT_EXPECT_EQ(test, dmvpn_del(test, DMVPN_TABLE_SHORTCUT, "10.1.1.0",
					24), 0);
	KUNIT_EXPECT_EQ(test, cache->shortcuts.nodes, 3);
	dmvpn_expect_route(test, "10.1.1.9", DMVPN_NH4, jiffies, NULL);
	dmvpn_expect_route(test, "10.1.2.9", DMVPN_NH4, jiffies, "192.0.2.2");
	dmvpn_expect_route(test, "10.1.3.9", DMVPN_NH4, jiffies, "198.51.100.3");

	KUNIT_EXPECT_EQ(test, dmvpn_del(test, DMVPN_TABLE_SHORTCUT, "10.1.2.0",
					24), 0);
	KUNIT_EXPECT_EQ(test, cache->shortcuts.nodes, 1);
	KUNIT_EXPECT_EQ(test, dmvpn_del(test, DMVPN_TABLE_SHORTCUT, "10.1.3.0",
					24), 0);
	KUNIT_EXPECT_EQ(test, cache->shortcuts.nodes, 0);
	KUNIT_EXPECT_NULL(test, rcu_access_pointer(cache->shortcuts.root[0]));
	dmvpn_expect_route(test, "10.1.3.9", DMVPN_NH4, jiffies, NULL);
}

#define DMVPN_TRIE_PREFIXES	200
#define DMVPN_TRIE_PROBES	2000

struct dmvpn_trie_prefix {
	__be32 addr;
	u8 plen;
	bool in;
};

/* The longest inserted prefix that covers @addr, by brute force. */
static int dmvpn_trie_want(const struct dmvpn_trie_prefix *p, int n,
			   __be32 addr)
{
	int i, best = -1;

	for (i = 0; i < n; i++) {
		if (!p[i].in ||
		    ((addr ^ p[i].addr) & inet_make_mask(p[i].plen)))
			continue;
		if (best < 0 || p[i].plen > p[best].plen)
			best = i;
	}
	return best;
}

static void dmvpn_trie_check(struct kunit *test,
			     const struct dmvpn_trie_prefix *p, int n,
			     struct rnd_state *rnd)
{
	struct dmvpn_cache *cache = test->priv;
	int i, want, bad = 0;

	for (i = 0; i < DMVPN_TRIE_PROBES; i++) {
		/* Mostly near inserted prefixes, where the trie branches. */
		__be32 addr = p[prandom_u32_state(rnd) % n].addr ^
			      htonl(prandom_u32_state(rnd) >>
				    (prandom_u32_state(rnd) % 32));
		struct dmvpn_addr dst = { .family = AF_INET, .ip4 = addr };
		struct dmvpn_peer *peer;
		struct dmvpn_entry *e;
		__be32 got_key = 0;
		u8 got_plen = 0;

		want = dmvpn_trie_want(p, n, addr);
		rcu_read_lock();
		e = dmvpn_lpm_lookup(&cache->shortcuts, AF_INET,
				     (const u8 *)&dst.ip4, jiffies, &peer);
		if (e) {
			got_key = e->key.ip4;
			got_plen = e->key.plen;
		}
		rcu_read_unlock();
		if (want < 0 ? !e :
		    e && got_key == p[want].addr && got_plen == p[want].plen)
			continue;
		if (bad++ < 3)
			KUNIT_FAIL(test, "%pI4: want %pI4/%d, got %pI4/%u",
				   &addr, want < 0 ? &got_key : &p[want].addr,
				   want < 0 ? -1 : p[want].plen, &got_key,
				   e ? got_plen : 0);
	}
	KUNIT_EXPECT_EQ(test, bad, 0);
}

/* The trie against brute force: random prefixes of every length, added
 * and removed in random order.
 */
static void dmvpn_shortcut_test_trie_random(struct kunit *test)
{
	struct dmvpn_cache *cache = test->priv;
	struct dmvpn_trie_prefix *p;
	struct rnd_state rnd;
	int i, n = 0, err;

	p = kunit_kcalloc(test, DMVPN_TRIE_PREFIXES, sizeof(*p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	prandom_seed_state(&rnd, 2332);
	dmvpn_cache_set_max(cache, DMVPN_TRIE_PREFIXES);
	for (i = 0; i < DMVPN_TRIE_PREFIXES; i++) {
		u8 plen = prandom_u32_state(&rnd) % 33;
		/* A few top bits vary, so that prefixes nest and part. */
		__be32 addr = htonl(0x0a000000 |
				    (prandom_u32_state(&rnd) & 0x00ffffff)) &
			      inet_make_mask(plen);
		struct dmvpn_entry_spec spec = {
			.proto = { .family = AF_INET, .ip4 = addr },
			.plen = plen,
			.nbma = { .family = AF_INET,
				  .ip4 = htonl(0xc0000200 | (i & 0xff)) },
			.type = DMVPN_ENTRY_SHORTCUT,
		};

		err = dmvpn_cache_add(cache, &spec, DMVPN_ADD_CREATE, NULL);
		if (err == -EEXIST)
			continue;
		KUNIT_ASSERT_EQ(test, err, 0);
		p[n].addr = addr;
		p[n].plen = plen;
		p[n].in = true;
		n++;
	}
	KUNIT_EXPECT_EQ(test, cache->count, n);
	/* At most one branching node per two prefixes' parting. */
	KUNIT_EXPECT_LE(test, cache->shortcuts.nodes, 2 * n - 1);
	dmvpn_trie_check(test, p, n, &rnd);

	for (i = 0; i < n; i++) {
		if (prandom_u32_state(&rnd) % 2)
			continue;
		KUNIT_ASSERT_EQ(test, dmvpn_cache_del(cache,
						      DMVPN_TABLE_SHORTCUT,
						      &(struct dmvpn_addr){
							.family = AF_INET,
							.ip4 = p[i].addr },
						      p[i].plen), 0);
		p[i].in = false;
	}
	dmvpn_trie_check(test, p, n, &rnd);

	dmvpn_flush_type(cache, 0, false);
	KUNIT_EXPECT_EQ(test, cache->shortcuts.nodes, 0);
}

static struct kunit_case dmvpn_shortcut_test_cases[] = {
	KUNIT_CASE(dmvpn_shortcut_test_lpm_v4),
	KUNIT_CASE(dmvpn_shortcut_test_fallback),
	KUNIT_CASE(dmvpn_shortcut_test_host_nexthop),
	KUNIT_CASE(dmvpn_shortcut_test_expired),
	KUNIT_CASE(dmvpn_shortcut_test_v6),
	KUNIT_CASE(dmvpn_shortcut_test_default),
	KUNIT_CASE(dmvpn_shortcut_test_trie_shape),
	KUNIT_CASE(dmvpn_shortcut_test_trie_random),
	{}
};

static struct kunit_suite dmvpn_shortcut_test_suite = {
	.name = "dmvpn_shortcut",
	.init = dmvpn_cache_test_init,
	.exit = dmvpn_cache_test_exit,
	.suite_exit = dmvpn_test_suite_exit,
	.test_cases = dmvpn_shortcut_test_cases,
};

/* -------------------------------------------------------- dmvpn_gre */

static void dmvpn_gre_test_roundtrip(struct kunit *test)
{
	static const u8 nokey[] = { 0x00, 0x00, 0x08, 0x00 };
	static const u8 key[] = { 0x20, 0x00, 0x20, 0x01,
				  0xde, 0xad, 0xbe, 0xef };
	struct dmvpn_gre_hdr_info info;
	u8 buf[DMVPN_GRE_MAX_HLEN + 4];

	memset(buf, 0xff, sizeof(buf));
	KUNIT_EXPECT_EQ(test, dmvpn_gre_build(buf, htons(ETH_P_IP), false,
					      0x12345678), 4);
	KUNIT_EXPECT_EQ(test, memcmp(buf, nokey, sizeof(nokey)), 0);
	KUNIT_EXPECT_EQ(test, buf[4], 0xff);
	memset(&info, 0xa5, sizeof(info));
	KUNIT_EXPECT_EQ(test, dmvpn_gre_parse(buf, 4, &info), 4);
	KUNIT_EXPECT_EQ(test, info.proto, htons(ETH_P_IP));
	KUNIT_EXPECT_FALSE(test, info.key_set);
	KUNIT_EXPECT_FALSE(test, info.csum);
	KUNIT_EXPECT_EQ(test, info.key, 0);

	memset(buf, 0xff, sizeof(buf));
	KUNIT_EXPECT_EQ(test, dmvpn_gre_build(buf, htons(DMVPN_ETH_P_NHRP),
					      true, 0xdeadbeef), 8);
	KUNIT_EXPECT_EQ(test, memcmp(buf, key, sizeof(key)), 0);
	KUNIT_EXPECT_EQ(test, buf[8], 0xff);
	KUNIT_EXPECT_EQ(test, dmvpn_gre_parse(buf, 8, &info), 8);
	KUNIT_EXPECT_EQ(test, info.proto, htons(DMVPN_ETH_P_NHRP));
	KUNIT_EXPECT_TRUE(test, info.key_set);
	KUNIT_EXPECT_FALSE(test, info.csum);
	KUNIT_EXPECT_EQ(test, info.key, 0xdeadbeef);

	/* Key 0 is a key: it is still sent. */
	KUNIT_EXPECT_EQ(test, dmvpn_gre_build(buf, htons(ETH_P_IPV6), true, 0),
			8);
	KUNIT_EXPECT_EQ(test, dmvpn_gre_parse(buf, 8, &info), 8);
	KUNIT_EXPECT_TRUE(test, info.key_set);
	KUNIT_EXPECT_EQ(test, info.key, 0);
	KUNIT_EXPECT_EQ(test, info.proto, htons(ETH_P_IPV6));

	/* Payload after the header is not the header's business. */
	KUNIT_EXPECT_EQ(test, dmvpn_gre_parse(buf, sizeof(buf), &info), 8);
}

static void dmvpn_gre_test_truncated(struct kunit *test)
{
	struct dmvpn_gre_hdr_info info;
	u8 buf[DMVPN_GRE_MAX_HLEN];
	unsigned int len;

	dmvpn_gre_build(buf, htons(ETH_P_IP), false, 0);
	for (len = 0; len < 4; len++)
		KUNIT_EXPECT_EQ_MSG(test, dmvpn_gre_parse(buf, len, &info),
				    -EMSGSIZE, "len %u", len);
	KUNIT_EXPECT_EQ(test, dmvpn_gre_parse(buf, 4, &info), 4);

	dmvpn_gre_build(buf, htons(ETH_P_IP), true, 42);
	for (len = 0; len < 8; len++)
		KUNIT_EXPECT_EQ_MSG(test, dmvpn_gre_parse(buf, len, &info),
				    -EMSGSIZE, "key, len %u", len);
	KUNIT_EXPECT_EQ(test, dmvpn_gre_parse(buf, 8, &info), 8);
	KUNIT_EXPECT_EQ(test, info.key, 42);

	/* Checksum, key and sequence number: 16 bytes needed. */
	memset(buf, 0, sizeof(buf));
	put_unaligned_be16(DMVPN_GRE_CSUM | DMVPN_GRE_KEY | DMVPN_GRE_SEQ,
			   buf);
	for (len = 0; len < 16; len++)
		KUNIT_EXPECT_EQ_MSG(test, dmvpn_gre_parse(buf, len, &info),
				    -EMSGSIZE, "csum+key+seq, len %u", len);
	KUNIT_EXPECT_EQ(test, dmvpn_gre_parse(buf, 16, &info), 16);
}

static void dmvpn_gre_test_version(struct kunit *test)
{
	struct dmvpn_gre_hdr_info info;
	u8 buf[DMVPN_GRE_MAX_HLEN] = {};
	u16 v;

	/* PPTP's enhanced GRE (version 1) and anything but version 0. */
	for (v = 1; v <= DMVPN_GRE_VERSION; v++) {
		KUNIT_EXPECT_EQ(test, dmvpn_gre_hlen(htons(v)),
				-EPROTONOSUPPORT);
		put_unaligned_be16(v | DMVPN_GRE_KEY, buf);
		KUNIT_EXPECT_EQ_MSG(test,
				    dmvpn_gre_parse(buf, sizeof(buf), &info),
				    -EPROTONOSUPPORT, "version %u", v);
	}
	/* The version is checked before the other bits. */
	put_unaligned_be16(1 | DMVPN_GRE_ROUTING | DMVPN_GRE_RESERVED, buf);
	KUNIT_EXPECT_EQ(test, dmvpn_gre_parse(buf, sizeof(buf), &info),
			-EPROTONOSUPPORT);
}

static void dmvpn_gre_test_reserved(struct kunit *test)
{
	struct dmvpn_gre_hdr_info info;
	u8 buf[DMVPN_GRE_MAX_HLEN] = {};
	u16 f;

	KUNIT_EXPECT_EQ(test, dmvpn_gre_hlen(htons(DMVPN_GRE_ROUTING)),
			-EINVAL);
	put_unaligned_be16(DMVPN_GRE_ROUTING, buf);
	KUNIT_EXPECT_EQ(test, dmvpn_gre_parse(buf, sizeof(buf), &info),
			-EINVAL);
	put_unaligned_be16(DMVPN_GRE_ROUTING | DMVPN_GRE_KEY, buf);
	KUNIT_EXPECT_EQ(test, dmvpn_gre_parse(buf, sizeof(buf), &info),
			-EINVAL);

	/* Strict source route, recursion control, reserved0: each bit. */
	for (f = 0x0008; f <= 0x0800; f <<= 1) {
		KUNIT_ASSERT_TRUE(test, f & DMVPN_GRE_RESERVED);
		KUNIT_EXPECT_EQ_MSG(test, dmvpn_gre_hlen(htons(f)), -EINVAL,
				    "flags %#06x", f);
		put_unaligned_be16(f, buf);
		KUNIT_EXPECT_EQ_MSG(test,
				    dmvpn_gre_parse(buf, sizeof(buf), &info),
				    -EINVAL, "flags %#06x", f);
	}
	/* Even when the buffer is too short for anything more. */
	put_unaligned_be16(0x0800, buf);
	KUNIT_EXPECT_EQ(test, dmvpn_gre_parse(buf, 4, &info), -EINVAL);
}

static void dmvpn_gre_test_options(struct kunit *test)
{
	static const u8 all[DMVPN_GRE_MAX_HLEN] = {
		0xb0, 0x00, 0x08, 0x00,		/* C K S, IPv4 */
		0xab, 0xcd, 0x00, 0x00,		/* checksum, reserved1 */
		0x01, 0x02, 0x03, 0x04,		/* key */
		0x00, 0x00, 0x00, 0x07,		/* sequence number */
	};
	struct dmvpn_gre_hdr_info info;
	u8 buf[DMVPN_GRE_MAX_HLEN];

	KUNIT_EXPECT_EQ(test, dmvpn_gre_hlen(0), 4);
	KUNIT_EXPECT_EQ(test, dmvpn_gre_hlen(htons(DMVPN_GRE_CSUM)), 8);
	KUNIT_EXPECT_EQ(test, dmvpn_gre_hlen(htons(DMVPN_GRE_KEY)), 8);
	KUNIT_EXPECT_EQ(test, dmvpn_gre_hlen(htons(DMVPN_GRE_SEQ)), 8);
	KUNIT_EXPECT_EQ(test, dmvpn_gre_hlen(htons(DMVPN_GRE_CSUM |
						   DMVPN_GRE_KEY)), 12);
	KUNIT_EXPECT_EQ(test, dmvpn_gre_hlen(htons(DMVPN_GRE_KEY |
						   DMVPN_GRE_SEQ)), 12);
	KUNIT_EXPECT_EQ(test, dmvpn_gre_hlen(htons(DMVPN_GRE_CSUM |
						   DMVPN_GRE_KEY |
						   DMVPN_GRE_SEQ)), 16);

	KUNIT_EXPECT_EQ(test, dmvpn_gre_parse(all, sizeof(all), &info), 16);
	KUNIT_EXPECT_TRUE(test, info.csum);
	KUNIT_EXPECT_TRUE(test, info.key_set);
	KUNIT_EXPECT_EQ(test, info.key, 0x01020304);
	KUNIT_EXPECT_EQ(test, info.proto, htons(ETH_P_IP));

	/* Checksum and key: the key follows the checksum word. */
	memcpy(buf, all, sizeof(buf));
	buf[0] = 0xa0;
	KUNIT_EXPECT_EQ(test, dmvpn_gre_parse(buf, 12, &info), 12);
	KUNIT_EXPECT_TRUE(test, info.csum);
	KUNIT_EXPECT_EQ(test, info.key, 0x01020304);

	/* Key and sequence number: the key comes first. */
	memcpy(buf + 4, all + 8, 8);
	buf[0] = 0x30;
	KUNIT_EXPECT_EQ(test, dmvpn_gre_parse(buf, 12, &info), 12);
	KUNIT_EXPECT_FALSE(test, info.csum);
	KUNIT_EXPECT_EQ(test, info.key, 0x01020304);

	/* Checksum or sequence number alone: no key. */
	buf[0] = 0x80;
	KUNIT_EXPECT_EQ(test, dmvpn_gre_parse(buf, 8, &info), 8);
	KUNIT_EXPECT_TRUE(test, info.csum);
	KUNIT_EXPECT_FALSE(test, info.key_set);
	KUNIT_EXPECT_EQ(test, info.key, 0);
	buf[0] = 0x10;
	KUNIT_EXPECT_EQ(test, dmvpn_gre_parse(buf, 8, &info), 8);
	KUNIT_EXPECT_FALSE(test, info.key_set);
}

static void dmvpn_gre_test_unaligned(struct kunit *test)
{
	struct dmvpn_gre_hdr_info info;
	u8 raw[DMVPN_GRE_MAX_HLEN + 16] __aligned(8);
	unsigned int off;
	u8 *p;

	for (off = 1; off < 8; off++) {
		p = raw + off;
		memset(raw, 0xff, sizeof(raw));
		KUNIT_EXPECT_EQ(test, dmvpn_gre_build(p, htons(ETH_P_IPV6),
						      true, 0x01020304 + off),
				8);
		/* Exactly the header is written, nothing around it. */
		KUNIT_EXPECT_EQ(test, p[-1], 0xff);
		KUNIT_EXPECT_EQ(test, p[8], 0xff);
		KUNIT_EXPECT_EQ_MSG(test, dmvpn_gre_parse(p, 8, &info), 8,
				    "offset %u", off);
		KUNIT_EXPECT_EQ(test, info.key, 0x01020304 + off);
		KUNIT_EXPECT_EQ(test, info.proto, htons(ETH_P_IPV6));

		memset(raw, 0xff, sizeof(raw));
		KUNIT_EXPECT_EQ(test, dmvpn_gre_build(p, htons(ETH_P_IP),
						      false, 7), 4);
		KUNIT_EXPECT_EQ(test, p[4], 0xff);
		KUNIT_EXPECT_EQ_MSG(test, dmvpn_gre_parse(p, 4, &info), 4,
				    "offset %u", off);
		KUNIT_EXPECT_FALSE(test, info.key_set);
		KUNIT_EXPECT_EQ(test, info.proto, htons(ETH_P_IP));
	}
}

static struct kunit_case dmvpn_gre_test_cases[] = {
	KUNIT_CASE(dmvpn_gre_test_roundtrip),
	KUNIT_CASE(dmvpn_gre_test_truncated),
	KUNIT_CASE(dmvpn_gre_test_version),
	KUNIT_CASE(dmvpn_gre_test_reserved),
	KUNIT_CASE(dmvpn_gre_test_options),
	KUNIT_CASE(dmvpn_gre_test_unaligned),
	{}
};

static struct kunit_suite dmvpn_gre_test_suite = {
	.name = "dmvpn_gre",
	.test_cases = dmvpn_gre_test_cases,
};

/* ---------------------------------------------------- dmvpn_netlink */

struct dmvpn_nlt {
	struct sk_buff *skb;
	struct nlattr *nest;
	struct dmvpn_entry_spec spec;
	struct netlink_ext_ack extack;
	char what[48];		/* names the case in failure reports */
};

static int dmvpn_nl_test_init(struct kunit *test)
{
	struct dmvpn_nlt *t;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	t->skb = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!t->skb)
		return -ENOMEM;
	test->priv = t;
	return 0;
}

static void dmvpn_nl_test_exit(struct kunit *test)
{
	struct dmvpn_nlt *t = test->priv;

	if (t)
		nlmsg_free(t->skb);
}

/* Start a new DMVPN_A_ENTRY nest, dropping whatever was built before. */
static void dmvpn_nlt_begin(struct kunit *test)
{
	struct dmvpn_nlt *t = test->priv;

	skb_trim(t->skb, 0);
	t->nest = nla_nest_start(t->skb, DMVPN_A_ENTRY);
	KUNIT_ASSERT_NOT_NULL(test, t->nest);
}

static void dmvpn_nlt_put(struct kunit *test, int type, int len,
			  const void *data)
{
	struct dmvpn_nlt *t = test->priv;

	KUNIT_ASSERT_EQ(test, nla_put(t->skb, type, len, data), 0);
}

static void dmvpn_nlt_addr(struct kunit *test, int type, const char *s)
{
	struct dmvpn_addr a = dmvpn_ta(test, s);

	if (a.family == AF_INET6)
		dmvpn_nlt_put(test, type, sizeof(a.ip6), &a.ip6);
	else
		dmvpn_nlt_put(test, type, sizeof(a.ip4), &a.ip4);
}

static void dmvpn_nlt_u8(struct kunit *test, int type, u8 v)
{
	dmvpn_nlt_put(test, type, sizeof(v), &v);
}

static void dmvpn_nlt_u32(struct kunit *test, int type, u32 v)
{
	dmvpn_nlt_put(test, type, sizeof(v), &v);
}

/* Close the nest and parse it into t->spec, the report in t->extack. */
static int dmvpn_nlt_parse(struct kunit *test, u8 nbma_family, bool key_only)
{
	struct dmvpn_nlt *t = test->priv;

	nla_nest_end(t->skb, t->nest);
	memset(&t->extack, 0, sizeof(t->extack));
	return dmvpn_nl_parse_entry(t->nest, nbma_family, &t->spec, key_only,
				    &t->extack);
}

static __printf(2, 3) void dmvpn_nlt_what(struct kunit *test,
					   const char *fmt, ...)
{
	struct dmvpn_nlt *t = test->priv;
	va_list args;

	va_start(args, fmt);
	vsnprintf(t->what, sizeof(t->what), fmt, args);
	va_end(args);
}

#define DMVPN_NLT_NEST	0	/* the report names the nest itself */
#define DMVPN_NLT_ANY	(-1)	/* the report's attribute is not checked */

/*
 * Parse (not key-only), expect @err and, when @msg is set, that message;
 * @bad is the attribute type extack must point at.
 */
static void dmvpn_nlt_reject(struct kunit *test, u8 nbma_family, int err,
			     const char *msg, int bad)
{
	struct dmvpn_nlt *t = test->priv;
	const char *what = t->what;
	const struct nlattr *want;

	KUNIT_EXPECT_EQ_MSG(test, dmvpn_nlt_parse(test, nbma_family, false),
			    err, "%s", what);
	if (msg) {
		KUNIT_ASSERT_NOT_NULL_MSG(test, t->extack._msg,
					  "%s: want %s", what, msg);
		KUNIT_EXPECT_STREQ_MSG(test, t->extack._msg, msg, "%s", what);
	}
	t->what[0] = '\0';
	if (bad == DMVPN_NLT_ANY)
		return;
	want = bad == DMVPN_NLT_NEST ? t->nest : nla_find_nested(t->nest, bad);
	KUNIT_EXPECT_NOT_NULL(test, want);
	KUNIT_EXPECT_PTR_EQ(test, t->extack.bad_attr, want);
}

static void dmvpn_nl_test_valid_v4(struct kunit *test)
{
	struct dmvpn_nlt *t = test->priv;
	struct dmvpn_entry_spec *spec = &t->spec;

	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.0.0.2");
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "192.0.2.2");
	dmvpn_nlt_u32(test, DMVPN_ENTRY_A_FLAGS, DMVPN_F_UNIQUE | DMVPN_F_NHS);
	KUNIT_ASSERT_EQ(test, dmvpn_nlt_parse(test, AF_INET, false), 0);
	KUNIT_EXPECT_NULL(test, t->extack._msg);
	KUNIT_EXPECT_EQ(test, spec->proto.family, AF_INET);
	KUNIT_EXPECT_TRUE(test, dmvpn_addr_is(test, &spec->proto, "10.0.0.2"));
	/* A host, and so a static entry, by default. */
	KUNIT_EXPECT_EQ(test, spec->plen, 32);
	KUNIT_EXPECT_EQ(test, spec->type, (u8)DMVPN_ENTRY_STATIC);
	KUNIT_EXPECT_EQ(test, spec->flags, DMVPN_F_UNIQUE | DMVPN_F_NHS);
	KUNIT_EXPECT_EQ(test, spec->holdtime, 0);
	KUNIT_EXPECT_EQ(test, spec->nbma.family, AF_INET);
	KUNIT_EXPECT_TRUE(test, dmvpn_addr_is(test, &spec->nbma, "192.0.2.2"));

	/* Everything given; the top of the holding time range. */
	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.0.0.3");
	dmvpn_nlt_u8(test, DMVPN_ENTRY_A_PREFIXLEN, 32);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "198.51.100.3");
	dmvpn_nlt_u8(test, DMVPN_ENTRY_A_TYPE, DMVPN_ENTRY_DYNAMIC);
	dmvpn_nlt_u32(test, DMVPN_ENTRY_A_FLAGS, DMVPN_F_USER_MASK);
	dmvpn_nlt_u32(test, DMVPN_ENTRY_A_HOLDTIME, U16_MAX);
	KUNIT_ASSERT_EQ(test, dmvpn_nlt_parse(test, AF_INET, false), 0);
	KUNIT_EXPECT_TRUE(test, dmvpn_addr_is(test, &spec->proto, "10.0.0.3"));
	KUNIT_EXPECT_EQ(test, spec->plen, 32);
	KUNIT_EXPECT_EQ(test, spec->type, (u8)DMVPN_ENTRY_DYNAMIC);
	KUNIT_EXPECT_EQ(test, spec->flags, DMVPN_F_USER_MASK);
	KUNIT_EXPECT_EQ(test, spec->holdtime, U16_MAX);
	KUNIT_EXPECT_TRUE(test, dmvpn_addr_is(test, &spec->nbma,
					      "198.51.100.3"));
}

static void dmvpn_nl_test_valid_v6(struct kunit *test)
{
	struct dmvpn_nlt *t = test->priv;
	struct dmvpn_entry_spec *spec = &t->spec;

	/* 16-byte protocol address over an IPv4 underlay. */
	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "2001:db8::2");
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "192.0.2.2");
	dmvpn_nlt_u8(test, DMVPN_ENTRY_A_TYPE, DMVPN_ENTRY_DYNAMIC);
	dmvpn_nlt_u32(test, DMVPN_ENTRY_A_HOLDTIME, 7200);
	KUNIT_ASSERT_EQ(test, dmvpn_nlt_parse(test, AF_INET, false), 0);
	KUNIT_EXPECT_EQ(test, spec->proto.family, AF_INET6);
	KUNIT_EXPECT_TRUE(test, dmvpn_addr_is(test, &spec->proto,
					      "2001:db8::2"));
	KUNIT_EXPECT_EQ(test, spec->plen, 128);
	KUNIT_EXPECT_EQ(test, spec->type, (u8)DMVPN_ENTRY_DYNAMIC);
	KUNIT_EXPECT_EQ(test, spec->holdtime, 7200);
	KUNIT_EXPECT_TRUE(test, dmvpn_addr_is(test, &spec->nbma, "192.0.2.2"));

	/* IPv4 protocol address over an IPv6 underlay. */
	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.0.0.2");
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "2001:db8:ffff::2");
	dmvpn_nlt_u8(test, DMVPN_ENTRY_A_TYPE, DMVPN_ENTRY_LOCAL);
	KUNIT_ASSERT_EQ(test, dmvpn_nlt_parse(test, AF_INET6, false), 0);
	KUNIT_EXPECT_EQ(test, spec->plen, 32);
	KUNIT_EXPECT_EQ(test, spec->type, (u8)DMVPN_ENTRY_LOCAL);
	KUNIT_EXPECT_EQ(test, spec->nbma.family, AF_INET6);
	KUNIT_EXPECT_TRUE(test, dmvpn_addr_is(test, &spec->nbma,
					      "2001:db8:ffff::2"));
}

static void dmvpn_nl_test_valid_shortcut(struct kunit *test)
{
	struct dmvpn_nlt *t = test->priv;
	struct dmvpn_entry_spec *spec = &t->spec;

	/* A prefix makes a shortcut without saying so. */
	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.1.0.0");
	dmvpn_nlt_u8(test, DMVPN_ENTRY_A_PREFIXLEN, 16);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "192.0.2.16");
	dmvpn_nlt_u32(test, DMVPN_ENTRY_A_HOLDTIME, 600);
	KUNIT_ASSERT_EQ(test, dmvpn_nlt_parse(test, AF_INET, false), 0);
	KUNIT_EXPECT_EQ(test, spec->plen, 16);
	KUNIT_EXPECT_EQ(test, spec->type, (u8)DMVPN_ENTRY_SHORTCUT);
	KUNIT_EXPECT_EQ(test, spec->holdtime, 600);

	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "0.0.0.0");
	dmvpn_nlt_u8(test, DMVPN_ENTRY_A_PREFIXLEN, 0);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "192.0.2.1");
	KUNIT_ASSERT_EQ(test, dmvpn_nlt_parse(test, AF_INET, false), 0);
	KUNIT_EXPECT_EQ(test, spec->plen, 0);
	KUNIT_EXPECT_EQ(test, spec->type, (u8)DMVPN_ENTRY_SHORTCUT);

	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "2001:db8:1:2::");
	dmvpn_nlt_u8(test, DMVPN_ENTRY_A_PREFIXLEN, 64);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "192.0.2.64");
	KUNIT_ASSERT_EQ(test, dmvpn_nlt_parse(test, AF_INET, false), 0);
	KUNIT_EXPECT_EQ(test, spec->plen, 64);
	KUNIT_EXPECT_EQ(test, spec->type, (u8)DMVPN_ENTRY_SHORTCUT);

	/* A host route shortcut names its type. */
	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.1.2.3");
	dmvpn_nlt_u8(test, DMVPN_ENTRY_A_TYPE, DMVPN_ENTRY_SHORTCUT);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "192.0.2.32");
	KUNIT_ASSERT_EQ(test, dmvpn_nlt_parse(test, AF_INET, false), 0);
	KUNIT_EXPECT_EQ(test, spec->plen, 32);
	KUNIT_EXPECT_EQ(test, spec->type, (u8)DMVPN_ENTRY_SHORTCUT);
}

static void dmvpn_nl_test_proto_len(struct kunit *test)
{
	static const u8 five[5] = { 10, 0, 0, 2, 0 };

	dmvpn_nlt_begin(test);
	dmvpn_nlt_put(test, DMVPN_ENTRY_A_PROTO, sizeof(five), five);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "192.0.2.2");
	dmvpn_nlt_reject(test, AF_INET, -EINVAL,
			 "dmvpn: address must be 4 (IPv4) or 16 (IPv6) bytes",
			 DMVPN_ENTRY_A_PROTO);

	/* Key-only parsing (delete, get) checks the address just the same. */
	KUNIT_EXPECT_EQ(test, dmvpn_nlt_parse(test, AF_INET, true), -EINVAL);

	/* An NBMA address of a wrong size likewise. */
	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.0.0.2");
	dmvpn_nlt_put(test, DMVPN_ENTRY_A_NBMA, sizeof(five), five);
	dmvpn_nlt_reject(test, AF_INET, -EINVAL,
			 "dmvpn: address must be 4 (IPv4) or 16 (IPv6) bytes",
			 DMVPN_ENTRY_A_NBMA);

	/* Longer than any address: the policy says no. */
	{
		u8 big[17] = {};

		dmvpn_nlt_begin(test);
		dmvpn_nlt_put(test, DMVPN_ENTRY_A_PROTO, sizeof(big), big);
		dmvpn_nlt_reject(test, AF_INET, -ERANGE, NULL,
				 DMVPN_ENTRY_A_PROTO);
	}

	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "192.0.2.2");
	dmvpn_nlt_reject(test, AF_INET, -EINVAL,
			 "dmvpn: entry needs a protocol address",
			 DMVPN_NLT_NEST);
}

static void dmvpn_nl_test_prefix(struct kunit *test)
{
	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.0.0.0");
	dmvpn_nlt_u8(test, DMVPN_ENTRY_A_PREFIXLEN, 33);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "192.0.2.2");
	dmvpn_nlt_reject(test, AF_INET, -EINVAL,
			 "dmvpn: prefix length too long for the address family",
			 DMVPN_ENTRY_A_PREFIXLEN);

	/* IPv6: 128 is fine, 129 is beyond the policy. */
	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "2001:db8::1");
	dmvpn_nlt_u8(test, DMVPN_ENTRY_A_PREFIXLEN, 128);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "192.0.2.2");
	KUNIT_EXPECT_EQ(test, dmvpn_nlt_parse(test, AF_INET, false), 0);

	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "2001:db8::1");
	dmvpn_nlt_u8(test, DMVPN_ENTRY_A_PREFIXLEN, 129);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "192.0.2.2");
	dmvpn_nlt_reject(test, AF_INET, -ERANGE, NULL,
			 DMVPN_ENTRY_A_PREFIXLEN);
}

static void dmvpn_nl_test_host_bits(struct kunit *test)
{
	static const char msg[] = "dmvpn: prefix has host bits set";

	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.1.2.3");
	dmvpn_nlt_u8(test, DMVPN_ENTRY_A_PREFIXLEN, 16);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "192.0.2.2");
	dmvpn_nlt_reject(test, AF_INET, -EINVAL, msg, DMVPN_ENTRY_A_PROTO);
	/* Even to delete: the key would name another prefix. */
	KUNIT_EXPECT_EQ(test, dmvpn_nlt_parse(test, AF_INET, true), -EINVAL);

	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "0.0.0.1");
	dmvpn_nlt_u8(test, DMVPN_ENTRY_A_PREFIXLEN, 0);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "192.0.2.2");
	dmvpn_nlt_reject(test, AF_INET, -EINVAL, msg, DMVPN_ENTRY_A_PROTO);

	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "2001:db8:1:2::1");
	dmvpn_nlt_u8(test, DMVPN_ENTRY_A_PREFIXLEN, 64);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "192.0.2.2");
	dmvpn_nlt_reject(test, AF_INET, -EINVAL, msg, DMVPN_ENTRY_A_PROTO);

	/* The last bit of the prefix is not a host bit. */
	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "2001:db8:1:1::");
	dmvpn_nlt_u8(test, DMVPN_ENTRY_A_PREFIXLEN, 64);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "192.0.2.2");
	KUNIT_EXPECT_EQ(test, dmvpn_nlt_parse(test, AF_INET, false), 0);
}

static void dmvpn_nl_test_prefix_type(struct kunit *test)
{
	static const u8 types[] = {
		DMVPN_ENTRY_STATIC, DMVPN_ENTRY_DYNAMIC, DMVPN_ENTRY_LOCAL,
		DMVPN_ENTRY_INCOMPLETE, DMVPN_ENTRY_NEGATIVE,
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		dmvpn_nlt_begin(test);
		dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.1.2.0");
		dmvpn_nlt_u8(test, DMVPN_ENTRY_A_PREFIXLEN, 24);
		dmvpn_nlt_u8(test, DMVPN_ENTRY_A_TYPE, types[i]);
		dmvpn_nlt_what(test, "type %u", types[i]);
		dmvpn_nlt_reject(test, AF_INET, -EINVAL,
				 "dmvpn: only shortcut entries cover a prefix",
				 DMVPN_ENTRY_A_PREFIXLEN);
	}
}

static void dmvpn_nl_test_holdtime(struct kunit *test)
{
	static const char msg[] = "dmvpn: static and local entries do not expire";
	struct dmvpn_nlt *t = test->priv;

	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.0.0.2");
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "192.0.2.2");
	dmvpn_nlt_u32(test, DMVPN_ENTRY_A_HOLDTIME, 10);
	dmvpn_nlt_reject(test, AF_INET, -EINVAL, msg, DMVPN_ENTRY_A_HOLDTIME);

	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.0.0.2");
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "192.0.2.2");
	dmvpn_nlt_u8(test, DMVPN_ENTRY_A_TYPE, DMVPN_ENTRY_LOCAL);
	dmvpn_nlt_u32(test, DMVPN_ENTRY_A_HOLDTIME, 1);
	dmvpn_nlt_reject(test, AF_INET, -EINVAL, msg, DMVPN_ENTRY_A_HOLDTIME);

	/* A zero holding time is "never", which a static entry may say. */
	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.0.0.2");
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "192.0.2.2");
	dmvpn_nlt_u8(test, DMVPN_ENTRY_A_TYPE, DMVPN_ENTRY_STATIC);
	dmvpn_nlt_u32(test, DMVPN_ENTRY_A_HOLDTIME, 0);
	KUNIT_EXPECT_EQ(test, dmvpn_nlt_parse(test, AF_INET, false), 0);
	KUNIT_EXPECT_EQ(test, t->spec.holdtime, 0);

	/* NHRP holding times are 16 bits. */
	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.0.0.2");
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "192.0.2.2");
	dmvpn_nlt_u8(test, DMVPN_ENTRY_A_TYPE, DMVPN_ENTRY_DYNAMIC);
	dmvpn_nlt_u32(test, DMVPN_ENTRY_A_HOLDTIME, 65536);
	dmvpn_nlt_reject(test, AF_INET, -ERANGE, NULL,
			 DMVPN_ENTRY_A_HOLDTIME);
	KUNIT_EXPECT_NOT_NULL(test, t->extack._msg);
}

static void dmvpn_nl_test_nbma_presence(struct kunit *test)
{
	static const u8 none[] = { DMVPN_ENTRY_INCOMPLETE,
				   DMVPN_ENTRY_NEGATIVE };
	static const u8 need[] = { DMVPN_ENTRY_STATIC, DMVPN_ENTRY_DYNAMIC,
				   DMVPN_ENTRY_LOCAL };
	struct dmvpn_nlt *t = test->priv;
	int i;

	for (i = 0; i < ARRAY_SIZE(need); i++) {
		dmvpn_nlt_begin(test);
		dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.0.0.2");
		dmvpn_nlt_u8(test, DMVPN_ENTRY_A_TYPE, need[i]);
		dmvpn_nlt_what(test, "type %u", need[i]);
		dmvpn_nlt_reject(test, AF_INET, -EINVAL,
				 "dmvpn: entry needs an NBMA address",
				 DMVPN_NLT_NEST);
	}
	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.1.0.0");
	dmvpn_nlt_u8(test, DMVPN_ENTRY_A_PREFIXLEN, 16);
	dmvpn_nlt_reject(test, AF_INET, -EINVAL,
			 "dmvpn: entry needs an NBMA address", DMVPN_NLT_NEST);

	for (i = 0; i < ARRAY_SIZE(none); i++) {
		dmvpn_nlt_begin(test);
		dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.0.0.2");
		dmvpn_nlt_u8(test, DMVPN_ENTRY_A_TYPE, none[i]);
		dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "192.0.2.2");
		dmvpn_nlt_what(test, "type %u", none[i]);
		dmvpn_nlt_reject(test, AF_INET, -EINVAL,
				 "dmvpn: incomplete and negative entries have no NBMA address",
				 DMVPN_ENTRY_A_NBMA);

		dmvpn_nlt_begin(test);
		dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.0.0.2");
		dmvpn_nlt_u8(test, DMVPN_ENTRY_A_TYPE, none[i]);
		dmvpn_nlt_u32(test, DMVPN_ENTRY_A_HOLDTIME, 30);
		KUNIT_EXPECT_EQ(test, dmvpn_nlt_parse(test, AF_INET, false), 0);
		KUNIT_EXPECT_EQ(test, t->spec.type, none[i]);
		KUNIT_EXPECT_EQ(test, t->spec.nbma.family, 0);
		KUNIT_EXPECT_EQ(test, t->spec.holdtime, 30);
	}
}

static void dmvpn_nl_test_nbma_unicast(struct kunit *test)
{
	static const char * const bad4[] = {
		"224.0.0.5", "239.255.255.250", "255.255.255.255", "0.0.0.0",
	};
	static const char * const bad6[] = { "ff02::1", "ff05::2", "::" };
	int i;

	for (i = 0; i < ARRAY_SIZE(bad4); i++) {
		dmvpn_nlt_begin(test);
		dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.0.0.2");
		dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, bad4[i]);
		dmvpn_nlt_what(test, "NBMA %s", bad4[i]);
		dmvpn_nlt_reject(test, AF_INET, -EINVAL,
				 "dmvpn: NBMA address must be unicast",
				 DMVPN_ENTRY_A_NBMA);
	}
	for (i = 0; i < ARRAY_SIZE(bad6); i++) {
		dmvpn_nlt_begin(test);
		dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.0.0.2");
		dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, bad6[i]);
		dmvpn_nlt_what(test, "NBMA %s", bad6[i]);
		dmvpn_nlt_reject(test, AF_INET6, -EINVAL,
				 "dmvpn: NBMA address must be unicast",
				 DMVPN_ENTRY_A_NBMA);
	}
}

static void dmvpn_nl_test_nbma_family(struct kunit *test)
{
	static const char msg[] =
		"dmvpn: NBMA address family differs from the underlay";

	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.0.0.2");
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "2001:db8::2");
	dmvpn_nlt_reject(test, AF_INET, -EAFNOSUPPORT, msg,
			 DMVPN_ENTRY_A_NBMA);

	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "2001:db8:1::2");
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "192.0.2.2");
	dmvpn_nlt_reject(test, AF_INET6, -EAFNOSUPPORT, msg,
			 DMVPN_ENTRY_A_NBMA);
}

static void dmvpn_nl_test_read_only(struct kunit *test)
{
	static const int ro[] = {
		DMVPN_ENTRY_A_EXPIRES, DMVPN_ENTRY_A_AGE, DMVPN_ENTRY_A_USED,
		DMVPN_ENTRY_A_PACKETS, DMVPN_ENTRY_A_BYTES,
	};
	u64 zero = 0;
	int i;

	for (i = 0; i < ARRAY_SIZE(ro); i++) {
		KUNIT_EXPECT_EQ(test, dmvpn_entry_policy[ro[i]].type,
				NLA_REJECT);
		dmvpn_nlt_begin(test);
		dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.0.0.2");
		dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "192.0.2.2");
		dmvpn_nlt_put(test, ro[i], ro[i] == DMVPN_ENTRY_A_PACKETS ||
			      ro[i] == DMVPN_ENTRY_A_BYTES ? 8 : 4, &zero);
		dmvpn_nlt_what(test, "attribute %d", ro[i]);
		dmvpn_nlt_reject(test, AF_INET, -EINVAL,
				 "dmvpn: read-only attribute", ro[i]);
	}
}

static void dmvpn_nl_test_flags(struct kunit *test)
{
	static const u32 bad[] = { DMVPN_F_USED, 1U << 8, 1U << 31, ~0U };
	struct dmvpn_nlt *t = test->priv;
	int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		dmvpn_nlt_begin(test);
		dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.0.0.2");
		dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "192.0.2.2");
		dmvpn_nlt_u32(test, DMVPN_ENTRY_A_FLAGS, bad[i]);
		dmvpn_nlt_what(test, "flags %#x", bad[i]);
		dmvpn_nlt_reject(test, AF_INET, -EINVAL, NULL,
				 DMVPN_ENTRY_A_FLAGS);
		KUNIT_EXPECT_NOT_NULL(test, t->extack._msg);
	}
}

static void dmvpn_nl_test_type_range(struct kunit *test)
{
	static const u8 bad[] = { DMVPN_ENTRY_UNSPEC, __DMVPN_ENTRY_MAX, 0xff };
	int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		dmvpn_nlt_begin(test);
		dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.0.0.2");
		dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "192.0.2.2");
		dmvpn_nlt_u8(test, DMVPN_ENTRY_A_TYPE, bad[i]);
		dmvpn_nlt_what(test, "type %u", bad[i]);
		dmvpn_nlt_reject(test, AF_INET, -ERANGE, NULL,
				 DMVPN_ENTRY_A_TYPE);
	}
}

static void dmvpn_nl_test_key_only(struct kunit *test)
{
	struct dmvpn_nlt *t = test->priv;

	/* Delete and get need only the key, and take nothing else (M2). */
	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.0.0.2");
	KUNIT_EXPECT_EQ(test, dmvpn_nlt_parse(test, AF_INET, true), 0);
	KUNIT_EXPECT_EQ(test, t->spec.plen, 32);
	KUNIT_EXPECT_EQ(test, t->spec.type, (u8)DMVPN_ENTRY_STATIC);
	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.0.0.2");
	dmvpn_nlt_u32(test, DMVPN_ENTRY_A_HOLDTIME, 10);
	KUNIT_EXPECT_EQ(test, dmvpn_nlt_parse(test, AF_INET, true), -EINVAL);
	KUNIT_EXPECT_STREQ(test, t->extack._msg,
			   "dmvpn: only PROTO, PREFIXLEN and TYPE name an entry");
	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.0.0.2");
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "192.0.2.2");
	KUNIT_EXPECT_EQ(test, dmvpn_nlt_parse(test, AF_INET, true), -EINVAL);

	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "2001:db8:1::");
	dmvpn_nlt_u8(test, DMVPN_ENTRY_A_PREFIXLEN, 48);
	KUNIT_EXPECT_EQ(test, dmvpn_nlt_parse(test, AF_INET, true), 0);
	KUNIT_EXPECT_EQ(test, t->spec.plen, 48);
	KUNIT_EXPECT_EQ(test, t->spec.type, (u8)DMVPN_ENTRY_SHORTCUT);
	KUNIT_EXPECT_EQ(test, t->spec.nbma.family, 0);

	/* The policy still applies. */
	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.0.0.2");
	dmvpn_nlt_u32(test, DMVPN_ENTRY_A_AGE, 1);
	KUNIT_EXPECT_EQ(test, dmvpn_nlt_parse(test, AF_INET, true), -EINVAL);
}

static void dmvpn_nl_test_not_nested(struct kunit *test)
{
	struct dmvpn_nlt *t = test->priv;

	skb_trim(t->skb, 0);
	t->nest = nla_nest_start_noflag(t->skb, DMVPN_A_ENTRY);
	KUNIT_ASSERT_NOT_NULL(test, t->nest);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.0.0.2");
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "192.0.2.2");
	dmvpn_nlt_reject(test, AF_INET, -EINVAL, NULL, DMVPN_NLT_NEST);
}

static struct kunit_case dmvpn_nl_test_cases[] = {
	KUNIT_CASE(dmvpn_nl_test_valid_v4),
	KUNIT_CASE(dmvpn_nl_test_valid_v6),
	KUNIT_CASE(dmvpn_nl_test_valid_shortcut),
	KUNIT_CASE(dmvpn_nl_test_proto_len),
	KUNIT_CASE(dmvpn_nl_test_prefix),
	KUNIT_CASE(dmvpn_nl_test_host_bits),
	KUNIT_CASE(dmvpn_nl_test_prefix_type),
	KUNIT_CASE(dmvpn_nl_test_holdtime),
	KUNIT_CASE(dmvpn_nl_test_nbma_presence),
	KUNIT_CASE(dmvpn_nl_test_nbma_unicast),
	KUNIT_CASE(dmvpn_nl_test_nbma_family),
	KUNIT_CASE(dmvpn_nl_test_read_only),
	KUNIT_CASE(dmvpn_nl_test_flags),
	KUNIT_CASE(dmvpn_nl_test_type_range),
	KUNIT_CASE(dmvpn_nl_test_key_only),
	KUNIT_CASE(dmvpn_nl_test_not_nested),
	{}
};

static struct kunit_suite dmvpn_nl_test_suite = {
	.name = "dmvpn_netlink",
	.init = dmvpn_nl_test_init,
	.exit = dmvpn_nl_test_exit,
	.test_cases = dmvpn_nl_test_cases,
};

/* ----------------------------------------------------- dmvpn_config */

/* Start a new nest of @type, dropping whatever was built before. */
static void dmvpn_nlt_begin_nest(struct kunit *test, int type)
{
	struct dmvpn_nlt *t = test->priv;

	skb_trim(t->skb, 0);
	t->nest = nla_nest_start(t->skb, type);
	KUNIT_ASSERT_NOT_NULL(test, t->nest);
	memset(&t->extack, 0, sizeof(t->extack));
}

static int dmvpn_nlt_config(struct kunit *test, struct dmvpn_config *val,
			    u32 *present)
{
	struct dmvpn_nlt *t = test->priv;

	nla_nest_end(t->skb, t->nest);
	return dmvpn_nl_parse_config(t->nest, val, present, &t->extack);
}

static int dmvpn_nlt_nhs(struct kunit *test, enum dmvpn_nhs_req req,
			 struct dmvpn_nhs *spec, u32 *present)
{
	struct dmvpn_nlt *t = test->priv;

	nla_nest_end(t->skb, t->nest);
	return dmvpn_nl_parse_nhs(t->nest, AF_INET, req, spec, present,
				  &t->extack);
}

static void dmvpn_config_test_defaults(struct kunit *test)
{
	struct dmvpn_config cfg;

	memset(&cfg, 0xa5, sizeof(cfg));
	dmvpn_config_defaults(&cfg);
	KUNIT_EXPECT_EQ(test, cfg.role, (u8)DMVPN_ROLE_NONE);
	KUNIT_EXPECT_EQ(test, cfg.network_id, 0U);
	KUNIT_EXPECT_EQ(test, cfg.holdtime, (u32)DMVPN_DEFAULT_HOLDTIME);
	KUNIT_EXPECT_EQ(test, cfg.reg_interval, 0U);
	KUNIT_EXPECT_EQ(test, cfg.auth_len, 0);
	KUNIT_EXPECT_EQ(test, cfg.unique, 1);
	KUNIT_EXPECT_EQ(test, cfg.mcast_dynamic, 0);
}

static void dmvpn_config_test_partial(struct kunit *test)
{
	struct dmvpn_config cfg, val;
	u32 present;

	dmvpn_config_defaults(&cfg);
	dmvpn_nlt_begin_nest(test, DMVPN_A_CONFIG);
	dmvpn_nlt_u32(test, DMVPN_CFG_A_NETWORK_ID, 42);
	dmvpn_nlt_put(test, DMVPN_CFG_A_AUTH, 3, "abc");
	KUNIT_ASSERT_EQ(test, dmvpn_nlt_config(test, &val, &present), 0);
	KUNIT_EXPECT_EQ(test, present, (u32)(BIT(DMVPN_CFG_A_NETWORK_ID) |
					     BIT(DMVPN_CFG_A_AUTH)));
	KUNIT_EXPECT_TRUE(test, dmvpn_config_apply(&cfg, &val, present));
	KUNIT_EXPECT_EQ(test, cfg.network_id, 42U);
	KUNIT_EXPECT_EQ(test, cfg.auth_len, 3);
	KUNIT_EXPECT_EQ(test, memcmp(cfg.auth, "abc", 3), 0);
	/* Everything else kept its default. */
	KUNIT_EXPECT_EQ(test, cfg.holdtime, (u32)DMVPN_DEFAULT_HOLDTIME);
	KUNIT_EXPECT_EQ(test, cfg.unique, 1);
	/* The same again is no change; a shorter auth is. */
	KUNIT_EXPECT_FALSE(test, dmvpn_config_apply(&cfg, &val, present));
	val.auth_len = 2;
	KUNIT_EXPECT_TRUE(test, dmvpn_config_apply(&cfg, &val,
						   BIT(DMVPN_CFG_A_AUTH)));
	KUNIT_EXPECT_EQ(test, cfg.auth[2], 0);
}

static void dmvpn_config_test_ranges(struct kunit *test)
{
	static const struct {
		int type;
		u32 value;
		bool u8;
		int err;
	} cases[] = {
		{ DMVPN_CFG_A_ROLE, DMVPN_ROLE_MAX, true, 0 },
		{ DMVPN_CFG_A_ROLE, DMVPN_ROLE_MAX + 1, true, -ERANGE },
		{ DMVPN_CFG_A_HOLDTIME, 1, false, 0 },
		{ DMVPN_CFG_A_HOLDTIME, 0, false, -ERANGE },
		{ DMVPN_CFG_A_HOLDTIME, 65535, false, 0 },
		{ DMVPN_CFG_A_HOLDTIME, 65536, false, -ERANGE },
		{ DMVPN_CFG_A_REG_INTERVAL, 0, false, 0 },
		{ DMVPN_CFG_A_REG_INTERVAL, 65536, false, -ERANGE },
		{ DMVPN_CFG_A_UNIQUE, 1, true, 0 },
		{ DMVPN_CFG_A_UNIQUE, 2, true, -ERANGE },
		{ DMVPN_CFG_A_MCAST_DYNAMIC, 2, true, -ERANGE },
	};
	struct dmvpn_nlt *t = test->priv;
	struct dmvpn_config val;
	unsigned int i;
	u32 present;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		dmvpn_nlt_begin_nest(test, DMVPN_A_CONFIG);
		if (cases[i].u8)
			dmvpn_nlt_u8(test, cases[i].type, cases[i].value);
		else
			dmvpn_nlt_u32(test, cases[i].type, cases[i].value);
		KUNIT_EXPECT_EQ_MSG(test, dmvpn_nlt_config(test, &val, &present),
				    cases[i].err, "attr %d value %u",
				    cases[i].type, cases[i].value);
		if (cases[i].err)
			KUNIT_EXPECT_PTR_EQ(test, t->extack.bad_attr,
					    nla_find_nested(t->nest,
							    cases[i].type));
	}
	dmvpn_nlt_begin_nest(test, DMVPN_A_CONFIG);
	dmvpn_nlt_put(test, DMVPN_CFG_A_AUTH, 9, "123456789");
	KUNIT_EXPECT_EQ(test, dmvpn_nlt_config(test, &val, &present), -ERANGE);
	dmvpn_nlt_begin_nest(test, DMVPN_A_CONFIG);
	dmvpn_nlt_put(test, DMVPN_CFG_A_AUTH, 8, "12345678");
	KUNIT_EXPECT_EQ(test, dmvpn_nlt_config(test, &val, &present), 0);
	KUNIT_EXPECT_EQ(test, val.auth_len, 8);
}

static void dmvpn_config_test_empty(struct kunit *test)
{
	struct dmvpn_nlt *t = test->priv;
	struct dmvpn_config val;
	u32 present;

	dmvpn_nlt_begin_nest(test, DMVPN_A_CONFIG);
	KUNIT_EXPECT_EQ(test, dmvpn_nlt_config(test, &val, &present), -EINVAL);
	KUNIT_ASSERT_NOT_NULL(test, t->extack._msg);
	KUNIT_EXPECT_STREQ(test, t->extack._msg,
			   "dmvpn: empty configuration: nothing to set");
	KUNIT_EXPECT_PTR_EQ(test, t->extack.bad_attr, t->nest);
}

static void dmvpn_config_test_nhs_parse(struct kunit *test)
{
	struct dmvpn_nlt *t = test->priv;
	struct dmvpn_nhs *spec;
	u32 present;

	spec = kunit_kzalloc(test, sizeof(*spec), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, spec);

	dmvpn_nlt_begin_nest(test, DMVPN_A_NHS);
	dmvpn_nlt_addr(test, DMVPN_NHS_A_NBMA, "198.51.100.1");
	dmvpn_nlt_addr(test, DMVPN_NHS_A_PROTO, "192.0.2.1");
	dmvpn_nlt_u8(test, DMVPN_NHS_A_PRIORITY, 3);
	KUNIT_EXPECT_EQ(test, dmvpn_nlt_nhs(test, DMVPN_NHS_REQ_NEW, spec,
					    &present), 0);
	KUNIT_EXPECT_TRUE(test, dmvpn_addr_is(test, &spec->nbma,
					      "198.51.100.1"));
	KUNIT_EXPECT_TRUE(test, dmvpn_addr_is(test, &spec->proto, "192.0.2.1"));
	KUNIT_EXPECT_EQ(test, spec->priority, 3);

	/* Status in NHS_NEW: refused, naming the attribute. */
	dmvpn_nlt_begin_nest(test, DMVPN_A_NHS);
	dmvpn_nlt_addr(test, DMVPN_NHS_A_NBMA, "198.51.100.1");
	dmvpn_nlt_u8(test, DMVPN_NHS_A_STATE, DMVPN_NHS_STATE_UP);
	KUNIT_EXPECT_EQ(test, dmvpn_nlt_nhs(test, DMVPN_NHS_REQ_NEW, spec,
					    &present), -EINVAL);
	KUNIT_ASSERT_NOT_NULL(test, t->extack._msg);
	KUNIT_EXPECT_STREQ(test, t->extack._msg,
			   "dmvpn: STATE is status: dmvpnd sets it with NHS_SET");

	/* Both keys, or none. */
	dmvpn_nlt_begin_nest(test, DMVPN_A_NHS);
	dmvpn_nlt_addr(test, DMVPN_NHS_A_NBMA, "198.51.100.1");
	dmvpn_nlt_put(test, DMVPN_NHS_A_FQDN, 4, "hub");
	KUNIT_EXPECT_EQ(test, dmvpn_nlt_nhs(test, DMVPN_NHS_REQ_KEY, spec,
					    &present), -EINVAL);
	dmvpn_nlt_begin_nest(test, DMVPN_A_NHS);
	KUNIT_EXPECT_EQ(test, dmvpn_nlt_nhs(test, DMVPN_NHS_REQ_KEY, spec,
					    &present), -EINVAL);
	/* IPv6 NBMA on an IPv4 underlay. */
	dmvpn_nlt_begin_nest(test, DMVPN_A_NHS);
	dmvpn_nlt_addr(test, DMVPN_NHS_A_NBMA, "2001:db8::1");
	KUNIT_EXPECT_EQ(test, dmvpn_nlt_nhs(test, DMVPN_NHS_REQ_NEW, spec,
					    &present), -EAFNOSUPPORT);

	/* NHS_SET: status yes, configuration no. */
	dmvpn_nlt_begin_nest(test, DMVPN_A_NHS);
	dmvpn_nlt_put(test, DMVPN_NHS_A_FQDN, 4, "hub");
	dmvpn_nlt_u8(test, DMVPN_NHS_A_STATE, DMVPN_NHS_STATE_UP);
	dmvpn_nlt_put(test, DMVPN_NHS_A_CUR_NBMA, 0, NULL);
	KUNIT_EXPECT_EQ(test, dmvpn_nlt_nhs(test, DMVPN_NHS_REQ_SET, spec,
					    &present), 0);
	KUNIT_EXPECT_STREQ(test, spec->fqdn, "hub");
	KUNIT_EXPECT_EQ(test, present, (u32)(BIT(DMVPN_NHS_A_STATE) |
					     BIT(DMVPN_NHS_A_CUR_NBMA)));
	KUNIT_EXPECT_EQ(test, spec->st.cur_nbma.family, 0);
	dmvpn_nlt_begin_nest(test, DMVPN_A_NHS);
	dmvpn_nlt_put(test, DMVPN_NHS_A_FQDN, 4, "hub");
	dmvpn_nlt_u8(test, DMVPN_NHS_A_PRIORITY, 1);
	KUNIT_EXPECT_EQ(test, dmvpn_nlt_nhs(test, DMVPN_NHS_REQ_SET, spec,
					    &present), -EINVAL);
	dmvpn_nlt_begin_nest(test, DMVPN_A_NHS);
	dmvpn_nlt_put(test, DMVPN_NHS_A_FQDN, 4, "hub");
	dmvpn_nlt_u8(test, DMVPN_NHS_A_STATE, DMVPN_NHS_STATE_MAX + 1);
	KUNIT_EXPECT_EQ(test, dmvpn_nlt_nhs(test, DMVPN_NHS_REQ_SET, spec,
					    &present), -ERANGE);
}

struct dmvpn_nhrp_test {
	struct dmvpn_nhrp nhrp;
	unsigned int events[DMVPN_EVENT_MAX + 1];
};

static void dmvpn_nhrp_test_notify(struct dmvpn_nhrp *nhrp,
				   enum dmvpn_event event,
				   const struct dmvpn_nhs *nhs)
{
	container_of(nhrp, struct dmvpn_nhrp_test, nhrp)->events[event]++;
}

static void dmvpn_nhs_key(struct kunit *test, struct dmvpn_nhs *spec,
			  const char *key)
{
	memset(spec, 0, sizeof(*spec));
	if (isdigit(key[0]))
		spec->nbma = dmvpn_ta(test, key);
	else
		strscpy(spec->fqdn, key, sizeof(spec->fqdn));
}

static void dmvpn_config_test_nhs_list(struct kunit *test)
{
	struct dmvpn_nhrp_test *nt;
	struct dmvpn_nhs *spec, *nhs;
	u8 state = 0xff, prio = 0xff;
	unsigned int i;
	char name[16];

	nt = kunit_kzalloc(test, sizeof(*nt), GFP_KERNEL);
	spec = kunit_kzalloc(test, sizeof(*spec), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, nt);
	KUNIT_ASSERT_NOT_NULL(test, spec);
	dmvpn_nhrp_init(&nt->nhrp, dmvpn_nhrp_test_notify);

	dmvpn_nhs_key(test, spec, "198.51.100.1");
	KUNIT_EXPECT_EQ(test, dmvpn_nhs_add(&nt->nhrp, spec, false, NULL), 0);
	KUNIT_EXPECT_EQ(test, dmvpn_nhs_add(&nt->nhrp, spec, false, NULL),
			-EEXIST);
	dmvpn_nhs_key(test, spec, "Hub.Example.net");
	KUNIT_EXPECT_EQ(test, dmvpn_nhs_add(&nt->nhrp, spec, false, NULL), 0);
	dmvpn_nhs_key(test, spec, "hub.example.NET");
	KUNIT_EXPECT_EQ(test, dmvpn_nhs_add(&nt->nhrp, spec, false, NULL),
			-EEXIST);
	KUNIT_EXPECT_EQ(test, nt->events[DMVPN_EVENT_NHS_ADDED], 2U);

	/* Status: a new state is an event, the same state is not. */
	dmvpn_nhs_key(test, spec, "198.51.100.1");
	spec->st.state = DMVPN_NHS_STATE_UP;
	spec->st.requests = 7;
	KUNIT_EXPECT_EQ(test, dmvpn_nhs_set(&nt->nhrp, spec,
					    BIT(DMVPN_NHS_A_STATE) |
					    BIT(DMVPN_NHS_A_REQUESTS), NULL),
			0);
	KUNIT_EXPECT_EQ(test, dmvpn_nhs_set(&nt->nhrp, spec,
					    BIT(DMVPN_NHS_A_STATE), NULL), 0);
	KUNIT_EXPECT_EQ(test, nt->events[DMVPN_EVENT_NHS_CHANGED], 1U);

	/* Replace changes the configuration and keeps the status. */
	spec->priority = 4;
	KUNIT_EXPECT_EQ(test, dmvpn_nhs_add(&nt->nhrp, spec, true, NULL), 0);
	spin_lock(&nt->nhrp.lock);
	nhs = dmvpn_nhs_find(&nt->nhrp, spec);
	if (nhs) {
		state = nhs->st.state;
		prio = nhs->priority;
	}
	spin_unlock(&nt->nhrp.lock);
	KUNIT_EXPECT_EQ(test, state, (u8)DMVPN_NHS_STATE_UP);
	KUNIT_EXPECT_EQ(test, prio, 4);

	/* The bound. */
	for (i = 2; i < DMVPN_NHS_MAX; i++) {
		snprintf(name, sizeof(name), "nhs%u", i);
		dmvpn_nhs_key(test, spec, name);
		KUNIT_EXPECT_EQ(test, dmvpn_nhs_add(&nt->nhrp, spec, false,
						    NULL), 0);
	}
	dmvpn_nhs_key(test, spec, "one.too.many");
	KUNIT_EXPECT_EQ(test, dmvpn_nhs_add(&nt->nhrp, spec, false, NULL),
			-ENOSPC);
	KUNIT_EXPECT_EQ(test, nt->nhrp.nhs_count, (unsigned int)DMVPN_NHS_MAX);

	dmvpn_nhs_key(test, spec, "hub.example.net");
	KUNIT_EXPECT_EQ(test, dmvpn_nhs_del(&nt->nhrp, spec, NULL), 0);
	KUNIT_EXPECT_EQ(test, dmvpn_nhs_del(&nt->nhrp, spec, NULL), -ENOENT);
	KUNIT_EXPECT_EQ(test, dmvpn_nhs_set(&nt->nhrp, spec,
					    BIT(DMVPN_NHS_A_STATE), NULL),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, nt->events[DMVPN_EVENT_NHS_DELETED], 1U);
	dmvpn_nhrp_destroy(&nt->nhrp);
	KUNIT_EXPECT_TRUE(test, list_empty(&nt->nhrp.nhs));
}

static void dmvpn_config_test_set_config(struct kunit *test)
{
	struct dmvpn_nhrp_test *nt;
	struct dmvpn_config val = {};

	nt = kunit_kzalloc(test, sizeof(*nt), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, nt);
	dmvpn_nhrp_init(&nt->nhrp, dmvpn_nhrp_test_notify);
	val.holdtime = DMVPN_DEFAULT_HOLDTIME;
	KUNIT_EXPECT_EQ(test, dmvpn_nhrp_set_config(&nt->nhrp, &val,
						    BIT(DMVPN_CFG_A_HOLDTIME)),
			0);
	KUNIT_EXPECT_EQ(test, nt->events[DMVPN_EVENT_CONFIG_CHANGED], 0U);
	val.role = DMVPN_ROLE_HUB;
	KUNIT_EXPECT_EQ(test, dmvpn_nhrp_set_config(&nt->nhrp, &val,
						    BIT(DMVPN_CFG_A_ROLE)), 1);
	KUNIT_EXPECT_EQ(test, nt->events[DMVPN_EVENT_CONFIG_CHANGED], 1U);
	KUNIT_EXPECT_EQ(test, nt->nhrp.cfg.role, (u8)DMVPN_ROLE_HUB);
	dmvpn_nhrp_destroy(&nt->nhrp);
}

static struct kunit_case dmvpn_config_test_cases[] = {
	KUNIT_CASE(dmvpn_config_test_defaults),
	KUNIT_CASE(dmvpn_config_test_partial),
	KUNIT_CASE(dmvpn_config_test_ranges),
	KUNIT_CASE(dmvpn_config_test_empty),
	KUNIT_CASE(dmvpn_config_test_nhs_parse),
	KUNIT_CASE(dmvpn_config_test_nhs_list),
	KUNIT_CASE(dmvpn_config_test_set_config),
	{}
};

static struct kunit_suite dmvpn_config_test_suite = {
	.name = "dmvpn_config",
	.init = dmvpn_nl_test_init,
	.exit = dmvpn_nl_test_exit,
	.test_cases = dmvpn_config_test_cases,
};

kunit_test_suites(&dmvpn_cache_test_suite, &dmvpn_shortcut_test_suite,
		  &dmvpn_peer_test_suite,
		  &dmvpn_gre_test_suite, &dmvpn_nl_test_suite,
		  &dmvpn_nhs_test_suite, &dmvpn_config_test_suite);

/* 6.13 made the namespace a string literal. */
#ifdef DMVPN_COMPAT_IMPORT_NS_STRING
MODULE_IMPORT_NS("EXPORTED_FOR_KUNIT_TESTING");
#else
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
#endif
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for dmvpn.ko");
MODULE_AUTHOR("The dmvpn developers");
