// SPDX-License-Identifier: GPL-2.0
// NHRP messages from capture files: NHRP in GRE (protocol 0x2001) in IPv4,
// or directly in IPv4 (IP protocol 54, RFC 2332 section 5), over Ethernet
// (with 802.1Q/802.1ad tags), Linux cooked (SLL, SLL2) or raw IP links.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nhrp::testing {

// How an NHRP message travels in the capture.
enum class Carrier { gre, ip };

struct NhrpPayload {
  Carrier carrier;
  std::size_t frame; // 1-based, as tshark numbers frames
  std::vector<std::uint8_t> bytes;
};

// A frame that carries NHRP but whose message the reader cannot extract.
struct NhrpRejected {
  Carrier carrier;
  std::size_t frame;
  std::string reason;
};

struct CaptureNhrp {
  std::size_t frames = 0;             // all frames read
  std::size_t skipped = 0;            // frames that are not NHRP
  std::vector<NhrpPayload> payloads;  // NHRP messages
  std::vector<NhrpRejected> rejected; // e.g. IPv4 fragments (not reassembled)
  std::string error;                  // pcap error, empty if none
};

CaptureNhrp read_capture(const std::string &path);

// The frames of path that libpcap's own filter calls IPv4 protocol 54
// (also behind VLAN tags on Ethernet): a count independent of
// read_capture. nullopt, with error set, if the file or filter fails.
std::optional<std::size_t> count_ip_proto_54(const std::string &path,
                                             std::string &error);

// DMVPN_CAPTURES, else ../shared/testdata/nhrp from the repository root,
// found from this program's location. nullopt if that does not exist.
std::optional<std::string> captures_dir();

// The .pcap / .pcapng files of dir, sorted.
std::vector<std::string> capture_files(const std::string &dir);

} // namespace nhrp::testing
