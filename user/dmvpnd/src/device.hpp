// SPDX-License-Identifier: GPL-2.0
// The NHRP logic of one dmvpn device: it receives NHRP frames and kernel
// events and acts through DeviceIo. No sockets here, so that unit tests
// drive it with a fake clock and a recording DeviceIo.
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
#include "messages.hpp"
#include "nhs_client.hpp"
#include "resolver.hpp"
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
  [[nodiscard]] std::size_t registrations() const { return registered_.size(); }

  // For the components (NhsClient, Resolver).
  bool send(Ip4 nbma, const nhrp::Packet &p);
  std::uint32_t next_request_id() { return next_req_id_++; }
  TimerQueue &timers() { return timers_; }
  DeviceIo &io() { return io_; }
  Counters &counters() { return counters_; }
  const NhsClient *preferred_nhs() const;
  std::uint16_t holdtime() const;

private:
  void on_registration_request(Ip4 outer, nhrp::Packet &&p);
  void on_resolution_request(Ip4 outer, const nhrp::Packet &p,
                             std::span<const std::uint8_t> raw);
  void on_purge_request(const nhrp::Packet &p);
  void on_error_indication(Ip4 outer, const nhrp::Packet &p);
  void forward_request(const nhrp::Packet &p, std::span<const std::uint8_t> raw,
                       Ip4 outer);
  void send_error(Ip4 to, std::span<const std::uint8_t> raw,
                  const nhrp::Bytes &offender, std::uint16_t code,
                  std::uint16_t offset);
  bool request_auth_ok(const nhrp::Packet &p, Ip4 outer);
  void registration_done(Ip4 outer, const nhrp::Packet &p,
                         const struct RegistrationDecision &d, bool fresh,
                         int err);
  void log_new_registration(const struct RegistrationDecision &d);
  void sync_nhs(const std::vector<NhsConfig> &nhs, bool restart);

  DeviceInfo info_;
  std::optional<Ip4> proto_;
  TimerQueue &timers_;
  DeviceIo &io_;
  std::uint32_t next_req_id_;
  Counters counters_;
  TokenBucket out_limit_{10000, 5000};
  TokenBucket error_limit_{10, 1};
  // The kernel's registered (DYNAMIC + REGISTERED) entries by proto,
  // mirrored from the cache dump and events so that deciding on a
  // registration (unique check) costs no kernel round trip.
  struct Registered {
    Ip4 nbma;
    std::uint32_t flags = 0;
    bool operator==(const Registered &) const = default;
  };
  std::unordered_map<std::uint32_t, Registered> registered_;
  // New bindings are logged at info, a bounded number per second.
  TokenBucket reg_log_limit_{20, 10};
  std::uint64_t reg_log_suppressed_ = 0;
  std::vector<std::unique_ptr<NhsClient>> nhs_;
  Resolver resolver_;
};

} // namespace dmvpnd
