// SPDX-License-Identifier: GPL-2.0
// Registration retransmission delays: 1, 2, 4, ... s up to a cap.
#pragma once

#include <algorithm>
#include <chrono>

namespace dmvpnd {

class Backoff {
public:
  static constexpr std::chrono::seconds kFirst{1};
  static constexpr std::chrono::seconds kCap{64};

  std::chrono::seconds next() {
    auto d = cur_;
    cur_ = std::min(cur_ * 2, kCap);
    return d;
  }
  void reset() { cur_ = kFirst; }
  [[nodiscard]] bool at_cap() const { return cur_ == kCap; }

private:
  std::chrono::seconds cur_ = kFirst;
};

} // namespace dmvpnd
