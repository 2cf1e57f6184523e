// SPDX-License-Identifier: GPL-2.0
// Resolution beyond one server (RFC 2332 5.3): requests follow the routes
// of the cloud from server to server, replies retrace the request's path
// with Reverse Transit NHS records, and a station answers for the network
// behind it with the route's prefix.
#include <gtest/gtest.h>

#include <algorithm>
#include <deque>

#include "device.hpp"
#include "fake_io.hpp"
#include "nhrp/codec.hpp"
#include "nhrp/constants.hpp"

namespace dmvpnd::test {
namespace {

using namespace std::chrono_literals;

constexpr int kTunnel = 5; // device_info()'s ifindex
constexpr int kLan = 7;

NhsConfig nhs(const char *nbma, const char *proto) {
  NhsConfig n;
  n.nbma = ip(nbma);
  n.proto = ip(proto);
  return n;
}

Route via_tunnel(std::optional<const char *> gateway, std::uint8_t len) {
  Route r;
  r.oif = kTunnel;
  if (gateway)
    r.gateway = ip(*gateway);
  r.prefixlen = len;
  return r;
}

Route on_lan(std::uint8_t len) {
  Route r;
  r.oif = kLan;
  r.prefixlen = len;
  return r;
}

struct Site {
  Site(TimerQueue &clock, std::uint8_t role, const char *nbma,
       const char *proto, std::uint32_t seed)
      : role(role), dev(device_info(role, nbma), ip(proto), clock, io, seed) {}
  std::uint8_t role;
  FakeIo io;
  Device dev;
  std::size_t seen = 0; // what the network has delivered of io.sent
};

// Central hub C; regional hubs A and B, clients of C; spoke A1 of A and
// B1 of B; one tunnel subnet (10.0.0.0/16).
struct Hierarchy : ::testing::Test {
  TimerQueue clock;
  Site c{clock, DMVPN_ROLE_HUB, "198.51.100.1", "10.0.0.1", 1000};
  Site a{clock, DMVPN_ROLE_HUB, "198.51.100.2", "10.0.1.1", 2000};
  Site b{clock, DMVPN_ROLE_HUB, "198.51.100.3", "10.0.2.1", 3000};
  Site a1{clock, DMVPN_ROLE_SPOKE, "198.51.100.11", "10.0.1.11", 4000};
  Site b1{clock, DMVPN_ROLE_SPOKE, "198.51.100.21", "10.0.2.11", 5000};
  std::vector<Site *> all{&c, &a, &b, &a1, &b1};
  // Every packet the network carried: (from, to, packet).
  struct Hop {
    Ip4 from, to;
    nhrp::Packet p;
  };
  std::vector<Hop> hops;

  void SetUp() override {
    clock.advance(TimePoint{1000s});
    join(a, c);
    join(b, c);
    join(a1, a);
    join(b1, b);
    pump();
    ASSERT_TRUE(a.dev.preferred_nhs() && b.dev.preferred_nhs() &&
                a1.dev.preferred_nhs() && b1.dev.preferred_nhs());
    hops.clear();
    // The routes an IGP over the cloud would give C and B.
    c.io.routes[ip("10.0.2.11")] = via_tunnel("10.0.2.1", 24);
    c.io.routes[ip("10.0.1.11")] = via_tunnel("10.0.1.1", 24);
    c.io.routes[ip("10.20.0.5")] = via_tunnel("10.0.2.1", 24);
    b.io.routes[ip("10.20.0.5")] = via_tunnel("10.0.2.11", 24);
    for (Site *s : {&a, &b})
      for (const char *t : {"10.0.2.11", "10.0.1.11"})
        if (!s->io.routes.count(ip(t)))
          s->io.routes[ip(t)] = via_tunnel(std::nullopt, 16);
    b1.io.routes[ip("10.20.0.5")] = on_lan(24);
  }

  void join(Site &s, Site &server) {
    s.dev.update(device_info(s.role, s.dev.self().nbma.str().c_str()),
                 s.dev.proto(),
                 {nhs(server.dev.self().nbma.str().c_str(),
                      server.dev.proto()->str().c_str())});
  }

  // Delivers everything sent, and what that makes the sites send, until
  // nothing is in flight.
  void pump() {
    for (bool more = true; more;) {
      more = false;
      for (Site *from : all)
        while (from->seen < from->io.sent.size()) {
          auto s = from->io.sent[from->seen++];
          more = true;
          hops.push_back({from->dev.self().nbma, s.to, s.packet()});
          for (Site *to : all)
            if (to->dev.self().nbma == s.to)
              to->dev.on_frame(from->dev.self().nbma, s.bytes);
        }
    }
  }

  void miss(Site &s, const char *target) {
    s.dev.on_miss(ip(target));
    // The kernel's event for the incomplete entry the miss installed.
    s.dev.on_entry_added(s.io.cache.at(ip(target)));
    pump();
  }

  const Hop *find(Site &from, Site &to, nhrp::PacketType type) const {
    for (const auto &h : hops)
      if (h.from == from.dev.self().nbma && h.to == to.dev.self().nbma &&
          h.p.type() == type)
        return &h;
    return nullptr;
  }
};

// A Resolution Request of `self` for `target`.
nhrp::Packet request(const Binding &self, const char *target,
                     std::uint32_t id) {
  RequestParams r;
  r.self = self;
  r.dst_proto = ip(target);
  r.request_id = id;
  return resolution_request(r);
}

std::vector<Ip4> transit(const nhrp::Packet &p, std::uint16_t type) {
  std::vector<Ip4> out;
  if (const auto *l = cie_list(p, type))
    for (const auto &c : l->cies)
      out.push_back(*Ip4::from_bytes(c.proto));
  return out;
}

TEST_F(Hierarchy, SpokesOfTwoHubsResolveThroughTheCentralHub) {
  miss(a1, "10.0.2.11");
  const auto &e = a1.io.cache.at(ip("10.0.2.11"));
  EXPECT_EQ(e.type, DMVPN_ENTRY_DYNAMIC);
  EXPECT_EQ(e.nbma, ip("198.51.100.21"));

  using T = nhrp::PacketType;
  // The request: A1 -> A -> C -> B, which answers from its registration.
  ASSERT_NE(find(a, c, T::resolution_request), nullptr);
  const auto *to_b = find(c, b, T::resolution_request);
  ASSERT_NE(to_b, nullptr);
  EXPECT_EQ(transit(to_b->p, nhrp::ext::forward_transit_nhs),
            (std::vector<Ip4>{ip("10.0.1.1"), ip("10.0.0.1")}));
  EXPECT_EQ(find(b, b1, T::resolution_request), nullptr);
  // The reply retraces it: B -> C -> A -> A1, each server on the way
  // recorded, the hop count spent.
  const auto *b_c = find(b, c, T::resolution_reply);
  const auto *c_a = find(c, a, T::resolution_reply);
  const auto *a_a1 = find(a, a1, T::resolution_reply);
  ASSERT_TRUE(b_c && c_a && a_a1);
  EXPECT_EQ(transit(c_a->p, nhrp::ext::reverse_transit_nhs),
            (std::vector<Ip4>{ip("10.0.0.1")}));
  EXPECT_EQ(transit(a_a1->p, nhrp::ext::reverse_transit_nhs),
            (std::vector<Ip4>{ip("10.0.0.1"), ip("10.0.1.1")}));
  EXPECT_EQ(a_a1->p.header.hop_count, b_c->p.header.hop_count - 2);

  // And back: B1 resolves A1 through B, C and A.
  miss(b1, "10.0.1.11");
  EXPECT_EQ(b1.io.cache.at(ip("10.0.1.11")).nbma, ip("198.51.100.11"));
  EXPECT_NE(find(a, c, T::resolution_reply), nullptr);
  EXPECT_NE(find(b, b1, T::resolution_reply), nullptr);
}

TEST_F(Hierarchy, RepliesAreForwardedOnlyAlongTheirPath) {
  // A reply that names C on its path, from a member C does not know.
  auto req = request(a1.dev.self(), "10.0.2.11", 77);
  cie_list(req, nhrp::ext::forward_transit_nhs)
      ->cies.push_back(binding_cie(a.dev.self()));
  cie_list(req, nhrp::ext::forward_transit_nhs)
      ->cies.push_back(binding_cie(c.dev.self()));
  auto reply = resolution_reply(req, b.dev.self(), nhrp::cie_code::success,
                                b1.dev.self(), 30, "");
  std::size_t n = c.io.sent.size();
  c.dev.on_frame(ip("203.0.113.9"), *nhrp::encode(reply));
  EXPECT_EQ(c.io.sent.size(), n);
  EXPECT_EQ(c.dev.counters().drops.at("reply-not-ours"), 1u);

  // From B, it goes to A.
  c.dev.on_frame(b.dev.self().nbma, *nhrp::encode(reply));
  ASSERT_EQ(c.io.sent.size(), n + 1);
  EXPECT_EQ(c.io.sent.back().to, a.dev.self().nbma);

  // One whose path does not name C, or that already passed C, is not.
  auto looped = reply;
  cie_list(looped, nhrp::ext::reverse_transit_nhs)
      ->cies.push_back(binding_cie(c.dev.self()));
  c.dev.on_frame(b.dev.self().nbma, *nhrp::encode(looped));
  EXPECT_EQ(c.dev.counters().drops.at("loop"), 1u);
  auto other = reply;
  cie_list(other, nhrp::ext::forward_transit_nhs)->cies.pop_back();
  c.dev.on_frame(b.dev.self().nbma, *nhrp::encode(other));
  EXPECT_EQ(c.dev.counters().drops.at("reply-not-ours"), 2u);
  EXPECT_EQ(c.io.sent.size(), n + 1);
}

TEST_F(Hierarchy, NoRouteAndNoServerIsNoBinding) {
  // C has no route to 10.9.9.9 and no server of its own; a route back to
  // where the request came from is no way on either.
  c.io.routes[ip("10.0.1.99")] = via_tunnel("10.0.1.1", 24);
  for (const char *t : {"10.9.9.9", "10.0.1.99"}) {
    std::size_t n = c.io.sent.size();
    c.dev.on_frame(a.dev.self().nbma,
                   *nhrp::encode(request(a.dev.self(), t, 5)));
    ASSERT_EQ(c.io.sent.size(), n + 1) << t;
    EXPECT_EQ(c.io.sent.back().to, a.dev.self().nbma);
    auto p = c.io.sent.back().packet();
    EXPECT_EQ(p.type(), nhrp::PacketType::resolution_reply);
    EXPECT_EQ(p.mandatory()->cies[0].code, nhrp::cie_code::no_binding);
  }
}

TEST_F(Hierarchy, SpokeAnswersForTheNetworkBehindIt) {
  // A1 -> A -> C -> B -> B1 by the routes; B1 routes the target to its
  // LAN and answers for the /24 itself, straight to A1.
  miss(a1, "10.20.0.5");
  ASSERT_TRUE(a1.io.shortcuts.count({ip("10.20.0.0"), 24}));
  const auto &s = a1.io.shortcuts.at({ip("10.20.0.0"), 24});
  EXPECT_EQ(s.type, DMVPN_ENTRY_SHORTCUT);
  EXPECT_EQ(s.nbma, ip("198.51.100.21"));
  EXPECT_TRUE(s.expires);
  // The route through B1's tunnel address works at once; the incomplete
  // entry for the target is gone (the shortcut covers it).
  EXPECT_EQ(a1.io.cache.at(ip("10.0.2.11")).nbma, ip("198.51.100.21"));
  EXPECT_FALSE(a1.io.cache.count(ip("10.20.0.5")));
  const auto *answer = find(b1, a1, nhrp::PacketType::resolution_reply);
  ASSERT_NE(answer, nullptr);
  EXPECT_EQ(answer->p.mandatory()->cies[0].prefix_length, 24);
  EXPECT_EQ(Ip4::from_bytes(answer->p.mandatory()->cies[0].proto),
            ip("10.0.2.11"));
  // B1 learned A1 from the request its server forwarded.
  EXPECT_EQ(b1.io.cache.at(ip("10.0.1.11")).nbma, ip("198.51.100.11"));

  // The incomplete entry's removal does not end the resolution; the
  // shortcut's does.
  KernelEntry gone;
  gone.proto = ip("10.20.0.5");
  gone.type = DMVPN_ENTRY_INCOMPLETE;
  a1.dev.on_entry_gone(gone);
  EXPECT_TRUE(a1.dev.resolver().pending(ip("10.20.0.5")));
  a1.dev.on_entry_gone(s);
  EXPECT_FALSE(a1.dev.resolver().pending(ip("10.20.0.5")));
}

TEST_F(Hierarchy, AnswerForTheTunnelsAddressesIsTakenForTheTargetOnly) {
  // B1 claims 10.0.0.0/8, which holds every tunnel address.
  c.io.routes[ip("10.30.0.5")] = via_tunnel("10.0.2.1", 24);
  b.io.routes[ip("10.30.0.5")] = via_tunnel("10.0.2.11", 24);
  b1.io.routes[ip("10.30.0.5")] = on_lan(8);
  miss(a1, "10.30.0.5");
  EXPECT_TRUE(a1.io.shortcuts.empty());
  EXPECT_EQ(a1.io.cache.at(ip("10.30.0.5")).type, DMVPN_ENTRY_DYNAMIC);
  EXPECT_EQ(a1.io.cache.at(ip("10.30.0.5")).nbma, ip("198.51.100.21"));
}

TEST_F(Hierarchy, ShortcutInUseIsRefreshed) {
  miss(a1, "10.20.0.5");
  auto &s = a1.io.shortcuts.at({ip("10.20.0.0"), 24});
  s.used = 1;
  std::size_t n = a1.io.sent.size();
  clock.advance(clock.now() + 30s);
  auto sent =
      std::find_if(a1.io.sent.begin() + n, a1.io.sent.end(), [](const Sent &x) {
        return x.packet().type() == nhrp::PacketType::resolution_request;
      });
  ASSERT_NE(sent, a1.io.sent.end());
  EXPECT_EQ(Ip4::from_bytes(sent->packet().dst_proto), ip("10.20.0.5"));
  pump();
  // The same answer again, over the shortcut NHRP learned.
  EXPECT_EQ(a1.io.shortcuts.at({ip("10.20.0.0"), 24}).nbma,
            ip("198.51.100.21"));
  EXPECT_TRUE(a1.dev.resolver().pending(ip("10.20.0.5")));
}

TEST_F(Hierarchy, NoAnswerForTheInternetTheUnderlayOrTheCloud) {
  b1.io.routes[ip("8.8.8.8")] = on_lan(0);
  b1.io.routes[ip("10.0.1.11")] = via_tunnel(std::nullopt, 16);
  // The underlay: B1's own NBMA address is on interface 9.
  Route wan;
  wan.oif = 9;
  wan.prefixlen = 24;
  b1.io.routes[ip("198.51.100.77")] = wan;
  wan.prefixlen = 32;
  wan.local = true;
  b1.io.routes[b1.dev.self().nbma] = wan;
  for (const char *t : {"8.8.8.8", "10.0.1.11", "198.51.100.77"}) {
    std::size_t n = b1.io.sent.size();
    b1.dev.on_frame(b.dev.self().nbma,
                    *nhrp::encode(request(a1.dev.self(), t, 9)));
    ASSERT_EQ(b1.io.sent.size(), n + 1) << t;
    auto p = b1.io.sent.back().packet();
    EXPECT_EQ(p.mandatory()->cies[0].code, nhrp::cie_code::no_binding) << t;
    EXPECT_EQ(b1.io.sent.back().to, b.dev.self().nbma) << t;
  }
  // An address of its own on another interface is a host answer.
  Route local;
  local.oif = kLan;
  local.prefixlen = 32;
  local.local = true;
  b1.io.routes[ip("10.20.0.1")] = local;
  b1.dev.on_frame(b.dev.self().nbma,
                  *nhrp::encode(request(a1.dev.self(), "10.20.0.1", 10)));
  auto p = b1.io.sent.back().packet();
  EXPECT_EQ(p.mandatory()->cies[0].code, nhrp::cie_code::success);
  EXPECT_EQ(p.mandatory()->cies[0].prefix_length, 0xff);
}

} // namespace
} // namespace dmvpnd::test
