// SPDX-License-Identifier: GPL-2.0
// Every malformed input is rejected with a reason.
#include <gtest/gtest.h>

#include "test_util.hpp"

using namespace nhrp;
using namespace nhrp::testing;

namespace {

Errc reject(Bytes b, bool fix = true) {
  if (fix && b.size() >= 20)
    fix_checksum(b);
  auto r = decode(b);
  EXPECT_FALSE(r.ok());
  if (r.ok())
    return Errc::invalid_model;
  EXPECT_FALSE(r.error().message.empty());
  return r.error().code;
}

void set16(Bytes &b, std::size_t at, std::uint16_t v) {
  b[at] = static_cast<std::uint8_t>(v >> 8);
  b[at + 1] = static_cast<std::uint8_t>(v);
}

} // namespace

TEST(Malformed, EveryTruncationIsRejected) {
  const Bytes full = ios_registration();
  for (std::size_t n = 0; n < full.size(); ++n) {
    Bytes b(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(n));
    auto r = decode(b);
    EXPECT_FALSE(r.ok()) << n;
    if (!r.ok())
      EXPECT_EQ(r.error().code,
                n < 20 ? Errc::truncated : Errc::bad_packet_size)
          << n;
  }
}

TEST(Malformed, PktszShorterThanContent) {
  // pktsz cut inside the extensions / mandatory part, buffer complete.
  Bytes b = ios_registration();
  set16(b, 10, 79);
  EXPECT_EQ(reject(b), Errc::truncated_extension);
  set16(b, 10, 77);
  EXPECT_EQ(reject(b), Errc::missing_end_extension);
  set16(b, 10, 40);
  EXPECT_EQ(reject(b), Errc::bad_extension_offset);
  set16(b, 14, 0); // exactly the mandatory part, no CIE: valid
  fix_checksum(b);
  EXPECT_TRUE(decode(b).ok());
  set16(b, 10, 38);
  EXPECT_EQ(reject(b), Errc::truncated_mandatory);
  set16(b, 10, 38);
  set16(b, 14, 30); // extoff inside the mandatory part, pktsz covers it
  set16(b, 10, 40);
  EXPECT_EQ(reject(b), Errc::bad_extension_offset);
  set16(b, 14, 0);
  set16(b, 10, 10);
  EXPECT_EQ(reject(b), Errc::bad_packet_size);
}

TEST(Malformed, PktszLargerThanBuffer) {
  Bytes b = ios_registration();
  set16(b, 10, 82);
  EXPECT_EQ(reject(b), Errc::bad_packet_size);
}

TEST(Malformed, BytesAfterPktszAreIgnored) {
  Bytes b = ios_registration();
  b.push_back(0xaa);
  auto r = decode(b);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*encode(*r, ChecksumMode::keep), ios_registration());
}

TEST(Malformed, BadChecksum) {
  Bytes b = ios_registration();
  b[12] ^= 1;
  EXPECT_EQ(reject(b, false), Errc::bad_checksum);
  DecodeOptions lax;
  lax.verify_checksum = false;
  auto r = decode(b, lax);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*encode(*r, ChecksumMode::keep), b);
}

TEST(Malformed, VersionAndType) {
  Bytes b = ios_registration();
  b[16] = 2;
  EXPECT_EQ(reject(b), Errc::unsupported_version);
  b = ios_registration();
  b[17] = 9;
  EXPECT_EQ(reject(b), Errc::unknown_packet_type);
  b[17] = 0;
  EXPECT_EQ(reject(b), Errc::unknown_packet_type);
}

TEST(Malformed, ExtensionOffsets) {
  Bytes b = ios_registration();
  set16(b, 14, 19); // inside the fixed header
  EXPECT_EQ(reject(b), Errc::bad_extension_offset);
  set16(b, 14, 30); // inside the mandatory part
  EXPECT_EQ(reject(b), Errc::bad_extension_offset);
  set16(b, 14, 82); // past the end
  EXPECT_EQ(reject(b), Errc::bad_extension_offset);
  set16(b, 14, 81); // at the end: extensions parsed as CIEs
  EXPECT_EQ(reject(b), Errc::address_length_mismatch);
  set16(b, 14, 50); // splits the CIE
  EXPECT_EQ(reject(b), Errc::truncated_cie);
  set16(b, 14, 56); // inside the extension list: mis-parsed, no End
  EXPECT_NE(reject(b), Errc::invalid_model);
}

TEST(Malformed, ExtensionLengthOverlapsNext) {
  Bytes b = ios_registration();
  set16(b, 54, 0x0040); // responder length 64 runs past pktsz
  EXPECT_EQ(reject(b), Errc::truncated_extension);
  b = ios_registration();
  set16(b, 66, 10); // authentication length swallows End
  EXPECT_EQ(reject(b), Errc::truncated_extension);
  b = ios_registration();
  set16(b, 54, 4); // responder value "8004 0000" is not a CIE
  EXPECT_EQ(reject(b), Errc::invalid_extension);
}

TEST(Malformed, InvalidKnownExtensions) {
  Packet p = base_packet(PacketType::resolution_request);
  p.body = Mandatory{};
  p.extensions = {
      Extension{true, false, ext::authentication, RawValue{hex("0001")}},
      end_extension()};
  EXPECT_EQ(reject(*encode(p)), Errc::invalid_extension);
  p.extensions[0] =
      Extension{false, false, ext::vendor_private, RawValue{hex("0000")}};
  EXPECT_EQ(reject(*encode(p)), Errc::invalid_extension);
}

TEST(Malformed, AddressLengthsNotMatching) {
  Bytes b = ios_registration();
  b[18] = 0x05; // NBMA length 5 for afn IPv4
  EXPECT_EQ(reject(b), Errc::address_length_mismatch);

  Packet p = base_packet(PacketType::resolution_request);
  p.body = Mandatory{};
  p.src_proto = hex("0102030405");
  EXPECT_EQ(reject(*encode(p)), Errc::address_length_mismatch);
  p.src_proto = ipv4(1, 2, 3, 4);
  p.mandatory()->cies = {host_cie(hex("0102"), {})};
  EXPECT_EQ(reject(*encode(p)), Errc::address_length_mismatch);
  p.mandatory()->cies = {host_cie({}, hex("01020304050607"))};
  EXPECT_EQ(reject(*encode(p)), Errc::address_length_mismatch);
  p.header.afn = 3; // unknown family: any length
  p.header.protocol_type = 0x1234;
  auto ok = decode(*encode(p));
  EXPECT_TRUE(ok.ok());
}

TEST(Malformed, CieAddressesRunPastEnd) {
  Bytes b = ios_registration();
  b[48] = 0x04; // CIE NBMA length 4, but no bytes for it before extoff
  EXPECT_EQ(reject(b), Errc::truncated_cie);
}

TEST(Malformed, OversizedCounts) {
  Packet p = base_packet(PacketType::registration_request);
  p.body = Mandatory{};
  p.mandatory()->cies.assign(kMaxCies + 1, Cie{});
  EXPECT_EQ(encode(p).error().code, Errc::invalid_model);
  // Hand-built: 1025 empty CIEs.
  Bytes b = *encode(base_packet(PacketType::registration_request));
  b.resize(b.size() + (kMaxCies + 1) * kCieHeaderSize, 0);
  set16(b, 10, static_cast<std::uint16_t>(b.size()));
  EXPECT_EQ(reject(b), Errc::too_many_entries);
  // 257 unknown non-compulsory empty extensions, then End.
  b = *encode(base_packet(PacketType::registration_request));
  set16(b, 14, static_cast<std::uint16_t>(b.size()));
  for (std::size_t i = 0; i < kMaxExtensions + 1; ++i) {
    Bytes e = hex("0100 0000");
    b.insert(b.end(), e.begin(), e.end());
  }
  Bytes end = hex("8000 0000");
  b.insert(b.end(), end.begin(), end.end());
  set16(b, 10, static_cast<std::uint16_t>(b.size()));
  EXPECT_EQ(reject(b), Errc::too_many_entries);
}

TEST(Malformed, ErrorStrings) {
  auto r = decode(hex("0001"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("truncated"), std::string::npos);
  EXPECT_EQ(to_string(Errc::bad_checksum), "bad checksum");
}
