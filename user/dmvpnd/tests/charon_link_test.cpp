// SPDX-License-Identifier: GPL-2.0
// dmvpnd's link to charon, against a fake charon at the other end of a
// socket pair: connects, subscribes, lists; follows events; survives
// charon going away; asks for terminations by unique id, once.
#include <gtest/gtest.h>

#include <sys/socket.h>

#include "charon_link.hpp"

namespace dmvpnd {
namespace {

using namespace std::chrono_literals;
using T = vici::PacketType;

const char *kPeer = "198.51.100.9";

// An IKE_SA to kPeer with one installed transport child.
void sa(vici::Section &m, std::uint32_t id, const char *spi,
        bool child = true) {
  vici::Section &s = m.add_section("dmvpn");
  s.add("uniqueid", std::to_string(id))
      .add("state", "ESTABLISHED")
      .add("local-host", "198.51.100.5")
      .add("remote-host", kPeer)
      .add("initiator", "yes")
      .add("initiator-spi", spi);
  if (child)
    s.add_section("child-sas")
        .add_section("gre-1")
        .add("uniqueid", std::to_string(id * 10))
        .add("state", "INSTALLED")
        .add("mode", "TRANSPORT");
}

struct Link : ::testing::Test {
  TimerQueue clock;
  Fd charon; // the fake charon's end
  vici::Reader from_client;
  bool reachable = true;
  int connects = 0, changes = 0, watched = -1;
  CharonLink link{
      clock,
      {[this] {
         ++connects;
         if (!reachable)
           return Fd();
         int sv[2];
         EXPECT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
         charon = Fd(sv[1]);
         from_client = vici::Reader();
         return Fd(sv[0]);
       },
       [this](int, int fd) { watched = fd; }, [this] { ++changes; }}};

  void SetUp() override { clock.advance(TimePoint{100s}); }

  std::vector<vici::Packet> received() {
    std::vector<vici::Packet> out;
    std::uint8_t buf[8192];
    ssize_t n;
    while ((n = recv(charon.get(), buf, sizeof(buf), MSG_DONTWAIT)) > 0)
      from_client.feed({buf, static_cast<std::size_t>(n)});
    while (auto p = from_client.next())
      out.push_back(*p);
    return out;
  }
  void put(const vici::Packet &p) {
    auto b = *vici::encode(p);
    ASSERT_EQ(send(charon.get(), b.data(), b.size(), 0),
              static_cast<ssize_t>(b.size()));
  }
  // Answers the subscriptions and the listing with `sas` (list-sa events).
  void serve_connect(const std::vector<vici::Section> &sas) {
    auto got = received();
    ASSERT_EQ(got.size(), std::size(CharonLink::kEvents) + 1);
    for (std::size_t i = 0; i < std::size(CharonLink::kEvents); ++i) {
      EXPECT_EQ(got[i].type, T::event_register);
      EXPECT_EQ(got[i].name, CharonLink::kEvents[i]);
      put({T::event_confirm, "", {}});
    }
    EXPECT_EQ(got.back().name, "list-sas");
    for (const auto &m : sas)
      put({T::event, "list-sa", m});
    put({T::cmd_response, "", {}});
    link.on_readable();
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
  reachable = false;
  link.start();
  EXPECT_EQ(connects, 1);
  clock.advance(clock.now() + 1s);
  EXPECT_EQ(connects, 2);
  clock.advance(clock.now() + 1s); // the next try is 2 s after
  EXPECT_EQ(connects, 2);
  reachable = true;
  clock.advance(clock.now() + 1s);
  EXPECT_EQ(connects, 3);
  serve_connect({});
  EXPECT_TRUE(link.up());
}

TEST_F(Link, CharonRestartRebuildsTheTable) {
  link.start();
  vici::Section one;
  sa(one, 1, "aa");
  serve_connect({one});
  charon.reset(); // charon went away
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

TEST_F(Link, TidyTerminatesByIdOnce) {
  link.start();
  vici::Section one, two, bare;
  sa(one, 1, "00ff");
  sa(two, 2, "0011");
  sa(bare, 3, "0022", false);
  serve_connect({one, two, bare});
  link.tidy("dmvpn");
  link.tidy("dmvpn");
  auto got = received();
  std::vector<std::string> ids;
  for (const auto &p : got) {
    EXPECT_EQ(p.name, "terminate");
    EXPECT_EQ(p.message.value("ike"), nullptr); // never by name
    ids.push_back(*p.message.value("ike-id"));
  }
  // 1 loses to 2 (lower initiator SPI); 3 has no child.
  EXPECT_EQ(ids, (std::vector<std::string>{"1", "3"}));
}

} // namespace
} // namespace dmvpnd
