// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include <linux/dmvpn.h>

#include "names.h"
#include "utils.h"

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

int dmvpn_entry_type_a2n(__u8 *type, const char *arg)
{
	unsigned int i;

	for (i = 0; i <= DMVPN_ENTRY_MAX; i++) {
		if (entry_types[i] && strcmp(arg, entry_types[i]) == 0) {
			*type = i;
			return 0;
		}
	}
	return -1;
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
