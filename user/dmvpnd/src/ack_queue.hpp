// SPDX-License-Identifier: GPL-2.0
// Netlink requests sent in batches, each waiting for its ack: the
// completion of each is matched by sequence number, so acks may come in
// any order and a lost socket fails whatever is still outstanding.
#pragma once

#include <cstdint>
#include <functional>
#include <map>

namespace dmvpnd {

class AckQueue {
public:
  using Done = std::function<void(int err)>; // 0 or a negative errno

  explicit AckQueue(std::uint32_t first_seq = 1) : next_(first_seq) {}

  // Registers a request; returns the sequence number to send it with.
  std::uint32_t add(Done done);
  // The ack (err 0) or error for `seq`; false when nothing waits for it.
  // The callback may add requests.
  bool complete(std::uint32_t seq, int err);
  // Completes the outstanding requests up to `last` (in sequence order)
  // with `err`, leaving the ones their callbacks queued for the next batch.
  void fail_through(std::uint32_t last, int err);
  [[nodiscard]] std::size_t pending() const { return waiting_.size(); }
  // The sequence number add() gave last.
  [[nodiscard]] std::uint32_t last_issued() const { return next_ - 1; }
  // Whether a request up to `last` still waits: a batch waits for its own
  // acks only, not for requests its callbacks queued but nobody sent yet.
  [[nodiscard]] bool waiting_through(std::uint32_t last) const;

private:
  std::uint32_t next_;
  std::map<std::uint32_t, Done> waiting_;
};

} // namespace dmvpnd
