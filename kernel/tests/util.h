/* SPDX-License-Identifier: GPL-2.0 */
/* What the KUnit suites of dmvpn_kunit.ko share: a cache fixture, address
 * helpers and expectations (util.c), and the netlink attribute builder
 * (netlink_test.c) that the configuration suite uses too.
 */
#ifndef _DMVPN_KUNIT_UTIL_H
#define _DMVPN_KUNIT_UTIL_H

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

struct dmvpn_nlt {
	struct sk_buff *skb;
	struct nlattr *nest;
	struct dmvpn_entry_spec spec;
	struct netlink_ext_ack extack;
	char what[48];		/* names the case in failure reports */
};

struct dmvpn_addr dmvpn_ta(struct kunit *test, const char *s);
void dmvpn_fmt(char *buf, size_t size, const struct dmvpn_addr *a);
u8 dmvpn_plen(const struct dmvpn_addr *a, u8 plen);
struct dmvpn_entry_spec dmvpn_spec(struct kunit *test,
				   const char *proto, u8 plen,
				   const char *nbma, u8 type,
				   u32 holdtime);
int dmvpn_add(struct kunit *test, const char *proto, u8 plen,
	      const char *nbma, u8 type, u32 holdtime, bool replace);
void dmvpn_add_host(struct kunit *test, const char *proto,
		    const char *nbma, u8 type, u32 holdtime);
void dmvpn_add_shortcut(struct kunit *test, const char *prefix,
			u8 plen, const char *nbma, u32 holdtime);
int dmvpn_del(struct kunit *test, enum dmvpn_table table,
	      const char *addr, u8 plen);
bool dmvpn_find(struct kunit *test, enum dmvpn_table table,
		const char *addr, u8 plen, struct dmvpn_snap *s);
void dmvpn_account(struct kunit *test, const char *addr,
		   unsigned int packets, unsigned int bytes);
unsigned int dmvpn_flush_type(struct dmvpn_cache *cache, u8 type,
			      bool mcast);
int dmvpn_expired(struct kunit *test, const char *addr,
		  unsigned long now);
bool dmvpn_addr_is(struct kunit *test, const struct dmvpn_addr *got,
		   const char *want);
void dmvpn_expect_route(struct kunit *test, const char *dst,
			const char *nh, unsigned long now,
			const char *nbma);
unsigned int dmvpn_list_len(struct list_head *head);
void dmvpn_expect_count(struct kunit *test, unsigned int n,
			unsigned int mcast);
int dmvpn_cache_test_init(struct kunit *test);
void dmvpn_cache_test_exit(struct kunit *test);
void dmvpn_test_suite_exit(struct kunit_suite *suite);
void dmvpn_add_nhs(struct kunit *test, const char *proto,
		   const char *nbma, u8 type, u32 holdtime, u32 flags,
		   bool replace);
void dmvpn_expect_nhs(struct kunit *test, unsigned long now,
		      const char *nbma);
int dmvpn_nl_test_init(struct kunit *test);
void dmvpn_nl_test_exit(struct kunit *test);
void dmvpn_nlt_put(struct kunit *test, int type, int len,
		   const void *data);
void dmvpn_nlt_addr(struct kunit *test, int type, const char *s);
void dmvpn_nlt_u8(struct kunit *test, int type, u8 v);
void dmvpn_nlt_u32(struct kunit *test, int type, u32 v);

#endif /* _DMVPN_KUNIT_UTIL_H */
