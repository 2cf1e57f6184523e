// SPDX-License-Identifier: GPL-2.0
// A DeviceIo that records what the logic does and keeps a tiny cache.
#pragma once

#include <cerrno>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "device_io.hpp"
#include "nhrp/codec.hpp"

namespace dmvpnd::test {

struct Sent {
  Ip4 to;
  nhrp::Bytes bytes;
  nhrp::Packet packet() const { return *nhrp::decode(bytes); }
};

class FakeIo : public DeviceIo {
public:
  std::vector<Sent> sent;
  std::map<Ip4, KernelEntry> cache; // host entries
  std::map<std::pair<Ip4, std::uint8_t>, KernelEntry> shortcuts;
  std::map<Ip4, Route> routes; // by destination
  std::vector<EntrySpec> entry_log;
  std::vector<std::pair<Ip4, std::uint32_t>> mcast;
  std::vector<Ip4> mcast_deleted;
  std::map<Ip4, std::uint32_t> mcast_map; // what the kernel's map holds
  std::vector<NhsStatus> published;
  // Name lookups wait here until the test answers them.
  std::vector<std::pair<std::string, LookupToken>> lookups;

  // Called as each frame goes: a test may look into the device then.
  std::function<void(Ip4)> on_send;

  void send(Ip4 nbma, std::span<const std::uint8_t> frame) override {
    sent.push_back({nbma, {frame.begin(), frame.end()}});
    if (on_send)
      on_send(nbma);
  }
  // The kernel's ENTRY_NEW rules (DMVPN_A_REPLACE / _REPLACE_LEARNED).
  int entry_new(const EntrySpec &s) override {
    entry_log.push_back(s);
    if (s.prefixlen < 32) {
      // Shortcuts with a holding time are soft state, as in the kernel.
      auto key = std::pair{s.proto, s.prefixlen};
      if (auto it = shortcuts.find(key);
          it != shortcuts.end() &&
          (s.install == Install::create ||
           (s.install == Install::learned && !it->second.expires)))
        return -EEXIST;
      KernelEntry e;
      e.proto = s.proto;
      e.prefixlen = s.prefixlen;
      e.nbma = s.nbma;
      e.type = s.type;
      if (s.holdtime)
        e.expires = s.holdtime;
      shortcuts[key] = e;
      return 0;
    }
    if (auto it = cache.find(s.proto); it != cache.end()) {
      const auto &old = it->second;
      bool configured = old.type == DMVPN_ENTRY_STATIC ||
                        old.type == DMVPN_ENTRY_LOCAL ||
                        (old.flags & DMVPN_F_NHS);
      if (s.install == Install::create ||
          (s.install == Install::learned && configured))
        return -EEXIST;
    }
    KernelEntry e;
    e.proto = s.proto;
    e.nbma = s.nbma;
    e.type = s.type;
    e.flags = s.flags;
    if (s.holdtime)
      e.expires = s.holdtime;
    cache[s.proto] = e;
    return 0;
  }
  int entry_del(Ip4 proto, std::uint8_t prefixlen = 32) override {
    if (prefixlen < 32)
      return shortcuts.erase({proto, prefixlen}) ? 0 : -ENOENT;
    return cache.erase(proto) ? 0 : -ENOENT;
  }
  std::optional<KernelEntry> entry_get(Ip4 proto,
                                       std::uint8_t prefixlen = 32) override {
    if (prefixlen < 32) {
      auto it = shortcuts.find({proto, prefixlen});
      if (it == shortcuts.end())
        return std::nullopt;
      return it->second;
    }
    auto it = cache.find(proto);
    if (it == cache.end())
      return std::nullopt;
    return it->second;
  }
  int mcast_new(Ip4 nbma, std::uint32_t flags) override {
    mcast.emplace_back(nbma, flags);
    mcast_map[nbma] = flags;
    return 0;
  }
  int mcast_del(Ip4 nbma) override {
    mcast_deleted.push_back(nbma);
    return mcast_map.erase(nbma) ? 0 : -2;
  }
  std::optional<std::vector<McastEntry>> mcast_dump() override {
    std::vector<McastEntry> out;
    for (const auto &[nbma, flags] : mcast_map)
      out.push_back({nbma, flags});
    return out;
  }
  std::optional<Route> route_to(Ip4 dst) override {
    if (auto it = routes.find(dst); it != routes.end())
      return it->second;
    return std::nullopt;
  }
  void nhs_set(const NhsConfig &, const NhsStatus &st) override {
    published.push_back(st);
  }
  LookupToken lookup(const std::string &name, LookupDone done) override {
    auto token = std::make_shared<LookupDone>(std::move(done));
    lookups.emplace_back(name, token);
    return token;
  }
  // Answers the oldest lookup (if its asker still wants it).
  void answer_lookup(LookupResult r) {
    auto [name, token] = lookups.front();
    lookups.erase(lookups.begin());
    if (token.use_count() > 1)
      (*token)(r);
  }
};

inline Ip4 ip(const char *s) { return *Ip4::parse(s); }

// A configured device (network-id 1, holdtime 30 s), as a dump gives it.
inline DeviceInfo device_info(std::uint8_t role, const char *nbma,
                              const char *auth = "", bool mcast = false) {
  DeviceInfo d;
  d.ifindex = 5;
  d.name = "dmvpn0";
  d.local = ip(nbma);
  d.config.role = role;
  d.config.network_id = 1;
  d.config.holdtime = 30;
  d.config.auth = auth;
  d.config.mcast_dynamic = mcast;
  d.has_config = true;
  return d;
}

} // namespace dmvpnd::test
