// SPDX-License-Identifier: GPL-2.0
// rtnetlink: the tunnel address of a device, and a socket that wakes us on
// link and IPv4 address changes.
#pragma once

#include <optional>

#include "genl.hpp"
#include "ip4.hpp"
#include "kernel_types.hpp"

namespace dmvpnd {

class Rtnl {
public:
  Rtnl();
  // The first IPv4 address of the device.
  std::optional<Ip4> first_ipv4(int ifindex);
  // The route the FIB would use for `dst` (RTM_F_FIB_MATCH: the matching
  // route with its prefix length); none without a unicast or local one.
  std::optional<Route> route_to(Ip4 dst);
  [[nodiscard]] int event_fd() const;
  // Discards what is queued; the caller resynchronises.
  void drain();

private:
  NlSock req_;
  NlSock events_;
};

} // namespace dmvpnd
