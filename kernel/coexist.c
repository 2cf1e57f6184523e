// SPDX-License-Identifier: GPL-2.0
/*
 * Sharing an address with ip_gre. dmvpn's receive hook runs before ip_gre's
 * demultiplexer, so a point-to-point ip_gre tunnel that is more specific
 * than dmvpn for some packets (its own remote, dmvpn's local address and
 * key) would silently get none of them. The two are refused together, in
 * either order: dmvpn's newlink says why, and the later ip_gre tunnel's
 * registration fails. Tunnels that carry other payloads (gretap, ERSPAN)
 * and ip_gre's catch-all devices are not affected: dmvpn passes on what it
 * does not carry and loses to nothing that is less specific.
 */
#include <linux/netdevice.h>
#include <net/ip_tunnels.h>

#include "compat.h"
#include "dmvpn.h"

/* A kind "gre" tunnel with a local or a remote address: ip_gre's catch-all
 * devices (gre0, collect_md) have neither and lose to dmvpn by design.
 */
static const struct ip_tunnel *dmvpn_gre_addressed(const struct net_device *gdev)
{
	const struct ip_tunnel *t;

	if (!gdev->rtnl_link_ops || strcmp(gdev->rtnl_link_ops->kind, "gre"))
		return NULL;
	t = netdev_priv(gdev);
	if (t->collect_md || (!t->parms.iph.saddr && !t->parms.iph.daddr))
		return NULL;
	return t;
}

static bool dmvpn_gre_overlaps_tunnel(const struct ip_tunnel *t,
				      const struct dmvpn_params *p)
{
	bool key_set;
	u32 key;

	if (t->parms.iph.saddr != p->local.ip4 && t->parms.iph.saddr)
		return false;
	key_set = dmvpn_compat_tunnel_ikey(t, &key);
	return key_set == p->key_set && (!key_set || key == p->key);
}

/**
 * dmvpn_gre_overlaps() - would an ip_gre device lose packets to dmvpn?
 * @gdev: any net device
 * @p: the parameters of a dmvpn device in the same namespace
 *
 * Return: true for a kind "gre" tunnel with dmvpn's key and dmvpn's local
 * address, or a remote and any local address.
 */
bool dmvpn_gre_overlaps(const struct net_device *gdev,
			const struct dmvpn_params *p)
{
	const struct ip_tunnel *t = dmvpn_gre_addressed(gdev);

	return t && dmvpn_gre_overlaps_tunnel(t, p);
}

static int dmvpn_netdev_event(struct notifier_block *nb, unsigned long event,
			      void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	const struct ip_tunnel *t;
	struct dmvpn_dev *d;

	if (event != NETDEV_REGISTER)
		return NOTIFY_DONE;
	/* Devices also register while a namespace is being set up, before
	 * dmvpn's per-netns state is: only a tunnel someone configured, which
	 * cannot exist yet then, leads to that state.
	 */
	t = dmvpn_gre_addressed(dev);
	if (!t)
		return NOTIFY_DONE;
	/* Under RTNL, which every change of the list holds. */
	list_for_each_entry(d, &dmvpn_pernet(dev_net(dev))->devs, list) {
		if (dmvpn_gre_overlaps_tunnel(t, &d->p)) {
			net_info_ratelimited("dmvpn: %s refused: %s receives GRE for its local address and key\n",
					     dev->name, d->dev->name);
			return notifier_from_errno(-EADDRINUSE);
		}
	}
	return NOTIFY_DONE;
}

static struct notifier_block dmvpn_netdev_notifier = {
	.notifier_call = dmvpn_netdev_event,
};

int __init dmvpn_coexist_init(void)
{
	return register_netdevice_notifier(&dmvpn_netdev_notifier);
}

void dmvpn_coexist_uninit(void)
{
	unregister_netdevice_notifier(&dmvpn_netdev_notifier);
}
