// SPDX-License-Identifier: GPL-2.0
#include "packet_socket.hpp"

#include <arpa/inet.h>
#include <linux/dmvpn.h>
#include <linux/if_packet.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <system_error>
#include <vector>

#include "log.hpp"

namespace dmvpnd {
namespace {

sockaddr_ll address(int ifindex) {
  sockaddr_ll sll{};
  sll.sll_family = AF_PACKET;
  sll.sll_protocol = htons(DMVPN_ETH_P_NHRP);
  sll.sll_ifindex = ifindex;
  return sll;
}

} // namespace

PacketSocket::PacketSocket(int ifindex) : ifindex_(ifindex) {
  fd_ = Fd(socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
                  htons(DMVPN_ETH_P_NHRP)));
  if (!fd_)
    throw std::system_error(errno, std::generic_category(), "AF_PACKET");
  sockaddr_ll sll = address(ifindex);
  if (bind(fd_.get(), reinterpret_cast<sockaddr *>(&sll), sizeof(sll)) < 0)
    throw std::system_error(errno, std::generic_category(), "bind AF_PACKET");
}

bool PacketSocket::send(Ip4 nbma, std::span<const std::uint8_t> frame) {
  sockaddr_ll sll = address(ifindex_);
  sll.sll_halen = 4;
  std::memcpy(sll.sll_addr, &nbma.be, 4);
  if (sendto(fd_.get(), frame.data(), frame.size(), 0,
             reinterpret_cast<sockaddr *>(&sll), sizeof(sll)) < 0) {
    log(Level::debug, "send to {}: {}", nbma.str(), std::strerror(errno));
    return false;
  }
  return true;
}

void PacketSocket::read(
    const std::function<void(Ip4, std::span<const std::uint8_t>)> &fn) {
  std::vector<std::uint8_t> buf(65536);
  for (int i = 0; i < 256; ++i) {
    sockaddr_ll sll{};
    socklen_t len = sizeof(sll);
    ssize_t n = recvfrom(fd_.get(), buf.data(), buf.size(), 0,
                         reinterpret_cast<sockaddr *>(&sll), &len);
    if (n < 0)
      return;
    if (sll.sll_pkttype == PACKET_OUTGOING || sll.sll_halen != 4)
      continue;
    Ip4 from;
    std::memcpy(&from.be, sll.sll_addr, 4);
    fn(from, {buf.data(), static_cast<std::size_t>(n)});
  }
}

} // namespace dmvpnd
