/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmvpn: multipoint GRE device with an NHRP cache.
 *
 * Private declarations shared by the files of dmvpn.ko. Each file owns one
 * concept: device.c (link kind, ndo), send.c / receive.c (packet path),
 * cache.c (NHRP cache and shortcut table), config.c (NHRP configuration
 * and next-hop servers), gre.c (header codec), netlink.c (generic netlink:
 * devices, cache) and netlink_config.c (its configuration commands),
 * main.c (init/exit).
 */
#ifndef _DMVPN_H
#define _DMVPN_H

#include <linux/netdevice.h>
#include <linux/ratelimit.h>
#include <linux/skbuff.h>
#include <linux/u64_stats_sync.h>
#include <net/genetlink.h>
#include <net/gro_cells.h>
#include <net/netns/generic.h>
#include <uapi/linux/dmvpn.h>

#include "cache.h"
#include "config.h"
#include "hold.h"

#define DMVPN_DEFAULT_TTL		64
#define DMVPN_DEFAULT_MAX_ENTRIES	65536
#define DMVPN_MAX_ENTRIES_LIMIT		BIT(24)
/* Devices in a namespace that an unprivileged user may own (not of the
 * initial user namespace): their entries are charged to that user's
 * memory cgroup, but the hash tables' buckets are not, so smaller bounds.
 */
#define DMVPN_USERNS_DEFAULT_MAX_ENTRIES	4096
#define DMVPN_USERNS_MAX_ENTRIES_LIMIT		65536	/* in an extack text */
/* TOS value that means "copy the inner TOS", as in ip_gre. */
#define DMVPN_TOS_INHERIT		1

struct dmvpn_params {
	struct dmvpn_addr local;
	u32 key;
	bool key_set;
	int link;
	u8 ttl;
	u8 tos;
	u32 fwmark;
	u8 protect;	/* DMVPN_PROTECT_* */
	u32 hold_peer;	/* packets held for an SA, per peer (hold.c) */
	u32 hold_device;	/* and in all */
	u32 hold_time;	/* ms a held packet waits */
};

/* Counters of events the generic netdev stats cannot express. */
enum dmvpn_counter {
	DMVPN_CNT_TX_NO_MAPPING,
	DMVPN_CNT_TX_ERRORS,
	DMVPN_CNT_TX_MCAST,
	DMVPN_CNT_RX_KEY_MISMATCH,
	DMVPN_CNT_RX_MALFORMED,
	DMVPN_CNT_RX_POLICY,
	DMVPN_CNT_RX_NHRP,
	DMVPN_CNT_TX_NHRP,
	DMVPN_CNT_MISS_EVENTS,
	DMVPN_CNT_TX_VIA_NHS,
	DMVPN_CNT_TX_UNPROTECTED,
	DMVPN_CNT_RX_UNPROTECTED,
	DMVPN_CNT_TX_HELD,
	DMVPN_CNT_TX_RELEASED,
	DMVPN_CNT_HOLD_FULL,
	DMVPN_CNT_MAX
};

/* Per CPU: several are counted for every packet (mcast copies, the
 * Phase 2 fallback), and floods must not bounce a shared line.
 */
struct dmvpn_counters {
	u64_stats_t c[DMVPN_CNT_MAX];
	struct u64_stats_sync syncp;
};

struct dmvpn_dev {
	struct net_device *dev;
	struct net *net;
	/* dmvpn_net.hash, keyed by (local, key); RCU for the receive hook. */
	struct hlist_node hnode;
	/* dmvpn_net.devs, under RTNL. */
	struct list_head list;
	struct dmvpn_params p;
	struct dmvpn_cache cache;
	struct dmvpn_counters __percpu *cnt;
	/* Received packets meet GRO here, as ip_tunnel_rcv()'s do. */
	struct gro_cells gro_cells;
	struct ratelimit_state miss_rs;
	struct dmvpn_nhrp nhrp;
	/* Releases and expires held packets (hold.c). */
	struct delayed_work hold_work;
	/* The latest time a peer settles until (settle.c): before it, the
	 * receive path looks for the peer of protected GRE.
	 */
	unsigned long settle_until;
	/* Bumped by each new outbound policy for any peer (a key manager's
	 * wildcard trap, loaded): a peer that found no SA before tries the
	 * direct way with its next packet, not after its backoff. O(1):
	 * no walk of the peers in the key manager's atomic context.
	 */
	atomic_t policy_gen;
};

#define DMVPN_HASH_BITS 6

struct dmvpn_net {
	struct hlist_head hash[1 << DMVPN_HASH_BITS];
	struct list_head devs;
	/* Bumped on every cache change so dumps can flag inconsistency. */
	atomic_t gen;
	bool hook_registered;
};

extern unsigned int dmvpn_net_id;
extern struct rtnl_link_ops dmvpn_link_ops;

static inline struct dmvpn_net *dmvpn_pernet(struct net *net)
{
	return net_generic(net, dmvpn_net_id);
}

/* IPsec required on @d: SA events concern it, and no GRE passes in clear. */
static inline bool dmvpn_protected(const struct dmvpn_dev *d)
{
	return READ_ONCE(d->p.protect) == DMVPN_PROTECT_REQUIRE;
}

/* An IPv4 address a tunnel can be sent to or from. Excluded: 0/8 ("this
 * network"), 127/8, 224/4 multicast and 240/4 reserved, which holds the
 * limited broadcast.
 */
static inline bool dmvpn_ip4_unicast(__be32 addr)
{
	u8 first = ntohl(addr) >> 24;

	return first != 0 && first != 127 && first < 224;
}

static inline void dmvpn_count(struct dmvpn_dev *d, enum dmvpn_counter c)
{
	struct dmvpn_counters *p = get_cpu_ptr(d->cnt);

	u64_stats_update_begin(&p->syncp);
	u64_stats_inc(&p->c[c]);
	u64_stats_update_end(&p->syncp);
	put_cpu_ptr(d->cnt);
}

u64 dmvpn_counter_read(const struct dmvpn_dev *d, enum dmvpn_counter c);

static inline bool netif_is_dmvpn(const struct net_device *dev)
{
	return dev->rtnl_link_ops == &dmvpn_link_ops;
}

/* device.c */
int dmvpn_device_init(void);
void dmvpn_device_uninit(void);
struct dmvpn_dev *dmvpn_dev_lookup_rcu(struct net *net, __be32 local,
				       bool key_set, u32 key);
unsigned int dmvpn_tunnel_hlen(const struct dmvpn_dev *d);

/* send.c */
/* While a peer has no SA, how often traffic that has another way tries
 * the direct one again (doubling), in jiffies.
 */
#define DMVPN_PROBE_MIN		HZ
#define DMVPN_PROBE_MAX		(32 * HZ)
netdev_tx_t dmvpn_xmit(struct sk_buff *skb, struct net_device *dev);
void dmvpn_tx_drop(struct dmvpn_dev *d, struct sk_buff *skb,
		   enum dmvpn_counter counter);
bool dmvpn_peer_sa_up(struct dmvpn_dev *d, struct dmvpn_peer *p);
void dmvpn_peer_probe(struct dmvpn_dev *d, struct dmvpn_peer *p);
void dmvpn_xmit_released(struct dmvpn_dev *d, struct sk_buff_head *list,
			 __be32 nbma);

/* settle.c */
/* How long traffic that has another way keeps taking it after a peer's
 * SA came, unless the peer is heard over it first: longer than an IKE
 * initiator takes to install an SA its responder already sends on, on a
 * loaded node too (1 s ran out in a TCG guest carrying two 1000
 * packets/s streams).
 */
#define DMVPN_SETTLE		(3 * HZ)
/* A new inbound SA this soon after the first settles again (the second
 * CHILD_SA when both ends initiated); later ones are rekeys.
 */
#define DMVPN_SETTLE_WINDOW	(10 * HZ)
void dmvpn_settle_start(struct dmvpn_dev *d, struct dmvpn_peer *p,
			unsigned long now);
void dmvpn_settle_new_sa(struct dmvpn_dev *d, struct dmvpn_peer *dst,
			 __be32 src, __be32 spi);
void dmvpn_settle_initiated(struct net *net, __be32 nbma, __be32 spi);
void dmvpn_settle_heard(struct dmvpn_dev *d, __be32 nbma,
			const struct sk_buff *skb);

/* receive.c */
bool dmvpn_gre_overlaps(const struct net_device *gdev,
			const struct dmvpn_params *p);
int dmvpn_coexist_init(void);
void dmvpn_coexist_uninit(void);

int dmvpn_receive_enable(struct net *net);
void dmvpn_receive_disable(struct net *net);

/* netlink.c */
extern struct genl_family dmvpn_genl_family;
extern const struct nla_policy dmvpn_entry_policy[DMVPN_ENTRY_A_MAX + 1];
int dmvpn_nl_addr(const struct nlattr *a, struct dmvpn_addr *addr,
		  struct netlink_ext_ack *extack);
bool dmvpn_unicast(const struct dmvpn_addr *a);
int dmvpn_nl_nbma(const struct nlattr *a, u8 family, struct dmvpn_addr *nbma,
		  struct netlink_ext_ack *extack);
/* dmvpn_nl_need() - 0, or -EINVAL if the request lacks @attr (a constant
 * DMVPN_A_*), named in the extack message and the missing-attribute
 * report, so both old and new userspace can say what was wrong. A macro:
 * extack messages are string literals.
 */
#define dmvpn_nl_need(info, attr) ({					\
	struct genl_info *__info = (info);				\
	int __attr = (attr);						\
	int __err = 0;							\
									\
	if (!__info->attrs[__attr]) {					\
		NL_SET_ERR_MSG(__info->extack, "dmvpn: " #attr " required"); \
		GENL_REQ_ATTR_CHECK(__info, __attr);			\
		__err = -EINVAL;					\
	}								\
	__err;								\
})
int dmvpn_nl_dump_ifindex(struct net *net, struct netlink_callback *cb);
struct dmvpn_dev *dmvpn_nl_dev(struct net *net, struct nlattr **attrs,
			       struct netlink_ext_ack *extack);
u32 dmvpn_secs_since(unsigned long then);
int dmvpn_nl_put_addr(struct sk_buff *skb, int type,
		      const struct dmvpn_addr *a);
struct sk_buff *dmvpn_nl_event_msg(struct dmvpn_dev *d,
				   enum dmvpn_event event, size_t payload,
				   gfp_t gfp, void **hdr);
void dmvpn_nl_event_send(struct dmvpn_dev *d, struct sk_buff *msg, void *hdr,
			 gfp_t gfp);
int dmvpn_nl_parse_entry(const struct nlattr *nest, u8 nbma_family,
			 struct dmvpn_entry_spec *spec, bool key_only,
			 struct netlink_ext_ack *extack);
int dmvpn_genl_init(void);
void dmvpn_genl_uninit(void);
void dmvpn_nl_notify(struct dmvpn_cache *cache, enum dmvpn_event event,
		     const struct dmvpn_entry *e, unsigned int count,
		     gfp_t gfp);
void dmvpn_nl_notify_miss(struct dmvpn_dev *d, const struct dmvpn_addr *nh);
void dmvpn_nl_notify_peer_sa(struct dmvpn_dev *d, const struct dmvpn_peer *p);
void dmvpn_nl_notify_peer_gone(struct dmvpn_peers *peers,
			       const struct dmvpn_peer *p);

/* netlink_config.c */
enum dmvpn_nhs_req {
	DMVPN_NHS_REQ_NEW,	/* key and configuration */
	DMVPN_NHS_REQ_KEY,	/* key only (NHS_DEL, NHS_GET) */
	DMVPN_NHS_REQ_SET,	/* key and status */
};

extern const struct nla_policy dmvpn_cfg_policy[DMVPN_CFG_A_MAX + 1];
int dmvpn_nl_parse_config(const struct nlattr *nest, struct dmvpn_config *val,
			  u32 *present, struct netlink_ext_ack *extack);
int dmvpn_nl_parse_nhs(const struct nlattr *nest, u8 nbma_family,
		       enum dmvpn_nhs_req req, struct dmvpn_nhs *spec,
		       u32 *present, struct netlink_ext_ack *extack);
int dmvpn_nl_put_config(struct sk_buff *skb, struct dmvpn_dev *d, bool secret);
void dmvpn_nl_notify_nhrp(struct dmvpn_nhrp *nhrp, enum dmvpn_event event,
			  const struct dmvpn_nhs *nhs);
int dmvpn_nl_config_set(struct sk_buff *skb, struct genl_info *info);
int dmvpn_nl_nhs_new(struct sk_buff *skb, struct genl_info *info);
int dmvpn_nl_nhs_del(struct sk_buff *skb, struct genl_info *info);
int dmvpn_nl_nhs_set(struct sk_buff *skb, struct genl_info *info);
int dmvpn_nl_nhs_get(struct sk_buff *skb, struct genl_info *info);
int dmvpn_nl_nhs_dump(struct sk_buff *skb, struct netlink_callback *cb);

#endif /* _DMVPN_H */
