// SPDX-License-Identifier: GPL-2.0
#include "registration_policy.hpp"

#include "messages.hpp"
#include "nhrp/constants.hpp"

namespace dmvpnd {

std::optional<Ip4> registration_client(const nhrp::Packet &req,
                                       std::size_t index) {
  const auto *m = req.mandatory();
  if (!m || index >= m->cies.size())
    return std::nullopt;
  const auto &cie = m->cies[index];
  return Ip4::from_bytes(cie.proto.empty() ? req.src_proto : cie.proto);
}

bool registration_cie_usable(const nhrp::Packet &req, Ip4 outer,
                             std::size_t index) {
  const auto *m = req.mandatory();
  if (!m || index >= m->cies.size() ||
      req.type() != nhrp::PacketType::registration_request || outer.is_zero())
    return false;
  const auto &cie = m->cies[index];
  auto proto = registration_client(req, index);
  return proto && !proto->is_zero() &&
         Ip4::from_bytes(cie.nbma.addr.empty() ? req.src_nbma.addr
                                               : cie.nbma.addr);
}

RegistrationDecision
decide_registration(const nhrp::Packet &req, Ip4 outer, const std::string &auth,
                    const std::optional<KernelEntry> &existing,
                    std::size_t at_nbma, std::size_t max_per_nbma,
                    std::size_t index, std::uint16_t own_holdtime) {
  using Kind = RegistrationDecision::Kind;
  RegistrationDecision d;
  const auto *m = req.mandatory();
  if (!m || index >= m->cies.size() ||
      req.type() != nhrp::PacketType::registration_request)
    return d;
  if (!auth.empty()) {
    auto got = auth_of(req);
    if (!got || *got != auth) {
      d.kind = Kind::bad_auth;
      return d;
    }
  }
  if (!registration_cie_usable(req, outer, index))
    return d;
  const auto &cie = m->cies[index];
  d.client_proto = *registration_client(req, index);
  d.claimed_nbma = *Ip4::from_bytes(cie.nbma.addr.empty() ? req.src_nbma.addr
                                                          : cie.nbma.addr);
  d.client_nbma = outer;
  d.nat = d.claimed_nbma != outer;
  d.unique = m->flags & nhrp::flags::reg_u;
  d.holdtime = cie.holding_time ? cie.holding_time : own_holdtime;
  // Hosts only: a prefix is for routing (or Phase 3), not registration.
  bool host = cie.prefix_length == 0xff || cie.prefix_length == 32;
  if (d.holdtime == 0 || !host) {
    d.kind = Kind::refuse;
    d.code = nhrp::cie_code::admin_prohibited;
    return d;
  }
  bool registered = existing && existing->type == DMVPN_ENTRY_DYNAMIC &&
                    (existing->flags & DMVPN_F_REGISTERED) && existing->nbma;
  // Configuration (a static map, our own address, a server) is never
  // taken over by a registration, as FRR and OpenNHRP answer too; the
  // spoke the map names may register, and changes nothing.
  if (existing && (existing->type == DMVPN_ENTRY_STATIC ||
                   existing->type == DMVPN_ENTRY_LOCAL ||
                   (existing->flags & DMVPN_F_NHS))) {
    bool same = existing->nbma == outer &&
                existing->type != DMVPN_ENTRY_LOCAL &&
                !(existing->flags & DMVPN_F_NHS);
    d.kind = same ? Kind::keep : Kind::refuse;
    d.code = same ? nhrp::cie_code::success : nhrp::cie_code::admin_prohibited;
    return d;
  }
  if (registered && *existing->nbma != outer &&
      ((existing->flags & DMVPN_F_UNIQUE) || d.unique)) {
    d.kind = Kind::refuse;
    d.code = nhrp::cie_code::already_registered;
    return d;
  }
  // One member may not fill the cache: a new binding beyond its share is
  // refused; refreshing one it holds is not.
  bool holds = registered && *existing->nbma == outer;
  if (!holds && at_nbma >= max_per_nbma) {
    d.kind = Kind::refuse;
    d.code = nhrp::cie_code::insufficient_resources;
    return d;
  }
  d.kind = Kind::accept;
  return d;
}

} // namespace dmvpnd
