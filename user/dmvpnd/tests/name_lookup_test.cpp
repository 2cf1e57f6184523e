// SPDX-License-Identifier: GPL-2.0
// NameLookup with real threads: start() never waits, results reach the
// caller's thread through the eventfd, a dropped token silences a lookup.
#include <gtest/gtest.h>
#include <poll.h>

#include <algorithm>
#include <future>
#include <string>
#include <vector>

#include "name_lookup.hpp"

namespace dmvpnd::test {
namespace {

bool readable(int fd, int timeout_ms) {
  pollfd p{fd, POLLIN, 0};
  return poll(&p, 1, timeout_ms) == 1;
}

TEST(NameLookup, ResultsArriveWithoutBlocking) {
  std::promise<void> open_dropped, open_rest;
  auto dropped_gate = open_dropped.get_future().share();
  auto rest_gate = open_rest.get_future().share();
  NameLookup names([=](const std::string &n) -> LookupResult {
    (n == "dropped" ? dropped_gate : rest_gate).wait();
    if (n == "hub.example.net")
      return {Ip4::parse("198.51.100.1"), {}};
    return {std::nullopt, "unknown name"};
  });
  std::vector<std::string> got;
  auto record = [&](const LookupResult &r) {
    got.push_back(r.addr ? r.addr->str() : r.error);
  };

  auto dropped = names.start("dropped", record);
  dropped.reset();
  auto hub = names.start("hub.example.net", record);
  auto nowhere = names.start("nowhere.example.net", record);
  // Every lookup is still blocked, and start() came back.
  names.run_completed();
  EXPECT_TRUE(got.empty());

  open_dropped.set_value();
  ASSERT_TRUE(readable(names.fd(), 5000));
  names.run_completed();
  EXPECT_TRUE(got.empty()) << "a dropped token still got its answer";

  open_rest.set_value();
  for (int i = 0; i < 10 && got.size() < 2; ++i)
    if (readable(names.fd(), 1000))
      names.run_completed();
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, (std::vector<std::string>{"198.51.100.1", "unknown name"}));
}

TEST(NameLookup, LooksUpNumericAddressesWithoutDns) {
  auto r = lookup_ipv4("203.0.113.7");
  ASSERT_TRUE(r.addr) << r.error;
  EXPECT_EQ(r.addr->str(), "203.0.113.7");
}

} // namespace
} // namespace dmvpnd::test
