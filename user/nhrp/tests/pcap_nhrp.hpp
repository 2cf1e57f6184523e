// SPDX-License-Identifier: GPL-2.0
// NHRP payloads from capture files: NHRP in GRE (protocol 0x2001) in IPv4,
// over Ethernet (with 802.1Q/802.1ad tags), Linux cooked (SLL, SLL2) or
// raw IP links.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nhrp::testing {

struct CaptureNhrp {
  std::size_t frames = 0;                          // all frames read
  std::size_t skipped = 0;                         // frames that are not NHRP
  std::vector<std::vector<std::uint8_t>> payloads; // GRE payloads
  std::string error;                               // pcap error, empty if none
};

CaptureNhrp read_capture(const std::string &path);

// DMVPN_CAPTURES, else ../shared/testdata/nhrp from the repository root,
// found from this program's location. nullopt if that does not exist.
std::optional<std::string> captures_dir();

// The .pcap / .pcapng files of dir, sorted.
std::vector<std::string> capture_files(const std::string &dir);

} // namespace nhrp::testing
