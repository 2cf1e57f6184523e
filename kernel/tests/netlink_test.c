// SPDX-License-Identifier: GPL-2.0
/* KUnit suite dmvpn_netlink: the entry parser and its policy; the attribute
 * builder here serves dmvpn_config too.
 */
#include "util.h"

int dmvpn_nl_test_init(struct kunit *test)
{
	struct dmvpn_nlt *t;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	t->skb = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!t->skb)
		return -ENOMEM;
	test->priv = t;
	return 0;
}

void dmvpn_nl_test_exit(struct kunit *test)
{
	struct dmvpn_nlt *t = test->priv;

	if (t)
		nlmsg_free(t->skb);
}

/* Start a new DMVPN_A_ENTRY nest, dropping whatever was built before. */
static void dmvpn_nlt_begin(struct kunit *test)
{
	struct dmvpn_nlt *t = test->priv;

	skb_trim(t->skb, 0);
	t->nest = nla_nest_start(t->skb, DMVPN_A_ENTRY);
	KUNIT_ASSERT_NOT_NULL(test, t->nest);
}

void dmvpn_nlt_put(struct kunit *test, int type, int len,
		   const void *data)
{
	struct dmvpn_nlt *t = test->priv;

	KUNIT_ASSERT_EQ(test, nla_put(t->skb, type, len, data), 0);
}

void dmvpn_nlt_addr(struct kunit *test, int type, const char *s)
{
	struct dmvpn_addr a = dmvpn_ta(test, s);

	if (a.family == AF_INET6)
		dmvpn_nlt_put(test, type, sizeof(a.ip6), &a.ip6);
	else
		dmvpn_nlt_put(test, type, sizeof(a.ip4), &a.ip4);
}

void dmvpn_nlt_u8(struct kunit *test, int type, u8 v)
{
	dmvpn_nlt_put(test, type, sizeof(v), &v);
}

void dmvpn_nlt_u32(struct kunit *test, int type, u32 v)
{
	dmvpn_nlt_put(test, type, sizeof(v), &v);
}

/* Close the nest and parse it into t->spec, the report in t->extack. */
static int dmvpn_nlt_parse(struct kunit *test, u8 nbma_family, bool key_only)
{
	struct dmvpn_nlt *t = test->priv;

	nla_nest_end(t->skb, t->nest);
	memset(&t->extack, 0, sizeof(t->extack));
	return dmvpn_nl_parse_entry(t->nest, nbma_family, &t->spec, key_only,
				    &t->extack);
}

static __printf(2, 3) void dmvpn_nlt_what(struct kunit *test,
					   const char *fmt, ...)
{
	struct dmvpn_nlt *t = test->priv;
	va_list args;

	va_start(args, fmt);
	vsnprintf(t->what, sizeof(t->what), fmt, args);
	va_end(args);
}

#define DMVPN_NLT_NEST	0	/* the report names the nest itself */
#define DMVPN_NLT_ANY	(-1)	/* the report's attribute is not checked */

/*
 * Parse (not key-only), expect @err and, when @msg is set, that message;
 * @bad is the attribute type extack must point at.
 */
static void dmvpn_nlt_reject(struct kunit *test, u8 nbma_family, int err,
			     const char *msg, int bad)
{
	struct dmvpn_nlt *t = test->priv;
	const char *what = t->what;
	const struct nlattr *want;

	KUNIT_EXPECT_EQ_MSG(test, dmvpn_nlt_parse(test, nbma_family, false),
			    err, "%s", what);
	if (msg) {
		KUNIT_ASSERT_NOT_NULL_MSG(test, t->extack._msg,
					  "%s: want %s", what, msg);
		KUNIT_EXPECT_STREQ_MSG(test, t->extack._msg, msg, "%s", what);
	}
	t->what[0] = '\0';
	if (bad == DMVPN_NLT_ANY)
		return;
	want = bad == DMVPN_NLT_NEST ? t->nest : nla_find_nested(t->nest, bad);
	KUNIT_EXPECT_NOT_NULL(test, want);
	KUNIT_EXPECT_PTR_EQ(test, t->extack.bad_attr, want);
}

static void dmvpn_nl_test_valid_v4(struct kunit *test)
{
	struct dmvpn_nlt *t = test->priv;
	struct dmvpn_entry_spec *spec = &t->spec;

	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.0.0.2");
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "192.0.2.2");
	dmvpn_nlt_u32(test, DMVPN_ENTRY_A_FLAGS, DMVPN_F_UNIQUE | DMVPN_F_NHS);
	KUNIT_ASSERT_EQ(test, dmvpn_nlt_parse(test, AF_INET, false), 0);
	KUNIT_EXPECT_NULL(test, t->extack._msg);
	KUNIT_EXPECT_EQ(test, spec->proto.family, AF_INET);
	KUNIT_EXPECT_TRUE(test, dmvpn_addr_is(test, &spec->proto, "10.0.0.2"));
	/* A host, and so a static entry, by default. */
	KUNIT_EXPECT_EQ(test, spec->plen, 32);
	KUNIT_EXPECT_EQ(test, spec->type, (u8)DMVPN_ENTRY_STATIC);
	KUNIT_EXPECT_EQ(test, spec->flags, DMVPN_F_UNIQUE | DMVPN_F_NHS);
	KUNIT_EXPECT_EQ(test, spec->holdtime, 0);
	KUNIT_EXPECT_EQ(test, spec->nbma.family, AF_INET);
	KUNIT_EXPECT_TRUE(test, dmvpn_addr_is(test, &spec->nbma, "192.0.2.2"));

	/* Everything given; the top of the holding time range. */
	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.0.0.3");
	dmvpn_nlt_u8(test, DMVPN_ENTRY_A_PREFIXLEN, 32);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "198.51.100.3");
	dmvpn_nlt_u8(test, DMVPN_ENTRY_A_TYPE, DMVPN_ENTRY_DYNAMIC);
	dmvpn_nlt_u32(test, DMVPN_ENTRY_A_FLAGS, DMVPN_F_USER_MASK);
	dmvpn_nlt_u32(test, DMVPN_ENTRY_A_HOLDTIME, U16_MAX);
	KUNIT_ASSERT_EQ(test, dmvpn_nlt_parse(test, AF_INET, false), 0);
	KUNIT_EXPECT_TRUE(test, dmvpn_addr_is(test, &spec->proto, "10.0.0.3"));
	KUNIT_EXPECT_EQ(test, spec->plen, 32);
	KUNIT_EXPECT_EQ(test, spec->type, (u8)DMVPN_ENTRY_DYNAMIC);
	KUNIT_EXPECT_EQ(test, spec->flags, DMVPN_F_USER_MASK);
	KUNIT_EXPECT_EQ(test, spec->holdtime, U16_MAX);
	KUNIT_EXPECT_TRUE(test, dmvpn_addr_is(test, &spec->nbma,
					      "198.51.100.3"));
}

static void dmvpn_nl_test_valid_v6(struct kunit *test)
{
	struct dmvpn_nlt *t = test->priv;
	struct dmvpn_entry_spec *spec = &t->spec;

	/* 16-byte protocol address over an IPv4 underlay. */
	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "2001:db8::2");
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "192.0.2.2");
	dmvpn_nlt_u8(test, DMVPN_ENTRY_A_TYPE, DMVPN_ENTRY_DYNAMIC);
	dmvpn_nlt_u32(test, DMVPN_ENTRY_A_HOLDTIME, 7200);
	KUNIT_ASSERT_EQ(test, dmvpn_nlt_parse(test, AF_INET, false), 0);
	KUNIT_EXPECT_EQ(test, spec->proto.family, AF_INET6);
	KUNIT_EXPECT_TRUE(test, dmvpn_addr_is(test, &spec->proto,
					      "2001:db8::2"));
	KUNIT_EXPECT_EQ(test, spec->plen, 128);
	KUNIT_EXPECT_EQ(test, spec->type, (u8)DMVPN_ENTRY_DYNAMIC);
	KUNIT_EXPECT_EQ(test, spec->holdtime, 7200);
	KUNIT_EXPECT_TRUE(test, dmvpn_addr_is(test, &spec->nbma, "192.0.2.2"));

	/* IPv4 protocol address over an IPv6 underlay. */
	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.0.0.2");
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "2001:db8:ffff::2");
	dmvpn_nlt_u8(test, DMVPN_ENTRY_A_TYPE, DMVPN_ENTRY_LOCAL);
	KUNIT_ASSERT_EQ(test, dmvpn_nlt_parse(test, AF_INET6, false), 0);
	KUNIT_EXPECT_EQ(test, spec->plen, 32);
	KUNIT_EXPECT_EQ(test, spec->type, (u8)DMVPN_ENTRY_LOCAL);
	KUNIT_EXPECT_EQ(test, spec->nbma.family, AF_INET6);
	KUNIT_EXPECT_TRUE(test, dmvpn_addr_is(test, &spec->nbma,
					      "2001:db8:ffff::2"));
}

static void dmvpn_nl_test_valid_shortcut(struct kunit *test)
{
	struct dmvpn_nlt *t = test->priv;
	struct dmvpn_entry_spec *spec = &t->spec;

	/* A prefix makes a shortcut without saying so. */
	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.1.0.0");
	dmvpn_nlt_u8(test, DMVPN_ENTRY_A_PREFIXLEN, 16);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "192.0.2.16");
	dmvpn_nlt_u32(test, DMVPN_ENTRY_A_HOLDTIME, 600);
	KUNIT_ASSERT_EQ(test, dmvpn_nlt_parse(test, AF_INET, false), 0);
	KUNIT_EXPECT_EQ(test, spec->plen, 16);
	KUNIT_EXPECT_EQ(test, spec->type, (u8)DMVPN_ENTRY_SHORTCUT);
	KUNIT_EXPECT_EQ(test, spec->holdtime, 600);

	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "0.0.0.0");
	dmvpn_nlt_u8(test, DMVPN_ENTRY_A_PREFIXLEN, 0);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "192.0.2.1");
	KUNIT_ASSERT_EQ(test, dmvpn_nlt_parse(test, AF_INET, false), 0);
	KUNIT_EXPECT_EQ(test, spec->plen, 0);
	KUNIT_EXPECT_EQ(test, spec->type, (u8)DMVPN_ENTRY_SHORTCUT);

	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "2001:db8:1:2::");
	dmvpn_nlt_u8(test, DMVPN_ENTRY_A_PREFIXLEN, 64);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "192.0.2.64");
	KUNIT_ASSERT_EQ(test, dmvpn_nlt_parse(test, AF_INET, false), 0);
	KUNIT_EXPECT_EQ(test, spec->plen, 64);
	KUNIT_EXPECT_EQ(test, spec->type, (u8)DMVPN_ENTRY_SHORTCUT);

	/* A host route shortcut names its type. */
	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.1.2.3");
	dmvpn_nlt_u8(test, DMVPN_ENTRY_A_TYPE, DMVPN_ENTRY_SHORTCUT);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "192.0.2.32");
	KUNIT_ASSERT_EQ(test, dmvpn_nlt_parse(test, AF_INET, false), 0);
	KUNIT_EXPECT_EQ(test, spec->plen, 32);
	KUNIT_EXPECT_EQ(test, spec->type, (u8)DMVPN_ENTRY_SHORTCUT);
}

static void dmvpn_nl_test_proto_len(struct kunit *test)
{
	static const u8 five[5] = { 10, 0, 0, 2, 0 };

	dmvpn_nlt_begin(test);
	dmvpn_nlt_put(test, DMVPN_ENTRY_A_PROTO, sizeof(five), five);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "192.0.2.2");
	dmvpn_nlt_reject(test, AF_INET, -EINVAL,
			 "dmvpn: address must be 4 (IPv4) or 16 (IPv6) bytes",
			 DMVPN_ENTRY_A_PROTO);

	/* Key-only parsing (delete, get) checks the address just the same. */
	KUNIT_EXPECT_EQ(test, dmvpn_nlt_parse(test, AF_INET, true), -EINVAL);

	/* An NBMA address of a wrong size likewise. */
	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.0.0.2");
	dmvpn_nlt_put(test, DMVPN_ENTRY_A_NBMA, sizeof(five), five);
	dmvpn_nlt_reject(test, AF_INET, -EINVAL,
			 "dmvpn: address must be 4 (IPv4) or 16 (IPv6) bytes",
			 DMVPN_ENTRY_A_NBMA);

	/* Longer than any address: the policy says no. */
	{
		u8 big[17] = {};

		dmvpn_nlt_begin(test);
		dmvpn_nlt_put(test, DMVPN_ENTRY_A_PROTO, sizeof(big), big);
		dmvpn_nlt_reject(test, AF_INET, -ERANGE, NULL,
				 DMVPN_ENTRY_A_PROTO);
	}

	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "192.0.2.2");
	dmvpn_nlt_reject(test, AF_INET, -EINVAL,
			 "dmvpn: entry needs a protocol address",
			 DMVPN_NLT_NEST);
}

static void dmvpn_nl_test_prefix(struct kunit *test)
{
	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.0.0.0");
	dmvpn_nlt_u8(test, DMVPN_ENTRY_A_PREFIXLEN, 33);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "192.0.2.2");
	dmvpn_nlt_reject(test, AF_INET, -EINVAL,
			 "dmvpn: prefix length too long for the address family",
			 DMVPN_ENTRY_A_PREFIXLEN);

	/* IPv6: 128 is fine, 129 is beyond the policy. */
	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "2001:db8::1");
	dmvpn_nlt_u8(test, DMVPN_ENTRY_A_PREFIXLEN, 128);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "192.0.2.2");
	KUNIT_EXPECT_EQ(test, dmvpn_nlt_parse(test, AF_INET, false), 0);

	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "2001:db8::1");
	dmvpn_nlt_u8(test, DMVPN_ENTRY_A_PREFIXLEN, 129);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "192.0.2.2");
	dmvpn_nlt_reject(test, AF_INET, -ERANGE, NULL,
			 DMVPN_ENTRY_A_PREFIXLEN);
}

static void dmvpn_nl_test_host_bits(struct kunit *test)
{
	static const char msg[] = "dmvpn: prefix has host bits set";

	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.1.2.3");
	dmvpn_nlt_u8(test, DMVPN_ENTRY_A_PREFIXLEN, 16);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "192.0.2.2");
	dmvpn_nlt_reject(test, AF_INET, -EINVAL, msg, DMVPN_ENTRY_A_PROTO);
	/* Even to delete: the key would name another prefix. */
	KUNIT_EXPECT_EQ(test, dmvpn_nlt_parse(test, AF_INET, true), -EINVAL);

	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "0.0.0.1");
	dmvpn_nlt_u8(test, DMVPN_ENTRY_A_PREFIXLEN, 0);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "192.0.2.2");
	dmvpn_nlt_reject(test, AF_INET, -EINVAL, msg, DMVPN_ENTRY_A_PROTO);

	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "2001:db8:1:2::1");
	dmvpn_nlt_u8(test, DMVPN_ENTRY_A_PREFIXLEN, 64);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "192.0.2.2");
	dmvpn_nlt_reject(test, AF_INET, -EINVAL, msg, DMVPN_ENTRY_A_PROTO);

	/* The last bit of the prefix is not a host bit. */
	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "2001:db8:1:1::");
	dmvpn_nlt_u8(test, DMVPN_ENTRY_A_PREFIXLEN, 64);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "192.0.2.2");
	KUNIT_EXPECT_EQ(test, dmvpn_nlt_parse(test, AF_INET, false), 0);
}

static void dmvpn_nl_test_prefix_type(struct kunit *test)
{
	static const u8 types[] = {
		DMVPN_ENTRY_STATIC, DMVPN_ENTRY_DYNAMIC, DMVPN_ENTRY_LOCAL,
		DMVPN_ENTRY_INCOMPLETE, DMVPN_ENTRY_NEGATIVE,
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		dmvpn_nlt_begin(test);
		dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.1.2.0");
		dmvpn_nlt_u8(test, DMVPN_ENTRY_A_PREFIXLEN, 24);
		dmvpn_nlt_u8(test, DMVPN_ENTRY_A_TYPE, types[i]);
		dmvpn_nlt_what(test, "type %u", types[i]);
		dmvpn_nlt_reject(test, AF_INET, -EINVAL,
				 "dmvpn: only shortcut entries cover a prefix",
				 DMVPN_ENTRY_A_PREFIXLEN);
	}
}

static void dmvpn_nl_test_holdtime(struct kunit *test)
{
	static const char msg[] = "dmvpn: static and local entries do not expire";
	struct dmvpn_nlt *t = test->priv;

	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.0.0.2");
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "192.0.2.2");
	dmvpn_nlt_u32(test, DMVPN_ENTRY_A_HOLDTIME, 10);
	dmvpn_nlt_reject(test, AF_INET, -EINVAL, msg, DMVPN_ENTRY_A_HOLDTIME);

	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.0.0.2");
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "192.0.2.2");
	dmvpn_nlt_u8(test, DMVPN_ENTRY_A_TYPE, DMVPN_ENTRY_LOCAL);
	dmvpn_nlt_u32(test, DMVPN_ENTRY_A_HOLDTIME, 1);
	dmvpn_nlt_reject(test, AF_INET, -EINVAL, msg, DMVPN_ENTRY_A_HOLDTIME);

	/* A zero holding time is "never", which a static entry may say. */
	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.0.0.2");
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "192.0.2.2");
	dmvpn_nlt_u8(test, DMVPN_ENTRY_A_TYPE, DMVPN_ENTRY_STATIC);
	dmvpn_nlt_u32(test, DMVPN_ENTRY_A_HOLDTIME, 0);
	KUNIT_EXPECT_EQ(test, dmvpn_nlt_parse(test, AF_INET, false), 0);
	KUNIT_EXPECT_EQ(test, t->spec.holdtime, 0);

	/* NHRP holding times are 16 bits. */
	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.0.0.2");
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "192.0.2.2");
	dmvpn_nlt_u8(test, DMVPN_ENTRY_A_TYPE, DMVPN_ENTRY_DYNAMIC);
	dmvpn_nlt_u32(test, DMVPN_ENTRY_A_HOLDTIME, 65536);
	dmvpn_nlt_reject(test, AF_INET, -ERANGE, NULL,
			 DMVPN_ENTRY_A_HOLDTIME);
	KUNIT_EXPECT_NOT_NULL(test, t->extack._msg);
}

static void dmvpn_nl_test_nbma_presence(struct kunit *test)
{
	static const u8 none[] = { DMVPN_ENTRY_INCOMPLETE,
				   DMVPN_ENTRY_NEGATIVE };
	static const u8 need[] = { DMVPN_ENTRY_STATIC, DMVPN_ENTRY_DYNAMIC,
				   DMVPN_ENTRY_LOCAL };
	struct dmvpn_nlt *t = test->priv;
	int i;

	for (i = 0; i < ARRAY_SIZE(need); i++) {
		dmvpn_nlt_begin(test);
		dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.0.0.2");
		dmvpn_nlt_u8(test, DMVPN_ENTRY_A_TYPE, need[i]);
		dmvpn_nlt_what(test, "type %u", need[i]);
		dmvpn_nlt_reject(test, AF_INET, -EINVAL,
				 "dmvpn: entry needs an NBMA address",
				 DMVPN_NLT_NEST);
	}
	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.1.0.0");
	dmvpn_nlt_u8(test, DMVPN_ENTRY_A_PREFIXLEN, 16);
	dmvpn_nlt_reject(test, AF_INET, -EINVAL,
			 "dmvpn: entry needs an NBMA address", DMVPN_NLT_NEST);

	for (i = 0; i < ARRAY_SIZE(none); i++) {
		dmvpn_nlt_begin(test);
		dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.0.0.2");
		dmvpn_nlt_u8(test, DMVPN_ENTRY_A_TYPE, none[i]);
		dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "192.0.2.2");
		dmvpn_nlt_what(test, "type %u", none[i]);
		dmvpn_nlt_reject(test, AF_INET, -EINVAL,
				 "dmvpn: incomplete and negative entries have no NBMA address",
				 DMVPN_ENTRY_A_NBMA);

		dmvpn_nlt_begin(test);
		dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.0.0.2");
		dmvpn_nlt_u8(test, DMVPN_ENTRY_A_TYPE, none[i]);
		dmvpn_nlt_u32(test, DMVPN_ENTRY_A_HOLDTIME, 30);
		KUNIT_EXPECT_EQ(test, dmvpn_nlt_parse(test, AF_INET, false), 0);
		KUNIT_EXPECT_EQ(test, t->spec.type, none[i]);
		KUNIT_EXPECT_EQ(test, t->spec.nbma.family, 0);
		KUNIT_EXPECT_EQ(test, t->spec.holdtime, 30);
	}
}

static void dmvpn_nl_test_nbma_unicast(struct kunit *test)
{
	static const char * const bad4[] = {
		"224.0.0.5", "239.255.255.250", "255.255.255.255", "0.0.0.0",
	};
	static const char * const bad6[] = { "ff02::1", "ff05::2", "::" };
	int i;

	for (i = 0; i < ARRAY_SIZE(bad4); i++) {
		dmvpn_nlt_begin(test);
		dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.0.0.2");
		dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, bad4[i]);
		dmvpn_nlt_what(test, "NBMA %s", bad4[i]);
		dmvpn_nlt_reject(test, AF_INET, -EINVAL,
				 "dmvpn: NBMA address must be unicast",
				 DMVPN_ENTRY_A_NBMA);
	}
	for (i = 0; i < ARRAY_SIZE(bad6); i++) {
		dmvpn_nlt_begin(test);
		dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.0.0.2");
		dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, bad6[i]);
		dmvpn_nlt_what(test, "NBMA %s", bad6[i]);
		dmvpn_nlt_reject(test, AF_INET6, -EINVAL,
				 "dmvpn: NBMA address must be unicast",
				 DMVPN_ENTRY_A_NBMA);
	}
}

static void dmvpn_nl_test_nbma_family(struct kunit *test)
{
	static const char msg[] =
		"dmvpn: NBMA address family differs from the underlay";

	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.0.0.2");
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "2001:db8::2");
	dmvpn_nlt_reject(test, AF_INET, -EAFNOSUPPORT, msg,
			 DMVPN_ENTRY_A_NBMA);

	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "2001:db8:1::2");
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "192.0.2.2");
	dmvpn_nlt_reject(test, AF_INET6, -EAFNOSUPPORT, msg,
			 DMVPN_ENTRY_A_NBMA);
}

static void dmvpn_nl_test_read_only(struct kunit *test)
{
	static const int ro[] = {
		DMVPN_ENTRY_A_EXPIRES, DMVPN_ENTRY_A_AGE, DMVPN_ENTRY_A_USED,
		DMVPN_ENTRY_A_PACKETS, DMVPN_ENTRY_A_BYTES,
	};
	u64 zero = 0;
	int i;

	for (i = 0; i < ARRAY_SIZE(ro); i++) {
		KUNIT_EXPECT_EQ(test, dmvpn_entry_policy[ro[i]].type,
				NLA_REJECT);
		dmvpn_nlt_begin(test);
		dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.0.0.2");
		dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "192.0.2.2");
		dmvpn_nlt_put(test, ro[i], ro[i] == DMVPN_ENTRY_A_PACKETS ||
			      ro[i] == DMVPN_ENTRY_A_BYTES ? 8 : 4, &zero);
		dmvpn_nlt_what(test, "attribute %d", ro[i]);
		dmvpn_nlt_reject(test, AF_INET, -EINVAL,
				 "dmvpn: read-only attribute", ro[i]);
	}
}

static void dmvpn_nl_test_flags(struct kunit *test)
{
	static const u32 bad[] = { DMVPN_F_USED, 1U << 8, 1U << 31, ~0U };
	struct dmvpn_nlt *t = test->priv;
	int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		dmvpn_nlt_begin(test);
		dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.0.0.2");
		dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "192.0.2.2");
		dmvpn_nlt_u32(test, DMVPN_ENTRY_A_FLAGS, bad[i]);
		dmvpn_nlt_what(test, "flags %#x", bad[i]);
		dmvpn_nlt_reject(test, AF_INET, -EINVAL, NULL,
				 DMVPN_ENTRY_A_FLAGS);
		KUNIT_EXPECT_NOT_NULL(test, t->extack._msg);
	}
}

static void dmvpn_nl_test_type_range(struct kunit *test)
{
	static const u8 bad[] = { DMVPN_ENTRY_UNSPEC, __DMVPN_ENTRY_MAX, 0xff };
	int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		dmvpn_nlt_begin(test);
		dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.0.0.2");
		dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "192.0.2.2");
		dmvpn_nlt_u8(test, DMVPN_ENTRY_A_TYPE, bad[i]);
		dmvpn_nlt_what(test, "type %u", bad[i]);
		dmvpn_nlt_reject(test, AF_INET, -ERANGE, NULL,
				 DMVPN_ENTRY_A_TYPE);
	}
}

static void dmvpn_nl_test_key_only(struct kunit *test)
{
	struct dmvpn_nlt *t = test->priv;

	/* Delete and get need only the key, and take nothing else (M2). */
	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.0.0.2");
	KUNIT_EXPECT_EQ(test, dmvpn_nlt_parse(test, AF_INET, true), 0);
	KUNIT_EXPECT_EQ(test, t->spec.plen, 32);
	KUNIT_EXPECT_EQ(test, t->spec.type, (u8)DMVPN_ENTRY_STATIC);
	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.0.0.2");
	dmvpn_nlt_u32(test, DMVPN_ENTRY_A_HOLDTIME, 10);
	KUNIT_EXPECT_EQ(test, dmvpn_nlt_parse(test, AF_INET, true), -EINVAL);
	KUNIT_EXPECT_STREQ(test, t->extack._msg,
			   "dmvpn: only PROTO, PREFIXLEN and TYPE name an entry");
	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.0.0.2");
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "192.0.2.2");
	KUNIT_EXPECT_EQ(test, dmvpn_nlt_parse(test, AF_INET, true), -EINVAL);

	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "2001:db8:1::");
	dmvpn_nlt_u8(test, DMVPN_ENTRY_A_PREFIXLEN, 48);
	KUNIT_EXPECT_EQ(test, dmvpn_nlt_parse(test, AF_INET, true), 0);
	KUNIT_EXPECT_EQ(test, t->spec.plen, 48);
	KUNIT_EXPECT_EQ(test, t->spec.type, (u8)DMVPN_ENTRY_SHORTCUT);
	KUNIT_EXPECT_EQ(test, t->spec.nbma.family, 0);

	/* The policy still applies. */
	dmvpn_nlt_begin(test);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.0.0.2");
	dmvpn_nlt_u32(test, DMVPN_ENTRY_A_AGE, 1);
	KUNIT_EXPECT_EQ(test, dmvpn_nlt_parse(test, AF_INET, true), -EINVAL);
}

static void dmvpn_nl_test_not_nested(struct kunit *test)
{
	struct dmvpn_nlt *t = test->priv;

	skb_trim(t->skb, 0);
	t->nest = nla_nest_start_noflag(t->skb, DMVPN_A_ENTRY);
	KUNIT_ASSERT_NOT_NULL(test, t->nest);
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_PROTO, "10.0.0.2");
	dmvpn_nlt_addr(test, DMVPN_ENTRY_A_NBMA, "192.0.2.2");
	dmvpn_nlt_reject(test, AF_INET, -EINVAL, NULL, DMVPN_NLT_NEST);
}

static struct kunit_case dmvpn_nl_test_cases[] = {
	KUNIT_CASE(dmvpn_nl_test_valid_v4),
	KUNIT_CASE(dmvpn_nl_test_valid_v6),
	KUNIT_CASE(dmvpn_nl_test_valid_shortcut),
	KUNIT_CASE(dmvpn_nl_test_proto_len),
	KUNIT_CASE(dmvpn_nl_test_prefix),
	KUNIT_CASE(dmvpn_nl_test_host_bits),
	KUNIT_CASE(dmvpn_nl_test_prefix_type),
	KUNIT_CASE(dmvpn_nl_test_holdtime),
	KUNIT_CASE(dmvpn_nl_test_nbma_presence),
	KUNIT_CASE(dmvpn_nl_test_nbma_unicast),
	KUNIT_CASE(dmvpn_nl_test_nbma_family),
	KUNIT_CASE(dmvpn_nl_test_read_only),
	KUNIT_CASE(dmvpn_nl_test_flags),
	KUNIT_CASE(dmvpn_nl_test_type_range),
	KUNIT_CASE(dmvpn_nl_test_key_only),
	KUNIT_CASE(dmvpn_nl_test_not_nested),
	{}
};

static struct kunit_suite dmvpn_nl_test_suite = {
	.name = "dmvpn_netlink",
	.init = dmvpn_nl_test_init,
	.exit = dmvpn_nl_test_exit,
	.test_cases = dmvpn_nl_test_cases,
};

kunit_test_suite(dmvpn_nl_test_suite);
