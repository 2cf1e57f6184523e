// SPDX-License-Identifier: GPL-2.0
/* KUnit suite dmvpn_config: the NHRP configuration and the NHS list. */
#include "util.h"

/* Start a new nest of @type, dropping whatever was built before. */
static void dmvpn_nlt_begin_nest(struct kunit *test, int type)
{
	struct dmvpn_nlt *t = test->priv;

	skb_trim(t->skb, 0);
	t->nest = nla_nest_start(t->skb, type);
	KUNIT_ASSERT_NOT_NULL(test, t->nest);
	memset(&t->extack, 0, sizeof(t->extack));
}

static int dmvpn_nlt_config(struct kunit *test, struct dmvpn_config *val,
			    u32 *present)
{
	struct dmvpn_nlt *t = test->priv;

	nla_nest_end(t->skb, t->nest);
	return dmvpn_nl_parse_config(t->nest, val, present, &t->extack);
}

static int dmvpn_nlt_nhs(struct kunit *test, enum dmvpn_nhs_req req,
			 struct dmvpn_nhs *spec, u32 *present)
{
	struct dmvpn_nlt *t = test->priv;

	nla_nest_end(t->skb, t->nest);
	return dmvpn_nl_parse_nhs(t->nest, AF_INET, req, spec, present,
				  &t->extack);
}

static void dmvpn_config_test_defaults(struct kunit *test)
{
	struct dmvpn_config cfg;

	memset(&cfg, 0xa5, sizeof(cfg));
	dmvpn_config_defaults(&cfg);
	KUNIT_EXPECT_EQ(test, cfg.role, (u8)DMVPN_ROLE_NONE);
	KUNIT_EXPECT_EQ(test, cfg.network_id, 0U);
	KUNIT_EXPECT_EQ(test, cfg.holdtime, (u32)DMVPN_DEFAULT_HOLDTIME);
	KUNIT_EXPECT_EQ(test, cfg.reg_interval, 0U);
	KUNIT_EXPECT_EQ(test, cfg.auth_len, 0);
	KUNIT_EXPECT_EQ(test, cfg.unique, 1);
	KUNIT_EXPECT_EQ(test, cfg.mcast_dynamic, 0);
}

static void dmvpn_config_test_partial(struct kunit *test)
{
	struct dmvpn_config cfg, val;
	u32 present;

	dmvpn_config_defaults(&cfg);
	dmvpn_nlt_begin_nest(test, DMVPN_A_CONFIG);
	dmvpn_nlt_u32(test, DMVPN_CFG_A_NETWORK_ID, 42);
	dmvpn_nlt_put(test, DMVPN_CFG_A_AUTH, 3, "abc");
	KUNIT_ASSERT_EQ(test, dmvpn_nlt_config(test, &val, &present), 0);
	KUNIT_EXPECT_EQ(test, present, (u32)(BIT(DMVPN_CFG_A_NETWORK_ID) |
					     BIT(DMVPN_CFG_A_AUTH)));
	KUNIT_EXPECT_TRUE(test, dmvpn_config_apply(&cfg, &val, present));
	KUNIT_EXPECT_EQ(test, cfg.network_id, 42U);
	KUNIT_EXPECT_EQ(test, cfg.auth_len, 3);
	KUNIT_EXPECT_EQ(test, memcmp(cfg.auth, "abc", 3), 0);
	/* Everything else kept its default. */
	KUNIT_EXPECT_EQ(test, cfg.holdtime, (u32)DMVPN_DEFAULT_HOLDTIME);
	KUNIT_EXPECT_EQ(test, cfg.unique, 1);
	/* The same again is no change; a shorter auth is. */
	KUNIT_EXPECT_FALSE(test, dmvpn_config_apply(&cfg, &val, present));
	val.auth_len = 2;
	KUNIT_EXPECT_TRUE(test, dmvpn_config_apply(&cfg, &val,
						   BIT(DMVPN_CFG_A_AUTH)));
	KUNIT_EXPECT_EQ(test, cfg.auth[2], 0);
}

static void dmvpn_config_test_ranges(struct kunit *test)
{
	static const struct {
		int type;
		u32 value;
		bool u8;
		int err;
	} cases[] = {
		{ DMVPN_CFG_A_ROLE, DMVPN_ROLE_MAX, true, 0 },
		{ DMVPN_CFG_A_ROLE, DMVPN_ROLE_MAX + 1, true, -ERANGE },
		{ DMVPN_CFG_A_HOLDTIME, 1, false, 0 },
		{ DMVPN_CFG_A_HOLDTIME, 0, false, -ERANGE },
		{ DMVPN_CFG_A_HOLDTIME, 65535, false, 0 },
		{ DMVPN_CFG_A_HOLDTIME, 65536, false, -ERANGE },
		{ DMVPN_CFG_A_REG_INTERVAL, 0, false, 0 },
		{ DMVPN_CFG_A_REG_INTERVAL, 65536, false, -ERANGE },
		{ DMVPN_CFG_A_UNIQUE, 1, true, 0 },
		{ DMVPN_CFG_A_UNIQUE, 2, true, -ERANGE },
		{ DMVPN_CFG_A_MCAST_DYNAMIC, 2, true, -ERANGE },
	};
	struct dmvpn_nlt *t = test->priv;
	struct dmvpn_config val;
	unsigned int i;
	u32 present;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		dmvpn_nlt_begin_nest(test, DMVPN_A_CONFIG);
		if (cases[i].u8)
			dmvpn_nlt_u8(test, cases[i].type, cases[i].value);
		else
			dmvpn_nlt_u32(test, cases[i].type, cases[i].value);
		KUNIT_EXPECT_EQ_MSG(test, dmvpn_nlt_config(test, &val, &present),
				    cases[i].err, "attr %d value %u",
				    cases[i].type, cases[i].value);
		if (cases[i].err)
			KUNIT_EXPECT_PTR_EQ(test, t->extack.bad_attr,
					    nla_find_nested(t->nest,
							    cases[i].type));
	}
	dmvpn_nlt_begin_nest(test, DMVPN_A_CONFIG);
	dmvpn_nlt_put(test, DMVPN_CFG_A_AUTH, 9, "123456789");
	KUNIT_EXPECT_EQ(test, dmvpn_nlt_config(test, &val, &present), -ERANGE);
	dmvpn_nlt_begin_nest(test, DMVPN_A_CONFIG);
	dmvpn_nlt_put(test, DMVPN_CFG_A_AUTH, 8, "12345678");
	KUNIT_EXPECT_EQ(test, dmvpn_nlt_config(test, &val, &present), 0);
	KUNIT_EXPECT_EQ(test, val.auth_len, 8);
}

static void dmvpn_config_test_empty(struct kunit *test)
{
	struct dmvpn_nlt *t = test->priv;
	struct dmvpn_config val;
	u32 present;

	dmvpn_nlt_begin_nest(test, DMVPN_A_CONFIG);
	KUNIT_EXPECT_EQ(test, dmvpn_nlt_config(test, &val, &present), -EINVAL);
	KUNIT_ASSERT_NOT_NULL(test, t->extack._msg);
	KUNIT_EXPECT_STREQ(test, t->extack._msg,
			   "dmvpn: empty configuration: nothing to set");
	KUNIT_EXPECT_PTR_EQ(test, t->extack.bad_attr, t->nest);
}

static void dmvpn_config_test_nhs_parse(struct kunit *test)
{
	struct dmvpn_nlt *t = test->priv;
	struct dmvpn_nhs *spec;
	u32 present;

	spec = kunit_kzalloc(test, sizeof(*spec), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, spec);

	dmvpn_nlt_begin_nest(test, DMVPN_A_NHS);
	dmvpn_nlt_addr(test, DMVPN_NHS_A_NBMA, "198.51.100.1");
	dmvpn_nlt_addr(test, DMVPN_NHS_A_PROTO, "192.0.2.1");
	dmvpn_nlt_u8(test, DMVPN_NHS_A_PRIORITY, 3);
	KUNIT_EXPECT_EQ(test, dmvpn_nlt_nhs(test, DMVPN_NHS_REQ_NEW, spec,
					    &present), 0);
	KUNIT_EXPECT_TRUE(test, dmvpn_addr_is(test, &spec->nbma,
					      "198.51.100.1"));
	KUNIT_EXPECT_TRUE(test, dmvpn_addr_is(test, &spec->proto, "192.0.2.1"));
	KUNIT_EXPECT_EQ(test, spec->priority, 3);

	/* Status in NHS_NEW: refused, naming the attribute. */
	dmvpn_nlt_begin_nest(test, DMVPN_A_NHS);
	dmvpn_nlt_addr(test, DMVPN_NHS_A_NBMA, "198.51.100.1");
	dmvpn_nlt_u8(test, DMVPN_NHS_A_STATE, DMVPN_NHS_STATE_UP);
	KUNIT_EXPECT_EQ(test, dmvpn_nlt_nhs(test, DMVPN_NHS_REQ_NEW, spec,
					    &present), -EINVAL);
	KUNIT_ASSERT_NOT_NULL(test, t->extack._msg);
	KUNIT_EXPECT_STREQ(test, t->extack._msg,
			   "dmvpn: STATE is status: dmvpnd sets it with NHS_SET");

	/* Both keys, or none. */
	dmvpn_nlt_begin_nest(test, DMVPN_A_NHS);
	dmvpn_nlt_addr(test, DMVPN_NHS_A_NBMA, "198.51.100.1");
	dmvpn_nlt_put(test, DMVPN_NHS_A_FQDN, 4, "hub");
	KUNIT_EXPECT_EQ(test, dmvpn_nlt_nhs(test, DMVPN_NHS_REQ_KEY, spec,
					    &present), -EINVAL);
	dmvpn_nlt_begin_nest(test, DMVPN_A_NHS);
	KUNIT_EXPECT_EQ(test, dmvpn_nlt_nhs(test, DMVPN_NHS_REQ_KEY, spec,
					    &present), -EINVAL);
	/* IPv6 NBMA on an IPv4 underlay. */
	dmvpn_nlt_begin_nest(test, DMVPN_A_NHS);
	dmvpn_nlt_addr(test, DMVPN_NHS_A_NBMA, "2001:db8::1");
	KUNIT_EXPECT_EQ(test, dmvpn_nlt_nhs(test, DMVPN_NHS_REQ_NEW, spec,
					    &present), -EAFNOSUPPORT);

	/* NHS_SET: status yes, configuration no. */
	dmvpn_nlt_begin_nest(test, DMVPN_A_NHS);
	dmvpn_nlt_put(test, DMVPN_NHS_A_FQDN, 4, "hub");
	dmvpn_nlt_u8(test, DMVPN_NHS_A_STATE, DMVPN_NHS_STATE_UP);
	dmvpn_nlt_put(test, DMVPN_NHS_A_CUR_NBMA, 0, NULL);
	KUNIT_EXPECT_EQ(test, dmvpn_nlt_nhs(test, DMVPN_NHS_REQ_SET, spec,
					    &present), 0);
	KUNIT_EXPECT_STREQ(test, spec->fqdn, "hub");
	KUNIT_EXPECT_EQ(test, present, (u32)(BIT(DMVPN_NHS_A_STATE) |
					     BIT(DMVPN_NHS_A_CUR_NBMA)));
	KUNIT_EXPECT_EQ(test, spec->st.cur_nbma.family, 0);
	dmvpn_nlt_begin_nest(test, DMVPN_A_NHS);
	dmvpn_nlt_put(test, DMVPN_NHS_A_FQDN, 4, "hub");
	dmvpn_nlt_u8(test, DMVPN_NHS_A_PRIORITY, 1);
	KUNIT_EXPECT_EQ(test, dmvpn_nlt_nhs(test, DMVPN_NHS_REQ_SET, spec,
					    &present), -EINVAL);
	dmvpn_nlt_begin_nest(test, DMVPN_A_NHS);
	dmvpn_nlt_put(test, DMVPN_NHS_A_FQDN, 4, "hub");
	dmvpn_nlt_u8(test, DMVPN_NHS_A_STATE, DMVPN_NHS_STATE_MAX + 1);
	KUNIT_EXPECT_EQ(test, dmvpn_nlt_nhs(test, DMVPN_NHS_REQ_SET, spec,
					    &present), -ERANGE);
}

struct dmvpn_nhrp_test {
	struct dmvpn_nhrp nhrp;
	unsigned int events[DMVPN_EVENT_MAX + 1];
};

static void dmvpn_nhrp_test_notify(struct dmvpn_nhrp *nhrp,
				   enum dmvpn_event event,
				   const struct dmvpn_nhs *nhs)
{
	container_of(nhrp, struct dmvpn_nhrp_test, nhrp)->events[event]++;
}

static void dmvpn_nhs_key(struct kunit *test, struct dmvpn_nhs *spec,
			  const char *key)
{
	memset(spec, 0, sizeof(*spec));
	if (isdigit(key[0]))
		spec->nbma = dmvpn_ta(test, key);
	else
		strscpy(spec->fqdn, key, sizeof(spec->fqdn));
}

static void dmvpn_config_test_nhs_list(struct kunit *test)
{
	struct dmvpn_nhrp_test *nt;
	struct dmvpn_nhs *spec, *nhs;
	u8 state = 0xff, prio = 0xff;
	unsigned int i;
	char name[16];

	nt = kunit_kzalloc(test, sizeof(*nt), GFP_KERNEL);
	spec = kunit_kzalloc(test, sizeof(*spec), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, nt);
	KUNIT_ASSERT_NOT_NULL(test, spec);
	dmvpn_nhrp_init(&nt->nhrp, dmvpn_nhrp_test_notify);

	dmvpn_nhs_key(test, spec, "198.51.100.1");
	KUNIT_EXPECT_EQ(test, dmvpn_nhs_add(&nt->nhrp, spec, false, NULL), 0);
	KUNIT_EXPECT_EQ(test, dmvpn_nhs_add(&nt->nhrp, spec, false, NULL),
			-EEXIST);
	dmvpn_nhs_key(test, spec, "Hub.Example.net");
	KUNIT_EXPECT_EQ(test, dmvpn_nhs_add(&nt->nhrp, spec, false, NULL), 0);
	dmvpn_nhs_key(test, spec, "hub.example.NET");
	KUNIT_EXPECT_EQ(test, dmvpn_nhs_add(&nt->nhrp, spec, false, NULL),
			-EEXIST);
	KUNIT_EXPECT_EQ(test, nt->events[DMVPN_EVENT_NHS_ADDED], 2U);

	/* Status: a new state is an event, the same state is not. */
	dmvpn_nhs_key(test, spec, "198.51.100.1");
	spec->st.state = DMVPN_NHS_STATE_UP;
	spec->st.requests = 7;
	KUNIT_EXPECT_EQ(test, dmvpn_nhs_set(&nt->nhrp, spec,
					    BIT(DMVPN_NHS_A_STATE) |
					    BIT(DMVPN_NHS_A_REQUESTS), NULL),
			0);
	KUNIT_EXPECT_EQ(test, dmvpn_nhs_set(&nt->nhrp, spec,
					    BIT(DMVPN_NHS_A_STATE), NULL), 0);
	KUNIT_EXPECT_EQ(test, nt->events[DMVPN_EVENT_NHS_CHANGED], 1U);

	/* Replace changes the configuration and keeps the status. */
	spec->priority = 4;
	KUNIT_EXPECT_EQ(test, dmvpn_nhs_add(&nt->nhrp, spec, true, NULL), 0);
	spin_lock(&nt->nhrp.lock);
	nhs = dmvpn_nhs_find(&nt->nhrp, spec);
	if (nhs) {
		state = nhs->st.state;
		prio = nhs->priority;
	}
	spin_unlock(&nt->nhrp.lock);
	KUNIT_EXPECT_EQ(test, state, (u8)DMVPN_NHS_STATE_UP);
	KUNIT_EXPECT_EQ(test, prio, 4);

	/* The bound. */
	for (i = 2; i < DMVPN_NHS_MAX; i++) {
		snprintf(name, sizeof(name), "nhs%u", i);
		dmvpn_nhs_key(test, spec, name);
		KUNIT_EXPECT_EQ(test, dmvpn_nhs_add(&nt->nhrp, spec, false,
						    NULL), 0);
	}
	dmvpn_nhs_key(test, spec, "one.too.many");
	KUNIT_EXPECT_EQ(test, dmvpn_nhs_add(&nt->nhrp, spec, false, NULL),
			-ENOSPC);
	KUNIT_EXPECT_EQ(test, nt->nhrp.nhs_count, (unsigned int)DMVPN_NHS_MAX);

	dmvpn_nhs_key(test, spec, "hub.example.net");
	KUNIT_EXPECT_EQ(test, dmvpn_nhs_del(&nt->nhrp, spec, NULL), 0);
	KUNIT_EXPECT_EQ(test, dmvpn_nhs_del(&nt->nhrp, spec, NULL), -ENOENT);
	KUNIT_EXPECT_EQ(test, dmvpn_nhs_set(&nt->nhrp, spec,
					    BIT(DMVPN_NHS_A_STATE), NULL),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, nt->events[DMVPN_EVENT_NHS_DELETED], 1U);
	dmvpn_nhrp_destroy(&nt->nhrp);
	KUNIT_EXPECT_TRUE(test, list_empty(&nt->nhrp.nhs));
}

static void dmvpn_config_test_set_config(struct kunit *test)
{
	struct dmvpn_nhrp_test *nt;
	struct dmvpn_config val = {};

	nt = kunit_kzalloc(test, sizeof(*nt), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, nt);
	dmvpn_nhrp_init(&nt->nhrp, dmvpn_nhrp_test_notify);
	val.holdtime = DMVPN_DEFAULT_HOLDTIME;
	KUNIT_EXPECT_EQ(test, dmvpn_nhrp_set_config(&nt->nhrp, &val,
						    BIT(DMVPN_CFG_A_HOLDTIME)),
			0);
	KUNIT_EXPECT_EQ(test, nt->events[DMVPN_EVENT_CONFIG_CHANGED], 0U);
	val.role = DMVPN_ROLE_HUB;
	KUNIT_EXPECT_EQ(test, dmvpn_nhrp_set_config(&nt->nhrp, &val,
						    BIT(DMVPN_CFG_A_ROLE)), 1);
	KUNIT_EXPECT_EQ(test, nt->events[DMVPN_EVENT_CONFIG_CHANGED], 1U);
	KUNIT_EXPECT_EQ(test, nt->nhrp.cfg.role, (u8)DMVPN_ROLE_HUB);
	dmvpn_nhrp_destroy(&nt->nhrp);
}

static struct kunit_case dmvpn_config_test_cases[] = {
	KUNIT_CASE(dmvpn_config_test_defaults),
	KUNIT_CASE(dmvpn_config_test_partial),
	KUNIT_CASE(dmvpn_config_test_ranges),
	KUNIT_CASE(dmvpn_config_test_empty),
	KUNIT_CASE(dmvpn_config_test_nhs_parse),
	KUNIT_CASE(dmvpn_config_test_nhs_list),
	KUNIT_CASE(dmvpn_config_test_set_config),
	{}
};

static struct kunit_suite dmvpn_config_test_suite = {
	.name = "dmvpn_config",
	.init = dmvpn_nl_test_init,
	.exit = dmvpn_nl_test_exit,
	.test_cases = dmvpn_config_test_cases,
};

kunit_test_suite(dmvpn_config_test_suite);
