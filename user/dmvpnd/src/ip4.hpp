// SPDX-License-Identifier: GPL-2.0
// IPv4 addresses as dmvpnd passes them around (network byte order inside).
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "nhrp/packet.hpp"

namespace dmvpnd {

struct Ip4 {
  std::uint32_t be = 0; // network byte order

  auto operator<=>(const Ip4 &) const = default;
  [[nodiscard]] bool is_zero() const { return be == 0; }
  [[nodiscard]] nhrp::Bytes bytes() const;
  [[nodiscard]] std::string str() const;
  // The first address of the prefix of length `len` that holds this one.
  [[nodiscard]] Ip4 masked(std::uint8_t len) const;

  static std::optional<Ip4> from_bytes(std::span<const std::uint8_t> b);
  static std::optional<Ip4> parse(std::string_view text);
};

} // namespace dmvpnd
