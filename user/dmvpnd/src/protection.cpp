// SPDX-License-Identifier: GPL-2.0
#include "protection.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <algorithm>
#include <cstring>

#include "log.hpp"

namespace dmvpnd {

Fd connect_vici(const std::string &path) {
  sockaddr_un sa{};
  if (path.size() >= sizeof(sa.sun_path))
    return {};
  Fd fd(socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd)
    return {};
  sa.sun_family = AF_UNIX;
  std::memcpy(sa.sun_path, path.data(), path.size());
  // A local stream socket connects at once or not at all.
  if (connect(fd.get(), reinterpret_cast<const sockaddr *>(&sa), sizeof(sa)) <
      0)
    return {};
  return fd;
}

Protection::Protection(TimerQueue &timers, Config cfg, Watch watch,
                       Resend resend, std::function<Fd()> connect)
    : timers_(timers), cfg_(std::move(cfg)), resend_(std::move(resend)),
      link_(timers,
            {connect ? std::move(connect)
                     : [path = cfg_.vici] { return connect_vici(path); },
             std::move(watch), [this] { on_changed(); }}),
      expiry_(timers), sweep_(timers) {}

void Protection::start() {
  if (!enabled())
    return;
  link_.start();
  sweep_.start(kSweep, [this] { sweep(); });
}

void Protection::sent(int ifindex, Ip4 nbma,
                      std::span<const std::uint8_t> frame) {
  if (!enabled() || protects(nbma))
    return;
  if (waiting_.size() >= kMaxWaiting) {
    log(Level::debug, "ipsec: {} frames wait for SAs; dropping the oldest",
        waiting_.size());
    waiting_.pop_front();
  }
  waiting_.push_back(
      {ifindex, nbma, {frame.begin(), frame.end()}, timers_.now() + kWait});
  if (!expiry_.armed())
    expiry_.start(kWait, [this] { expire(); });
}

void Protection::on_peer_gone(Ip4 nbma) {
  std::erase_if(waiting_, [&](const Waiting &w) { return w.nbma == nbma; });
  for (const IkeSa *sa : link_.sas().to(nbma)) {
    if (sa->name != cfg_.dynamic)
      continue;
    log(Level::info, "ipsec: no entry leads to {}: ending IKE_SA {}",
        nbma.str(), sa->uniqueid);
    link_.terminate(sa->uniqueid);
  }
}

// An SA came or went, or charon was listed again.
void Protection::on_changed() {
  std::deque<Waiting> ready;
  std::erase_if(waiting_, [&](Waiting &w) {
    if (!protects(w.nbma))
      return false;
    ready.push_back(std::move(w));
    return true;
  });
  for (const auto &w : ready)
    resend_(w.ifindex, w.nbma, w.frame);
  tell_initiated();
  link_.end_duplicates(cfg_.dynamic);
}

// Only the IKE_SAs touched since the last event are read: a hub hears of
// every spoke's SA while it starts.
void Protection::tell_initiated() {
  auto touched = link_.take_touched();
  if (!initiated_)
    return;
  // An IKE rekey moves a CHILD_SA to another IKE_SA (both are touched):
  // it is told again only once it has gone.
  std::set<Told> dropped;
  for (auto id : touched)
    if (auto it = owned_.find(id); it != owned_.end()) {
      dropped.merge(it->second);
      owned_.erase(it);
    }
  for (auto id : touched) {
    const IkeSa *sa = link_.sas().find(id);
    if (!sa || !sa->initiator || sa->name != cfg_.dynamic)
      continue;
    for (const auto &[cid, c] : sa->children) {
      if (c.state != "INSTALLED" || !c.spi_out)
        continue;
      Told key{sa->remote.be, c.spi_out};
      owned_[id].insert(key);
      if (!dropped.erase(key) && told_.insert(key).second)
        initiated_(sa->remote, c.spi_out);
    }
  }
  for (const auto &key : dropped)
    told_.erase(key);
}

void Protection::expire() {
  auto now = timers_.now();
  std::size_t n = waiting_.size();
  std::erase_if(waiting_, [&](const Waiting &w) { return w.until <= now; });
  if (n != waiting_.size())
    log(Level::info, "ipsec: {} NHRP frame(s) found no SA in {} s",
        n - waiting_.size(), kWait.count());
  if (!waiting_.empty())
    expiry_.start(waiting_.front().until - now, [this] { expire(); });
}

// An IKE_SA made by an acquire whose CHILD_SA has gone carries nothing;
// one sweep's grace lets a child that is being set up arrive.
void Protection::sweep() {
  std::set<std::uint32_t> now;
  for (auto id : link_.sas().childless(cfg_.dynamic)) {
    if (childless_.count(id)) {
      log(Level::info, "ipsec: IKE_SA {} carries no CHILD_SA: ending it", id);
      link_.terminate(id);
    } else {
      now.insert(id);
    }
  }
  childless_ = std::move(now);
  sweep_.start(kSweep, [this] { sweep(); });
}

} // namespace dmvpnd
