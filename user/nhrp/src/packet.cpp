// SPDX-License-Identifier: GPL-2.0
#include "nhrp/packet.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <utility>

namespace nhrp {

const Extension *Packet::find_extension(std::uint16_t type) const {
  auto it = std::find_if(extensions.begin(), extensions.end(),
                         [type](const Extension &e) { return e.type == type; });
  return it == extensions.end() ? nullptr : &*it;
}

Extension *Packet::find_extension(std::uint16_t type) {
  return const_cast<Extension *>(std::as_const(*this).find_extension(type));
}

Bytes ipv4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
  return Bytes{a, b, c, d};
}

Bytes ipv6(const std::array<std::uint8_t, 16> &addr) {
  return Bytes(addr.begin(), addr.end());
}

std::optional<Bytes> parse_address(const char *text) {
  std::array<std::uint8_t, 16> buf{};
  if (inet_pton(AF_INET, text, buf.data()) == 1)
    return Bytes(buf.begin(), buf.begin() + 4);
  if (inet_pton(AF_INET6, text, buf.data()) == 1)
    return Bytes(buf.begin(), buf.end());
  return std::nullopt;
}

Extension end_extension() {
  return Extension{true, false, ext::end, RawValue{}};
}

Extension cie_list_extension(std::uint16_t type, std::vector<Cie> cies) {
  return Extension{true, false, type, CieList{std::move(cies)}};
}

Extension authentication_extension(const Bytes &password) {
  return Extension{true, false, ext::authentication,
                   Authentication{1, password}};
}

} // namespace nhrp
