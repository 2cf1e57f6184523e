// SPDX-License-Identifier: GPL-2.0
// Every NHRP packet of the real captures decodes and re-encodes identically,
// whether GRE carries it (protocol 0x2001) or IPv4 does (protocol 54).
#include <gtest/gtest.h>
#include <pcap/pcap.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <unistd.h>

#include "nhrp/checksum.hpp"
#include "nhrp/codec.hpp"
#include "pcap_nhrp.hpp"
#include "test_util.hpp"

using namespace nhrp;
using nhrp::testing::CaptureNhrp;
using nhrp::testing::Carrier;

namespace {

struct Tally {
  std::size_t decoded = 0, identical = 0, rejected = 0;
};

struct Tallies {
  Tally gre, ip;
  Tally &operator[](Carrier c) { return c == Carrier::gre ? gre : ip; }
};

// Decoding or re-encoding failures fail the test; frames the reader could
// not extract (IPv4 fragments, packets cut by the capture) are rejected
// with their reason but are no codec failure.
void round_trip(const std::string &file, const CaptureNhrp &cap, Tallies &t) {
  for (const auto &r : cap.rejected) {
    ++t[r.carrier].rejected;
    std::printf("%s frame %zu: NHRP rejected: %s\n", file.c_str(), r.frame,
                r.reason.c_str());
  }
  for (const auto &payload : cap.payloads) {
    const Bytes &raw = payload.bytes;
    Tally &tally = t[payload.carrier];
    auto p = decode(raw);
    if (!p) {
      ++tally.rejected;
      ADD_FAILURE() << file << " frame " << payload.frame << ": "
                    << p.error().message;
      continue;
    }
    ++tally.decoded;
    EXPECT_TRUE(checksum_ok(raw)) << file << " frame " << payload.frame;
    auto bytes = encode(*p, ChecksumMode::keep);
    ASSERT_TRUE(bytes.ok()) << bytes.error().message;
    auto computed = encode(*p);
    ASSERT_TRUE(computed.ok());
    if (*bytes == raw && *computed == raw)
      ++tally.identical;
    else
      ADD_FAILURE() << file << " frame " << payload.frame
                    << " re-encodes differently";
  }
}

// libpcap's own count of IP protocol 54 frames must match what the reader
// made of them: a capture with NHRP over IP cannot pass with none counted.
void expect_all_ip_nhrp_counted(const std::string &file,
                                const CaptureNhrp &cap) {
  std::string error;
  auto expected = nhrp::testing::count_ip_proto_54(file, error);
  ASSERT_TRUE(expected) << file << ": " << error;
  std::size_t got = 0;
  for (const auto &p : cap.payloads)
    got += p.carrier == Carrier::ip;
  for (const auto &r : cap.rejected)
    got += r.carrier == Carrier::ip;
  EXPECT_EQ(got, *expected) << file << ": IP protocol 54 frames";
}

void print(const char *what, Tallies &t) {
  for (Carrier c : {Carrier::gre, Carrier::ip})
    std::printf("%s: NHRP over %s: %zu decoded, %zu re-encoded identically, "
                "%zu rejected\n",
                what, c == Carrier::gre ? "GRE" : "IP", t[c].decoded,
                t[c].identical, t[c].rejected);
}

// Frames for a capture of our own: Ethernet, optional 802.1Q tag, IPv4.
Bytes ipv4_frame(std::uint8_t proto, const Bytes &payload, bool vlan = false,
                 const Bytes &options = {}, std::uint16_t frag = 0,
                 std::size_t trailer = 0) {
  Bytes f = {0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2};
  if (vlan)
    f.insert(f.end(), {0x81, 0x00, 0x00, 0x2a});
  f.insert(f.end(), {0x08, 0x00});
  const std::size_t ip_at = f.size();
  const std::size_t hlen = 20 + options.size();
  const std::size_t total = hlen + payload.size();
  auto u8 = [](std::size_t v) { return static_cast<std::uint8_t>(v); };
  f.insert(f.end(), {u8(0x40 | hlen / 4), 0, u8(total >> 8), u8(total), 0x12,
                     0x34, u8(frag >> 8), u8(frag), 64, proto, 0, 0});
  f.insert(f.end(), {198, 51, 100, 5, 198, 51, 100, 1});
  f.insert(f.end(), options.begin(), options.end());
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i < hlen; i += 2)
    sum += static_cast<std::uint32_t>(f[ip_at + i] << 8 | f[ip_at + i + 1]);
  while (sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);
  f[ip_at + 10] = static_cast<std::uint8_t>(~sum >> 8);
  f[ip_at + 11] = static_cast<std::uint8_t>(~sum);
  f.insert(f.end(), payload.begin(), payload.end());
  f.insert(f.end(), trailer, 0);
  return f;
}

struct PcapClose {
  void operator()(pcap_t *p) const { pcap_close(p); }
};
struct DumperClose {
  void operator()(pcap_dumper_t *d) const { pcap_dump_close(d); }
};

} // namespace

TEST(Captures, RoundTrip) {
  auto dir = nhrp::testing::captures_dir();
  if (!dir)
    GTEST_SKIP() << "capture directory not found: DMVPN_CAPTURES is unset "
                    "or not a directory, and ../shared/testdata/nhrp "
                    "relative to the repository root does not exist";
  auto files = nhrp::testing::capture_files(*dir);
  if (files.empty())
    GTEST_SKIP() << "no .pcap/.pcapng files in " << *dir;

  Tallies t;
  for (const auto &file : files) {
    auto cap = nhrp::testing::read_capture(file);
    ASSERT_TRUE(cap.error.empty()) << file << ": " << cap.error;
    expect_all_ip_nhrp_counted(file, cap);
    round_trip(file, cap, t);
  }
  EXPECT_GT(t.gre.decoded + t.ip.decoded, 0u);
  print("captures", t);
}

// No capture of ../shared/testdata/nhrp carries NHRP directly in IP, so
// this test writes one: codec-encoded packets in IPv4 protocol 54 (plain;
// behind an 802.1Q tag with IP options and an Ethernet trailer; fragmented;
// cut short by the capture), one in GRE and a frame that is no NHRP.
// NHRP_KEEP_CAPTURE=FILE keeps it (to compare with tshark -V).
TEST(Captures, NhrpOverIp) {
  using namespace nhrp::testing;
  Packet req = base_packet(PacketType::registration_request);
  req.body = Mandatory{flags::reg_u | flags::cisco_nat, 7, {host_cie({}, {})}};
  req.extensions = {cie_list_extension(ext::responder_address),
                    authentication_extension({'D', 'M', 'V', 'P', 'N'}),
                    end_extension()};
  Packet rep = req;
  rep.header.type = static_cast<std::uint8_t>(PacketType::registration_reply);
  auto a = encode(req), b = encode(rep);
  ASSERT_TRUE(a.ok() && b.ok());
  const Bytes router_alert = {0x94, 0x04, 0x00, 0x00, 0x01, 0x01, 0x01, 0x00};
  const Bytes half(a->begin(), a->begin() + 24);
  const Bytes rest(a->begin() + 24, a->end());
  const Bytes gre = [&] {
    Bytes g = {0x20, 0x00, 0x20, 0x01, 0, 0, 0, 42};
    g.insert(g.end(), b->begin(), b->end());
    return g;
  }();
  const Bytes udp = {0x01, 0xf4, 0x01, 0xf4, 0x00, 0x08, 0x00, 0x00};
  struct Frame {
    Bytes bytes;
    std::size_t cut = 0; // bytes the capture left off
  };
  const Frame frames[] = {
      {ipv4_frame(54, *a)},                           // 1 decoded
      {ipv4_frame(54, *b, true, router_alert, 0, 6)}, // 2 decoded
      {ipv4_frame(54, half, false, {}, 0x2000)},      // 3 MF
      {ipv4_frame(54, rest, false, {}, 24 / 8)},      // 4 offset 24
      {ipv4_frame(54, *a), 10},                       // 5 snaplen
      {ipv4_frame(47, gre, true)},                    // 6 GRE
      {ipv4_frame(17, udp)},                          // 7 not NHRP
  };

  const char *keep = std::getenv("NHRP_KEEP_CAPTURE");
  const std::string path = keep && *keep
                               ? std::string(keep)
                               : ::testing::TempDir() + "nhrp_over_ip-" +
                                     std::to_string(getpid()) + ".pcap";
  {
    std::unique_ptr<pcap_t, PcapClose> dead(pcap_open_dead(DLT_EN10MB, 65535));
    ASSERT_TRUE(dead);
    std::unique_ptr<pcap_dumper_t, DumperClose> dump(
        pcap_dump_open(dead.get(), path.c_str()));
    ASSERT_TRUE(dump) << pcap_geterr(dead.get());
    for (const auto &f : frames) {
      pcap_pkthdr h{};
      h.len = static_cast<bpf_u_int32>(f.bytes.size());
      h.caplen = static_cast<bpf_u_int32>(f.bytes.size() - f.cut);
      pcap_dump(reinterpret_cast<u_char *>(dump.get()), &h, f.bytes.data());
    }
  }
  auto cap = read_capture(path);
  expect_all_ip_nhrp_counted(path, cap);
  std::string error;
  EXPECT_EQ(count_ip_proto_54(path, error), 5u) << error;
  if (!keep || !*keep)
    std::filesystem::remove(path);
  ASSERT_TRUE(cap.error.empty()) << cap.error;

  EXPECT_EQ(cap.frames, 7u);
  EXPECT_EQ(cap.skipped, 1u);
  ASSERT_EQ(cap.payloads.size(), 3u);
  EXPECT_EQ(cap.payloads[0].carrier, Carrier::ip);
  EXPECT_EQ(cap.payloads[0].bytes, *a);
  EXPECT_EQ(cap.payloads[1].carrier, Carrier::ip);
  EXPECT_EQ(cap.payloads[1].bytes, *b); // options skipped, trailer cut off
  EXPECT_EQ(cap.payloads[2].carrier, Carrier::gre);
  EXPECT_EQ(cap.payloads[2].bytes, *b);
  ASSERT_EQ(cap.rejected.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(cap.rejected[i].carrier, Carrier::ip);
    EXPECT_EQ(cap.rejected[i].frame, i + 3);
  }
  EXPECT_EQ(cap.rejected[0].reason, "IPv4 fragment, not reassembled");
  EXPECT_EQ(cap.rejected[1].reason, "IPv4 fragment, not reassembled");
  EXPECT_EQ(cap.rejected[2].reason, "IPv4 packet cut by the capture");

  Tallies t;
  round_trip("generated capture", cap, t);
  EXPECT_EQ(t.ip.decoded, 2u);
  EXPECT_EQ(t.ip.identical, 2u);
  EXPECT_EQ(t.ip.rejected, 3u);
  EXPECT_EQ(t.gre.decoded, 1u);
  print("generated capture", t);
}
