// SPDX-License-Identifier: GPL-2.0
/*
 * ip dmvpn show: the NHRP peers of each device as a table shaped like
 * Cisco's "show dmvpn", built from three dumps: devices (for the role),
 * next-hop servers (for their status) and the NHRP cache.  One row per
 * host entry; rows with the same NBMA address form one peer.
 */
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipdmvpn.h"
#include "json_print.h"
#include "utils.h"

enum peer_state { PEER_UP, PEER_NHRP, PEER_DOWN };

static const char *const state_text[] = { "UP", "NHRP", "DOWN" };
static const char *const state_json[] = { "up", "nhrp", "down" };

struct peer {
	struct dmvpn_addr nbma; /* len 0: not known */
	struct dmvpn_addr proto; /* len 0: not known */
	__u8 type; /* 0: a server with no entry */
	__u32 flags;
	__u32 age;
	__u64 packets, bytes;
	bool has_counters;
	enum peer_state state;
	__u32 updn;
	bool never_up;
};

struct server {
	struct dmvpn_addr nbma, cur_nbma, proto, cur_proto;
	__u8 state;
	__u32 since;
	bool has_since;
	bool nat;
	bool matched; /* some entry stands for it */
};

struct device {
	__u32 ifindex;
	char name[IF_NAMESIZE];
	__u8 role;
	struct peer *peers;
	size_t n_peers;
	struct server *servers;
	size_t n_servers;
};

struct view {
	struct device *devs;
	size_t n_devs;
};

static const __u16 entry_policy[DMVPN_ENTRY_A_MAX + 1] = {
	[DMVPN_ENTRY_A_PROTO] = 4,
	[DMVPN_ENTRY_A_PREFIXLEN] = 1,
	[DMVPN_ENTRY_A_NBMA] = 4,
	[DMVPN_ENTRY_A_TYPE] = 1,
	[DMVPN_ENTRY_A_FLAGS] = 4,
	[DMVPN_ENTRY_A_AGE] = 4,
	[DMVPN_ENTRY_A_PACKETS] = 8,
	[DMVPN_ENTRY_A_BYTES] = 8,
};

static const __u16 nhs_policy[DMVPN_NHS_A_MAX + 1] = {
	[DMVPN_NHS_A_NBMA] = 4,
	[DMVPN_NHS_A_PROTO] = 4,
	[DMVPN_NHS_A_STATE] = 1,
	[DMVPN_NHS_A_CUR_NBMA] = 4,
	[DMVPN_NHS_A_CUR_PROTO] = 4,
	[DMVPN_NHS_A_NAT] = 1,
	[DMVPN_NHS_A_SINCE] = 4,
};

static const __u16 cfg_policy[DMVPN_CFG_A_MAX + 1] = {
	[DMVPN_CFG_A_ROLE] = 1,
};

/* Append a zeroed element to *arr, which holds *n of them. Its room
 * doubles when *n reaches a power of two: a hub has 100,000 entries, and
 * a realloc() per entry is an mremap() per entry.
 */
static void *grow(void *arr_p, size_t *n, size_t size)
{
	void **arr = arr_p;
	char *p = *arr;

	if ((*n & (*n - 1)) == 0) {
		p = realloc(*arr, (*n ? 2 * *n : 1) * size);
		if (!p) {
			fprintf(stderr, "Error: out of memory\n");
			exit(1);
		}
	}
	*arr = p;
	p += (*n)++ * size;
	memset(p, 0, size);
	return p;
}

static void addr_set(struct dmvpn_addr *a, struct rtattr *nla)
{
	int len = nla ? RTA_PAYLOAD(nla) : 0;

	if (len != 4 && len != 16)
		return;
	a->len = len;
	a->plen = len * 8;
	memcpy(a->data, RTA_DATA(nla), len);
}

static bool addr_eq(const struct dmvpn_addr *a, const struct dmvpn_addr *b)
{
	return a->len && a->len == b->len && !memcmp(a->data, b->data, a->len);
}

static struct device *find_device(struct view *v, struct rtattr **tb)
{
	__u32 ifindex;
	size_t i;

	if (!tb[DMVPN_A_IFINDEX])
		return NULL;
	ifindex = rta_getattr_u32(tb[DMVPN_A_IFINDEX]);
	for (i = 0; i < v->n_devs; i++)
		if (v->devs[i].ifindex == ifindex)
			return &v->devs[i];
	return NULL;
}

static int collect_dev(__u8 cmd, struct rtattr **tb, void *arg)
{
	struct rtattr *cfg[DMVPN_CFG_A_MAX + 1];
	char name[IF_NAMESIZE];
	struct view *v = arg;
	struct device *d;

	(void)cmd;
	if (!tb[DMVPN_A_IFINDEX])
		return 0;
	d = grow(&v->devs, &v->n_devs, sizeof(*d));
	d->ifindex = rta_getattr_u32(tb[DMVPN_A_IFINDEX]);
	snprintf(d->name, sizeof(d->name), "%s", dmvpn_dev_name(tb, name));
	if (tb[DMVPN_A_CONFIG] &&
	    !dmvpn_parse_nested(cfg, DMVPN_CFG_A_MAX, tb[DMVPN_A_CONFIG],
			      cfg_policy) &&
	    cfg[DMVPN_CFG_A_ROLE])
		d->role = rta_getattr_u8(cfg[DMVPN_CFG_A_ROLE]);
	return 0;
}

static int collect_nhs(__u8 cmd, struct rtattr **tb, void *arg)
{
	struct rtattr *a[DMVPN_NHS_A_MAX + 1];
	struct device *d = find_device(arg, tb);
	struct server *s;

	(void)cmd;
	if (!d || !tb[DMVPN_A_NHS] ||
	    dmvpn_parse_nested(a, DMVPN_NHS_A_MAX, tb[DMVPN_A_NHS], nhs_policy))
		return 0;
	s = grow(&d->servers, &d->n_servers, sizeof(*s));
	addr_set(&s->nbma, a[DMVPN_NHS_A_NBMA]);
	addr_set(&s->cur_nbma, a[DMVPN_NHS_A_CUR_NBMA]);
	addr_set(&s->proto, a[DMVPN_NHS_A_PROTO]);
	addr_set(&s->cur_proto, a[DMVPN_NHS_A_CUR_PROTO]);
	if (a[DMVPN_NHS_A_STATE])
		s->state = rta_getattr_u8(a[DMVPN_NHS_A_STATE]);
	if (a[DMVPN_NHS_A_SINCE]) {
		s->since = rta_getattr_u32(a[DMVPN_NHS_A_SINCE]);
		s->has_since = true;
	}
	s->nat = a[DMVPN_NHS_A_NAT] && rta_getattr_u8(a[DMVPN_NHS_A_NAT]);
	return 0;
}

static struct server *find_server(struct device *d, const struct peer *p)
{
	struct server *s;
	size_t i;

	for (i = 0; i < d->n_servers; i++) {
		s = &d->servers[i];
		if (addr_eq(&s->nbma, &p->nbma) ||
		    addr_eq(&s->cur_nbma, &p->nbma))
			return s;
	}
	for (i = 0; i < d->n_servers; i++) {
		s = &d->servers[i];
		if (addr_eq(&s->proto, &p->proto) ||
		    addr_eq(&s->cur_proto, &p->proto))
			return s;
	}
	return NULL;
}

/* A server's published state, once dmvpnd has published one. */
static void server_state(struct peer *p, const struct server *s)
{
	switch (s->state) {
	case DMVPN_NHS_STATE_UP:
		p->state = PEER_UP;
		break;
	case DMVPN_NHS_STATE_DOWN:
		p->state = PEER_DOWN;
		break;
	default:
		p->state = PEER_NHRP;
		break;
	}
	if (s->has_since)
		p->updn = s->since;
}

static int collect_entry(__u8 cmd, struct rtattr **tb, void *arg)
{
	struct rtattr *a[DMVPN_ENTRY_A_MAX + 1];
	struct device *d = find_device(arg, tb);
	struct server *s;
	struct peer *p;

	(void)cmd;
	if (!d || !tb[DMVPN_A_ENTRY] ||
	    dmvpn_parse_nested(a, DMVPN_ENTRY_A_MAX, tb[DMVPN_A_ENTRY],
			     entry_policy) ||
	    !a[DMVPN_ENTRY_A_PROTO])
		return 0;
	/* Peers are hosts; routes to prefixes are for "map show". */
	if (a[DMVPN_ENTRY_A_PREFIXLEN] &&
	    rta_getattr_u8(a[DMVPN_ENTRY_A_PREFIXLEN]) !=
		    RTA_PAYLOAD(a[DMVPN_ENTRY_A_PROTO]) * 8)
		return 0;

	p = grow(&d->peers, &d->n_peers, sizeof(*p));
	addr_set(&p->proto, a[DMVPN_ENTRY_A_PROTO]);
	addr_set(&p->nbma, a[DMVPN_ENTRY_A_NBMA]);
	if (a[DMVPN_ENTRY_A_TYPE])
		p->type = rta_getattr_u8(a[DMVPN_ENTRY_A_TYPE]);
	if (a[DMVPN_ENTRY_A_FLAGS])
		p->flags = rta_getattr_u32(a[DMVPN_ENTRY_A_FLAGS]);
	if (a[DMVPN_ENTRY_A_AGE])
		p->age = rta_getattr_u32(a[DMVPN_ENTRY_A_AGE]);
	if (a[DMVPN_ENTRY_A_PACKETS] && a[DMVPN_ENTRY_A_BYTES]) {
		p->packets = rta_getattr_u64(a[DMVPN_ENTRY_A_PACKETS]);
		p->bytes = rta_getattr_u64(a[DMVPN_ENTRY_A_BYTES]);
		p->has_counters = true;
	}

	p->updn = p->age;
	if (p->type == DMVPN_ENTRY_INCOMPLETE ||
	    p->type == DMVPN_ENTRY_NEGATIVE) {
		/* As Cisco: still being (or failed to be) resolved. */
		p->state = PEER_NHRP;
		p->never_up = true;
	} else if (p->flags & DMVPN_F_NHS) {
		s = find_server(d, p);
		if (s) {
			s->matched = true;
			if (s->state != DMVPN_NHS_STATE_NONE)
				server_state(p, s);
		}
	}
	return 0;
}

/* A configured server without an entry yet is a peer all the same. */
static void add_server_peers(struct device *d)
{
	struct server *s;
	struct peer *p;
	size_t i;

	for (i = 0; i < d->n_servers; i++) {
		s = &d->servers[i];
		if (s->matched)
			continue;
		p = grow(&d->peers, &d->n_peers, sizeof(*p));
		/* grow() moves d->peers, never d->servers: s stays valid. */
		p->nbma = s->cur_nbma.len ? s->cur_nbma : s->nbma;
		p->proto = s->proto.len ? s->proto : s->cur_proto;
		p->flags = DMVPN_F_NHS | (s->nat ? DMVPN_F_NAT : 0);
		server_state(p, s);
		p->never_up = s->state == DMVPN_NHS_STATE_NONE || !s->has_since;
	}
}

static int addr_cmp(const struct dmvpn_addr *a, const struct dmvpn_addr *b)
{
	/* Unknown addresses sort last. */
	if (!a->len || !b->len)
		return !a->len - !b->len;
	if (a->len != b->len)
		return a->len - b->len;
	return memcmp(a->data, b->data, a->len);
}

static int peer_cmp(const void *x, const void *y)
{
	const struct peer *a = x, *b = y;

	return addr_cmp(&a->nbma, &b->nbma) ?: addr_cmp(&a->proto, &b->proto);
}

/* Rows of one peer: the same known NBMA address. */
static size_t group_len(const struct peer *const *rows, size_t n)
{
	size_t i;

	for (i = 1; i < n && addr_eq(&rows[0]->nbma, &rows[i]->nbma); i++)
		;
	return i;
}

/* The rows of a table, or of the JSON: the peers of one family, or all. */
static const struct peer **select_rows(const struct device *d, int len,
				       size_t *n)
{
	const struct peer **rows;
	const struct peer *p;
	size_t i;

	rows = calloc(d->n_peers + 1, sizeof(*rows));
	if (!rows) {
		fprintf(stderr, "Error: out of memory\n");
		exit(1);
	}
	*n = 0;
	for (i = 0; i < d->n_peers; i++) {
		p = &d->peers[i];
		/* A server whose tunnel address is unknown counts as IPv4. */
		if (!len || p->proto.len == len || (!p->proto.len && len == 4))
			rows[(*n)++] = p;
	}
	return rows;
}

static const char *attrb(const struct peer *p, char *buf)
{
	static const char letters[DMVPN_ENTRY_MAX + 1] = {
		[DMVPN_ENTRY_STATIC] = 'S',   [DMVPN_ENTRY_DYNAMIC] = 'D',
		[DMVPN_ENTRY_LOCAL] = 'L',    [DMVPN_ENTRY_INCOMPLETE] = 'I',
		[DMVPN_ENTRY_SHORTCUT] = 'T', [DMVPN_ENTRY_NEGATIVE] = 'X',
	};
	char *c = buf;

	/* A server without an entry is configured, hence static. */
	if (!p->type)
		*c++ = 'S';
	else
		*c++ = p->type <= DMVPN_ENTRY_MAX ? letters[p->type] : '?';
	if (p->flags & DMVPN_F_NAT)
		*c++ = 'N';
	*c = '\0';
	return buf;
}

static const char *addr_text(const struct dmvpn_addr *a, char *buf)
{
	if (!a->len)
		return "UNKNOWN";
	return dmvpn_addr_ntop(a->data, a->len, buf, DMVPN_ADDRSTRLEN);
}

static const char *type_text(const struct device *d)
{
	switch (d->role) {
	case DMVPN_ROLE_HUB:
		/* Cisco's name for a hub that registers with its own NHS. */
		return d->n_servers ? "Hub/Spoke" : "Hub";
	case DMVPN_ROLE_SPOKE:
		return "Spoke";
	default:
		return "None";
	}
}

static void print_row(const struct peer *p, size_t count, int wn, int wp)
{
	char nbma[DMVPN_ADDRSTRLEN], proto[DMVPN_ADDRSTRLEN], tm[16], at[4];

	/* Only a peer's first row names it. */
	if (count)
		printf("%6zu %-*s", count, wn, addr_text(&p->nbma, nbma));
	else
		printf("%6s %-*s", "", wn, "");
	printf(" %*s %5s %8s %5s", wp, addr_text(&p->proto, proto),
	       state_text[p->state],
	       p->never_up ? "never" : dmvpn_duration(p->updn, tm, sizeof(tm)),
	       attrb(p, at));
	/* The counters are the peer's: shown once, on its first row. */
	if (show_stats && p->has_counters && count)
		printf(" %10llu %12llu", (unsigned long long)p->packets,
		       (unsigned long long)p->bytes);
	printf("\n");
}

static int max_width(const struct dmvpn_addr *a, int w)
{
	char buf[DMVPN_ADDRSTRLEN];
	int len = strlen(addr_text(a, buf));

	return len > w ? len : w;
}

static void print_table(const struct device *d, int len)
{
	static const char dashes[] = "----------------------------------------";
	size_t i, k, n, n_rows, peers = 0;
	const struct peer **rows;
	int wn = 15, wp = 15;

	rows = select_rows(d, len, &n_rows);
	if (len == 16 && !n_rows)
		goto out;
	for (i = 0; i < n_rows; i++) {
		wn = max_width(&rows[i]->nbma, wn);
		wp = max_width(&rows[i]->proto, wp);
	}
	for (i = 0; i < n_rows; i += group_len(rows + i, n_rows - i))
		peers++;

	printf("Interface: %s, %s NHRP Details\n", d->name,
	       len == 4 ? "IPv4" : "IPv6");
	printf("Type:%s, NHRP Peers:%zu,\n\n", type_text(d), peers);
	printf("%6s %-*s %*s %5s %8s %5s", "# Ent", wn, "Peer NBMA Addr", wp,
	       "Peer Tunnel Add", "State", "UpDn Tm", "Attrb");
	if (show_stats)
		printf(" %10s %12s", "Packets", "Bytes");
	printf("\n %.5s %.*s %.*s %.5s %.8s %.5s", dashes, wn, dashes, wp,
	       dashes, dashes, dashes, dashes);
	if (show_stats)
		printf(" %.10s %.12s", dashes, dashes);
	printf("\n");
	for (i = 0; i < n_rows; i += n) {
		n = group_len(rows + i, n_rows - i);
		for (k = 0; k < n; k++)
			print_row(rows[i + k], k ? 0 : n, wn, wp);
	}
	printf("\n");
out:
	free(rows);
}

static void print_peer_json(const struct peer *p)
{
	char buf[DMVPN_ADDRSTRLEN], at[4];
	size_t i;

	open_json_object(NULL);
	if (p->proto.len)
		print_string(PRINT_JSON, "proto", NULL,
			     addr_text(&p->proto, buf));
	print_string(PRINT_JSON, "state", NULL, state_json[p->state]);
	if (!p->never_up)
		print_uint(PRINT_JSON, "updn", NULL, p->updn);
	print_string(PRINT_JSON, "attrb", NULL, attrb(p, at));
	if (p->type)
		print_string(PRINT_JSON, "type", NULL,
			     dmvpn_entry_type_n2a(p->type, buf, sizeof(buf)));
	open_json_array(PRINT_JSON, "flags");
	for (i = 0; i < dmvpn_entry_flag_count; i++)
		if (p->flags & dmvpn_entry_flag_names[i].flag)
			print_string(PRINT_JSON, NULL, NULL,
				     dmvpn_entry_flag_names[i].name);
	close_json_array(PRINT_JSON, NULL);
	if (show_stats && p->has_counters) {
		print_u64(PRINT_JSON, "packets", NULL, p->packets);
		print_u64(PRINT_JSON, "bytes", NULL, p->bytes);
	}
	close_json_object();
}

static void print_device_json(const struct device *d)
{
	char buf[DMVPN_ADDRSTRLEN];
	const struct peer **rows;
	size_t i, k, n, n_rows;

	open_json_object(NULL);
	print_uint(PRINT_JSON, "ifindex", NULL, d->ifindex);
	print_string(PRINT_JSON, "ifname", NULL, d->name);
	print_string(PRINT_JSON, "role", NULL,
		     dmvpn_role_n2a(d->role, buf, sizeof(buf)));
	open_json_array(PRINT_JSON, "peers");
	rows = select_rows(d, 0, &n_rows);
	for (i = 0; i < n_rows; i += n) {
		n = group_len(rows + i, n_rows - i);
		open_json_object(NULL);
		if (rows[i]->nbma.len)
			print_string(PRINT_JSON, "nbma", NULL,
				     addr_text(&rows[i]->nbma, buf));
		open_json_array(PRINT_JSON, "entries");
		for (k = 0; k < n; k++)
			print_peer_json(rows[i + k]);
		close_json_array(PRINT_JSON, NULL);
		close_json_object();
	}
	free(rows);
	close_json_array(PRINT_JSON, NULL);
	close_json_object();
}

static void print_legend(void)
{
	printf("Legend: Attrb --> S - Static, D - Dynamic, I - Incomplete\n"
	       "        N - NATed, L - Local, X - Negative, T - Shortcut\n"
	       "        # Ent --> Number of NHRP entries with same NBMA peer\n"
	       "        UpDn Time --> Up or Down Time for a Tunnel\n"
	       "==========================================================================\n\n");
}

static void free_view(struct view *v)
{
	size_t i;

	for (i = 0; i < v->n_devs; i++) {
		free(v->devs[i].peers);
		free(v->devs[i].servers);
	}
	free(v->devs);
}

static int dump(__u8 cmd, __u32 ifindex, dmvpn_msg_fn fn, struct view *v)
{
	return dmvpn_get(cmd, ifindex, fn, v);
}

int ipdmvpn_peers_show(int argc, char **argv)
{
	const char *name = NULL;
	struct view v = {};
	__u32 ifindex = 0;
	struct device *d;
	size_t i;
	int err;

	while (argc > 0) {
		if (strcmp(*argv, "dev") == 0)
			NEXT_ARG();
		else if (matches(*argv, "help") == 0)
			dmvpn_usage();
		if (name)
			duparg("dev", *argv);
		name = *argv;
		argc--;
		argv++;
	}
	if (name)
		ifindex = dmvpn_dev_index(name);

	/* Entries find their device, and NHS entries their server. */
	err = dump(DMVPN_CMD_DEV_GET, ifindex, collect_dev, &v);
	if (!err)
		err = dump(DMVPN_CMD_NHS_GET, ifindex, collect_nhs, &v);
	if (!err)
		err = dump(DMVPN_CMD_ENTRY_GET, ifindex, collect_entry, &v);
	if (err) {
		free_view(&v);
		return -2;
	}

	new_json_obj(json);
	if (!json && v.n_devs)
		print_legend();
	for (i = 0; i < v.n_devs; i++) {
		d = &v.devs[i];
		add_server_peers(d);
		if (d->n_peers)
			qsort(d->peers, d->n_peers, sizeof(*d->peers),
			      peer_cmp);
		if (json) {
			print_device_json(d);
		} else {
			print_table(d, 4);
			print_table(d, 16);
		}
	}
	delete_json_obj();
	free_view(&v);
	return 0;
}
