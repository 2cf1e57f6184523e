/* SPDX-License-Identifier: GPL-2.0 */
/* dmvpn carries addresses as 4 or 16 raw bytes; the length is the family. */
#ifndef _DMVPN_ADDR_H_
#define _DMVPN_ADDR_H_

#include <stddef.h>
#include <netinet/in.h>
#include <linux/types.h>

struct dmvpn_addr {
	int len;	/* 4 or 16 */
	int plen;	/* prefix length; len * 8 unless given */
	__u8 data[16];
};

/* "ADDR", or "ADDR/PLEN" if with_plen.  Returns 0 or -1. */
int dmvpn_addr_parse(struct dmvpn_addr *a, const char *s, int with_plen);

/* Format a 4 or 16 byte address attribute; "?" for any other length. */
const char *dmvpn_addr_ntop(const void *data, int len, char *buf, size_t size);

#define DMVPN_ADDRSTRLEN INET6_ADDRSTRLEN

#endif /* _DMVPN_ADDR_H_ */
