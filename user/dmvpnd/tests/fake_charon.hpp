// SPDX-License-Identifier: GPL-2.0
// A fake charon at the other end of a socket pair, for the tests of what
// speaks VICI to it: it hands out connections, reads what the client
// wrote, writes packets back and answers the connect-time conversation.
#pragma once

#include <gtest/gtest.h>

#include <sys/socket.h>

#include "charon_link.hpp"
#include "vici.hpp"

namespace dmvpnd::testing {

struct FakeCharon {
  Fd end; // charon's end
  vici::Reader from_client;
  bool reachable = true;
  int connects = 0;

  // For CharonLink::Hooks::connect.
  Fd connect() {
    ++connects;
    if (!reachable)
      return Fd();
    int sv[2];
    EXPECT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
    end = Fd(sv[1]);
    from_client = vici::Reader();
    return Fd(sv[0]);
  }

  std::vector<vici::Packet> received() {
    std::vector<vici::Packet> out;
    std::uint8_t buf[8192];
    ssize_t n;
    while ((n = recv(end.get(), buf, sizeof(buf), MSG_DONTWAIT)) > 0)
      from_client.feed({buf, static_cast<std::size_t>(n)});
    while (auto p = from_client.next())
      out.push_back(*p);
    return out;
  }

  void put(const vici::Packet &p) {
    auto b = *vici::encode(p);
    ASSERT_EQ(send(end.get(), b.data(), b.size(), 0),
              static_cast<ssize_t>(b.size()));
  }

  // Answers the subscriptions and the listing with `sas` (list-sa
  // events), and lets `link` read it all.
  void serve_connect(CharonLink &link, const std::vector<vici::Section> &sas) {
    using T = vici::PacketType;
    auto got = received();
    ASSERT_EQ(got.size(), std::size(CharonLink::kEvents) + 1);
    for (std::size_t i = 0; i < std::size(CharonLink::kEvents); ++i) {
      EXPECT_EQ(got[i].type, T::event_register);
      EXPECT_EQ(got[i].name, CharonLink::kEvents[i]);
      put({T::event_confirm, "", {}});
    }
    EXPECT_EQ(got.back().name, "list-sas");
    for (const auto &m : sas)
      put({T::event, "list-sa", m});
    put({T::cmd_response, "", {}});
    link.on_readable();
  }
};

// An IKE_SA of connection `conn` to `peer`, with one installed transport
// child unless `child` is false (its outbound SPI `spi_out`, if given),
// initiated by this end unless `initiator` is false, as charon reports it
// in list-sa and updown events. Returns the IKE_SA's section.
inline vici::Section &add_sa(vici::Section &m, std::uint32_t id,
                             const char *spi, const char *peer,
                             bool child = true, const char *conn = "dmvpn",
                             const char *spi_out = nullptr,
                             bool initiator = true) {
  vici::Section &s = m.add_section(conn);
  s.add("uniqueid", std::to_string(id))
      .add("state", "ESTABLISHED")
      .add("local-host", "198.51.100.5")
      .add("remote-host", peer)
      .add("initiator", initiator ? "yes" : "no")
      .add("initiator-spi", spi);
  if (!child)
    return s;
  vici::Section &c = s.add_section("child-sas").add_section("gre-1");
  c.add("uniqueid", std::to_string(id * 10))
      .add("state", "INSTALLED")
      .add("mode", "TRANSPORT");
  if (spi_out)
    c.add("spi-out", spi_out);
  return s;
}

// Under IKE_SA section `ike`, what a child-rekey event says: CHILD_SA
// `old` rekeyed into `now`, installed.
inline void add_child_rekey(vici::Section &ike, std::uint32_t old,
                            std::uint32_t now) {
  vici::Section &pair =
      ike.add_section("child-sas").add_section("gre-" + std::to_string(now));
  pair.add_section("old")
      .add("uniqueid", std::to_string(old))
      .add("state", "REKEYED")
      .add("mode", "TRANSPORT");
  pair.add_section("new")
      .add("uniqueid", std::to_string(now))
      .add("state", "INSTALLED")
      .add("mode", "TRANSPORT");
}

} // namespace dmvpnd::testing
