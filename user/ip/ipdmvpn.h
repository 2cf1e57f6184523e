/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ip dmvpn: the NHRP cache, multicast map, configuration and next-hop
 * servers of dmvpn devices, over the "dmvpn" generic netlink family.
 */
#ifndef _IPDMVPN_H_
#define _IPDMVPN_H_

#include <stdbool.h>
#include <stddef.h>
#include <netinet/in.h>
#include <linux/types.h>
#include <linux/genetlink.h>
#include <linux/dmvpn.h>

#include "libgenl.h"

#define DMVPN_BUFLEN 1024

/* The family id is filled in by dmvpn_talk(), once the family is known. */
#define DMVPN_REQUEST(_req, _cmd, _flags)				\
	GENL_REQUEST(_req, DMVPN_BUFLEN, 0, 0, DMVPN_GENL_VERSION,	\
		     _cmd, NLM_F_REQUEST | (_flags))

/*
 * Called with each message's top-level attributes, already checked
 * against the length of every DMVPN_A_* attribute.  A negative return
 * aborts the exchange and becomes its result.
 */
typedef int (*dmvpn_msg_fn)(__u8 cmd, struct rtattr **tb, void *arg);

/* Minimum payload lengths of attributes, indexed by type. */
#define DMVPN_ATTR_STRING 0xffff	/* a NUL-terminated string */
int dmvpn_parse_nested(struct rtattr **tb, int max, const struct rtattr *nest,
		       const __u16 *minlen);

/*
 * Send n and process the reply, dump or ack with fn (which may be NULL).
 * Returns 0, or a negative value after the error has been printed.
 */
int dmvpn_talk(struct nlmsghdr *n, dmvpn_msg_fn fn, void *arg);
/* A GET request: DEV_GET for one device is a do request, else a dump. */
int dmvpn_get(__u8 cmd, __u32 ifindex, dmvpn_msg_fn fn, void *arg);
/* The same, printed inside a JSON array; the exit status, 0 or -2. */
int dmvpn_show(struct nlmsghdr *n, dmvpn_msg_fn fn, void *arg);
int dmvpn_show_get(__u8 cmd, __u32 ifindex, dmvpn_msg_fn fn, void *arg);
/* Join the events group and call fn for each message; never returns 0. */
int dmvpn_listen(dmvpn_msg_fn fn, void *arg);

void dmvpn_usage(void) __attribute__((noreturn));

int ipdmvpn_dev_show(int argc, char **argv);
int ipdmvpn_map(int argc, char **argv);
int ipdmvpn_mcast(int argc, char **argv);
int ipdmvpn_monitor(int argc, char **argv);
int ipdmvpn_config(int argc, char **argv);
int ipdmvpn_nhs(int argc, char **argv);
int ipdmvpn_peers_show(int argc, char **argv);
int ipdmvpn_dev(int argc, char **argv);
/* Run each line of a file (or "-", stdin) with run(); 0 or 1. */
int do_dmvpn_batch(const char *name, bool force,
		   int (*run)(int argc, char **argv));

/* ifindex of a device name; exits when there is no such device. */
__u32 dmvpn_dev_index(const char *name);
__u32 dmvpn_parse_dev_filter(int argc, char **argv);
/* Whether a message belongs to ifindex (0 matches all). */
int dmvpn_msg_on_dev(struct rtattr **tb, __u32 ifindex);

/*
 * Print the members of one object from a message's top-level attributes;
 * the caller opens and closes the JSON object and ends the text line.
 * With lead, the text starts with a space, to follow a caller's prefix.
 */
void print_dmvpn_dev(struct rtattr **tb);
void print_dmvpn_entry(struct rtattr **tb, bool lead);
void print_dmvpn_mcast(struct rtattr **tb, bool lead);
/* The members of a DMVPN_A_CONFIG nest, each text one with a lead space. */
void print_dmvpn_config(struct rtattr *nest);
void print_dmvpn_nhs(struct rtattr **tb, bool lead);

/* Shared pieces of the printers above. */
const char *dmvpn_dev_name(struct rtattr **tb, char *buf);
void dmvpn_keep_names(bool keep);
void print_dmvpn_ifname(struct rtattr **tb);
void print_dmvpn_addr(const char *key, const char *fmt, struct rtattr *rta);
/* Cisco's up/down time: hh:mm:ss within a day, then 1d02h, then 1w2d. */
const char *dmvpn_duration(__u32 secs, char *buf, size_t len);

/* dmvpn carries addresses as 4 or 16 raw bytes; the length is the family. */
struct dmvpn_addr {
	int len;	/* 4 or 16 */
	int plen;	/* prefix length; len * 8 unless given */
	__u8 data[16];
};

/* "ADDR", or "ADDR/PLEN" if with_plen.  Returns 0 or -1. */
int dmvpn_addr_parse(struct dmvpn_addr *a, const char *s, int with_plen);
/* Format a 4 or 16 byte address attribute; "?" for any other length. */
const char *dmvpn_addr_ntop(const void *data, int len, char *buf, size_t size);
#define DMVPN_ADDRSTRLEN INET6_ADDRSTRLEN

/* Command line and output names of dmvpn enums and flag bits. */
struct dmvpn_flag_name {
	__u32 flag;
	const char *name;
};

extern const struct dmvpn_flag_name dmvpn_entry_flag_names[];
extern const size_t dmvpn_entry_flag_count;
extern const struct dmvpn_flag_name dmvpn_mcast_flag_names[];
extern const size_t dmvpn_mcast_flag_count;

/* Unknown values print as their number, so newer kernels stay readable. */
const char *dmvpn_entry_type_n2a(unsigned int type, char *buf, size_t len);
const char *dmvpn_event_n2a(unsigned int event, char *buf, size_t len);
const char *dmvpn_role_n2a(unsigned int role, char *buf, size_t len);
const char *dmvpn_nhs_state_n2a(unsigned int state, char *buf, size_t len);

int dmvpn_entry_type_a2n(__u8 *type, const char *arg);
int dmvpn_role_a2n(__u8 *role, const char *arg);
/* "FLAG[,FLAG...]" of user-settable entry flags. */
int dmvpn_entry_flags_a2n(__u32 *flags, const char *arg);

#endif /* _IPDMVPN_H_ */
