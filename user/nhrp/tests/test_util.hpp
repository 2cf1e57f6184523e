// SPDX-License-Identifier: GPL-2.0
// Helpers shared by the unit tests.
#pragma once

#include <string>

#include "nhrp/codec.hpp"

namespace nhrp::testing {

inline Bytes hex(const std::string &s) {
  Bytes out;
  int hi = -1;
  for (char c : s) {
    int v = -1;
    if (c >= '0' && c <= '9')
      v = c - '0';
    else if (c >= 'a' && c <= 'f')
      v = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F')
      v = c - 'A' + 10;
    if (v < 0)
      continue;
    if (hi < 0) {
      hi = v;
    } else {
      out.push_back(static_cast<std::uint8_t>(hi << 4 | v));
      hi = -1;
    }
  }
  return out;
}

// The Cisco IOS registration request of ios_nhrp.pcap (nhrp-wire.md).
inline Bytes ios_registration() {
  return hex("00010800 00000000 00ff0051 e8e40034 01030400"
             "0404 8000 00000005 0a000c02 c0a80002 c0a80001"
             "00ff 0000 05ea 001e 00 00 00 00"
             "8003 0000 8004 0000 8005 0000"
             "8007 0009 00000001 434953434f"
             "8000 0000");
}

inline Cie host_cie(Bytes nbma, Bytes proto, std::uint16_t holding = 7200) {
  Cie c;
  c.prefix_length = 32;
  c.mtu = 1514;
  c.holding_time = holding;
  c.nbma.addr = std::move(nbma);
  c.proto = std::move(proto);
  return c;
}

inline Packet base_packet(PacketType t) {
  Packet p;
  p.header.type = static_cast<std::uint8_t>(t);
  p.src_nbma.addr = ipv4(10, 0, 0, 2);
  p.src_proto = ipv4(192, 168, 0, 2);
  p.dst_proto = ipv4(192, 168, 0, 1);
  return p;
}

// Over pktsz bytes (or the whole buffer if pktsz is larger).
inline void fix_checksum(Bytes &b) {
  b[12] = b[13] = 0;
  std::size_t n = static_cast<std::size_t>(b[10] << 8 | b[11]);
  if (n > b.size())
    n = b.size();
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i < n; i += 2)
    sum += static_cast<std::uint32_t>(b[i] << 8 | (i + 1 < n ? b[i + 1] : 0));
  while (sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);
  sum = ~sum & 0xffff;
  b[12] = static_cast<std::uint8_t>(sum >> 8);
  b[13] = static_cast<std::uint8_t>(sum);
}

} // namespace nhrp::testing
