// SPDX-License-Identifier: GPL-2.0
// The dmvpn generic netlink family through libnl: requests on one socket,
// events on another.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "ack_queue.hpp"
#include "fd.hpp"
#include "kernel_types.hpp"

struct nl_sock;
struct nl_msg;

namespace dmvpnd {

struct NlSockDeleter {
  void operator()(nl_sock *s) const;
};
using NlSock = std::unique_ptr<nl_sock, NlSockDeleter>;

struct NlMsgDeleter {
  void operator()(nl_msg *m) const;
};
using NlMsg = std::unique_ptr<nl_msg, NlMsgDeleter>;

class NetlinkError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

struct GenlEvent {
  std::uint8_t event = 0;
  int ifindex = 0;
  std::optional<KernelEntry> entry;
  std::optional<Ip4> nbma; // the entry nest's, also in peer events
};

struct NhsDump {
  std::vector<NhsConfig> servers;
  std::vector<std::string> ipv6; // NHSes with IPv6 addresses: not served yet
};

class Genl {
public:
  // Throws NetlinkError when the family is missing (module not loaded).
  Genl();

  std::vector<DeviceInfo> dump_devices();
  NhsDump dump_nhs(int ifindex);
  std::optional<KernelEntry> entry_get(int ifindex, Ip4 proto,
                                       std::uint8_t prefixlen);
  // The whole cache, or nullopt when the dump failed or was interrupted
  // three times: never a part of it.
  std::optional<std::vector<KernelEntry>> dump_entries(int ifindex);
  int entry_new(int ifindex, const EntrySpec &spec);
  int entry_del(int ifindex, Ip4 proto, std::uint8_t prefixlen);
  int mcast_new(int ifindex, Ip4 nbma, std::uint32_t flags);
  int mcast_del(int ifindex, Ip4 nbma);
  // The IPv4 multicast map, or nullopt when the dump failed.
  std::optional<std::vector<McastEntry>> dump_mcast(int ifindex);
  int nhs_set(int ifindex, const NhsConfig &nhs, const NhsStatus &st);
  // This node initiated the SA to `nbma` with outbound SPI `spi`.
  int sa_initiated(Ip4 nbma, std::uint32_t spi);

  // Batched requests: queued, sent many per sendmsg() by flush() (or
  // when a batch is full, or before any synchronous request), `done`
  // called with each one's ack. The kernel handles a batch within the
  // sendmsg() call, so flush() returns with every callback run.
  void queue_entry_new(int ifindex, const EntrySpec &spec, AckQueue::Done done);
  void queue_mcast_new(int ifindex, Ip4 nbma, std::uint32_t flags,
                       AckQueue::Done done);
  void flush();

  [[nodiscard]] int event_fd() const;
  // Reads what is queued on the event socket.
  void read_events(const std::function<void(const GenlEvent &)> &fn);

private:
  NlMsg request(std::uint8_t cmd, int flags = 0);
  int transact(NlMsg msg, const std::function<void(nl_msg *)> &on_reply = {});

  void queued();
  void send_batch();

  NlSock req_;
  Fd batch_; // plain netlink socket: the batches and their acks
  std::vector<std::uint8_t> out_;
  std::size_t out_count_ = 0;
  AckQueue acks_;
  bool flushing_ = false;
  NlSock events_;
  // Receive buffers for batches of acks and of events, allocated on
  // first use and never zeroed: the kernel writes what it delivers
  // (see PacketSocket's).
  std::unique_ptr<std::uint8_t[]> ack_buf_;
  std::unique_ptr<std::uint8_t[]> event_buf_;
  int family_ = -1;
};

// Decoding helpers shared with the unit tests.
std::optional<KernelEntry> parse_entry_nest(const void *nla);

} // namespace dmvpnd
