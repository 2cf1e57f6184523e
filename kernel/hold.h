/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Packets that wait for an IPsec SA (hold.c): on a protected device a
 * packet for a peer without an SA waits in that peer's queue, bounded per
 * peer and per device, and is sent, in order, when the SA is installed.
 */
#ifndef _DMVPN_HOLD_H
#define _DMVPN_HOLD_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#define DMVPN_HOLD_PEER_DEFAULT		256
#define DMVPN_HOLD_PEER_LIMIT		65536
#define DMVPN_HOLD_DEVICE_DEFAULT	4096
#define DMVPN_HOLD_DEVICE_LIMIT		BIT(20)
/* ms; by default as long as the xfrm core holds a packet for an SA
 * (XFRM_QUEUE_TMO_MAX).
 */
#define DMVPN_HOLD_TIME_DEFAULT		5000
#define DMVPN_HOLD_TIME_MIN		10
#define DMVPN_HOLD_TIME_MAX		600000

struct dmvpn_peer;
struct dmvpn_dev;
struct sk_buff;

/* One per peer table (so per device). */
struct dmvpn_hold {
	spinlock_t lock;	/* peers, total, and every peer's hold_* */
	struct list_head peers;	/* peers holding packets (hold_node) */
	unsigned int total;	/* packets held on the device */
	atomic64_t expired;	/* dropped: too old, or the peer went */
};

void dmvpn_hold_init(struct dmvpn_hold *h);
void dmvpn_hold_forget(struct dmvpn_hold *h, struct dmvpn_peer *p);
void dmvpn_hold_skb(struct dmvpn_dev *d, struct dmvpn_peer *p,
		    struct sk_buff *skb);
void dmvpn_hold_work(struct work_struct *work);
struct dmvpn_peers;
void dmvpn_hold_peer_born(struct dmvpn_peers *peers, struct dmvpn_peer *p);
void dmvpn_hold_km_register(void);
void dmvpn_hold_km_unregister(void);

#endif /* _DMVPN_HOLD_H */
