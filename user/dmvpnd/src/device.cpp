// SPDX-License-Identifier: GPL-2.0
#include "device.hpp"

#include <algorithm>
#include <utility>

#include "log.hpp"
#include "nhrp/codec.hpp"
#include "nhrp/constants.hpp"

namespace dmvpnd {
namespace {

bool is_request(nhrp::PacketType t) {
  return t == nhrp::PacketType::resolution_request ||
         t == nhrp::PacketType::registration_request ||
         t == nhrp::PacketType::purge_request;
}

std::uint64_t splitmix64(std::uint64_t &state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

struct Quoted {
  std::uint8_t type;
  std::uint32_t request_id;
};

// FRR quotes only the header and the addresses of the packet an Error
// Indication is about (its length still says more), which the codec does
// not decode: the type and the request id are at fixed offsets (RFC 2332
// 5.2.0.1: ar$op.type at 17; the request id 4 bytes into the mandatory
// part, which starts at 20).
std::optional<Quoted> quoted_header(std::span<const std::uint8_t> b) {
  if (b.size() < 28)
    return std::nullopt;
  std::uint32_t id = static_cast<std::uint32_t>(b[24]) << 24 |
                     static_cast<std::uint32_t>(b[25]) << 16 |
                     static_cast<std::uint32_t>(b[26]) << 8 | b[27];
  return Quoted{b[17], id};
}

} // namespace

Device::Device(const DeviceInfo &info, std::optional<Ip4> proto,
               TimerQueue &timers, DeviceIo &io, std::uint32_t first_request_id)
    : info_(info), proto_(proto), timers_(timers), io_(io),
      rng_(first_request_id), server_(*this), resolver_(*this) {}

Device::~Device() = default;

std::uint32_t Device::next_request_id() {
  std::uint32_t id;
  do
    id = static_cast<std::uint32_t>(splitmix64(rng_));
  while (id == 0);
  return id;
}

Duration Device::jitter(Duration d, double fraction) {
  double r = static_cast<double>(splitmix64(rng_) >> 11) * 0x1.0p-53;
  return d - std::chrono::duration_cast<Duration>(d * (fraction * r));
}

std::uint16_t Device::holdtime() const {
  return static_cast<std::uint16_t>(
      std::clamp<std::uint32_t>(info_.config.holdtime, 1, 65535));
}

void Device::update(const DeviceInfo &info, std::optional<Ip4> proto,
                    const std::vector<NhsConfig> &nhs) {
  bool addr_changed = info.local != info_.local || proto != proto_;
  bool cfg_changed = !(info.config == info_.config);
  info_ = info;
  proto_ = proto;
  if (addr_changed) {
    log(Level::notice, "{}: addresses now nbma {} proto {}", name(),
        info_.local.str(), proto_ ? proto_->str() : "none");
    resolver_.clear();
  }
  sync_nhs(nhs, addr_changed || cfg_changed);
}

// Keeps the clients of unchanged servers (and their state); a restart
// re-registers at once. Clients start only once nhs_ holds them all, so
// that nothing a starting client causes meets the list half rebuilt.
void Device::sync_nhs(const std::vector<NhsConfig> &nhs, bool restart) {
  std::vector<std::unique_ptr<NhsClient>> next;
  std::vector<NhsClient *> starting;
  for (const auto &cfg : nhs) {
    auto it = std::find_if(nhs_.begin(), nhs_.end(), [&](const auto &c) {
      return c && c->config() == cfg;
    });
    if (it != nhs_.end()) {
      next.push_back(std::move(*it));
      if (restart)
        starting.push_back(next.back().get());
    } else {
      next.push_back(std::make_unique<NhsClient>(*this, cfg));
      starting.push_back(next.back().get());
    }
  }
  for (auto &gone : nhs_)
    if (gone)
      gone->withdraw();
  nhs_ = std::move(next);
  for (NhsClient *c : starting)
    c->start();
  place_nhs();
}

void Device::place_nhs() {
  auto rank = [](const NhsClient &c) {
    return std::pair{!c.up(), c.config().priority};
  };
  // Called by clients too, also while sync_nhs() moves them (null).
  NhsClient *best = nullptr;
  for (auto &c : nhs_)
    if (c && !c->down() && c->nbma() && c->proto() &&
        (!best || rank(*c) < rank(*best)))
      best = c.get();
  // The new default first, so that unresolved traffic always has one.
  if (best)
    best->place(true);
  for (auto &c : nhs_) {
    if (!c || c.get() == best)
      continue;
    if (c->down())
      c->withdraw();
    else
      c->place(false);
  }
}

const NhsClient *Device::preferred_nhs() const {
  const NhsClient *best = nullptr;
  for (const auto &c : nhs_)
    if (c->up() && c->nbma() && c->proto() &&
        (!best || c->config().priority < best->config().priority))
      best = c.get();
  return best;
}

std::optional<Ip4> Device::public_nbma() const {
  if (const auto *best = preferred_nhs(); best && best->public_nbma())
    return best->public_nbma();
  for (const auto &c : nhs_)
    if (c->up() && c->public_nbma())
      return c->public_nbma();
  return std::nullopt;
}

bool Device::from_nhs(Ip4 outer) const {
  return std::any_of(nhs_.begin(), nhs_.end(),
                     [&](const auto &c) { return c && c->nbma() == outer; });
}

bool Device::send(Ip4 nbma, const nhrp::Packet &p) {
  if (p.header.hop_count == 0 || nbma.is_zero())
    return false;
  if (!out_limit_.take(timers_.now())) {
    ++counters_.rate_limited;
    return false;
  }
  auto bytes = nhrp::encode(p);
  if (!bytes) {
    log(Level::error, "{}: cannot encode packet type {}: {}", name(),
        p.header.type, bytes.error().message);
    return false;
  }
  io_.send(nbma, *bytes);
  ++counters_.tx[p.header.type < counters_.tx.size() ? p.header.type : 0];
  return true;
}

void Device::send_error(Ip4 to, std::span<const std::uint8_t> raw,
                        const nhrp::Bytes &offender, std::uint16_t code,
                        std::uint16_t offset) {
  if (!error_source_limit_.take(to, timers_.now()) ||
      !error_limit_.take(timers_.now())) {
    ++counters_.rate_limited;
    return;
  }
  nhrp::Bytes copy(raw.begin(), raw.end());
  send(to, error_indication(copy, self(), offender, code, offset));
}

void Device::on_frame(Ip4 outer, std::span<const std::uint8_t> frame) {
  auto r = nhrp::decode(frame);
  if (!r) {
    const auto &e = r.error();
    counters_.drop(std::string(nhrp::to_string(e.code)));
    log(Level::debug, "{}: dropped NHRP from {}: {}", name(), outer.str(),
        e.message);
    if (e.code == nhrp::Errc::unknown_compulsory_extension) {
      nhrp::DecodeOptions lax;
      lax.reject_unknown_compulsory = false;
      auto p = nhrp::decode(frame, lax);
      if (p && p->type() != nhrp::PacketType::error_indication)
        send_error(outer, frame, p->src_proto, e.indication_code(),
                   static_cast<std::uint16_t>(e.offset));
    }
    return;
  }
  nhrp::Packet &p = *r;
  if (!admit(outer, p, frame))
    return;
  switch (p.type()) {
  case nhrp::PacketType::registration_request:
    if (hub())
      server_.on_registration_request(outer, std::move(p));
    else
      counters_.drop("not-a-server");
    break;
  case nhrp::PacketType::registration_reply:
    for (auto &c : nhs_)
      if (c->on_reply(outer, p))
        return;
    counters_.drop("unexpected-reply");
    break;
  case nhrp::PacketType::resolution_request:
    on_resolution_request(outer, p, frame);
    break;
  case nhrp::PacketType::resolution_reply:
    if (!resolver_.on_reply(outer, p) && !server_.on_resolution_reply(outer, p))
      counters_.drop("unexpected-reply");
    break;
  case nhrp::PacketType::purge_request:
    server_.on_purge_request(outer, p, from_nhs(outer));
    break;
  case nhrp::PacketType::error_indication:
    on_error_indication(outer, p);
    break;
  default:
    counters_.drop("unhandled-type");
    break;
  }
}

bool Device::admit(Ip4 outer, const nhrp::Packet &p,
                   std::span<const std::uint8_t> frame) {
  if (p.header.afn != nhrp::afn::ipv4 ||
      p.header.protocol_type != nhrp::proto::ipv4) {
    counters_.drop("unsupported-address-family");
    return false;
  }
  // FRR sends its Error Indications with hop count 0.
  if (p.header.hop_count == 0 &&
      p.type() != nhrp::PacketType::error_indication) {
    counters_.drop("hop-count-zero");
    return false;
  }
  if (is_request(p.type()) && !request_limit_.take(outer, timers_.now())) {
    counters_.drop("source-rate-limited");
    return false;
  }
  ++counters_.rx[p.header.type < counters_.rx.size() ? p.header.type : 0];
  if (!auth_ok(p, outer)) {
    // Never answer an Error Indication, nor what may be a reflection.
    if (is_request(p.type()))
      send_error(outer, frame, p.src_proto,
                 nhrp::error_code::authentication_failure, 0);
    return false;
  }
  return true;
}

// Hop by hop (RFC 2332 5.3.4): every packet but an Error Indication that
// reports an authentication failure (its sender may not know our
// password), as FRR checks.
bool Device::auth_ok(const nhrp::Packet &p, Ip4 outer) {
  const auto &want = info_.config.auth;
  if (want.empty())
    return true;
  if (const auto *ei = std::get_if<nhrp::ErrorIndication>(&p.body);
      ei && ei->code == nhrp::error_code::authentication_failure)
    return true;
  auto got = auth_of(p);
  if (got && *got == want)
    return true;
  ++counters_.auth_failures;
  counters_.drop("authentication");
  auth_log_.log(Level::warning, timers_.now(),
                "{}: authentication failure from {} (type {})", name(),
                outer.str(), p.header.type);
  return false;
}

void Device::on_resolution_request(Ip4 outer, const nhrp::Packet &p,
                                   std::span<const std::uint8_t> raw) {
  auto target = Ip4::from_bytes(p.dst_proto);
  auto src_nbma = Ip4::from_bytes(p.src_nbma.addr);
  auto src_proto = Ip4::from_bytes(p.src_proto);
  if (!p.mandatory() || !target || !src_nbma || !src_proto || !proto_) {
    counters_.drop("invalid-resolution");
    return;
  }
  const Binding me = self();
  if (const auto *l = cie_list(p, nhrp::ext::forward_transit_nhs))
    for (const auto &c : l->cies)
      if (Ip4::from_bytes(c.nbma.addr) == me.nbma ||
          Ip4::from_bytes(c.proto) == me.proto) {
        counters_.drop("loop");
        send_error(outer, raw, p.src_proto, nhrp::error_code::loop_detected, 0);
        return;
      }
  if (*target == me.proto)
    answer(outer, p, 32);
  else
    server_.on_resolution_request(outer, p, raw);
}

// The requester talks to us directly next. A request our server forwarded
// is answered to the requester's own address (after NAT, when the request
// or our server says what it is), and teaches us its binding so that our
// answers take the shortcut too; one from anywhere else is answered where
// it came from and teaches nothing (anyone could claim any binding in
// it). The reply tells what our own address is after NAT. For a network
// behind us it names the prefix: the requester reaches all of it through
// our tunnel address (RFC 2332 5.2.2, as FRR and IOS answer).
void Device::answer(Ip4 outer, const nhrp::Packet &p, std::uint8_t prefixlen) {
  const Binding me = self();
  auto src_proto = *Ip4::from_bytes(p.src_proto);
  auto src_nbma =
      nat_nbma_of(p, src_proto).value_or(*Ip4::from_bytes(p.src_nbma.addr));
  const auto *m = p.mandatory();
  bool via_nhs = from_nhs(outer);
  auto reply = resolution_reply(p, me, nhrp::cie_code::success, me, holdtime(),
                                info_.config.auth);
  if (auto *rm = reply.mandatory(); rm && prefixlen < 32)
    rm->cies.front().prefix_length = prefixlen;
  auto pub = public_nbma();
  set_nat_binding(reply, pub ? std::optional<Binding>({*pub, me.proto})
                             : std::nullopt);
  send(via_nhs ? src_nbma : outer, reply);
  if (hub() || !via_nhs || src_proto == me.proto || src_nbma.is_zero())
    return;
  if (pub && src_nbma == *pub) {
    nat_log_.log(Level::notice, timers_.now(),
                 "{}: {} is behind our own NAT address {}: its traffic "
                 "stays on the hub",
                 name(), src_proto.str(), pub->str());
    return;
  }
  const auto *cur = server_.view().find(src_proto);
  if (cur && (cur->configured() || cur->registered()))
    return;
  std::uint16_t hold = m->cies.empty() || !m->cies.front().holding_time
                           ? holdtime()
                           : m->cies.front().holding_time;
  if (io_.entry_new({.proto = src_proto, .nbma = src_nbma, .holdtime = hold}) ==
      0) {
    resolver_.forget(src_proto);
    log(Level::info, "{}: learned {} nbma {} from its request{}", name(),
        src_proto.str(), src_nbma.str(),
        src_nbma != Ip4::from_bytes(p.src_nbma.addr)
            ? fmt::format(" (after NAT; it claims {})", str_of(p.src_nbma.addr))
            : "");
  }
}

void Device::on_error_indication(Ip4 outer, const nhrp::Packet &p) {
  const auto *ei = std::get_if<nhrp::ErrorIndication>(&p.body);
  if (!ei)
    return;
  nhrp::DecodeOptions lax;
  lax.verify_checksum = false;
  lax.reject_unknown_compulsory = false;
  auto off = nhrp::decode(ei->offending, lax);
  std::optional<Quoted> q;
  if (off && off->mandatory())
    q = Quoted{off->header.type, off->mandatory()->request_id};
  else
    q = quoted_header(ei->offending);
  if (q && q->type == static_cast<std::uint8_t>(
                          nhrp::PacketType::registration_request)) {
    for (auto &c : nhs_)
      if (c->on_error(outer, q->request_id, ei->code))
        return;
  }
  error_log_.log(Level::warning, timers_.now(),
                 "{}: error indication {} from {} about type {}", name(),
                 ei->code, outer.str(), q ? q->type : 0);
}

void Device::on_miss(Ip4 target) {
  if (!hub() || !nhs_.empty())
    resolver_.on_miss(target);
}

void Device::adopt(const std::vector<KernelEntry> &entries) {
  reload(entries);
  if (hub() && nhs_.empty())
    return;
  for (const auto &e : entries)
    resolver_.adopt(e);
}

void Device::reload(const std::vector<KernelEntry> &entries) {
  server_.reload(entries);
}

void Device::on_entry_added(const KernelEntry &e) { server_.on_entry_added(e); }

void Device::on_entry_gone(const KernelEntry &e) {
  resolver_.forget(e.proto, e.prefixlen);
  server_.on_entry_gone(e);
}

} // namespace dmvpnd
