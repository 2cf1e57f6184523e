// SPDX-License-Identifier: GPL-2.0
#include "charon_link.hpp"

#include <algorithm>
#include <string_view>

#include "log.hpp"

namespace dmvpnd {

CharonLink::CharonLink(TimerQueue &timers, Hooks hooks)
    : hooks_(std::move(hooks)),
      client_([this](const std::string &n, const vici::Section &m) {
        on_event(n, m);
      }),
      retry_(timers) {}

void CharonLink::start() { connect(); }

void CharonLink::connect() {
  Fd fd = hooks_.connect();
  if (!fd) {
    if (!warned_)
      log(Level::warning, "charon: not reachable over VICI, retrying");
    warned_ = true;
    retry_.start(backoff_.next(), [this] { connect(); });
    return;
  }
  int old = client_.fd();
  client_.attach(std::move(fd));
  hooks_.watch(old, client_.fd());
  for (const char *e : kEvents)
    client_.subscribe(e, [e](bool ok) {
      if (!ok)
        log(Level::warning, "charon: no event {}: SAs may be missed", e);
    });
  list();
}

// The table is charon's word from scratch: what an outage or a lost
// event changed is forgotten with it.
void CharonLink::list() {
  sas_.clear();
  terminating_.clear();
  rekeyed_.clear();
  listed_ = false;
  client_.command("list-sas", {}, [this](std::optional<vici::Section> r) {
    if (!r)
      return; // (the connection went: lost() follows)
    listed_ = true;
    backoff_.reset();
    log(warned_ ? Level::notice : Level::info,
        "charon: connected, {} IKE_SA(s)", sas_.size());
    warned_ = false;
    hooks_.changed();
  });
}

void CharonLink::lost(const char *why) {
  int old = client_.fd();
  client_.close();
  hooks_.watch(old, -1);
  bool was = listed_;
  listed_ = false;
  sas_.clear();
  log(Level::warning, "charon: VICI connection {}, reconnecting", why);
  warned_ = true;
  retry_.start(backoff_.next(), [this] { connect(); });
  if (was)
    hooks_.changed();
}

void CharonLink::on_readable() {
  if (!client_.on_readable())
    lost("lost");
}

void CharonLink::on_writable() {
  if (!client_.on_writable())
    lost("lost");
}

void CharonLink::on_event(const std::string &name, const vici::Section &m) {
  bool ok = true;
  if (name == "list-sa")
    ok = sas_.on_list_sa(m);
  else if (name == "ike-updown")
    ok = sas_.on_ike_updown(m);
  else if (name == "child-updown")
    ok = sas_.on_child_updown(m);
  else if (name == "ike-rekey")
    ok = sas_.on_ike_rekey(m);
  else if (name == "child-rekey")
    ok = sas_.on_child_rekey(m);
  else
    return;
  if (!ok) {
    // The table may now miss an SA: read it again.
    log(Level::warning, "charon: unreadable {} event: listing the SAs again",
        name);
    list();
    return;
  }
  std::erase_if(terminating_, [&](auto id) { return !sas_.find(id); });
  std::erase_if(emptied_, [&](auto id) { return !sas_.find(id); });
  std::erase_if(rekeyed_, [&](const auto &e) { return !sas_.find(e.first); });
  std::erase_if(ending_children_, [&](const auto &e) {
    return !sas_.has_child(e.second, e.first);
  });
  // A streamed list-sa is part of a listing still under way.
  if (name != "list-sa" && listed_)
    hooks_.changed();
}

// An SA by unique id (`key`: ike-id or child-id); `gone` says whether the
// table no longer has it.
void CharonLink::end(const char *key, const char *what, std::uint32_t id,
                     std::function<bool()> gone) {
  vici::Section args;
  args.add(key, std::to_string(id)).add("timeout", "-1");
  client_.command(
      "terminate", std::move(args),
      [what, id, gone = std::move(gone)](std::optional<vici::Section> r) {
        const auto *ok = r ? r->value("success") : nullptr;
        if (ok && *ok == "yes")
          return;
        const auto *err = r ? r->value("errmsg") : nullptr;
        // The peer may end it too (its entry went as well): its delete
        // may come first, and its event before this answer. charon's
        // words for it vary.
        bool ended =
            gone() || (err && err->find("no matching") != std::string::npos);
        log(ended ? Level::info : Level::warning,
            "charon: terminating {} {} failed: {}", what, id,
            err ? *err : "no answer");
      });
}

void CharonLink::terminate(std::uint32_t ike_id) {
  if (!client_.connected() || !terminating_.insert(ike_id).second)
    return;
  end("ike-id", "IKE_SA", ike_id,
      [this, ike_id] { return !sas_.find(ike_id); });
}

void CharonLink::terminate_child(std::uint32_t ike_id, std::uint32_t child_id) {
  if (!client_.connected() ||
      !ending_children_.emplace(child_id, ike_id).second)
    return;
  end("child-id", "CHILD_SA", child_id,
      [this, ike_id, child_id] { return !sas_.has_child(ike_id, child_id); });
}

void CharonLink::initiate(const std::string &ike, const std::string &child) {
  if (!client_.connected())
    return;
  vici::Section args;
  args.add("ike", ike).add("child", child).add("timeout", "-1");
  client_.command(
      "initiate", std::move(args),
      [ike, child](std::optional<vici::Section> r) {
        const auto *ok = r ? r->value("success") : nullptr;
        if (!ok || *ok != "yes")
          log(Level::warning, "charon: initiating {}/{} failed: {}", ike, child,
              r && r->value("errmsg") ? *r->value("errmsg") : "no answer");
      });
}

// The keeper's CHILD_SA is rekeyed first. charon keeps sending on a
// CHILD_SA it asked to delete until the peer has answered, and the peer
// removes it on reading the request: whatever this end sent on the
// duplicate meanwhile would be lost, and the kernel sends on the newest
// SA, which may be the duplicate's. The rekey makes the keeper's the
// newest at this end (strongSwan moves traffic to a rekeyed SA without
// loss); then the duplicate's CHILD_SAs go, each by an INFORMATIONAL
// delete of its own: the end that asks keeps its inbound SA until the
// peer has answered, so what the peer sent on it meanwhile still arrives;
// an IKE_SA's delete gives the children no such order. The IKE_SA goes
// once the children it had are gone; one that has none yet is left
// alone: charon reports an IKE_SA up before the CHILD_SA made with it
// (and the childless sweep ends one that never gets any).
void CharonLink::end_duplicates(const std::string &dynamic) {
  if (!listed_)
    return;
  for (const auto &d : sas_.duplicates(dynamic))
    if (keeper_newest(d.keep))
      for (auto id : d.others)
        end_duplicate(id);
}

bool CharonLink::keeper_newest(std::uint32_t keep) {
  const IkeSa *sa = sas_.find(keep);
  auto child =
      std::find_if(sa->children.begin(), sa->children.end(),
                   [](const auto &c) { return c.second.state == "INSTALLED"; });
  if (child == sa->children.end())
    return false;
  auto [it, fresh] = rekeyed_.try_emplace(keep, child->first);
  if (fresh) {
    log(Level::info,
        "charon: rekeying CHILD_SA {} of IKE_SA {} ({}) to {}, which stays",
        child->first, keep, sa->name, sa->remote.str());
    rekey_child(keep, child->first);
    return false;
  }
  // Done (or failed: then 0) once that CHILD_SA has gone.
  return !sa->children.contains(it->second);
}

void CharonLink::rekey_child(std::uint32_t ike_id, std::uint32_t child_id) {
  if (!client_.connected())
    return;
  vici::Section args;
  args.add("child-id", std::to_string(child_id));
  client_.command("rekey", std::move(args),
                  [this, ike_id, child_id](std::optional<vici::Section> r) {
                    const auto *ok = r ? r->value("success") : nullptr;
                    if (ok && *ok == "yes")
                      return;
                    const auto *err = r ? r->value("errmsg") : nullptr;
                    log(Level::warning,
                        "charon: rekeying CHILD_SA {} failed: {}; ending the "
                        "duplicates anyway",
                        child_id, err ? *err : "no answer");
                    if (auto it = rekeyed_.find(ike_id); it != rekeyed_.end())
                      it->second = 0;
                    hooks_.changed();
                  });
}

void CharonLink::end_duplicate(std::uint32_t id) {
  const IkeSa *sa = sas_.find(id);
  if (!sa || terminating_.contains(id))
    return;
  if (sa->children.empty()) {
    if (!emptied_.contains(id))
      return;
    log(Level::info, "charon: ending duplicate IKE_SA {} to {}", id,
        sa->remote.str());
    terminate(id);
    return;
  }
  emptied_.insert(id);
  for (const auto &[child_id, child] : sa->children) {
    if (ending_children_.contains(child_id))
      continue;
    log(Level::info,
        "charon: ending duplicate CHILD_SA {} of IKE_SA {} ({}) to {}",
        child_id, id, sa->name, sa->remote.str());
    terminate_child(id, child_id);
  }
}

} // namespace dmvpnd
