// SPDX-License-Identifier: GPL-2.0
// dmvpnd: the NHRP daemon for dmvpn devices.
#include <getopt.h>
#include <malloc.h>
#include <unistd.h>

#include <cstdio>
#include <exception>
#include <fstream>
#include <string>

#include "daemon.hpp"
#include "instance_lock.hpp"
#include "log.hpp"
#include "privileges.hpp"

#ifndef DMVPND_VERSION
#define DMVPND_VERSION "1.0"
#endif

namespace {

void usage(FILE *out) {
  std::fputs(
      "Usage: dmvpnd [--log-level debug|info|notice|warning|error]\n"
      "              [--dev NAME]... [--pid-file FILE] [--user NAME]\n"
      "              [--vici SOCKET [--ike-dynamic CONNECTION]]\n"
      "              [--version] [--help]\n"
      "Runs NHRP (registration, resolution) for dmvpn devices whose NHRP\n"
      "configuration (ip dmvpn config set) has a network-id and a role.\n"
      "Once its sockets are open it keeps only CAP_NET_ADMIN and\n"
      "CAP_NET_RAW; --user also switches to that user. One dmvpnd per\n"
      "network namespace; IPv4 underlay and tunnel addresses only.\n"
      "--vici follows charon (strongSwan) for devices with protect\n"
      "require: NHRP waits for a peer's SA, and the IKE_SAs of the\n"
      "on-demand connection (--ike-dynamic, default dmvpn) go when no\n"
      "entry leads to their peer.\n",
      out);
}

class PidFile {
public:
  explicit PidFile(std::string path) : path_(std::move(path)) {
    if (path_.empty())
      return;
    std::ofstream f(path_);
    f << getpid() << '\n';
    if (!f)
      throw std::runtime_error("cannot write pid file " + path_);
  }
  PidFile(const PidFile &) = delete;
  PidFile &operator=(const PidFile &) = delete;
  ~PidFile() {
    if (!path_.empty())
      unlink(path_.c_str());
  }

private:
  std::string path_;
};

} // namespace

int main(int argc, char **argv) {
  // A busy hub allocates and frees per packet: keep freed memory rather
  // than hand it back to the kernel and fault it in again.
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
  mallopt(M_MMAP_THRESHOLD, 4 << 20);
  static const option longopts[] = {
      {"log-level", required_argument, nullptr, 'l'},
      {"dev", required_argument, nullptr, 'd'},
      {"pid-file", required_argument, nullptr, 'p'},
      {"user", required_argument, nullptr, 'u'},
      {"vici", required_argument, nullptr, 'v'},
      {"ike-dynamic", required_argument, nullptr, 'i'},
      {"version", no_argument, nullptr, 'V'},
      {"help", no_argument, nullptr, 'h'},
      {nullptr, 0, nullptr, 0},
  };
  dmvpnd::Options opts;
  std::string pid_file;
  std::string user;
  int c;
  while ((c = getopt_long(argc, argv, "l:d:p:u:v:i:Vh", longopts, nullptr)) !=
         -1) {
    switch (c) {
    case 'l': {
      auto level = dmvpnd::parse_level(optarg);
      if (!level) {
        std::fprintf(stderr, "dmvpnd: unknown log level '%s'\n", optarg);
        return 2;
      }
      dmvpnd::set_log_level(*level);
      break;
    }
    case 'd':
      opts.devices.insert(optarg);
      break;
    case 'p':
      pid_file = optarg;
      break;
    case 'u':
      user = optarg;
      break;
    case 'v':
      opts.ipsec.vici = optarg;
      break;
    case 'i':
      opts.ipsec.dynamic = optarg;
      break;
    case 'V':
      std::printf("dmvpnd %s\n", DMVPND_VERSION);
      return 0;
    case 'h':
      usage(stdout);
      return 0;
    default:
      usage(stderr);
      return 2;
    }
  }
  if (optind != argc) {
    usage(stderr);
    return 2;
  }
  try {
    // First: a second daemon must not touch anything.
    dmvpnd::InstanceLock lock;
    dmvpnd::Daemon daemon(std::move(opts));
    PidFile pid(pid_file);
    dmvpnd::drop_privileges(user);
    return daemon.run();
  } catch (const dmvpnd::AlreadyRunning &e) {
    std::fprintf(stderr, "dmvpnd: %s\n", e.what());
    return 1;
  } catch (const std::exception &e) {
    dmvpnd::log(dmvpnd::Level::error, "{}", e.what());
    return 1;
  }
}
