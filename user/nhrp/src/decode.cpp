// SPDX-License-Identifier: GPL-2.0
#include <optional>
#include <string>

#include "nhrp/checksum.hpp"
#include "nhrp/codec.hpp"
#include "wire.hpp"

namespace nhrp {
namespace {

Error fail(Errc code, std::size_t offset, const std::string &what) {
  return Error{code, offset,
               std::string(to_string(code)) + " at offset " +
                   std::to_string(offset) + ": " + what};
}

constexpr std::uint8_t kTypeBits = 0xc0;
constexpr std::uint8_t kLenBits = 0x3f;

// Expected length of an NSAP-format NBMA address for afn, 0 if unknown.
std::size_t nbma_len_for(std::uint16_t a) {
  return a == afn::ipv4 ? 4 : a == afn::ipv6 ? 16 : 0;
}
std::size_t proto_len_for(std::uint16_t p) {
  return p == proto::ipv4 ? 4 : p == proto::ipv6 ? 16 : 0;
}

bool nbma_len_ok(const FixedHeader &h, const NbmaAddress &a) {
  std::size_t want = nbma_len_for(h.afn);
  if (a.addr.empty() || want == 0 || (a.type_bits & 0x40))
    return true;
  return a.addr.size() == want;
}
bool proto_len_ok(const FixedHeader &h, const Bytes &a) {
  std::size_t want = proto_len_for(h.protocol_type);
  return a.empty() || want == 0 || a.size() == want;
}

// Reads the NBMA address described by a type/length octet.
bool read_nbma(wire::Reader &r, std::uint8_t tl, NbmaAddress &out) {
  out.type_bits = tl & kTypeBits;
  return r.bytes(tl & kLenBits, out.addr);
}

std::optional<Error> parse_cies(wire::Reader &r, const FixedHeader &h,
                                std::vector<Cie> &out) {
  while (r.remaining() > 0) {
    std::size_t at = r.offset();
    if (out.size() >= kMaxCies)
      return fail(Errc::too_many_entries, at, "more than 1024 CIEs");
    if (r.remaining() < kCieHeaderSize)
      return fail(Errc::truncated_cie, at,
                  std::to_string(r.remaining()) + " bytes left for a CIE");
    Cie c;
    std::uint8_t ntl = 0, stl = 0, plen = 0;
    r.u8(c.code);
    r.u8(c.prefix_length);
    r.u16(c.unused);
    r.u16(c.mtu);
    r.u16(c.holding_time);
    r.u8(ntl);
    r.u8(stl);
    r.u8(plen);
    r.u8(c.preference);
    if (!read_nbma(r, ntl, c.nbma) || !read_nbma(r, stl, c.nbma_sub) ||
        !r.bytes(plen, c.proto))
      return fail(Errc::truncated_cie, at, "CIE addresses run past the end");
    if (!nbma_len_ok(h, c.nbma) || !nbma_len_ok(h, c.nbma_sub))
      return fail(Errc::address_length_mismatch, at,
                  "CIE NBMA address length does not match the address family");
    if (!proto_len_ok(h, c.proto))
      return fail(Errc::address_length_mismatch, at,
                  "CIE protocol address length does not match the protocol");
    out.push_back(std::move(c));
  }
  return std::nullopt;
}

std::optional<Error> parse_extension_value(std::uint16_t type,
                                           std::span<const std::uint8_t> v,
                                           std::size_t at, const FixedHeader &h,
                                           const DecodeOptions &opt,
                                           Extension &e) {
  wire::Reader r(v, at);
  switch (type) {
  case ext::responder_address:
  case ext::forward_transit_nhs:
  case ext::reverse_transit_nhs: {
    CieList l;
    if (auto err = parse_cies(r, h, l.cies))
      return fail(err->code == Errc::too_many_entries ? err->code
                                                      : Errc::invalid_extension,
                  err->offset,
                  "extension " + std::to_string(type) + ": " + err->message);
    e.value = std::move(l);
    return std::nullopt;
  }
  case ext::cisco_nat_address: {
    // A CIE list (Cisco); anything else (RFC 2735 capabilities) stays raw.
    CieList l;
    if (!parse_cies(r, h, l.cies))
      e.value = std::move(l);
    else
      e.value = RawValue{Bytes(v.begin(), v.end())};
    return std::nullopt;
  }
  case ext::authentication: {
    Authentication a;
    if (!r.u32(a.spi))
      return fail(Errc::invalid_extension, at,
                  "authentication extension shorter than 4 bytes");
    a.data = r.rest();
    e.value = std::move(a);
    return std::nullopt;
  }
  case ext::vendor_private: {
    VendorPrivate p;
    if (v.size() < 3)
      return fail(Errc::invalid_extension, at,
                  "vendor private extension shorter than 3 bytes");
    std::uint8_t b = 0;
    for (auto &o : p.oui) {
      r.u8(b);
      o = b;
    }
    p.data = r.rest();
    e.value = std::move(p);
    return std::nullopt;
  }
  case ext::end:
    break;
  default:
    if (e.compulsory && opt.reject_unknown_compulsory)
      return fail(Errc::unknown_compulsory_extension, at - kExtensionHeaderSize,
                  "extension type " + std::to_string(type));
    break;
  }
  e.value = RawValue{Bytes(v.begin(), v.end())};
  return std::nullopt;
}

} // namespace

Result<Packet> decode(std::span<const std::uint8_t> data,
                      const DecodeOptions &opt) {
  if (data.size() < kFixedHeaderSize)
    return fail(Errc::truncated, data.size(),
                std::to_string(data.size()) + " bytes, fixed header is 20");

  Packet p;
  FixedHeader &h = p.header;
  std::uint16_t pktsz = 0, extoff = 0;
  std::uint8_t shtl = 0, sstl = 0;
  {
    wire::Reader r(data.first(kFixedHeaderSize), 0);
    r.u16(h.afn);
    r.u16(h.protocol_type);
    for (auto &s : h.snap)
      r.u8(s);
    r.u8(h.hop_count);
    r.u16(pktsz);
    r.u16(h.checksum);
    r.u16(extoff);
    r.u8(h.version);
    r.u8(h.type);
    r.u8(shtl);
    r.u8(sstl);
  }
  if (pktsz < kFixedHeaderSize || pktsz > data.size())
    return fail(Errc::bad_packet_size, 10,
                "pktsz " + std::to_string(pktsz) + ", buffer " +
                    std::to_string(data.size()));
  if (h.version != kVersion)
    return fail(Errc::unsupported_version, 16,
                "version " + std::to_string(h.version));
  if (h.type < 1 || h.type > 8)
    return fail(Errc::unknown_packet_type, 17,
                "type " + std::to_string(h.type));
  auto pkt = data.first(pktsz);
  if (opt.verify_checksum && !checksum_ok(pkt))
    return fail(Errc::bad_checksum, 12,
                "checksum " + std::to_string(h.checksum));
  if (extoff != 0 && (extoff < kFixedHeaderSize || extoff > pktsz))
    return fail(Errc::bad_extension_offset, 14,
                "extoff " + std::to_string(extoff) + ", pktsz " +
                    std::to_string(pktsz));

  // Mandatory part.
  const std::size_t body_end = extoff ? extoff : pktsz;
  if (pktsz < kFixedHeaderSize + 2)
    return fail(Errc::truncated_mandatory, kFixedHeaderSize,
                "no room for the address lengths");
  const std::size_t src_len = pkt[20], dst_len = pkt[21];
  const std::size_t mlen = kFixedHeaderSize + 8 + (shtl & kLenBits) +
                           (sstl & kLenBits) + src_len + dst_len;
  if (mlen > body_end) {
    if (extoff != 0 && mlen <= pktsz)
      return fail(Errc::bad_extension_offset, 14,
                  "extoff " + std::to_string(extoff) +
                      " points inside the mandatory part (ends at " +
                      std::to_string(mlen) + ")");
    return fail(Errc::truncated_mandatory, kFixedHeaderSize,
                "mandatory part needs " + std::to_string(mlen) +
                    " bytes, have " + std::to_string(body_end));
  }
  wire::Reader r(pkt.subspan(kFixedHeaderSize, body_end - kFixedHeaderSize),
                 kFixedHeaderSize);
  std::uint8_t skip = 0;
  r.u8(skip);
  r.u8(skip);
  std::uint16_t w1 = 0, w2 = 0, w3 = 0;
  r.u16(w1);
  r.u16(w2);
  r.u16(w3);
  read_nbma(r, shtl, p.src_nbma);
  read_nbma(r, sstl, p.src_nbma_sub);
  r.bytes(src_len, p.src_proto);
  r.bytes(dst_len, p.dst_proto);
  if (!nbma_len_ok(h, p.src_nbma) || !nbma_len_ok(h, p.src_nbma_sub))
    return fail(Errc::address_length_mismatch, 18,
                "source NBMA address length " +
                    std::to_string(p.src_nbma.addr.size()) +
                    " does not match afn " + std::to_string(h.afn));
  if (!proto_len_ok(h, p.src_proto) || !proto_len_ok(h, p.dst_proto))
    return fail(Errc::address_length_mismatch, 20,
                "protocol address lengths " + std::to_string(src_len) + "/" +
                    std::to_string(dst_len) +
                    " do not match the protocol type");

  switch (static_cast<PacketType>(h.type)) {
  case PacketType::error_indication:
    p.body = ErrorIndication{w1, w2, w3, r.rest()};
    break;
  case PacketType::traffic_indication:
    p.body = TrafficIndication{w1, w2, w3, r.rest()};
    break;
  default: {
    Mandatory m;
    m.flags = w1;
    m.request_id = static_cast<std::uint32_t>(w2) << 16 | w3;
    if (auto err = parse_cies(r, h, m.cies))
      return *err;
    p.body = std::move(m);
    break;
  }
  }

  if (extoff == 0)
    return p;

  // Extensions: a sequence of TLVs from extoff, ended by End.
  wire::Reader x(pkt.subspan(extoff), extoff);
  for (;;) {
    const std::size_t at = x.offset();
    if (x.remaining() == 0)
      return fail(Errc::missing_end_extension, at,
                  "extension list ends without End");
    if (p.extensions.size() >= kMaxExtensions)
      return fail(Errc::too_many_entries, at, "more than 256 extensions");
    std::uint16_t tc = 0, len = 0;
    if (!x.u16(tc) || !x.u16(len))
      return fail(Errc::truncated_extension, at, "partial extension header");
    if (len > x.remaining())
      return fail(Errc::truncated_extension, at,
                  "length " + std::to_string(len) + " runs past pktsz " +
                      std::to_string(pktsz));
    Bytes value;
    x.bytes(len, value);
    Extension e;
    e.compulsory = tc & ext::compulsory_bit;
    e.unused_bit = tc & ext::unused_bit;
    e.type = tc & ext::type_mask;
    if (auto err = parse_extension_value(e.type, value, at + 4, h, opt, e))
      return *err;
    p.extensions.push_back(std::move(e));
    if (p.extensions.back().type == ext::end)
      break;
  }
  p.trailer = x.rest();
  return p;
}

} // namespace nhrp
