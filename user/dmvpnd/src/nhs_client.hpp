// SPDX-License-Identifier: GPL-2.0
// NHC side of one configured next-hop server: registration, refresh,
// backoff, and the status published to the kernel.
#pragma once

#include <cstdint>
#include <optional>

#include "backoff.hpp"
#include "kernel_types.hpp"
#include "name_lookup.hpp"
#include "nhrp/packet.hpp"
#include "timer_queue.hpp"

namespace dmvpnd {

class Device;

class NhsClient {
public:
  // Unanswered requests before the NHS is declared down.
  static constexpr int kMaxUnanswered = 3;

  NhsClient(Device &dev, NhsConfig cfg);
  NhsClient(const NhsClient &) = delete;
  NhsClient &operator=(const NhsClient &) = delete;

  [[nodiscard]] const NhsConfig &config() const { return cfg_; }
  [[nodiscard]] const NhsStatus &status() const { return st_; }
  [[nodiscard]] bool up() const { return st_.state == DMVPN_NHS_STATE_UP; }
  [[nodiscard]] std::optional<Ip4> nbma() const { return nbma_; }
  [[nodiscard]] std::optional<Ip4> proto() const;
  [[nodiscard]] std::uint32_t request_id() const { return req_id_; }
  // Our own NBMA address as this server sees it, when a NAT is between
  // us (the Cisco NAT extension of its last reply).
  [[nodiscard]] std::optional<Ip4> public_nbma() const { return public_; }

  // Registers now with a fresh request id (start, refresh, address change).
  void start();
  // The kernel's entries for this server while it is not down: its static
  // entry (flagged nhs when it is the one unresolved traffic goes to) and
  // its multicast entry. Device::place_nhs() decides.
  void place(bool default_route);
  // Removes them (server down or removed from the configuration).
  void withdraw();
  [[nodiscard]] bool down() const { return st_.state == DMVPN_NHS_STATE_DOWN; }
  // A Registration Reply from `outer`; false if it is not the answer to
  // our request (its id, and it comes from the server we asked).
  bool on_reply(Ip4 outer, const nhrp::Packet &reply);
  // An Error Indication from `outer` quoting our request.
  bool on_error(Ip4 outer, std::uint32_t request_id, std::uint16_t code);

private:
  // Sends the current request; an NHS given by name is looked up first.
  void send();
  void looked_up(const LookupResult &r);
  void transmit();
  void retry_later();
  void retransmit();
  // Publishes and returns true when the state changed.
  bool set_state(std::uint8_t state);
  void publish();
  [[nodiscard]] std::string name() const;

  Device &dev_;
  NhsConfig cfg_;
  NhsStatus st_;
  Backoff backoff_;
  Timer timer_;
  std::uint32_t req_id_ = 0;
  int unanswered_ = 0;
  std::optional<Ip4> nbma_;
  std::optional<Ip4> learned_proto_;
  std::optional<Ip4> public_;
  // What place() put in the kernel, so that a change removes the old.
  struct Placed {
    Ip4 nbma;
    Ip4 proto;
    bool default_route = false;
    bool operator==(const Placed &) const = default;
  };
  std::optional<Placed> placed_;
  LookupToken lookup_; // set while a name lookup is under way
};

} // namespace dmvpnd
