// SPDX-License-Identifier: GPL-2.0
#include "rtnl.hpp"

#include <linux/rtnetlink.h>
#include <netlink/addr.h>
#include <netlink/cache.h>
#include <netlink/msg.h>
#include <netlink/route/addr.h>
#include <netlink/socket.h>
#include <sys/socket.h>

#include <cstring>
#include <fmt/core.h>
#include <memory>

namespace dmvpnd {
namespace {

NlSock connect_route() {
  NlSock s(nl_socket_alloc());
  if (!s)
    throw NetlinkError("cannot allocate a netlink socket");
  if (int err = nl_connect(s.get(), NETLINK_ROUTE); err < 0)
    throw NetlinkError(
        fmt::format("cannot open rtnetlink: {}", nl_geterror(err)));
  return s;
}

struct CacheDeleter {
  void operator()(nl_cache *c) const { nl_cache_free(c); }
};

} // namespace

Rtnl::Rtnl() : req_(connect_route()), events_(nl_socket_alloc()) {
  if (!events_)
    throw NetlinkError("cannot allocate a netlink socket");
  nl_socket_disable_seq_check(events_.get());
  if (nl_connect(events_.get(), NETLINK_ROUTE) < 0 ||
      nl_socket_add_memberships(events_.get(), RTNLGRP_LINK,
                                RTNLGRP_IPV4_IFADDR, 0) < 0)
    throw NetlinkError("cannot subscribe to rtnetlink events");
  nl_socket_set_nonblocking(events_.get());
}

std::optional<Ip4> Rtnl::first_ipv4(int ifindex) {
  nl_cache *raw = nullptr;
  if (rtnl_addr_alloc_cache(req_.get(), &raw) < 0)
    return std::nullopt;
  std::unique_ptr<nl_cache, CacheDeleter> cache(raw);
  for (nl_object *o = nl_cache_get_first(raw); o; o = nl_cache_get_next(o)) {
    auto *a = reinterpret_cast<rtnl_addr *>(o);
    if (rtnl_addr_get_ifindex(a) != ifindex ||
        rtnl_addr_get_family(a) != AF_INET)
      continue;
    nl_addr *local = rtnl_addr_get_local(a);
    if (!local || nl_addr_get_len(local) != 4)
      continue;
    Ip4 ip;
    std::memcpy(&ip.be, nl_addr_get_binary_addr(local), 4);
    return ip;
  }
  return std::nullopt;
}

namespace {

std::optional<Ip4> ip4_attr(const nlattr *a) {
  if (!a || nla_len(a) != 4)
    return std::nullopt;
  Ip4 ip;
  std::memcpy(&ip.be, nla_data(a), 4);
  return ip;
}

// One RTM_NEWROUTE answer; of a multipath route, its first nexthop.
int parse_route(nl_msg *m, void *arg) {
  auto &out = *static_cast<std::optional<Route> *>(arg);
  nlmsghdr *h = nlmsg_hdr(m);
  if (h->nlmsg_type != RTM_NEWROUTE)
    return NL_SKIP;
  const auto *rtm = static_cast<const rtmsg *>(nlmsg_data(h));
  if (rtm->rtm_type != RTN_UNICAST && rtm->rtm_type != RTN_LOCAL)
    return NL_SKIP;
  nlattr *tb[RTA_MAX + 1];
  if (nlmsg_parse(h, sizeof(*rtm), tb, RTA_MAX, nullptr) < 0)
    return NL_SKIP;
  Route r;
  r.prefixlen = rtm->rtm_dst_len;
  r.local = rtm->rtm_type == RTN_LOCAL;
  if (tb[RTA_OIF])
    r.oif = static_cast<int>(nla_get_u32(tb[RTA_OIF]));
  r.gateway = ip4_attr(tb[RTA_GATEWAY]);
  if (tb[RTA_MULTIPATH] &&
      nla_len(tb[RTA_MULTIPATH]) >= static_cast<int>(sizeof(rtnexthop))) {
    const auto *nh =
        static_cast<const rtnexthop *>(nla_data(tb[RTA_MULTIPATH]));
    r.oif = nh->rtnh_ifindex;
    int len = nh->rtnh_len - static_cast<int>(RTNH_LENGTH(0));
    if (len > 0 && nh->rtnh_len <= nla_len(tb[RTA_MULTIPATH])) {
      nlattr *ntb[RTA_MAX + 1];
      // rtattr and nlattr are the same layout.
      auto *first =
          reinterpret_cast<nlattr *>(RTNH_DATA(const_cast<rtnexthop *>(nh)));
      if (nla_parse(ntb, RTA_MAX, first, len, nullptr) == 0)
        r.gateway = ip4_attr(ntb[RTA_GATEWAY]);
    }
  }
  out = r;
  return NL_OK;
}

} // namespace

std::optional<Route> Rtnl::route_to(Ip4 dst) {
  std::unique_ptr<nl_msg, decltype(&nlmsg_free)> msg(
      nlmsg_alloc_simple(RTM_GETROUTE, NLM_F_REQUEST), &nlmsg_free);
  if (!msg)
    return std::nullopt;
  rtmsg rtm{};
  rtm.rtm_family = AF_INET;
  rtm.rtm_dst_len = 32;
  rtm.rtm_flags = RTM_F_FIB_MATCH;
  if (nlmsg_append(msg.get(), &rtm, sizeof(rtm), NLMSG_ALIGNTO) < 0 ||
      nla_put(msg.get(), RTA_DST, 4, &dst.be) < 0 ||
      nl_send_auto(req_.get(), msg.get()) < 0)
    return std::nullopt;
  std::optional<Route> out;
  std::unique_ptr<nl_cb, decltype(&nl_cb_put)> cb(nl_cb_alloc(NL_CB_DEFAULT),
                                                  &nl_cb_put);
  if (!cb)
    return std::nullopt;
  nl_cb_set(cb.get(), NL_CB_VALID, NL_CB_CUSTOM, parse_route, &out);
  // No route is an error answer (ENETUNREACH), which is also the ack;
  // else the ack follows the route (nl_send_auto asked for one).
  if (nl_recvmsgs(req_.get(), cb.get()) < 0 || nl_wait_for_ack(req_.get()) < 0)
    return std::nullopt;
  return out;
}

int Rtnl::event_fd() const { return nl_socket_get_fd(events_.get()); }

void Rtnl::drain() {
  char buf[8192];
  while (recv(event_fd(), buf, sizeof(buf), MSG_DONTWAIT) > 0) {
  }
}

} // namespace dmvpnd
