// SPDX-License-Identifier: GPL-2.0
#include "device.hpp"

#include <algorithm>
#include <utility>

#include "log.hpp"
#include "nhrp/codec.hpp"
#include "nhrp/constants.hpp"
#include "registration_policy.hpp"

namespace dmvpnd {
namespace {

bool is_request(nhrp::PacketType t) {
  return t == nhrp::PacketType::resolution_request ||
         t == nhrp::PacketType::registration_request ||
         t == nhrp::PacketType::purge_request;
}

std::string str(const nhrp::Bytes &b) {
  auto a = Ip4::from_bytes(b);
  return a ? a->str() : "?";
}

} // namespace

Device::Device(const DeviceInfo &info, std::optional<Ip4> proto,
               TimerQueue &timers, DeviceIo &io, std::uint32_t first_request_id)
    : info_(info), proto_(proto), timers_(timers), io_(io),
      next_req_id_(first_request_id), resolver_(*this) {}

Device::~Device() = default;

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
// re-registers at once.
void Device::sync_nhs(const std::vector<NhsConfig> &nhs, bool restart) {
  std::vector<std::unique_ptr<NhsClient>> next;
  for (const auto &cfg : nhs) {
    auto it = std::find_if(nhs_.begin(), nhs_.end(), [&](const auto &c) {
      return c && c->config() == cfg;
    });
    if (it != nhs_.end()) {
      next.push_back(std::move(*it));
      if (restart)
        next.back()->start();
    } else {
      next.push_back(std::make_unique<NhsClient>(*this, cfg));
      next.back()->start();
    }
  }
  nhs_ = std::move(next);
}

const NhsClient *Device::preferred_nhs() const {
  const NhsClient *best = nullptr;
  for (const auto &c : nhs_)
    if (c->up() && c->nbma() && c->proto() &&
        (!best || c->config().priority < best->config().priority))
      best = c.get();
  return best;
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
  if (!error_limit_.take(timers_.now())) {
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
  if (p.header.afn != nhrp::afn::ipv4 ||
      p.header.protocol_type != nhrp::proto::ipv4) {
    counters_.drop("unsupported-address-family");
    return;
  }
  if (p.header.hop_count == 0) {
    counters_.drop("hop-count-zero");
    return;
  }
  ++counters_.rx[p.header.type < counters_.rx.size() ? p.header.type : 0];
  if (is_request(p.type()) && !request_auth_ok(p, outer))
    return;
  switch (p.type()) {
  case nhrp::PacketType::registration_request:
    on_registration_request(outer, std::move(p));
    break;
  case nhrp::PacketType::registration_reply:
    for (auto &c : nhs_)
      if (c->on_reply(p))
        return;
    counters_.drop("unexpected-reply");
    break;
  case nhrp::PacketType::resolution_request:
    on_resolution_request(outer, p, frame);
    break;
  case nhrp::PacketType::resolution_reply:
    if (!resolver_.on_reply(p))
      counters_.drop("unexpected-reply");
    break;
  case nhrp::PacketType::purge_request:
    on_purge_request(p);
    break;
  case nhrp::PacketType::error_indication:
    on_error_indication(outer, p);
    break;
  default:
    counters_.drop("unhandled-type");
    break;
  }
}

bool Device::request_auth_ok(const nhrp::Packet &p, Ip4 outer) {
  const auto &want = info_.config.auth;
  if (want.empty())
    return true;
  auto got = auth_of(p);
  if (got && *got == want)
    return true;
  ++counters_.auth_failures;
  counters_.drop("authentication");
  log(Level::warning, "{}: authentication failure from {} (type {})", name(),
      outer.str(), p.header.type);
  if (auto raw = nhrp::encode(p, nhrp::ChecksumMode::keep))
    send_error(outer, *raw, p.src_proto,
               nhrp::error_code::authentication_failure, 0);
  return false;
}

// Takes the request: the reply is built from it once the kernel answered.
void Device::on_registration_request(Ip4 outer, nhrp::Packet &&p) {
  if (!hub()) {
    counters_.drop("not-a-server");
    return;
  }
  if (!proto_) {
    counters_.drop("no-tunnel-address");
    return;
  }
  std::optional<KernelEntry> existing;
  if (auto client = registration_client(p)) {
    auto it = registered_.find(client->be);
    if (it != registered_.end()) {
      existing.emplace();
      existing->proto = *client;
      existing->nbma = it->second.nbma;
      existing->type = DMVPN_ENTRY_DYNAMIC;
      existing->flags = it->second.flags;
    }
  }
  auto d = decide_registration(p, outer, info_.config.auth, existing);
  using Kind = RegistrationDecision::Kind;
  switch (d.kind) {
  case Kind::invalid:
    counters_.drop("invalid-registration");
    return;
  case Kind::bad_auth: // request_auth_ok() handled it already
    return;
  case Kind::refuse:
    log(Level::warning, "{}: refused registration of {} from {}: code {}",
        name(), d.client_proto.str(), outer.str(), d.code);
    send(outer, registration_reply(p, self(), d.code, std::nullopt,
                                   info_.config.auth));
    return;
  case Kind::accept:
    break;
  }
  EntrySpec spec;
  spec.proto = d.client_proto;
  spec.nbma = d.client_nbma;
  spec.type = DMVPN_ENTRY_DYNAMIC;
  spec.flags = DMVPN_F_REGISTERED | (d.unique ? DMVPN_F_UNIQUE : 0) |
               (d.nat ? DMVPN_F_NAT : 0);
  spec.holdtime = d.holdtime;
  bool fresh = !existing || existing->nbma != d.client_nbma;
  // Claimed at once, so that a competing request later in the same batch
  // is judged against it; undone if the kernel refuses.
  std::optional<Registered> before;
  if (existing)
    before = Registered{*existing->nbma, existing->flags};
  Registered now{d.client_nbma, spec.flags};
  registered_[d.client_proto.be] = now;
  // The reply waits for the kernel's answer: a spoke is never told it is
  // registered when it is not.
  io_.entry_new_async(
      spec, [this, outer, p = std::move(p), d, fresh, before, now](int err) {
        if (err) {
          auto it = registered_.find(d.client_proto.be);
          if (it != registered_.end() && it->second == now) {
            if (before)
              it->second = *before;
            else
              registered_.erase(it);
          }
        }
        registration_done(outer, p, d, fresh, err);
      });
}

void Device::registration_done(Ip4 outer, const nhrp::Packet &p,
                               const RegistrationDecision &d, bool fresh,
                               int err) {
  std::uint8_t code = nhrp::cie_code::success;
  if (err) {
    log(Level::warning, "{}: cannot register {}: error {}", name(),
        d.client_proto.str(), err);
    code = nhrp::cie_code::insufficient_resources;
  } else {
    if (fresh)
      log_new_registration(d);
    else
      log(Level::debug, "{}: registered {} nbma {} holdtime {} (refresh)",
          name(), d.client_proto.str(), d.client_nbma.str(), d.holdtime);
    if (info_.config.mcast_dynamic)
      io_.mcast_new_async(d.client_nbma, DMVPN_MCAST_F_DYNAMIC);
  }
  std::optional<Binding> nat;
  if (d.nat)
    nat = Binding{d.client_nbma, d.client_proto};
  send(outer, registration_reply(p, self(), code, nat, info_.config.auth));
}

// At info, but a hub taking thousands of registrations a second must not
// spend its time writing them: beyond a few per second only their number
// is logged.
void Device::log_new_registration(const RegistrationDecision &d) {
  if (!log_enabled(Level::info))
    return;
  if (!reg_log_limit_.take(timers_.now())) {
    ++reg_log_suppressed_;
    return;
  }
  std::string more;
  if (reg_log_suppressed_)
    more = fmt::format(" ({} more registered, not logged)",
                       std::exchange(reg_log_suppressed_, 0));
  log(Level::info, "{}: registered {} nbma {} holdtime {}{}{}{}", name(),
      d.client_proto.str(), d.client_nbma.str(), d.holdtime,
      d.unique ? " unique" : "",
      d.nat ? fmt::format(" nat (claimed {})", d.claimed_nbma.str()) : "",
      more);
}

void Device::on_resolution_request(Ip4 outer, const nhrp::Packet &p,
                                   std::span<const std::uint8_t> raw) {
  const auto *m = p.mandatory();
  auto target = Ip4::from_bytes(p.dst_proto);
  auto src_nbma = Ip4::from_bytes(p.src_nbma.addr);
  auto src_proto = Ip4::from_bytes(p.src_proto);
  if (!m || !target || !src_nbma || !src_proto || !proto_) {
    counters_.drop("invalid-resolution");
    return;
  }
  const Binding me = self();
  if (const auto *e = p.find_extension(nhrp::ext::forward_transit_nhs))
    if (const auto *l = std::get_if<nhrp::CieList>(&e->value))
      for (const auto &c : l->cies)
        if (Ip4::from_bytes(c.nbma.addr) == me.nbma ||
            Ip4::from_bytes(c.proto) == me.proto) {
          counters_.drop("loop");
          send_error(outer, raw, p.src_proto, nhrp::error_code::loop_detected,
                     0);
          return;
        }
  // Forwarded requests reach us from the NHS: answer the requester itself.
  Ip4 reply_to = target == me.proto ? *src_nbma : outer;
  std::uint16_t req_holdtime = m->cies.empty() || !m->cies.front().holding_time
                                   ? holdtime()
                                   : m->cies.front().holding_time;
  if (*target == me.proto) {
    send(reply_to, resolution_reply(p, me, nhrp::cie_code::success, me,
                                    holdtime(), info_.config.auth));
    if (!hub() && *src_proto != me.proto) {
      // The requester talks to us directly next; learn it now so that our
      // answers take the shortcut too.
      auto cur = io_.entry_get(*src_proto);
      if (!cur || cur->type == DMVPN_ENTRY_DYNAMIC ||
          cur->type == DMVPN_ENTRY_INCOMPLETE ||
          cur->type == DMVPN_ENTRY_NEGATIVE) {
        EntrySpec spec{*src_proto, *src_nbma, DMVPN_ENTRY_DYNAMIC, 0,
                       req_holdtime};
        if (io_.entry_new(spec) == 0) {
          resolver_.forget(*src_proto);
          log(Level::info, "{}: learned {} nbma {} from its request", name(),
              src_proto->str(), src_nbma->str());
        }
      }
    }
    return;
  }
  if (hub()) {
    auto e = io_.entry_get(*target);
    if (e && e->nbma && e->type == DMVPN_ENTRY_DYNAMIC &&
        (e->flags & DMVPN_F_REGISTERED)) {
      std::uint16_t left = static_cast<std::uint16_t>(
          std::clamp<std::uint32_t>(e->expires.value_or(holdtime()), 1, 65535));
      log(Level::debug, "{}: answering {} for {}: {}", name(), target->str(),
          src_proto->str(), e->nbma->str());
      send(outer, resolution_reply(p, me, nhrp::cie_code::success,
                                   Binding{*e->nbma, *target}, left,
                                   info_.config.auth));
      return;
    }
  }
  if (preferred_nhs()) {
    forward_request(p, raw, outer);
    return;
  }
  send(outer, resolution_reply(p, me, nhrp::cie_code::no_binding, std::nullopt,
                               req_holdtime, info_.config.auth));
}

void Device::forward_request(const nhrp::Packet &p,
                             std::span<const std::uint8_t> raw, Ip4 outer) {
  const NhsClient *nhs = preferred_nhs();
  if (p.header.hop_count <= 1) {
    send_error(outer, raw, p.src_proto, nhrp::error_code::hop_count_exceeded,
               0);
    return;
  }
  nhrp::Packet fwd = p;
  --fwd.header.hop_count;
  if (auto *e = fwd.find_extension(nhrp::ext::forward_transit_nhs))
    if (auto *l = std::get_if<nhrp::CieList>(&e->value))
      l->cies.push_back(binding_cie(self()));
  if (auto *e = fwd.find_extension(nhrp::ext::authentication))
    e->value = nhrp::Authentication{
        1, nhrp::Bytes(info_.config.auth.begin(), info_.config.auth.end())};
  send(*nhs->nbma(), fwd);
}

void Device::on_purge_request(const nhrp::Packet &p) {
  const auto *m = p.mandatory();
  auto src_nbma = Ip4::from_bytes(p.src_nbma.addr);
  if (!m || !src_nbma) {
    counters_.drop("invalid-purge");
    return;
  }
  std::vector<Ip4> targets;
  for (const auto &c : m->cies)
    if (auto a = Ip4::from_bytes(c.proto))
      targets.push_back(*a);
  if (targets.empty())
    if (auto a = Ip4::from_bytes(p.dst_proto))
      targets.push_back(*a);
  for (Ip4 t : targets) {
    resolver_.forget(t);
    auto e = io_.entry_get(t);
    // Purges may remove what NHRP learned, never configuration.
    if (e && e->type != DMVPN_ENTRY_STATIC && e->type != DMVPN_ENTRY_LOCAL) {
      io_.entry_del(t);
      log(Level::info, "{}: purged {} (requested by {})", name(), t.str(),
          str(p.src_proto));
    }
  }
  if (!(m->flags & nhrp::flags::purge_n))
    send(*src_nbma, purge_reply(p, self(), info_.config.auth));
}

void Device::on_error_indication(Ip4 outer, const nhrp::Packet &p) {
  const auto *ei = std::get_if<nhrp::ErrorIndication>(&p.body);
  if (!ei)
    return;
  nhrp::DecodeOptions lax;
  lax.verify_checksum = false;
  lax.reject_unknown_compulsory = false;
  auto off = nhrp::decode(ei->offending, lax);
  if (off && off->type() == nhrp::PacketType::registration_request) {
    for (auto &c : nhs_)
      if (c->on_error(off->mandatory()->request_id, ei->code))
        return;
  }
  log(Level::warning, "{}: error indication {} from {} about type {}", name(),
      ei->code, outer.str(), off ? off->header.type : 0);
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
  registered_.clear();
  for (const auto &e : entries)
    on_entry_added(e);
}

void Device::on_entry_added(const KernelEntry &e) {
  if (e.prefixlen != 32)
    return;
  if (e.type == DMVPN_ENTRY_DYNAMIC && (e.flags & DMVPN_F_REGISTERED) && e.nbma)
    registered_[e.proto.be] = Registered{*e.nbma, e.flags};
  else
    registered_.erase(e.proto.be);
}

void Device::on_entry_gone(const KernelEntry &e) {
  resolver_.forget(e.proto);
  if (e.prefixlen == 32)
    registered_.erase(e.proto.be);
  if (hub() && info_.config.mcast_dynamic && e.nbma &&
      (e.flags & DMVPN_F_REGISTERED)) {
    io_.mcast_del(*e.nbma);
  }
  if (e.flags & DMVPN_F_REGISTERED)
    log(Level::info, "{}: registration of {} ended", name(), e.proto.str());
}

} // namespace dmvpnd
