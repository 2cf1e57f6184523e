// SPDX-License-Identifier: GPL-2.0
#include <string>

#include "nhrp/checksum.hpp"
#include "nhrp/codec.hpp"
#include "wire.hpp"

namespace nhrp {
namespace {

Error invalid(const std::string &what) {
  return Error{Errc::invalid_model, 0, "invalid model: " + what};
}

bool nbma_ok(const NbmaAddress &a) {
  return a.addr.size() <= 0x3f && (a.type_bits & 0x3f) == 0;
}

std::optional<Error> check_cie(const Cie &c) {
  if (!nbma_ok(c.nbma) || !nbma_ok(c.nbma_sub))
    return invalid("CIE NBMA address longer than 63 bytes or bad type bits");
  if (c.proto.size() > 0xff)
    return invalid("CIE protocol address longer than 255 bytes");
  return std::nullopt;
}

void put_nbma_tl(wire::Writer &w, const NbmaAddress &a) {
  w.u8(static_cast<std::uint8_t>(a.type_bits | a.addr.size()));
}

void put_cie(wire::Writer &w, const Cie &c) {
  w.u8(c.code);
  w.u8(c.prefix_length);
  w.u16(c.unused);
  w.u16(c.mtu);
  w.u16(c.holding_time);
  put_nbma_tl(w, c.nbma);
  put_nbma_tl(w, c.nbma_sub);
  w.u8(static_cast<std::uint8_t>(c.proto.size()));
  w.u8(c.preference);
  w.bytes(c.nbma.addr);
  w.bytes(c.nbma_sub.addr);
  w.bytes(c.proto);
}

std::optional<Error> put_cies(wire::Writer &w, const std::vector<Cie> &cies) {
  for (const auto &c : cies) {
    if (auto err = check_cie(c))
      return err;
    put_cie(w, c);
  }
  return std::nullopt;
}

std::optional<Error> put_value(wire::Writer &w, const Extension &e) {
  if (const auto *raw = std::get_if<RawValue>(&e.value)) {
    w.bytes(raw->data);
  } else if (const auto *l = std::get_if<CieList>(&e.value)) {
    return put_cies(w, l->cies);
  } else if (const auto *a = std::get_if<Authentication>(&e.value)) {
    w.u32(a->spi);
    w.bytes(a->data);
  } else if (const auto *v = std::get_if<VendorPrivate>(&e.value)) {
    w.bytes(v->oui);
    w.bytes(v->data);
  }
  return std::nullopt;
}

bool body_matches(const Packet &p) {
  switch (p.header.type) {
  case 7:
    return std::holds_alternative<ErrorIndication>(p.body);
  case 8:
    return std::holds_alternative<TrafficIndication>(p.body);
  default:
    return p.header.type >= 1 && p.header.type <= 6 &&
           std::holds_alternative<Mandatory>(p.body);
  }
}

} // namespace

Result<Bytes> encode(const Packet &p, ChecksumMode mode) {
  const FixedHeader &h = p.header;
  if (!body_matches(p))
    return invalid("body does not match packet type " + std::to_string(h.type));
  if (!nbma_ok(p.src_nbma) || !nbma_ok(p.src_nbma_sub))
    return invalid("source NBMA address longer than 63 bytes");
  if (p.src_proto.size() > 0xff || p.dst_proto.size() > 0xff)
    return invalid("protocol address longer than 255 bytes");

  Bytes out;
  wire::Writer w(out);
  w.u16(h.afn);
  w.u16(h.protocol_type);
  w.bytes(h.snap);
  w.u8(h.hop_count);
  w.u16(0); // pktsz
  w.u16(0); // checksum
  w.u16(0); // extoff
  w.u8(h.version);
  w.u8(h.type);
  put_nbma_tl(w, p.src_nbma);
  put_nbma_tl(w, p.src_nbma_sub);

  w.u8(static_cast<std::uint8_t>(p.src_proto.size()));
  w.u8(static_cast<std::uint8_t>(p.dst_proto.size()));
  const Bytes *tail = nullptr;
  if (const auto *m = std::get_if<Mandatory>(&p.body)) {
    w.u16(m->flags);
    w.u32(m->request_id);
  } else if (const auto *e = std::get_if<ErrorIndication>(&p.body)) {
    w.u16(e->unused);
    w.u16(e->code);
    w.u16(e->offset);
    tail = &e->offending;
  } else if (const auto *t = std::get_if<TrafficIndication>(&p.body)) {
    w.u16(t->unused);
    w.u16(t->code);
    w.u16(t->unused2);
    tail = &t->quoted;
  }
  w.bytes(p.src_nbma.addr);
  w.bytes(p.src_nbma_sub.addr);
  w.bytes(p.src_proto);
  w.bytes(p.dst_proto);
  if (const auto *m = std::get_if<Mandatory>(&p.body)) {
    if (m->cies.size() > kMaxCies)
      return invalid("more than 1024 CIEs");
    if (auto err = put_cies(w, m->cies))
      return *err;
  } else {
    w.bytes(*tail);
  }

  std::size_t extoff = 0;
  if (!p.extensions.empty()) {
    if (p.extensions.size() > kMaxExtensions)
      return invalid("more than 256 extensions");
    extoff = w.size();
    for (std::size_t i = 0; i < p.extensions.size(); ++i) {
      const Extension &e = p.extensions[i];
      const bool last = i + 1 == p.extensions.size();
      if ((e.type == ext::end) != last)
        return invalid("the End extension must be last, and only last");
      if (e.type > ext::type_mask)
        return invalid("extension type over 14 bits");
      w.u16(static_cast<std::uint16_t>(
          (e.compulsory ? ext::compulsory_bit : 0) |
          (e.unused_bit ? ext::unused_bit : 0) | e.type));
      const std::size_t len_at = w.size();
      w.u16(0);
      if (auto err = put_value(w, e))
        return *err;
      const std::size_t len = w.size() - len_at - 2;
      if (len > 0xffff)
        return invalid("extension value over 65535 bytes");
      w.put16(len_at, static_cast<std::uint16_t>(len));
    }
  } else if (!p.trailer.empty()) {
    return invalid("trailer without extensions");
  }
  w.bytes(p.trailer);

  if (w.size() > 0xffff)
    return invalid("packet over 65535 bytes");
  w.put16(10, static_cast<std::uint16_t>(w.size()));
  w.put16(14, static_cast<std::uint16_t>(extoff));
  if (mode == ChecksumMode::keep) {
    w.put16(12, h.checksum);
  } else {
    w.put16(12, checksum(out));
  }
  return out;
}

} // namespace nhrp
