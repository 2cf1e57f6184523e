// SPDX-License-Identifier: GPL-2.0
// A token bucket per NBMA source, so that one member that floods (or is
// made to flood) is held to its own share and the others are not starved.
// A source whose bucket has refilled is forgotten: it is as if it had
// never been seen, so the map holds only the recently busy sources.
#pragma once

#include <chrono>
#include <cstdint>
#include <unordered_map>

#include "ip4.hpp"
#include "timer_queue.hpp"
#include "token_bucket.hpp"

namespace dmvpnd {

class SourceLimit {
public:
  SourceLimit(double burst, double per_second)
      : burst_(burst), rate_(per_second) {}

  bool take(Ip4 src, TimePoint now) {
    if (now - last_prune_ > prune_every())
      prune(now);
    return buckets_.try_emplace(src.be, burst_, rate_).first->second.take(now);
  }

  [[nodiscard]] std::size_t tracked() const { return buckets_.size(); }

private:
  // Long enough for any bucket to refill from empty.
  [[nodiscard]] std::chrono::duration<double> prune_every() const {
    return std::chrono::duration<double>(burst_ / rate_ + 1);
  }
  void prune(TimePoint now) {
    last_prune_ = now;
    std::erase_if(buckets_,
                  [&](const auto &kv) { return kv.second.full(now); });
  }

  double burst_;
  double rate_;
  TimePoint last_prune_{};
  std::unordered_map<std::uint32_t, TokenBucket> buckets_;
};

} // namespace dmvpnd
