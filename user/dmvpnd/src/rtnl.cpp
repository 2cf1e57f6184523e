// SPDX-License-Identifier: GPL-2.0
#include "rtnl.hpp"

#include <linux/rtnetlink.h>
#include <netlink/addr.h>
#include <netlink/cache.h>
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

int Rtnl::event_fd() const { return nl_socket_get_fd(events_.get()); }

void Rtnl::drain() {
  char buf[8192];
  while (recv(event_fd(), buf, sizeof(buf), MSG_DONTWAIT) > 0) {
  }
}

} // namespace dmvpnd
