// SPDX-License-Identifier: GPL-2.0
// Phase 2 address resolution on an NHC: MISS -> INCOMPLETE -> Resolution
// Request -> Reply -> DYNAMIC entry, refreshed while in use.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>

#include "ip4.hpp"
#include "kernel_types.hpp"
#include "nhrp/packet.hpp"
#include "timer_queue.hpp"

namespace dmvpnd {

class Device;

class Resolver {
public:
  static constexpr std::uint32_t kIncompleteHoldtime = 15; // s
  static constexpr std::uint32_t kNegativeHoldtime = 30;   // s
  static constexpr int kTries = 4; // the request and 3 retries
  static constexpr std::chrono::seconds kRetry{2};

  explicit Resolver(Device &dev) : dev_(dev) {}

  void on_miss(Ip4 target);
  // An entry found in the kernel at start: a resolved one is refreshed as
  // if we had installed it, a pending one is asked for again.
  void adopt(const KernelEntry &e);
  // A Resolution Reply from `outer`; false if it answers none of our
  // requests.
  bool on_reply(Ip4 outer, const nhrp::Packet &reply);
  // The kernel entry an answer installed went away (a host entry, or
  // the shortcut of a prefix answer).
  void forget(Ip4 proto, std::uint8_t prefixlen = 32);
  void clear() { items_.clear(); }
  [[nodiscard]] bool pending(Ip4 target) const {
    return items_.count(target) != 0;
  }
  [[nodiscard]] std::size_t size() const { return items_.size(); }

  // Seconds before expiry at which an entry in use is refreshed.
  static std::uint32_t refresh_lead(std::uint32_t holdtime);

private:
  struct Item {
    explicit Item(TimerQueue &q) : timer(q) {}
    Ip4 target;
    Ip4 nhs_nbma;
    std::uint32_t request_id = 0;
    int tries = 0;
    bool resolved = false; // a refresh is in flight for a resolved entry
    // What the answer installed: the target's host entry, or the
    // shortcut of the prefix the responder answered for.
    std::uint8_t prefixlen = 32;
    TimePoint installed{};
    Timer timer;
  };

  [[nodiscard]] nhrp::Packet request(const Item &it) const;
  void send(Item &it);
  void retry(Ip4 target);
  void refresh(Ip4 target);
  void negative(Ip4 target, std::uint32_t holdtime = kNegativeHoldtime);
  int install(Item &it, const nhrp::Cie &cie, Ip4 nbma, std::uint32_t holdtime);
  [[nodiscard]] Ip4 after_nat(Ip4 outer, const nhrp::Packet &p, Ip4 target,
                              Ip4 named) const;

  Device &dev_;
  std::map<Ip4, std::unique_ptr<Item>> items_;
};

} // namespace dmvpnd
