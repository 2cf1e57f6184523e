// SPDX-License-Identifier: GPL-2.0
// The NHRP packet model. Lengths, extoff and pktsz are derived from the
// model when encoding; everything else found on the wire is kept, so a
// decoded packet re-encodes byte for byte.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <variant>
#include <vector>

#include "nhrp/constants.hpp"

namespace nhrp {

using Bytes = std::vector<std::uint8_t>;

// An NBMA address or subaddress: the type bits of its type/length octet
// (bit 6 = E.164, bit 7 reserved) and the address octets.
struct NbmaAddress {
  std::uint8_t type_bits = 0; // only bits 6-7 are used
  Bytes addr;
  bool operator==(const NbmaAddress &) const = default;
};

struct FixedHeader {
  std::uint16_t afn = afn::ipv4;
  std::uint16_t protocol_type = proto::ipv4;
  std::array<std::uint8_t, 5> snap{};
  std::uint8_t hop_count = 255;
  std::uint16_t checksum = 0; // as found (decode) / as last computed
  std::uint8_t version = kVersion;
  std::uint8_t type = 0; // PacketType, kept raw
  bool operator==(const FixedHeader &) const = default;
};

// Client Information Entry.
struct Cie {
  std::uint8_t code = cie_code::success;
  std::uint8_t prefix_length = 0xff;
  std::uint16_t unused = 0;
  std::uint16_t mtu = 0;
  std::uint16_t holding_time = 0;
  NbmaAddress nbma;
  NbmaAddress nbma_sub;
  std::uint8_t preference = 0;
  Bytes proto;
  bool operator==(const Cie &) const = default;
};

// Types 1-6.
struct Mandatory {
  std::uint16_t flags = 0;
  std::uint32_t request_id = 0;
  std::vector<Cie> cies;
  bool operator==(const Mandatory &) const = default;
};

// Type 7. The offending packet runs to extoff (or pktsz).
struct ErrorIndication {
  std::uint16_t unused = 0;
  std::uint16_t code = 0;
  std::uint16_t offset = 0;
  Bytes offending;
  bool operator==(const ErrorIndication &) const = default;
};

// Type 8 (Cisco). The quoted packet runs to extoff (or pktsz).
struct TrafficIndication {
  std::uint16_t unused = 0;
  std::uint16_t code = 0; // 0 = redirect
  std::uint16_t unused2 = 0;
  Bytes quoted;
  bool operator==(const TrafficIndication &) const = default;
};

// Extension values.
struct RawValue { // End, unknown types, and type 9 when it is not CIEs
  Bytes data;
  bool operator==(const RawValue &) const = default;
};
struct CieList { // 3, 4, 5, 9
  std::vector<Cie> cies;
  bool operator==(const CieList &) const = default;
};
struct Authentication { // 7, Cisco layout: 00000001 + cleartext password
  std::uint32_t spi = 1;
  Bytes data;
  bool operator==(const Authentication &) const = default;
};
struct VendorPrivate { // 8
  std::array<std::uint8_t, 3> oui{};
  Bytes data;
  bool operator==(const VendorPrivate &) const = default;
};

struct Extension {
  bool compulsory = true;
  bool unused_bit = false;
  std::uint16_t type = ext::end; // 14 bits
  std::variant<RawValue, CieList, Authentication, VendorPrivate> value;
  bool operator==(const Extension &) const = default;
};

struct Packet {
  FixedHeader header;
  NbmaAddress src_nbma;     // shtl
  NbmaAddress src_nbma_sub; // sstl
  Bytes src_proto;
  Bytes dst_proto;
  std::variant<Mandatory, ErrorIndication, TrafficIndication> body;
  // In wire order; when non-empty the last one is the End extension.
  std::vector<Extension> extensions;
  Bytes trailer; // bytes after the End extension, up to pktsz
  bool operator==(const Packet &) const = default;

  [[nodiscard]] PacketType type() const {
    return static_cast<PacketType>(header.type);
  }
  Mandatory *mandatory() { return std::get_if<Mandatory>(&body); }
  const Mandatory *mandatory() const { return std::get_if<Mandatory>(&body); }
  // First extension of a type, or nullptr.
  const Extension *find_extension(std::uint16_t type) const;
  Extension *find_extension(std::uint16_t type);
};

// Address helpers.
Bytes ipv4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d);
Bytes ipv6(const std::array<std::uint8_t, 16> &addr);
std::optional<Bytes> parse_address(const char *text); // IPv4 or IPv6 text

// End extension as Cisco sends it (0x8000 0x0000).
Extension end_extension();
// A compulsory extension with an empty value (e.g. request placeholders).
Extension cie_list_extension(std::uint16_t type, std::vector<Cie> cies = {});
Extension authentication_extension(const Bytes &password);

} // namespace nhrp
