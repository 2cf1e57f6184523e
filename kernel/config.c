// SPDX-License-Identifier: GPL-2.0
/*
 * NHRP configuration and next-hop server list of a device (see config.h).
 * Requests arrive validated by netlink; the checks here are the ones that
 * need the current state: duplicates, the list bound, existence.
 */
#include <linux/jiffies.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/netlink.h>
#include <kunit/visibility.h>

#include "config.h"

/**
 * dmvpn_config_defaults() - the configuration of a new device
 * @cfg: filled
 *
 * NHRP is off (role none, network-id 0) until userspace configures it.
 */
void dmvpn_config_defaults(struct dmvpn_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->role = DMVPN_ROLE_NONE;
	cfg->holdtime = DMVPN_DEFAULT_HOLDTIME;
	cfg->unique = 1;
}
EXPORT_SYMBOL_IF_KUNIT(dmvpn_config_defaults);

/* Field by field: a struct copy need not copy the padding. */
static bool dmvpn_config_equal(const struct dmvpn_config *a,
			       const struct dmvpn_config *b)
{
	return a->role == b->role && a->network_id == b->network_id &&
	       a->holdtime == b->holdtime &&
	       a->reg_interval == b->reg_interval &&
	       a->auth_len == b->auth_len &&
	       !memcmp(a->auth, b->auth, a->auth_len) &&
	       a->unique == b->unique && a->mcast_dynamic == b->mcast_dynamic;
}

/**
 * dmvpn_config_apply() - copy the attributes a request carried
 * @cfg: the configuration to change
 * @val: the values; only those named in @present count
 * @present: BIT(DMVPN_CFG_A_*) of the attributes given
 *
 * Return: whether @cfg changed.
 */
bool dmvpn_config_apply(struct dmvpn_config *cfg,
			const struct dmvpn_config *val, u32 present)
{
	struct dmvpn_config old = *cfg;

	if (present & BIT(DMVPN_CFG_A_ROLE))
		cfg->role = val->role;
	if (present & BIT(DMVPN_CFG_A_NETWORK_ID))
		cfg->network_id = val->network_id;
	if (present & BIT(DMVPN_CFG_A_HOLDTIME))
		cfg->holdtime = val->holdtime;
	if (present & BIT(DMVPN_CFG_A_REG_INTERVAL))
		cfg->reg_interval = val->reg_interval;
	if (present & BIT(DMVPN_CFG_A_AUTH)) {
		cfg->auth_len = min_t(u8, val->auth_len, DMVPN_AUTH_MAX);
		memset(cfg->auth, 0, sizeof(cfg->auth));
		memcpy(cfg->auth, val->auth, cfg->auth_len);
	}
	if (present & BIT(DMVPN_CFG_A_UNIQUE))
		cfg->unique = val->unique;
	if (present & BIT(DMVPN_CFG_A_MCAST_DYNAMIC))
		cfg->mcast_dynamic = val->mcast_dynamic;
	return !dmvpn_config_equal(&old, cfg);
}
EXPORT_SYMBOL_IF_KUNIT(dmvpn_config_apply);

void dmvpn_nhrp_init(struct dmvpn_nhrp *nhrp, dmvpn_nhrp_notify_t notify)
{
	spin_lock_init(&nhrp->lock);
	dmvpn_config_defaults(&nhrp->cfg);
	INIT_LIST_HEAD(&nhrp->nhs);
	nhrp->nhs_count = 0;
	nhrp->notify = notify;
}
EXPORT_SYMBOL_IF_KUNIT(dmvpn_nhrp_init);

/* Frees the NHS list; no one else can reach @nhrp any more. */
void dmvpn_nhrp_destroy(struct dmvpn_nhrp *nhrp)
{
	struct dmvpn_nhs *nhs, *tmp;

	list_for_each_entry_safe(nhs, tmp, &nhrp->nhs, list) {
		list_del(&nhs->list);
		kfree(nhs);
	}
	nhrp->nhs_count = 0;
}
EXPORT_SYMBOL_IF_KUNIT(dmvpn_nhrp_destroy);

static void dmvpn_nhrp_changed(struct dmvpn_nhrp *nhrp,
			       enum dmvpn_event event,
			       const struct dmvpn_nhs *nhs)
{
	lockdep_assert_held(&nhrp->lock);
	if (nhrp->notify)
		nhrp->notify(nhrp, event, nhs);
}

/**
 * dmvpn_nhrp_set_config() - change the attributes a request carried
 * @nhrp: the device's NHRP state
 * @val: the values
 * @present: BIT(DMVPN_CFG_A_*) of the attributes given
 *
 * Sends DMVPN_EVENT_CONFIG_CHANGED if anything changed.
 *
 * Return: 1 if the configuration changed, else 0.
 */
int dmvpn_nhrp_set_config(struct dmvpn_nhrp *nhrp,
			  const struct dmvpn_config *val, u32 present)
{
	bool changed;

	spin_lock(&nhrp->lock);
	changed = dmvpn_config_apply(&nhrp->cfg, val, present);
	if (changed)
		dmvpn_nhrp_changed(nhrp, DMVPN_EVENT_CONFIG_CHANGED, NULL);
	spin_unlock(&nhrp->lock);
	return changed;
}
EXPORT_SYMBOL_IF_KUNIT(dmvpn_nhrp_set_config);

static bool dmvpn_nhs_match(const struct dmvpn_nhs *nhs,
			    const struct dmvpn_nhs *key)
{
	if (key->nbma.family)
		return dmvpn_addr_equal(&nhs->nbma, &key->nbma);
	/* Host names are case-insensitive (RFC 4343). */
	return !nhs->nbma.family && !strcasecmp(nhs->fqdn, key->fqdn);
}

/**
 * dmvpn_nhs_find() - the NHS with the key of @key
 * @nhrp: the device's NHRP state; caller holds nhrp->lock
 * @key: NBMA address, or FQDN if key->nbma.family is 0
 *
 * Return: the NHS or NULL.
 */
struct dmvpn_nhs *dmvpn_nhs_find(struct dmvpn_nhrp *nhrp,
				 const struct dmvpn_nhs *key)
{
	struct dmvpn_nhs *nhs;

	lockdep_assert_held(&nhrp->lock);
	list_for_each_entry(nhs, &nhrp->nhs, list)
		if (dmvpn_nhs_match(nhs, key))
			return nhs;
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(dmvpn_nhs_find);

/**
 * dmvpn_nhs_add() - configure an NHS
 * @nhrp: the device's NHRP state
 * @spec: key and configuration (status ignored)
 * @replace: update the configuration of an existing NHS, keeping its
 *	status, instead of failing with -EEXIST
 * @extack: error report
 *
 * Return: 0 or a negative errno with @extack set.
 */
int dmvpn_nhs_add(struct dmvpn_nhrp *nhrp, const struct dmvpn_nhs *spec,
		  bool replace, struct netlink_ext_ack *extack)
{
	struct dmvpn_nhs *new, *old;
	int err = 0;

	new = kzalloc(sizeof(*new), GFP_KERNEL_ACCOUNT);
	if (!new)
		return -ENOMEM;
	new->nbma = spec->nbma;
	strscpy(new->fqdn, spec->fqdn, sizeof(new->fqdn));
	new->proto = spec->proto;
	new->priority = spec->priority;
	new->st.state = DMVPN_NHS_STATE_NONE;
	new->since = jiffies;

	spin_lock(&nhrp->lock);
	old = dmvpn_nhs_find(nhrp, new);
	if (old && !replace) {
		NL_SET_ERR_MSG(extack, "dmvpn: NHS exists (use replace)");
		err = -EEXIST;
	} else if (old) {
		old->proto = new->proto;
		old->priority = new->priority;
		dmvpn_nhrp_changed(nhrp, DMVPN_EVENT_NHS_ADDED, old);
	} else if (nhrp->nhs_count >= DMVPN_NHS_MAX) {
		NL_SET_ERR_MSG(extack, "dmvpn: at most "
			       __stringify(DMVPN_NHS_MAX) " NHS per device");
		err = -ENOSPC;
	} else {
		list_add_tail(&new->list, &nhrp->nhs);
		nhrp->nhs_count++;
		dmvpn_nhrp_changed(nhrp, DMVPN_EVENT_NHS_ADDED, new);
		new = NULL;
	}
	spin_unlock(&nhrp->lock);
	kfree(new);
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(dmvpn_nhs_add);

/**
 * dmvpn_nhs_del() - forget an NHS
 * @nhrp: the device's NHRP state
 * @key: NBMA address or FQDN
 * @extack: error report
 *
 * Return: 0 or -ENOENT with @extack set.
 */
int dmvpn_nhs_del(struct dmvpn_nhrp *nhrp, const struct dmvpn_nhs *key,
		  struct netlink_ext_ack *extack)
{
	struct dmvpn_nhs *nhs;

	spin_lock(&nhrp->lock);
	nhs = dmvpn_nhs_find(nhrp, key);
	if (nhs) {
		list_del(&nhs->list);
		nhrp->nhs_count--;
		dmvpn_nhrp_changed(nhrp, DMVPN_EVENT_NHS_DELETED, nhs);
	}
	spin_unlock(&nhrp->lock);
	if (!nhs) {
		NL_SET_ERR_MSG(extack, "dmvpn: no such NHS");
		return -ENOENT;
	}
	kfree(nhs);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(dmvpn_nhs_del);

/**
 * dmvpn_nhs_set() - publish the status of an NHS
 * @nhrp: the device's NHRP state
 * @spec: key and status
 * @present: BIT(DMVPN_NHS_A_*) of the status attributes given; the others
 *	keep their value
 * @extack: error report
 *
 * A new state restarts the "since" clock and sends DMVPN_EVENT_NHS_CHANGED;
 * counters alone change silently (dmvpnd bumps them on every packet).
 *
 * Return: 0 or -ENOENT with @extack set.
 */
int dmvpn_nhs_set(struct dmvpn_nhrp *nhrp, const struct dmvpn_nhs *spec,
		  u32 present, struct netlink_ext_ack *extack)
{
	const struct dmvpn_nhs_status *s = &spec->st;
	struct dmvpn_nhs_status *st;
	struct dmvpn_nhs *nhs;
	bool changed = false;

	spin_lock(&nhrp->lock);
	nhs = dmvpn_nhs_find(nhrp, spec);
	if (!nhs) {
		spin_unlock(&nhrp->lock);
		NL_SET_ERR_MSG(extack, "dmvpn: no such NHS");
		return -ENOENT;
	}
	st = &nhs->st;
	if ((present & BIT(DMVPN_NHS_A_STATE)) && st->state != s->state) {
		st->state = s->state;
		nhs->since = jiffies;
		changed = true;
	}
	if (present & BIT(DMVPN_NHS_A_CUR_NBMA))
		st->cur_nbma = s->cur_nbma;
	if (present & BIT(DMVPN_NHS_A_CUR_PROTO))
		st->cur_proto = s->cur_proto;
	if (present & BIT(DMVPN_NHS_A_REQUESTS))
		st->requests = s->requests;
	if (present & BIT(DMVPN_NHS_A_REPLIES))
		st->replies = s->replies;
	if (present & BIT(DMVPN_NHS_A_FAILURES))
		st->failures = s->failures;
	if (present & BIT(DMVPN_NHS_A_LAST_CODE)) {
		st->last_code = s->last_code;
		st->last_code_set = true;
	}
	if (present & BIT(DMVPN_NHS_A_NAT))
		st->nat = s->nat;
	if (changed)
		dmvpn_nhrp_changed(nhrp, DMVPN_EVENT_NHS_CHANGED, nhs);
	spin_unlock(&nhrp->lock);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(dmvpn_nhs_set);
