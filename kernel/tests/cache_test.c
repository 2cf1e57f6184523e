// SPDX-License-Identifier: GPL-2.0
/* KUnit suite dmvpn_cache: keys, add, refresh, delete, flush, limits,
 * expiry and multicast of the NHRP cache.
 */
#include "util.h"

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

/* What NHRP learns may replace what it learned, never configuration. */
static void dmvpn_cache_test_learned(struct kunit *test)
{
	static const struct {
		u8 type;
		u32 flags;
		int err;
	} cases[] = {
		{ DMVPN_ENTRY_STATIC, 0, -EEXIST },
		{ DMVPN_ENTRY_LOCAL, 0, -EEXIST },
		{ DMVPN_ENTRY_STATIC, DMVPN_F_NHS, -EEXIST },
		{ DMVPN_ENTRY_DYNAMIC, DMVPN_F_NHS, -EEXIST },
		{ DMVPN_ENTRY_DYNAMIC, DMVPN_F_REGISTERED, 0 },
		{ DMVPN_ENTRY_INCOMPLETE, 0, 0 },
		{ DMVPN_ENTRY_NEGATIVE, 0, 0 },
	};
	struct dmvpn_entry_spec spec;
	struct dmvpn_snap s;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct netlink_ext_ack extack = {};
		u32 hold = 60;

		if (cases[i].type == DMVPN_ENTRY_STATIC)
			hold = 0;

		spec = dmvpn_spec(test, "10.0.0.2", DMVPN_HOST, "192.0.2.2",
				  cases[i].type, hold);
		spec.flags = cases[i].flags;
		KUNIT_ASSERT_EQ(test, dmvpn_cache_add(test->priv, &spec,
						      DMVPN_ADD_REPLACE, NULL), 0);
		spec = dmvpn_spec(test, "10.0.0.2", DMVPN_HOST, "198.51.100.9",
				  DMVPN_ENTRY_DYNAMIC, 60);
		spec.flags = DMVPN_F_REGISTERED;
		KUNIT_EXPECT_EQ_MSG(test, dmvpn_cache_add(test->priv, &spec,
							  DMVPN_ADD_LEARNED,
							  &extack),
				    cases[i].err, "case %u", i);
		KUNIT_ASSERT_TRUE(test, dmvpn_find(test, DMVPN_TABLE_HOST,
						   "10.0.0.2", DMVPN_HOST, &s));
		if (cases[i].err) {
			KUNIT_EXPECT_TRUE(test, dmvpn_addr_is(test, &s.nbma,
							      "192.0.2.2"));
			KUNIT_EXPECT_EQ(test, s.type, cases[i].type);
			KUNIT_ASSERT_NOT_NULL(test, extack._msg);
		} else {
			KUNIT_EXPECT_TRUE(test, dmvpn_addr_is(test, &s.nbma,
							      "198.51.100.9"));
			KUNIT_EXPECT_EQ(test, s.type, (u8)DMVPN_ENTRY_DYNAMIC);
		}
		dmvpn_expect_count(test, 1, 0);
	}
	/* Nothing there: it creates. */
	spec = dmvpn_spec(test, "10.0.0.3", DMVPN_HOST, "198.51.100.3",
			  DMVPN_ENTRY_DYNAMIC, 60);
	KUNIT_EXPECT_EQ(test, dmvpn_cache_add(test->priv, &spec,
					      DMVPN_ADD_LEARNED, NULL), 0);
	dmvpn_expect_count(test, 2, 0);
}

/* A shortcut NHRP learned (it expires) is refreshed by the next answer;
 * one the administrator configured without a holding time stays.
 */
static void dmvpn_cache_test_learned_shortcut(struct kunit *test)
{
	struct netlink_ext_ack extack = {};
	struct dmvpn_entry_spec spec;
	struct dmvpn_snap s;

	spec = dmvpn_spec(test, "10.20.0.0", 24, "192.0.2.2",
			  DMVPN_ENTRY_SHORTCUT, 60);
	KUNIT_ASSERT_EQ(test, dmvpn_cache_add(test->priv, &spec,
					      DMVPN_ADD_LEARNED, NULL), 0);
	spec = dmvpn_spec(test, "10.20.0.0", 24, "192.0.2.3",
			  DMVPN_ENTRY_SHORTCUT, 60);
	KUNIT_EXPECT_EQ(test, dmvpn_cache_add(test->priv, &spec,
					      DMVPN_ADD_LEARNED, NULL), 0);
	KUNIT_ASSERT_TRUE(test, dmvpn_find(test, DMVPN_TABLE_SHORTCUT,
					   "10.20.0.0", 24, &s));
	KUNIT_EXPECT_TRUE(test, dmvpn_addr_is(test, &s.nbma, "192.0.2.3"));

	spec = dmvpn_spec(test, "10.30.0.0", 16, "192.0.2.4",
			  DMVPN_ENTRY_SHORTCUT, 0);
	KUNIT_ASSERT_EQ(test, dmvpn_cache_add(test->priv, &spec,
					      DMVPN_ADD_REPLACE, NULL), 0);
	spec = dmvpn_spec(test, "10.30.0.0", 16, "192.0.2.5",
			  DMVPN_ENTRY_SHORTCUT, 60);
	KUNIT_EXPECT_EQ(test, dmvpn_cache_add(test->priv, &spec,
					      DMVPN_ADD_LEARNED, &extack),
			-EEXIST);
	KUNIT_ASSERT_TRUE(test, dmvpn_find(test, DMVPN_TABLE_SHORTCUT,
					   "10.30.0.0", 16, &s));
	KUNIT_EXPECT_TRUE(test, dmvpn_addr_is(test, &s.nbma, "192.0.2.4"));
	KUNIT_EXPECT_EQ(test, s.expires, 0);
	dmvpn_expect_count(test, 2, 0);
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
	KUNIT_CASE(dmvpn_cache_test_learned),
	KUNIT_CASE(dmvpn_cache_test_learned_shortcut),
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

kunit_test_suite(dmvpn_cache_test_suite);
