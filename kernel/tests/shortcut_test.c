// SPDX-License-Identifier: GPL-2.0
/* KUnit suite dmvpn_shortcut: longest-prefix lookup of shortcuts and the
 * trie under it.
 */
#include "util.h"

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

kunit_test_suite(dmvpn_shortcut_test_suite);
