// SPDX-License-Identifier: GPL-2.0
// The process: sockets, the epoll loop, and one Device per managed dmvpn
// device, kept in step with the kernel's configuration.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>

#include "device.hpp"
#include "fd.hpp"
#include "genl.hpp"
#include "name_lookup.hpp"
#include "packet_socket.hpp"
#include "protection.hpp"
#include "rtnl.hpp"
#include "timer_queue.hpp"

namespace dmvpnd {

struct Options {
  std::set<std::string> devices; // empty = every configured one
  Protection::Config ipsec;      // charon over VICI, if a socket is given
};

class Daemon {
public:
  explicit Daemon(Options opts); // throws on missing kernel support
  ~Daemon();
  // Returns the exit status.
  int run();

private:
  struct Managed;

  void resync();
  void on_genl_event(const struct GenlEvent &ev);
  void log_counters();
  void watch(int fd);
  void watch_charon(int old_fd, int new_fd);
  void on_charon(std::uint32_t events);
  void arm_timer();
  bool handle_signal();

  Options opts_;
  Genl genl_;
  Rtnl rtnl_;
  TimerQueue timers_;
  NameLookup names_;
  Fd epoll_;
  Fd timerfd_;
  Fd signalfd_;
  std::map<int, std::unique_ptr<Managed>> devices_;
  // What was refused, by ifindex, so that each refusal is logged once
  // rather than at every resync.
  std::set<int> refused_;
  std::map<int, std::set<std::string>> refused_nhs_;
  bool resync_wanted_ = false;
  bool events_lost_ = false; // re-read the caches at the next resync
  bool stop_ = false;
  Protection ipsec_;
  bool charon_out_ = false; // EPOLLOUT asked for on charon's socket
};

} // namespace dmvpnd
