// SPDX-License-Identifier: GPL-2.0
// Builders for every NHRP packet dmvpnd sends (pure: packet models in,
// packet models out; encoding is the codec's job).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ip4.hpp"
#include "nhrp/packet.hpp"

namespace dmvpnd {

inline constexpr std::uint16_t kMtu = 1514;

struct Binding {
  Ip4 nbma;
  Ip4 proto;
  bool operator==(const Binding &) const = default;
};

struct RequestParams {
  Binding self;
  Ip4 dst_proto;
  std::uint32_t request_id = 0;
  std::uint16_t flags = 0;
  std::uint16_t holdtime = 0;
  std::string auth; // empty = no authentication extension
  // The Cisco NAT extension (9), sent when nat_extension is set: in a
  // registration, the NHS as we know it; in a resolution request, our own
  // binding after NAT when we know it (else the extension goes empty, for
  // a server on the way to fill).
  bool nat_extension = false;
  std::optional<Binding> nat_peer;
};

nhrp::Cie binding_cie(const Binding &b, std::uint16_t holdtime = 0,
                      std::uint8_t code = 0);

// Registration Request (3): one CIE with empty addresses ("same as
// source"), extensions responder, forward, reverse, auth?, NAT, End.
nhrp::Packet registration_request(const RequestParams &p);

// Resolution Request (1) for p.dst_proto, same extension layout.
nhrp::Packet resolution_request(const RequestParams &p);

// Registration Reply (4): the request with its CIEs' code set, responder =
// self, and the NBMA address we saw appended to the NAT extension when it
// differs from the claimed one.
nhrp::Packet registration_reply(const nhrp::Packet &request,
                                const Binding &self, std::uint8_t code,
                                std::optional<Binding> nat_seen,
                                const std::string &auth);

// Resolution Reply (2): answer = the binding of the requested address
// (nullopt with a failure code).
nhrp::Packet resolution_reply(const nhrp::Packet &request, const Binding &self,
                              std::uint8_t code, std::optional<Binding> answer,
                              std::uint16_t holdtime, const std::string &auth);

// Purge Reply (6): the request echoed with the reply type.
nhrp::Packet purge_reply(const nhrp::Packet &request, const Binding &self,
                         const std::string &auth);

// Error Indication (7) about the packet `offending` (its wire bytes), sent
// by self; dst proto = the offender's source protocol address.
nhrp::Packet error_indication(const nhrp::Bytes &offending, const Binding &self,
                              const nhrp::Bytes &offender, std::uint16_t code,
                              std::uint16_t offset);

// The Cisco NAT extension's bindings: the NBMA address `proto` has after
// NAT, as its owner or a server on the way saw it, if the packet says.
std::optional<Ip4> nat_nbma_of(const nhrp::Packet &p, Ip4 proto);
// Makes the NAT extension, if the packet carries one, say `b` alone (or
// nothing).
void set_nat_binding(nhrp::Packet &p, const std::optional<Binding> &b);
// Puts `b` in the NAT extension, in place of what it said of b.proto (a
// server states what a requester behind NAT could not know, or should not
// have claimed); nothing if the packet has no NAT extension.
void put_nat_binding(nhrp::Packet &p, const Binding &b);

// The CIE list an extension of the packet holds (the transit NHS
// records, ...), if it carries that extension.
const nhrp::CieList *cie_list(const nhrp::Packet &p, std::uint16_t type);
nhrp::CieList *cie_list(nhrp::Packet &p, std::uint16_t type);

// Regenerates the (hop-by-hop) authentication extension the packet
// carries with our password; an empty one removes it.
void set_authentication(nhrp::Packet &p, const std::string &auth);

// An address for a log line ("?" if it is not IPv4).
std::string str_of(const nhrp::Bytes &b);

// The authentication extension's password, if the packet has one.
std::optional<std::string> auth_of(const nhrp::Packet &p);

} // namespace dmvpnd
