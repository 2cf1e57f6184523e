// SPDX-License-Identifier: GPL-2.0
// Log lines that a peer can trigger: a few per second, then only their
// number ("N suppressed") with the next line that gets through, so that a
// flooding peer can neither fill the journal nor silence the daemon
// under journald's per-service rate limit.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include "log.hpp"
#include "timer_queue.hpp"
#include "token_bucket.hpp"

namespace dmvpnd {

class LogLimit {
public:
  explicit LogLimit(double burst = 10, double per_second = 1)
      : bucket_(burst, per_second) {}

  template <class... Args>
  void log(Level level, TimePoint now, fmt::format_string<Args...> f,
           Args &&...args) {
    if (!log_enabled(level))
      return;
    if (!bucket_.take(now)) {
      ++suppressed_;
      return;
    }
    std::string line = fmt::format(f, std::forward<Args>(args)...);
    if (suppressed_)
      line += fmt::format(" ({} similar suppressed)",
                          std::exchange(suppressed_, 0));
    log_line(level, line);
  }

  [[nodiscard]] std::uint64_t suppressed() const { return suppressed_; }

private:
  TokenBucket bucket_;
  std::uint64_t suppressed_ = 0;
};

} // namespace dmvpnd
