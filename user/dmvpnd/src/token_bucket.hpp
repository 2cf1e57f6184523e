// SPDX-License-Identifier: GPL-2.0
// Output rate limit: a token bucket refilled from the timer clock.
#pragma once

#include <algorithm>
#include <chrono>

#include "timer_queue.hpp"

namespace dmvpnd {

class TokenBucket {
public:
  TokenBucket(double burst, double per_second)
      : burst_(burst), rate_(per_second), tokens_(burst) {}

  bool take(TimePoint now) {
    if (last_ != TimePoint{}) {
      std::chrono::duration<double> dt = now - last_;
      tokens_ = std::min(burst_, tokens_ + dt.count() * rate_);
    }
    last_ = now;
    if (tokens_ < 1.0)
      return false;
    tokens_ -= 1.0;
    return true;
  }

  // Refilled to the brim by `now`: indistinguishable from a new bucket.
  [[nodiscard]] bool full(TimePoint now) const {
    std::chrono::duration<double> dt = now - last_;
    return last_ == TimePoint{} || tokens_ + dt.count() * rate_ >= burst_;
  }

private:
  double burst_;
  double rate_;
  double tokens_;
  TimePoint last_{};
};

} // namespace dmvpnd
