// SPDX-License-Identifier: GPL-2.0
// The NHRP station of one dmvpn device: it admits NHRP frames (rate,
// authentication, loops) and hands each to its role: the NHS server
// (nhs_server.hpp), the clients of our own servers (nhs_client.hpp), the
// resolver (resolver.hpp), or its own answer for its address. Kernel
// events reach the same roles. No sockets here, so that unit tests drive
// it with a fake clock and a recording DeviceIo.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "counters.hpp"
#include "device_io.hpp"
#include "kernel_types.hpp"
#include "log_limit.hpp"
#include "messages.hpp"
#include "nhs_client.hpp"
#include "nhs_server.hpp"
#include "resolver.hpp"
#include "source_limit.hpp"
#include "timer_queue.hpp"
#include "token_bucket.hpp"

namespace dmvpnd {

class Device {
public:
  Device(const DeviceInfo &info, std::optional<Ip4> proto, TimerQueue &timers,
         DeviceIo &io, std::uint32_t first_request_id);
  Device(const Device &) = delete;
  Device &operator=(const Device &) = delete;
  ~Device();

  // Configuration, addresses or NHS list may have changed.
  void update(const DeviceInfo &info, std::optional<Ip4> proto,
              const std::vector<NhsConfig> &nhs);

  void on_frame(Ip4 outer, std::span<const std::uint8_t> frame);
  void on_miss(Ip4 proto);
  // The kernel's cache at start (soft state is rebuilt from it).
  void adopt(const std::vector<KernelEntry> &entries);
  // A kernel entry expired or was deleted.
  void on_entry_gone(const KernelEntry &e);
  // A kernel entry was added or replaced (by us or anyone else).
  void on_entry_added(const KernelEntry &e);
  // The cache again, after events were lost: rebuilds the hub's view of
  // the registrations.
  void reload(const std::vector<KernelEntry> &entries);

  [[nodiscard]] const std::string &name() const { return info_.name; }
  [[nodiscard]] int ifindex() const { return info_.ifindex; }
  [[nodiscard]] const DeviceConfig &config() const { return info_.config; }
  [[nodiscard]] bool hub() const { return info_.config.role == DMVPN_ROLE_HUB; }
  [[nodiscard]] std::optional<Ip4> proto() const { return proto_; }
  [[nodiscard]] Binding self() const {
    return {info_.local, proto_.value_or(Ip4{})};
  }
  [[nodiscard]] const Counters &counters() const { return counters_; }
  [[nodiscard]] const std::vector<std::unique_ptr<NhsClient>> &nhs() const {
    return nhs_;
  }
  [[nodiscard]] const Resolver &resolver() const { return resolver_; }
  [[nodiscard]] std::size_t registrations() const {
    return server_.view().registrations();
  }

  // For the components (NhsClient, NhsServer, Resolver).
  bool send(Ip4 nbma, const nhrp::Packet &p);
  void send_error(Ip4 to, std::span<const std::uint8_t> raw,
                  const nhrp::Bytes &offender, std::uint16_t code,
                  std::uint16_t offset);
  // Request ids are not sequential, so that an off-path sender cannot
  // guess the next one; each is used once.
  std::uint32_t next_request_id();
  // `d` shortened by up to `fraction` of itself, at random, so that
  // spokes restarted together do not stay in step.
  Duration jitter(Duration d, double fraction = 0.1);
  TimerQueue &timers() { return timers_; }
  DeviceIo &io() { return io_; }
  Counters &counters() { return counters_; }
  const NhsClient *preferred_nhs() const;
  // Our NBMA address after NAT, as our servers see it (the preferred
  // one's first); none when no NAT is between us and them.
  [[nodiscard]] std::optional<Ip4> public_nbma() const;
  // A packet from `outer` came from one of our servers.
  [[nodiscard]] bool from_nhs(Ip4 outer) const;
  // Puts the servers' entries in the kernel as their states say: none
  // for a server that is down, the nhs flag (where unresolved traffic
  // goes) on the best one by state and priority only.
  void place_nhs();
  std::uint16_t holdtime() const;
  // Answers a Resolution Request ourselves: for our tunnel address
  // (prefixlen 32), or for a network behind us.
  void answer(Ip4 outer, const nhrp::Packet &p, std::uint8_t prefixlen);
  [[nodiscard]] const NhsServer &server() const { return server_; }
  NhsServer &server() { return server_; }

private:
  // Where a packet may come from, before it is looked at more closely.
  bool admit(Ip4 outer, const nhrp::Packet &p,
             std::span<const std::uint8_t> frame);
  bool auth_ok(const nhrp::Packet &p, Ip4 outer);
  void on_resolution_request(Ip4 outer, const nhrp::Packet &p,
                             std::span<const std::uint8_t> raw);
  void on_error_indication(Ip4 outer, const nhrp::Packet &p);
  void sync_nhs(const std::vector<NhsConfig> &nhs, bool restart);

  DeviceInfo info_;
  std::optional<Ip4> proto_;
  TimerQueue &timers_;
  DeviceIo &io_;
  std::uint64_t rng_;
  Counters counters_;
  // Per source first, so that one member cannot use up what is left for
  // the others; the device-wide limits only bound the daemon's work.
  SourceLimit request_limit_{200, 100};
  SourceLimit error_source_limit_{5, 1};
  TokenBucket out_limit_{100000, 50000};
  TokenBucket error_limit_{100, 50};
  LogLimit auth_log_;
  LogLimit error_log_;
  LogLimit nat_log_;
  std::vector<std::unique_ptr<NhsClient>> nhs_;
  NhsServer server_;
  Resolver resolver_;
};

} // namespace dmvpnd
