// SPDX-License-Identifier: GPL-2.0
// Everything the NHRP logic of one device does to the outside world. The
// daemon implements it with netlink and an AF_PACKET socket; unit tests
// with a recorder.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "kernel_types.hpp"
#include "name_lookup.hpp"

namespace dmvpnd {

class DeviceIo {
public:
  virtual ~DeviceIo() = default;
  virtual void send(Ip4 nbma, std::span<const std::uint8_t> frame) = 0;
  // Create or replace; returns 0 or a negative errno.
  virtual int entry_new(const EntrySpec &spec) = 0;
  // The same, possibly batched with others: `done` gets the result later
  // (but before the daemon waits for input again).
  virtual void entry_new_async(const EntrySpec &spec,
                               std::function<void(int err)> done) {
    done(entry_new(spec));
  }
  // A host entry, or the shortcut of a shorter prefix.
  virtual int entry_del(Ip4 proto, std::uint8_t prefixlen = 32) = 0;
  virtual std::optional<KernelEntry> entry_get(Ip4 proto,
                                               std::uint8_t prefixlen = 32) = 0;
  virtual int mcast_new(Ip4 nbma, std::uint32_t flags) = 0;
  // Fire and forget, possibly batched.
  virtual void mcast_new_async(Ip4 nbma, std::uint32_t flags) {
    mcast_new(nbma, flags);
  }
  virtual int mcast_del(Ip4 nbma) = 0;
  // The multicast map, or nullopt when it cannot be read.
  virtual std::optional<std::vector<McastEntry>> mcast_dump() = 0;
  // How this host routes `dst` (unicast and local routes only).
  virtual std::optional<Route> route_to(Ip4 dst) = 0;
  virtual void nhs_set(const NhsConfig &nhs, const NhsStatus &status) = 0;
  // Looks up an NHS name; `done` runs later (never inside this call), and
  // only while the returned token is held.
  virtual LookupToken lookup(const std::string &name, LookupDone done) = 0;
};

} // namespace dmvpnd
