// SPDX-License-Identifier: GPL-2.0
#include <gtest/gtest.h>

#include "backoff.hpp"
#include "fake_io.hpp"
#include "messages.hpp"
#include "registration_policy.hpp"
#include "token_bucket.hpp"

namespace dmvpnd::test {
namespace {

using Kind = RegistrationDecision::Kind;

nhrp::Packet request(bool unique, const std::string &auth = "") {
  RequestParams r;
  r.self = {ip("198.51.100.5"), ip("192.0.2.11")};
  r.dst_proto = ip("192.0.2.1");
  r.request_id = 7;
  r.flags = unique ? 0x8002 : 0x0002;
  r.holdtime = 30;
  r.auth = auth;
  return registration_request(r);
}

KernelEntry registered(const char *nbma, bool unique) {
  KernelEntry e;
  e.proto = ip("192.0.2.11");
  e.nbma = ip(nbma);
  e.type = DMVPN_ENTRY_DYNAMIC;
  e.flags = DMVPN_F_REGISTERED | (unique ? DMVPN_F_UNIQUE : 0);
  return e;
}

TEST(Registration, Accept) {
  auto d =
      decide_registration(request(true), ip("198.51.100.5"), "", std::nullopt);
  EXPECT_EQ(d.kind, Kind::accept);
  EXPECT_EQ(d.client_proto, ip("192.0.2.11"));
  EXPECT_EQ(d.client_nbma, ip("198.51.100.5"));
  EXPECT_FALSE(d.nat);
  EXPECT_TRUE(d.unique);
  EXPECT_EQ(d.holdtime, 30);
}

TEST(Registration, Auth) {
  EXPECT_EQ(
      decide_registration(request(true), ip("198.51.100.5"), "pw", std::nullopt)
          .kind,
      Kind::bad_auth);
  EXPECT_EQ(decide_registration(request(true, "other"), ip("198.51.100.5"),
                                "pw", std::nullopt)
                .kind,
            Kind::bad_auth);
  EXPECT_EQ(decide_registration(request(true, "pw"), ip("198.51.100.5"), "pw",
                                std::nullopt)
                .kind,
            Kind::accept);
}

TEST(Registration, NatUsesOuterSource) {
  auto d =
      decide_registration(request(true), ip("203.0.113.7"), "", std::nullopt);
  EXPECT_EQ(d.kind, Kind::accept);
  EXPECT_TRUE(d.nat);
  EXPECT_EQ(d.client_nbma, ip("203.0.113.7"));
  EXPECT_EQ(d.claimed_nbma, ip("198.51.100.5"));
}

TEST(Registration, Unique) {
  // Another NBMA holds the address uniquely: refused, whatever we ask.
  auto other = registered("198.51.100.9", true);
  EXPECT_EQ(
      decide_registration(request(false), ip("198.51.100.5"), "", other).code,
      14);
  // Not unique before, but we ask for uniqueness: refused too.
  auto loose = registered("198.51.100.9", false);
  EXPECT_EQ(
      decide_registration(request(true), ip("198.51.100.5"), "", loose).kind,
      Kind::refuse);
  // Neither unique: the newer registration wins.
  EXPECT_EQ(
      decide_registration(request(false), ip("198.51.100.5"), "", loose).kind,
      Kind::accept);
  // Refresh from the same NBMA.
  auto same = registered("198.51.100.5", true);
  EXPECT_EQ(
      decide_registration(request(true), ip("198.51.100.5"), "", same).kind,
      Kind::accept);
}

TEST(Registration, NoCieIsInvalid) {
  auto p = request(true);
  p.mandatory()->cies.clear();
  EXPECT_EQ(decide_registration(p, ip("198.51.100.5"), "", std::nullopt).kind,
            Kind::invalid);
}

TEST(Backoff, Sequence) {
  Backoff b;
  std::vector<long> got;
  for (int i = 0; i < 9; ++i)
    got.push_back(b.next().count());
  EXPECT_EQ(got, (std::vector<long>{1, 2, 4, 8, 16, 32, 64, 64, 64}));
  b.reset();
  EXPECT_EQ(b.next().count(), 1);
}

TEST(TokenBucket, BurstThenRate) {
  TokenBucket tb(3, 1);
  TimePoint t{std::chrono::seconds(100)};
  EXPECT_TRUE(tb.take(t));
  EXPECT_TRUE(tb.take(t));
  EXPECT_TRUE(tb.take(t));
  EXPECT_FALSE(tb.take(t));
  EXPECT_TRUE(tb.take(t + std::chrono::seconds(1)));
  EXPECT_FALSE(tb.take(t + std::chrono::seconds(1)));
}

TEST(TimerQueue, OrderAndCancel) {
  TimerQueue q;
  std::vector<int> order;
  Timer a(q), b(q), c(q);
  a.start(std::chrono::seconds(2), [&] { order.push_back(2); });
  b.start(std::chrono::seconds(1), [&] { order.push_back(1); });
  c.start(std::chrono::seconds(3), [&] { order.push_back(3); });
  c.cancel();
  q.advance(q.now() + std::chrono::seconds(5));
  EXPECT_EQ(order, (std::vector<int>{1, 2}));
  EXPECT_EQ(q.pending(), 0u);
  {
    Timer d(q);
    d.start(std::chrono::seconds(1), [&] { order.push_back(4); });
  } // destroyed: cancelled
  q.advance(q.now() + std::chrono::seconds(5));
  EXPECT_EQ(order.size(), 2u);
}

} // namespace
} // namespace dmvpnd::test
