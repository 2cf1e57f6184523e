// SPDX-License-Identifier: GPL-2.0
// The NHS server against members that know the cloud's password but claim
// what is not theirs.
#include <gtest/gtest.h>

#include <algorithm>

#include "device.hpp"
#include "fake_io.hpp"
#include "nhrp/codec.hpp"
#include "nhrp/constants.hpp"

namespace dmvpnd::test {
namespace {

using namespace std::chrono_literals;

// A request's parameters: from NBMA/PROTO to DST with request id ID.
RequestParams params(const char *nbma, const char *proto, const char *dst,
                     std::uint32_t id, const char *auth = "",
                     std::uint16_t holdtime = 0) {
  RequestParams r;
  r.self = {ip(nbma), ip(proto)};
  r.dst_proto = ip(dst);
  r.request_id = id;
  r.auth = auth;
  r.holdtime = holdtime;
  return r;
}

struct Server : ::testing::Test {
  TimerQueue clock;
  FakeIo io;
  Device hub{device_info(DMVPN_ROLE_HUB, "198.51.100.1", "", true),
             ip("192.0.2.1"), clock, io, 1000};

  void SetUp() override { clock.advance(TimePoint{1000s}); }

  // A registration of `proto` sent from `nbma`; returns the reply's code.
  int reg(const char *proto, const char *nbma, bool unique = false) {
    RequestParams r;
    r.self = {ip(nbma), ip(proto)};
    r.dst_proto = ip("192.0.2.1");
    r.request_id = ++id_;
    r.flags = nhrp::flags::cisco_nat | (unique ? nhrp::flags::reg_u : 0);
    r.holdtime = 30;
    std::size_t n = io.sent.size();
    hub.on_frame(ip(nbma), *nhrp::encode(registration_request(r)));
    if (io.sent.size() != n + 1)
      return -1;
    EXPECT_EQ(io.sent.back().to, ip(nbma));
    return io.sent.back().packet().mandatory()->cies[0].code;
  }

  // The kernel's event for an entry added behind the daemon's back.
  void kernel_add(KernelEntry e) {
    io.cache[e.proto] = e;
    hub.on_entry_added(e);
  }
  void kernel_gone(const char *proto) {
    auto e = io.cache.at(ip(proto));
    io.cache.erase(e.proto);
    hub.on_entry_gone(e);
  }

  std::uint32_t id_ = 0;
};

TEST_F(Server, StaticMapIsNotHijacked) {
  kernel_add({ip("192.0.2.50"), 32, ip("198.51.100.50"), DMVPN_ENTRY_STATIC, 0,
              std::nullopt, std::nullopt});
  EXPECT_EQ(reg("192.0.2.50", "198.51.100.66"),
            nhrp::cie_code::admin_prohibited);
  EXPECT_EQ(io.cache[ip("192.0.2.50")].nbma, ip("198.51.100.50"));
  EXPECT_EQ(io.cache[ip("192.0.2.50")].type, DMVPN_ENTRY_STATIC);
  // The spoke the map names may register; nothing changes.
  std::size_t installs = io.entry_log.size();
  EXPECT_EQ(reg("192.0.2.50", "198.51.100.50"), nhrp::cie_code::success);
  EXPECT_EQ(io.entry_log.size(), installs);
  EXPECT_EQ(io.cache[ip("192.0.2.50")].type, DMVPN_ENTRY_STATIC);
  // Nor the hub's own address or an NHS entry.
  EXPECT_EQ(reg("192.0.2.1", "198.51.100.66"),
            nhrp::cie_code::admin_prohibited);
  kernel_add({ip("192.0.2.2"), 32, ip("198.51.100.2"), DMVPN_ENTRY_STATIC,
              DMVPN_F_NHS, std::nullopt, std::nullopt});
  EXPECT_EQ(reg("192.0.2.2", "198.51.100.2"), nhrp::cie_code::admin_prohibited);
}

// The daemon's view may be behind the kernel: the kernel refuses too.
TEST_F(Server, KernelRefusesWhatTheViewMissed) {
  io.cache[ip("192.0.2.51")] = {ip("192.0.2.51"),   32, ip("198.51.100.51"),
                                DMVPN_ENTRY_STATIC, 0,  std::nullopt,
                                std::nullopt};
  EXPECT_EQ(reg("192.0.2.51", "198.51.100.66"),
            nhrp::cie_code::admin_prohibited);
  EXPECT_EQ(io.cache[ip("192.0.2.51")].nbma, ip("198.51.100.51"));
  EXPECT_EQ(io.entry_log.back().install, Install::learned);
  EXPECT_EQ(hub.server().view().find(ip("192.0.2.51")), nullptr);
}

TEST_F(Server, UniqueBindingKept) {
  EXPECT_EQ(reg("192.0.2.11", "198.51.100.5", true), 0);
  EXPECT_EQ(reg("192.0.2.11", "198.51.100.9"),
            nhrp::cie_code::already_registered);
  EXPECT_EQ(io.cache[ip("192.0.2.11")].nbma, ip("198.51.100.5"));
}

TEST_F(Server, AddressesPerNbmaCapped) {
  hub.server().set_max_per_nbma(3);
  char proto[32];
  int ok = 0, full = 0;
  for (int i = 0; i < 10; ++i) {
    std::snprintf(proto, sizeof(proto), "10.9.0.%d", i + 1);
    int code = reg(proto, "198.51.100.66");
    ok += code == 0;
    full += code == nhrp::cie_code::insufficient_resources;
  }
  EXPECT_EQ(ok, 3);
  EXPECT_EQ(full, 7);
  // A refresh of a binding it holds is not a new one; others still register.
  EXPECT_EQ(reg("10.9.0.1", "198.51.100.66"), 0);
  EXPECT_EQ(reg("192.0.2.11", "198.51.100.5"), 0);
  EXPECT_EQ(hub.registrations(), 4u);
}

TEST_F(Server, OneSourceCannotStarveTheOthers) {
  int answered = 0;
  char proto[32];
  for (int i = 0; i < 1000; ++i) {
    std::snprintf(proto, sizeof(proto), "10.8.%d.%d", i / 250, i % 250 + 1);
    answered += reg(proto, "198.51.100.66") >= 0;
  }
  EXPECT_LT(answered, 300);
  EXPECT_GT(hub.counters().dropped("source-rate-limited"), 700u);
  EXPECT_EQ(reg("192.0.2.11", "198.51.100.5"), 0);
}

TEST_F(Server, MulticastKeptWhileAnNbmaHoldsABinding) {
  EXPECT_EQ(reg("192.0.2.11", "198.51.100.5"), 0);
  EXPECT_EQ(reg("192.0.2.12", "198.51.100.5"), 0);
  kernel_add(io.cache.at(ip("192.0.2.11")));
  kernel_add(io.cache.at(ip("192.0.2.12")));
  kernel_gone("192.0.2.11");
  EXPECT_TRUE(io.mcast_deleted.empty());
  kernel_gone("192.0.2.12");
  ASSERT_EQ(io.mcast_deleted.size(), 1u);
  EXPECT_EQ(io.mcast_deleted[0], ip("198.51.100.5"));
  // A binding that moves takes multicast with it.
  EXPECT_EQ(reg("192.0.2.13", "198.51.100.6"), 0);
  EXPECT_EQ(reg("192.0.2.13", "198.51.100.7"), 0);
  ASSERT_EQ(io.mcast_deleted.size(), 2u);
  EXPECT_EQ(io.mcast_deleted[1], ip("198.51.100.6"));
}

TEST_F(Server, RefreshLeavesMulticastAlone) {
  EXPECT_EQ(reg("192.0.2.11", "198.51.100.5"), 0);
  ASSERT_EQ(io.mcast.size(), 1u);
  EXPECT_EQ(io.mcast[0].first, ip("198.51.100.5"));
  EXPECT_EQ(reg("192.0.2.11", "198.51.100.5"), 0);
  EXPECT_EQ(reg("192.0.2.11", "198.51.100.5"), 0);
  EXPECT_EQ(io.mcast.size(), 1u);
}

nhrp::Bytes purge(const char *target, const char *claimed_nbma) {
  RequestParams r;
  r.self = {ip(claimed_nbma), ip("192.0.2.99")};
  r.dst_proto = ip("192.0.2.1");
  r.request_id = 77;
  auto p = resolution_request(r);
  p.header.type = static_cast<std::uint8_t>(nhrp::PacketType::purge_request);
  p.mandatory()->cies[0].proto = ip(target).bytes();
  return *nhrp::encode(p);
}

TEST_F(Server, PurgeOnlyFromTheOwner) {
  EXPECT_EQ(reg("192.0.2.11", "198.51.100.5"), 0);
  kernel_add(io.cache.at(ip("192.0.2.11")));
  std::size_t n = io.sent.size();
  // Another member, claiming the owner's NBMA address.
  hub.on_frame(ip("198.51.100.9"), purge("192.0.2.11", "198.51.100.5"));
  EXPECT_TRUE(io.cache.count(ip("192.0.2.11")));
  EXPECT_EQ(io.sent.size(), n);
  EXPECT_EQ(hub.counters().dropped("purge-not-owner"), 1u);
  // The owner, claiming another address: the reply goes to the real one.
  hub.on_frame(ip("198.51.100.5"), purge("192.0.2.11", "203.0.113.1"));
  EXPECT_FALSE(io.cache.count(ip("192.0.2.11")));
  ASSERT_EQ(io.sent.size(), n + 1);
  EXPECT_EQ(io.sent.back().to, ip("198.51.100.5"));
  EXPECT_EQ(io.sent.back().packet().type(), nhrp::PacketType::purge_reply);
}

TEST_F(Server, NoEmptyAuthenticationExtension) {
  auto r = params("198.51.100.5", "192.0.2.11", "192.0.2.1", 1, "secret", 30);
  hub.on_frame(ip("198.51.100.5"), *nhrp::encode(registration_request(r)));
  ASSERT_EQ(io.sent.size(), 1u);
  EXPECT_EQ(io.sent[0].packet().find_extension(nhrp::ext::authentication),
            nullptr);
}

struct Spoke : ::testing::Test {
  TimerQueue clock;
  FakeIo io;
  Device s1{device_info(DMVPN_ROLE_SPOKE, "198.51.100.5", "pw"),
            ip("192.0.2.11"), clock, io, 2000};

  void SetUp() override {
    clock.advance(TimePoint{1000s});
    NhsConfig n;
    n.nbma = ip("198.51.100.1");
    n.proto = ip("192.0.2.1");
    s1.update(device_info(DMVPN_ROLE_SPOKE, "198.51.100.5", "pw"),
              ip("192.0.2.11"), {n});
  }
  nhrp::Packet reply_to_our_request(const char *auth) {
    auto req = io.sent.at(0).packet();
    return registration_reply(req, {ip("198.51.100.1"), ip("192.0.2.1")}, 0,
                              std::nullopt, auth);
  }
};

TEST_F(Spoke, ReplyFromElsewhereIgnored) {
  auto rep = reply_to_our_request("pw");
  s1.on_frame(ip("198.51.100.66"), *nhrp::encode(rep));
  EXPECT_FALSE(s1.nhs()[0]->up());
  EXPECT_EQ(s1.counters().dropped("unexpected-reply"), 1u);
  s1.on_frame(ip("198.51.100.1"), *nhrp::encode(rep));
  EXPECT_TRUE(s1.nhs()[0]->up());
}

TEST_F(Spoke, UnauthenticatedReplyIgnored) {
  s1.on_frame(ip("198.51.100.1"), *nhrp::encode(reply_to_our_request("wrong")));
  EXPECT_FALSE(s1.nhs()[0]->up());
  EXPECT_EQ(s1.counters().auth_failures, 1u);
  // And no Error Indication answers a reply.
  EXPECT_EQ(io.sent.size(), 1u);
}

TEST_F(Spoke, RequestNotForUsIsRefusedNotBounced) {
  auto r = params("198.51.100.9", "192.0.2.12", "192.0.2.77", 3, "pw");
  std::size_t n = io.sent.size();
  s1.on_frame(ip("198.51.100.9"), *nhrp::encode(resolution_request(r)));
  ASSERT_EQ(io.sent.size(), n + 1);
  EXPECT_EQ(io.sent.back().to, ip("198.51.100.9"));
  auto rep = io.sent.back().packet();
  EXPECT_EQ(rep.type(), nhrp::PacketType::resolution_reply);
  EXPECT_EQ(rep.mandatory()->cies[0].code, nhrp::cie_code::no_binding);
  EXPECT_LE(rep.mandatory()->cies[0].holding_time, 60);
}

TEST_F(Spoke, UnsolicitedRequestTeachesNothing) {
  auto r = params("203.0.113.9", "192.0.2.12", "192.0.2.11", 4, "pw", 30);
  std::size_t n = io.sent.size();
  // Straight from some member, claiming another NBMA address.
  s1.on_frame(ip("198.51.100.9"), *nhrp::encode(resolution_request(r)));
  EXPECT_FALSE(io.cache.count(ip("192.0.2.12")));
  ASSERT_EQ(io.sent.size(), n + 1);
  EXPECT_EQ(io.sent.back().to, ip("198.51.100.9"));
}

} // namespace
} // namespace dmvpnd::test

namespace dmvpnd::test {
namespace {

using namespace std::chrono_literals;

// The data path follows the servers' states: the nhs flag (where
// unresolved traffic goes) on the best one that is up, no entries for
// one that is down or removed.
TEST(NhsPlacement, FollowsStateAndPriority) {
  TimerQueue clock;
  clock.advance(TimePoint{1000s});
  FakeIo io;
  Device s1{device_info(DMVPN_ROLE_SPOKE, "198.51.100.5"), ip("192.0.2.11"),
            clock, io, 2000};
  NhsConfig a, b;
  a.nbma = ip("198.51.100.1");
  a.proto = ip("192.0.2.1");
  a.priority = 1;
  b.nbma = ip("198.51.100.2");
  b.proto = ip("192.0.2.2");
  b.priority = 2;
  s1.update(device_info(DMVPN_ROLE_SPOKE, "198.51.100.5"), ip("192.0.2.11"),
            {a, b});
  auto flags = [&](const char *p) { return io.cache.at(ip(p)).flags; };
  // Both registering: the better priority carries the default.
  EXPECT_EQ(flags("192.0.2.1"), DMVPN_F_NHS);
  EXPECT_EQ(flags("192.0.2.2"), 0u);
  // Answers the last request sent to `nbma` as its server would.
  auto answer = [&](const char *nbma, const char *proto) {
    for (auto it = io.sent.rbegin(); it != io.sent.rend(); ++it)
      if (it->to == ip(nbma)) {
        auto rep = registration_reply(it->packet(), {ip(nbma), ip(proto)}, 0,
                                      std::nullopt, "");
        s1.on_frame(ip(nbma), *nhrp::encode(rep));
        return;
      }
  };
  // Only b answers: it is up, a goes down after three unanswered requests.
  answer("198.51.100.2", "192.0.2.2");
  EXPECT_EQ(flags("192.0.2.2"), DMVPN_F_NHS);
  EXPECT_EQ(flags("192.0.2.1"), 0u);
  for (int i = 0; i < 20 && !s1.nhs()[0]->down(); ++i) {
    clock.advance(clock.now() + 1s);
    answer("198.51.100.2", "192.0.2.2");
  }
  ASSERT_TRUE(s1.nhs()[0]->down());
  EXPECT_FALSE(io.cache.count(ip("192.0.2.1")));
  EXPECT_NE(std::find(io.mcast_deleted.begin(), io.mcast_deleted.end(),
                      ip("198.51.100.1")),
            io.mcast_deleted.end());
  EXPECT_EQ(flags("192.0.2.2"), DMVPN_F_NHS);
  // a answers its next retransmission: it is better, the default moves back.
  for (int i = 0; i < 70 && !s1.nhs()[0]->up(); ++i) {
    clock.advance(clock.now() + 1s);
    answer("198.51.100.1", "192.0.2.1");
  }
  ASSERT_TRUE(s1.nhs()[0]->up());
  EXPECT_EQ(flags("192.0.2.1"), DMVPN_F_NHS);
  EXPECT_EQ(flags("192.0.2.2"), 0u);
  // Removed from the configuration: its entries go.
  s1.update(device_info(DMVPN_ROLE_SPOKE, "198.51.100.5"), ip("192.0.2.11"),
            {a});
  EXPECT_FALSE(io.cache.count(ip("192.0.2.2")));
  EXPECT_EQ(flags("192.0.2.1"), DMVPN_F_NHS);
}

} // namespace
} // namespace dmvpnd::test

namespace dmvpnd::test {
namespace {

// FRR's Error Indication: hop count 0, no extensions, and a quote cut
// after the addresses whose header still gives the whole length.
TEST_F(Spoke, FrrErrorIndicationWithTruncatedQuote) {
  const auto &req = io.sent.at(0).bytes;
  nhrp::Bytes quote(req.begin(), req.begin() + 52);
  auto ei = error_indication(quote, {ip("198.51.100.1"), ip("192.0.2.1")},
                             ip("192.0.2.11").bytes(),
                             nhrp::error_code::authentication_failure, 0);
  ei.header.hop_count = 0;
  s1.on_frame(ip("198.51.100.1"), *nhrp::encode(ei));
  EXPECT_TRUE(s1.nhs()[0]->down());
  EXPECT_EQ(s1.nhs()[0]->status().failures, 1u);
}

} // namespace
} // namespace dmvpnd::test

namespace dmvpnd::test {
namespace {

// One request, three CIEs: each is decided on its own and gets its own
// code; only what was installed is told 0.
TEST_F(Server, EachCieItsOwnCode) {
  kernel_add({ip("192.0.2.50"), 32, ip("198.51.100.50"), DMVPN_ENTRY_STATIC, 0,
              std::nullopt, std::nullopt});
  auto r = params("198.51.100.5", "192.0.2.11", "192.0.2.1", 9, "", 30);
  auto p = registration_request(r);
  auto &cies = p.mandatory()->cies;
  cies.push_back(cies[0]);
  cies[1].proto = ip("192.0.2.50").bytes(); // the static map's address
  cies.push_back(cies[0]);
  cies[2].proto = ip("192.0.2.60").bytes();
  cies[2].holding_time = 0; // FRR gives its own holding time
  cies.push_back(cies[0]);
  cies[3].proto = ip("10.1.2.0").bytes();
  cies[3].prefix_length = 24; // not a host
  hub.on_frame(ip("198.51.100.5"), *nhrp::encode(p));
  ASSERT_EQ(io.sent.size(), 1u);
  auto rep = io.sent[0].packet();
  ASSERT_EQ(rep.mandatory()->cies.size(), 4u);
  EXPECT_EQ(rep.mandatory()->cies[0].code, nhrp::cie_code::success);
  EXPECT_EQ(rep.mandatory()->cies[1].code, nhrp::cie_code::admin_prohibited);
  EXPECT_EQ(rep.mandatory()->cies[2].code, nhrp::cie_code::success);
  EXPECT_EQ(rep.mandatory()->cies[3].code, nhrp::cie_code::admin_prohibited);
  EXPECT_EQ(io.cache[ip("192.0.2.11")].nbma, ip("198.51.100.5"));
  EXPECT_EQ(io.cache[ip("192.0.2.60")].expires, 30u);
  EXPECT_EQ(io.cache[ip("192.0.2.50")].type, DMVPN_ENTRY_STATIC);
  EXPECT_FALSE(io.cache.count(ip("10.1.2.0")));
}

// Authentication: a packet with another SPI is not Cisco's cleartext
// password, whatever bytes follow.
TEST(Auth, SpiMustBeCleartext) {
  RequestParams r;
  r.self = {ip("198.51.100.5"), ip("192.0.2.11")};
  r.auth = "pw";
  auto p = registration_request(r);
  EXPECT_EQ(auth_of(p), "pw");
  std::get<nhrp::Authentication>(
      p.find_extension(nhrp::ext::authentication)->value)
      .spi = 2;
  EXPECT_EQ(auth_of(p), std::nullopt);
}

} // namespace
} // namespace dmvpnd::test

namespace dmvpnd::test {
namespace {

// After lost events the multicast map is made to match the registrations:
// a dynamic entry nobody holds goes, configuration and the missing come
// back.
TEST_F(Server, ReloadReconcilesMulticast) {
  io.mcast_map[ip("198.51.100.5")] = DMVPN_MCAST_F_DYNAMIC; // held
  io.mcast_map[ip("198.51.100.6")] = DMVPN_MCAST_F_DYNAMIC; // stale
  io.mcast_map[ip("198.51.100.70")] = 0;                    // configured
  KernelEntry a{ip("192.0.2.11"),   32, ip("198.51.100.5"), DMVPN_ENTRY_DYNAMIC,
                DMVPN_F_REGISTERED, 20, std::nullopt};
  KernelEntry b{ip("192.0.2.12"),   32, ip("198.51.100.9"), DMVPN_ENTRY_DYNAMIC,
                DMVPN_F_REGISTERED, 20, std::nullopt};
  hub.reload({a, b});
  EXPECT_EQ(io.mcast_deleted, std::vector<Ip4>{ip("198.51.100.6")});
  EXPECT_TRUE(io.mcast_map.count(ip("198.51.100.70")));
  EXPECT_TRUE(io.mcast_map.count(ip("198.51.100.9")));
  EXPECT_EQ(hub.registrations(), 2u);
}

} // namespace
} // namespace dmvpnd::test
