// SPDX-License-Identifier: GPL-2.0
/*
 * dmvpn.ko: Cisco-compatible Dynamic Multipoint VPN data plane for Linux.
 */
#include <linux/module.h>
#include <net/genetlink.h>
#include <net/rtnetlink.h>

#include "dmvpn.h"

static int __init dmvpn_init(void)
{
	int err;

	err = dmvpn_device_init();
	if (err)
		return err;
	err = dmvpn_genl_init();
	if (err)
		goto err_device;
	dmvpn_hold_km_register();
	return 0;

err_device:
	dmvpn_device_uninit();
	return err;
}

static void __exit dmvpn_exit(void)
{
	dmvpn_hold_km_unregister();
	dmvpn_genl_uninit();
	dmvpn_device_uninit();
	/* Cache entries are freed by RCU callbacks that live in this module. */
	rcu_barrier();
}

module_init(dmvpn_init);
module_exit(dmvpn_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Dynamic Multipoint VPN: multipoint GRE with an NHRP cache");
MODULE_AUTHOR("The dmvpn developers");
MODULE_ALIAS_RTNL_LINK(KBUILD_MODNAME);
MODULE_ALIAS_GENL_FAMILY(DMVPN_GENL_NAME);
