// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink commands for the NHRP configuration of a device and its
 * next-hop servers: CONFIG_SET (DEV_GET shows the configuration) and
 * NHS_NEW/DEL/GET/SET, with their events. The state lives in config.c.
 */
#include <linux/ctype.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <kunit/visibility.h>

#include "compat.h"
#include "dmvpn.h"

/* Not const: 6.1's policy holds a plain pointer. */
static struct netlink_range_validation dmvpn_cfg_holdtime_range = {
	.min = 1,
	.max = U16_MAX,
};

static struct netlink_range_validation dmvpn_cfg_interval_range = {
	.max = U16_MAX,
};

const struct nla_policy dmvpn_cfg_policy[DMVPN_CFG_A_MAX + 1] = {
	[DMVPN_CFG_A_ROLE] = NLA_POLICY_MAX(NLA_U8, DMVPN_ROLE_MAX),
	[DMVPN_CFG_A_NETWORK_ID] = { .type = NLA_U32 },
	[DMVPN_CFG_A_HOLDTIME] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &dmvpn_cfg_holdtime_range),
	[DMVPN_CFG_A_REG_INTERVAL] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &dmvpn_cfg_interval_range),
	[DMVPN_CFG_A_AUTH] = NLA_POLICY_MAX(NLA_BINARY, DMVPN_AUTH_MAX),
	[DMVPN_CFG_A_UNIQUE] = NLA_POLICY_MAX(NLA_U8, 1),
	[DMVPN_CFG_A_MCAST_DYNAMIC] = NLA_POLICY_MAX(NLA_U8, 1),
};
EXPORT_SYMBOL_IF_KUNIT(dmvpn_cfg_policy);

#define DMVPN_STATUS_ONLY(name) { .type = NLA_REJECT, .reject_message = \
	"dmvpn: " name " is status: dmvpnd sets it with NHS_SET" }
#define DMVPN_CONFIG_ONLY(name) { .type = NLA_REJECT, .reject_message = \
	"dmvpn: " name " is configuration: set it with NHS_NEW (replace)" }
#define DMVPN_NHS_SINCE { .type = NLA_REJECT, \
			  .reject_message = "dmvpn: read-only attribute" }

/* NHS_NEW: key and configuration. */
static const struct nla_policy dmvpn_nhs_new_policy[DMVPN_NHS_A_MAX + 1] = {
	[DMVPN_NHS_A_NBMA] = { .type = NLA_BINARY, .len = 16 },
	[DMVPN_NHS_A_FQDN] = { .type = NLA_NUL_STRING, .len = DMVPN_FQDN_MAX },
	[DMVPN_NHS_A_PROTO] = { .type = NLA_BINARY, .len = 16 },
	[DMVPN_NHS_A_PRIORITY] = { .type = NLA_U8 },
	[DMVPN_NHS_A_STATE] = DMVPN_STATUS_ONLY("STATE"),
	[DMVPN_NHS_A_CUR_NBMA] = DMVPN_STATUS_ONLY("CUR_NBMA"),
	[DMVPN_NHS_A_CUR_PROTO] = DMVPN_STATUS_ONLY("CUR_PROTO"),
	[DMVPN_NHS_A_REQUESTS] = DMVPN_STATUS_ONLY("REQUESTS"),
	[DMVPN_NHS_A_REPLIES] = DMVPN_STATUS_ONLY("REPLIES"),
	[DMVPN_NHS_A_FAILURES] = DMVPN_STATUS_ONLY("FAILURES"),
	[DMVPN_NHS_A_LAST_CODE] = DMVPN_STATUS_ONLY("LAST_CODE"),
	[DMVPN_NHS_A_NAT] = DMVPN_STATUS_ONLY("NAT"),
	[DMVPN_NHS_A_SINCE] = DMVPN_NHS_SINCE,
};

/* NHS_SET: key and status. */
static const struct nla_policy dmvpn_nhs_set_policy[DMVPN_NHS_A_MAX + 1] = {
	[DMVPN_NHS_A_NBMA] = { .type = NLA_BINARY, .len = 16 },
	[DMVPN_NHS_A_FQDN] = { .type = NLA_NUL_STRING, .len = DMVPN_FQDN_MAX },
	[DMVPN_NHS_A_PROTO] = DMVPN_CONFIG_ONLY("PROTO"),
	[DMVPN_NHS_A_PRIORITY] = DMVPN_CONFIG_ONLY("PRIORITY"),
	[DMVPN_NHS_A_STATE] = NLA_POLICY_MAX(NLA_U8, DMVPN_NHS_STATE_MAX),
	/* Empty clears. */
	[DMVPN_NHS_A_CUR_NBMA] = { .type = NLA_BINARY, .len = 16 },
	[DMVPN_NHS_A_CUR_PROTO] = { .type = NLA_BINARY, .len = 16 },
	[DMVPN_NHS_A_REQUESTS] = { .type = NLA_U64 },
	[DMVPN_NHS_A_REPLIES] = { .type = NLA_U64 },
	[DMVPN_NHS_A_FAILURES] = { .type = NLA_U64 },
	[DMVPN_NHS_A_LAST_CODE] = { .type = NLA_U8 },
	[DMVPN_NHS_A_NAT] = NLA_POLICY_MAX(NLA_U8, 1),
	[DMVPN_NHS_A_SINCE] = DMVPN_NHS_SINCE,
};

/* NHS_DEL, NHS_GET: the key only. */
static const struct nla_policy dmvpn_nhs_key_policy[DMVPN_NHS_A_MAX + 1] = {
	[DMVPN_NHS_A_NBMA] = { .type = NLA_BINARY, .len = 16 },
	[DMVPN_NHS_A_FQDN] = { .type = NLA_NUL_STRING, .len = DMVPN_FQDN_MAX },
};

/**
 * dmvpn_nl_parse_config() - the attributes of a DMVPN_A_CONFIG nest
 * @nest: the nest
 * @val: the values given
 * @present: BIT(DMVPN_CFG_A_*) of the attributes given
 * @extack: error report
 *
 * Return: 0 or a negative errno with @extack set; an empty nest is an
 * error (a request that changes nothing is most likely a mistake).
 */
int dmvpn_nl_parse_config(const struct nlattr *nest, struct dmvpn_config *val,
			  u32 *present, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[DMVPN_CFG_A_MAX + 1];
	int err, i;

	memset(val, 0, sizeof(*val));
	*present = 0;
	err = nla_parse_nested(tb, DMVPN_CFG_A_MAX, nest, dmvpn_cfg_policy,
			       extack);
	if (err)
		return err;
	for (i = 1; i <= DMVPN_CFG_A_MAX; i++)
		if (tb[i])
			*present |= BIT(i);
	if (!*present) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "dmvpn: empty configuration: nothing to set");
		return -EINVAL;
	}
	if (tb[DMVPN_CFG_A_ROLE])
		val->role = nla_get_u8(tb[DMVPN_CFG_A_ROLE]);
	if (tb[DMVPN_CFG_A_NETWORK_ID])
		val->network_id = nla_get_u32(tb[DMVPN_CFG_A_NETWORK_ID]);
	if (tb[DMVPN_CFG_A_HOLDTIME])
		val->holdtime = nla_get_u32(tb[DMVPN_CFG_A_HOLDTIME]);
	if (tb[DMVPN_CFG_A_REG_INTERVAL])
		val->reg_interval = nla_get_u32(tb[DMVPN_CFG_A_REG_INTERVAL]);
	if (tb[DMVPN_CFG_A_AUTH])
		val->auth_len = nla_memcpy(val->auth, tb[DMVPN_CFG_A_AUTH],
					   sizeof(val->auth));
	if (tb[DMVPN_CFG_A_UNIQUE])
		val->unique = nla_get_u8(tb[DMVPN_CFG_A_UNIQUE]);
	if (tb[DMVPN_CFG_A_MCAST_DYNAMIC])
		val->mcast_dynamic = nla_get_u8(tb[DMVPN_CFG_A_MCAST_DYNAMIC]);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(dmvpn_nl_parse_config);

/* Letters, digits, hyphens, underscores and dots: what resolvers take. */
static bool dmvpn_fqdn_valid(const char *s)
{
	for (; *s; s++)
		if (!isalnum(*s) && *s != '-' && *s != '.' && *s != '_')
			return false;
	return true;
}

static int dmvpn_nl_nhs_key(struct nlattr **tb, const struct nlattr *nest,
			    u8 nbma_family, struct dmvpn_nhs *spec,
			    struct netlink_ext_ack *extack)
{
	struct nlattr *fqdn = tb[DMVPN_NHS_A_FQDN];

	if (tb[DMVPN_NHS_A_NBMA] && fqdn) {
		NL_SET_ERR_MSG_ATTR(extack, fqdn,
				    "dmvpn: give the NHS's NBMA address or its FQDN, not both");
		return -EINVAL;
	}
	if (tb[DMVPN_NHS_A_NBMA])
		return dmvpn_nl_nbma(tb[DMVPN_NHS_A_NBMA], nbma_family,
				     &spec->nbma, extack);
	if (!fqdn) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "dmvpn: NHS needs an NBMA address or an FQDN");
		return -EINVAL;
	}
	nla_strscpy(spec->fqdn, fqdn, sizeof(spec->fqdn));
	if (!spec->fqdn[0]) {
		NL_SET_ERR_MSG_ATTR(extack, fqdn, "dmvpn: empty FQDN");
		return -EINVAL;
	}
	if (!dmvpn_fqdn_valid(spec->fqdn)) {
		NL_SET_ERR_MSG_ATTR(extack, fqdn,
				    "dmvpn: FQDN may hold only letters, digits, '-', '_' and '.'");
		return -EINVAL;
	}
	return 0;
}

/* An address attribute of NHS_SET: empty clears it. */
static int dmvpn_nl_nhs_cur(const struct nlattr *a, u8 nbma_family,
			    struct dmvpn_addr *addr,
			    struct netlink_ext_ack *extack)
{
	memset(addr, 0, sizeof(*addr));
	if (!nla_len(a))
		return 0;
	if (nbma_family)
		return dmvpn_nl_nbma(a, nbma_family, addr, extack);
	return dmvpn_nl_addr(a, addr, extack);
}

static int dmvpn_nl_nhs_status(struct nlattr **tb, u8 nbma_family,
			       struct dmvpn_nhs_status *st, u32 *present,
			       const struct nlattr *nest,
			       struct netlink_ext_ack *extack)
{
	int err, i;

	for (i = DMVPN_NHS_A_STATE; i <= DMVPN_NHS_A_NAT; i++)
		if (tb[i])
			*present |= BIT(i);
	if (!*present) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "dmvpn: NHS_SET needs a status attribute");
		return -EINVAL;
	}
	if (tb[DMVPN_NHS_A_STATE])
		st->state = nla_get_u8(tb[DMVPN_NHS_A_STATE]);
	if (tb[DMVPN_NHS_A_CUR_NBMA]) {
		err = dmvpn_nl_nhs_cur(tb[DMVPN_NHS_A_CUR_NBMA], nbma_family,
				       &st->cur_nbma, extack);
		if (err)
			return err;
	}
	if (tb[DMVPN_NHS_A_CUR_PROTO]) {
		err = dmvpn_nl_nhs_cur(tb[DMVPN_NHS_A_CUR_PROTO], 0,
				       &st->cur_proto, extack);
		if (err)
			return err;
	}
	if (tb[DMVPN_NHS_A_REQUESTS])
		st->requests = nla_get_u64(tb[DMVPN_NHS_A_REQUESTS]);
	if (tb[DMVPN_NHS_A_REPLIES])
		st->replies = nla_get_u64(tb[DMVPN_NHS_A_REPLIES]);
	if (tb[DMVPN_NHS_A_FAILURES])
		st->failures = nla_get_u64(tb[DMVPN_NHS_A_FAILURES]);
	if (tb[DMVPN_NHS_A_LAST_CODE]) {
		st->last_code = nla_get_u8(tb[DMVPN_NHS_A_LAST_CODE]);
		st->last_code_set = true;
	}
	if (tb[DMVPN_NHS_A_NAT])
		st->nat = nla_get_u8(tb[DMVPN_NHS_A_NAT]);
	return 0;
}

/**
 * dmvpn_nl_parse_nhs() - the attributes of a DMVPN_A_NHS nest
 * @nest: the nest
 * @nbma_family: family of the device's underlay
 * @req: which command's attributes are allowed
 * @spec: the key, and the configuration (NEW) or status (SET) given
 * @present: for SET, BIT(DMVPN_NHS_A_*) of the status attributes given
 * @extack: error report
 *
 * Return: 0 or a negative errno with @extack set.
 */
int dmvpn_nl_parse_nhs(const struct nlattr *nest, u8 nbma_family,
		       enum dmvpn_nhs_req req, struct dmvpn_nhs *spec,
		       u32 *present, struct netlink_ext_ack *extack)
{
	const struct nla_policy *policy = req == DMVPN_NHS_REQ_NEW ?
		dmvpn_nhs_new_policy : req == DMVPN_NHS_REQ_SET ?
		dmvpn_nhs_set_policy : dmvpn_nhs_key_policy;
	struct nlattr *tb[DMVPN_NHS_A_MAX + 1];
	int err;

	memset(spec, 0, sizeof(*spec));
	*present = 0;
	err = nla_parse_nested(tb, DMVPN_NHS_A_MAX, nest, policy, extack);
	if (err)
		return err;
	err = dmvpn_nl_nhs_key(tb, nest, nbma_family, spec, extack);
	if (err)
		return err;
	if (req == DMVPN_NHS_REQ_SET)
		return dmvpn_nl_nhs_status(tb, nbma_family, &spec->st, present,
					   nest, extack);
	if (req != DMVPN_NHS_REQ_NEW)
		return 0;
	if (tb[DMVPN_NHS_A_PROTO]) {
		err = dmvpn_nl_addr(tb[DMVPN_NHS_A_PROTO], &spec->proto,
				    extack);
		if (err)
			return err;
		if (!dmvpn_unicast(&spec->proto)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[DMVPN_NHS_A_PROTO],
					    "dmvpn: NHS tunnel address must be unicast");
			return -EINVAL;
		}
	}
	if (tb[DMVPN_NHS_A_PRIORITY])
		spec->priority = nla_get_u8(tb[DMVPN_NHS_A_PRIORITY]);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(dmvpn_nl_parse_nhs);

/* The authentication string is the cloud's only shared secret: @secret
 * says whether the reader may see it (CAP_NET_ADMIN over the device's
 * namespace). Events, which any member of the group reads, never carry it.
 */
static int dmvpn_nl_put_cfg(struct sk_buff *skb,
			    const struct dmvpn_config *cfg, bool secret)
{
	struct nlattr *nest = nla_nest_start(skb, DMVPN_A_CONFIG);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u8(skb, DMVPN_CFG_A_ROLE, cfg->role) ||
	    nla_put_u32(skb, DMVPN_CFG_A_NETWORK_ID, cfg->network_id) ||
	    nla_put_u32(skb, DMVPN_CFG_A_HOLDTIME, cfg->holdtime) ||
	    nla_put_u32(skb, DMVPN_CFG_A_REG_INTERVAL, cfg->reg_interval) ||
	    (secret &&
	     nla_put(skb, DMVPN_CFG_A_AUTH, cfg->auth_len, cfg->auth)) ||
	    nla_put_u8(skb, DMVPN_CFG_A_UNIQUE, cfg->unique) ||
	    nla_put_u8(skb, DMVPN_CFG_A_MCAST_DYNAMIC, cfg->mcast_dynamic)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* The configuration of @d as a DMVPN_A_CONFIG nest (DEV_GET). */
int dmvpn_nl_put_config(struct sk_buff *skb, struct dmvpn_dev *d, bool secret)
{
	struct dmvpn_config cfg;

	spin_lock(&d->nhrp.lock);
	cfg = d->nhrp.cfg;
	spin_unlock(&d->nhrp.lock);
	return dmvpn_nl_put_cfg(skb, &cfg, secret);
}

static int dmvpn_nl_put_nhs(struct sk_buff *skb, const struct dmvpn_nhs *nhs)
{
	const struct dmvpn_nhs_status *st = &nhs->st;
	struct nlattr *nest = nla_nest_start(skb, DMVPN_A_NHS);

	if (!nest)
		return -EMSGSIZE;
	if ((nhs->nbma.family ?
	     dmvpn_nl_put_addr(skb, DMVPN_NHS_A_NBMA, &nhs->nbma) :
	     nla_put_string(skb, DMVPN_NHS_A_FQDN, nhs->fqdn)) ||
	    (nhs->proto.family &&
	     dmvpn_nl_put_addr(skb, DMVPN_NHS_A_PROTO, &nhs->proto)) ||
	    nla_put_u8(skb, DMVPN_NHS_A_PRIORITY, nhs->priority) ||
	    nla_put_u8(skb, DMVPN_NHS_A_STATE, st->state) ||
	    (st->cur_nbma.family &&
	     dmvpn_nl_put_addr(skb, DMVPN_NHS_A_CUR_NBMA, &st->cur_nbma)) ||
	    (st->cur_proto.family &&
	     dmvpn_nl_put_addr(skb, DMVPN_NHS_A_CUR_PROTO, &st->cur_proto)) ||
	    nla_put_u64_64bit(skb, DMVPN_NHS_A_REQUESTS, st->requests,
			      DMVPN_NHS_A_PAD) ||
	    nla_put_u64_64bit(skb, DMVPN_NHS_A_REPLIES, st->replies,
			      DMVPN_NHS_A_PAD) ||
	    nla_put_u64_64bit(skb, DMVPN_NHS_A_FAILURES, st->failures,
			      DMVPN_NHS_A_PAD) ||
	    (st->last_code_set &&
	     nla_put_u8(skb, DMVPN_NHS_A_LAST_CODE, st->last_code)) ||
	    nla_put_u8(skb, DMVPN_NHS_A_NAT, st->nat) ||
	    nla_put_u32(skb, DMVPN_NHS_A_SINCE, dmvpn_secs_since(nhs->since))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* Called under nhrp->lock, hence GFP_ATOMIC. */
void dmvpn_nl_notify_nhrp(struct dmvpn_nhrp *nhrp, enum dmvpn_event event,
			  const struct dmvpn_nhs *nhs)
{
	struct dmvpn_dev *d = container_of(nhrp, struct dmvpn_dev, nhrp);
	struct sk_buff *msg;
	void *hdr;

	if (!genl_has_listeners(&dmvpn_genl_family, d->net, 0))
		return;
	msg = dmvpn_nl_event_msg(d, event, NLMSG_GOODSIZE / 2, GFP_ATOMIC,
				 &hdr);
	if (!msg)
		return;
	if (nla_put_string(msg, DMVPN_A_IFNAME, d->dev->name) ||
	    (nhs ? dmvpn_nl_put_nhs(msg, nhs) :
		   dmvpn_nl_put_cfg(msg, &nhrp->cfg, false))) {
		nlmsg_free(msg);
		return;
	}
	dmvpn_nl_event_send(d, msg, hdr, GFP_ATOMIC);
}

int dmvpn_nl_config_set(struct sk_buff *skb, struct genl_info *info)
{
	struct dmvpn_config val;
	struct dmvpn_dev *d;
	u32 present;
	int err;

	err = dmvpn_nl_need(info, DMVPN_A_CONFIG);
	if (err)
		return err;
	d = dmvpn_nl_dev(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(d))
		return PTR_ERR(d);
	err = dmvpn_nl_parse_config(info->attrs[DMVPN_A_CONFIG], &val,
				    &present, info->extack);
	if (!err)
		dmvpn_nhrp_set_config(&d->nhrp, &val, present);
	dev_put(d->dev);
	return err;
}

/* The device and NHS of an NHS_* request; holds the device. */
static struct dmvpn_dev *dmvpn_nl_nhs_req(struct genl_info *info,
					  enum dmvpn_nhs_req req,
					  struct dmvpn_nhs *spec,
					  u32 *present)
{
	struct dmvpn_dev *d;
	int err;

	err = dmvpn_nl_need(info, DMVPN_A_NHS);
	if (err)
		return ERR_PTR(err);
	d = dmvpn_nl_dev(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(d))
		return d;
	err = dmvpn_nl_parse_nhs(info->attrs[DMVPN_A_NHS], d->p.local.family,
				 req, spec, present, info->extack);
	if (err) {
		dev_put(d->dev);
		return ERR_PTR(err);
	}
	return d;
}

/* NHS_NEW, NHS_DEL (@req KEY) and NHS_SET: the request names a server of
 * a device and says what to do with it.
 */
static int dmvpn_nl_nhs_change(struct genl_info *info, enum dmvpn_nhs_req req)
{
	struct dmvpn_nhs *spec;
	struct dmvpn_dev *d;
	u32 present;
	int err;

	/* Too big for the stack with the FQDN in it. */
	spec = kmalloc(sizeof(*spec), GFP_KERNEL);
	if (!spec)
		return -ENOMEM;
	d = dmvpn_nl_nhs_req(info, req, spec, &present);
	err = PTR_ERR_OR_ZERO(d);
	if (err)
		goto out;
	switch (req) {
	case DMVPN_NHS_REQ_NEW:
		err = dmvpn_nhs_add(&d->nhrp, spec,
				    nla_get_flag(info->attrs[DMVPN_A_REPLACE]),
				    info->extack);
		break;
	case DMVPN_NHS_REQ_KEY:
		err = dmvpn_nhs_del(&d->nhrp, spec, info->extack);
		break;
	case DMVPN_NHS_REQ_SET:
		err = dmvpn_nhs_set(&d->nhrp, spec, present, info->extack);
		break;
	}
	dev_put(d->dev);
out:
	kfree(spec);
	return err;
}

int dmvpn_nl_nhs_new(struct sk_buff *skb, struct genl_info *info)
{
	return dmvpn_nl_nhs_change(info, DMVPN_NHS_REQ_NEW);
}

int dmvpn_nl_nhs_del(struct sk_buff *skb, struct genl_info *info)
{
	return dmvpn_nl_nhs_change(info, DMVPN_NHS_REQ_KEY);
}

int dmvpn_nl_nhs_set(struct sk_buff *skb, struct genl_info *info)
{
	return dmvpn_nl_nhs_change(info, DMVPN_NHS_REQ_SET);
}

static int dmvpn_nl_fill_nhs(struct sk_buff *skb, struct dmvpn_dev *d,
			     const struct dmvpn_nhs *nhs, u32 portid, u32 seq,
			     int flags)
{
	void *hdr = genlmsg_put(skb, portid, seq, &dmvpn_genl_family, flags,
				DMVPN_CMD_NHS_GET);

	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, DMVPN_A_IFINDEX, d->dev->ifindex) ||
	    nla_put_string(skb, DMVPN_A_IFNAME, d->dev->name) ||
	    dmvpn_nl_put_nhs(skb, nhs)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

int dmvpn_nl_nhs_get(struct sk_buff *skb, struct genl_info *info)
{
	struct dmvpn_nhs *spec, *nhs;
	struct sk_buff *msg = NULL;
	struct dmvpn_dev *d;
	u32 present;
	int err;

	spec = kmalloc(sizeof(*spec), GFP_KERNEL);
	if (!spec)
		return -ENOMEM;
	d = dmvpn_nl_nhs_req(info, DMVPN_NHS_REQ_KEY, spec, &present);
	err = PTR_ERR_OR_ZERO(d);
	if (err)
		goto out;
	err = -ENOMEM;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (msg) {
		spin_lock(&d->nhrp.lock);
		nhs = dmvpn_nhs_find(&d->nhrp, spec);
		err = nhs ? dmvpn_nl_fill_nhs(msg, d, nhs, info->snd_portid,
					      info->snd_seq, 0) : -ENOENT;
		spin_unlock(&d->nhrp.lock);
	}
	if (err == -ENOENT)
		NL_SET_ERR_MSG(info->extack, "dmvpn: no such NHS");
	dev_put(d->dev);
out:
	kfree(spec);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/* Resumable: args[0] = devices done, args[1] = servers done in the
 * current one. The lists are short and change rarely; a change during
 * the dump may repeat or skip a server.
 */
int dmvpn_nl_nhs_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	long di = 0, ni, skip = cb->args[1];
	int filter = 0, err = 0;
	struct net_device *dev;
	struct dmvpn_nhs *nhs;
	struct dmvpn_dev *d;

	filter = dmvpn_nl_dump_ifindex(net, cb);
	if (filter < 0)
		return filter;

	rcu_read_lock();
	for_each_netdev_rcu(net, dev) {
		if (!netif_is_dmvpn(dev) || (filter && dev->ifindex != filter))
			continue;
		if (di < cb->args[0]) {
			di++;
			continue;
		}
		d = netdev_priv(dev);
		ni = 0;
		spin_lock(&d->nhrp.lock);
		list_for_each_entry(nhs, &d->nhrp.nhs, list) {
			if (ni < skip) {
				ni++;
				continue;
			}
			err = dmvpn_nl_fill_nhs(skb, d, nhs,
						NETLINK_CB(cb->skb).portid,
						cb->nlh->nlmsg_seq,
						NLM_F_MULTI);
			if (err)
				break;
			ni++;
		}
		spin_unlock(&d->nhrp.lock);
		if (err)
			goto out;
		di++;
		skip = 0;
	}
	ni = 0;
out:
	rcu_read_unlock();
	cb->args[0] = di;
	cb->args[1] = ni;
	return err && !skb->len ? err : skb->len;
}
