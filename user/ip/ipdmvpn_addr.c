// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "utils.h"
#include "ipdmvpn.h"

int dmvpn_addr_parse(struct dmvpn_addr *a, const char *s, int with_plen)
{
	char buf[INET6_ADDRSTRLEN + 4];
	char *slash;
	__u8 plen;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	slash = with_plen ? strchr(buf, '/') : NULL;
	if (slash)
		*slash++ = '\0';

	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, buf, a->data) == 1)
		a->len = 4;
	else if (inet_pton(AF_INET6, buf, a->data) == 1)
		a->len = 16;
	else
		return -1;

	a->plen = a->len * 8;
	if (slash) {
		if (get_u8(&plen, slash, 10) || plen > a->len * 8)
			return -1;
		a->plen = plen;
	}
	return 0;
}

const char *dmvpn_addr_ntop(const void *data, int len, char *buf, size_t size)
{
	int af = len == 4 ? AF_INET : len == 16 ? AF_INET6 : AF_UNSPEC;

	if (af == AF_UNSPEC || !inet_ntop(af, data, buf, size))
		snprintf(buf, size, "?");
	return buf;
}
