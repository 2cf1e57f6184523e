// SPDX-License-Identifier: GPL-2.0
#include "registration_policy.hpp"

#include "messages.hpp"
#include "nhrp/constants.hpp"

namespace dmvpnd {

std::optional<Ip4> registration_client(const nhrp::Packet &req) {
  const auto *m = req.mandatory();
  if (!m || m->cies.empty())
    return std::nullopt;
  const auto &cie = m->cies.front();
  return Ip4::from_bytes(cie.proto.empty() ? req.src_proto : cie.proto);
}

RegistrationDecision
decide_registration(const nhrp::Packet &req, Ip4 outer, const std::string &auth,
                    const std::optional<KernelEntry> &existing) {
  using Kind = RegistrationDecision::Kind;
  RegistrationDecision d;
  const auto *m = req.mandatory();
  if (!m || m->cies.empty() ||
      req.type() != nhrp::PacketType::registration_request)
    return d;
  if (!auth.empty()) {
    auto got = auth_of(req);
    if (!got || *got != auth) {
      d.kind = Kind::bad_auth;
      return d;
    }
  }
  const auto &cie = m->cies.front();
  auto proto = registration_client(req);
  auto claimed = Ip4::from_bytes(cie.nbma.addr.empty() ? req.src_nbma.addr
                                                       : cie.nbma.addr);
  if (!proto || !claimed || proto->is_zero() || outer.is_zero())
    return d;
  d.client_proto = *proto;
  d.claimed_nbma = *claimed;
  d.client_nbma = outer;
  d.nat = *claimed != outer;
  d.unique = m->flags & nhrp::flags::reg_u;
  d.holdtime = cie.holding_time;
  if (d.holdtime == 0) {
    d.kind = Kind::refuse;
    d.code = nhrp::cie_code::admin_prohibited;
    return d;
  }
  if (existing && existing->type == DMVPN_ENTRY_DYNAMIC &&
      (existing->flags & DMVPN_F_REGISTERED) && existing->nbma &&
      *existing->nbma != outer &&
      ((existing->flags & DMVPN_F_UNIQUE) || d.unique)) {
    d.kind = Kind::refuse;
    d.code = nhrp::cie_code::already_registered;
    return d;
  }
  d.kind = Kind::accept;
  return d;
}

} // namespace dmvpnd
