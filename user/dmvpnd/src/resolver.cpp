// SPDX-License-Identifier: GPL-2.0
#include "resolver.hpp"

#include <algorithm>

#include "device.hpp"
#include "log.hpp"
#include "messages.hpp"
#include "nhrp/constants.hpp"

namespace dmvpnd {

std::uint32_t Resolver::refresh_lead(std::uint32_t holdtime) {
  return std::max<std::uint32_t>(holdtime / 6, 5);
}

void Resolver::on_miss(Ip4 target) {
  if (items_.count(target) || target == dev_.proto() || target.is_zero())
    return;
  const NhsClient *nhs = dev_.preferred_nhs();
  if (!nhs) {
    log(Level::debug, "{}: miss for {}: no NHS up", dev_.name(), target.str());
    return;
  }
  if (nhs->proto() == target)
    return;
  auto it = std::make_unique<Item>(dev_.timers());
  it->target = target;
  it->nhs_nbma = *nhs->nbma();
  it->request_id = dev_.next_request_id();
  EntrySpec spec;
  spec.proto = target;
  spec.type = DMVPN_ENTRY_INCOMPLETE;
  spec.holdtime = kIncompleteHoldtime;
  // Never over what was learned since the miss was raised.
  spec.install = Install::create;
  if (dev_.io().entry_new(spec) != 0)
    return;
  log(Level::info, "{}: resolving {} via nhs {}", dev_.name(), target.str(),
      it->nhs_nbma.str());
  Item &ref = *it;
  items_[target] = std::move(it);
  send(ref);
}

void Resolver::adopt(const KernelEntry &e) {
  if ((e.flags & (DMVPN_F_REGISTERED | DMVPN_F_NHS)) || items_.count(e.proto))
    return;
  if (e.type == DMVPN_ENTRY_INCOMPLETE) {
    dev_.io().entry_del(e.proto);
    on_miss(e.proto);
    return;
  }
  // A shortcut is asked for again by its first address: the responder
  // answers for the prefix that holds it.
  bool learned = e.type == DMVPN_ENTRY_DYNAMIC ||
                 (e.type == DMVPN_ENTRY_SHORTCUT && e.prefixlen < 32);
  if (!learned || !e.expires || !e.nbma)
    return;
  auto it = std::make_unique<Item>(dev_.timers());
  it->target = e.proto;
  it->prefixlen = e.prefixlen;
  it->resolved = true;
  it->installed = dev_.timers().now();
  std::uint32_t lead = refresh_lead(*e.expires);
  Ip4 target = e.proto;
  it->timer.start(
      std::chrono::seconds(*e.expires > lead ? *e.expires - lead : 0),
      [this, target] { refresh(target); });
  items_[target] = std::move(it);
}

nhrp::Packet Resolver::request(const Item &it) const {
  const auto &cfg = dev_.config();
  RequestParams r;
  r.self = dev_.self();
  r.dst_proto = it.target;
  r.request_id = it.request_id;
  r.flags = nhrp::flags::res_q | nhrp::flags::res_a | nhrp::flags::res_s |
            nhrp::flags::cisco_nat;
  // Our address after NAT, so that the responder talks to it; empty when
  // we do not know one, for our server to fill.
  r.nat_extension = true;
  if (auto pub = dev_.public_nbma())
    r.nat_peer = Binding{*pub, r.self.proto};
  r.holdtime = dev_.holdtime();
  r.auth = cfg.auth;
  return resolution_request(r);
}

void Resolver::send(Item &it) {
  ++it.tries;
  dev_.send(it.nhs_nbma, request(it));
  Ip4 target = it.target;
  it.timer.start(kRetry, [this, target] { retry(target); });
}

void Resolver::retry(Ip4 target) {
  auto found = items_.find(target);
  if (found == items_.end())
    return;
  Item &it = *found->second;
  if (it.tries < kTries) {
    send(it);
    return;
  }
  if (it.resolved) {
    // Unanswered refresh: the kernel ages the entry out.
    log(Level::info, "{}: refresh of {} unanswered", dev_.name(), target.str());
    items_.erase(found);
    return;
  }
  log(Level::warning, "{}: resolution of {} failed: no reply", dev_.name(),
      target.str());
  negative(target);
}

void Resolver::forget(Ip4 proto, std::uint8_t prefixlen) {
  std::erase_if(items_, [&](const auto &kv) {
    const Item &it = *kv.second;
    return it.prefixlen == prefixlen && it.target.masked(prefixlen) == proto;
  });
}

void Resolver::negative(Ip4 target, std::uint32_t holdtime) {
  EntrySpec spec;
  spec.proto = target;
  spec.type = DMVPN_ENTRY_NEGATIVE;
  spec.holdtime = holdtime;
  dev_.io().entry_new(spec);
  items_.erase(target);
}

bool Resolver::on_reply(Ip4 outer, const nhrp::Packet &p) {
  const auto *m = p.mandatory();
  if (!m)
    return false;
  auto found = std::find_if(items_.begin(), items_.end(), [&](auto &kv) {
    return kv.second->request_id == m->request_id;
  });
  if (found == items_.end())
    return false;
  Item &it = *found->second;
  Ip4 target = it.target;
  // The answer to the question we asked, not just one with its id.
  if (Ip4::from_bytes(p.dst_proto) != target ||
      Ip4::from_bytes(p.src_proto) != dev_.proto())
    return false;
  const nhrp::Cie *cie = m->cies.empty() ? nullptr : &m->cies.front();
  auto nbma = cie ? Ip4::from_bytes(cie->nbma.addr) : std::nullopt;
  if (!cie || cie->code != nhrp::cie_code::success || !nbma ||
      nbma->is_zero()) {
    log(Level::warning, "{}: resolution of {} refused, code {}", dev_.name(),
        target.str(), cie ? cie->code : 0);
    negative(target);
    return true;
  }
  std::uint32_t holdtime =
      cie->holding_time ? cie->holding_time : dev_.holdtime();
  nbma = after_nat(outer, p, target, *nbma);
  if (auto pub = dev_.public_nbma(); pub && *nbma == *pub) {
    // Behind the same NAT address as we are: a tunnel to it would have
    // to turn back at our own NAT, which NATs seldom do (Cisco documents
    // the same). The hub keeps carrying it until the answer expires.
    log(Level::notice,
        "{}: {} is behind our own NAT address {}: its traffic stays on the "
        "hub",
        dev_.name(), target.str(), pub->str());
    negative(target, holdtime);
    return true;
  }
  if (int err = install(it, *cie, *nbma, holdtime)) {
    log(Level::warning, "{}: cannot install {} -> {}: {}", dev_.name(),
        target.str(), nbma->str(), err);
    items_.erase(found);
    return true;
  }
  log(it.resolved ? Level::debug : Level::info,
      "{}: resolved {} nbma {} holdtime {}", dev_.name(),
      it.prefixlen < 32
          ? fmt::format("{}/{} (for {})", target.masked(it.prefixlen).str(),
                        it.prefixlen, target.str())
          : target.str(),
      nbma->str(), holdtime);
  // A NAT in front of either of us lets the peer's packets in only once
  // we have sent it one: greet it with the question it answers itself
  // (to where the question came from, learning nothing from it), so that
  // its tunnel to us works as soon as ours to it. Its answer, our own
  // request id, refreshes the entry.
  if (!it.resolved && (dev_.public_nbma() || nat_nbma_of(p, target)))
    dev_.send(*nbma, request(it));
  it.resolved = true;
  it.tries = 0;
  it.installed = dev_.timers().now();
  std::uint32_t lead = refresh_lead(holdtime);
  if (holdtime <= lead) {
    items_.erase(found);
    return true;
  }
  it.timer.start(std::chrono::seconds(holdtime - lead),
                 [this, target] { refresh(target); });
  return true;
}

// A host answer becomes the target's entry. A prefix answer (a network
// behind the responder) becomes a shortcut for the prefix, plus a host
// entry for the responder's tunnel address (the route through it works
// at once, as on IOS); our incomplete entry for the target goes, since
// the shortcut now answers for it.
int Resolver::install(Item &it, const nhrp::Cie &cie, Ip4 nbma,
                      std::uint32_t holdtime) {
  std::uint8_t plen = cie.prefix_length;
  if (plen == 0 || plen > 32)
    plen = 32;
  // A shortcut is looked up before any host entry: one that held our own
  // tunnel address, or the responder's, would take the cloud's traffic
  // (the hub's included) to the responder. Its answer stands for the
  // target alone then.
  auto via = Ip4::from_bytes(cie.proto);
  auto covers = [&](std::optional<Ip4> a) {
    return a && a->masked(plen) == it.target.masked(plen);
  };
  if (plen < 32 && (covers(dev_.proto()) || covers(via))) {
    log(Level::warning,
        "{}: answer for {}/{} holds tunnel addresses: taken for {} only",
        dev_.name(), it.target.masked(plen).str(), plen, it.target.str());
    plen = 32;
  }
  EntrySpec spec;
  spec.proto = it.target.masked(plen);
  spec.prefixlen = plen;
  spec.nbma = nbma;
  spec.type = plen < 32 ? DMVPN_ENTRY_SHORTCUT : DMVPN_ENTRY_DYNAMIC;
  spec.holdtime = holdtime;
  if (int err = dev_.io().entry_new(spec))
    return err;
  std::uint8_t before = it.prefixlen;
  it.prefixlen = plen;
  if (plen == 32)
    return 0;
  const auto &view = dev_.server().view();
  if (before == 32)
    if (const auto *e = view.find(it.target);
        e && e->type == DMVPN_ENTRY_INCOMPLETE)
      dev_.io().entry_del(it.target);
  if (via && !via->is_zero() && *via != it.target && via != dev_.proto() &&
      !view.find(*via))
    dev_.io().entry_new({.proto = *via,
                         .nbma = nbma,
                         .holdtime = holdtime,
                         .install = Install::create});
  return 0;
}

// The responder's address after NAT: what the reply's NAT extension says
// (the responder's own word, or its server's), else, when the responder
// answered us itself from an address other than the one it names, that
// address (a responder behind a NAT that does not say so, as FRR does).
Ip4 Resolver::after_nat(Ip4 outer, const nhrp::Packet &p, Ip4 target,
                        Ip4 named) const {
  if (auto n = nat_nbma_of(p, target))
    return *n;
  const auto *e = p.find_extension(nhrp::ext::responder_address);
  const auto *l = e ? std::get_if<nhrp::CieList>(&e->value) : nullptr;
  bool from_target =
      l && !l->cies.empty() && Ip4::from_bytes(l->cies.front().proto) == target;
  if (from_target && outer != named && !dev_.from_nhs(outer))
    return outer;
  return named;
}

// Refresh only what carried traffic since it was installed; idle entries
// are left to the kernel's holding time.
void Resolver::refresh(Ip4 target) {
  auto found = items_.find(target);
  if (found == items_.end())
    return;
  Item &it = *found->second;
  auto e = dev_.io().entry_get(target.masked(it.prefixlen), it.prefixlen);
  auto since = std::chrono::duration_cast<std::chrono::seconds>(
                   dev_.timers().now() - it.installed)
                   .count();
  bool learned =
      e && (e->type == DMVPN_ENTRY_DYNAMIC || e->type == DMVPN_ENTRY_SHORTCUT);
  if (!learned || !e->used || static_cast<std::int64_t>(*e->used) >= since) {
    log(Level::info, "{}: {} idle, letting it expire", dev_.name(),
        target.str());
    items_.erase(found);
    return;
  }
  const NhsClient *nhs = dev_.preferred_nhs();
  if (!nhs) {
    items_.erase(found);
    return;
  }
  it.nhs_nbma = *nhs->nbma();
  it.request_id = dev_.next_request_id();
  it.tries = 0;
  send(it);
}

} // namespace dmvpnd
