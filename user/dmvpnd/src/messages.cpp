// SPDX-License-Identifier: GPL-2.0
#include "messages.hpp"

#include <algorithm>
#include <utility>

#include "nhrp/constants.hpp"

namespace dmvpnd {
namespace {

nhrp::Bytes to_bytes(const std::string &s) { return {s.begin(), s.end()}; }

nhrp::Packet base(nhrp::PacketType type, const Binding &src, Ip4 dst_proto) {
  nhrp::Packet p;
  p.header.type = static_cast<std::uint8_t>(type);
  p.header.hop_count = 255;
  p.src_nbma.addr = src.nbma.bytes();
  p.src_proto = src.proto.bytes();
  p.dst_proto = dst_proto.bytes();
  return p;
}

void request_extensions(nhrp::Packet &p, const RequestParams &r) {
  using namespace nhrp;
  p.extensions.push_back(cie_list_extension(ext::responder_address));
  p.extensions.push_back(cie_list_extension(ext::forward_transit_nhs));
  p.extensions.push_back(cie_list_extension(ext::reverse_transit_nhs));
  if (!r.auth.empty())
    p.extensions.push_back(authentication_extension(to_bytes(r.auth)));
  if (r.nat_extension) {
    std::vector<Cie> cies;
    if (r.nat_peer)
      cies.push_back(binding_cie(*r.nat_peer));
    Extension nat = cie_list_extension(ext::cisco_nat_address, cies);
    nat.compulsory = false;
    p.extensions.push_back(std::move(nat));
  }
  p.extensions.push_back(end_extension());
}

nhrp::Packet request(nhrp::PacketType type, const RequestParams &r) {
  nhrp::Packet p = base(type, r.self, r.dst_proto);
  nhrp::Mandatory m;
  m.flags = r.flags;
  m.request_id = r.request_id;
  nhrp::Cie cie;
  cie.prefix_length = 0xff;
  cie.mtu = kMtu;
  cie.holding_time = r.holdtime;
  m.cies.push_back(std::move(cie));
  p.body = std::move(m);
  request_extensions(p, r);
  return p;
}

// A reply keeps the request's extensions in order, fills the responder
// extension and regenerates authentication with our own password (it is
// hop-by-hop).
void reply_extensions(nhrp::Packet &p, const Binding &self,
                      const std::string &auth) {
  for (auto &e : p.extensions)
    if (e.type == nhrp::ext::responder_address)
      e.value = nhrp::CieList{{binding_cie(self)}};
  set_authentication(p, auth);
}

} // namespace

// An empty password sends no extension at all: a peer that has one
// configured refuses an empty one, and one that has none ignores it.
void set_authentication(nhrp::Packet &p, const std::string &auth) {
  auto it = std::find_if(p.extensions.begin(), p.extensions.end(),
                         [](const nhrp::Extension &e) {
                           return e.type == nhrp::ext::authentication;
                         });
  if (it == p.extensions.end())
    return;
  if (auth.empty())
    p.extensions.erase(it);
  else
    it->value = nhrp::Authentication{1, to_bytes(auth)};
}

const nhrp::CieList *cie_list(const nhrp::Packet &p, std::uint16_t type) {
  const auto *e = p.find_extension(type);
  return e ? std::get_if<nhrp::CieList>(&e->value) : nullptr;
}

nhrp::CieList *cie_list(nhrp::Packet &p, std::uint16_t type) {
  auto *e = p.find_extension(type);
  return e ? std::get_if<nhrp::CieList>(&e->value) : nullptr;
}

std::string str_of(const nhrp::Bytes &b) {
  auto a = Ip4::from_bytes(b);
  return a ? a->str() : "?";
}

nhrp::Cie binding_cie(const Binding &b, std::uint16_t holdtime,
                      std::uint8_t code) {
  nhrp::Cie c;
  c.code = code;
  c.prefix_length = 0xff;
  c.mtu = kMtu;
  c.holding_time = holdtime;
  c.nbma.addr = b.nbma.bytes();
  c.proto = b.proto.bytes();
  return c;
}

nhrp::Packet registration_request(const RequestParams &p) {
  return request(nhrp::PacketType::registration_request, p);
}

nhrp::Packet resolution_request(const RequestParams &p) {
  return request(nhrp::PacketType::resolution_request, p);
}

nhrp::Packet registration_reply(const nhrp::Packet &req, const Binding &self,
                                std::uint8_t code,
                                std::optional<Binding> nat_seen,
                                const std::string &auth) {
  nhrp::Packet p = req;
  p.header.type =
      static_cast<std::uint8_t>(nhrp::PacketType::registration_reply);
  p.header.hop_count = 255;
  // FRR spokes with "nhs dynamic" ask with their own address as dst and
  // learn the hub's tunnel address from the reply's dst (as Cisco hubs
  // send it); a Cisco spoke already names the hub there.
  p.dst_proto = self.proto.bytes();
  if (auto *m = p.mandatory())
    for (auto &c : m->cies)
      c.code = code;
  reply_extensions(p, self, auth);
  if (nat_seen) {
    if (auto *e = p.find_extension(nhrp::ext::cisco_nat_address)) {
      if (auto *l = std::get_if<nhrp::CieList>(&e->value))
        l->cies.push_back(binding_cie(*nat_seen));
    }
  }
  return p;
}

nhrp::Packet resolution_reply(const nhrp::Packet &req, const Binding &self,
                              std::uint8_t code, std::optional<Binding> answer,
                              std::uint16_t holdtime, const std::string &auth) {
  nhrp::Packet p = req;
  p.header.type = static_cast<std::uint8_t>(nhrp::PacketType::resolution_reply);
  p.header.hop_count = 255;
  if (auto *m = p.mandatory()) {
    m->flags |= nhrp::flags::res_a | nhrp::flags::res_d;
    nhrp::Cie c;
    if (answer)
      c = binding_cie(*answer, holdtime, code);
    else {
      c.code = code;
      c.prefix_length = 0xff;
      c.mtu = kMtu;
      c.holding_time = holdtime;
    }
    m->cies = {std::move(c)};
  }
  reply_extensions(p, self, auth);
  return p;
}

nhrp::Packet purge_reply(const nhrp::Packet &req, const Binding &self,
                         const std::string &auth) {
  nhrp::Packet p = req;
  p.header.type = static_cast<std::uint8_t>(nhrp::PacketType::purge_reply);
  p.header.hop_count = 255;
  reply_extensions(p, self, auth);
  return p;
}

nhrp::Packet error_indication(const nhrp::Bytes &offending, const Binding &self,
                              const nhrp::Bytes &offender, std::uint16_t code,
                              std::uint16_t offset) {
  nhrp::Packet p = base(nhrp::PacketType::error_indication, self, Ip4{});
  p.dst_proto = offender;
  nhrp::ErrorIndication e;
  e.code = code;
  e.offset = offset;
  e.offending = offending;
  p.body = std::move(e);
  return p;
}

namespace {
template <class P> auto *nat_list(P &p) {
  auto *e = p.find_extension(nhrp::ext::cisco_nat_address);
  return e ? std::get_if<nhrp::CieList>(&e->value) : nullptr;
}
} // namespace

std::optional<Ip4> nat_nbma_of(const nhrp::Packet &p, Ip4 proto) {
  if (const auto *l = nat_list(p))
    for (const auto &c : l->cies)
      if (Ip4::from_bytes(c.proto) == proto)
        if (auto n = Ip4::from_bytes(c.nbma.addr); n && !n->is_zero())
          return n;
  return std::nullopt;
}

void set_nat_binding(nhrp::Packet &p, const std::optional<Binding> &b) {
  if (auto *l = nat_list(p)) {
    l->cies.clear();
    if (b)
      l->cies.push_back(binding_cie(*b));
  }
}

void put_nat_binding(nhrp::Packet &p, const Binding &b) {
  auto *l = nat_list(p);
  if (!l)
    return;
  std::erase_if(l->cies, [&](const auto &c) {
    return Ip4::from_bytes(c.proto) == b.proto;
  });
  l->cies.push_back(binding_cie(b));
}

std::optional<std::string> auth_of(const nhrp::Packet &p) {
  const auto *e = p.find_extension(nhrp::ext::authentication);
  if (!e)
    return std::nullopt;
  // SPI 1 is the cleartext password (RFC 2332 5.3.4.1, as Cisco and FRR
  // send it); another is nothing we can check, so no password.
  if (const auto *a = std::get_if<nhrp::Authentication>(&e->value))
    return a->spi == 1 ? std::optional<std::string>(
                             std::string(a->data.begin(), a->data.end()))
                       : std::nullopt;
  return std::string{};
}

} // namespace dmvpnd
