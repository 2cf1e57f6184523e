// SPDX-License-Identifier: GPL-2.0
#include <gtest/gtest.h>

#include "fake_io.hpp"
#include "messages.hpp"
#include "nhrp/codec.hpp"
#include "nhrp/constants.hpp"

namespace dmvpnd::test {
namespace {

RequestParams params() {
  RequestParams r;
  r.self = {ip("198.51.100.5"), ip("192.0.2.11")};
  r.dst_proto = ip("192.0.2.1");
  r.request_id = 0x1234;
  r.flags = nhrp::flags::reg_u | nhrp::flags::cisco_nat;
  r.holdtime = 30;
  r.auth = "secret";
  r.nat_extension = true;
  r.nat_peer = Binding{ip("198.51.100.1"), ip("192.0.2.1")};
  return r;
}

// Every packet we build survives encode -> decode -> encode unchanged.
void round_trip(const nhrp::Packet &p) {
  auto a = nhrp::encode(p);
  ASSERT_TRUE(a.ok()) << a.error().message;
  auto d = nhrp::decode(*a);
  ASSERT_TRUE(d.ok()) << d.error().message;
  auto b = nhrp::encode(*d);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*a, *b);
  EXPECT_NE(d->header.hop_count, 0);
}

TEST(Messages, RegistrationRequestLayout) {
  auto p = registration_request(params());
  round_trip(p);
  EXPECT_EQ(p.type(), nhrp::PacketType::registration_request);
  EXPECT_EQ(p.header.hop_count, 255);
  const auto *m = p.mandatory();
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->flags, 0x8002);
  EXPECT_EQ(m->request_id, 0x1234u);
  ASSERT_EQ(m->cies.size(), 1u);
  EXPECT_EQ(m->cies[0].prefix_length, 0xff);
  EXPECT_EQ(m->cies[0].mtu, 1514);
  EXPECT_EQ(m->cies[0].holding_time, 30);
  EXPECT_TRUE(m->cies[0].nbma.addr.empty());
  EXPECT_TRUE(m->cies[0].proto.empty());
  std::vector<std::uint16_t> types;
  for (const auto &e : p.extensions)
    types.push_back(e.type);
  EXPECT_EQ(types, (std::vector<std::uint16_t>{3, 4, 5, 7, 9, 0}));
  EXPECT_FALSE(p.extensions[4].compulsory); // Cisco NAT is not compulsory
  EXPECT_EQ(auth_of(p), "secret");
}

TEST(Messages, NoAuthExtensionWithoutPassword) {
  auto r = params();
  r.auth.clear();
  auto p = registration_request(r);
  EXPECT_EQ(p.find_extension(nhrp::ext::authentication), nullptr);
  EXPECT_FALSE(auth_of(p));
}

TEST(Messages, RegistrationReplyNat) {
  auto req = registration_request(params());
  Binding hub{ip("198.51.100.1"), ip("192.0.2.1")};
  Binding seen{ip("203.0.113.99"), ip("192.0.2.11")};
  auto rep = registration_reply(req, hub, 0, seen, "secret");
  round_trip(rep);
  EXPECT_EQ(rep.type(), nhrp::PacketType::registration_reply);
  EXPECT_EQ(rep.mandatory()->request_id, 0x1234u);
  EXPECT_EQ(rep.mandatory()->flags, 0x8002);
  EXPECT_EQ(rep.mandatory()->cies[0].code, 0);
  const auto *resp = rep.find_extension(nhrp::ext::responder_address);
  ASSERT_NE(resp, nullptr);
  const auto &rc = std::get<nhrp::CieList>(resp->value).cies;
  ASSERT_EQ(rc.size(), 1u);
  EXPECT_EQ(Ip4::from_bytes(rc[0].proto), hub.proto);
  const auto &nat = std::get<nhrp::CieList>(rep.find_extension(9)->value).cies;
  ASSERT_EQ(nat.size(), 2u);
  EXPECT_EQ(Ip4::from_bytes(nat[1].nbma.addr), seen.nbma);
}

// FRR's "nhs dynamic" spoke asks with dst = its own address and takes the
// hub's tunnel address from the reply's dst.
TEST(Messages, RegistrationReplyNamesTheHub) {
  auto r = params();
  r.dst_proto = r.self.proto;
  auto req = registration_request(r);
  Binding hub{ip("198.51.100.1"), ip("192.0.2.1")};
  auto rep = registration_reply(req, hub, 0, std::nullopt, "secret");
  round_trip(rep);
  EXPECT_EQ(Ip4::from_bytes(rep.dst_proto), hub.proto);
  EXPECT_EQ(rep.src_proto, req.src_proto);
}

TEST(Messages, ResolutionRequestAndReply) {
  auto r = params();
  r.dst_proto = ip("192.0.2.12");
  r.flags = 0xc802;
  r.nat_peer.reset();
  auto req = resolution_request(r);
  round_trip(req);
  // Empty, for a server on the way to fill (Cisco and FRR send it so).
  const auto *nat = req.find_extension(9);
  ASSERT_NE(nat, nullptr);
  EXPECT_FALSE(nat->compulsory);
  EXPECT_TRUE(std::get<nhrp::CieList>(nat->value).cies.empty());
  Binding hub{ip("198.51.100.1"), ip("192.0.2.1")};
  Binding s2{ip("198.51.100.9"), ip("192.0.2.12")};
  auto rep = resolution_reply(req, hub, 0, s2, 25, "secret");
  round_trip(rep);
  const auto *m = rep.mandatory();
  EXPECT_EQ(m->flags & 0x6000, 0x6000);
  ASSERT_EQ(m->cies.size(), 1u);
  EXPECT_EQ(Ip4::from_bytes(m->cies[0].nbma.addr), s2.nbma);
  EXPECT_EQ(m->cies[0].holding_time, 25);
  auto neg = resolution_reply(req, hub, 12, std::nullopt, 30, "secret");
  round_trip(neg);
  EXPECT_EQ(neg.mandatory()->cies[0].code, 12);
}

TEST(Messages, ErrorIndicationAndPurge) {
  auto req = registration_request(params());
  auto raw = *nhrp::encode(req);
  Binding hub{ip("198.51.100.1"), ip("192.0.2.1")};
  auto ei = error_indication(raw, hub, req.src_proto, 11, 0);
  round_trip(ei);
  EXPECT_EQ(std::get<nhrp::ErrorIndication>(ei.body).code, 11);
  EXPECT_TRUE(ei.extensions.empty());
  auto pr = purge_reply(req, hub, "secret");
  pr.header.type = 5; // any mandatory packet can be echoed
  round_trip(pr);
}

} // namespace
} // namespace dmvpnd::test
