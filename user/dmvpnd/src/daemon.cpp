// SPDX-License-Identifier: GPL-2.0
#include "daemon.hpp"

#include <signal.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>
#include <utility>

#include "log.hpp"
#include "service_notify.hpp"

namespace dmvpnd {
namespace {

class KernelIo : public DeviceIo {
public:
  KernelIo(Genl &genl, Rtnl &rtnl, NameLookup &names, int ifindex)
      : genl_(genl), rtnl_(rtnl), names_(names), ifindex_(ifindex) {}
  void attach(PacketSocket *sock) { sock_ = sock; }

  // Between begin() and end() (a burst of received frames) kernel
  // requests and frames are batched: one sendmsg() for the requests, one
  // sendmmsg() per 64 frames.
  void begin() { batching_ = true; }
  void end() {
    genl_.flush(); // the acks' callbacks queue the replies
    batching_ = false;
    if (sock_)
      sock_->flush();
  }

  // On a protected device IPsec may still be coming: see Protection.
  void set_protect(Protection *ipsec) { ipsec_ = ipsec; }

  void send(Ip4 nbma, std::span<const std::uint8_t> frame) override {
    if (!sock_)
      return;
    if (batching_)
      sock_->queue(nbma, frame);
    else
      sock_->send(nbma, frame);
    if (ipsec_)
      ipsec_->sent(ifindex_, nbma, frame);
  }
  int entry_new(const EntrySpec &spec) override {
    return genl_.entry_new(ifindex_, spec);
  }
  void entry_new_async(const EntrySpec &spec,
                       std::function<void(int)> done) override {
    if (batching_)
      genl_.queue_entry_new(ifindex_, spec, std::move(done));
    else
      done(entry_new(spec));
  }
  void mcast_new_async(Ip4 nbma, std::uint32_t flags) override {
    auto report = [nbma, ifindex = ifindex_](int err) {
      if (err)
        log(Level::warning, "multicast entry {} on ifindex {}: error {}",
            nbma.str(), ifindex, err);
    };
    if (batching_)
      genl_.queue_mcast_new(ifindex_, nbma, flags, report);
    else
      report(mcast_new(nbma, flags));
  }
  int entry_del(Ip4 proto, std::uint8_t prefixlen = 32) override {
    return genl_.entry_del(ifindex_, proto, prefixlen);
  }
  std::optional<KernelEntry> entry_get(Ip4 proto,
                                       std::uint8_t prefixlen = 32) override {
    return genl_.entry_get(ifindex_, proto, prefixlen);
  }
  std::optional<Route> route_to(Ip4 dst) override {
    return rtnl_.route_to(dst);
  }
  int mcast_new(Ip4 nbma, std::uint32_t flags) override {
    return genl_.mcast_new(ifindex_, nbma, flags);
  }
  int mcast_del(Ip4 nbma) override { return genl_.mcast_del(ifindex_, nbma); }
  std::optional<std::vector<McastEntry>> mcast_dump() override {
    return genl_.dump_mcast(ifindex_);
  }
  void nhs_set(const NhsConfig &nhs, const NhsStatus &st) override {
    if (int err = genl_.nhs_set(ifindex_, nhs, st))
      log(Level::debug, "nhs status on ifindex {}: error {}", ifindex_, err);
  }
  LookupToken lookup(const std::string &name, LookupDone done) override {
    return names_.start(name, std::move(done));
  }

private:
  Genl &genl_;
  Rtnl &rtnl_;
  NameLookup &names_;
  int ifindex_;
  PacketSocket *sock_ = nullptr;
  Protection *ipsec_ = nullptr;
  bool batching_ = false;
};

const char *role_name(std::uint8_t role) {
  return role == DMVPN_ROLE_HUB ? "hub" : "spoke";
}

std::uint32_t random_u32() {
  std::uint32_t v = 1;
  if (getrandom(&v, sizeof(v), GRND_NONBLOCK) != sizeof(v))
    v = static_cast<std::uint32_t>(time(nullptr));
  return v;
}

[[noreturn]] void fail(const char *what) {
  throw std::system_error(errno, std::generic_category(), what);
}

} // namespace

struct Daemon::Managed {
  Managed(Genl &genl, Rtnl &rtnl, NameLookup &names, const DeviceInfo &info,
          std::optional<Ip4> proto, TimerQueue &timers, std::uint32_t first_id)
      : io(genl, rtnl, names, info.ifindex), sock(info.ifindex),
        dev(info, proto, timers, io, first_id) {
    io.attach(&sock);
  }
  KernelIo io;
  PacketSocket sock;
  Device dev;
};

Daemon::Daemon(Options opts)
    : opts_(std::move(opts)),
      ipsec_(
          timers_, opts_.ipsec,
          [this](int old_fd, int new_fd) { watch_charon(old_fd, new_fd); },
          [this](int ifindex, Ip4 nbma, std::span<const std::uint8_t> frame) {
            auto it = devices_.find(ifindex);
            if (it != devices_.end())
              it->second->io.send(nbma, frame);
          }) {
  ipsec_.on_initiated([this](Ip4 nbma, std::uint32_t spi) {
    if (int err = genl_.sa_initiated(nbma, spi))
      log(Level::debug, "ipsec: telling the kernel of SA {:08x} to {}: {}", spi,
          nbma.str(), std::strerror(-err));
  });
  epoll_ = Fd(epoll_create1(EPOLL_CLOEXEC));
  if (!epoll_)
    fail("epoll_create1");
  timerfd_ = Fd(timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC));
  if (!timerfd_)
    fail("timerfd_create");
  sigset_t set;
  sigemptyset(&set);
  for (int s : {SIGTERM, SIGINT, SIGHUP, SIGUSR1})
    sigaddset(&set, s);
  if (sigprocmask(SIG_BLOCK, &set, nullptr) < 0)
    fail("sigprocmask");
  signalfd_ = Fd(signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC));
  if (!signalfd_)
    fail("signalfd");
  for (int fd : {genl_.event_fd(), rtnl_.event_fd(), timerfd_.get(),
                 signalfd_.get(), names_.fd()})
    watch(fd);
}

Daemon::~Daemon() = default;

void Daemon::watch_charon(int old_fd, int new_fd) {
  if (old_fd >= 0)
    epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, old_fd, nullptr);
  charon_out_ = false;
  if (new_fd >= 0)
    watch(new_fd);
}

void Daemon::on_charon(std::uint32_t events) {
  auto &link = ipsec_.link();
  if (events & EPOLLOUT)
    link.on_writable();
  if ((events & (EPOLLIN | EPOLLHUP | EPOLLERR)) && link.fd() >= 0)
    link.on_readable();
}

void Daemon::watch(int fd) {
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = fd;
  if (epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &ev) < 0)
    fail("epoll_ctl");
}

// Picks up devices, configuration, NHS lists and addresses from the
// kernel. Cheap enough to run on every change notification.
void Daemon::resync() {
  resync_wanted_ = false;
  bool reload = std::exchange(events_lost_, false);
  std::vector<DeviceInfo> devs;
  try {
    devs = genl_.dump_devices();
  } catch (const NetlinkError &e) {
    log(Level::error, "{}", e.what());
    return;
  }
  std::set<int> seen;
  for (const auto &info : devs) {
    if (!opts_.devices.empty() && !opts_.devices.count(info.name))
      continue;
    if (!info.config.active())
      continue;
    if (!info.local_ipv6.empty()) {
      // The device's local address is fixed for its life: one line.
      if (refused_.insert(info.ifindex).second)
        log(Level::warning,
            "{}: not managed: its local (NBMA) address {} is IPv6, which "
            "dmvpnd does not serve yet",
            info.name, info.local_ipv6);
      continue;
    }
    seen.insert(info.ifindex);
    auto proto = rtnl_.first_ipv4(info.ifindex);
    auto dump = genl_.dump_nhs(info.ifindex);
    const auto &nhs = dump.servers;
    auto &refused_nhs = refused_nhs_[info.ifindex];
    for (const auto &addr : dump.ipv6)
      if (!refused_nhs.count(addr))
        log(Level::warning, "{}: nhs {} ignored: IPv6 NHSes are not served yet",
            info.name, addr);
    refused_nhs = {dump.ipv6.begin(), dump.ipv6.end()};
    auto it = devices_.find(info.ifindex);
    if (it != devices_.end() &&
        (it->second->dev.config().role != info.config.role ||
         it->second->dev.config().network_id != info.config.network_id)) {
      epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, it->second->sock.fd(), nullptr);
      devices_.erase(it);
      it = devices_.end();
    }
    if (it == devices_.end()) {
      std::unique_ptr<Managed> m;
      try {
        // Each device draws its request ids from a sequence of its own.
        m = std::make_unique<Managed>(genl_, rtnl_, names_, info, proto,
                                      timers_, random_u32());
      } catch (const std::exception &e) {
        log(Level::error, "{}: {}", info.name, e.what());
        continue;
      }
      watch(m->sock.fd());
      log(Level::notice,
          "{}: managing (role {}, network-id {}, nbma {}, proto {}, "
          "holdtime {}, {} nhs)",
          info.name, role_name(info.config.role), info.config.network_id,
          info.local.str(), proto ? proto->str() : "none", info.config.holdtime,
          nhs.size());
      it = devices_.emplace(info.ifindex, std::move(m)).first;
      it->second->io.set_protect(info.protect && ipsec_.enabled() ? &ipsec_
                                                                  : nullptr);
      it->second->dev.update(info, proto, nhs);
      auto entries = genl_.dump_entries(info.ifindex);
      if (!entries) {
        // Adopted as empty for now; the retry reloads the whole cache.
        log(Level::warning, "{}: cannot read the NHRP cache, retrying",
            info.name);
        events_lost_ = resync_wanted_ = true;
      }
      log(Level::info, "{}: {} cache entries in the kernel", info.name,
          entries ? entries->size() : 0);
      it->second->dev.adopt(entries.value_or(std::vector<KernelEntry>{}));
      continue;
    }
    it->second->dev.update(info, proto, nhs);
    it->second->io.set_protect(info.protect && ipsec_.enabled() ? &ipsec_
                                                                : nullptr);
    if (reload) {
      if (auto entries = genl_.dump_entries(info.ifindex))
        it->second->dev.reload(*entries);
      else
        events_lost_ = resync_wanted_ = true;
    }
  }
  std::erase_if(refused_, [&](int ifindex) {
    return std::none_of(devs.begin(), devs.end(), [&](const DeviceInfo &d) {
      return d.ifindex == ifindex;
    });
  });
  std::erase_if(refused_nhs_,
                [&](const auto &kv) { return !seen.count(kv.first); });
  for (auto it = devices_.begin(); it != devices_.end();) {
    if (seen.count(it->first)) {
      ++it;
      continue;
    }
    log(Level::notice, "{}: no longer managed", it->second->dev.name());
    epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, it->second->sock.fd(), nullptr);
    it = devices_.erase(it);
  }
}

void Daemon::on_genl_event(const GenlEvent &ev) {
  switch (ev.event) {
  case DMVPN_EVENT_UNSPEC: // overrun: we may have missed anything
    events_lost_ = true;
    resync_wanted_ = true;
    return;
  case DMVPN_EVENT_CONFIG_CHANGED:
  case DMVPN_EVENT_NHS_ADDED:
  case DMVPN_EVENT_NHS_DELETED:
  case DMVPN_EVENT_FLUSHED: // many entries went: one event, not one each
    resync_wanted_ = true;
    return;
  case DMVPN_EVENT_PEER_GONE:
    if (ev.nbma)
      ipsec_.on_peer_gone(*ev.nbma);
    return;
  default:
    break;
  }
  auto it = devices_.find(ev.ifindex);
  if (it == devices_.end() || !ev.entry)
    return;
  Device &dev = it->second->dev;
  switch (ev.event) {
  case DMVPN_EVENT_MISS:
    dev.on_miss(ev.entry->proto);
    break;
  case DMVPN_EVENT_ENTRY_ADDED:
    dev.on_entry_added(*ev.entry);
    break;
  case DMVPN_EVENT_ENTRY_EXPIRED:
  case DMVPN_EVENT_ENTRY_DELETED:
    dev.on_entry_gone(*ev.entry);
    break;
  default:
    break;
  }
}

void Daemon::log_counters() {
  for (const auto &[ifindex, m] : devices_) {
    log(Level::notice, "{}: counters: {}; socket drops {}; registered {}",
        m->dev.name(), m->dev.counters().summary(), m->sock.drops(),
        m->dev.registrations());
    for (const auto &c : m->dev.nhs())
      log(Level::notice,
          "{}: nhs {}: state {} requests {} replies {} failures {}",
          m->dev.name(), c->nbma() ? c->nbma()->str() : c->config().fqdn,
          c->status().state, c->status().requests, c->status().replies,
          c->status().failures);
  }
}

void Daemon::arm_timer() {
  itimerspec its{};
  if (auto next = timers_.next_deadline()) {
    auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                  next->time_since_epoch())
                  .count();
    if (ns <= 0)
      ns = 1;
    its.it_value.tv_sec = ns / 1000000000;
    its.it_value.tv_nsec = ns % 1000000000;
  }
  // steady_clock is CLOCK_MONOTONIC on Linux.
  timerfd_settime(timerfd_.get(), TFD_TIMER_ABSTIME, &its, nullptr);
}

bool Daemon::handle_signal() {
  signalfd_siginfo si{};
  while (read(signalfd_.get(), &si, sizeof(si)) == sizeof(si)) {
    switch (si.ssi_signo) {
    case SIGTERM:
    case SIGINT:
      log(Level::notice, "signal {}: exiting", si.ssi_signo);
      return true;
    case SIGHUP:
      resync_wanted_ = true;
      break;
    case SIGUSR1:
      log_counters();
      break;
    }
  }
  return false;
}

int Daemon::run() {
  timers_.advance(Clock::now());
  ipsec_.start();
  resync();
  log(Level::notice, "dmvpnd running, {} device(s)", devices_.size());
  notify_ready();
  std::array<epoll_event, 32> events;
  while (!stop_) {
    arm_timer();
    // Commands to charon wait for its socket to take them.
    int cfd = ipsec_.link().fd();
    if (cfd >= 0 && ipsec_.link().wants_write() != charon_out_) {
      charon_out_ = !charon_out_;
      epoll_event ev{};
      ev.events = EPOLLIN | (charon_out_ ? EPOLLOUT : 0u);
      ev.data.fd = cfd;
      epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, cfd, &ev);
    }
    int n = epoll_wait(epoll_.get(), events.data(),
                       static_cast<int>(events.size()), -1);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      fail("epoll_wait");
    }
    timers_.advance(Clock::now());
    for (int i = 0; i < n; ++i) {
      int fd = events[static_cast<std::size_t>(i)].data.fd;
      if (fd == signalfd_.get()) {
        stop_ = handle_signal() || stop_;
      } else if (fd == timerfd_.get()) {
        std::uint64_t ticks;
        while (read(fd, &ticks, sizeof(ticks)) > 0) {
        }
      } else if (fd == genl_.event_fd()) {
        genl_.read_events([this](const GenlEvent &ev) { on_genl_event(ev); });
      } else if (fd >= 0 && fd == ipsec_.link().fd()) {
        on_charon(events[static_cast<std::size_t>(i)].events);
      } else if (fd == names_.fd()) {
        names_.run_completed();
      } else if (fd == rtnl_.event_fd()) {
        rtnl_.drain();
        resync_wanted_ = true;
      } else {
        for (auto &[ifindex, m] : devices_) {
          if (m->sock.fd() != fd)
            continue;
          m->io.begin();
          m->sock.read([&](Ip4 from, std::span<const std::uint8_t> frame) {
            m->dev.on_frame(from, frame);
          });
          m->io.end();
          break;
        }
      }
    }
    if (resync_wanted_ && !stop_)
      resync();
    timers_.advance(Clock::now());
  }
  notify_stopping();
  return 0;
}

} // namespace dmvpnd
