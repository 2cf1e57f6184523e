// SPDX-License-Identifier: GPL-2.0
// NHRP numbers (RFC 2332, RFC 2735, Cisco / draft-detienne-dmvpn-01).
#pragma once

#include <cstddef>
#include <cstdint>

namespace nhrp {

inline constexpr std::size_t kFixedHeaderSize = 20;
inline constexpr std::size_t kCieHeaderSize = 12;
inline constexpr std::size_t kExtensionHeaderSize = 4;
inline constexpr std::uint8_t kVersion = 1;

// Limits against oversized input.
inline constexpr std::size_t kMaxCies = 1024;
inline constexpr std::size_t kMaxExtensions = 256;

namespace afn {
inline constexpr std::uint16_t ipv4 = 1;
inline constexpr std::uint16_t ipv6 = 2;
} // namespace afn

namespace proto {
inline constexpr std::uint16_t ipv4 = 0x0800;
inline constexpr std::uint16_t ipv6 = 0x86dd;
} // namespace proto

enum class PacketType : std::uint8_t {
  resolution_request = 1,
  resolution_reply = 2,
  registration_request = 3,
  registration_reply = 4,
  purge_request = 5,
  purge_reply = 6,
  error_indication = 7,
  traffic_indication = 8,
};

namespace flags {
inline constexpr std::uint16_t res_q = 0x8000;
inline constexpr std::uint16_t res_a = 0x4000;
inline constexpr std::uint16_t res_d = 0x2000;
inline constexpr std::uint16_t res_u = 0x1000;
inline constexpr std::uint16_t res_s = 0x0800;
inline constexpr std::uint16_t reg_u = 0x8000;
inline constexpr std::uint16_t purge_n = 0x8000;
inline constexpr std::uint16_t cisco_nat = 0x0002;
} // namespace flags

namespace cie_code {
inline constexpr std::uint8_t success = 0;
inline constexpr std::uint8_t admin_prohibited = 4;
inline constexpr std::uint8_t insufficient_resources = 5;
inline constexpr std::uint8_t no_binding_frr = 11;
inline constexpr std::uint8_t no_binding = 12;
inline constexpr std::uint8_t binding_not_unique = 13;
inline constexpr std::uint8_t already_registered = 14;
} // namespace cie_code

namespace ext {
inline constexpr std::uint16_t end = 0;
inline constexpr std::uint16_t responder_address = 3;
inline constexpr std::uint16_t forward_transit_nhs = 4;
inline constexpr std::uint16_t reverse_transit_nhs = 5;
inline constexpr std::uint16_t authentication = 7;
inline constexpr std::uint16_t vendor_private = 8;
inline constexpr std::uint16_t cisco_nat_address = 9;
inline constexpr std::uint16_t compulsory_bit = 0x8000;
inline constexpr std::uint16_t unused_bit = 0x4000;
inline constexpr std::uint16_t type_mask = 0x3fff;
} // namespace ext

namespace error_code {
inline constexpr std::uint16_t unrecognized_extension = 1;
inline constexpr std::uint16_t loop_detected = 3;
inline constexpr std::uint16_t protocol_address_unreachable = 6;
inline constexpr std::uint16_t protocol_error = 7;
inline constexpr std::uint16_t sdu_size_exceeded = 8;
inline constexpr std::uint16_t invalid_extension = 9;
inline constexpr std::uint16_t invalid_reply = 10;
inline constexpr std::uint16_t authentication_failure = 11;
inline constexpr std::uint16_t hop_count_exceeded = 15;
} // namespace error_code

} // namespace nhrp
