// SPDX-License-Identifier: GPL-2.0
// libFuzzer target: decode must never crash; whatever decodes must re-encode
// byte for byte (checksum kept), and decode again to the same model.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "nhrp/codec.hpp"

namespace {
void check(bool ok) {
  if (!ok)
    std::abort();
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data,
                                      std::size_t size) {
  std::span<const std::uint8_t> in(data, size);
  nhrp::DecodeOptions opt;
  opt.verify_checksum = false;
  opt.reject_unknown_compulsory = false;
  auto p = nhrp::decode(in, opt);
  if (!p) {
    check(!p.error().message.empty());
    return 0;
  }
  auto bytes = nhrp::encode(*p, nhrp::ChecksumMode::keep);
  check(bytes.ok());
  const std::size_t pktsz = static_cast<std::size_t>(in[10] << 8 | in[11]);
  check(bytes->size() == pktsz);
  check(std::equal(bytes->begin(), bytes->end(), in.begin()));
  auto again = nhrp::decode(*bytes, opt);
  check(again.ok() && *again == *p);
  // With a computed checksum the strict decoder must accept it too, unless
  // an unknown compulsory extension is present.
  auto fixed = nhrp::encode(*p);
  check(fixed.ok());
  auto strict = nhrp::decode(*fixed);
  check(strict.ok() ||
        strict.error().code == nhrp::Errc::unknown_compulsory_extension);
  return 0;
}
