// SPDX-License-Identifier: GPL-2.0
// Why a packet was rejected by the decoder or the encoder.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace nhrp {

enum class Errc {
  truncated,            // buffer shorter than the fixed header
  bad_packet_size,      // pktsz < 20 or larger than the buffer
  unsupported_version,  // op.version != 1
  unknown_packet_type,  // op.type not 1..8
  bad_extension_offset, // extoff inside the fixed/mandatory part or past pktsz
  truncated_mandatory,  // mandatory part runs past extoff/pktsz
  address_length_mismatch, // address length does not fit afn / protocol type
  truncated_cie,           // CIE runs past the end of its area
  too_many_entries,        // more CIEs or extensions than we accept
  truncated_extension,     // extension header/value runs past pktsz
  missing_end_extension,   // extension list without an End extension
  invalid_extension,       // known extension with a malformed value
  unknown_compulsory_extension, // unknown extension with the C bit set
  bad_checksum,                 // checksum does not verify
  invalid_model,                // encoder: the model cannot be put on the wire
};

struct Error {
  Errc code;
  std::size_t offset = 0; // byte offset of the problem in the NHRP packet
  std::string message;    // human readable

  // The RFC 2332 Error Indication code to send back for this error.
  [[nodiscard]] std::uint16_t indication_code() const;
};

std::string_view to_string(Errc code);

} // namespace nhrp
