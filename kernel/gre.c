// SPDX-License-Identifier: GPL-2.0
#include <linux/errno.h>
#include <linux/string.h>
#include <kunit/visibility.h>
#include "compat.h"
#include "gre.h"

/**
 * dmvpn_gre_hlen() - header length implied by the first 16 bits
 * @flags: the flags/version word as on the wire
 *
 * Return: the length, -EPROTONOSUPPORT for a version other than 0 (PPTP's
 * enhanced GRE is version 1), -EINVAL for routing or reserved bits.
 */
int dmvpn_gre_hlen(__be16 flags)
{
	u16 f = ntohs(flags);
	int hlen = DMVPN_GRE_BASE_HLEN;

	if (f & DMVPN_GRE_VERSION)
		return -EPROTONOSUPPORT;
	if (f & (DMVPN_GRE_ROUTING | DMVPN_GRE_RESERVED))
		return -EINVAL;
	if (f & DMVPN_GRE_CSUM)
		hlen += 4;
	if (f & DMVPN_GRE_KEY)
		hlen += 4;
	if (f & DMVPN_GRE_SEQ)
		hlen += 4;
	return hlen;
}
EXPORT_SYMBOL_IF_KUNIT(dmvpn_gre_hlen);

/**
 * dmvpn_gre_parse() - decode a GRE header
 * @buf: start of the GRE header
 * @len: bytes available at @buf
 * @info: filled on success
 *
 * Return: the header length, or a negative errno (-EMSGSIZE if truncated).
 * The checksum is not verified here: it covers the payload too.
 */
int dmvpn_gre_parse(const u8 *buf, unsigned int len,
		    struct dmvpn_gre_hdr_info *info)
{
	__be16 flags;
	unsigned int off = DMVPN_GRE_BASE_HLEN;
	int hlen;

	if (len < DMVPN_GRE_BASE_HLEN)
		return -EMSGSIZE;
	flags = get_unaligned((const __be16 *)buf);
	hlen = dmvpn_gre_hlen(flags);
	if (hlen < 0)
		return hlen;
	if (len < hlen)
		return -EMSGSIZE;

	memset(info, 0, sizeof(*info));
	info->proto = get_unaligned((const __be16 *)(buf + 2));
	info->csum = flags & htons(DMVPN_GRE_CSUM);
	info->key_set = flags & htons(DMVPN_GRE_KEY);
	if (info->csum)
		off += 4;
	if (info->key_set)
		info->key = get_unaligned_be32(buf + off);
	return hlen;
}
EXPORT_SYMBOL_IF_KUNIT(dmvpn_gre_parse);

/**
 * dmvpn_gre_build() - encode the header dmvpn sends: no checksum, no
 * sequence number, the key when the device has one (as Cisco IOS does)
 * @buf: room for DMVPN_GRE_MAX_HLEN bytes
 * @proto: payload ethertype
 * @key_set: whether to include the key
 * @key: GRE key
 *
 * Return: the header length written.
 */
unsigned int dmvpn_gre_build(u8 *buf, __be16 proto, bool key_set, u32 key)
{
	__be16 flags = key_set ? htons(DMVPN_GRE_KEY) : 0;

	put_unaligned(flags, (__be16 *)buf);
	put_unaligned(proto, (__be16 *)(buf + 2));
	if (!key_set)
		return DMVPN_GRE_BASE_HLEN;
	put_unaligned_be32(key, buf + 4);
	return DMVPN_GRE_BASE_HLEN + 4;
}
EXPORT_SYMBOL_IF_KUNIT(dmvpn_gre_build);
