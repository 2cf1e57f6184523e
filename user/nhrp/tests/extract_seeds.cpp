// SPDX-License-Identifier: GPL-2.0
// Writes the NHRP payloads of the captures as fuzzer seeds into a directory.
#include <cstdio>
#include <fstream>
#include <string>

#include "pcap_nhrp.hpp"

int main(int argc, char **argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUTDIR\n", argv[0]);
    return 2;
  }
  auto dir = nhrp::testing::captures_dir();
  if (!dir) {
    std::printf("extract_seeds: no capture directory, no seeds\n");
    return 0;
  }
  std::size_t n = 0;
  for (const auto &file : nhrp::testing::capture_files(*dir)) {
    auto cap = nhrp::testing::read_capture(file);
    for (const auto &p : cap.payloads) {
      std::ofstream out(std::string(argv[1]) + "/seed-" + std::to_string(n++),
                        std::ios::binary);
      out.write(reinterpret_cast<const char *>(p.bytes.data()),
                static_cast<std::streamsize>(p.bytes.size()));
    }
  }
  std::printf("extract_seeds: %zu seeds\n", n);
  return 0;
}
