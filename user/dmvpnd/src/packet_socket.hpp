// SPDX-License-Identifier: GPL-2.0
// NHRP frames of one dmvpn device: AF_PACKET, SOCK_DGRAM, protocol 0x2001,
// the link-layer address being the peer's NBMA address.
#pragma once

#include <cstdint>
#include <functional>
#include <span>

#include "fd.hpp"
#include "ip4.hpp"

namespace dmvpnd {

class PacketSocket {
public:
  // Throws std::system_error.
  explicit PacketSocket(int ifindex);

  [[nodiscard]] int fd() const { return fd_.get(); }
  bool send(Ip4 nbma, std::span<const std::uint8_t> frame);
  // Reads every queued frame.
  void read(const std::function<void(Ip4, std::span<const std::uint8_t>)> &fn);

private:
  Fd fd_;
  int ifindex_;
};

} // namespace dmvpnd
