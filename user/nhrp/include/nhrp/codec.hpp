// SPDX-License-Identifier: GPL-2.0
// NHRP decoder and encoder.
#pragma once

#include <cstdint>
#include <span>

#include "nhrp/packet.hpp"
#include "nhrp/result.hpp"

namespace nhrp {

struct DecodeOptions {
  // Reject packets whose checksum does not verify (Errc::bad_checksum).
  bool verify_checksum = true;
  // Reject unknown extensions with the C bit set
  // (Errc::unknown_compulsory_extension, indication code 1). When false they
  // are kept as RawValue like non-compulsory unknown ones.
  bool reject_unknown_compulsory = true;
};

enum class ChecksumMode {
  compute, // fill in the correct checksum (header.checksum is ignored)
  keep,    // write header.checksum as is
};

// Decodes the NHRP packet at the start of data (pktsz bytes of it; bytes
// after pktsz are ignored). Never reads outside data.
Result<Packet> decode(std::span<const std::uint8_t> data,
                      const DecodeOptions &options = {});

// Encodes a packet. Fails with Errc::invalid_model when the model cannot be
// represented (address too long, body not matching the type, End extension
// not last, packet over 65535 bytes, ...).
Result<Bytes> encode(const Packet &packet,
                     ChecksumMode mode = ChecksumMode::compute);

} // namespace nhrp
