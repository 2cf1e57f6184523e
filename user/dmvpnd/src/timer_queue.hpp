// SPDX-License-Identifier: GPL-2.0
// Timers on a monotonic clock that the owner advances: the event loop with
// the real clock, unit tests with a fake one. A Timer cancels itself when
// destroyed, so state that dies takes its pending callbacks with it.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>

namespace dmvpnd {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;
using Duration = Clock::duration;

class TimerQueue {
public:
  using Id = std::uint64_t;

  [[nodiscard]] TimePoint now() const { return now_; }
  Id add(TimePoint when, std::function<void()> fn);
  void cancel(Id id);
  // Sets the clock and runs every callback that is due (including ones
  // that due callbacks add for the past).
  void advance(TimePoint now);
  [[nodiscard]] std::optional<TimePoint> next_deadline() const;
  [[nodiscard]] std::size_t pending() const { return by_id_.size(); }

private:
  struct Item {
    Id id;
    std::function<void()> fn;
  };
  TimePoint now_{};
  Id next_id_ = 1;
  std::multimap<TimePoint, Item> queue_;
  std::map<Id, std::multimap<TimePoint, Item>::iterator> by_id_;
};

// A one-shot timer owned by its user.
class Timer {
public:
  explicit Timer(TimerQueue &q) : q_(&q) {}
  Timer(const Timer &) = delete;
  Timer &operator=(const Timer &) = delete;
  ~Timer() { cancel(); }

  void start(Duration after, std::function<void()> fn);
  void cancel();
  [[nodiscard]] bool armed() const { return id_ != 0; }

private:
  TimerQueue *q_;
  TimerQueue::Id id_ = 0;
};

} // namespace dmvpnd
