// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/socket.h>

#include "nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

static struct nl_sock *sk;
static int family;

static struct nla_policy dmvpn_policy[DMVPN_A_MAX + 1] = {
	[DMVPN_A_IFINDEX] = { .type = NLA_U32 },
	[DMVPN_A_IFNAME] = { .type = NLA_STRING },
	[DMVPN_A_LOCAL] = { .minlen = 4 },
	[DMVPN_A_KEY] = { .type = NLA_U32 },
	[DMVPN_A_LINK] = { .type = NLA_U32 },
	[DMVPN_A_TTL] = { .type = NLA_U8 },
	[DMVPN_A_TOS] = { .type = NLA_U8 },
	[DMVPN_A_MAX_ENTRIES] = { .type = NLA_U32 },
	[DMVPN_A_ENTRY_COUNT] = { .type = NLA_U32 },
	[DMVPN_A_STATS] = { .type = NLA_NESTED },
	[DMVPN_A_ENTRY] = { .type = NLA_NESTED },
	[DMVPN_A_MCAST] = { .type = NLA_NESTED },
	[DMVPN_A_EVENT] = { .type = NLA_U8 },
	[DMVPN_A_REPLACE] = { .type = NLA_FLAG },
	[DMVPN_A_CONFIG] = { .type = NLA_NESTED },
	[DMVPN_A_NHS] = { .type = NLA_NESTED },
};

int dmvpn_nl_open(void)
{
	int one = 1;
	int err;

	sk = nl_socket_alloc();
	if (!sk) {
		fprintf(stderr, "Error: cannot allocate netlink socket\n");
		return -ENOMEM;
	}
	err = genl_connect(sk);
	if (err < 0) {
		fprintf(stderr, "Error: cannot open generic netlink socket: %s\n",
			nl_geterror(err));
		goto err;
	}
	/*
	 * libnl 3.7 has no extended ack API: ask for the TLVs here and
	 * parse them in the callbacks below.  Capped acks leave our request
	 * out of the reply.  Kernels without these options fail the calls;
	 * errors are then reported by errno alone.
	 */
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_EXT_ACK, &one,
		   sizeof(one));
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_CAP_ACK, &one,
		   sizeof(one));

	family = genl_ctrl_resolve(sk, DMVPN_GENL_NAME);
	if (family < 0) {
		err = family;
		if (err == -NLE_OBJ_NOTFOUND)
			fprintf(stderr,
				"dmvpn kernel module not loaded (generic netlink family '%s' not found)\n",
				DMVPN_GENL_NAME);
		else
			fprintf(stderr,
				"Error: cannot resolve generic netlink family '%s': %s\n",
				DMVPN_GENL_NAME, nl_geterror(err));
		goto err;
	}
	return 0;
err:
	nl_socket_free(sk);
	sk = NULL;
	return err;
}

void dmvpn_nl_close(void)
{
	if (sk)
		nl_socket_free(sk);
	sk = NULL;
}

int dmvpn_nl_fd(void)
{
	return nl_socket_get_fd(sk);
}

struct nl_msg *dmvpn_nl_req(__u8 cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0,
				 flags, cmd, DMVPN_GENL_VERSION)) {
		fprintf(stderr, "Error: out of memory\n");
		exit(1);
	}
	return msg;
}

struct nl_msg *dmvpn_nl_dev_req(__u32 ifindex)
{
	struct nl_msg *req;

	if (!ifindex)
		return dmvpn_nl_req(DMVPN_CMD_DEV_GET, NLM_F_DUMP);
	req = dmvpn_nl_req(DMVPN_CMD_DEV_GET, 0);
	nla_put_u32(req, DMVPN_A_IFINDEX, ifindex);
	return req;
}

static void print_ext_ack_msg(bool is_err, const char *msg)
{
	size_t len = strlen(msg);

	/* Same wording as iproute2's libnetlink, which will print these. */
	fprintf(stderr, "%s: %s%s\n", is_err ? "Error" : "Warning", msg,
		len && msg[len - 1] == '.' ? "" : ".");
}

/*
 * The TLVs start at offset bytes into the payload of nlh, which is an
 * NLMSG_ERROR or NLMSG_DONE.  Print them; return whether anything was.
 */
static bool print_ext_ack(struct nlmsghdr *nlh, size_t offset, int error)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	struct nlattr *head;
	int len;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return false;
	offset = NLMSG_ALIGN(offset);
	if (offset > (size_t)nlmsg_datalen(nlh))
		return false;
	head = (struct nlattr *)((char *)nlmsg_data(nlh) + offset);
	len = nlmsg_datalen(nlh) - offset;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX, head, len, NULL) < 0)
		return false;

	if (tb[NLMSGERR_ATTR_MSG]) {
		const char *s = nla_data(tb[NLMSGERR_ATTR_MSG]);
		size_t slen = nla_len(tb[NLMSGERR_ATTR_MSG]);

		/* Only a NUL-terminated, non-empty string is a message. */
		if (slen && strnlen(s, slen) < slen && *s) {
			print_ext_ack_msg(error, s);
			return true;
		}
	}
	/* GENL_REQ_ATTR_CHECK() reports a missing attribute without text. */
	if (error && tb[NLMSGERR_ATTR_MISS_TYPE] &&
	    nla_len(tb[NLMSGERR_ATTR_MISS_TYPE]) >= 4) {
		fprintf(stderr, "Error: %s (missing attribute %u%s).\n",
			strerror(-error),
			nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]),
			tb[NLMSGERR_ATTR_MISS_NEST] ? " in a nest" : "");
		return true;
	}
	return false;
}

static void print_error(struct nlmsghdr *nlh, size_t offset, int error)
{
	if (!print_ext_ack(nlh, offset, error))
		fprintf(stderr, "Error: %s.\n", strerror(-error));
}

static size_t err_tlv_offset(struct nlmsghdr *nlh, const struct nlmsgerr *e)
{
	size_t off = sizeof(*e);

	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	return off;
}

struct talk {
	dmvpn_msg_fn fn;
	void *arg;
	int err;
	bool done;
	bool intr;
};

static int valid_cb(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[DMVPN_A_MAX + 1];
	struct talk *t = arg;
	int err;

	if (nlh->nlmsg_type != family)
		return NL_SKIP;
	err = genlmsg_parse(nlh, 0, tb, DMVPN_A_MAX, dmvpn_policy);
	if (err < 0) {
		fprintf(stderr, "Error: malformed message from kernel: %s\n",
			nl_geterror(err));
		t->err = -EBADMSG;
		t->done = true;
		return NL_STOP;
	}
	err = t->fn ? t->fn(genlmsg_hdr(nlh)->cmd, tb, t->arg) : 0;
	if (err < 0) {
		t->err = err;
		t->done = true;
		return NL_STOP;
	}
	return NL_OK;
}

static int finish_cb(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct talk *t = arg;

	/* A dump that fails after it started reports the errno here. */
	if (nlmsg_datalen(nlh) >= (int)sizeof(int)) {
		int error = *(int *)nlmsg_data(nlh);

		if (error < 0) {
			print_error(nlh, sizeof(int), error);
			t->err = error;
		}
	}
	t->done = true;
	return NL_STOP;
}

static int ack_cb(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct talk *t = arg;

	print_ext_ack(nlh, err_tlv_offset(nlh, nlmsg_data(nlh)), 0);
	t->done = true;
	return NL_STOP;
}

static int error_cb(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	/* libnl hands over the payload; the flags are in the header. */
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct talk *t = arg;

	(void)nla;
	print_error(nlh, err_tlv_offset(nlh, e), e->error);
	t->err = e->error;
	t->done = true;
	return NL_STOP;
}

static int intr_cb(struct nl_msg *msg, void *arg)
{
	struct talk *t = arg;

	(void)msg;
	t->intr = true;
	return NL_OK;
}

static struct nl_cb *talk_cb(struct talk *t)
{
	/* nl_socket_get_cb() takes a reference: the clone is ours alone. */
	struct nl_cb *orig = nl_socket_get_cb(sk);
	struct nl_cb *cb = nl_cb_clone(orig);

	nl_cb_put(orig);
	if (!cb) {
		fprintf(stderr, "Error: out of memory\n");
		exit(1);
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, valid_cb, t);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, finish_cb, t);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, ack_cb, t);
	nl_cb_set(cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, intr_cb, t);
	nl_cb_err(cb, NL_CB_CUSTOM, error_cb, t);
	return cb;
}

int dmvpn_nl_talk(struct nl_msg *req, dmvpn_msg_fn fn, void *arg)
{
	struct talk t = { .fn = fn, .arg = arg };
	struct nl_cb *cb;
	int err;

	err = nl_send_auto(sk, req);
	nlmsg_free(req);
	if (err < 0) {
		fprintf(stderr, "Error: cannot send netlink request: %s\n",
			nl_geterror(err));
		return -EIO;
	}

	cb = talk_cb(&t);
	/* A reply and its ack arrive separately; read until either ends it. */
	while (!t.done) {
		err = nl_recvmsgs(sk, cb);
		if (err < 0 && !t.done) {
			fprintf(stderr, "Error: netlink receive failed: %s\n",
				nl_geterror(err));
			t.err = -EIO;
			break;
		}
	}
	nl_cb_put(cb);
	if (t.intr && !t.err)
		fprintf(stderr, "Dump was interrupted and may be inconsistent.\n");
	return t.err;
}

int dmvpn_nl_subscribe(void)
{
	int grp, err;

	grp = genl_ctrl_resolve_grp(sk, DMVPN_GENL_NAME, DMVPN_MCGRP_EVENTS);
	if (grp < 0) {
		fprintf(stderr, "Error: cannot resolve multicast group '%s': %s\n",
			DMVPN_MCGRP_EVENTS, nl_geterror(grp));
		return grp;
	}
	err = nl_socket_add_membership(sk, grp);
	if (err < 0) {
		fprintf(stderr, "Error: cannot join multicast group '%s': %s\n",
			DMVPN_MCGRP_EVENTS, nl_geterror(err));
		return err;
	}
	/* Events are unsolicited: sequence number 0, no request to match. */
	nl_socket_disable_seq_check(sk);
	/* Bursts of expiries must not overrun the default 208 KiB. */
	nl_socket_set_buffer_size(sk, 4 << 20, 0);
	return nl_socket_set_nonblocking(sk);
}

int dmvpn_nl_recv(dmvpn_msg_fn fn, void *arg)
{
	struct talk t = { .fn = fn, .arg = arg };
	struct nl_cb *cb = talk_cb(&t);
	int err;

	err = nl_recvmsgs(sk, cb);
	nl_cb_put(cb);
	if (t.err)
		return t.err;
	if (err == -NLE_AGAIN)
		return 0;
	/* nl_syserr2nlerr() folds ENOBUFS into NLE_NOMEM. */
	if (err == -NLE_NOMEM)
		return -ENOBUFS;
	if (err < 0) {
		fprintf(stderr, "Error: netlink receive failed: %s\n",
			nl_geterror(err));
		return -EIO;
	}
	return 0;
}
