# SPDX-License-Identifier: GPL-2.0
# dmvpn: see README. Kernel objects are built by Kbuild (file Kbuild);
# this Makefile is the entry point for people.
KERNEL ?= 6.1

.PHONY: all module user check check-vng check-captures demo bench install uninstall clean

all: module user

# dmvpn.ko for $(KERNEL) (6.1, 6.12, 7.2, debug or a kernel build path).
module:
	@scripts/build-module $(KERNEL)

user:
	$(MAKE) -C user
	$(MAKE) -C user/dmvpnd
	$(MAKE) -C user/loadgen

# The whole suite: KUnit and kselftests on 6.1, 6.12, 7.2 and the debug
# kernel (DMVPN_KERNELS picks others).
check:
	scripts/check

# KUnit and kselftests booted with virtme-ng, as kernel CI runs them
# (6.1, or DMVPN_VNG_KERNELS="6.1 debug").
check-vng:
	scripts/check-vng

# NHRP codec round trip over every capture in $DMVPN_CAPTURES
# (default ../shared/testdata/nhrp).
check-captures:
	$(MAKE) -C user/nhrp check-captures

# A hub and two spokes in a VM, traffic flowing, `ip dmvpn` output shown.
demo:
	scripts/demo

# Data path (dmvpn vs ip_gre), hub registration rate (dmvpnd vs FRR) and
# IPsec (protected dmvpn vs strongSwan-protected ip_gre, SA setup, a hub
# with many charon spokes).
bench:
	scripts/bench-datapath
	scripts/bench-hub
	scripts/bench-ipsec

# For distro builds on the running kernel: make install KDIR=/lib/modules/$(uname -r)/build
KDIR ?= /lib/modules/$(shell uname -r)/build
install:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules modules_install
	$(MAKE) -C user install
	$(MAKE) -C user/dmvpnd install

# What user/ installed: the patched ip, ip-dmvpn, the plugin, the man page.
uninstall:
	$(MAKE) -C user uninstall

clean:
	rm -rf build
	$(MAKE) -C user clean
	$(MAKE) -C user/nhrp clean
	$(MAKE) -C user/dmvpnd clean
	$(MAKE) -C user/loadgen clean
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null || true
