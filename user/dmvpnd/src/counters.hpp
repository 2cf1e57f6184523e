// SPDX-License-Identifier: GPL-2.0
// Per-device NHRP counters (soft state: they restart with the daemon).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>

namespace dmvpnd {

struct Counters {
  std::array<std::uint64_t, 9> rx{}; // by packet type, 0 = other
  std::array<std::uint64_t, 9> tx{};
  std::map<std::string, std::uint64_t> drops; // by reason
  std::uint64_t auth_failures = 0;
  std::uint64_t rate_limited = 0;

  void drop(const std::string &reason) { ++drops[reason]; }
  [[nodiscard]] std::uint64_t dropped(const std::string &reason) const {
    auto it = drops.find(reason);
    return it == drops.end() ? 0 : it->second;
  }
  [[nodiscard]] std::string summary() const;
};

} // namespace dmvpnd
