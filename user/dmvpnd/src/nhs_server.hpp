// SPDX-License-Identifier: GPL-2.0
// The NHS role of RFC 2332 on one device: it takes registrations, answers
// resolution requests from the bindings it serves or forwards them
// towards the next server, honours purges from the owners of bindings,
// and keeps the multicast map in step with the registered NBMA
// addresses. Its only view of the cache is a CacheView fed by the
// kernel's events.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>

#include "cache_view.hpp"
#include "log_limit.hpp"
#include "nhrp/packet.hpp"

namespace dmvpnd {

class Device;
struct RegistrationDecision;

class NhsServer {
public:
  // Registered addresses one NBMA address may hold (spokes behind one NAT
  // address share theirs); beyond it a registration gets code 5.
  static constexpr std::size_t kDefaultMaxPerNbma = 256;

  explicit NhsServer(Device &dev) : dev_(dev) {}

  void on_registration_request(Ip4 outer, nhrp::Packet &&p);
  // A request for an address that is not the station's own.
  void on_resolution_request(Ip4 outer, const nhrp::Packet &p,
                             std::span<const std::uint8_t> raw);
  // A reply for a requester that is not the station: forwarded back
  // along the request's path; false if it is not for a server to take.
  bool on_resolution_reply(Ip4 outer, const nhrp::Packet &p);
  // from_nhs: the packet came from one of our own servers.
  void on_purge_request(Ip4 outer, const nhrp::Packet &p, bool from_nhs);

  void reload(const std::vector<KernelEntry> &entries);
  void on_entry_added(const KernelEntry &e);
  void on_entry_gone(const KernelEntry &e);

  [[nodiscard]] const CacheView &view() const { return view_; }
  void set_max_per_nbma(std::size_t n) { max_per_nbma_ = n; }

private:
  struct Reply;
  void register_cie(const std::shared_ptr<Reply> &reply, std::size_t i);
  void cie_done(const std::shared_ptr<Reply> &reply);
  void refused(Ip4 outer, const RegistrationDecision &d);
  void registered(const RegistrationDecision &d, bool fresh);
  void log_new_registration(const RegistrationDecision &d);
  bool egress(const Route &r);
  bool answer_registered(Ip4 outer, const nhrp::Packet &p, Ip4 target);
  void forward_request(const nhrp::Packet &p, std::span<const std::uint8_t> raw,
                       Ip4 outer, Ip4 next);
  void apply(const CacheView::NbmaChange &c);

  Device &dev_;
  CacheView view_;
  std::size_t max_per_nbma_ = kDefaultMaxPerNbma;
  // New bindings are logged at info, a bounded number per second.
  LogLimit reg_log_{20, 10};
  LogLimit refuse_log_;
  LogLimit purge_log_;
};

} // namespace dmvpnd
