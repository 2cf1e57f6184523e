// SPDX-License-Identifier: GPL-2.0
// Matching batched netlink requests with their acks.
#include <gtest/gtest.h>

#include <vector>

#include "ack_queue.hpp"

namespace dmvpnd::test {
namespace {

TEST(AckQueue, MatchesBySequenceInAnyOrder) {
  AckQueue q(100);
  std::vector<std::pair<int, int>> got; // (request, err)
  auto a = q.add([&](int err) { got.emplace_back(1, err); });
  auto b = q.add([&](int err) { got.emplace_back(2, err); });
  auto c = q.add([&](int err) { got.emplace_back(3, err); });
  EXPECT_EQ(a, 100u);
  EXPECT_EQ(b, 101u);
  EXPECT_EQ(q.pending(), 3u);
  EXPECT_TRUE(q.complete(c, -17));
  EXPECT_TRUE(q.complete(a, 0));
  EXPECT_FALSE(q.complete(a, 0)); // an ack twice: ignored
  EXPECT_FALSE(q.complete(999, 0));
  EXPECT_TRUE(q.complete(b, 0));
  EXPECT_EQ(q.pending(), 0u);
  EXPECT_EQ(got, (std::vector<std::pair<int, int>>{{3, -17}, {1, 0}, {2, 0}}));
}

TEST(AckQueue, FailThroughLeavesTheNextBatch) {
  AckQueue q;
  int failed = 0, ok = 0;
  auto a = q.add([&](int err) { (err ? failed : ok)++; });
  q.add([&](int err) { (err ? failed : ok)++; });
  auto last = q.add([&](int err) { (err ? failed : ok)++; });
  EXPECT_EQ(q.last_issued(), last);
  auto next = q.add([&](int err) { (err ? failed : ok)++; });
  q.complete(a, 0);
  q.fail_through(last, -105);
  EXPECT_EQ(ok, 1);
  EXPECT_EQ(failed, 2);
  EXPECT_EQ(q.pending(), 1u);
  EXPECT_FALSE(q.waiting_through(last));
  EXPECT_TRUE(q.complete(next, 0));
}

TEST(AckQueue, CallbackMayQueueMore) {
  AckQueue q;
  std::uint32_t follow = 0;
  bool follow_done = false;
  auto a = q.add(
      [&](int) { follow = q.add([&](int err) { follow_done = err == 0; }); });
  auto last = q.last_issued();
  EXPECT_TRUE(q.waiting_through(last));
  EXPECT_TRUE(q.complete(a, 0));
  EXPECT_EQ(q.pending(), 1u);
  // The batch of `a` is done: the follow-up waits for the next batch.
  EXPECT_FALSE(q.waiting_through(last));
  EXPECT_TRUE(q.complete(follow, 0));
  EXPECT_TRUE(follow_done);
}

TEST(AckQueue, SkipsZeroOnWrap) {
  AckQueue q(0xffffffffu);
  EXPECT_EQ(q.add(nullptr), 0xffffffffu);
  EXPECT_EQ(q.add(nullptr), 1u);
  EXPECT_TRUE(q.complete(1, 0)); // no callback: nothing to call
}

TEST(AckQueue, WaitingThroughAcrossTheWrap) {
  AckQueue q(0xfffffffeu);
  auto a = q.add(nullptr); // 0xfffffffe
  auto last = q.last_issued();
  auto b = q.add(nullptr); // 0xffffffff, the next batch
  auto c = q.add(nullptr); // 1
  EXPECT_TRUE(q.waiting_through(last));
  EXPECT_TRUE(q.complete(a, 0));
  EXPECT_FALSE(q.waiting_through(last));
  EXPECT_TRUE(q.waiting_through(c));
  EXPECT_TRUE(q.complete(b, 0));
  EXPECT_TRUE(q.waiting_through(c));
}

} // namespace
} // namespace dmvpnd::test
