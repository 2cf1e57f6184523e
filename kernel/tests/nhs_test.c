// SPDX-License-Identifier: GPL-2.0
/* KUnit suite dmvpn_nhs: the next-hop server that forwards traffic with
 * no entry.
 */
#include "util.h"

void dmvpn_add_nhs(struct kunit *test, const char *proto,
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
void dmvpn_expect_nhs(struct kunit *test, unsigned long now,
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

kunit_test_suite(dmvpn_nhs_test_suite);
