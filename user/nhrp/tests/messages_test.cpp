// SPDX-License-Identifier: GPL-2.0
// Build -> encode -> decode -> equal, for every message type.
#include <gtest/gtest.h>

#include "nhrp/checksum.hpp"
#include "test_util.hpp"

using namespace nhrp;
using namespace nhrp::testing;

namespace {

Packet round_trip(const Packet &p) {
  auto bytes = encode(p);
  EXPECT_TRUE(bytes.ok()) << (bytes.ok() ? "" : bytes.error().message);
  if (!bytes)
    return {};
  EXPECT_TRUE(checksum_ok(*bytes));
  auto back = decode(*bytes);
  EXPECT_TRUE(back.ok()) << (back.ok() ? "" : back.error().message);
  if (!back)
    return {};
  auto again = encode(*back, ChecksumMode::keep);
  EXPECT_TRUE(again.ok());
  if (again)
    EXPECT_EQ(*again, *bytes);
  Packet got = *back;
  got.header.checksum = p.header.checksum; // the only field encode changes
  return got;
}

std::vector<Extension> request_extensions() {
  return {cie_list_extension(ext::responder_address),
          cie_list_extension(ext::forward_transit_nhs),
          cie_list_extension(ext::reverse_transit_nhs),
          authentication_extension({'O', 'T', 'U', 'S'}), end_extension()};
}

} // namespace

TEST(Messages, IosVectorDecodes) {
  auto p = decode(ios_registration());
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->type(), PacketType::registration_request);
  EXPECT_EQ(p->header.hop_count, 255);
  EXPECT_EQ(p->header.checksum, 0xe8e4);
  EXPECT_EQ(p->src_nbma.addr, ipv4(10, 0, 12, 2));
  EXPECT_EQ(p->src_proto, ipv4(192, 168, 0, 2));
  EXPECT_EQ(p->dst_proto, ipv4(192, 168, 0, 1));
  const Mandatory *m = p->mandatory();
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->flags, flags::reg_u);
  EXPECT_EQ(m->request_id, 5u);
  ASSERT_EQ(m->cies.size(), 1u);
  EXPECT_EQ(m->cies[0].prefix_length, 255);
  EXPECT_EQ(m->cies[0].mtu, 1514);
  EXPECT_EQ(m->cies[0].holding_time, 30);
  EXPECT_TRUE(m->cies[0].nbma.addr.empty());
  ASSERT_EQ(p->extensions.size(), 5u);
  const Extension *auth = p->find_extension(ext::authentication);
  ASSERT_NE(auth, nullptr);
  const auto &a = std::get<Authentication>(auth->value);
  EXPECT_EQ(a.spi, 1u);
  EXPECT_EQ(std::string(a.data.begin(), a.data.end()), "CISCO");
  EXPECT_TRUE(p->extensions.back().compulsory);
  auto bytes = encode(*p, ChecksumMode::keep);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(*bytes, ios_registration());
  auto computed = encode(*p);
  ASSERT_TRUE(computed.ok());
  EXPECT_EQ(*computed, ios_registration());
}

TEST(Messages, ResolutionRequestAndReply) {
  Packet req = base_packet(PacketType::resolution_request);
  req.body = Mandatory{0xc802, 42, {host_cie({}, {})}};
  req.extensions = request_extensions();
  EXPECT_EQ(round_trip(req), req);

  Packet rep = base_packet(PacketType::resolution_reply);
  Cie c = host_cie(ipv4(10, 0, 0, 3), ipv4(192, 168, 0, 3));
  rep.body = Mandatory{0xf802, 42, {c}};
  rep.extensions = request_extensions();
  rep.extensions[0] =
      cie_list_extension(ext::responder_address,
                         {host_cie(ipv4(10, 0, 0, 1), ipv4(192, 168, 0, 1))});
  EXPECT_EQ(round_trip(rep), rep);
}

TEST(Messages, RegistrationRequestAndReply) {
  Packet req = base_packet(PacketType::registration_request);
  req.body = Mandatory{flags::reg_u | flags::cisco_nat, 7, {host_cie({}, {})}};
  req.extensions = request_extensions();
  req.extensions.insert(
      req.extensions.end() - 1,
      Extension{false, false, ext::cisco_nat_address,
                CieList{{host_cie(ipv4(10, 0, 0, 1), ipv4(192, 168, 0, 1))}}});
  EXPECT_EQ(round_trip(req), req);

  Packet rep = req;
  rep.header.type = static_cast<std::uint8_t>(PacketType::registration_reply);
  rep.mandatory()->cies[0].code = cie_code::already_registered;
  EXPECT_EQ(round_trip(rep), rep);
}

TEST(Messages, PurgeRequestAndReply) {
  Packet req = base_packet(PacketType::purge_request);
  req.body = Mandatory{flags::purge_n,
                       9,
                       {host_cie(ipv4(10, 0, 0, 3), ipv4(192, 168, 0, 3), 0)}};
  EXPECT_EQ(round_trip(req), req);
  Packet rep = req;
  rep.header.type = static_cast<std::uint8_t>(PacketType::purge_reply);
  rep.mandatory()->flags = 0;
  rep.extensions = {end_extension()};
  EXPECT_EQ(round_trip(rep), rep);
}

TEST(Messages, ErrorIndication) {
  Packet e = base_packet(PacketType::error_indication);
  e.body = ErrorIndication{0, error_code::unrecognized_extension, 52,
                           ios_registration()};
  EXPECT_EQ(round_trip(e), e);
}

TEST(Messages, TrafficIndication) {
  Packet t = base_packet(PacketType::traffic_indication);
  t.header.hop_count = 1;
  t.body = TrafficIndication{0, 0, 0,
                             hex("45000054 00004000 40010000 c0a80102 c0a80203"
                                 "0800f7ff 00000000")};
  t.extensions = {end_extension()};
  EXPECT_EQ(round_trip(t), t);
}

TEST(Messages, Ipv6ProtocolAndNbma) {
  Packet p = base_packet(PacketType::resolution_request);
  p.header.afn = afn::ipv6;
  p.header.protocol_type = proto::ipv6;
  p.src_nbma.addr = *parse_address("2001:db8::2");
  p.src_proto = *parse_address("fd00::2");
  p.dst_proto = *parse_address("fd00::3");
  p.body = Mandatory{
      flags::res_q,
      1,
      {host_cie(*parse_address("2001:db8::3"), *parse_address("fd00::3"))}};
  p.extensions = request_extensions();
  EXPECT_EQ(round_trip(p), p);
}

TEST(Messages, E164NbmaAndSubaddress) {
  Packet p = base_packet(PacketType::registration_request);
  p.header.afn = 8; // E.164
  p.src_nbma = NbmaAddress{0x40, hex("3531323334353637")};
  p.src_nbma_sub = NbmaAddress{0x00, hex("0102")};
  Cie c = host_cie({}, ipv4(192, 168, 0, 2));
  c.nbma = NbmaAddress{0x40, hex("353132")};
  p.body = Mandatory{flags::reg_u, 3, {c}};
  p.extensions = {end_extension()};
  EXPECT_EQ(round_trip(p), p);
}

TEST(Messages, VendorPrivateUnknownAndTrailer) {
  Packet p = base_packet(PacketType::resolution_request);
  p.body = Mandatory{0, 1, {}};
  p.extensions = {
      Extension{true, false, ext::vendor_private,
                VendorPrivate{{0x00, 0x00, 0x0c}, hex("deadbeef")}},
      Extension{false, true, 0x1234, RawValue{hex("0102")}},
      Extension{false, false, ext::cisco_nat_address,
                RawValue{hex("0000000100000002")}}, // RFC 2735 capabilities
      end_extension()};
  p.trailer = hex("00");
  EXPECT_EQ(round_trip(p), p);
}

TEST(Messages, UnknownCompulsoryExtension) {
  Packet p = base_packet(PacketType::resolution_request);
  p.body = Mandatory{};
  p.extensions = {Extension{true, false, 0x0100, RawValue{hex("aa")}},
                  end_extension()};
  auto bytes = encode(p);
  ASSERT_TRUE(bytes.ok());
  auto d = decode(*bytes);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, Errc::unknown_compulsory_extension);
  EXPECT_EQ(d.error().indication_code(), error_code::unrecognized_extension);
  EXPECT_EQ(d.error().offset, 40u); // the extension header
  DecodeOptions keep;
  keep.reject_unknown_compulsory = false;
  auto k = decode(*bytes, keep);
  ASSERT_TRUE(k.ok());
  EXPECT_EQ(k->extensions[0].type, 0x0100);
}

TEST(Messages, EncoderRejectsInvalidModels) {
  Packet p = base_packet(PacketType::registration_request);
  p.body = ErrorIndication{};
  EXPECT_EQ(encode(p).error().code, Errc::invalid_model);
  p.body = Mandatory{};
  p.extensions = {end_extension(), cie_list_extension(3)};
  EXPECT_EQ(encode(p).error().code, Errc::invalid_model);
  p.extensions = {cie_list_extension(3)};
  EXPECT_EQ(encode(p).error().code, Errc::invalid_model);
  p.extensions.clear();
  p.trailer = {1};
  EXPECT_EQ(encode(p).error().code, Errc::invalid_model);
  p.trailer.clear();
  p.src_nbma.addr.resize(64);
  EXPECT_EQ(encode(p).error().code, Errc::invalid_model);
  p.src_nbma.addr = ipv4(1, 2, 3, 4);
  p.header.type = 9;
  EXPECT_EQ(encode(p).error().code, Errc::invalid_model);
}
