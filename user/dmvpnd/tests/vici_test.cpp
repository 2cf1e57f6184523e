// SPDX-License-Identifier: GPL-2.0
// The VICI codec against byte layouts worked out from the protocol's
// description, and against what a stream does to packets.
#include <gtest/gtest.h>

#include "vici.hpp"

namespace dmvpnd::vici {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes bytes(std::string_view s) { return {s.begin(), s.end()}; }

Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto &p : parts)
    out.insert(out.end(), p.begin(), p.end());
  return out;
}

TEST(Vici, RequestLayout) {
  Packet p;
  p.type = PacketType::cmd_request;
  p.name = "initiate";
  p.message.add("child", "dmvpn").add("timeout", "-1");
  auto out = encode(p);
  ASSERT_TRUE(out);
  Bytes body = cat({{0, 8},
                    bytes("initiate"),
                    {3, 5},
                    bytes("child"),
                    {0, 5},
                    bytes("dmvpn"),
                    {3, 7},
                    bytes("timeout"),
                    {0, 2},
                    bytes("-1")});
  Bytes want = cat({{0, 0, 0, static_cast<std::uint8_t>(body.size())}, body});
  EXPECT_EQ(*out, want);
}

TEST(Vici, NestedMessageRoundTrip) {
  Packet p;
  p.type = PacketType::event;
  p.name = "child-updown";
  p.message.add("up", "yes");
  Section &ike = p.message.add_section("dmvpn-7");
  ike.add("uniqueid", "7").add("remote-host", "198.51.100.9");
  Section &child = ike.add_section("child-sas").add_section("dmvpn-12");
  child.add("mode", "TRANSPORT").add_list("local-ts", {"198.51.100.5/32[gre]"});
  child.add_list("empty", {});
  auto out = encode(p);
  ASSERT_TRUE(out);
  Reader r;
  r.feed(*out);
  auto back = r.next();
  ASSERT_TRUE(back) << r.error();
  EXPECT_EQ(*back, p);
  const Section *c = back->message.section("dmvpn-7");
  ASSERT_TRUE(c);
  EXPECT_EQ(*c->value("remote-host"), "198.51.100.9");
  EXPECT_EQ(
      c->section("child-sas")->section("dmvpn-12")->list("local-ts")->at(0),
      "198.51.100.5/32[gre]");
  EXPECT_EQ(c->value("missing"), nullptr);
  EXPECT_EQ(c->list("uniqueid"), nullptr); // a value, not a list
}

TEST(Vici, PacketsWithoutNameOrMessage) {
  for (auto t : {PacketType::event_confirm, PacketType::event_unknown,
                 PacketType::cmd_unknown}) {
    auto out = encode({t, "ignored", {}});
    ASSERT_TRUE(out);
    EXPECT_EQ(*out, (Bytes{0, 0, 0, 1, static_cast<std::uint8_t>(t)}));
  }
  auto reg = encode({PacketType::event_register, "ike-updown", {}});
  ASSERT_TRUE(reg);
  EXPECT_EQ(*reg, cat({{0, 0, 0, 12, 3, 10}, bytes("ike-updown")}));
}

TEST(Vici, StreamSplitAnywhere) {
  Packet a{PacketType::cmd_response, "", {}};
  a.message.add("success", "yes");
  Packet b{PacketType::event, "ike-updown", {}};
  b.message.add_section("x").add("state", "ESTABLISHED");
  Bytes stream = cat({*encode(a), *encode(b)});
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    Reader r;
    std::vector<Packet> got;
    r.feed({stream.data(), cut});
    while (auto p = r.next())
      got.push_back(*p);
    r.feed({stream.data() + cut, stream.size() - cut});
    while (auto p = r.next())
      got.push_back(*p);
    ASSERT_FALSE(r.failed()) << cut << ": " << r.error();
    ASSERT_EQ(got.size(), 2u) << cut;
    EXPECT_EQ(got[0], a);
    EXPECT_EQ(got[1], b);
  }
}

TEST(Vici, MalformedStreamsFail) {
  const std::vector<std::pair<const char *, Bytes>> cases = {
      {"length 0", {0, 0, 0, 0}},
      {"over 512 KiB", {0, 8, 0, 1, 1}},
      {"unknown type", {0, 0, 0, 1, 9}},
      {"section end at top", {0, 0, 0, 2, 1, 2}},
      {"unclosed section", {0, 0, 0, 4, 1, 1, 1, 'x'}},
      {"item outside a list", {0, 0, 0, 4, 1, 5, 0, 0}},
      {"key in a list", {0, 0, 0, 6, 1, 4, 1, 'l', 3, 6}},
      {"value past the end", {0, 0, 0, 6, 1, 3, 1, 'k', 0, 9}},
      {"name past the end", {0, 0, 0, 3, 7, 5, 'a'}},
      {"confirm with bytes", {0, 0, 0, 2, 5, 0}},
  };
  for (const auto &[what, b] : cases) {
    Reader r;
    r.feed(b);
    EXPECT_FALSE(r.next()) << what;
    EXPECT_TRUE(r.failed()) << what;
    // Nothing more comes out of a stream that lost step.
    r.feed(*encode({PacketType::event_confirm, "", {}}));
    EXPECT_FALSE(r.next()) << what;
  }
}

TEST(Vici, WhatCannotBeSentIsRefused) {
  Packet p{PacketType::cmd_request, std::string(256, 'n'), {}};
  EXPECT_FALSE(encode(p));
  p.name = "load-shared";
  p.message.add("data", std::string(65536, 'k'));
  EXPECT_FALSE(encode(p));
  p.message = {};
  for (int i = 0; i < 10; ++i)
    p.message.add("data", std::string(60000, 'k'));
  EXPECT_FALSE(encode(p)); // over 512 KiB
}

TEST(Vici, DeepNestingRefused) {
  Bytes body{1}; // a response
  for (int i = 0; i < 40; ++i) {
    body.push_back(1);
    body.push_back(1);
    body.push_back('s');
  }
  for (int i = 0; i < 40; ++i)
    body.push_back(2);
  std::string why;
  EXPECT_FALSE(decode(body, why));
  EXPECT_NE(why.find("deep"), std::string::npos) << why;
}

} // namespace
} // namespace dmvpnd::vici
