// SPDX-License-Identifier: GPL-2.0
// NHRP frames of one dmvpn device: AF_PACKET, SOCK_DGRAM, protocol 0x2001,
// the link-layer address being the peer's NBMA address.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "fd.hpp"
#include "ip4.hpp"

namespace dmvpnd {

class PacketSocket {
public:
  // Throws std::system_error.
  explicit PacketSocket(int ifindex);

  [[nodiscard]] int fd() const { return fd_.get(); }
  bool send(Ip4 nbma, std::span<const std::uint8_t> frame);
  // Frames kept for flush(), which sends them many per sendmmsg().
  void queue(Ip4 nbma, std::span<const std::uint8_t> frame);
  void flush();
  // Reads the queued frames (a bounded number per call), many per
  // recvmmsg().
  void read(const std::function<void(Ip4, std::span<const std::uint8_t>)> &fn);
  // Frames the kernel dropped for want of buffer space, in total.
  std::uint64_t drops();

private:
  Fd fd_;
  int ifindex_;
  // Room for a batch of the largest frames, allocated on first use and
  // never zeroed: the kernel writes what it delivers. Zeroing this and
  // Genl's buffers (1.1 MB) was most of what a spoke's dmvpnd ran while
  // it registered (callgrind).
  std::unique_ptr<std::uint8_t[]> rx_buf_;
  std::vector<std::pair<Ip4, std::vector<std::uint8_t>>> tx_queue_;
  std::uint64_t drops_ = 0;
};

} // namespace dmvpnd
