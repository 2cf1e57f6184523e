// SPDX-License-Identifier: GPL-2.0
#include "ack_queue.hpp"

#include <utility>
#include <vector>

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

// Sequence numbers wrap: "up to" is serial-number order.
static bool at_or_before(std::uint32_t seq, std::uint32_t last) {
  return static_cast<std::int32_t>(seq - last) <= 0;
}

bool AckQueue::waiting_through(std::uint32_t last) const {
  for (const auto &entry : waiting_)
    if (at_or_before(entry.first, last))
      return true;
  return false;
}

void AckQueue::fail_through(std::uint32_t last, int err) {
  std::vector<std::uint32_t> seqs;
  for (const auto &entry : waiting_)
    if (at_or_before(entry.first, last))
      seqs.push_back(entry.first);
  for (auto seq : seqs)
    complete(seq, err);
}

} // namespace dmvpnd
