#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ipsec_natt.sh with AES-CBC and HMAC-SHA-256 for ESP (a Cisco transform
# set "esp-aes esp-sha256-hmac"), not AES-GCM: the cipher the protected
# device's MTU leaves the most room for (a 16-byte IV, up to 15 bytes of
# padding), under NAT-T; its full-MTU DF pings must cross unfragmented.
CHARON_ESP_PROPOSAL=aes128-sha256 exec "$(dirname "$0")/ipsec_natt.sh" "$@"
