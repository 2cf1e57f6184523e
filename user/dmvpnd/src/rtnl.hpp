// SPDX-License-Identifier: GPL-2.0
// rtnetlink: the tunnel address of a device, and a socket that wakes us on
// link and IPv4 address changes.
#pragma once

#include <optional>

#include "genl.hpp"
#include "ip4.hpp"

namespace dmvpnd {

class Rtnl {
public:
  Rtnl();
  // The first IPv4 address of the device.
  std::optional<Ip4> first_ipv4(int ifindex);
  [[nodiscard]] int event_fd() const;
  // Discards what is queued; the caller resynchronises.
  void drain();

private:
  NlSock req_;
  NlSock events_;
};

} // namespace dmvpnd
