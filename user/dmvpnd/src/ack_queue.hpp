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
  // Completes every outstanding request with `err`.
  void fail_all(int err);
  [[nodiscard]] std::size_t pending() const { return waiting_.size(); }

private:
  std::uint32_t next_;
  std::map<std::uint32_t, Done> waiting_;
};

} // namespace dmvpnd
