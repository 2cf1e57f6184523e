/* SPDX-License-Identifier: GPL-2.0 */
/* Generic netlink transport to dmvpn.ko, with extended ack reporting. */
#ifndef _DMVPN_NL_H_
#define _DMVPN_NL_H_

#include <netlink/attr.h>
#include <netlink/msg.h>
#include <linux/dmvpn.h>

/*
 * Called with each message's top-level attributes, already validated
 * against the type of every DMVPN_A_* attribute.  A negative return
 * aborts the exchange and becomes its result.
 */
typedef int (*dmvpn_msg_fn)(__u8 cmd, struct nlattr **tb, void *arg);

/* Return 0, or print why not and return nonzero. */
int dmvpn_nl_open(void);
void dmvpn_nl_close(void);

struct nl_msg *dmvpn_nl_req(__u8 cmd, int flags);
/* DEV_GET for one device, or a dump of all when ifindex is 0. */
struct nl_msg *dmvpn_nl_dev_req(__u32 ifindex);

/*
 * Send req (consumed) and process the reply, dump or ack.  Returns 0,
 * or a negative errno after printing the kernel's message.
 */
int dmvpn_nl_talk(struct nl_msg *req, dmvpn_msg_fn fn, void *arg);

/* Join the events group; the socket becomes nonblocking. */
int dmvpn_nl_subscribe(void);
int dmvpn_nl_fd(void);
/* Process what is queued: 0, or a negative errno (-ENOBUFS on overrun). */
int dmvpn_nl_recv(dmvpn_msg_fn fn, void *arg);

#endif /* _DMVPN_NL_H_ */
