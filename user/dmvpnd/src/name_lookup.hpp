// SPDX-License-Identifier: GPL-2.0
// NHS names are looked up off the event loop: getaddrinfo blocks for the
// resolver's whole timeout (seconds per DNS server), and one dead DNS
// server must not stall registration with the other servers, a hub's
// answers or resolution. Each lookup runs on a thread of its own; results
// come back through an eventfd the daemon polls and are handed out on the
// daemon's thread.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "ip4.hpp"

namespace dmvpnd {

struct LookupResult {
  std::optional<Ip4> addr;
  std::string error; // why there is no address
};

// The first IPv4 address of `name` (blocks).
LookupResult lookup_ipv4(const std::string &name);

using LookupDone = std::function<void(const LookupResult &)>;
// The callback of a lookup runs only while its token is held: a server
// removed meanwhile drops the token and hears nothing.
using LookupToken = std::shared_ptr<LookupDone>;

class NameLookup {
public:
  using Fn = std::function<LookupResult(const std::string &)>;

  explicit NameLookup(Fn fn = lookup_ipv4);
  NameLookup(const NameLookup &) = delete;
  NameLookup &operator=(const NameLookup &) = delete;
  ~NameLookup();

  // Readable when lookups have finished.
  [[nodiscard]] int fd() const;
  [[nodiscard]] LookupToken start(const std::string &name, LookupDone done);
  // Runs the callbacks of the finished lookups whose token is held.
  void run_completed();

private:
  struct Shared;
  Fn fn_;
  // Shared with the lookup threads, which may outlive this object.
  std::shared_ptr<Shared> shared_;
};

} // namespace dmvpnd
