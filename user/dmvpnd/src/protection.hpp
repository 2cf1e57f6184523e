// SPDX-License-Identifier: GPL-2.0
// dmvpnd's IPsec duties on protected devices; charon does IKE, the kernel
// ESP. NHRP sent to a peer without an SA is sent again once its SA is up:
// the first copy's route lookup is what asks charon for the SA (an
// ACQUIRE through the trap policy), and the kernel drops that copy rather
// than send it in clear. An IKE_SA of the connection for dynamic peers
// goes when no cache entry leads to its peer any more (the kernel's
// PEER_GONE), or when it has carried no CHILD_SA over a whole sweep; of
// the duplicates of a simultaneous initiation one stays. Everything is
// asked of charon by IKE_SA unique id, so the servers' SAs are never
// touched.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "charon_link.hpp"
#include "ip4.hpp"
#include "timer_queue.hpp"

namespace dmvpnd {

class Protection {
public:
  struct Config {
    std::string vici;              // charon's VICI socket; empty: none
    std::string dynamic = "dmvpn"; // the connection of on-demand SAs
  };
  using Resend =
      std::function<void(int ifindex, Ip4 nbma, std::span<const std::uint8_t>)>;
  using Watch = std::function<void(int old_fd, int new_fd)>;
  // This node initiated the SA to `nbma` with outbound SPI `spi`.
  using Initiated = std::function<void(Ip4 nbma, std::uint32_t spi)>;

  // How long a frame waits for its SA, and how many wait in all.
  static constexpr auto kWait = std::chrono::seconds(15);
  static constexpr std::size_t kMaxWaiting = 256;
  // IKE_SAs without a CHILD_SA at two sweeps in a row go.
  static constexpr auto kSweep = std::chrono::seconds(30);

  // `connect` makes the VICI connection (tests give their own).
  Protection(TimerQueue &timers, Config cfg, Watch watch, Resend resend,
             std::function<Fd()> connect = {});

  [[nodiscard]] bool enabled() const { return !cfg_.vici.empty(); }
  void start();
  [[nodiscard]] CharonLink &link() { return link_; }
  [[nodiscard]] bool protects(Ip4 nbma) const {
    return link_.sas().protects(nbma);
  }

  // A frame dmvpnd just sent on a protected device. One to a peer without
  // an SA, which the kernel dropped after its lookup asked for the SA
  // (through the server's own trap, for a server), waits to be sent again.
  void sent(int ifindex, Ip4 nbma, std::span<const std::uint8_t> frame);
  // The kernel: no entry leads to `nbma` any more.
  void on_peer_gone(Ip4 nbma);
  // Told once of each installed CHILD_SA of the on-demand connection
  // under an IKE_SA this node initiated: the kernel lets a new SA settle
  // until the peer has it, which the peer of an SA this node initiated
  // had first (Documentation/ipsec.rst).
  void on_initiated(Initiated f) { initiated_ = std::move(f); }
  [[nodiscard]] std::size_t waiting() const { return waiting_.size(); }

private:
  struct Waiting {
    int ifindex;
    Ip4 nbma;
    std::vector<std::uint8_t> frame;
    Clock::time_point until;
  };

  void on_changed();
  void tell_initiated();
  void expire();
  void sweep();

  TimerQueue &timers_;
  Config cfg_;
  Resend resend_;
  CharonLink link_;
  std::deque<Waiting> waiting_; // oldest first
  Timer expiry_;
  Timer sweep_;
  std::set<std::uint32_t> childless_; // at the last sweep
  Initiated initiated_;
  // (peer, outbound SPI) already told, while their CHILD_SA lasts, and
  // which IKE_SA has them.
  using Told = std::pair<std::uint32_t, std::uint32_t>;
  std::set<Told> told_;
  std::map<std::uint32_t, std::set<Told>> owned_;
};

// A non-blocking connection to a VICI socket, or an empty Fd.
Fd connect_vici(const std::string &path);

} // namespace dmvpnd
