// SPDX-License-Identifier: GPL-2.0
// dmvpnd's view of charon's SAs, fed with messages shaped as the vici
// plugin's README describes its list-sa and updown/rekey events.
#include <gtest/gtest.h>

#include "sa_table.hpp"

namespace dmvpnd {
namespace {

const Ip4 kMe = *Ip4::parse("198.51.100.5");
const Ip4 kPeer = *Ip4::parse("198.51.100.9");

struct Child {
  std::uint32_t id;
  const char *state = "INSTALLED";
  const char *mode = "TRANSPORT";
};

// An IKE_SA section as charon writes it, with `children`.
vici::Section &ike(vici::Section &parent, const char *conn, std::uint32_t id,
                   bool initiator, const char *spi,
                   std::vector<Child> children = {},
                   const char *state = "ESTABLISHED", Ip4 remote = kPeer) {
  vici::Section &s = parent.add_section(conn);
  s.add("uniqueid", std::to_string(id))
      .add("version", "2")
      .add("state", state)
      .add("local-host", kMe.str())
      .add("remote-host", remote.str())
      .add("initiator", initiator ? "yes" : "no")
      .add("initiator-spi", spi)
      .add("responder-spi", "0000000000000001");
  if (children.empty())
    return s;
  vici::Section &cs = s.add_section("child-sas");
  for (const auto &c : children) {
    vici::Section &one = cs.add_section("gre-" + std::to_string(c.id));
    one.add("name", "gre")
        .add("uniqueid", std::to_string(c.id))
        .add("reqid", "3")
        .add("state", c.state)
        .add("mode", c.mode)
        .add("protocol", "ESP")
        .add_list("local-ts", {kMe.str() + "/32[gre]"})
        .add_list("remote-ts", {remote.str() + "/32[gre]"});
  }
  return s;
}

vici::Section updown(bool up) {
  vici::Section m;
  m.add("up", up ? "yes" : "no");
  return m;
}

TEST(SaTable, ListedSasProtectTheirPeers) {
  SaTable t;
  vici::Section m;
  ike(m, "dmvpn", 1, true, "aa00000000000001", {{10}});
  ASSERT_TRUE(t.on_list_sa(m));
  EXPECT_TRUE(t.protects(kPeer));
  EXPECT_FALSE(t.protects(kMe));
  ASSERT_NE(t.find(1), nullptr);
  EXPECT_EQ(t.find(1)->children.at(10).reqid, 3u);
}

TEST(SaTable, OnlyInstalledTransportChildrenProtect) {
  SaTable t;
  vici::Section m;
  ike(m, "dmvpn", 1, true, "aa", {{10, "INSTALLING"}});
  ike(m, "dmvpn", 2, true, "bb", {{11, "INSTALLED", "TUNNEL"}});
  ASSERT_TRUE(t.on_list_sa(m));
  EXPECT_FALSE(t.protects(kPeer));
  vici::Section up = updown(true);
  ike(up, "dmvpn", 1, true, "aa", {{10}});
  ASSERT_TRUE(t.on_child_updown(up));
  EXPECT_TRUE(t.protects(kPeer));
}

TEST(SaTable, UpdownFollowsTheSas) {
  SaTable t;
  vici::Section ike_up = updown(true);
  ike(ike_up, "dmvpn", 4, false, "cc");
  ASSERT_TRUE(t.on_ike_updown(ike_up));
  EXPECT_FALSE(t.protects(kPeer));
  vici::Section child_up = updown(true);
  ike(child_up, "dmvpn", 4, false, "cc", {{20}});
  ASSERT_TRUE(t.on_child_updown(child_up));
  EXPECT_TRUE(t.protects(kPeer));
  // An IKE_SA's own event does not drop the children it does not list.
  ASSERT_TRUE(t.on_ike_updown(ike_up));
  EXPECT_TRUE(t.protects(kPeer));
  vici::Section child_down = updown(false);
  ike(child_down, "dmvpn", 4, false, "cc", {{20}});
  ASSERT_TRUE(t.on_child_updown(child_down));
  EXPECT_FALSE(t.protects(kPeer));
  EXPECT_EQ(t.childless("dmvpn"), std::vector<std::uint32_t>{4});
  EXPECT_TRUE(t.childless("hub").empty());
  vici::Section ike_down = updown(false);
  ike(ike_down, "dmvpn", 4, false, "cc");
  ASSERT_TRUE(t.on_ike_updown(ike_down));
  EXPECT_EQ(t.size(), 0u);
}

TEST(SaTable, RekeysMoveTheSas) {
  SaTable t;
  vici::Section m;
  ike(m, "dmvpn", 1, true, "aa", {{10}});
  ASSERT_TRUE(t.on_list_sa(m));
  // The child: old 10, new 11.
  vici::Section cr;
  vici::Section &pair = ike(cr, "dmvpn", 1, true, "aa")
                            .add_section("child-sas")
                            .add_section("gre-11");
  pair.add_section("old")
      .add("uniqueid", "10")
      .add("state", "REKEYED")
      .add("mode", "TRANSPORT");
  pair.add_section("new")
      .add("uniqueid", "11")
      .add("state", "INSTALLED")
      .add("mode", "TRANSPORT");
  ASSERT_TRUE(t.on_child_rekey(cr));
  ASSERT_EQ(t.find(1)->children.size(), 1u);
  EXPECT_TRUE(t.find(1)->children.count(11));
  EXPECT_TRUE(t.protects(kPeer));
  // The IKE_SA: old 1, new 2; the children follow.
  vici::Section ir;
  vici::Section &conn = ir.add_section("dmvpn");
  ike(conn, "old", 1, true, "aa");
  ike(conn, "new", 2, true, "dd");
  ASSERT_TRUE(t.on_ike_rekey(ir));
  EXPECT_EQ(t.find(1), nullptr);
  ASSERT_NE(t.find(2), nullptr);
  EXPECT_EQ(t.find(2)->name, "dmvpn");
  EXPECT_TRUE(t.find(2)->children.count(11));
  EXPECT_TRUE(t.protects(kPeer));
}

TEST(SaTable, TheKeepersInitiatorEndsTheDuplicate) {
  // Both ends initiated at once: two IKE_SAs, each end the initiator of
  // one. Each end numbers them its own way; the SPIs are shared. Both
  // keep the lowest SPI's; only its initiator ends the other.
  SaTable here, there;
  vici::Section a, b;
  ike(a, "dmvpn", 1, true, "00000000000000ff", {{10}});
  ike(a, "dmvpn", 2, false, "0000000000000011", {{11}});
  ike(b, "dmvpn", 7, false, "00000000000000ff", {{70}});
  ike(b, "dmvpn", 9, true, "0000000000000011", {{71}});
  ASSERT_TRUE(here.on_list_sa(a));
  ASSERT_TRUE(there.on_list_sa(b));
  using D = SaTable::Duplicates;
  EXPECT_TRUE(here.duplicates("dmvpn").empty());
  EXPECT_EQ(there.duplicates("dmvpn"), (std::vector<D>{{9, {7}}}));
  // One per peer is no duplicate; nor is one still connecting.
  SaTable single;
  vici::Section c;
  ike(c, "dmvpn", 1, true, "aa", {{10}});
  ike(c, "dmvpn", 2, false, "bb", {}, "CONNECTING");
  ike(c, "dmvpn", 3, true, "cc", {{12}}, "ESTABLISHED",
      *Ip4::parse("198.51.100.13"));
  ASSERT_TRUE(single.on_list_sa(c));
  EXPECT_TRUE(single.duplicates("dmvpn").empty());
}

TEST(SaTable, OneEndsTwoItInitiatedKeepingTheNamedOne) {
  // A spoke started its NHS's connection and, its first NHRP frame
  // caught by the on-demand trap, the on-demand one to the same hub: the
  // spoke keeps the NHS's (whose SPI is not the lowest), the hub, the
  // initiator of neither, leaves them alone.
  SaTable spoke, hub;
  vici::Section a, b;
  ike(a, "nhs", 1, true, "00000000000000ff", {{10}});
  ike(a, "dmvpn", 2, true, "0000000000000011", {{11}});
  ike(b, "dmvpn", 7, false, "00000000000000ff", {{70}});
  ike(b, "dmvpn", 9, false, "0000000000000011", {{71}});
  ASSERT_TRUE(spoke.on_list_sa(a));
  ASSERT_TRUE(hub.on_list_sa(b));
  using D = SaTable::Duplicates;
  EXPECT_EQ(spoke.duplicates("dmvpn"), (std::vector<D>{{1, {2}}}));
  EXPECT_TRUE(hub.duplicates("dmvpn").empty());
  // Two on-demand ones it initiated: the lowest SPI stays.
  SaTable both;
  vici::Section c;
  ike(c, "dmvpn", 1, true, "00000000000000ff", {{10}});
  ike(c, "dmvpn", 2, true, "0000000000000011", {{11}});
  ASSERT_TRUE(both.on_list_sa(c));
  EXPECT_EQ(both.duplicates("dmvpn"), (std::vector<D>{{2, {1}}}));
}

TEST(SaTable, MalformedMessagesChangeNothing) {
  SaTable t;
  vici::Section good;
  ike(good, "dmvpn", 1, true, "aa", {{10}});
  ASSERT_TRUE(t.on_list_sa(good));
  vici::Section bad;
  ike(bad, "dmvpn", 2, true, "bb", {{20}});
  // A second IKE_SA whose address is not one.
  bad.add_section("other")
      .add("uniqueid", "3")
      .add("local-host", "not-an-address")
      .add("remote-host", kPeer.str());
  EXPECT_FALSE(t.on_list_sa(bad));
  EXPECT_EQ(t.size(), 1u);
  vici::Section no_id = updown(true);
  no_id.add_section("dmvpn").add("local-host", kMe.str());
  EXPECT_FALSE(t.on_ike_updown(no_id));
  EXPECT_EQ(t.size(), 1u);
}

} // namespace
} // namespace dmvpnd
