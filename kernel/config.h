/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The NHRP configuration of one dmvpn device and its list of configured
 * next-hop servers. The kernel only keeps them (so they live and die with
 * the device and outlast dmvpnd restarts); dmvpnd acts on them and
 * publishes each server's run-time status back. Not on the data path: one
 * spinlock per device guards both, so dumps can fill messages under RCU.
 */
#ifndef _DMVPN_CONFIG_H
#define _DMVPN_CONFIG_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <uapi/linux/dmvpn.h>

#include "cache.h"

struct dmvpn_config {
	u8 role;		/* enum dmvpn_role */
	u32 network_id;
	u32 holdtime;
	u32 reg_interval;
	u8 auth_len;
	u8 auth[DMVPN_AUTH_MAX];
	u8 unique;
	u8 mcast_dynamic;
};

/* What dmvpnd publishes with NHS_SET. */
struct dmvpn_nhs_status {
	u8 state;		/* enum dmvpn_nhs_state */
	u8 last_code;
	bool last_code_set;
	u8 nat;
	struct dmvpn_addr cur_nbma;
	struct dmvpn_addr cur_proto;
	u64 requests;
	u64 replies;
	u64 failures;
};

/* A configured NHS, or a request about one (NHS_NEW/DEL/GET/SET). */
struct dmvpn_nhs {
	struct list_head list;
	/* The key: NBMA address, or FQDN when nbma.family is 0. */
	struct dmvpn_addr nbma;
	char fqdn[DMVPN_FQDN_MAX + 1];
	struct dmvpn_addr proto;	/* family 0: learned */
	u8 priority;
	struct dmvpn_nhs_status st;
	unsigned long since;	/* jiffies of the last state change */
};

struct dmvpn_nhrp;
typedef void (*dmvpn_nhrp_notify_t)(struct dmvpn_nhrp *nhrp,
				    enum dmvpn_event event,
				    const struct dmvpn_nhs *nhs);

struct dmvpn_nhrp {
	spinlock_t lock;	/* cfg, nhs, nhs_count */
	struct dmvpn_config cfg;
	struct list_head nhs;
	unsigned int nhs_count;
	/* Called under lock; events are built there so they stay ordered. */
	dmvpn_nhrp_notify_t notify;
};

void dmvpn_config_defaults(struct dmvpn_config *cfg);
bool dmvpn_config_apply(struct dmvpn_config *cfg,
			const struct dmvpn_config *val, u32 present);
void dmvpn_nhrp_init(struct dmvpn_nhrp *nhrp, dmvpn_nhrp_notify_t notify);
void dmvpn_nhrp_destroy(struct dmvpn_nhrp *nhrp);
int dmvpn_nhrp_set_config(struct dmvpn_nhrp *nhrp,
			  const struct dmvpn_config *val, u32 present);
struct dmvpn_nhs *dmvpn_nhs_find(struct dmvpn_nhrp *nhrp,
				 const struct dmvpn_nhs *key);
int dmvpn_nhs_add(struct dmvpn_nhrp *nhrp, const struct dmvpn_nhs *spec,
		  bool replace, struct netlink_ext_ack *extack);
int dmvpn_nhs_del(struct dmvpn_nhrp *nhrp, const struct dmvpn_nhs *key,
		  struct netlink_ext_ack *extack);
int dmvpn_nhs_set(struct dmvpn_nhrp *nhrp, const struct dmvpn_nhs *spec,
		  u32 present, struct netlink_ext_ack *extack);

#endif /* _DMVPN_CONFIG_H */
