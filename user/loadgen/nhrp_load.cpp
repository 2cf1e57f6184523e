// SPDX-License-Identifier: GPL-2.0
// nhrp-load: many simulated NHRP spokes registering with one hub.
//
// Each spoke i has NBMA address nbma-base + i and tunnel address
// proto-base + i. Requests go out through a raw IPv4 socket with the
// spoke's NBMA address as source (the caller routes those addresses back
// to this network namespace, e.g. `ip route add local BASE/LEN dev lo`),
// and replies come back on a raw GRE socket. At most `window` requests are
// unanswered at any time; an unanswered one is sent again (same request
// id) after `retry` ms. With --progress S, a line on stderr every S
// seconds says how far it got. The last line is machine-readable:
//   result count=N ok=N refused=N timeout=N seconds=S rate=R
#include <arpa/inet.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "nhrp/codec.hpp"
#include "nhrp/constants.hpp"
#include "nhrp/packet.hpp"

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  in_addr_t hub_nbma = 0; // network order
  in_addr_t hub_proto = 0;
  in_addr_t nbma_base = 0;
  in_addr_t proto_base = 0;
  std::optional<std::uint32_t> key;
  std::uint32_t count = 1000;
  std::uint32_t window = 512;
  std::uint16_t holdtime = 600;
  unsigned retry_ms = 1000;
  unsigned timeout_s = 120;
  unsigned progress_s = 0; // 0: no progress lines
  std::string auth;
  bool one_nbma = false; // every spoke behind one NBMA address: a flooder
};

class Fd {
public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd &) = delete;
  Fd &operator=(const Fd &) = delete;
  ~Fd() {
    if (fd_ >= 0)
      close(fd_);
  }
  int get() const { return fd_; }

private:
  int fd_;
};

[[noreturn]] void usage(int rc) {
  std::fputs("Usage: nhrp-load --hub NBMA --hub-proto ADDR --nbma-base ADDR\n"
             "                 --proto-base ADDR [--count N] [--key K]\n"
             "                 [--window N] [--holdtime S] [--retry MS]\n"
             "                 [--timeout S] [--auth STRING] [--one-nbma]\n"
             "                 [--progress S]\n",
             rc ? stderr : stdout);
  std::exit(rc);
}

in_addr_t parse_ip(const char *what, const char *text) {
  in_addr a{};
  if (inet_pton(AF_INET, text, &a) != 1) {
    std::fprintf(stderr, "nhrp-load: %s: not an IPv4 address: %s\n", what,
                 text);
    usage(2);
  }
  return a.s_addr;
}

unsigned long parse_num(const char *what, const char *text, unsigned long max) {
  char *end = nullptr;
  errno = 0;
  unsigned long v = std::strtoul(text, &end, 0);
  if (errno || !*text || *end || v > max) {
    std::fprintf(stderr, "nhrp-load: %s: bad number: %s\n", what, text);
    usage(2);
  }
  return v;
}

Options parse_options(int argc, char **argv) {
  static const option longopts[] = {
      {"hub", required_argument, nullptr, 'H'},
      {"hub-proto", required_argument, nullptr, 'P'},
      {"nbma-base", required_argument, nullptr, 'n'},
      {"proto-base", required_argument, nullptr, 'p'},
      {"count", required_argument, nullptr, 'c'},
      {"key", required_argument, nullptr, 'k'},
      {"window", required_argument, nullptr, 'w'},
      {"holdtime", required_argument, nullptr, 't'},
      {"retry", required_argument, nullptr, 'r'},
      {"timeout", required_argument, nullptr, 'T'},
      {"auth", required_argument, nullptr, 'a'},
      {"one-nbma", no_argument, nullptr, '1'},
      {"progress", required_argument, nullptr, 'g'},
      {"help", no_argument, nullptr, 'h'},
      {nullptr, 0, nullptr, 0},
  };
  Options o;
  int c;
  while ((c = getopt_long(argc, argv, "h", longopts, nullptr)) != -1) {
    switch (c) {
    case 'H':
      o.hub_nbma = parse_ip("--hub", optarg);
      break;
    case 'P':
      o.hub_proto = parse_ip("--hub-proto", optarg);
      break;
    case 'n':
      o.nbma_base = parse_ip("--nbma-base", optarg);
      break;
    case 'p':
      o.proto_base = parse_ip("--proto-base", optarg);
      break;
    case 'c':
      o.count = parse_num("--count", optarg, 1u << 24);
      break;
    case 'k':
      o.key = parse_num("--key", optarg, UINT32_MAX);
      break;
    case 'w':
      o.window = parse_num("--window", optarg, 1u << 20);
      break;
    case 't':
      o.holdtime = parse_num("--holdtime", optarg, 65535);
      break;
    case 'r':
      o.retry_ms = parse_num("--retry", optarg, 600000);
      break;
    case 'T':
      o.timeout_s = parse_num("--timeout", optarg, 86400);
      break;
    case '1':
      o.one_nbma = true;
      break;
    case 'g':
      o.progress_s = parse_num("--progress", optarg, 86400);
      break;
    case 'a':
      o.auth = optarg;
      if (o.auth.size() > 8) {
        std::fputs("nhrp-load: --auth: at most 8 bytes\n", stderr);
        usage(2);
      }
      break;
    case 'h':
      usage(0);
    default:
      usage(2);
    }
  }
  if (optind != argc || !o.hub_nbma || !o.hub_proto || !o.nbma_base ||
      !o.proto_base || !o.count || !o.window)
    usage(2);
  return o;
}

nhrp::Bytes addr_bytes(in_addr_t a) {
  const auto *p = reinterpret_cast<const std::uint8_t *>(&a);
  return nhrp::Bytes(p, p + 4);
}

in_addr_t nth(in_addr_t base, std::uint32_t i) {
  return htonl(ntohl(base) + i);
}

in_addr_t nbma_of(const Options &o, std::uint32_t i) {
  return o.one_nbma ? o.nbma_base : nth(o.nbma_base, i);
}

// The outer IPv4 + GRE headers and the NHRP registration request of
// spoke i, ready for a raw IP_HDRINCL socket.
nhrp::Bytes build_request(const Options &o, std::uint32_t i) {
  nhrp::Packet p;
  p.header.type =
      static_cast<std::uint8_t>(nhrp::PacketType::registration_request);
  p.src_nbma.addr = addr_bytes(nbma_of(o, i));
  p.src_proto = addr_bytes(nth(o.proto_base, i));
  p.dst_proto = addr_bytes(o.hub_proto);
  nhrp::Mandatory m;
  m.flags = nhrp::flags::reg_u | nhrp::flags::cisco_nat;
  m.request_id = i + 1;
  nhrp::Cie cie;
  cie.mtu = 1514;
  cie.holding_time = o.holdtime;
  m.cies.push_back(cie);
  p.body = m;
  p.extensions.push_back(
      nhrp::cie_list_extension(nhrp::ext::responder_address));
  p.extensions.push_back(
      nhrp::cie_list_extension(nhrp::ext::forward_transit_nhs));
  p.extensions.push_back(
      nhrp::cie_list_extension(nhrp::ext::reverse_transit_nhs));
  if (!o.auth.empty())
    p.extensions.push_back(nhrp::authentication_extension(
        nhrp::Bytes(o.auth.begin(), o.auth.end())));
  p.extensions.push_back(nhrp::end_extension());
  auto nhrp_bytes = nhrp::encode(p);
  if (!nhrp_bytes) {
    std::fputs("nhrp-load: cannot encode a request\n", stderr);
    std::exit(1);
  }

  const std::size_t gre_len = o.key ? 8 : 4;
  nhrp::Bytes out(sizeof(iphdr) + gre_len);
  iphdr ip{};
  ip.version = 4;
  ip.ihl = 5;
  ip.ttl = 64;
  ip.protocol = IPPROTO_GRE;
  ip.tot_len = htons(out.size() + nhrp_bytes->size());
  ip.saddr = nbma_of(o, i);
  ip.daddr = o.hub_nbma;
  std::memcpy(out.data(), &ip, sizeof(ip));
  std::uint8_t *gre = out.data() + sizeof(ip);
  gre[0] = o.key ? 0x20 : 0x00;
  gre[2] = 0x20;
  gre[3] = 0x01;
  if (o.key) {
    std::uint32_t k = htonl(*o.key);
    std::memcpy(gre + 4, &k, 4);
  }
  out.insert(out.end(), nhrp_bytes->begin(), nhrp_bytes->end());
  return out;
}

enum class Reply { none, ok, refused };

// A registration reply in a raw GRE datagram (IPv4 header included):
// the spoke index it answers and its verdict.
Reply parse_reply(std::span<const std::uint8_t> d, const Options &o,
                  std::uint32_t &index) {
  if (d.size() < sizeof(iphdr))
    return Reply::none;
  std::size_t off = (d[0] & 0x0f) * 4u;
  if (d.size() < off + 4)
    return Reply::none;
  std::uint16_t gflags = (d[off] << 8) | d[off + 1];
  std::uint16_t proto = (d[off + 2] << 8) | d[off + 3];
  if (proto != 0x2001 || (gflags & 0x0007))
    return Reply::none;
  off += 4;
  off += (gflags & 0x8000) ? 4 : 0;
  off += (gflags & 0x2000) ? 4 : 0;
  off += (gflags & 0x1000) ? 4 : 0;
  if (d.size() < off)
    return Reply::none;
  auto p = nhrp::decode(d.subspan(off));
  if (!p || p->type() != nhrp::PacketType::registration_reply)
    return Reply::none;
  const nhrp::Mandatory *m = p->mandatory();
  if (!m || m->request_id == 0 || m->request_id > o.count)
    return Reply::none;
  index = m->request_id - 1;
  // Another nhrp-load in this namespace (a flooder beside honest spokes)
  // uses the same ids: only replies to our own spoke's address count.
  in_addr_t daddr;
  std::memcpy(&daddr, d.data() + 16, sizeof(daddr));
  if (daddr != nbma_of(o, index))
    return Reply::none;
  for (const auto &cie : m->cies)
    if (cie.code != nhrp::cie_code::success)
      return Reply::refused;
  return m->cies.empty() ? Reply::refused : Reply::ok;
}

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

} // namespace

int main(int argc, char **argv) {
  const Options o = parse_options(argc, argv);

  Fd tx(socket(AF_INET, SOCK_RAW, IPPROTO_RAW));
  Fd rx(socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK, IPPROTO_GRE));
  if (tx.get() < 0 || rx.get() < 0) {
    std::perror("nhrp-load: raw socket");
    return 1;
  }
  int rcvbuf = 16 << 20;
  setsockopt(rx.get(), SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf));

  enum class State : std::uint8_t { idle, pending, ok, refused };
  std::vector<State> state(o.count, State::idle);
  std::vector<Clock::time_point> sent_at(o.count);
  std::deque<std::uint32_t> in_flight; // in send order
  std::uint32_t next = 0, outstanding = 0, ok = 0, refused = 0;
  std::uint64_t retransmits = 0;

  sockaddr_in hub{};
  hub.sin_family = AF_INET;
  hub.sin_addr.s_addr = o.hub_nbma;
  auto send_one = [&](std::uint32_t i) {
    const nhrp::Bytes pkt = build_request(o, i);
    if (sendto(tx.get(), pkt.data(), pkt.size(), 0,
               reinterpret_cast<const sockaddr *>(&hub), sizeof(hub)) < 0)
      return false;
    sent_at[i] = Clock::now();
    in_flight.push_back(i);
    return true;
  };

  const auto t0 = Clock::now();
  const auto retry = std::chrono::milliseconds(o.retry_ms);
  const auto progress = std::chrono::seconds(o.progress_s);
  auto next_progress = t0 + progress;
  std::uint32_t ok_before = 0;
  std::vector<std::uint8_t> buf(65536);
  while (ok + refused < o.count) {
    if (seconds_since(t0) > o.timeout_s)
      break;
    if (o.progress_s && Clock::now() >= next_progress) {
      next_progress += progress;
      std::fprintf(stderr,
                   "nhrp-load: t=%.0fs ok=%u (+%u/s) refused=%u "
                   "in-flight=%u retransmits=%llu\n",
                   seconds_since(t0), ok, (ok - ok_before) / o.progress_s,
                   refused, outstanding,
                   static_cast<unsigned long long>(retransmits));
      ok_before = ok;
    }
    while (outstanding < o.window && next < o.count) {
      if (!send_one(next))
        break; // socket buffer full: receive first
      state[next++] = State::pending;
      outstanding++;
    }
    while (!in_flight.empty()) {
      std::uint32_t i = in_flight.front();
      if (state[i] != State::pending) {
        in_flight.pop_front();
        continue;
      }
      if (Clock::now() - sent_at[i] < retry)
        break;
      in_flight.pop_front();
      if (send_one(i))
        retransmits++;
      else
        in_flight.push_front(i);
      break;
    }
    pollfd pfd{rx.get(), POLLIN, 0};
    poll(&pfd, 1, 5);
    for (;;) {
      ssize_t n = recv(rx.get(), buf.data(), buf.size(), 0);
      if (n <= 0)
        break;
      std::uint32_t i = 0;
      Reply r = parse_reply(
          std::span<const std::uint8_t>(buf.data(), static_cast<size_t>(n)),
          o, i);
      if (r == Reply::none || state[i] != State::pending)
        continue;
      state[i] = r == Reply::ok ? State::ok : State::refused;
      (r == Reply::ok ? ok : refused)++;
      outstanding--;
    }
  }
  const double secs = seconds_since(t0);
  const std::uint32_t timed_out = o.count - ok - refused;
  // Our own CPU time: a load generator that used its CPU up measured
  // itself, not the hub.
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto cpu = [](const timeval &tv) { return tv.tv_sec + tv.tv_usec / 1e6; };
  std::printf("registered %u/%u in %.3f s, %.0f regs/s (refused %u, "
              "unanswered %u, retransmits %llu, cpu user %.1f s sys %.1f s)\n",
              ok, o.count, secs, ok / secs, refused, timed_out,
              static_cast<unsigned long long>(retransmits), cpu(ru.ru_utime),
              cpu(ru.ru_stime));
  std::printf("result count=%u ok=%u refused=%u timeout=%u seconds=%.3f "
              "rate=%.1f\n",
              o.count, ok, refused, timed_out, secs, ok / secs);
  return ok == o.count ? 0 : 1;
}
