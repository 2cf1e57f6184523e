// SPDX-License-Identifier: GPL-2.0
/*
 * dmvpn_kunit.ko: KUnit suites for the pure-logic parts of dmvpn.ko, a file
 * each (*_test.c): the NHRP cache, its peers, its shortcut (longest-prefix)
 * table, the choice of next-hop server for unresolved traffic, the GRE
 * header codec, the netlink entry parser, and the NHRP configuration and
 * NHS list. This file has what they share. They run on module load:
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
#include "util.h"

struct dmvpn_addr dmvpn_ta(struct kunit *test, const char *s)
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

void dmvpn_fmt(char *buf, size_t size, const struct dmvpn_addr *a)
{
	if (a->family == AF_INET6)
		snprintf(buf, size, "%pI6c", &a->ip6);
	else if (a->family == AF_INET)
		snprintf(buf, size, "%pI4", &a->ip4);
	else
		snprintf(buf, size, "(none)");
}

u8 dmvpn_plen(const struct dmvpn_addr *a, u8 plen)
{
	return plen == DMVPN_HOST ? dmvpn_family_bits(a->family) : plen;
}

struct dmvpn_entry_spec dmvpn_spec(struct kunit *test,
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

int dmvpn_add(struct kunit *test, const char *proto, u8 plen,
	      const char *nbma, u8 type, u32 holdtime, bool replace)
{
	struct dmvpn_entry_spec s = dmvpn_spec(test, proto, plen, nbma, type,
					       holdtime);
	struct netlink_ext_ack extack = {};

	return dmvpn_cache_add(test->priv, &s, replace ? DMVPN_ADD_REPLACE :
						  DMVPN_ADD_CREATE, &extack);
}

void dmvpn_add_host(struct kunit *test, const char *proto,
		    const char *nbma, u8 type, u32 holdtime)
{
	KUNIT_ASSERT_EQ_MSG(test, dmvpn_add(test, proto, DMVPN_HOST, nbma,
					    type, holdtime, false), 0,
			    "adding host %s", proto);
}

void dmvpn_add_shortcut(struct kunit *test, const char *prefix,
			u8 plen, const char *nbma, u32 holdtime)
{
	KUNIT_ASSERT_EQ_MSG(test, dmvpn_add(test, prefix, plen, nbma,
					    DMVPN_ENTRY_SHORTCUT, holdtime,
					    false), 0,
			    "adding shortcut %s/%u", prefix, plen);
}

int dmvpn_del(struct kunit *test, enum dmvpn_table table,
	      const char *addr, u8 plen)
{
	struct dmvpn_addr a = dmvpn_ta(test, addr);

	return dmvpn_cache_del(test->priv, table, &a, dmvpn_plen(&a, plen));
}

bool dmvpn_find(struct kunit *test, enum dmvpn_table table,
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
void dmvpn_account(struct kunit *test, const char *addr,
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

unsigned int dmvpn_flush_type(struct dmvpn_cache *cache, u8 type,
			      bool mcast)
{
	struct dmvpn_flush_filter f = { .type = type };

	return dmvpn_cache_flush(cache, &f, mcast);
}

/* dmvpn_entry_expired() of a host entry: 1, 0, or -ENOENT. */
int dmvpn_expired(struct kunit *test, const char *addr,
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

bool dmvpn_addr_is(struct kunit *test, const struct dmvpn_addr *got,
		   const char *want)
{
	struct dmvpn_addr w = dmvpn_ta(test, want);

	return dmvpn_addr_equal(got, &w);
}

/* dmvpn_cache_route() must give @nbma (NULL: nothing usable). */
void dmvpn_expect_route(struct kunit *test, const char *dst,
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

unsigned int dmvpn_list_len(struct list_head *head)
{
	struct dmvpn_entry *e;
	unsigned int n = 0;

	rcu_read_lock();
	list_for_each_entry_rcu(e, head, list)
		n++;
	rcu_read_unlock();
	return n;
}

void dmvpn_expect_count(struct kunit *test, unsigned int n,
			unsigned int mcast)
{
	struct dmvpn_cache *cache = test->priv;

	KUNIT_EXPECT_EQ(test, READ_ONCE(cache->count), n);
	KUNIT_EXPECT_EQ(test, dmvpn_list_len(&cache->entries), n);
	KUNIT_EXPECT_EQ(test, READ_ONCE(cache->mcast_count), mcast);
	KUNIT_EXPECT_EQ(test, dmvpn_list_len(&cache->mcast), mcast);
}

int dmvpn_cache_test_init(struct kunit *test)
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

void dmvpn_cache_test_exit(struct kunit *test)
{
	struct dmvpn_cache *cache = test->priv;

	if (!cache)
		return;
	dmvpn_cache_stop(cache);
	dmvpn_cache_destroy(cache);
}

void dmvpn_test_suite_exit(struct kunit_suite *suite)
{
	/* Entries go by call_rcu(): let them go before kmemleak looks. */
	rcu_barrier();
}

/* 6.13 made the namespace a string literal. */
#ifdef DMVPN_COMPAT_IMPORT_NS_STRING
MODULE_IMPORT_NS("EXPORTED_FOR_KUNIT_TESTING");
#else
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
#endif
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for dmvpn.ko");
MODULE_AUTHOR("The dmvpn developers");

