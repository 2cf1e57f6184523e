// SPDX-License-Identifier: GPL-2.0
#include "packet_socket.hpp"

#include <arpa/inet.h>
#include <linux/dmvpn.h>
#include <linux/if_packet.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <system_error>

#include "log.hpp"

namespace dmvpnd {
namespace {

// Frames per recvmmsg()/sendmmsg(), and the largest frame we take (an
// NHRP packet fits a tunnel MTU; bigger ones are dropped as truncated).
constexpr std::size_t batch = 64;
constexpr std::size_t max_frame = 9216;
// Registration bursts from thousands of spokes must not be dropped
// before we get to them.
constexpr int rcvbuf = 8 << 20;

sockaddr_ll address(int ifindex) {
  sockaddr_ll sll{};
  sll.sll_family = AF_PACKET;
  sll.sll_protocol = htons(DMVPN_ETH_P_NHRP);
  sll.sll_ifindex = ifindex;
  return sll;
}

sockaddr_ll peer(int ifindex, Ip4 nbma) {
  sockaddr_ll sll = address(ifindex);
  sll.sll_halen = 4;
  std::memcpy(sll.sll_addr, &nbma.be, 4);
  return sll;
}

} // namespace

PacketSocket::PacketSocket(int ifindex) : ifindex_(ifindex) {
  fd_ = Fd(socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
                  htons(DMVPN_ETH_P_NHRP)));
  if (!fd_)
    throw std::system_error(errno, std::generic_category(), "AF_PACKET");
  int size = rcvbuf;
  if (setsockopt(fd_.get(), SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) <
      0)
    setsockopt(fd_.get(), SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
  sockaddr_ll sll = address(ifindex);
  if (bind(fd_.get(), reinterpret_cast<sockaddr *>(&sll), sizeof(sll)) < 0)
    throw std::system_error(errno, std::generic_category(), "bind AF_PACKET");
}

bool PacketSocket::send(Ip4 nbma, std::span<const std::uint8_t> frame) {
  sockaddr_ll sll = peer(ifindex_, nbma);
  if (sendto(fd_.get(), frame.data(), frame.size(), 0,
             reinterpret_cast<sockaddr *>(&sll), sizeof(sll)) < 0) {
    log(Level::debug, "send to {}: {}", nbma.str(), std::strerror(errno));
    return false;
  }
  return true;
}

void PacketSocket::queue(Ip4 nbma, std::span<const std::uint8_t> frame) {
  tx_queue_.emplace_back(nbma,
                         std::vector<std::uint8_t>(frame.begin(), frame.end()));
}

void PacketSocket::flush() {
  std::array<sockaddr_ll, batch> addrs;
  std::array<iovec, batch> iov;
  std::array<mmsghdr, batch> msgs;
  std::size_t done = 0;
  while (done < tx_queue_.size()) {
    std::size_t n = std::min(batch, tx_queue_.size() - done);
    for (std::size_t i = 0; i < n; ++i) {
      auto &[nbma, bytes] = tx_queue_[done + i];
      addrs[i] = peer(ifindex_, nbma);
      iov[i] = {bytes.data(), bytes.size()};
      msgs[i] = {};
      msgs[i].msg_hdr.msg_name = &addrs[i];
      msgs[i].msg_hdr.msg_namelen = sizeof(addrs[i]);
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
    }
    int sent = sendmmsg(fd_.get(), msgs.data(), static_cast<unsigned>(n), 0);
    if (sent <= 0) {
      if (sent < 0 && errno == EINTR)
        continue;
      // sendmmsg() stops at the first failing frame: report it, skip it.
      log(Level::debug, "send to {}: {}", tx_queue_[done].first.str(),
          std::strerror(errno));
      sent = 1;
    }
    done += static_cast<std::size_t>(sent);
  }
  tx_queue_.clear();
}

void PacketSocket::read(
    const std::function<void(Ip4, std::span<const std::uint8_t>)> &fn) {
  if (!rx_buf_)
    rx_buf_ = std::make_unique_for_overwrite<std::uint8_t[]>(batch * max_frame);
  std::array<sockaddr_ll, batch> from;
  std::array<iovec, batch> iov;
  std::array<mmsghdr, batch> msgs;
  // Bounded, so that timers and events get their turn under a flood.
  for (int round = 0; round < 8; ++round) {
    for (std::size_t i = 0; i < batch; ++i) {
      from[i] = {};
      iov[i] = {rx_buf_.get() + i * max_frame, max_frame};
      msgs[i] = {};
      msgs[i].msg_hdr.msg_name = &from[i];
      msgs[i].msg_hdr.msg_namelen = sizeof(from[i]);
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
    }
    int n = recvmmsg(fd_.get(), msgs.data(), batch, MSG_DONTWAIT, nullptr);
    if (n <= 0)
      return;
    for (std::size_t i = 0; i < static_cast<std::size_t>(n); ++i) {
      const sockaddr_ll &sll = from[i];
      if (sll.sll_pkttype == PACKET_OUTGOING || sll.sll_halen != 4 ||
          (msgs[i].msg_hdr.msg_flags & MSG_TRUNC))
        continue;
      Ip4 src;
      std::memcpy(&src.be, sll.sll_addr, 4);
      fn(src, {rx_buf_.get() + i * max_frame, msgs[i].msg_len});
    }
    if (static_cast<std::size_t>(n) < batch)
      return;
  }
}

std::uint64_t PacketSocket::drops() {
  tpacket_stats st{};
  socklen_t len = sizeof(st);
  // Reading the statistics resets them.
  if (getsockopt(fd_.get(), SOL_PACKET, PACKET_STATISTICS, &st, &len) == 0)
    drops_ += st.tp_drops;
  return drops_;
}

} // namespace dmvpnd
