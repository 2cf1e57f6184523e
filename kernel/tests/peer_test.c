// SPDX-License-Identifier: GPL-2.0
/* KUnit suite dmvpn_peer: a peer per NBMA address, shared by its entries;
 * updates in place; the NHS pointer across NBMA changes.
 */
#include "util.h"

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

kunit_test_suite(dmvpn_peer_test_suite);
