// SPDX-License-Identifier: GPL-2.0
#include "nhs_client.hpp"

#include "device.hpp"
#include "log.hpp"
#include "messages.hpp"
#include "nhrp/constants.hpp"

namespace dmvpnd {

NhsClient::NhsClient(Device &dev, NhsConfig cfg)
    : dev_(dev), cfg_(std::move(cfg)), timer_(dev.timers()) {
  nbma_ = cfg_.nbma;
}

std::optional<Ip4> NhsClient::proto() const {
  return cfg_.proto ? cfg_.proto : learned_proto_;
}

std::string NhsClient::name() const { return nbma_ ? nbma_->str() : cfg_.fqdn; }

// A server given by name is looked up before every request (start,
// refresh, retransmission), so a hub that moves is found again.
void NhsClient::send() {
  if (cfg_.nbma) {
    transmit();
    return;
  }
  if (lookup_)
    return; // its answer sends
  // The caller of the callback holds the token while it runs.
  lookup_ = dev_.io().lookup(cfg_.fqdn, [this](const LookupResult &r) {
    lookup_.reset();
    looked_up(r);
  });
}

void NhsClient::looked_up(const LookupResult &r) {
  if (!r.addr) {
    log(Level::warning, "{}: nhs {}: cannot resolve: {}", dev_.name(),
        cfg_.fqdn, r.error);
    retry_later();
    return;
  }
  if (nbma_ != r.addr) {
    nbma_ = r.addr;
    st_.cur_nbma = r.addr;
    log(Level::info, "{}: nhs {} is {}", dev_.name(), cfg_.fqdn, r.addr->str());
  }
  transmit();
}

void NhsClient::retry_later() {
  ++st_.failures;
  publish();
  timer_.start(dev_.jitter(backoff_.next()), [this] { send(); });
}

void NhsClient::place(bool default_route) {
  auto p = proto();
  if (!nbma_ || !p)
    return;
  Placed want{*nbma_, *p, default_route};
  if (placed_ == want)
    return;
  if (placed_ && placed_->proto != want.proto)
    dev_.io().entry_del(placed_->proto);
  if (placed_ && placed_->nbma != want.nbma)
    dev_.io().mcast_del(placed_->nbma);
  EntrySpec spec;
  spec.proto = want.proto;
  spec.nbma = want.nbma;
  spec.type = DMVPN_ENTRY_STATIC;
  spec.flags = default_route ? DMVPN_F_NHS : 0;
  spec.install = Install::replace;
  int err = dev_.io().entry_new(spec);
  int merr = dev_.io().mcast_new(want.nbma, DMVPN_MCAST_F_DYNAMIC);
  if (err || merr) {
    log(Level::warning, "{}: nhs {}: cannot install entry ({}, {})",
        dev_.name(), name(), err, merr);
    placed_.reset();
    return;
  }
  placed_ = want;
}

void NhsClient::withdraw() {
  if (!placed_)
    return;
  dev_.io().entry_del(placed_->proto);
  dev_.io().mcast_del(placed_->nbma);
  log(Level::info, "{}: nhs {}: entries withdrawn", dev_.name(), name());
  placed_.reset();
}

void NhsClient::start() {
  backoff_.reset();
  unanswered_ = 0;
  req_id_ = dev_.next_request_id();
  send();
}

void NhsClient::transmit() {
  if (!dev_.proto()) {
    retry_later();
    return;
  }
  dev_.place_nhs();
  const auto &cfg = dev_.config();
  RequestParams r;
  r.self = dev_.self();
  r.dst_proto = proto().value_or(r.self.proto);
  r.request_id = req_id_;
  r.flags = nhrp::flags::cisco_nat | (cfg.unique ? nhrp::flags::reg_u : 0);
  r.holdtime = dev_.holdtime();
  r.auth = cfg.auth;
  r.nat_extension = true;
  r.nat_peer = Binding{*nbma_, proto().value_or(Ip4{})};
  if (dev_.send(*nbma_, registration_request(r)))
    ++st_.requests;
  bool published = false;
  if (unanswered_++ >= kMaxUnanswered) {
    ++st_.failures;
    published = set_state(DMVPN_NHS_STATE_DOWN);
  } else if (st_.state != DMVPN_NHS_STATE_UP &&
             st_.state != DMVPN_NHS_STATE_DOWN) {
    published = set_state(DMVPN_NHS_STATE_REGISTERING);
  }
  // The counters of an NHS that stays down must keep moving in
  // `ip dmvpn nhs show` too.
  if (!published)
    publish();
  timer_.start(dev_.jitter(backoff_.next()), [this] { retransmit(); });
}

void NhsClient::retransmit() {
  log(Level::debug, "{}: nhs {}: no reply to request {}", dev_.name(), name(),
      req_id_);
  send();
}

bool NhsClient::on_reply(Ip4 outer, const nhrp::Packet &p) {
  const auto *m = p.mandatory();
  if (!m || m->request_id != req_id_ || !nbma_ || outer != *nbma_)
    return false;
  if (m->cies.empty())
    return false;
  std::uint8_t code = m->cies.front().code;
  st_.last_code = code;
  if (code != nhrp::cie_code::success) {
    ++st_.failures;
    log(Level::warning, "{}: nhs {}: registration refused, code {}",
        dev_.name(), name(), code);
    set_state(DMVPN_NHS_STATE_DOWN);
    // New id for the next attempt: the refusal answered this one.
    req_id_ = dev_.next_request_id();
    timer_.start(dev_.jitter(Backoff::kCap), [this] { send(); });
    return true;
  }
  ++st_.replies;
  if (!cfg_.proto) {
    std::optional<Ip4> learned;
    if (const auto *e = p.find_extension(nhrp::ext::responder_address))
      if (const auto *l = std::get_if<nhrp::CieList>(&e->value);
          l && !l->cies.empty())
        learned = Ip4::from_bytes(l->cies.front().proto);
    if (!learned)
      learned = Ip4::from_bytes(p.dst_proto);
    if (learned && learned != learned_proto_ && !learned->is_zero() &&
        learned != dev_.proto()) {
      learned_proto_ = learned;
      st_.cur_proto = learned;
      dev_.place_nhs();
    }
  }
  std::optional<Ip4> seen;
  if (auto me = dev_.proto())
    seen = nat_nbma_of(p, *me);
  if (seen == dev_.self().nbma)
    seen.reset();
  if (seen != public_)
    log(Level::notice, "{}: nhs {}: {}", dev_.name(), name(),
        seen ? fmt::format("we are behind NAT, our address there is {}",
                           seen->str())
             : std::string("no NAT between us"));
  public_ = seen;
  st_.nat = seen.has_value();
  unanswered_ = 0;
  backoff_.reset();
  bool was_up = up();
  set_state(DMVPN_NHS_STATE_UP);
  if (was_up)
    publish(); // counters changed
  std::uint32_t interval = dev_.config().reg_interval;
  if (!interval)
    interval = std::max<std::uint32_t>(1, dev_.holdtime() / 3);
  log(Level::debug, "{}: nhs {}: registered, refresh in {} s", dev_.name(),
      name(), interval);
  timer_.start(dev_.jitter(std::chrono::seconds(interval)),
               [this] { start(); });
  return true;
}

bool NhsClient::on_error(Ip4 outer, std::uint32_t request_id,
                         std::uint16_t code) {
  if (request_id != req_id_ || outer != nbma_)
    return false;
  ++st_.failures;
  log(Level::warning, "{}: nhs {}: error indication {} about our request",
      dev_.name(), name(), code);
  set_state(DMVPN_NHS_STATE_DOWN);
  req_id_ = dev_.next_request_id();
  timer_.start(dev_.jitter(Backoff::kCap), [this] { send(); });
  return true;
}

bool NhsClient::set_state(std::uint8_t state) {
  if (st_.state == state)
    return false;
  static const char *names[] = {"none", "down", "registering", "up"};
  st_.state = state;
  auto p = proto();
  if (state == DMVPN_NHS_STATE_UP)
    log(Level::notice, "{}: nhs {} up (proto {}{})", dev_.name(), name(),
        p ? p->str() : "?", st_.nat ? ", behind NAT" : "");
  else
    log(state == DMVPN_NHS_STATE_DOWN ? Level::warning : Level::info,
        "{}: nhs {} {}", dev_.name(), name(), names[state]);
  publish();
  dev_.place_nhs();
  return true;
}

void NhsClient::publish() {
  st_.cur_nbma = nbma_;
  st_.cur_proto = proto();
  dev_.io().nhs_set(cfg_, st_);
}

} // namespace dmvpnd
