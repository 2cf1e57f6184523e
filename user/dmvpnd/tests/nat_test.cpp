// SPDX-License-Identifier: GPL-2.0
// Spokes behind NAT: the hub sees them at their address after NAT, they
// learn it from the hub, and resolution carries it both ways (the Cisco
// NAT extension), so that every shortcut points at an address that
// reaches its spoke. A NAT here rewrites the source of what leaves and
// delivers only what comes to its public address.
#include <gtest/gtest.h>

#include "device.hpp"
#include "fake_io.hpp"
#include "nhrp/codec.hpp"
#include "nhrp/constants.hpp"

namespace dmvpnd::test {
namespace {

using namespace std::chrono_literals;

const Ip4 kNatA = ip("203.0.113.50");
const Ip4 kNatB = ip("203.0.113.60");

NhsConfig nhs(const char *nbma, const char *proto) {
  NhsConfig n;
  n.nbma = ip(nbma);
  n.proto = ip(proto);
  return n;
}

struct Site {
  Site(TimerQueue &clock, std::uint8_t role, const char *nbma,
       const char *proto, std::optional<Ip4> nat, std::uint32_t seed)
      : dev(device_info(role, nbma), ip(proto), clock, io, seed), nat(nat) {}
  FakeIo io;
  Device dev;
  std::optional<Ip4> nat; // the NAT's public address, if behind one
  [[nodiscard]] Ip4 seen_as() const { return nat.value_or(dev.self().nbma); }
};

struct Nat : ::testing::Test {
  TimerQueue clock;
  Site hub{clock, DMVPN_ROLE_HUB, "198.51.100.1", "192.0.2.1", {}, 1000};
  Site a{clock, DMVPN_ROLE_SPOKE, "10.1.0.2", "192.0.2.11", kNatA, 2000};
  Site b{clock, DMVPN_ROLE_SPOKE, "10.2.0.2", "192.0.2.12", kNatB, 3000};
  Site c{clock, DMVPN_ROLE_SPOKE, "198.51.100.13", "192.0.2.13", {}, 4000};
  // Behind the same NAT as a.
  Site d{clock, DMVPN_ROLE_SPOKE, "10.1.0.3", "192.0.2.14", kNatA, 5000};
  std::vector<Site *> all{&hub, &a, &b, &c, &d};

  void SetUp() override { clock.advance(TimePoint{1000s}); }

  // Delivers what `from` sent since `start`: to a site's own address when
  // it is not behind NAT, to its NAT's address otherwise (the NAT in
  // front of a and d forwards to a: the tests never send to d through
  // it), from the sender's address as its NAT shows it.
  void deliver(Site &from, std::size_t start) {
    for (std::size_t i = start; i < from.io.sent.size(); ++i) {
      auto s = from.io.sent[i];
      for (Site *to : all)
        if (to != &d && to->seen_as() == s.to)
          to->dev.on_frame(from.seen_as(), s.bytes);
    }
  }

  void register_with_hub(Site &s) {
    s.dev.update(device_info(DMVPN_ROLE_SPOKE, s.dev.self().nbma.str().c_str()),
                 s.dev.proto(), {nhs("198.51.100.1", "192.0.2.1")});
    std::size_t h = hub.io.sent.size();
    hub.dev.on_frame(s.seen_as(), s.io.sent.back().bytes);
    ASSERT_EQ(hub.io.sent.size(), h + 1);
    ASSERT_EQ(hub.io.sent.back().to, s.seen_as());
    s.dev.on_frame(hub.seen_as(), hub.io.sent.back().bytes);
    ASSERT_NE(s.dev.preferred_nhs(), nullptr);
  }

  // `s` resolves `target` through the hub; returns the request it sent.
  nhrp::Packet resolve(Site &s, const char *target) {
    std::size_t n = s.io.sent.size();
    s.dev.on_miss(ip(target));
    EXPECT_EQ(s.io.sent.size(), n + 1);
    std::size_t h = hub.io.sent.size();
    deliver(s, n);
    deliver(hub, h);
    return s.io.sent[n].packet();
  }
};

TEST_F(Nat, SpokeLearnsItsAddressAfterNat) {
  register_with_hub(a);
  register_with_hub(c);
  EXPECT_EQ(a.dev.public_nbma(), kNatA);
  EXPECT_TRUE(a.io.published.back().nat);
  EXPECT_EQ(c.dev.public_nbma(), std::nullopt);
  const auto &e = hub.io.cache[ip("192.0.2.11")];
  EXPECT_EQ(e.nbma, kNatA);
  EXPECT_TRUE(e.flags & DMVPN_F_NAT);
}

TEST_F(Nat, RequestsCarryTheAddressAfterNat) {
  register_with_hub(a);
  register_with_hub(c);
  auto req = resolve(a, "192.0.2.13");
  EXPECT_EQ(nat_nbma_of(req, ip("192.0.2.11")), kNatA);
  // A spoke that knows of no NAT sends the extension empty.
  req = resolve(c, "192.0.2.11");
  const auto *e = req.find_extension(nhrp::ext::cisco_nat_address);
  ASSERT_NE(e, nullptr);
  EXPECT_TRUE(std::get<nhrp::CieList>(e->value).cies.empty());
}

TEST_F(Nat, NatedAndPublicSpokeResolveEachOther) {
  register_with_hub(a);
  register_with_hub(c);
  resolve(a, "192.0.2.13");
  EXPECT_EQ(a.io.cache[ip("192.0.2.13")].type, DMVPN_ENTRY_DYNAMIC);
  EXPECT_EQ(a.io.cache[ip("192.0.2.13")].nbma, ip("198.51.100.13"));
  resolve(c, "192.0.2.11");
  EXPECT_EQ(c.io.cache[ip("192.0.2.11")].type, DMVPN_ENTRY_DYNAMIC);
  EXPECT_EQ(c.io.cache[ip("192.0.2.11")].nbma, kNatA);
}

TEST_F(Nat, SpokesBehindTwoNatsResolveEachOther) {
  register_with_hub(a);
  register_with_hub(b);
  resolve(a, "192.0.2.12");
  EXPECT_EQ(a.io.cache[ip("192.0.2.12")].nbma, kNatB);
  // a greets b directly, so that a's NAT lets b's packets in.
  EXPECT_EQ(a.io.sent.back().to, kNatB);
  auto hello = a.io.sent.back().packet();
  EXPECT_EQ(hello.type(), nhrp::PacketType::resolution_request);
  EXPECT_EQ(Ip4::from_bytes(hello.dst_proto), ip("192.0.2.12"));
  // b answers it to where it came from, and a takes the answer as a
  // refresh of the same binding.
  std::size_t n = b.io.sent.size();
  b.dev.on_frame(kNatA, a.io.sent.back().bytes);
  ASSERT_EQ(b.io.sent.size(), n + 1);
  EXPECT_EQ(b.io.sent.back().to, kNatA);
  EXPECT_EQ(b.io.cache.count(ip("192.0.2.11")), 0u); // taught nothing
  a.dev.on_frame(kNatB, b.io.sent.back().bytes);
  EXPECT_EQ(a.io.cache[ip("192.0.2.12")].nbma, kNatB);
  EXPECT_EQ(a.io.cache[ip("192.0.2.12")].type, DMVPN_ENTRY_DYNAMIC);
  resolve(b, "192.0.2.11");
  EXPECT_EQ(b.io.cache[ip("192.0.2.11")].nbma, kNatA);
}

TEST_F(Nat, SharedNatStaysOnTheHub) {
  register_with_hub(a);
  // d registers through the same NAT address: the hub sees both there.
  d.dev.update(device_info(DMVPN_ROLE_SPOKE, "10.1.0.3"), d.dev.proto(),
               {nhs("198.51.100.1", "192.0.2.1")});
  hub.dev.on_frame(kNatA, d.io.sent.back().bytes);
  EXPECT_EQ(hub.io.cache[ip("192.0.2.14")].nbma, kNatA);
  resolve(a, "192.0.2.14");
  // No shortcut to our own NAT address: a negative entry keeps the
  // traffic on the hub and the resolver quiet.
  EXPECT_EQ(a.io.cache[ip("192.0.2.14")].type, DMVPN_ENTRY_NEGATIVE);
  EXPECT_FALSE(a.dev.resolver().pending(ip("192.0.2.14")));
}

// A request another hub forwarded (FRR, IOS) reaches the responder with
// the requester's address after NAT in its NAT extension: the responder
// answers and learns that address, and says its own.
TEST_F(Nat, ResponderUsesTheRequestersAddressAfterNat) {
  register_with_hub(b);
  RequestParams r;
  r.self = a.dev.self(); // claims its private address
  r.dst_proto = ip("192.0.2.12");
  r.request_id = 99;
  r.flags = 0xc802;
  r.holdtime = 30;
  r.nat_extension = true;
  r.nat_peer = Binding{kNatA, ip("192.0.2.11")};
  std::size_t n = b.io.sent.size();
  b.dev.on_frame(ip("198.51.100.1"), *nhrp::encode(resolution_request(r)));
  ASSERT_EQ(b.io.sent.size(), n + 1);
  EXPECT_EQ(b.io.sent[n].to, kNatA);
  auto rep = b.io.sent[n].packet();
  EXPECT_EQ(nat_nbma_of(rep, ip("192.0.2.12")), kNatB);
  EXPECT_EQ(nat_nbma_of(rep, ip("192.0.2.11")), std::nullopt);
  EXPECT_EQ(b.io.cache[ip("192.0.2.11")].nbma, kNatA);
}

// A responder behind NAT that answers us itself but does not say so
// (no NAT extension): its address is where its answer came from.
TEST_F(Nat, ResponderThatDoesNotSayIsTakenAtItsSource) {
  register_with_hub(c);
  std::size_t n = c.io.sent.size();
  c.dev.on_miss(ip("192.0.2.12"));
  auto req = c.io.sent[n].packet();
  Binding b_self{ip("10.2.0.2"), ip("192.0.2.12")};
  auto rep = resolution_reply(req, b_self, 0, b_self, 60, "");
  set_nat_binding(rep, std::nullopt);
  c.dev.on_frame(kNatB, *nhrp::encode(rep));
  EXPECT_EQ(c.io.cache[ip("192.0.2.12")].nbma, kNatB);
}

// A hub that passes a request on to its own server fills in the address
// after NAT of a requester registered with it.
TEST_F(Nat, ForwardingHubFillsTheNatExtension) {
  Site mid{clock, DMVPN_ROLE_HUB, "198.51.100.21", "192.0.2.21", {}, 6000};
  mid.dev.update(device_info(DMVPN_ROLE_HUB, "198.51.100.21"), mid.dev.proto(),
                 {nhs("198.51.100.1", "192.0.2.1")});
  std::size_t h = hub.io.sent.size();
  hub.dev.on_frame(mid.seen_as(), mid.io.sent.back().bytes);
  ASSERT_EQ(hub.io.sent.size(), h + 1);
  mid.dev.on_frame(hub.seen_as(), hub.io.sent.back().bytes);
  ASSERT_NE(mid.dev.preferred_nhs(), nullptr);
  // a registers with mid through its NAT, not knowing the address yet.
  a.dev.update(device_info(DMVPN_ROLE_SPOKE, "10.1.0.2"), a.dev.proto(),
               {nhs("198.51.100.21", "192.0.2.21")});
  mid.dev.on_frame(kNatA, a.io.sent.back().bytes);
  RequestParams r;
  r.self = a.dev.self();
  r.dst_proto = ip("192.0.2.99");
  r.request_id = 7;
  r.flags = 0xc802;
  r.nat_extension = true;
  std::size_t m = mid.io.sent.size();
  mid.dev.on_frame(kNatA, *nhrp::encode(resolution_request(r)));
  ASSERT_EQ(mid.io.sent.size(), m + 1);
  EXPECT_EQ(mid.io.sent[m].to, ip("198.51.100.1"));
  auto fwd = mid.io.sent[m].packet();
  EXPECT_EQ(fwd.type(), nhrp::PacketType::resolution_request);
  EXPECT_EQ(nat_nbma_of(fwd, ip("192.0.2.11")), kNatA);
  // A requester that names an address after NAT other than the one it
  // registered from is corrected: the responder would talk to it.
  r.request_id = 8;
  r.nat_peer = Binding{ip("198.51.100.66"), ip("192.0.2.11")};
  m = mid.io.sent.size();
  mid.dev.on_frame(kNatA, *nhrp::encode(resolution_request(r)));
  ASSERT_EQ(mid.io.sent.size(), m + 1);
  fwd = mid.io.sent[m].packet();
  EXPECT_EQ(nat_nbma_of(fwd, ip("192.0.2.11")), kNatA);
  const auto *ext = fwd.find_extension(nhrp::ext::cisco_nat_address);
  EXPECT_EQ(std::get<nhrp::CieList>(ext->value).cies.size(), 1u);
}

} // namespace
} // namespace dmvpnd::test
