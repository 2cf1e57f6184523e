# SPDX-License-Identifier: GPL-2.0
#
# Read after iproute2's own Makefile (make -f Makefile -f build.mk), whose
# variables are all exported: builds lib/ and ip/ only, then ip-dmvpn (a
# main() around do_ipdmvpn) and ip-dmvpn-san (the same, with ASan and
# UBSan) from the objects and sources of the patched ip/.
DMVPN_MK := $(lastword $(MAKEFILE_LIST))

ifeq ($(notdir $(CURDIR)),ip)

DMVPN_SRC := $(wildcard ipdmvpn*.c)
DMVPN_SAN := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	     -fno-sanitize-recover=undefined

# iproute2 builds with -Wall; the dmvpn files must also be -Werror clean.
$(DMVPN_SRC:.c=.o) iplink_dmvpn.o ip-dmvpn-main.o: CFLAGS += -Werror

ip-dmvpn-main.o: $(DMVPN_MAIN) ipdmvpn.h
	$(QUIET_CC)$(CC) -I. $(CFLAGS) $(CPPFLAGS) -c -o $@ $<

ip-dmvpn: ip-dmvpn-main.o $(DMVPN_SRC:.c=.o) $(LIBNETLINK)
	$(QUIET_LINK)$(CC) $^ $(LDFLAGS) $(LDLIBS) -o $@

ip-dmvpn-san: $(DMVPN_MAIN) $(DMVPN_SRC) ipdmvpn.h $(LIBNETLINK)
	$(QUIET_LINK)$(CC) -I. $(CFLAGS) $(CPPFLAGS) $(DMVPN_SAN) \
		$(filter %.c,$^) $(LDFLAGS) $(LDLIBS) -o $@

dmvpn-ip: ip ip-dmvpn ip-dmvpn-san

else

dmvpn-all: config.mk
	$(MAKE) -C lib
	$(MAKE) -C ip -f Makefile -f $(abspath $(DMVPN_MK)) dmvpn-ip

endif

.PHONY: dmvpn-all dmvpn-ip
