// SPDX-License-Identifier: GPL-2.0
// dmvpnd's IPsec duties against a fake charon: NHRP sent before a peer's
// SA is sent again when the SA comes (and only then, and not forever);
// the kernel's PEER_GONE ends the on-demand IKE_SA to that peer and no
// other; an IKE_SA without a child goes after a sweep's grace.
#include <gtest/gtest.h>

#include "fake_charon.hpp"
#include "protection.hpp"

namespace dmvpnd {
namespace {

using namespace std::chrono_literals;
using T = vici::PacketType;

const char *kSpoke = "198.51.100.9";
const char *kHub = "198.51.100.1";

struct Resent {
  int ifindex;
  Ip4 nbma;
  std::vector<std::uint8_t> frame;
};

struct Prot : ::testing::Test {
  TimerQueue clock;
  testing::FakeCharon fake;
  std::vector<Resent> resent;
  Protection prot{clock,
                  {"/unused", "dmvpn"},
                  [](int, int) {},
                  [this](int i, Ip4 n, std::span<const std::uint8_t> f) {
                    resent.push_back({i, n, {f.begin(), f.end()}});
                  },
                  [this] { return fake.connect(); }};

  void SetUp() override {
    clock.advance(TimePoint{100s});
    prot.start();
  }
  // An event from charon.
  void event(const char *name, const vici::Section &m) {
    fake.put({T::event, name, m});
    prot.link().on_readable();
  }
  // What charon was asked to terminate: IKE_SA ids, and "child N"; and
  // to rekey: "rekey child N".
  std::vector<std::string> terminated() {
    std::vector<std::string> ids;
    for (const auto &p : fake.received()) {
      std::string what = p.name == "rekey" ? "rekey " : "";
      EXPECT_TRUE(p.name == "terminate" || p.name == "rekey") << p.name;
      if (const auto *id = p.message.value("ike-id"))
        ids.push_back(what + *id);
      if (const auto *id = p.message.value("child-id"))
        ids.push_back(what + "child " + *id);
    }
    return ids;
  }
  void later(std::chrono::seconds s) { clock.advance(clock.now() + s); }
};

TEST_F(Prot, FramesWaitForTheirSa) {
  vici::Section hub;
  testing::add_sa(hub, 1, "11", kHub, true, "hub");
  fake.serve_connect(prot.link(), {hub});
  std::vector<std::uint8_t> f1{1, 2, 3}, f2{4, 5};
  prot.sent(7, *Ip4::parse(kHub), f1); // the hub's SA is up: not kept
  prot.sent(7, *Ip4::parse(kSpoke), f1);
  prot.sent(7, *Ip4::parse(kSpoke), f2);
  EXPECT_EQ(prot.waiting(), 2u);
  EXPECT_TRUE(resent.empty());

  vici::Section up;
  up.add("up", "yes");
  testing::add_sa(up, 2, "22", kSpoke);
  event("child-updown", up);
  ASSERT_EQ(resent.size(), 2u);
  EXPECT_EQ(resent[0].ifindex, 7);
  EXPECT_EQ(resent[0].nbma, *Ip4::parse(kSpoke));
  EXPECT_EQ(resent[0].frame, f1);
  EXPECT_EQ(resent[1].frame, f2); // in order
  EXPECT_EQ(prot.waiting(), 0u);
}

TEST_F(Prot, FramesDoNotWaitForever) {
  fake.serve_connect(prot.link(), {});
  std::vector<std::uint8_t> f{1};
  prot.sent(7, *Ip4::parse(kSpoke), f);
  later(10s);
  prot.sent(7, *Ip4::parse(kSpoke), f);
  later(6s); // the first waited 16 s
  EXPECT_EQ(prot.waiting(), 1u);
  later(10s);
  EXPECT_EQ(prot.waiting(), 0u);
  vici::Section up;
  up.add("up", "yes");
  testing::add_sa(up, 2, "22", kSpoke);
  event("child-updown", up);
  EXPECT_TRUE(resent.empty());
}

TEST_F(Prot, PeerGoneEndsOnlyItsOnDemandSa) {
  vici::Section hub, spoke, other;
  testing::add_sa(hub, 1, "11", kHub, true, "hub");
  testing::add_sa(spoke, 2, "22", kSpoke);
  testing::add_sa(other, 3, "33", "198.51.100.13");
  fake.serve_connect(prot.link(), {hub, spoke, other});
  prot.sent(7, *Ip4::parse("198.51.100.17"), std::vector<std::uint8_t>{1});
  prot.on_peer_gone(*Ip4::parse(kSpoke));
  prot.on_peer_gone(*Ip4::parse(kHub)); // a server's SA is not ours
  prot.on_peer_gone(*Ip4::parse("198.51.100.17"));
  EXPECT_EQ(terminated(), std::vector<std::string>{"2"});
  EXPECT_EQ(prot.waiting(), 0u); // nothing waits for a peer that went
}

TEST_F(Prot, ChildlessSaGoesAfterASweep) {
  vici::Section bare, hub;
  testing::add_sa(bare, 4, "44", kSpoke, false);
  testing::add_sa(hub, 1, "11", kHub, false, "hub");
  fake.serve_connect(prot.link(), {bare, hub});
  later(Protection::kSweep);
  EXPECT_TRUE(terminated().empty()); // its child may be on its way
  later(Protection::kSweep);
  EXPECT_EQ(terminated(), std::vector<std::string>{"4"});
}

TEST_F(Prot, DuplicatesEnd) {
  vici::Section a;
  testing::add_sa(a, 5, "0f", kSpoke);
  fake.serve_connect(prot.link(), {a});
  // Both ends keep the IKE_SA with the lower initiator SPI, which this
  // end initiated: once it has a CHILD_SA, that is rekeyed first.
  vici::Section up, child_up;
  up.add("up", "yes");
  testing::add_sa(up, 6, "0a", kSpoke, false);
  event("ike-updown", up);
  EXPECT_TRUE(terminated().empty());
  child_up.add("up", "yes");
  testing::add_sa(child_up, 6, "0a", kSpoke);
  event("child-updown", child_up);
  EXPECT_EQ(terminated(), std::vector<std::string>{"rekey child 60"});
  // Rekeyed: the other's CHILD_SA goes, then, childless, the IKE_SA.
  vici::Section rekeyed;
  testing::add_child_rekey(testing::add_sa(rekeyed, 6, "0a", kSpoke, false), 60,
                           61);
  event("child-rekey", rekeyed);
  EXPECT_EQ(terminated(), std::vector<std::string>{"child 50"});
  vici::Section down;
  down.add("up", "no");
  testing::add_sa(down, 5, "0f", kSpoke);
  event("child-updown", down);
  EXPECT_EQ(terminated(), std::vector<std::string>{"5"});
}

TEST_F(Prot, TellsTheKernelOfTheSasItInitiated) {
  std::vector<std::pair<Ip4, std::uint32_t>> told;
  prot.on_initiated(
      [&](Ip4 n, std::uint32_t spi) { told.emplace_back(n, spi); });
  vici::Section hub, mine, theirs;
  // A server's connection; an on-demand one this end initiated; one it
  // answered.
  testing::add_sa(hub, 1, "11", kHub, true, "hub", "c0000001");
  testing::add_sa(mine, 2, "22", kSpoke, true, "dmvpn", "c0000002");
  testing::add_sa(theirs, 3, "33", "198.51.100.13", true, "dmvpn", "c0000003",
                  false);
  fake.serve_connect(prot.link(), {hub, mine, theirs});
  using Told = std::vector<std::pair<Ip4, std::uint32_t>>;
  EXPECT_EQ(told, (Told{{*Ip4::parse(kSpoke), 0xc0000002}}));
  // Once while it lasts, whatever else happens.
  vici::Section up;
  up.add("up", "yes");
  testing::add_sa(up, 4, "44", "198.51.100.17", true, "dmvpn", "c0000004");
  event("child-updown", up);
  EXPECT_EQ(told, (Told{{*Ip4::parse(kSpoke), 0xc0000002},
                        {*Ip4::parse("198.51.100.17"), 0xc0000004}}));
  // An IKE rekey moves the CHILD_SA to IKE_SA 6: nothing new to tell.
  vici::Section rekey;
  auto &conn = rekey.add_section("dmvpn");
  for (auto [part, id] : {std::pair{"old", 2}, std::pair{"new", 6}})
    conn.add_section(part)
        .add("uniqueid", std::to_string(id))
        .add("state", "ESTABLISHED")
        .add("local-host", "198.51.100.5")
        .add("remote-host", kSpoke)
        .add("initiator", "yes")
        .add("initiator-spi", "66");
  event("ike-rekey", rekey);
  EXPECT_EQ(told.size(), 2U);
  // Gone, then a new CHILD_SA with the same SPI (charon restarted): told.
  vici::Section gone, again;
  gone.add("up", "no");
  testing::add_sa(gone, 6, "66", kSpoke, false);
  event("ike-updown", gone);
  again.add("up", "yes");
  testing::add_sa(again, 7, "77", kSpoke, true, "dmvpn", "c0000002");
  event("child-updown", again);
  EXPECT_EQ(told, (Told{{*Ip4::parse(kSpoke), 0xc0000002},
                        {*Ip4::parse("198.51.100.17"), 0xc0000004},
                        {*Ip4::parse(kSpoke), 0xc0000002}}));
}

} // namespace
} // namespace dmvpnd
