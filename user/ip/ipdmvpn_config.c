// SPDX-License-Identifier: GPL-2.0
/*
 * ip dmvpn config: a device's NHRP configuration.  The kernel only keeps
 * it (DMVPN_A_CONFIG) for dmvpnd; CONFIG_SET changes what is given.
 */
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipdmvpn.h"
#include "json_print.h"
#include "utils.h"

/* What config show and monitor print for a key: never the key. */
#define DMVPN_AUTH_HIDDEN "(set)"

struct cfg_args {
	__u32 ifindex;
	__u32 network_id, holdtime, reg_interval;
	char auth[DMVPN_AUTH_MAX];
	size_t auth_len;
	__u8 role, unique, mcast_dynamic;
	bool has_role, has_network_id, has_holdtime, has_reg_interval;
	bool has_auth, has_unique, has_mcast_dynamic;
};

static const __u16 cfg_policy[DMVPN_CFG_A_MAX + 1] = {
	[DMVPN_CFG_A_ROLE] = 1,
	[DMVPN_CFG_A_NETWORK_ID] = 4,
	[DMVPN_CFG_A_HOLDTIME] = 4,
	[DMVPN_CFG_A_REG_INTERVAL] = 4,
	[DMVPN_CFG_A_AUTH] = 0,
	[DMVPN_CFG_A_UNIQUE] = 1,
	[DMVPN_CFG_A_MCAST_DYNAMIC] = 1,
};

/* Seconds that NHRP carries in 16 bits. */
static __u32 parse_secs(const char *key, const char *arg, __u32 min)
{
	__u32 v;

	if (get_u32(&v, arg, 0) || v < min || v > 65535) {
		fprintf(stderr,
			"Error: argument \"%s\" is wrong: %s must be %u..65535 seconds\n",
			arg, key, min);
		exit(-1);
	}
	return v;
}

/* A boolean keyword and its "no-" form set one value, once. */
static void set_bool(__u8 *val, bool *has, const char *key, __u8 on,
		     const char *arg)
{
	if (*has)
		duparg(key, arg);
	*val = on;
	*has = true;
}

static void parse_cfg_args(struct cfg_args *c, int argc, char **argv)
{
	memset(c, 0, sizeof(*c));
	while (argc > 0) {
		if (strcmp(*argv, "dev") == 0) {
			NEXT_ARG();
			if (c->ifindex)
				duparg("dev", *argv);
			c->ifindex = dmvpn_dev_index(*argv);
		} else if (strcmp(*argv, "role") == 0) {
			NEXT_ARG();
			if (c->has_role)
				duparg("role", *argv);
			if (dmvpn_role_a2n(&c->role, *argv))
				invarg("role must be hub, spoke or none",
				       *argv);
			c->has_role = true;
		} else if (strcmp(*argv, "network-id") == 0) {
			NEXT_ARG();
			if (c->has_network_id)
				duparg("network-id", *argv);
			if (get_u32(&c->network_id, *argv, 0))
				invarg("invalid network-id", *argv);
			c->has_network_id = true;
		} else if (strcmp(*argv, "holdtime") == 0) {
			NEXT_ARG();
			if (c->has_holdtime)
				duparg("holdtime", *argv);
			c->holdtime = parse_secs("holdtime", *argv, 1);
			c->has_holdtime = true;
		} else if (strcmp(*argv, "registration-interval") == 0) {
			NEXT_ARG();
			if (c->has_reg_interval)
				duparg("registration-interval", *argv);
			c->reg_interval =
				parse_secs("registration-interval", *argv, 0);
			c->has_reg_interval = true;
		} else if (strcmp(*argv, "auth") == 0) {
			NEXT_ARG();
			if (c->has_auth)
				duparg("auth", *argv);
			c->auth_len = strlen(*argv);
			if (!c->auth_len)
				invarg("empty authentication string, use no-auth",
				       *argv);
			if (c->auth_len > DMVPN_AUTH_MAX)
				invarg("authentication string longer than 8 bytes",
				       *argv);
			/*
			 * config show output given back to config set must not
			 * make the placeholder the key of a cloud.
			 */
			if (strcmp(*argv, DMVPN_AUTH_HIDDEN) == 0)
				invarg("\"(set)\" is how config show hides a key, give the key itself",
				       *argv);
			memcpy(c->auth, *argv, c->auth_len);
			c->has_auth = true;
		} else if (strcmp(*argv, "no-auth") == 0) {
			if (c->has_auth)
				duparg("auth", *argv);
			c->auth_len = 0;
			c->has_auth = true;
		} else if (strcmp(*argv, "unique") == 0) {
			set_bool(&c->unique, &c->has_unique, "unique", 1,
				 *argv);
		} else if (strcmp(*argv, "no-unique") == 0) {
			set_bool(&c->unique, &c->has_unique, "unique", 0,
				 *argv);
		} else if (strcmp(*argv, "multicast") == 0) {
			NEXT_ARG();
			if (strcmp(*argv, "dynamic") != 0)
				invarg("expected \"multicast dynamic\"", *argv);
			set_bool(&c->mcast_dynamic, &c->has_mcast_dynamic,
				 "multicast", 1, *argv);
		} else if (strcmp(*argv, "no-multicast-dynamic") == 0) {
			set_bool(&c->mcast_dynamic, &c->has_mcast_dynamic,
				 "multicast", 0, *argv);
		} else if (matches(*argv, "help") == 0) {
			dmvpn_usage();
		} else {
			invarg("unknown argument", *argv);
		}
		argc--;
		argv++;
	}
}

static int config_set(int argc, char **argv)
{
	struct rtattr *nest;
	DMVPN_REQUEST(req, DMVPN_CMD_CONFIG_SET, 0);
	struct cfg_args c;

	parse_cfg_args(&c, argc, argv);
	if (!c.ifindex)
		missarg("dev");
	if (!c.has_role && !c.has_network_id && !c.has_holdtime &&
	    !c.has_reg_interval && !c.has_auth && !c.has_unique &&
	    !c.has_mcast_dynamic) {
		fprintf(stderr, "Error: nothing to set.\n");
		exit(-1);
	}

	addattr32(&req.n, DMVPN_BUFLEN, DMVPN_A_IFINDEX, c.ifindex);
	nest = addattr_nest(&req.n, DMVPN_BUFLEN, DMVPN_A_CONFIG | NLA_F_NESTED);
	if (c.has_role)
		addattr8(&req.n, DMVPN_BUFLEN, DMVPN_CFG_A_ROLE, c.role);
	if (c.has_network_id)
		addattr32(&req.n, DMVPN_BUFLEN, DMVPN_CFG_A_NETWORK_ID, c.network_id);
	if (c.has_holdtime)
		addattr32(&req.n, DMVPN_BUFLEN, DMVPN_CFG_A_HOLDTIME, c.holdtime);
	if (c.has_reg_interval)
		addattr32(&req.n, DMVPN_BUFLEN, DMVPN_CFG_A_REG_INTERVAL, c.reg_interval);
	/* An empty AUTH is how "no-auth" is said. */
	if (c.has_auth)
		addattr_l(&req.n, DMVPN_BUFLEN, DMVPN_CFG_A_AUTH, c.auth, c.auth_len);
	if (c.has_unique)
		addattr8(&req.n, DMVPN_BUFLEN, DMVPN_CFG_A_UNIQUE, c.unique);
	if (c.has_mcast_dynamic)
		addattr8(&req.n, DMVPN_BUFLEN, DMVPN_CFG_A_MCAST_DYNAMIC, c.mcast_dynamic);
	addattr_nest_end(&req.n, nest);
	return dmvpn_talk(&req.n, NULL, NULL) ? -2 : 0;
}

/*
 * The key is the cloud's shared secret: it is never printed, so that a
 * screen, a log or a bug report of "config show" or "monitor" cannot give
 * it away (as "wg show" hides WireGuard's private key).  Only whether one
 * is set is said; an empty AUTH (none) prints nothing, as does its
 * absence (the kernel gives it only to CAP_NET_ADMIN, never in events).
 */
static void print_auth(struct rtattr *nla)
{
	if (RTA_PAYLOAD(nla))
		print_string(PRINT_ANY, "auth", " auth %s", DMVPN_AUTH_HIDDEN);
}

static void print_cfg_bool(struct rtattr *nla, const char *key, const char *on,
			   const char *off)
{
	bool v;

	if (!nla)
		return;
	v = rta_getattr_u8(nla);
	if (is_json_context())
		print_bool(PRINT_JSON, key, NULL, v);
	else
		printf(" %s", v ? on : off);
}

void print_dmvpn_config(struct rtattr *nest)
{
	struct rtattr *tb[DMVPN_CFG_A_MAX + 1];
	char buf[16];

	if (dmvpn_parse_nested(tb, DMVPN_CFG_A_MAX, nest, cfg_policy) < 0) {
		fprintf(stderr, "Error: malformed NHRP configuration\n");
		return;
	}
	if (tb[DMVPN_CFG_A_ROLE])
		print_string(PRINT_ANY, "role", " role %s",
			     dmvpn_role_n2a(rta_getattr_u8(tb[DMVPN_CFG_A_ROLE]),
					    buf, sizeof(buf)));
	if (tb[DMVPN_CFG_A_NETWORK_ID])
		print_uint(PRINT_ANY, "network_id", " network-id %u",
			   rta_getattr_u32(tb[DMVPN_CFG_A_NETWORK_ID]));
	if (tb[DMVPN_CFG_A_HOLDTIME])
		print_uint(PRINT_ANY, "holdtime", " holdtime %u",
			   rta_getattr_u32(tb[DMVPN_CFG_A_HOLDTIME]));
	if (tb[DMVPN_CFG_A_REG_INTERVAL])
		print_uint(PRINT_ANY, "registration_interval",
			   " registration-interval %u",
			   rta_getattr_u32(tb[DMVPN_CFG_A_REG_INTERVAL]));
	if (tb[DMVPN_CFG_A_AUTH])
		print_auth(tb[DMVPN_CFG_A_AUTH]);
	print_cfg_bool(tb[DMVPN_CFG_A_UNIQUE], "unique", "unique", "no-unique");
	print_cfg_bool(tb[DMVPN_CFG_A_MCAST_DYNAMIC], "multicast_dynamic",
		       "multicast dynamic", "no-multicast-dynamic");
}

static int show_config(__u8 cmd, struct rtattr **tb, void *arg)
{
	char name[IF_NAMESIZE];
	const char *dev = dmvpn_dev_name(tb, name);

	(void)cmd;
	(void)arg;
	open_json_object(NULL);
	if (tb[DMVPN_A_IFINDEX])
		print_uint(PRINT_JSON, "ifindex", NULL,
			   rta_getattr_u32(tb[DMVPN_A_IFINDEX]));
	print_string(PRINT_ANY, "ifname", "%s:", dev ? dev : "?");
	if (tb[DMVPN_A_CONFIG])
		print_dmvpn_config(tb[DMVPN_A_CONFIG]);
	print_nl();
	close_json_object();
	return 0;
}

static int config_show(int argc, char **argv)
{
	__u32 ifindex = dmvpn_parse_dev_filter(argc, argv);

	return dmvpn_show_get(DMVPN_CMD_DEV_GET, ifindex, show_config, NULL);
}

int ipdmvpn_config(int argc, char **argv)
{
	if (argc < 1)
		return config_show(0, NULL);
	if (strcmp(*argv, "set") == 0)
		return config_set(argc - 1, argv + 1);
	if (matches(*argv, "show") == 0 || matches(*argv, "list") == 0 ||
	    strcmp(*argv, "lst") == 0)
		return config_show(argc - 1, argv + 1);
	if (matches(*argv, "help") == 0)
		dmvpn_usage();
	fprintf(stderr, "Command \"%s\" is unknown, try \"ip dmvpn help\".\n",
		*argv);
	exit(-1);
}
