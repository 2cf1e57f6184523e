// SPDX-License-Identifier: GPL-2.0
#include "name_lookup.hpp"

#include <netdb.h>
#include <netinet/in.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

#include <cstdint>
#include <mutex>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "fd.hpp"

namespace dmvpnd {

LookupResult lookup_ipv4(const std::string &name) {
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_DGRAM;
  addrinfo *res = nullptr;
  int rc = getaddrinfo(name.c_str(), nullptr, &hints, &res);
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> guard(res, freeaddrinfo);
  if (rc != 0 || !res)
    return {std::nullopt, rc ? gai_strerror(rc) : "no address"};
  const auto *sin = reinterpret_cast<const sockaddr_in *>(res->ai_addr);
  return {Ip4{sin->sin_addr.s_addr}, {}};
}

struct NameLookup::Shared {
  Fd event;
  std::mutex mu;
  std::vector<std::pair<std::weak_ptr<LookupDone>, LookupResult>> finished;

  void finish(std::weak_ptr<LookupDone> done, LookupResult r) {
    {
      std::lock_guard lock(mu);
      finished.emplace_back(std::move(done), std::move(r));
    }
    std::uint64_t one = 1;
    // Only fails when the counter would overflow: it is readable anyway.
    (void)!::write(event.get(), &one, sizeof(one));
  }
};

NameLookup::NameLookup(Fn fn)
    : fn_(std::move(fn)), shared_(std::make_shared<Shared>()) {
  shared_->event = Fd(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
  if (!shared_->event)
    throw std::system_error(errno, std::generic_category(), "eventfd");
}

NameLookup::~NameLookup() = default;

int NameLookup::fd() const { return shared_->event.get(); }

LookupToken NameLookup::start(const std::string &name, LookupDone done) {
  auto token = std::make_shared<LookupDone>(std::move(done));
  std::weak_ptr<LookupDone> weak = token;
  try {
    // Detached: a lookup stuck in a DNS timeout must not hold up exit.
    std::thread([shared = shared_, fn = fn_, name, weak] {
      shared->finish(weak, fn(name));
    }).detach();
  } catch (const std::system_error &e) {
    shared_->finish(weak, {std::nullopt, e.what()});
  }
  return token;
}

void NameLookup::run_completed() {
  std::uint64_t n;
  (void)!::read(shared_->event.get(), &n, sizeof(n));
  std::vector<std::pair<std::weak_ptr<LookupDone>, LookupResult>> ready;
  {
    std::lock_guard lock(shared_->mu);
    ready.swap(shared_->finished);
  }
  // The callback may drop its own token: hold it while it runs.
  for (auto &[weak, result] : ready)
    if (auto done = weak.lock())
      (*done)(result);
}

} // namespace dmvpnd
