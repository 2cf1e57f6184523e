/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPDMVPN_H_
#define _IPDMVPN_H_

#include <stdbool.h>
#include <netlink/attr.h>
#include <linux/types.h>

#include "nl.h"

void usage(void) __attribute__((noreturn));

int do_dev_show(int argc, char **argv);
int do_map(int argc, char **argv);
int do_mcast(int argc, char **argv);
int do_monitor(int argc, char **argv);
int do_config(int argc, char **argv);
int do_nhs(int argc, char **argv);
int do_peers_show(int argc, char **argv);
int do_dev(int argc, char **argv);
/* Run each line of a file (or "-", stdin) with run(); 0 or 1. */
int do_batch(const char *name, bool force, int (*run)(int argc, char **argv));

/* ifindex of a dmvpn device name; exits when there is no such device. */
__u32 dmvpn_dev_index(const char *name);
__u32 dmvpn_parse_dev_filter(int argc, char **argv);
/* Whether a message belongs to ifindex (0 matches all). */
int dmvpn_msg_on_dev(struct nlattr **tb, __u32 ifindex);

/*
 * Print the members of one object from a message's top-level attributes;
 * the caller opens and closes the JSON object and ends the text line.
 * With lead, the text starts with a space, to follow a caller's prefix.
 */
void print_dmvpn_dev(struct nlattr **tb);
void print_dmvpn_entry(struct nlattr **tb, bool lead);
void print_dmvpn_mcast(struct nlattr **tb, bool lead);
/* The members of a DMVPN_A_CONFIG nest, each text one with a lead space. */
void print_dmvpn_config(struct nlattr *nest);
void print_dmvpn_nhs(struct nlattr **tb, bool lead);

/*
 * Send req (consumed) and print each reply with fn inside the listing's
 * JSON array. Returns the command's exit status: 0, or -2 on error.
 */
int dmvpn_show(struct nl_msg *req, dmvpn_msg_fn fn, void *arg);

/* Shared pieces of the printers above. */
const char *dmvpn_dev_name(struct nlattr **tb, char *buf);
void print_dmvpn_ifname(struct nlattr **tb);
void print_dmvpn_addr(const char *key, const char *fmt, struct nlattr *nla);
/* Cisco's up/down time: hh:mm:ss within a day, then 1d02h, then 1w2d. */
const char *dmvpn_duration(__u32 secs, char *buf, size_t len);

#endif /* _IPDMVPN_H_ */
