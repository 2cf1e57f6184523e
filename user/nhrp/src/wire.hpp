// SPDX-License-Identifier: GPL-2.0
// Bounds-checked big-endian reader and writer (internal).
#pragma once

#include <cstdint>
#include <span>

#include "nhrp/packet.hpp"

namespace nhrp::wire {

class Reader {
public:
  Reader(std::span<const std::uint8_t> data, std::size_t base)
      : data_(data), base_(base) {}

  [[nodiscard]] std::size_t remaining() const { return data_.size() - pos_; }
  // Offset in the whole packet.
  [[nodiscard]] std::size_t offset() const { return base_ + pos_; }

  bool u8(std::uint8_t &v) {
    if (remaining() < 1)
      return false;
    v = data_[pos_++];
    return true;
  }
  bool u16(std::uint16_t &v) {
    if (remaining() < 2)
      return false;
    v = static_cast<std::uint16_t>(data_[pos_] << 8 | data_[pos_ + 1]);
    pos_ += 2;
    return true;
  }
  bool u32(std::uint32_t &v) {
    std::uint16_t hi = 0, lo = 0;
    if (remaining() < 4)
      return false;
    u16(hi);
    u16(lo);
    v = static_cast<std::uint32_t>(hi) << 16 | lo;
    return true;
  }
  bool bytes(std::size_t n, Bytes &out) {
    if (remaining() < n)
      return false;
    out.assign(data_.begin() + static_cast<std::ptrdiff_t>(pos_),
               data_.begin() + static_cast<std::ptrdiff_t>(pos_ + n));
    pos_ += n;
    return true;
  }
  Bytes rest() {
    Bytes out;
    bytes(remaining(), out);
    return out;
  }

private:
  std::span<const std::uint8_t> data_;
  std::size_t base_;
  std::size_t pos_ = 0;
};

class Writer {
public:
  explicit Writer(Bytes &out) : out_(out) {}
  void u8(std::uint8_t v) { out_.push_back(v); }
  void u16(std::uint16_t v) {
    out_.push_back(static_cast<std::uint8_t>(v >> 8));
    out_.push_back(static_cast<std::uint8_t>(v));
  }
  void u32(std::uint32_t v) {
    u16(static_cast<std::uint16_t>(v >> 16));
    u16(static_cast<std::uint16_t>(v));
  }
  void bytes(std::span<const std::uint8_t> b) {
    out_.insert(out_.end(), b.begin(), b.end());
  }
  void put16(std::size_t at, std::uint16_t v) {
    out_[at] = static_cast<std::uint8_t>(v >> 8);
    out_[at + 1] = static_cast<std::uint8_t>(v);
  }
  [[nodiscard]] std::size_t size() const { return out_.size(); }

private:
  Bytes &out_;
};

} // namespace nhrp::wire
