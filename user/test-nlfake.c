// SPDX-License-Identifier: GPL-2.0
/*
 * test-nlfake.so: an LD_PRELOAD stand-in for the kernel's dmvpn generic
 * netlink family, so that test-cli.sh can check what "ip dmvpn" prints
 * for kernel replies on a host without dmvpn.ko.
 *
 * Generic netlink sockets are replaced by a descriptor on /dev/null; every
 * other socket is left alone.  A family lookup is answered with the dmvpn
 * family and its "events" group; a DEV_GET dump with three devices:
 *   dmvpn0  AUTH "s3cret"   (what CAP_NET_ADMIN reads when a key is set)
 *   dmvpn1  AUTH empty      (no key)
 *   dmvpn2  no AUTH         (what others read)
 * Joining the events group queues one CONFIG_CHANGED event for dmvpn0,
 * with AUTH "s3cret" although the kernel never sends it there, then end
 * of file.  Any other request is refused with EOPNOTSUPP.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <linux/dmvpn.h>

#define FAKE_FAMILY	0x4242
#define FAKE_GROUP	7
#define FAKE_PORTID	4242
#define FAKE_AUTH	"s3cret"

static int fake_fd = -1;

/* Replies queued for recvmsg(), each one datagram as netlink sends it. */
static char queue[8][4096];
static size_t queue_len[8];
static int queue_head, queue_tail;

#define REAL(name) ((__typeof__(&name))dlsym(RTLD_NEXT, #name))

static int is_fake(int fd)
{
	return fd >= 0 && fd == fake_fd;
}

struct msgbuf {
	char *buf;
	size_t len;
};

static struct nlmsghdr *msg_start(struct msgbuf *m, __u16 type, __u32 seq,
				  __u16 flags, __u8 cmd)
{
	struct nlmsghdr *n = (struct nlmsghdr *)(m->buf + m->len);
	struct genlmsghdr *g = NLMSG_DATA(n);

	memset(n, 0, NLMSG_LENGTH(GENL_HDRLEN));
	n->nlmsg_type = type;
	n->nlmsg_flags = flags;
	n->nlmsg_seq = seq;
	n->nlmsg_pid = FAKE_PORTID;
	n->nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	g->cmd = cmd;
	g->version = 1;
	return n;
}

static void msg_end(struct msgbuf *m, struct nlmsghdr *n)
{
	m->len += NLMSG_ALIGN(n->nlmsg_len);
}

static struct nlattr *put(struct nlmsghdr *n, __u16 type, const void *data,
			  size_t len)
{
	struct nlattr *a = (struct nlattr *)((char *)n + NLMSG_ALIGN(n->nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy((char *)a + NLA_HDRLEN, data, len);
	memset((char *)a + NLA_HDRLEN + len, 0, NLA_ALIGN(len) - len);
	n->nlmsg_len = NLMSG_ALIGN(n->nlmsg_len) + NLA_ALIGN(a->nla_len);
	return a;
}

static void put_u8(struct nlmsghdr *n, __u16 type, __u8 v)
{
	put(n, type, &v, sizeof(v));
}

static void put_u32(struct nlmsghdr *n, __u16 type, __u32 v)
{
	put(n, type, &v, sizeof(v));
}

static void put_str(struct nlmsghdr *n, __u16 type, const char *s)
{
	put(n, type, s, strlen(s) + 1);
}

/* As the kernel: dmvpn marks its nests, the controller does not. */
static struct nlattr *nest_start(struct nlmsghdr *n, __u16 type)
{
	return put(n, type, NULL, 0);
}

static void nest_end(struct nlmsghdr *n, struct nlattr *a)
{
	a->nla_len = (char *)n + n->nlmsg_len - (char *)a;
}

static struct msgbuf queue_slot(void)
{
	struct msgbuf m = { queue[queue_tail % 8], 0 };

	return m;
}

static void queue_push(struct msgbuf *m)
{
	queue_len[queue_tail % 8] = m->len;
	queue_tail++;
}

/* A device's attributes as DEV_GET and events give them; auth_len < 0: none. */
static void put_dev(struct nlmsghdr *n, __u32 ifindex, const char *name,
		    int auth_len)
{
	struct nlattr *cfg;

	put_u32(n, DMVPN_A_IFINDEX, ifindex);
	put_str(n, DMVPN_A_IFNAME, name);
	cfg = nest_start(n, DMVPN_A_CONFIG | NLA_F_NESTED);
	put_u8(n, DMVPN_CFG_A_ROLE, DMVPN_ROLE_HUB);
	put_u32(n, DMVPN_CFG_A_NETWORK_ID, 1);
	put_u32(n, DMVPN_CFG_A_HOLDTIME, 600);
	put_u32(n, DMVPN_CFG_A_REG_INTERVAL, 0);
	if (auth_len >= 0)
		put(n, DMVPN_CFG_A_AUTH, FAKE_AUTH, auth_len);
	put_u8(n, DMVPN_CFG_A_UNIQUE, 1);
	put_u8(n, DMVPN_CFG_A_MCAST_DYNAMIC, 1);
	nest_end(n, cfg);
}

static void reply_error(const struct nlmsghdr *req, int err)
{
	struct msgbuf m = queue_slot();
	struct nlmsghdr *n = (struct nlmsghdr *)m.buf;
	struct nlmsgerr *e = NLMSG_DATA(n);

	memset(n, 0, NLMSG_LENGTH(sizeof(*e)));
	n->nlmsg_type = NLMSG_ERROR;
	n->nlmsg_flags = NLM_F_CAPPED;
	n->nlmsg_seq = req->nlmsg_seq;
	n->nlmsg_pid = FAKE_PORTID;
	n->nlmsg_len = NLMSG_LENGTH(sizeof(*e));
	e->error = err;
	e->msg = *req;
	e->msg.nlmsg_len = sizeof(*req);
	m.len = n->nlmsg_len;
	queue_push(&m);
}

static void reply_family(const struct nlmsghdr *req)
{
	struct msgbuf m = queue_slot();
	struct nlmsghdr *n = msg_start(&m, GENL_ID_CTRL, req->nlmsg_seq, 0,
				       CTRL_CMD_NEWFAMILY);
	struct nlattr *grps, *grp;
	__u16 id = FAKE_FAMILY;

	put_str(n, CTRL_ATTR_FAMILY_NAME, DMVPN_GENL_NAME);
	put(n, CTRL_ATTR_FAMILY_ID, &id, sizeof(id));
	grps = nest_start(n, CTRL_ATTR_MCAST_GROUPS);
	grp = nest_start(n, 1);
	put_str(n, CTRL_ATTR_MCAST_GRP_NAME, DMVPN_MCGRP_EVENTS);
	put_u32(n, CTRL_ATTR_MCAST_GRP_ID, FAKE_GROUP);
	nest_end(n, grp);
	nest_end(n, grps);
	msg_end(&m, n);
	queue_push(&m);
}

static void reply_devices(const struct nlmsghdr *req)
{
	struct msgbuf m = queue_slot();
	struct nlmsghdr *n;

	n = msg_start(&m, FAKE_FAMILY, req->nlmsg_seq, NLM_F_MULTI,
		      DMVPN_CMD_DEV_GET);
	put_dev(n, 1000, "dmvpn0", strlen(FAKE_AUTH));
	msg_end(&m, n);
	n = msg_start(&m, FAKE_FAMILY, req->nlmsg_seq, NLM_F_MULTI,
		      DMVPN_CMD_DEV_GET);
	put_dev(n, 1001, "dmvpn1", 0);
	msg_end(&m, n);
	n = msg_start(&m, FAKE_FAMILY, req->nlmsg_seq, NLM_F_MULTI,
		      DMVPN_CMD_DEV_GET);
	put_dev(n, 1002, "dmvpn2", -1);
	msg_end(&m, n);
	/* NLMSG_DONE carries the dump's status, an int. */
	n = (struct nlmsghdr *)(m.buf + m.len);
	memset(n, 0, NLMSG_LENGTH(sizeof(int)));
	n->nlmsg_type = NLMSG_DONE;
	n->nlmsg_flags = NLM_F_MULTI;
	n->nlmsg_seq = req->nlmsg_seq;
	n->nlmsg_pid = FAKE_PORTID;
	n->nlmsg_len = NLMSG_LENGTH(sizeof(int));
	m.len += NLMSG_ALIGN(n->nlmsg_len);
	queue_push(&m);
}

static void queue_event(void)
{
	struct msgbuf m = queue_slot();
	struct nlmsghdr *n = msg_start(&m, FAKE_FAMILY, 0, 0, DMVPN_CMD_EVENT);

	n->nlmsg_pid = 0;
	put_u8(n, DMVPN_A_EVENT, DMVPN_EVENT_CONFIG_CHANGED);
	put_dev(n, 1000, "dmvpn0", strlen(FAKE_AUTH));
	msg_end(&m, n);
	queue_push(&m);
}

static void handle_request(const void *buf, size_t len)
{
	const struct nlmsghdr *req = buf;
	const struct genlmsghdr *g = NLMSG_DATA(req);

	if (len < NLMSG_LENGTH(GENL_HDRLEN) || queue_tail - queue_head >= 7)
		return;
	if (req->nlmsg_type == GENL_ID_CTRL && g->cmd == CTRL_CMD_GETFAMILY)
		reply_family(req);
	else if (req->nlmsg_type == FAKE_FAMILY &&
		 g->cmd == DMVPN_CMD_DEV_GET && (req->nlmsg_flags & NLM_F_DUMP))
		reply_devices(req);
	else
		reply_error(req, -EOPNOTSUPP);
}

int socket(int domain, int type, int protocol)
{
	if (domain == AF_NETLINK && protocol == NETLINK_GENERIC) {
		fake_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
		queue_head = queue_tail = 0;
		return fake_fd;
	}
	return REAL(socket)(domain, type, protocol);
}

int close(int fd)
{
	if (is_fake(fd))
		fake_fd = -1;
	return REAL(close)(fd);
}

int bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	return is_fake(fd) ? 0 : REAL(bind)(fd, addr, len);
}

int getsockname(int fd, struct sockaddr *addr, socklen_t *len)
{
	struct sockaddr_nl nl = {
		.nl_family = AF_NETLINK,
		.nl_pid = FAKE_PORTID,
	};

	if (!is_fake(fd))
		return REAL(getsockname)(fd, addr, len);
	memcpy(addr, &nl, *len < sizeof(nl) ? *len : sizeof(nl));
	*len = sizeof(nl);
	return 0;
}

int setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
	if (!is_fake(fd))
		return REAL(setsockopt)(fd, level, name, val, len);
	if (level == SOL_NETLINK && name == NETLINK_ADD_MEMBERSHIP &&
	    len == sizeof(int) && *(const int *)val == FAKE_GROUP)
		queue_event();
	return 0;
}

ssize_t send(int fd, const void *buf, size_t len, int flags)
{
	if (!is_fake(fd))
		return REAL(send)(fd, buf, len, flags);
	handle_request(buf, len);
	return len;
}

ssize_t sendto(int fd, const void *buf, size_t len, int flags,
	       const struct sockaddr *addr, socklen_t alen)
{
	if (!is_fake(fd))
		return REAL(sendto)(fd, buf, len, flags, addr, alen);
	handle_request(buf, len);
	return len;
}

ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
	char buf[4096];
	size_t len = 0, i;

	if (!is_fake(fd))
		return REAL(sendmsg)(fd, msg, flags);
	for (i = 0; i < msg->msg_iovlen; i++) {
		size_t l = msg->msg_iov[i].iov_len;

		if (l > sizeof(buf) - len)
			l = sizeof(buf) - len;
		memcpy(buf + len, msg->msg_iov[i].iov_base, l);
		len += l;
	}
	handle_request(buf, len);
	return len;
}

/* As netlink: one datagram per call, MSG_PEEK and MSG_TRUNC honoured. */
ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	struct sockaddr_nl nl = { .nl_family = AF_NETLINK };
	size_t len, copied = 0, i;
	const char *d;

	if (!is_fake(fd))
		return REAL(recvmsg)(fd, msg, flags);
	if (msg->msg_name) {
		memcpy(msg->msg_name, &nl, sizeof(nl));
		msg->msg_namelen = sizeof(nl);
	}
	msg->msg_controllen = 0;
	msg->msg_flags = 0;
	if (queue_head == queue_tail)
		return 0;
	d = queue[queue_head % 8];
	len = queue_len[queue_head % 8];
	for (i = 0; i < msg->msg_iovlen && copied < len; i++) {
		size_t l = msg->msg_iov[i].iov_len;

		if (l > len - copied)
			l = len - copied;
		memcpy(msg->msg_iov[i].iov_base, d + copied, l);
		copied += l;
	}
	if (copied < len)
		msg->msg_flags |= MSG_TRUNC;
	if (!(flags & MSG_PEEK))
		queue_head++;
	return (flags & MSG_TRUNC) ? (ssize_t)len : (ssize_t)copied;
}

ssize_t recv(int fd, void *buf, size_t len, int flags)
{
	struct iovec iov = { buf, len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (!is_fake(fd))
		return REAL(recv)(fd, buf, len, flags);
	return recvmsg(fd, &msg, flags);
}
