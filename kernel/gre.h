/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GRE header codec (RFC 2784 with the RFC 2890 key), kept free of sk_buff
 * handling so KUnit can feed it arbitrary bytes.
 */
#ifndef _DMVPN_GRE_H
#define _DMVPN_GRE_H

#include <linux/types.h>

#define DMVPN_GRE_CSUM		0x8000
#define DMVPN_GRE_ROUTING	0x4000
#define DMVPN_GRE_KEY		0x2000
#define DMVPN_GRE_SEQ		0x1000
#define DMVPN_GRE_VERSION	0x0007
/* Bits RFC 2784 says a receiver must be zero (strict source route, recursion
 * control, reserved0) - RFC 1701 features we do not implement.
 */
#define DMVPN_GRE_RESERVED	0x0ff8

#define DMVPN_GRE_BASE_HLEN	4
#define DMVPN_GRE_MAX_HLEN	16

struct dmvpn_gre_hdr_info {
	__be16 proto;
	bool csum;
	bool key_set;
	u32 key;
};

int dmvpn_gre_hlen(__be16 flags);
int dmvpn_gre_parse(const u8 *buf, unsigned int len,
		    struct dmvpn_gre_hdr_info *info);
unsigned int dmvpn_gre_build(u8 *buf, __be16 proto, bool key_set, u32 key);

#endif /* _DMVPN_GRE_H */
