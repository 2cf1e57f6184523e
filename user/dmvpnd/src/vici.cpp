// SPDX-License-Identifier: GPL-2.0
#include "vici.hpp"

#include <algorithm>
#include <fmt/core.h>

namespace dmvpnd::vici {
namespace {

// Message elements (the README's "message format").
enum Element : std::uint8_t {
  section_start = 1,
  section_end = 2,
  key_value = 3,
  list_start = 4,
  list_item = 5,
  list_end = 6,
};

bool has_name(PacketType t) {
  return t == PacketType::cmd_request || t == PacketType::event_register ||
         t == PacketType::event_unregister || t == PacketType::event;
}

bool has_message(PacketType t) {
  return t == PacketType::cmd_request || t == PacketType::cmd_response ||
         t == PacketType::event;
}

class Writer {
public:
  bool name(const std::string &n) {
    if (n.size() > 255)
      return false;
    out.push_back(static_cast<std::uint8_t>(n.size()));
    out.insert(out.end(), n.begin(), n.end());
    return true;
  }
  bool value(const std::string &v) {
    if (v.size() > 65535)
      return false;
    out.push_back(static_cast<std::uint8_t>(v.size() >> 8));
    out.push_back(static_cast<std::uint8_t>(v.size()));
    out.insert(out.end(), v.begin(), v.end());
    return true;
  }
  bool section(const Section &s) {
    for (const auto &e : s.entries) {
      bool ok = true;
      if (const auto *v = std::get_if<std::string>(&e.value)) {
        out.push_back(key_value);
        ok = name(e.name) && value(*v);
      } else if (const auto *l =
                     std::get_if<std::vector<std::string>>(&e.value)) {
        out.push_back(list_start);
        ok = name(e.name);
        for (const auto &item : *l) {
          out.push_back(list_item);
          ok = ok && value(item);
        }
        out.push_back(list_end);
      } else {
        out.push_back(section_start);
        ok = name(e.name) && section(std::get<Section>(e.value));
        out.push_back(section_end);
      }
      if (!ok)
        return false;
    }
    return true;
  }
  std::vector<std::uint8_t> out;
};

class Parser {
public:
  explicit Parser(std::span<const std::uint8_t> b) : b_(b) {}

  bool done() const { return at_ == b_.size(); }
  std::optional<std::uint8_t> byte() {
    if (at_ >= b_.size())
      return fail("truncated");
    return b_[at_++];
  }
  std::optional<std::string> name() {
    auto n = byte();
    if (!n)
      return std::nullopt;
    return take(*n);
  }
  std::optional<std::string> value() {
    auto hi = byte();
    auto lo = hi ? byte() : std::nullopt;
    if (!lo)
      return std::nullopt;
    return take(static_cast<std::size_t>(*hi) << 8 | *lo);
  }
  // Elements up to the end of the message (top) or of the section.
  bool section(Section &s, bool top, int depth) {
    if (depth > 32) {
      fail("sections nested too deep");
      return false;
    }
    while (!done()) {
      auto type = byte();
      switch (*type) {
      case section_end:
        if (top) {
          fail("section end outside a section");
          return false;
        }
        return true;
      case section_start: {
        auto n = name();
        if (!n || !section(s.add_section(std::move(*n)), false, depth + 1))
          return false;
        break;
      }
      case key_value: {
        auto n = name();
        auto v = n ? value() : std::nullopt;
        if (!v)
          return false;
        s.add(std::move(*n), std::move(*v));
        break;
      }
      case list_start: {
        auto n = name();
        if (!n)
          return false;
        std::vector<std::string> items;
        for (;;) {
          auto t = byte();
          if (!t)
            return false;
          if (*t == list_end)
            break;
          if (*t != list_item) {
            fail(fmt::format("element {} inside a list", *t));
            return false;
          }
          auto v = value();
          if (!v)
            return false;
          items.push_back(std::move(*v));
        }
        s.add_list(std::move(*n), std::move(items));
        break;
      }
      default:
        fail(fmt::format("unexpected element {}", *type));
        return false;
      }
    }
    if (!top)
      fail("truncated");
    return top;
  }
  std::string error;

private:
  std::optional<std::string> take(std::size_t n) {
    if (b_.size() - at_ < n)
      return fail("truncated");
    std::string s(b_.begin() + static_cast<std::ptrdiff_t>(at_),
                  b_.begin() + static_cast<std::ptrdiff_t>(at_ + n));
    at_ += n;
    return s;
  }
  std::nullopt_t fail(std::string why) {
    if (error.empty())
      error = fmt::format("{} at byte {}", why, at_);
    return std::nullopt;
  }

  std::span<const std::uint8_t> b_;
  std::size_t at_ = 0;
};

template <class T>
const T *find(const std::vector<Section::Entry> &entries,
              std::string_view name) {
  for (const auto &e : entries)
    if (e.name == name)
      if (const auto *v = std::get_if<T>(&e.value))
        return v;
  return nullptr;
}

} // namespace

const std::string *Section::value(std::string_view name) const {
  return find<std::string>(entries, name);
}

const std::vector<std::string> *Section::list(std::string_view name) const {
  return find<std::vector<std::string>>(entries, name);
}

const Section *Section::section(std::string_view name) const {
  return find<Section>(entries, name);
}

Section &Section::add(std::string name, std::string value) {
  entries.push_back({std::move(name), std::move(value)});
  return *this;
}

Section &Section::add_list(std::string name, std::vector<std::string> items) {
  entries.push_back({std::move(name), std::move(items)});
  return *this;
}

Section &Section::add_section(std::string name) {
  entries.push_back({std::move(name), Section{}});
  return std::get<Section>(entries.back().value);
}

bool Section::operator==(const Section &o) const {
  return entries == o.entries;
}

std::optional<std::vector<std::uint8_t>> encode(const Packet &p) {
  Writer w;
  w.out.assign(4, 0);
  w.out.push_back(static_cast<std::uint8_t>(p.type));
  if (has_name(p.type) && !w.name(p.name))
    return std::nullopt;
  if (has_message(p.type) && !w.section(p.message))
    return std::nullopt;
  std::size_t len = w.out.size() - 4;
  if (len > kMaxPacket)
    return std::nullopt;
  for (int i = 0; i < 4; ++i)
    w.out[static_cast<std::size_t>(i)] =
        static_cast<std::uint8_t>(len >> (24 - 8 * i));
  return std::move(w.out);
}

std::optional<Packet> decode(std::span<const std::uint8_t> body,
                             std::string &error) {
  Parser in(body);
  Packet p;
  auto type = in.byte();
  if (type && *type > static_cast<std::uint8_t>(PacketType::event))
    in.error = fmt::format("unknown packet type {}", *type);
  if (!type || !in.error.empty()) {
    error = in.error;
    return std::nullopt;
  }
  p.type = static_cast<PacketType>(*type);
  if (has_name(p.type)) {
    auto n = in.name();
    if (!n) {
      error = in.error;
      return std::nullopt;
    }
    p.name = std::move(*n);
  }
  if (has_message(p.type) ? !in.section(p.message, true, 0) : !in.done()) {
    error = in.error.empty() ? "trailing bytes" : in.error;
    return std::nullopt;
  }
  return p;
}

void Reader::feed(std::span<const std::uint8_t> bytes) {
  // What was handed out goes before the buffer grows.
  if (used_) {
    buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(used_));
    used_ = 0;
  }
  buf_.insert(buf_.end(), bytes.begin(), bytes.end());
}

std::optional<Packet> Reader::next() {
  if (failed() || buf_.size() - used_ < 4)
    return std::nullopt;
  const std::uint8_t *h = buf_.data() + used_;
  std::size_t len = static_cast<std::size_t>(h[0]) << 24 |
                    static_cast<std::size_t>(h[1]) << 16 |
                    static_cast<std::size_t>(h[2]) << 8 | h[3];
  if (len == 0 || len > kMaxPacket) {
    error_ = fmt::format("packet length {} out of range", len);
    return std::nullopt;
  }
  if (buf_.size() - used_ - 4 < len)
    return std::nullopt;
  std::string why;
  auto p = decode({h + 4, len}, why);
  if (!p) {
    error_ = why;
    return std::nullopt;
  }
  used_ += 4 + len;
  return p;
}

} // namespace dmvpnd::vici
