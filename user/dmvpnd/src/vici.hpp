// SPDX-License-Identifier: GPL-2.0
// The VICI protocol of strongSwan's charon (its vici plugin's README):
// messages of named values, lists and sections, in packets framed by a
// 32-bit length on a stream socket. Our own codec rather than libvici:
// Debian ships no header for it, and its blocking calls and event thread
// do not fit a single-threaded epoll loop; the wire format is small and
// stable since 5.1. Pure: bytes in, models out.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace dmvpnd::vici {

// charon refuses larger packets (VICI_MESSAGE_SIZE_MAX).
inline constexpr std::size_t kMaxPacket = 512 * 1024;

// A message, or a section of one: entries in the order they came.
struct Section {
  struct Entry;
  std::vector<Entry> entries;

  // The first entry of that name and kind, if any.
  [[nodiscard]] const std::string *value(std::string_view name) const;
  [[nodiscard]] const std::vector<std::string> *
  list(std::string_view name) const;
  [[nodiscard]] const Section *section(std::string_view name) const;

  Section &add(std::string name, std::string value);
  Section &add_list(std::string name, std::vector<std::string> items);
  // The new, empty section, to fill (the reference holds until the next
  // entry is added to this section).
  Section &add_section(std::string name);

  bool operator==(const Section &) const;
};

struct Section::Entry {
  std::string name;
  std::variant<std::string, std::vector<std::string>, Section> value;
  bool operator==(const Entry &) const = default;
};

enum class PacketType : std::uint8_t {
  cmd_request = 0,
  cmd_response = 1,
  cmd_unknown = 2,
  event_register = 3,
  event_unregister = 4,
  event_confirm = 5,
  event_unknown = 6,
  event = 7,
};

struct Packet {
  PacketType type = PacketType::cmd_request;
  std::string name; // command or event name (request, (un)register, event)
  Section message;  // request, response and event
  bool operator==(const Packet &) const = default;
};

// The packet with its length prefix; nullopt if it cannot be put on the
// wire (a name over 255 bytes, a value over 65535, a packet over
// kMaxPacket).
std::optional<std::vector<std::uint8_t>> encode(const Packet &p);

// Takes the stream as it arrives and hands out whole packets. After an
// error (a malformed or oversized packet) the stream cannot be trusted
// to be in step any more: the caller closes the connection.
class Reader {
public:
  void feed(std::span<const std::uint8_t> bytes);
  // The next whole packet, if one is there and the stream is sound.
  std::optional<Packet> next();
  [[nodiscard]] const std::string &error() const { return error_; }
  [[nodiscard]] bool failed() const { return !error_.empty(); }

private:
  std::vector<std::uint8_t> buf_;
  std::size_t used_ = 0; // bytes of buf_ already handed out
  std::string error_;
};

// One packet without its length prefix.
std::optional<Packet> decode(std::span<const std::uint8_t> body,
                             std::string &error);

} // namespace dmvpnd::vici
