// SPDX-License-Identifier: GPL-2.0
// Every NHRP packet of the real captures decodes and re-encodes identically.
#include <gtest/gtest.h>

#include <cstdio>

#include "nhrp/checksum.hpp"
#include "nhrp/codec.hpp"
#include "pcap_nhrp.hpp"

using namespace nhrp;

TEST(Captures, RoundTrip) {
  auto dir = nhrp::testing::captures_dir();
  if (!dir)
    GTEST_SKIP() << "capture directory not found: DMVPN_CAPTURES is unset "
                    "or not a directory, and ../shared/testdata/nhrp "
                    "relative to the repository root does not exist";
  auto files = nhrp::testing::capture_files(*dir);
  if (files.empty())
    GTEST_SKIP() << "no .pcap/.pcapng files in " << *dir;

  std::size_t decoded = 0, identical = 0, rejected = 0;
  for (const auto &file : files) {
    auto cap = nhrp::testing::read_capture(file);
    ASSERT_TRUE(cap.error.empty()) << file << ": " << cap.error;
    for (std::size_t i = 0; i < cap.payloads.size(); ++i) {
      const Bytes &raw = cap.payloads[i];
      auto p = decode(raw);
      if (!p) {
        ++rejected;
        ADD_FAILURE() << file << " NHRP packet " << i << ": "
                      << p.error().message;
        continue;
      }
      ++decoded;
      EXPECT_TRUE(checksum_ok(raw)) << file << " packet " << i;
      auto bytes = encode(*p, ChecksumMode::keep);
      ASSERT_TRUE(bytes.ok()) << bytes.error().message;
      auto computed = encode(*p);
      ASSERT_TRUE(computed.ok());
      if (*bytes == raw && *computed == raw)
        ++identical;
      else
        ADD_FAILURE() << file << " packet " << i << " re-encodes differently";
    }
  }
  EXPECT_GT(decoded, 0u);
  std::printf("captures: %zu decoded, %zu re-encoded identically, %zu "
              "rejected\n",
              decoded, identical, rejected);
}
