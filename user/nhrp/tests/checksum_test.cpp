// SPDX-License-Identifier: GPL-2.0
#include <gtest/gtest.h>

#include "nhrp/checksum.hpp"
#include "test_util.hpp"

using namespace nhrp;
using namespace nhrp::testing;

TEST(Checksum, IosVectorOddLength) {
  Bytes b = ios_registration();
  ASSERT_EQ(b.size(), 81u);
  EXPECT_TRUE(checksum_ok(b));
  b[12] = b[13] = 0;
  EXPECT_EQ(checksum(b), 0xe8e4);
}

TEST(Checksum, Rfc1071Example) {
  // RFC 1071 section 3: sum 0xddf2 -> checksum 0x220d.
  Bytes b = hex("0001 f203 f4f5 f6f7");
  EXPECT_EQ(checksum(b), 0x220d);
}

TEST(Checksum, OddLengthPadsWithZero) {
  EXPECT_EQ(checksum(hex("ab")), checksum(hex("ab00")));
  EXPECT_EQ(checksum(Bytes{}), 0xffff);
}

TEST(Checksum, DetectsCorruption) {
  Bytes b = ios_registration();
  b[40] ^= 0x01;
  EXPECT_FALSE(checksum_ok(b));
  EXPECT_FALSE(checksum_ok(hex("0001")));
}
