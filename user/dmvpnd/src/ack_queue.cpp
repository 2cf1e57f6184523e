// SPDX-License-Identifier: GPL-2.0
#include "ack_queue.hpp"

#include <utility>

namespace dmvpnd {

std::uint32_t AckQueue::add(Done done) {
  // 0 is left to libnl-style "no sequence" users.
  if (next_ == 0)
    ++next_;
  std::uint32_t seq = next_++;
  waiting_[seq] = std::move(done);
  return seq;
}

bool AckQueue::complete(std::uint32_t seq, int err) {
  auto it = waiting_.find(seq);
  if (it == waiting_.end())
    return false;
  // Erase first: the callback may add requests (and so touch the map).
  Done done = std::move(it->second);
  waiting_.erase(it);
  if (done)
    done(err);
  return true;
}

void AckQueue::fail_all(int err) {
  while (!waiting_.empty())
    complete(waiting_.begin()->first, err);
}

} // namespace dmvpnd
