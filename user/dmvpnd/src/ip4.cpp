// SPDX-License-Identifier: GPL-2.0
#include "ip4.hpp"

#include <arpa/inet.h>

#include <cstring>

namespace dmvpnd {

nhrp::Bytes Ip4::bytes() const {
  nhrp::Bytes b(4);
  std::memcpy(b.data(), &be, 4);
  return b;
}

std::string Ip4::str() const {
  char buf[INET_ADDRSTRLEN];
  in_addr a{};
  a.s_addr = be;
  return inet_ntop(AF_INET, &a, buf, sizeof(buf)) ? buf : "?";
}

std::optional<Ip4> Ip4::from_bytes(std::span<const std::uint8_t> b) {
  if (b.size() != 4)
    return std::nullopt;
  Ip4 a;
  std::memcpy(&a.be, b.data(), 4);
  return a;
}

std::optional<Ip4> Ip4::parse(std::string_view text) {
  std::string s(text);
  in_addr a{};
  if (inet_pton(AF_INET, s.c_str(), &a) != 1)
    return std::nullopt;
  return Ip4{a.s_addr};
}

Ip4 Ip4::masked(std::uint8_t len) const {
  if (len >= 32)
    return *this;
  std::uint32_t mask = len ? ~std::uint32_t{0} << (32 - len) : 0;
  return Ip4{htonl(ntohl(be) & mask)};
}

} // namespace dmvpnd
