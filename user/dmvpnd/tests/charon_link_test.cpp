// SPDX-License-Identifier: GPL-2.0
// dmvpnd's link to charon, against a fake charon at the other end of a
// socket pair: connects, subscribes, lists; follows events; survives
// charon going away; asks for terminations by unique id, once.
#include <gtest/gtest.h>

#include "charon_link.hpp"
#include "fake_charon.hpp"

namespace dmvpnd {
namespace {

using namespace std::chrono_literals;
using T = vici::PacketType;

const char *kPeer = "198.51.100.9";

void sa(vici::Section &m, std::uint32_t id, const char *spi,
        bool child = true) {
  testing::add_sa(m, id, spi, kPeer, child);
}

struct Link : ::testing::Test {
  TimerQueue clock;
  testing::FakeCharon fake;
  int changes = 0, watched = -1;
  CharonLink link{clock,
                  {[this] { return fake.connect(); },
                   [this](int, int fd) { watched = fd; },
                   [this] { ++changes; }}};

  void SetUp() override { clock.advance(TimePoint{100s}); }

  std::vector<vici::Packet> received() { return fake.received(); }
  void put(const vici::Packet &p) { fake.put(p); }
  void serve_connect(const std::vector<vici::Section> &sas) {
    fake.serve_connect(link, sas);
  }
};

TEST_F(Link, ConnectsListsAndFollows) {
  link.start();
  EXPECT_EQ(watched, link.fd());
  EXPECT_FALSE(link.up());
  vici::Section one;
  sa(one, 1, "aa");
  serve_connect({one});
  ASSERT_TRUE(link.up());
  EXPECT_EQ(changes, 1);
  EXPECT_TRUE(link.sas().protects(*Ip4::parse(kPeer)));

  vici::Section down;
  down.add("up", "no");
  sa(down, 1, "aa");
  put({T::event, "child-updown", down});
  link.on_readable();
  EXPECT_EQ(changes, 2);
  EXPECT_FALSE(link.sas().protects(*Ip4::parse(kPeer)));
}

TEST_F(Link, WaitsForCharonWithBackoff) {
  fake.reachable = false;
  link.start();
  EXPECT_EQ(fake.connects, 1);
  clock.advance(clock.now() + 1s);
  EXPECT_EQ(fake.connects, 2);
  clock.advance(clock.now() + 1s); // the next try is 2 s after
  EXPECT_EQ(fake.connects, 2);
  fake.reachable = true;
  clock.advance(clock.now() + 1s);
  EXPECT_EQ(fake.connects, 3);
  serve_connect({});
  EXPECT_TRUE(link.up());
}

TEST_F(Link, CharonRestartRebuildsTheTable) {
  link.start();
  vici::Section one;
  sa(one, 1, "aa");
  serve_connect({one});
  fake.end.reset(); // charon went away
  link.on_readable();
  EXPECT_FALSE(link.up());
  EXPECT_EQ(watched, -1);
  EXPECT_EQ(link.sas().size(), 0u);
  EXPECT_EQ(changes, 2);
  clock.advance(clock.now() + 1s);
  vici::Section two;
  sa(two, 5, "bb");
  serve_connect({two});
  ASSERT_TRUE(link.up());
  EXPECT_EQ(link.sas().find(1), nullptr);
  EXPECT_NE(link.sas().find(5), nullptr);
  EXPECT_EQ(watched, link.fd());
}

TEST_F(Link, UnreadableEventListsAgain) {
  link.start();
  serve_connect({});
  vici::Section bad;
  bad.add("up", "yes").add_section("dmvpn").add("uniqueid", "x");
  put({T::event, "ike-updown", bad});
  link.on_readable();
  EXPECT_FALSE(link.up());
  auto got = received();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].name, "list-sas");
}

// What the link asked charon for, by unique id: "rekey child N",
// "terminate child N", "terminate N".
std::vector<std::string> asked(const std::vector<vici::Packet> &got) {
  std::vector<std::string> out;
  for (const auto &p : got) {
    EXPECT_EQ(p.message.value("ike"), nullptr); // never by name
    EXPECT_EQ(p.message.value("child"), nullptr);
    if (const auto *id = p.message.value("ike-id"))
      out.push_back(p.name + " " + *id);
    if (const auto *id = p.message.value("child-id"))
      out.push_back(p.name + " child " + *id);
  }
  return out;
}

TEST_F(Link, DuplicatesEndByIdOnceTheKeeperRekeyed) {
  link.start();
  vici::Section one, two, bare;
  sa(one, 1, "00ff");
  sa(two, 2, "0011");
  sa(bare, 3, "0022", false);
  serve_connect({one, two, bare});
  // Three IKE_SAs to one peer, all initiated here: 2 has the lowest
  // initiator SPI. Its CHILD_SA is rekeyed first, once.
  link.end_duplicates("dmvpn");
  link.end_duplicates("dmvpn");
  EXPECT_EQ(asked(received()), (std::vector<std::string>{"rekey child 20"}));
  vici::Section rekeyed;
  testing::add_child_rekey(testing::add_sa(rekeyed, 2, "0011", kPeer, false),
                           20, 21);
  put({T::event, "child-rekey", rekeyed});
  link.on_readable();
  // Then 1's CHILD_SA goes on its own; 3 has none yet (charon reports
  // the IKE_SA before its child): it is left alone.
  link.end_duplicates("dmvpn");
  link.end_duplicates("dmvpn");
  EXPECT_EQ(asked(received()),
            (std::vector<std::string>{"terminate child 10"}));
}

} // namespace
} // namespace dmvpnd
