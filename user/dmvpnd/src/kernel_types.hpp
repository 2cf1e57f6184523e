// SPDX-License-Identifier: GPL-2.0
// What dmvpnd reads from and writes to the kernel, independent of netlink.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <linux/dmvpn.h>

#include "ip4.hpp"

namespace dmvpnd {

struct DeviceConfig {
  std::uint8_t role = DMVPN_ROLE_NONE;
  std::uint32_t network_id = 0;
  std::uint32_t holdtime = DMVPN_DEFAULT_HOLDTIME;
  std::uint32_t reg_interval = 0; // 0 = holdtime / 3
  std::string auth;
  bool unique = true;
  bool mcast_dynamic = false;

  [[nodiscard]] bool active() const {
    return network_id != 0 && role != DMVPN_ROLE_NONE;
  }
  bool operator==(const DeviceConfig &) const = default;
};

// A configured next-hop server; identified by nbma or fqdn.
struct NhsConfig {
  std::optional<Ip4> nbma;
  std::string fqdn;
  std::optional<Ip4> proto;
  std::uint8_t priority = 0;
  bool operator==(const NhsConfig &) const = default;
};

struct NhsStatus {
  std::uint8_t state = DMVPN_NHS_STATE_NONE;
  std::optional<Ip4> cur_nbma;
  std::optional<Ip4> cur_proto;
  std::uint64_t requests = 0;
  std::uint64_t replies = 0;
  std::uint64_t failures = 0;
  std::uint8_t last_code = 0;
  bool nat = false;
};

struct DeviceInfo {
  int ifindex = 0;
  std::string name;
  Ip4 local;              // NBMA
  std::string local_ipv6; // the NBMA address when IPv6: not served yet
  DeviceConfig config;
  bool has_config = false;
  bool protect = false; // IPsec required (protect require)
};

struct KernelEntry {
  Ip4 proto;
  std::uint8_t prefixlen = 32;
  std::optional<Ip4> nbma;
  std::uint8_t type = 0;
  std::uint32_t flags = 0;
  std::optional<std::uint32_t> expires; // s left
  std::optional<std::uint32_t> used;    // s since last packet
};

// One NBMA address of the multicast replication map.
struct McastEntry {
  Ip4 nbma;
  std::uint32_t flags = 0; // DMVPN_MCAST_F_*
};

// What ENTRY_NEW may do with an entry that is already there.
enum class Install {
  create,  // nothing: EEXIST
  replace, // anything (configuration dmvpnd owns: its servers' entries)
  learned, // only what NHRP learned; EEXIST over configuration
};

struct EntrySpec {
  Ip4 proto;
  std::uint8_t prefixlen = 32; // below 32: a shortcut (type SHORTCUT)
  std::optional<Ip4> nbma;
  std::uint8_t type = DMVPN_ENTRY_DYNAMIC;
  std::uint32_t flags = 0;
  std::uint32_t holdtime = 0;
  Install install = Install::learned;
};

// The FIB's route to a destination: the route that matches (its prefix
// length), not the host route a lookup clones from it.
struct Route {
  int oif = 0;
  std::optional<Ip4> gateway;
  std::uint8_t prefixlen = 0;
  bool local = false; // the destination is an address of this host
};

} // namespace dmvpnd
