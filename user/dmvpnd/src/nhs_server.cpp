// SPDX-License-Identifier: GPL-2.0
#include "nhs_server.hpp"

#include <algorithm>
#include <cerrno>
#include <utility>

#include "device.hpp"
#include "log.hpp"
#include "nhrp/constants.hpp"
#include "registration_policy.hpp"
#include "resolver.hpp"

namespace dmvpnd {
namespace {

KernelEntry as_kernel(Ip4 proto, const CacheView::Entry &e) {
  KernelEntry k;
  k.proto = proto;
  k.nbma = e.nbma;
  k.type = e.type;
  k.flags = e.flags;
  return k;
}

} // namespace

// Every CIE registers one address and gets its own code; the reply goes
// once every CIE is decided, the kernel's answers included, so that a
// spoke is never told it is registered when it is not.
struct NhsServer::Reply {
  Ip4 outer;
  nhrp::Packet request;
  std::vector<std::uint8_t> codes;
  std::size_t left = 0; // CIEs undecided, plus one for the caller
  std::optional<Binding> nat;
};

// Takes the request: the reply is built from it.
void NhsServer::on_registration_request(Ip4 outer, nhrp::Packet &&p) {
  if (!dev_.proto()) {
    dev_.counters().drop("no-tunnel-address");
    return;
  }
  const auto *m = p.mandatory();
  std::size_t n = m ? m->cies.size() : 0;
  // A CIE without usable addresses spoils the packet: nothing of it is
  // taken.
  for (std::size_t i = 0; i < std::max<std::size_t>(n, 1); ++i)
    if (!registration_cie_usable(p, outer, i)) {
      dev_.counters().drop("invalid-registration");
      return;
    }
  auto reply = std::make_shared<Reply>();
  reply->outer = outer;
  reply->request = std::move(p);
  reply->codes.assign(n, nhrp::cie_code::success);
  reply->left = n + 1;
  for (std::size_t i = 0; i < n; ++i)
    register_cie(reply, i);
  cie_done(reply);
}

void NhsServer::register_cie(const std::shared_ptr<Reply> &reply,
                             std::size_t i) {
  const nhrp::Packet &p = reply->request;
  Ip4 outer = reply->outer;
  std::optional<CacheView::Entry> before;
  std::optional<KernelEntry> existing;
  if (auto client = registration_client(p, i)) {
    if (const auto *e = view_.find(*client)) {
      before = *e;
      existing = as_kernel(*client, *e);
    } else if (*client == dev_.proto()) {
      // Our own address, whether or not the kernel holds a LOCAL entry.
      existing = as_kernel(*client, {dev_.self().nbma, DMVPN_ENTRY_LOCAL, 0});
    }
  }
  auto d = decide_registration(p, outer, dev_.config().auth, existing,
                               view_.registered_at(outer), max_per_nbma_, i,
                               dev_.holdtime());
  using Kind = RegistrationDecision::Kind;
  if (d.kind == Kind::keep) {
    cie_done(reply);
    return;
  }
  if (d.kind != Kind::accept) {
    // (A bad password or an unusable CIE was dropped before; refuse
    // rather than trust that here.)
    if (d.kind != Kind::refuse)
      d.code = nhrp::cie_code::admin_prohibited;
    refused(outer, d);
    reply->codes[i] = d.code;
    cie_done(reply);
    return;
  }
  EntrySpec spec;
  spec.proto = d.client_proto;
  spec.nbma = d.client_nbma;
  spec.type = DMVPN_ENTRY_DYNAMIC;
  spec.flags = DMVPN_F_REGISTERED | (d.unique ? DMVPN_F_UNIQUE : 0) |
               (d.nat ? DMVPN_F_NAT : 0);
  spec.holdtime = d.holdtime;
  spec.install = Install::learned;
  bool fresh = !before || before->nbma != d.client_nbma;
  // Claimed at once, so that a competing request later in the same batch
  // is judged against it; undone if the kernel refuses.
  CacheView::Entry now{d.client_nbma, spec.type, spec.flags};
  apply(view_.put(d.client_proto, now));
  dev_.io().entry_new_async(
      spec, [this, reply, i, d, fresh, before, now](int err) {
        if (err) {
          const auto *cur = view_.find(d.client_proto);
          if (cur && *cur == now)
            apply(view_.restore(d.client_proto, before));
          RegistrationDecision r = d;
          // The kernel holds configuration there (added since we looked).
          r.code = err == -EEXIST ? nhrp::cie_code::admin_prohibited
                                  : nhrp::cie_code::insufficient_resources;
          refused(reply->outer, r);
          reply->codes[i] = r.code;
        } else {
          registered(d, fresh);
          if (d.nat && !reply->nat)
            reply->nat = Binding{d.client_nbma, d.client_proto};
        }
        cie_done(reply);
      });
}

void NhsServer::cie_done(const std::shared_ptr<Reply> &reply) {
  if (--reply->left)
    return;
  auto out =
      registration_reply(reply->request, dev_.self(), nhrp::cie_code::success,
                         reply->nat, dev_.config().auth);
  if (auto *m = out.mandatory())
    for (std::size_t i = 0; i < m->cies.size() && i < reply->codes.size(); ++i)
      m->cies[i].code = reply->codes[i];
  dev_.send(reply->outer, out);
}

void NhsServer::refused(Ip4 outer, const RegistrationDecision &d) {
  dev_.counters().drop("registration-refused");
  refuse_log_.log(Level::warning, dev_.timers().now(),
                  "{}: refused registration of {} from {}: code {}",
                  dev_.name(), d.client_proto.str(), outer.str(), d.code);
}

void NhsServer::registered(const RegistrationDecision &d, bool fresh) {
  if (fresh)
    log_new_registration(d);
  else
    log(Level::debug, "{}: registered {} nbma {} holdtime {} (refresh)",
        dev_.name(), d.client_proto.str(), d.client_nbma.str(), d.holdtime);
  // Once per new binding: a refresh changes nothing there, and a hub of
  // many spokes would otherwise send the kernel one more request (and
  // every listener one more event) per refresh. A map changed behind our
  // back is mended when the view is reloaded.
  if (fresh && dev_.config().mcast_dynamic)
    dev_.io().mcast_new_async(d.client_nbma, DMVPN_MCAST_F_DYNAMIC);
}

// At info, but a hub taking thousands of registrations a second must not
// spend its time writing them: beyond a few per second only their number
// is logged.
void NhsServer::log_new_registration(const RegistrationDecision &d) {
  reg_log_.log(Level::info, dev_.timers().now(),
               "{}: registered {} nbma {} holdtime {}{}{}", dev_.name(),
               d.client_proto.str(), d.client_nbma.str(), d.holdtime,
               d.unique ? " unique" : "",
               d.nat ? fmt::format(" nat (claimed {})", d.claimed_nbma.str())
                     : "");
}

void NhsServer::on_resolution_request(Ip4 outer, const nhrp::Packet &p,
                                      std::span<const std::uint8_t> raw) {
  auto target = *Ip4::from_bytes(p.dst_proto);
  if (dev_.hub() && answer_registered(outer, p, target))
    return;
  // Where this host routes the target says who answers: we do, for a
  // network behind us (not a default route: that is the Internet's);
  // a hub passes the request on to the next hop of a route through the
  // cloud, else up to its own server; nobody sends a request back where
  // it came from.
  auto route = dev_.io().route_to(target);
  if (route && egress(*route)) {
    dev_.answer(outer, p, route->local ? 32 : route->prefixlen);
    return;
  }
  if (dev_.hub()) {
    if (route && route->oif == dev_.ifindex() && route->gateway &&
        *route->gateway != target) {
      const auto *next = view_.find(*route->gateway);
      if (next && next->nbma && *next->nbma != outer &&
          *next->nbma != dev_.self().nbma) {
        forward_request(p, raw, outer, *next->nbma);
        return;
      }
    }
    const NhsClient *nhs = dev_.preferred_nhs();
    if (nhs && *nhs->nbma() != outer) {
      forward_request(p, raw, outer, *nhs->nbma());
      return;
    }
  }
  // Not ours to answer and nowhere to send it: a spoke never bounces a
  // request back to its server. The requester may ask again soon.
  dev_.send(outer, resolution_reply(p, dev_.self(), nhrp::cie_code::no_binding,
                                    std::nullopt, Resolver::kNegativeHoldtime,
                                    dev_.config().auth));
}

// A network we are the way to: one of our addresses, or one routed out
// of another interface, but neither the Internet (a default route) nor
// the network the tunnel itself runs over.
bool NhsServer::egress(const Route &r) {
  if (r.local)
    return true;
  if (r.oif == dev_.ifindex() || r.prefixlen == 0)
    return false;
  auto underlay = dev_.io().route_to(dev_.self().nbma);
  return !underlay || underlay->oif != r.oif;
}

bool NhsServer::answer_registered(Ip4 outer, const nhrp::Packet &p,
                                  Ip4 target) {
  const auto *v = view_.find(target);
  if (!v || !v->registered())
    return false;
  // The holding time left, which only the kernel knows.
  auto e = dev_.io().entry_get(target);
  if (!e || !e->nbma || e->type != DMVPN_ENTRY_DYNAMIC ||
      !(e->flags & DMVPN_F_REGISTERED))
    return false;
  std::uint16_t left = static_cast<std::uint16_t>(std::clamp<std::uint32_t>(
      e->expires.value_or(dev_.holdtime()), 1, 65535));
  log(Level::debug, "{}: answering {} for {}: {}", dev_.name(), target.str(),
      str_of(p.src_proto), e->nbma->str());
  // The binding as registered is the one after NAT (the address the
  // registration came from); the NAT extension says so too. The reply
  // goes back the way the request came.
  Binding answer{*e->nbma, target};
  auto reply = resolution_reply(p, dev_.self(), nhrp::cie_code::success, answer,
                                left, dev_.config().auth);
  set_nat_binding(reply, (e->flags & DMVPN_F_NAT)
                             ? std::optional<Binding>(answer)
                             : std::nullopt);
  dev_.send(outer, reply);
  return true;
}

void NhsServer::forward_request(const nhrp::Packet &p,
                                std::span<const std::uint8_t> raw, Ip4 outer,
                                Ip4 next) {
  if (p.header.hop_count <= 1) {
    dev_.send_error(outer, raw, p.src_proto,
                    nhrp::error_code::hop_count_exceeded, 0);
    return;
  }
  nhrp::Packet fwd = p;
  --fwd.header.hop_count;
  if (auto *l = cie_list(fwd, nhrp::ext::forward_transit_nhs))
    l->cies.push_back(binding_cie(dev_.self()));
  // A requester behind NAT that registered with us may not know its
  // address after NAT, and one that names another may not have it: we
  // know, and the responder will talk to what the extension says.
  if (auto src = Ip4::from_bytes(p.src_proto)) {
    const auto *v = view_.find(*src);
    auto said = nat_nbma_of(fwd, *src);
    if (v && v->registered() &&
        ((v->flags & DMVPN_F_NAT) || (said && said != v->nbma)))
      put_nat_binding(fwd, Binding{*v->nbma, *src});
  }
  set_authentication(fwd, dev_.config().auth);
  dev_.send(next, fwd);
}

// RFC 2332 5.3.3: a reply retraces the request's path. The forward
// transit list it carries (copied from the request) says who we handed
// the request to and who handed it to us: the reply goes to the server
// before us on it, or, if we were the first, to the requester as it
// registered with us. Only between members we know, so that a reply
// cannot make us send to anyone it names.
bool NhsServer::on_resolution_reply(Ip4 outer, const nhrp::Packet &p) {
  auto requester = Ip4::from_bytes(p.src_proto);
  const Binding me = dev_.self();
  if (!dev_.hub() || !requester || *requester == me.proto)
    return false;
  auto known = [&](Ip4 nbma) {
    return view_.registered_at(nbma) > 0 || dev_.from_nhs(nbma);
  };
  auto is_me = [&](const nhrp::Cie &c) {
    return Ip4::from_bytes(c.nbma.addr) == me.nbma ||
           Ip4::from_bytes(c.proto) == me.proto;
  };
  const auto *fwd = cie_list(p, nhrp::ext::forward_transit_nhs);
  const auto *rev = cie_list(p, nhrp::ext::reverse_transit_nhs);
  std::optional<std::size_t> at;
  if (fwd)
    for (std::size_t i = 0; i < fwd->cies.size(); ++i)
      if (is_me(fwd->cies[i]))
        at = i;
  if (!at || !known(outer)) {
    dev_.counters().drop("reply-not-ours");
    return true;
  }
  if (rev && std::any_of(rev->cies.begin(), rev->cies.end(), is_me)) {
    dev_.counters().drop("loop");
    return true;
  }
  std::optional<Ip4> next;
  if (*at > 0) {
    next = Ip4::from_bytes(fwd->cies[*at - 1].nbma.addr);
    if (next && !known(*next))
      next.reset();
  } else if (const auto *v = view_.find(*requester); v && v->registered()) {
    next = v->nbma;
  }
  if (!next || p.header.hop_count <= 1) {
    dev_.counters().drop("reply-not-forwarded");
    return true;
  }
  nhrp::Packet out = p;
  --out.header.hop_count;
  if (auto *l = cie_list(out, nhrp::ext::reverse_transit_nhs))
    l->cies.push_back(binding_cie(me));
  set_authentication(out, dev_.config().auth);
  log(Level::debug, "{}: forwarding the reply for {} about {} to {}",
      dev_.name(), requester->str(), str_of(p.dst_proto), next->str());
  dev_.send(*next, out);
  return true;
}

// A binding may be purged by its owner (the NBMA address it points to,
// which is where the purge must come from), and a binding we learned by
// resolution also by our own server, which answered for it. Nobody
// purges configuration.
void NhsServer::on_purge_request(Ip4 outer, const nhrp::Packet &p,
                                 bool from_nhs) {
  const auto *m = p.mandatory();
  if (!m) {
    dev_.counters().drop("invalid-purge");
    return;
  }
  std::vector<Ip4> targets;
  for (const auto &c : m->cies)
    if (auto a = Ip4::from_bytes(c.proto))
      targets.push_back(*a);
  if (targets.empty())
    if (auto a = Ip4::from_bytes(p.dst_proto))
      targets.push_back(*a);
  bool refused = false;
  for (Ip4 t : targets) {
    const auto *e = view_.find(t);
    if (!e)
      continue;
    bool owner = e->nbma == outer;
    if (e->configured() || !(owner || (from_nhs && !e->registered()))) {
      refused = true;
      dev_.counters().drop("purge-not-owner");
      purge_log_.log(Level::warning, dev_.timers().now(),
                     "{}: refused purge of {} from {} (bound to {})",
                     dev_.name(), t.str(), outer.str(),
                     e->nbma ? e->nbma->str() : "none");
      continue;
    }
    dev_.io().entry_del(t);
    log(Level::info, "{}: purged {} (requested by {} at {})", dev_.name(),
        t.str(), str_of(p.src_proto), outer.str());
  }
  // The reply confirms the purge: none for a refused one. It goes where
  // the request came from, never to an address the packet claims.
  if (!refused && !(m->flags & nhrp::flags::purge_n))
    dev_.send(outer, purge_reply(p, dev_.self(), dev_.config().auth));
}

void NhsServer::apply(const CacheView::NbmaChange &c) {
  if (c.lost && dev_.hub() && dev_.config().mcast_dynamic)
    dev_.io().mcast_del(*c.lost);
}

// At start and after lost events: the view is rebuilt, and the multicast
// map made to match it: every NBMA address that holds a registration gets
// its entry back, and dynamic entries nobody holds any more (their
// events were lost) go, but those of our own servers.
void NhsServer::reload(const std::vector<KernelEntry> &entries) {
  view_.reset(entries);
  if (!dev_.hub() || !dev_.config().mcast_dynamic)
    return;
  if (auto map = dev_.io().mcast_dump())
    for (const auto &m : *map) {
      bool ours =
          std::any_of(dev_.nhs().begin(), dev_.nhs().end(),
                      [&](const auto &c) { return c->nbma() == m.nbma; });
      if ((m.flags & DMVPN_MCAST_F_DYNAMIC) && !ours &&
          !view_.registered_at(m.nbma)) {
        dev_.io().mcast_del(m.nbma);
        log(Level::info, "{}: multicast to {} ended (no registration)",
            dev_.name(), m.nbma.str());
      }
    }
  for (Ip4 nbma : view_.registered_nbmas())
    dev_.io().mcast_new_async(nbma, DMVPN_MCAST_F_DYNAMIC);
}

void NhsServer::on_entry_added(const KernelEntry &e) {
  if (e.prefixlen == 32)
    apply(view_.put(e.proto, CacheView::from_kernel(e)));
}

void NhsServer::on_entry_gone(const KernelEntry &e) {
  if (e.prefixlen != 32)
    return;
  const auto *v = view_.find(e.proto);
  if (v && v->registered())
    log(Level::info, "{}: registration of {} ended", dev_.name(),
        e.proto.str());
  apply(view_.erase(e.proto));
}

} // namespace dmvpnd
