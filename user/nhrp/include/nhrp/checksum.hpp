// SPDX-License-Identifier: GPL-2.0
// The NHRP checksum: IP one's complement over the whole packet.
#pragma once

#include <cstdint>
#include <span>

namespace nhrp {

// One's complement of the one's complement sum of data, odd length padded
// with a zero byte. Over a packet with a correct checksum field it is 0.
std::uint16_t checksum(std::span<const std::uint8_t> data);

// Whether the packet's checksum field verifies.
bool checksum_ok(std::span<const std::uint8_t> packet);

} // namespace nhrp
