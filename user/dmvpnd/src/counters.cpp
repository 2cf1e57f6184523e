// SPDX-License-Identifier: GPL-2.0
#include "counters.hpp"

#include <fmt/core.h>

namespace dmvpnd {

std::string Counters::summary() const {
  static const char *names[] = {"other",     "res-req", "res-rep",
                                "reg-req",   "reg-rep", "purge-req",
                                "purge-rep", "error",   "traffic"};
  std::string s = "rx";
  for (std::size_t i = 0; i < rx.size(); ++i)
    if (rx[i])
      s += fmt::format(" {}={}", names[i], rx[i]);
  s += " tx";
  for (std::size_t i = 0; i < tx.size(); ++i)
    if (tx[i])
      s += fmt::format(" {}={}", names[i], tx[i]);
  s += fmt::format(" auth-failures={} rate-limited={}", auth_failures,
                   rate_limited);
  for (const auto &[reason, n] : drops)
    s += fmt::format(" drop-{}={}", reason, n);
  return s;
}

} // namespace dmvpnd
