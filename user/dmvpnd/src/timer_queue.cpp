// SPDX-License-Identifier: GPL-2.0
#include "timer_queue.hpp"

#include <utility>

namespace dmvpnd {

TimerQueue::Id TimerQueue::add(TimePoint when, std::function<void()> fn) {
  Id id = next_id_++;
  auto it = queue_.emplace(when, Item{id, std::move(fn)});
  by_id_.emplace(id, it);
  return id;
}

void TimerQueue::cancel(Id id) {
  auto it = by_id_.find(id);
  if (it == by_id_.end())
    return;
  queue_.erase(it->second);
  by_id_.erase(it);
}

void TimerQueue::advance(TimePoint now) {
  if (now > now_)
    now_ = now;
  while (!queue_.empty() && queue_.begin()->first <= now_) {
    auto fn = std::move(queue_.begin()->second.fn);
    by_id_.erase(queue_.begin()->second.id);
    queue_.erase(queue_.begin());
    fn();
  }
}

std::optional<TimePoint> TimerQueue::next_deadline() const {
  if (queue_.empty())
    return std::nullopt;
  return queue_.begin()->first;
}

void Timer::start(Duration after, std::function<void()> fn) {
  cancel();
  // The callback may restart this timer: forget our id before calling.
  id_ = q_->add(q_->now() + after, [this, fn = std::move(fn)] {
    id_ = 0;
    fn();
  });
}

void Timer::cancel() {
  if (id_)
    q_->cancel(id_);
  id_ = 0;
}

} // namespace dmvpnd
