// SPDX-License-Identifier: GPL-2.0
#include "nhrp/error.hpp"

#include "nhrp/constants.hpp"

namespace nhrp {

std::string_view to_string(Errc code) {
  switch (code) {
  case Errc::truncated:
    return "truncated";
  case Errc::bad_packet_size:
    return "bad packet size";
  case Errc::unsupported_version:
    return "unsupported version";
  case Errc::unknown_packet_type:
    return "unknown packet type";
  case Errc::bad_extension_offset:
    return "bad extension offset";
  case Errc::truncated_mandatory:
    return "truncated mandatory part";
  case Errc::address_length_mismatch:
    return "address length mismatch";
  case Errc::truncated_cie:
    return "truncated client information entry";
  case Errc::too_many_entries:
    return "too many entries";
  case Errc::truncated_extension:
    return "truncated extension";
  case Errc::missing_end_extension:
    return "missing end extension";
  case Errc::invalid_extension:
    return "invalid extension";
  case Errc::unknown_compulsory_extension:
    return "unknown compulsory extension";
  case Errc::bad_checksum:
    return "bad checksum";
  case Errc::invalid_model:
    return "invalid model";
  }
  return "unknown error";
}

std::uint16_t Error::indication_code() const {
  switch (code) {
  case Errc::unknown_compulsory_extension:
    return error_code::unrecognized_extension;
  case Errc::invalid_extension:
  case Errc::missing_end_extension:
  case Errc::truncated_extension:
    return error_code::invalid_extension;
  default:
    return error_code::protocol_error;
  }
}

} // namespace nhrp
