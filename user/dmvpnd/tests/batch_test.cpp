// SPDX-License-Identifier: GPL-2.0
// The hub with batched kernel requests: decisions use its mirror of the
// registrations, replies wait for the kernel's answer.
#include <gtest/gtest.h>

#include <functional>

#include "device.hpp"
#include "fake_io.hpp"
#include "nhrp/codec.hpp"
#include "nhrp/constants.hpp"

namespace dmvpnd::test {
namespace {

using namespace std::chrono_literals;

// Holds ENTRY_NEW requests until the test answers them, as the daemon's
// batch does until its flush.
class BatchIo : public FakeIo {
public:
  std::vector<std::pair<EntrySpec, std::function<void(int)>>> held;
  void entry_new_async(const EntrySpec &spec,
                       std::function<void(int)> done) override {
    held.emplace_back(spec, std::move(done));
  }
  // Answers every held request: `err` or, when 0, what the cache says.
  void answer(int err = 0) {
    auto batch = std::move(held);
    held.clear();
    for (auto &[spec, done] : batch)
      done(err ? err : entry_new(spec));
  }
};

DeviceInfo hub_info() {
  DeviceInfo d;
  d.ifindex = 5;
  d.name = "dmvpn0";
  d.local = ip("198.51.100.1");
  d.config.role = DMVPN_ROLE_HUB;
  d.config.network_id = 1;
  d.config.holdtime = 30;
  d.has_config = true;
  return d;
}

struct Hub : ::testing::Test {
  TimerQueue clock;
  BatchIo io;
  Device hub{hub_info(), ip("192.0.2.1"), clock, io, 1000};

  void SetUp() override { clock.advance(TimePoint{1000s}); }

  // A unique registration of `proto` claiming (and sent from) `nbma`.
  nhrp::Bytes request(const char *proto, const char *nbma,
                      std::uint32_t id = 7) {
    RequestParams r;
    r.self = {ip(nbma), ip(proto)};
    r.dst_proto = ip("192.0.2.1");
    r.request_id = id;
    r.flags = nhrp::flags::reg_u | 0x0002;
    r.holdtime = 30;
    return *nhrp::encode(registration_request(r));
  }
  std::uint8_t code(std::size_t i) {
    return io.sent.at(i).packet().mandatory()->cies.at(0).code;
  }
};

TEST_F(Hub, ReplyWaitsForTheKernel) {
  hub.on_frame(ip("198.51.100.5"), request("192.0.2.11", "198.51.100.5"));
  EXPECT_TRUE(io.sent.empty());
  ASSERT_EQ(io.held.size(), 1u);
  io.answer();
  ASSERT_EQ(io.sent.size(), 1u);
  EXPECT_EQ(code(0), nhrp::cie_code::success);
  EXPECT_EQ(hub.registrations(), 1u);
}

TEST_F(Hub, CompetingClaimInOneBatchRefused) {
  hub.on_frame(ip("198.51.100.5"), request("192.0.2.11", "198.51.100.5"));
  hub.on_frame(ip("198.51.100.9"), request("192.0.2.11", "198.51.100.9"));
  // The second is refused at once, before the kernel answered the first.
  ASSERT_EQ(io.sent.size(), 1u);
  EXPECT_EQ(io.sent[0].to, ip("198.51.100.9"));
  EXPECT_EQ(code(0), nhrp::cie_code::already_registered);
  ASSERT_EQ(io.held.size(), 1u);
  io.answer();
  ASSERT_EQ(io.sent.size(), 2u);
  EXPECT_EQ(io.sent[1].to, ip("198.51.100.5"));
  EXPECT_EQ(code(1), nhrp::cie_code::success);
  EXPECT_EQ(io.cache[ip("192.0.2.11")].nbma, ip("198.51.100.5"));
}

TEST_F(Hub, KernelRefusalRepliesFailureAndForgetsTheClaim) {
  hub.on_frame(ip("198.51.100.5"), request("192.0.2.11", "198.51.100.5"));
  io.answer(-28); // ENOSPC: the cache is full
  ASSERT_EQ(io.sent.size(), 1u);
  EXPECT_EQ(code(0), nhrp::cie_code::insufficient_resources);
  EXPECT_EQ(hub.registrations(), 0u);
  EXPECT_FALSE(io.cache.count(ip("192.0.2.11")));
  // So another spoke may take the address.
  hub.on_frame(ip("198.51.100.9"), request("192.0.2.11", "198.51.100.9"));
  io.answer();
  EXPECT_EQ(code(1), nhrp::cie_code::success);
}

TEST_F(Hub, RefusedRefreshKeepsTheOldBinding) {
  hub.on_frame(ip("198.51.100.5"), request("192.0.2.11", "198.51.100.5"));
  io.answer();
  hub.on_frame(ip("198.51.100.5"), request("192.0.2.11", "198.51.100.5", 8));
  io.answer(-12);
  EXPECT_EQ(code(1), nhrp::cie_code::insufficient_resources);
  EXPECT_EQ(hub.registrations(), 1u);
  hub.on_frame(ip("198.51.100.9"), request("192.0.2.11", "198.51.100.9"));
  EXPECT_EQ(code(2), nhrp::cie_code::already_registered);
}

TEST_F(Hub, MirrorFollowsKernelCacheAndEvents) {
  KernelEntry reg{ip("192.0.2.11"),
                  32,
                  ip("198.51.100.5"),
                  DMVPN_ENTRY_DYNAMIC,
                  DMVPN_F_REGISTERED | DMVPN_F_UNIQUE,
                  20,
                  std::nullopt};
  KernelEntry other{ip("192.0.2.12"),   32, ip("198.51.100.6"),
                    DMVPN_ENTRY_STATIC, 0,  std::nullopt,
                    std::nullopt};
  hub.adopt({reg, other});
  EXPECT_EQ(hub.registrations(), 1u);
  hub.on_frame(ip("198.51.100.9"), request("192.0.2.11", "198.51.100.9"));
  EXPECT_EQ(code(0), nhrp::cie_code::already_registered);
  // The administrator replaced it with a static entry: no longer a
  // registration to protect.
  KernelEntry mine = reg;
  mine.type = DMVPN_ENTRY_STATIC;
  mine.flags = 0;
  hub.on_entry_added(mine);
  EXPECT_EQ(hub.registrations(), 0u);
  hub.on_entry_added(reg);
  EXPECT_EQ(hub.registrations(), 1u);
  hub.on_entry_gone(reg);
  EXPECT_EQ(hub.registrations(), 0u);
  hub.on_frame(ip("198.51.100.9"), request("192.0.2.11", "198.51.100.9"));
  io.answer();
  EXPECT_EQ(code(1), nhrp::cie_code::success);
}

} // namespace
} // namespace dmvpnd::test
