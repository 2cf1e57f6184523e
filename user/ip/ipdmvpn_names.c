// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include <linux/dmvpn.h>

#include "utils.h"
#include "ipdmvpn.h"

static const char *const entry_types[DMVPN_ENTRY_MAX + 1] = {
	[DMVPN_ENTRY_STATIC] = "static",
	[DMVPN_ENTRY_DYNAMIC] = "dynamic",
	[DMVPN_ENTRY_LOCAL] = "local",
	[DMVPN_ENTRY_INCOMPLETE] = "incomplete",
	[DMVPN_ENTRY_SHORTCUT] = "shortcut",
	[DMVPN_ENTRY_NEGATIVE] = "negative",
};

static const char *const events[DMVPN_EVENT_MAX + 1] = {
	[DMVPN_EVENT_ENTRY_ADDED] = "entry-added",
	[DMVPN_EVENT_ENTRY_DELETED] = "entry-deleted",
	[DMVPN_EVENT_ENTRY_EXPIRED] = "entry-expired",
	[DMVPN_EVENT_MISS] = "miss",
	[DMVPN_EVENT_MCAST_ADDED] = "mcast-added",
	[DMVPN_EVENT_MCAST_DELETED] = "mcast-deleted",
	[DMVPN_EVENT_CONFIG_CHANGED] = "config-changed",
	[DMVPN_EVENT_NHS_ADDED] = "nhs-added",
	[DMVPN_EVENT_NHS_DELETED] = "nhs-deleted",
	[DMVPN_EVENT_NHS_CHANGED] = "nhs-changed",
	[DMVPN_EVENT_FLUSHED] = "flushed",
	[DMVPN_EVENT_PEER_SA] = "peer-sa",
	[DMVPN_EVENT_PEER_GONE] = "peer-gone",
};

static const char *const roles[DMVPN_ROLE_MAX + 1] = {
	[DMVPN_ROLE_NONE] = "none",
	[DMVPN_ROLE_SPOKE] = "spoke",
	[DMVPN_ROLE_HUB] = "hub",
};

static const char *const nhs_states[DMVPN_NHS_STATE_MAX + 1] = {
	[DMVPN_NHS_STATE_NONE] = "none",
	[DMVPN_NHS_STATE_DOWN] = "down",
	[DMVPN_NHS_STATE_REGISTERING] = "registering",
	[DMVPN_NHS_STATE_UP] = "up",
};

/* Cisco "show dmvpn detail" order. */
const struct dmvpn_flag_name dmvpn_entry_flag_names[] = {
	{ DMVPN_F_UNIQUE, "unique" },
	{ DMVPN_F_REGISTERED, "registered" },
	{ DMVPN_F_NHOP, "nhop" },
	{ DMVPN_F_ROUTER, "router" },
	{ DMVPN_F_IMPLICIT, "implicit" },
	{ DMVPN_F_NAT, "nat" },
	{ DMVPN_F_NHS, "nhs" },
	{ DMVPN_F_USED, "used" },
};
const size_t dmvpn_entry_flag_count = ARRAY_SIZE(dmvpn_entry_flag_names);

const struct dmvpn_flag_name dmvpn_mcast_flag_names[] = {
	{ DMVPN_MCAST_F_DYNAMIC, "dynamic" },
};
const size_t dmvpn_mcast_flag_count = ARRAY_SIZE(dmvpn_mcast_flag_names);

static const char *n2a(const char *const *names, unsigned int max,
		       unsigned int v, char *buf, size_t len)
{
	if (v <= max && names[v])
		return names[v];
	snprintf(buf, len, "%u", v);
	return buf;
}

const char *dmvpn_entry_type_n2a(unsigned int type, char *buf, size_t len)
{
	return n2a(entry_types, DMVPN_ENTRY_MAX, type, buf, len);
}

const char *dmvpn_event_n2a(unsigned int event, char *buf, size_t len)
{
	return n2a(events, DMVPN_EVENT_MAX, event, buf, len);
}

const char *dmvpn_role_n2a(unsigned int role, char *buf, size_t len)
{
	return n2a(roles, DMVPN_ROLE_MAX, role, buf, len);
}

const char *dmvpn_nhs_state_n2a(unsigned int state, char *buf, size_t len)
{
	return n2a(nhs_states, DMVPN_NHS_STATE_MAX, state, buf, len);
}

static int a2n(const char *const *names, unsigned int max, __u8 *v,
	       const char *arg)
{
	unsigned int i;

	for (i = 0; i <= max; i++) {
		if (names[i] && strcmp(arg, names[i]) == 0) {
			*v = i;
			return 0;
		}
	}
	return -1;
}

int dmvpn_entry_type_a2n(__u8 *type, const char *arg)
{
	return a2n(entry_types, DMVPN_ENTRY_MAX, type, arg);
}

int dmvpn_role_a2n(__u8 *role, const char *arg)
{
	return a2n(roles, DMVPN_ROLE_MAX, role, arg);
}

int dmvpn_entry_flags_a2n(__u32 *flags, const char *arg)
{
	const char *p = arg;
	size_t i, n;

	*flags = 0;
	if (strcmp(arg, "none") == 0)
		return 0;
	if (!*arg)
		return -1;
	while (*p) {
		n = strcspn(p, ",");
		for (i = 0; i < dmvpn_entry_flag_count; i++) {
			const struct dmvpn_flag_name *f =
				&dmvpn_entry_flag_names[i];

			if ((f->flag & DMVPN_F_USER_MASK) &&
			    strlen(f->name) == n && !strncmp(p, f->name, n))
				break;
		}
		if (i == dmvpn_entry_flag_count)
			return -1;
		*flags |= dmvpn_entry_flag_names[i].flag;
		p += n;
		if (*p == ',' && *++p == '\0')
			return -1;
	}
	return 0;
}
