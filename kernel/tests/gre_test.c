// SPDX-License-Identifier: GPL-2.0
/* KUnit suite dmvpn_gre: the GRE header codec. */
#include "util.h"

static void dmvpn_gre_test_roundtrip(struct kunit *test)
{
	static const u8 nokey[] = { 0x00, 0x00, 0x08, 0x00 };
	static const u8 key[] = { 0x20, 0x00, 0x20, 0x01,
				  0xde, 0xad, 0xbe, 0xef };
	struct dmvpn_gre_hdr_info info;
	u8 buf[DMVPN_GRE_MAX_HLEN + 4];

	memset(buf, 0xff, sizeof(buf));
	KUNIT_EXPECT_EQ(test, dmvpn_gre_build(buf, htons(ETH_P_IP), false,
					      0x12345678), 4);
	KUNIT_EXPECT_EQ(test, memcmp(buf, nokey, sizeof(nokey)), 0);
	KUNIT_EXPECT_EQ(test, buf[4], 0xff);
	memset(&info, 0xa5, sizeof(info));
	KUNIT_EXPECT_EQ(test, dmvpn_gre_parse(buf, 4, &info), 4);
	KUNIT_EXPECT_EQ(test, info.proto, htons(ETH_P_IP));
	KUNIT_EXPECT_FALSE(test, info.key_set);
	KUNIT_EXPECT_FALSE(test, info.csum);
	KUNIT_EXPECT_EQ(test, info.key, 0);

	memset(buf, 0xff, sizeof(buf));
	KUNIT_EXPECT_EQ(test, dmvpn_gre_build(buf, htons(DMVPN_ETH_P_NHRP),
					      true, 0xdeadbeef), 8);
	KUNIT_EXPECT_EQ(test, memcmp(buf, key, sizeof(key)), 0);
	KUNIT_EXPECT_EQ(test, buf[8], 0xff);
	KUNIT_EXPECT_EQ(test, dmvpn_gre_parse(buf, 8, &info), 8);
	KUNIT_EXPECT_EQ(test, info.proto, htons(DMVPN_ETH_P_NHRP));
	KUNIT_EXPECT_TRUE(test, info.key_set);
	KUNIT_EXPECT_FALSE(test, info.csum);
	KUNIT_EXPECT_EQ(test, info.key, 0xdeadbeef);

	/* Key 0 is a key: it is still sent. */
	KUNIT_EXPECT_EQ(test, dmvpn_gre_build(buf, htons(ETH_P_IPV6), true, 0),
			8);
	KUNIT_EXPECT_EQ(test, dmvpn_gre_parse(buf, 8, &info), 8);
	KUNIT_EXPECT_TRUE(test, info.key_set);
	KUNIT_EXPECT_EQ(test, info.key, 0);
	KUNIT_EXPECT_EQ(test, info.proto, htons(ETH_P_IPV6));

	/* Payload after the header is not the header's business. */
	KUNIT_EXPECT_EQ(test, dmvpn_gre_parse(buf, sizeof(buf), &info), 8);
}

static void dmvpn_gre_test_truncated(struct kunit *test)
{
	struct dmvpn_gre_hdr_info info;
	u8 buf[DMVPN_GRE_MAX_HLEN];
	unsigned int len;

	dmvpn_gre_build(buf, htons(ETH_P_IP), false, 0);
	for (len = 0; len < 4; len++)
		KUNIT_EXPECT_EQ_MSG(test, dmvpn_gre_parse(buf, len, &info),
				    -EMSGSIZE, "len %u", len);
	KUNIT_EXPECT_EQ(test, dmvpn_gre_parse(buf, 4, &info), 4);

	dmvpn_gre_build(buf, htons(ETH_P_IP), true, 42);
	for (len = 0; len < 8; len++)
		KUNIT_EXPECT_EQ_MSG(test, dmvpn_gre_parse(buf, len, &info),
				    -EMSGSIZE, "key, len %u", len);
	KUNIT_EXPECT_EQ(test, dmvpn_gre_parse(buf, 8, &info), 8);
	KUNIT_EXPECT_EQ(test, info.key, 42);

	/* Checksum, key and sequence number: 16 bytes needed. */
	memset(buf, 0, sizeof(buf));
	put_unaligned_be16(DMVPN_GRE_CSUM | DMVPN_GRE_KEY | DMVPN_GRE_SEQ,
			   buf);
	for (len = 0; len < 16; len++)
		KUNIT_EXPECT_EQ_MSG(test, dmvpn_gre_parse(buf, len, &info),
				    -EMSGSIZE, "csum+key+seq, len %u", len);
	KUNIT_EXPECT_EQ(test, dmvpn_gre_parse(buf, 16, &info), 16);
}

static void dmvpn_gre_test_version(struct kunit *test)
{
	struct dmvpn_gre_hdr_info info;
	u8 buf[DMVPN_GRE_MAX_HLEN] = {};
	u16 v;

	/* PPTP's enhanced GRE (version 1) and anything but version 0. */
	for (v = 1; v <= DMVPN_GRE_VERSION; v++) {
		KUNIT_EXPECT_EQ(test, dmvpn_gre_hlen(htons(v)),
				-EPROTONOSUPPORT);
		put_unaligned_be16(v | DMVPN_GRE_KEY, buf);
		KUNIT_EXPECT_EQ_MSG(test,
				    dmvpn_gre_parse(buf, sizeof(buf), &info),
				    -EPROTONOSUPPORT, "version %u", v);
	}
	/* The version is checked before the other bits. */
	put_unaligned_be16(1 | DMVPN_GRE_ROUTING | DMVPN_GRE_RESERVED, buf);
	KUNIT_EXPECT_EQ(test, dmvpn_gre_parse(buf, sizeof(buf), &info),
			-EPROTONOSUPPORT);
}

static void dmvpn_gre_test_reserved(struct kunit *test)
{
	struct dmvpn_gre_hdr_info info;
	u8 buf[DMVPN_GRE_MAX_HLEN] = {};
	u16 f;

	KUNIT_EXPECT_EQ(test, dmvpn_gre_hlen(htons(DMVPN_GRE_ROUTING)),
			-EINVAL);
	put_unaligned_be16(DMVPN_GRE_ROUTING, buf);
	KUNIT_EXPECT_EQ(test, dmvpn_gre_parse(buf, sizeof(buf), &info),
			-EINVAL);
	put_unaligned_be16(DMVPN_GRE_ROUTING | DMVPN_GRE_KEY, buf);
	KUNIT_EXPECT_EQ(test, dmvpn_gre_parse(buf, sizeof(buf), &info),
			-EINVAL);

	/* Strict source route, recursion control, reserved0: each bit. */
	for (f = 0x0008; f <= 0x0800; f <<= 1) {
		KUNIT_ASSERT_TRUE(test, f & DMVPN_GRE_RESERVED);
		KUNIT_EXPECT_EQ_MSG(test, dmvpn_gre_hlen(htons(f)), -EINVAL,
				    "flags %#06x", f);
		put_unaligned_be16(f, buf);
		KUNIT_EXPECT_EQ_MSG(test,
				    dmvpn_gre_parse(buf, sizeof(buf), &info),
				    -EINVAL, "flags %#06x", f);
	}
	/* Even when the buffer is too short for anything more. */
	put_unaligned_be16(0x0800, buf);
	KUNIT_EXPECT_EQ(test, dmvpn_gre_parse(buf, 4, &info), -EINVAL);
}

static void dmvpn_gre_test_options(struct kunit *test)
{
	static const u8 all[DMVPN_GRE_MAX_HLEN] = {
		0xb0, 0x00, 0x08, 0x00,		/* C K S, IPv4 */
		0xab, 0xcd, 0x00, 0x00,		/* checksum, reserved1 */
		0x01, 0x02, 0x03, 0x04,		/* key */
		0x00, 0x00, 0x00, 0x07,		/* sequence number */
	};
	struct dmvpn_gre_hdr_info info;
	u8 buf[DMVPN_GRE_MAX_HLEN];

	KUNIT_EXPECT_EQ(test, dmvpn_gre_hlen(0), 4);
	KUNIT_EXPECT_EQ(test, dmvpn_gre_hlen(htons(DMVPN_GRE_CSUM)), 8);
	KUNIT_EXPECT_EQ(test, dmvpn_gre_hlen(htons(DMVPN_GRE_KEY)), 8);
	KUNIT_EXPECT_EQ(test, dmvpn_gre_hlen(htons(DMVPN_GRE_SEQ)), 8);
	KUNIT_EXPECT_EQ(test, dmvpn_gre_hlen(htons(DMVPN_GRE_CSUM |
						   DMVPN_GRE_KEY)), 12);
	KUNIT_EXPECT_EQ(test, dmvpn_gre_hlen(htons(DMVPN_GRE_KEY |
						   DMVPN_GRE_SEQ)), 12);
	KUNIT_EXPECT_EQ(test, dmvpn_gre_hlen(htons(DMVPN_GRE_CSUM |
						   DMVPN_GRE_KEY |
						   DMVPN_GRE_SEQ)), 16);

	KUNIT_EXPECT_EQ(test, dmvpn_gre_parse(all, sizeof(all), &info), 16);
	KUNIT_EXPECT_TRUE(test, info.csum);
	KUNIT_EXPECT_TRUE(test, info.key_set);
	KUNIT_EXPECT_EQ(test, info.key, 0x01020304);
	KUNIT_EXPECT_EQ(test, info.proto, htons(ETH_P_IP));

	/* Checksum and key: the key follows the checksum word. */
	memcpy(buf, all, sizeof(buf));
	buf[0] = 0xa0;
	KUNIT_EXPECT_EQ(test, dmvpn_gre_parse(buf, 12, &info), 12);
	KUNIT_EXPECT_TRUE(test, info.csum);
	KUNIT_EXPECT_EQ(test, info.key, 0x01020304);

	/* Key and sequence number: the key comes first. */
	memcpy(buf + 4, all + 8, 8);
	buf[0] = 0x30;
	KUNIT_EXPECT_EQ(test, dmvpn_gre_parse(buf, 12, &info), 12);
	KUNIT_EXPECT_FALSE(test, info.csum);
	KUNIT_EXPECT_EQ(test, info.key, 0x01020304);

	/* Checksum or sequence number alone: no key. */
	buf[0] = 0x80;
	KUNIT_EXPECT_EQ(test, dmvpn_gre_parse(buf, 8, &info), 8);
	KUNIT_EXPECT_TRUE(test, info.csum);
	KUNIT_EXPECT_FALSE(test, info.key_set);
	KUNIT_EXPECT_EQ(test, info.key, 0);
	buf[0] = 0x10;
	KUNIT_EXPECT_EQ(test, dmvpn_gre_parse(buf, 8, &info), 8);
	KUNIT_EXPECT_FALSE(test, info.key_set);
}

static void dmvpn_gre_test_unaligned(struct kunit *test)
{
	struct dmvpn_gre_hdr_info info;
	u8 raw[DMVPN_GRE_MAX_HLEN + 16] __aligned(8);
	unsigned int off;
	u8 *p;

	for (off = 1; off < 8; off++) {
		p = raw + off;
		memset(raw, 0xff, sizeof(raw));
		KUNIT_EXPECT_EQ(test, dmvpn_gre_build(p, htons(ETH_P_IPV6),
						      true, 0x01020304 + off),
				8);
		/* Exactly the header is written, nothing around it. */
		KUNIT_EXPECT_EQ(test, p[-1], 0xff);
		KUNIT_EXPECT_EQ(test, p[8], 0xff);
		KUNIT_EXPECT_EQ_MSG(test, dmvpn_gre_parse(p, 8, &info), 8,
				    "offset %u", off);
		KUNIT_EXPECT_EQ(test, info.key, 0x01020304 + off);
		KUNIT_EXPECT_EQ(test, info.proto, htons(ETH_P_IPV6));

		memset(raw, 0xff, sizeof(raw));
		KUNIT_EXPECT_EQ(test, dmvpn_gre_build(p, htons(ETH_P_IP),
						      false, 7), 4);
		KUNIT_EXPECT_EQ(test, p[4], 0xff);
		KUNIT_EXPECT_EQ_MSG(test, dmvpn_gre_parse(p, 4, &info), 4,
				    "offset %u", off);
		KUNIT_EXPECT_FALSE(test, info.key_set);
		KUNIT_EXPECT_EQ(test, info.proto, htons(ETH_P_IP));
	}
}

static struct kunit_case dmvpn_gre_test_cases[] = {
	KUNIT_CASE(dmvpn_gre_test_roundtrip),
	KUNIT_CASE(dmvpn_gre_test_truncated),
	KUNIT_CASE(dmvpn_gre_test_version),
	KUNIT_CASE(dmvpn_gre_test_reserved),
	KUNIT_CASE(dmvpn_gre_test_options),
	KUNIT_CASE(dmvpn_gre_test_unaligned),
	{}
};

static struct kunit_suite dmvpn_gre_test_suite = {
	.name = "dmvpn_gre",
	.test_cases = dmvpn_gre_test_cases,
};

kunit_test_suite(dmvpn_gre_test_suite);
