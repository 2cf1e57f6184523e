// SPDX-License-Identifier: GPL-2.0
// Device logic end to end against a recording DeviceIo and a fake clock.
#include <gtest/gtest.h>

#include <algorithm>

#include "device.hpp"
#include "fake_io.hpp"
#include "nhrp/codec.hpp"
#include "nhrp/constants.hpp"

namespace dmvpnd::test {
namespace {

using namespace std::chrono_literals;

DeviceInfo info(std::uint8_t role, const char *nbma, const char *auth = "") {
  return device_info(role, nbma, auth);
}

NhsConfig hub_nhs() {
  NhsConfig n;
  n.nbma = ip("198.51.100.1");
  n.proto = ip("192.0.2.1");
  return n;
}

struct Cloud : ::testing::Test {
  TimerQueue clock;
  FakeIo hub_io, s1_io, s2_io;
  Device hub{info(DMVPN_ROLE_HUB, "198.51.100.1"), ip("192.0.2.1"), clock,
             hub_io, 1000};
  Device s1{info(DMVPN_ROLE_SPOKE, "198.51.100.5"), ip("192.0.2.11"), clock,
            s1_io, 2000};
  Device s2{info(DMVPN_ROLE_SPOKE, "198.51.100.9"), ip("192.0.2.12"), clock,
            s2_io, 3000};

  void SetUp() override { clock.advance(TimePoint{1000s}); }

  // Delivers what `from` sent (since index `start`) to the devices by NBMA.
  std::size_t deliver(FakeIo &from, Ip4 src, std::size_t start = 0) {
    std::size_t n = 0;
    for (std::size_t i = start; i < from.sent.size(); ++i, ++n) {
      auto s = from.sent[i];
      for (Device *d : {&hub, &s1, &s2})
        if (d->self().nbma == s.to)
          d->on_frame(src, s.bytes);
    }
    return n;
  }

  void register_spoke(Device &s, FakeIo &io) {
    s.update(info(DMVPN_ROLE_SPOKE, s.self().nbma.str().c_str()), s.proto(),
             {hub_nhs()});
    std::size_t h = hub_io.sent.size();
    deliver(io, s.self().nbma, io.sent.size() - 1);
    deliver(hub_io, hub.self().nbma, h);
  }
};

TEST_F(Cloud, SpokeRegisters) {
  s1.update(info(DMVPN_ROLE_SPOKE, "198.51.100.5"), ip("192.0.2.11"),
            {hub_nhs()});
  ASSERT_EQ(s1_io.sent.size(), 1u);
  auto req = s1_io.sent[0].packet();
  EXPECT_EQ(s1_io.sent[0].to, ip("198.51.100.1"));
  EXPECT_EQ(req.type(), nhrp::PacketType::registration_request);
  EXPECT_EQ(req.mandatory()->flags, 0x8002);
  // The NHS entry and its multicast mapping are installed.
  ASSERT_TRUE(s1_io.cache.count(ip("192.0.2.1")));
  EXPECT_EQ(s1_io.cache[ip("192.0.2.1")].flags, DMVPN_F_NHS);
  EXPECT_EQ(s1_io.cache[ip("192.0.2.1")].type, DMVPN_ENTRY_STATIC);
  ASSERT_EQ(s1_io.mcast.size(), 1u);

  deliver(s1_io, ip("198.51.100.5"));
  ASSERT_TRUE(hub_io.cache.count(ip("192.0.2.11")));
  const auto &e = hub_io.cache[ip("192.0.2.11")];
  EXPECT_EQ(e.type, DMVPN_ENTRY_DYNAMIC);
  EXPECT_EQ(e.flags, DMVPN_F_REGISTERED | DMVPN_F_UNIQUE);
  EXPECT_EQ(e.nbma, ip("198.51.100.5"));
  EXPECT_EQ(e.expires, 30u);
  ASSERT_EQ(hub_io.sent.size(), 1u);
  EXPECT_EQ(hub_io.sent[0].to, ip("198.51.100.5"));

  deliver(hub_io, ip("198.51.100.1"));
  ASSERT_FALSE(s1_io.published.empty());
  EXPECT_EQ(s1_io.published.back().state, DMVPN_NHS_STATE_UP);
  EXPECT_EQ(s1_io.published.back().replies, 1u);
  EXPECT_FALSE(s1_io.published.back().nat);

  // Refresh at holdtime / 3 (up to 10% early) with a new request id.
  clock.advance(clock.now() + 8900ms);
  EXPECT_EQ(s1_io.sent.size(), 1u);
  clock.advance(clock.now() + 1100ms);
  ASSERT_EQ(s1_io.sent.size(), 2u);
  EXPECT_NE(s1_io.sent[1].packet().mandatory()->request_id,
            req.mandatory()->request_id);
}

// The daemon asks, for each frame, whether it goes to a server (an SA
// charon brings by itself). A configuration change restarts the clients
// while the server list is rebuilt: what they send then must find them.
TEST_F(Cloud, FramesOfRestartingClientsGoToServers) {
  s1.update(info(DMVPN_ROLE_SPOKE, "198.51.100.5"), ip("192.0.2.11"),
            {hub_nhs()});
  std::vector<std::pair<Ip4, bool>> seen;
  s1_io.on_send = [&](Ip4 to) { seen.emplace_back(to, s1.from_nhs(to)); };
  NhsConfig second;
  second.nbma = ip("198.51.100.77");
  second.proto = ip("192.0.2.2");
  auto changed = info(DMVPN_ROLE_SPOKE, "198.51.100.5");
  changed.config.holdtime = 30;
  s1.update(changed, ip("192.0.2.11"), {hub_nhs(), second});
  ASSERT_FALSE(seen.empty());
  for (const auto &[to, server] : seen)
    EXPECT_TRUE(server) << to.str();
}

TEST_F(Cloud, RetransmitBackoffThenDown) {
  s1.update(info(DMVPN_ROLE_SPOKE, "198.51.100.5"), ip("192.0.2.11"),
            {hub_nhs()});
  std::vector<double> at;
  auto t0 = clock.now();
  for (int i = 0; i < 2000; ++i) {
    std::size_t before = s1_io.sent.size();
    clock.advance(clock.now() + 100ms);
    if (s1_io.sent.size() != before)
      at.push_back(std::chrono::duration<double>(clock.now() - t0).count());
  }
  // 1, 2, 4, ... s apart, capped at 64, each up to 10% shorter (jitter).
  ASSERT_GE(at.size(), 7u);
  double prev = 0, want = 1;
  for (std::size_t i = 0; i < 7; ++i) {
    EXPECT_LE(at[i] - prev, want + 0.11) << i;
    EXPECT_GE(at[i] - prev, want * 0.9 - 0.11) << i;
    prev = at[i];
    want = std::min(want * 2, 64.0);
  }
  // Same request id on every retransmission.
  for (const auto &s : s1_io.sent)
    EXPECT_EQ(s.packet().mandatory()->request_id,
              s1_io.sent[0].packet().mandatory()->request_id);
  EXPECT_EQ(s1_io.published.back().state, DMVPN_NHS_STATE_DOWN);
  EXPECT_EQ(s1_io.published.front().state, DMVPN_NHS_STATE_REGISTERING);
}

TEST_F(Cloud, AuthMismatchRefused) {
  Device hub_auth{info(DMVPN_ROLE_HUB, "198.51.100.1", "right"),
                  ip("192.0.2.1"), clock, hub_io, 1000};
  auto s = info(DMVPN_ROLE_SPOKE, "198.51.100.5", "wrong");
  s1.update(s, ip("192.0.2.11"), {hub_nhs()});
  hub_auth.on_frame(ip("198.51.100.5"), s1_io.sent[0].bytes);
  EXPECT_TRUE(hub_io.cache.empty());
  EXPECT_EQ(hub_auth.counters().auth_failures, 1u);
  ASSERT_EQ(hub_io.sent.size(), 1u);
  auto ei = hub_io.sent[0].packet();
  EXPECT_EQ(ei.type(), nhrp::PacketType::error_indication);
  EXPECT_EQ(std::get<nhrp::ErrorIndication>(ei.body).code, 11);
  // The spoke counts the error against its request.
  s1.on_frame(ip("198.51.100.1"), hub_io.sent[0].bytes);
  EXPECT_EQ(s1_io.published.back().state, DMVPN_NHS_STATE_DOWN);
  EXPECT_GE(s1_io.published.back().failures, 1u);
}

TEST_F(Cloud, UniqueClaimRefusedWithCode14) {
  register_spoke(s1, s1_io);
  // s2 claims s1's address.
  Device thief{info(DMVPN_ROLE_SPOKE, "198.51.100.9"), ip("192.0.2.11"), clock,
               s2_io, 3000};
  thief.update(info(DMVPN_ROLE_SPOKE, "198.51.100.9"), ip("192.0.2.11"),
               {hub_nhs()});
  std::size_t h = hub_io.sent.size();
  hub.on_frame(ip("198.51.100.9"), s2_io.sent.back().bytes);
  EXPECT_EQ(hub_io.cache[ip("192.0.2.11")].nbma, ip("198.51.100.5"));
  ASSERT_EQ(hub_io.sent.size(), h + 1);
  EXPECT_EQ(hub_io.sent.back().packet().mandatory()->cies[0].code, 14);
  thief.on_frame(ip("198.51.100.1"), hub_io.sent.back().bytes);
  EXPECT_EQ(s2_io.published.back().state, DMVPN_NHS_STATE_DOWN);
  EXPECT_EQ(s2_io.published.back().last_code, 14);
}

TEST_F(Cloud, NatDetected) {
  s1.update(info(DMVPN_ROLE_SPOKE, "198.51.100.5"), ip("192.0.2.11"),
            {hub_nhs()});
  hub.on_frame(ip("203.0.113.50"), s1_io.sent[0].bytes);
  const auto &e = hub_io.cache[ip("192.0.2.11")];
  EXPECT_EQ(e.nbma, ip("203.0.113.50"));
  EXPECT_TRUE(e.flags & DMVPN_F_NAT);
  EXPECT_EQ(hub_io.sent.back().to, ip("203.0.113.50"));
  s1.on_frame(ip("198.51.100.1"), hub_io.sent.back().bytes);
  EXPECT_EQ(s1_io.published.back().state, DMVPN_NHS_STATE_UP);
  EXPECT_TRUE(s1_io.published.back().nat);
}

TEST_F(Cloud, LearnsNhsProtocolAddress) {
  NhsConfig n;
  n.nbma = ip("198.51.100.1");
  s1.update(info(DMVPN_ROLE_SPOKE, "198.51.100.5"), ip("192.0.2.11"), {n});
  // Unknown NHS address: ask for our own.
  EXPECT_EQ(Ip4::from_bytes(s1_io.sent[0].packet().dst_proto),
            ip("192.0.2.11"));
  EXPECT_TRUE(s1_io.cache.empty());
  deliver(s1_io, ip("198.51.100.5"));
  deliver(hub_io, ip("198.51.100.1"));
  ASSERT_TRUE(s1_io.cache.count(ip("192.0.2.1")));
  EXPECT_EQ(s1.nhs()[0]->proto(), ip("192.0.2.1"));
}

NhsConfig named_nhs() {
  NhsConfig n;
  n.fqdn = "hub.example.net";
  n.proto = ip("192.0.2.1");
  return n;
}

std::size_t sent_to(const FakeIo &io, const char *nbma) {
  return static_cast<std::size_t>(
      std::count_if(io.sent.begin(), io.sent.end(),
                    [&](const Sent &s) { return s.to == ip(nbma); }));
}

TEST_F(Cloud, NamedNhsLookupBlocksNothing) {
  NhsConfig second;
  second.nbma = ip("198.51.100.2");
  second.proto = ip("192.0.2.2");
  s1.update(info(DMVPN_ROLE_SPOKE, "198.51.100.5"), ip("192.0.2.11"),
            {named_nhs(), second});
  // The other server is asked while the name is being looked up.
  ASSERT_EQ(s1_io.lookups.size(), 1u);
  EXPECT_EQ(s1_io.lookups[0].first, "hub.example.net");
  EXPECT_EQ(sent_to(s1_io, "198.51.100.2"), 1u);
  // Its retransmissions go on; the pending lookup is not started again.
  for (int i = 0; i < 4; ++i)
    clock.advance(clock.now() + 1s);
  EXPECT_EQ(sent_to(s1_io, "198.51.100.2"), 3u); // at 0, 1 and 3 s
  EXPECT_EQ(s1_io.lookups.size(), 1u);

  s1_io.answer_lookup({ip("198.51.100.1"), {}});
  ASSERT_EQ(sent_to(s1_io, "198.51.100.1"), 1u);
  EXPECT_EQ(s1_io.cache[ip("192.0.2.1")].nbma, ip("198.51.100.1"));
  deliver(s1_io, ip("198.51.100.5"));
  deliver(hub_io, ip("198.51.100.1"));
  EXPECT_TRUE(hub_io.cache.count(ip("192.0.2.11")));
  EXPECT_TRUE(s1.nhs()[0]->up());
  EXPECT_EQ(s1.nhs()[0]->status().cur_nbma, ip("198.51.100.1"));
}

TEST_F(Cloud, NamedNhsLookupFailureBacksOff) {
  s1.update(info(DMVPN_ROLE_SPOKE, "198.51.100.5"), ip("192.0.2.11"),
            {named_nhs()});
  s1_io.answer_lookup({std::nullopt, "Name or service not known"});
  EXPECT_TRUE(s1_io.sent.empty());
  ASSERT_FALSE(s1_io.published.empty());
  EXPECT_EQ(s1_io.published.back().failures, 1u);
  EXPECT_TRUE(s1_io.lookups.empty());
  clock.advance(clock.now() + 1s);
  ASSERT_EQ(s1_io.lookups.size(), 1u);
  s1_io.answer_lookup({ip("198.51.100.1"), {}});
  EXPECT_EQ(sent_to(s1_io, "198.51.100.1"), 1u);
}

TEST_F(Cloud, RemovedNhsIgnoresItsLookup) {
  s1.update(info(DMVPN_ROLE_SPOKE, "198.51.100.5"), ip("192.0.2.11"),
            {named_nhs()});
  s1.update(info(DMVPN_ROLE_SPOKE, "198.51.100.5"), ip("192.0.2.11"), {});
  ASSERT_EQ(s1_io.lookups.size(), 1u);
  s1_io.answer_lookup({ip("198.51.100.1"), {}});
  EXPECT_TRUE(s1_io.sent.empty());
  EXPECT_TRUE(s1_io.cache.empty());
}

TEST_F(Cloud, ResolutionViaHub) {
  register_spoke(s1, s1_io);
  register_spoke(s2, s2_io);
  ASSERT_NE(s1.preferred_nhs(), nullptr);
  std::size_t n = s1_io.sent.size();
  s1.on_miss(ip("192.0.2.12"));
  EXPECT_EQ(s1_io.cache[ip("192.0.2.12")].type, DMVPN_ENTRY_INCOMPLETE);
  ASSERT_EQ(s1_io.sent.size(), n + 1);
  auto req = s1_io.sent.back().packet();
  EXPECT_EQ(req.type(), nhrp::PacketType::resolution_request);
  EXPECT_EQ(s1_io.sent.back().to, ip("198.51.100.1"));
  // A second MISS while pending sends nothing.
  s1.on_miss(ip("192.0.2.12"));
  EXPECT_EQ(s1_io.sent.size(), n + 1);

  std::size_t h = hub_io.sent.size();
  deliver(s1_io, ip("198.51.100.5"), n);
  ASSERT_EQ(hub_io.sent.size(), h + 1);
  auto rep = hub_io.sent.back().packet();
  EXPECT_EQ(rep.type(), nhrp::PacketType::resolution_reply);
  EXPECT_EQ(rep.mandatory()->request_id, req.mandatory()->request_id);
  deliver(hub_io, ip("198.51.100.1"), h);
  const auto &e = s1_io.cache[ip("192.0.2.12")];
  EXPECT_EQ(e.type, DMVPN_ENTRY_DYNAMIC);
  EXPECT_EQ(e.nbma, ip("198.51.100.9"));
  EXPECT_EQ(e.expires, 30u);
  // No NAT on either side: no greeting to the peer.
  EXPECT_NE(s1_io.sent.back().to, ip("198.51.100.9"));

  // Refresh 25 s later if used since; here it was.
  s1_io.cache[ip("192.0.2.12")].used = 1;
  auto resolutions = [&] {
    std::size_t k = 0;
    for (const auto &s : s1_io.sent)
      k += s.packet().type() == nhrp::PacketType::resolution_request;
    return k;
  };
  n = resolutions();
  clock.advance(clock.now() + 24s);
  EXPECT_EQ(resolutions(), n);
  clock.advance(clock.now() + 1s);
  EXPECT_EQ(resolutions(), n + 1);
  // The refresh does not downgrade the entry to INCOMPLETE.
  EXPECT_EQ(s1_io.cache[ip("192.0.2.12")].type, DMVPN_ENTRY_DYNAMIC);
}

TEST_F(Cloud, IdleEntryNotRefreshed) {
  register_spoke(s1, s1_io);
  register_spoke(s2, s2_io);
  std::size_t n = s1_io.sent.size();
  s1.on_miss(ip("192.0.2.12"));
  std::size_t h = hub_io.sent.size();
  deliver(s1_io, ip("198.51.100.5"), n);
  deliver(hub_io, ip("198.51.100.1"), h);
  s1_io.cache[ip("192.0.2.12")].used.reset(); // never used
  n = s1_io.sent.size();
  clock.advance(clock.now() + 25s);
  for (std::size_t i = n; i < s1_io.sent.size(); ++i)
    EXPECT_NE(s1_io.sent[i].packet().type(),
              nhrp::PacketType::resolution_request);
  EXPECT_FALSE(s1.resolver().pending(ip("192.0.2.12")));
}

TEST_F(Cloud, UnansweredResolutionGoesNegative) {
  register_spoke(s1, s1_io);
  std::size_t n = s1_io.sent.size();
  s1.on_miss(ip("192.0.2.77"));
  for (int i = 0; i < 8; ++i)
    clock.advance(clock.now() + 1s);
  std::size_t reqs = 0;
  for (std::size_t i = n; i < s1_io.sent.size(); ++i)
    reqs +=
        s1_io.sent[i].packet().type() == nhrp::PacketType::resolution_request;
  EXPECT_EQ(reqs, 4u);
  EXPECT_EQ(s1_io.cache[ip("192.0.2.77")].type, DMVPN_ENTRY_NEGATIVE);
  EXPECT_EQ(s1_io.cache[ip("192.0.2.77")].expires, 30u);
  EXPECT_FALSE(s1.resolver().pending(ip("192.0.2.77")));
}

TEST_F(Cloud, HubWithoutBindingAnswersCode12) {
  register_spoke(s1, s1_io);
  std::size_t n = s1_io.sent.size();
  s1.on_miss(ip("192.0.2.77"));
  std::size_t h = hub_io.sent.size();
  deliver(s1_io, ip("198.51.100.5"), n);
  ASSERT_EQ(hub_io.sent.size(), h + 1);
  EXPECT_EQ(hub_io.sent.back().packet().mandatory()->cies[0].code, 12);
  deliver(hub_io, ip("198.51.100.1"), h);
  EXPECT_EQ(s1_io.cache[ip("192.0.2.77")].type, DMVPN_ENTRY_NEGATIVE);
}

TEST_F(Cloud, SpokeAnswersRequestForItselfAndLearnsRequester) {
  RequestParams r;
  r.self = s1.self();
  r.dst_proto = ip("192.0.2.12");
  r.request_id = 99;
  r.flags = 0xc802;
  r.holdtime = 30;
  auto raw = *nhrp::encode(resolution_request(r));
  s2.update(info(DMVPN_ROLE_SPOKE, "198.51.100.9"), s2.proto(), {hub_nhs()});
  std::size_t n = s2_io.sent.size();
  // Forwarded by the hub: the outer source is the hub.
  s2.on_frame(ip("198.51.100.1"), raw);
  ASSERT_EQ(s2_io.sent.size(), n + 1);
  EXPECT_EQ(s2_io.sent[n].to, ip("198.51.100.5"));
  auto rep = s2_io.sent[n].packet();
  EXPECT_EQ(Ip4::from_bytes(rep.mandatory()->cies[0].nbma.addr),
            ip("198.51.100.9"));
  EXPECT_EQ(s2_io.cache[ip("192.0.2.11")].nbma, ip("198.51.100.5"));
}

TEST_F(Cloud, LoopDetectedIsError3) {
  register_spoke(s1, s1_io);
  RequestParams r;
  r.self = s1.self();
  r.dst_proto = ip("192.0.2.77");
  r.request_id = 5;
  auto p = resolution_request(r);
  std::get<nhrp::CieList>(p.find_extension(4)->value)
      .cies.push_back(binding_cie(hub.self()));
  std::size_t h = hub_io.sent.size();
  hub.on_frame(ip("198.51.100.5"), *nhrp::encode(p));
  ASSERT_EQ(hub_io.sent.size(), h + 1);
  auto ei = hub_io.sent.back().packet();
  EXPECT_EQ(std::get<nhrp::ErrorIndication>(ei.body).code, 3);
}

TEST_F(Cloud, PurgeDeletesAndReplies) {
  s1.update(info(DMVPN_ROLE_SPOKE, "198.51.100.5"), s1.proto(), {hub_nhs()});
  s1_io.sent.clear();
  KernelEntry learned{
      ip("192.0.2.12"), 32, ip("198.51.100.9"), DMVPN_ENTRY_DYNAMIC, 0, 20, 1};
  s1_io.cache[learned.proto] = learned;
  s1.on_entry_added(learned);
  RequestParams r;
  r.self = hub.self();
  r.dst_proto = ip("192.0.2.11");
  r.request_id = 42;
  auto p = resolution_request(r);
  p.header.type = 5;
  p.mandatory()->cies[0].proto = ip("192.0.2.12").bytes();
  s1.on_frame(ip("198.51.100.1"), *nhrp::encode(p));
  EXPECT_FALSE(s1_io.cache.count(ip("192.0.2.12")));
  ASSERT_EQ(s1_io.sent.size(), 1u);
  EXPECT_EQ(s1_io.sent[0].packet().type(), nhrp::PacketType::purge_reply);
}

TEST_F(Cloud, MalformedDroppedAndCounted) {
  std::vector<std::uint8_t> junk(30, 0xff);
  hub.on_frame(ip("198.51.100.5"), junk);
  std::uint64_t drops = 0;
  for (const auto &[k, v] : hub.counters().drops)
    drops += v;
  EXPECT_EQ(drops, 1u);
  EXPECT_TRUE(hub_io.sent.empty());
}

TEST_F(Cloud, UnknownCompulsoryExtensionGetsError1) {
  register_spoke(s1, s1_io);
  RequestParams r;
  r.self = s1.self();
  r.dst_proto = ip("192.0.2.77");
  r.request_id = 5;
  auto p = resolution_request(r);
  nhrp::Extension x;
  x.compulsory = true;
  x.type = 0x123;
  x.value = nhrp::RawValue{{1, 2, 3, 4}};
  p.extensions.insert(p.extensions.end() - 1, x);
  std::size_t h = hub_io.sent.size();
  hub.on_frame(ip("198.51.100.5"), *nhrp::encode(p));
  ASSERT_EQ(hub_io.sent.size(), h + 1);
  EXPECT_EQ(
      std::get<nhrp::ErrorIndication>(hub_io.sent.back().packet().body).code,
      1);
}

} // namespace
} // namespace dmvpnd::test

namespace dmvpnd::test {
namespace {

TEST_F(Cloud, RestartAdoptsResolvedEntries) {
  register_spoke(s1, s1_io);
  KernelEntry e{
      ip("192.0.2.12"), 32, ip("198.51.100.9"), DMVPN_ENTRY_DYNAMIC, 0, 12, 1};
  s1_io.cache[e.proto] = e;
  s1.adopt({e});
  EXPECT_TRUE(s1.resolver().pending(e.proto));
  std::size_t n = s1_io.sent.size();
  clock.advance(clock.now() + 7s); // 12 s left - 5 s of lead
  bool asked = false;
  for (std::size_t i = n; i < s1_io.sent.size(); ++i)
    asked |=
        s1_io.sent[i].packet().type() == nhrp::PacketType::resolution_request;
  EXPECT_TRUE(asked);
}

} // namespace
} // namespace dmvpnd::test
