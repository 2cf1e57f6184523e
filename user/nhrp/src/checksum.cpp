// SPDX-License-Identifier: GPL-2.0
#include "nhrp/checksum.hpp"

#include "nhrp/constants.hpp"

namespace nhrp {

std::uint16_t checksum(std::span<const std::uint8_t> data) {
  std::uint32_t sum = 0;
  std::size_t i = 0;
  for (; i + 1 < data.size(); i += 2)
    sum += static_cast<std::uint32_t>(data[i] << 8 | data[i + 1]);
  if (i < data.size())
    sum += static_cast<std::uint32_t>(data[i] << 8);
  while (sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum & 0xffff);
}

bool checksum_ok(std::span<const std::uint8_t> packet) {
  return packet.size() >= kFixedHeaderSize && checksum(packet) == 0;
}

} // namespace nhrp
