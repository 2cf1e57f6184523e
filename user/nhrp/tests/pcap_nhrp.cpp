// SPDX-License-Identifier: GPL-2.0
#include "pcap_nhrp.hpp"

#include <pcap/pcap.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <span>

#ifndef NHRP_REPO_FROM_BIN
#define NHRP_REPO_FROM_BIN "../../.."
#endif

namespace nhrp::testing {
namespace {

namespace fs = std::filesystem;

using Span = std::span<const std::uint8_t>;

std::uint16_t be16(Span d, std::size_t at) {
  return static_cast<std::uint16_t>(d[at] << 8 | d[at + 1]);
}

constexpr std::uint8_t ip_proto_gre = 47;
constexpr std::uint8_t ip_proto_nhrp = 54; // RFC 2332 section 5

// What an IPv4 packet holds: nothing for us (nullopt), an NHRP message, or
// NHRP the reader cannot extract (reason set).
struct Extracted {
  Carrier carrier;
  Span nhrp;
  const char *reason = nullptr;
};

// The NHRP message of a GRE payload (protocol 0x2001), if it is one.
std::optional<Span> nhrp_in_gre(Span gre) {
  if (gre.size() < 4)
    return std::nullopt;
  const std::uint16_t flags = be16(gre, 0);
  if ((flags & 0x0007) != 0 || be16(gre, 2) != 0x2001)
    return std::nullopt;
  std::size_t hlen = 4;
  if (flags & 0x8000) // checksum + reserved
    hlen += 4;
  if (flags & 0x2000) // key
    hlen += 4;
  if (flags & 0x1000) // sequence
    hlen += 4;
  if (gre.size() < hlen)
    return std::nullopt;
  return gre.subspan(hlen);
}

std::optional<Extracted> nhrp_in_ipv4(Span ip) {
  if (ip.size() < 20 || (ip[0] >> 4) != 4)
    return std::nullopt;
  const std::size_t ihl = (ip[0] & 0x0f) * 4u; // options included
  const std::size_t total = be16(ip, 2);
  const bool bad_header = ihl < 20 || total < ihl;
  const bool fragment = (be16(ip, 6) & 0x3fff) != 0; // MF or an offset
  if (ip[9] == ip_proto_nhrp) {
    if (bad_header)
      return Extracted{Carrier::ip, {}, "IPv4 header length out of range"};
    if (fragment)
      return Extracted{Carrier::ip, {}, "IPv4 fragment, not reassembled"};
    if (total > ip.size())
      return Extracted{Carrier::ip, {}, "IPv4 packet cut by the capture"};
    return Extracted{Carrier::ip, ip.subspan(ihl, total - ihl)};
  }
  if (ip[9] != ip_proto_gre || bad_header || fragment || total > ip.size())
    return std::nullopt;
  auto nhrp = nhrp_in_gre(ip.subspan(ihl, total - ihl));
  if (!nhrp)
    return std::nullopt;
  return Extracted{Carrier::gre, *nhrp};
}

std::optional<Span> network_layer(int linktype, Span f) {
  std::size_t off = 0;
  std::uint16_t ethertype = 0;
  switch (linktype) {
  case DLT_EN10MB:
    if (f.size() < 14)
      return std::nullopt;
    ethertype = be16(f, 12);
    off = 14;
    while (ethertype == 0x8100 || ethertype == 0x88a8) {
      if (f.size() < off + 4)
        return std::nullopt;
      ethertype = be16(f, off + 2);
      off += 4;
    }
    break;
  case DLT_LINUX_SLL:
    if (f.size() < 16)
      return std::nullopt;
    ethertype = be16(f, 14);
    off = 16;
    break;
#ifdef DLT_LINUX_SLL2
  case DLT_LINUX_SLL2:
    if (f.size() < 20)
      return std::nullopt;
    ethertype = be16(f, 0);
    off = 20;
    break;
#endif
  case DLT_RAW:
#ifdef DLT_IPV4
  case DLT_IPV4:
#endif
    return f;
  default:
    return std::nullopt;
  }
  if (ethertype != 0x0800)
    return std::nullopt;
  return f.subspan(off);
}

struct PcapClose {
  void operator()(pcap_t *p) const { pcap_close(p); }
};

} // namespace

CaptureNhrp read_capture(const std::string &path) {
  CaptureNhrp out;
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  std::unique_ptr<pcap_t, PcapClose> pc(
      pcap_open_offline(path.c_str(), errbuf));
  if (!pc) {
    out.error = errbuf;
    return out;
  }
  const int linktype = pcap_datalink(pc.get());
  pcap_pkthdr *hdr = nullptr;
  const u_char *data = nullptr;
  int rc = 0;
  while ((rc = pcap_next_ex(pc.get(), &hdr, &data)) == 1) {
    ++out.frames;
    Span frame(data, hdr->caplen);
    auto ip = network_layer(linktype, frame);
    auto nhrp = ip ? nhrp_in_ipv4(*ip) : std::nullopt;
    if (!nhrp)
      ++out.skipped;
    else if (nhrp->reason)
      out.rejected.push_back({nhrp->carrier, out.frames, nhrp->reason});
    else
      out.payloads.push_back(
          {nhrp->carrier, out.frames, {nhrp->nhrp.begin(), nhrp->nhrp.end()}});
  }
  if (rc == -1)
    out.error = pcap_geterr(pc.get());
  return out;
}

std::optional<std::size_t> count_ip_proto_54(const std::string &path,
                                             std::string &error) {
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  std::unique_ptr<pcap_t, PcapClose> pc(
      pcap_open_offline(path.c_str(), errbuf));
  if (!pc) {
    error = errbuf;
    return std::nullopt;
  }
  // "vlan" moves the offsets of what follows it by one tag.
  const char *expr = pcap_datalink(pc.get()) == DLT_EN10MB
                         ? "ip proto 54 or (vlan and (ip proto 54 or "
                           "(vlan and ip proto 54)))"
                         : "ip proto 54";
  bpf_program prog{};
  if (pcap_compile(pc.get(), &prog, expr, 1, PCAP_NETMASK_UNKNOWN) != 0) {
    error = pcap_geterr(pc.get());
    return std::nullopt;
  }
  std::size_t n = 0;
  pcap_pkthdr *hdr = nullptr;
  const u_char *data = nullptr;
  int rc = 0;
  while ((rc = pcap_next_ex(pc.get(), &hdr, &data)) == 1)
    if (pcap_offline_filter(&prog, hdr, data))
      ++n;
  pcap_freecode(&prog);
  if (rc == -1) {
    error = pcap_geterr(pc.get());
    return std::nullopt;
  }
  return n;
}

std::optional<std::string> captures_dir() {
  if (const char *env = std::getenv("DMVPN_CAPTURES"); env && *env) {
    if (fs::is_directory(env))
      return std::string(env);
    return std::nullopt;
  }
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec)
    return std::nullopt;
  fs::path dir = exe.parent_path() / NHRP_REPO_FROM_BIN / ".." / "shared" /
                 "testdata" / "nhrp";
  if (!fs::is_directory(dir, ec))
    return std::nullopt;
  return fs::weakly_canonical(dir, ec).string();
}

std::vector<std::string> capture_files(const std::string &dir) {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto &e : fs::directory_iterator(dir, ec)) {
    const auto ext = e.path().extension();
    if (e.is_regular_file() && (ext == ".pcap" || ext == ".pcapng"))
      files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

} // namespace nhrp::testing
