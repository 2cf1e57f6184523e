// SPDX-License-Identifier: GPL-2.0
// The kernel's host entries as the daemon last heard of them: fed by the
// cache dump at start and after an event loss, then by the kernel's
// events, and by claims the NHS server makes before the kernel answers.
// One view for every decision (who owns an address, how many bindings an
// NBMA holds) so that no packet costs a kernel round trip.
#pragma once

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "kernel_types.hpp"

namespace dmvpnd {

class CacheView {
public:
  struct Entry {
    std::optional<Ip4> nbma;
    std::uint8_t type = 0;
    std::uint32_t flags = 0;
    bool operator==(const Entry &) const = default;

    // A binding a spoke registered with us.
    [[nodiscard]] bool registered() const {
      return type == DMVPN_ENTRY_DYNAMIC && (flags & DMVPN_F_REGISTERED) &&
             nbma;
    }
    // What the administrator configured, which NHRP never takes over
    // (the kernel refuses it too: DMVPN_A_REPLACE_LEARNED).
    [[nodiscard]] bool configured() const {
      return type == DMVPN_ENTRY_STATIC || type == DMVPN_ENTRY_LOCAL ||
             (flags & DMVPN_F_NHS);
    }
  };

  // What an update did to the registered bindings of NBMA addresses:
  // the first binding at `gained`, the last one gone from `lost`.
  struct NbmaChange {
    std::optional<Ip4> gained;
    std::optional<Ip4> lost;
  };

  void reset(const std::vector<KernelEntry> &entries);
  NbmaChange put(Ip4 proto, const Entry &e);
  NbmaChange erase(Ip4 proto);
  // Puts `e` back as it was before a claim, or erases it.
  NbmaChange restore(Ip4 proto, const std::optional<Entry> &before);

  [[nodiscard]] const Entry *find(Ip4 proto) const;
  [[nodiscard]] std::size_t registered_at(Ip4 nbma) const;
  [[nodiscard]] std::size_t registrations() const { return registrations_; }
  [[nodiscard]] std::size_t size() const { return entries_.size(); }
  // NBMA addresses that hold at least one registered binding.
  [[nodiscard]] std::vector<Ip4> registered_nbmas() const;

  static Entry from_kernel(const KernelEntry &k) {
    return {k.nbma, k.type, k.flags};
  }

private:
  std::optional<Ip4> count(const Entry &e, int delta);

  std::unordered_map<std::uint32_t, Entry> entries_;
  std::unordered_map<std::uint32_t, std::uint32_t> per_nbma_;
  std::size_t registrations_ = 0;
};

} // namespace dmvpnd
