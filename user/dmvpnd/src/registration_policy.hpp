// SPDX-License-Identifier: GPL-2.0
// The hub's decision on one Registration Request (pure).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "kernel_types.hpp"
#include "nhrp/packet.hpp"

namespace dmvpnd {

struct RegistrationDecision {
  enum class Kind {
    accept,   // install the binding, reply code 0
    keep,     // reply code 0, install nothing: configuration says so
    refuse,   // reply with `code`, change nothing
    bad_auth, // drop, count, Error Indication 11
    invalid,  // drop, count
  };
  Kind kind = Kind::invalid;
  std::uint8_t code = 0;
  Ip4 client_proto;
  Ip4 client_nbma;     // the address to use: the outer source
  Ip4 claimed_nbma;    // what the spoke says it has
  bool nat = false;    // claimed != outer source
  bool unique = false; // U flag
  std::uint16_t holdtime = 0;
};

// The decision on CIE `cie` of a Registration Request (each CIE registers
// one address and gets its own code). request: decoded; outer: the NBMA
// source the frame came from; existing: the kernel's entry for the
// client address; at_nbma: the registered bindings `outer` holds now,
// max_per_nbma the most it may hold; own_holdtime: what a CIE asking for
// holding time 0 gets, as FRR does (0: refused with code 4).
RegistrationDecision decide_registration(
    const nhrp::Packet &request, Ip4 outer, const std::string &auth,
    const std::optional<KernelEntry> &existing, std::size_t at_nbma = 0,
    std::size_t max_per_nbma = SIZE_MAX, std::size_t cie = 0,
    std::uint16_t own_holdtime = 0);

// CIE `cie` of a Registration Request from `outer` names addresses one
// can register (decide_registration() says `invalid` otherwise).
bool registration_cie_usable(const nhrp::Packet &request, Ip4 outer,
                             std::size_t cie);

// The address CIE `cie` registers (its proto, else the source proto), for
// the existing-entry lookup before deciding.
std::optional<Ip4> registration_client(const nhrp::Packet &request,
                                       std::size_t cie = 0);

} // namespace dmvpnd
