// SPDX-License-Identifier: GPL-2.0
// A VICI connection to charon that never blocks the daemon's loop: the
// daemon polls fd() (for writing too while wants_write()), and calls
// on_readable()/on_writable(). VICI has no sequence numbers, so commands
// and event (un)registrations go one at a time, in order; events arrive
// at any time, also between a streamed command's request and response.
#pragma once

#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "fd.hpp"
#include "vici.hpp"

namespace dmvpnd {

class ViciClient {
public:
  // A command's response; nullopt if charon does not know the command or
  // the connection ended first.
  using Reply = std::function<void(std::optional<vici::Section>)>;
  using Event = std::function<void(const std::string &, const vici::Section &)>;

  explicit ViciClient(Event on_event) : on_event_(std::move(on_event)) {}

  // A non-blocking connection to the socket at `path` (charon's default
  // is /var/run/charon.vici); an empty Fd with errno set on failure.
  static Fd connect_unix(const std::string &path);

  // Takes a connected stream socket; what was pending on an earlier one
  // has been failed by then.
  void attach(Fd fd);
  [[nodiscard]] bool connected() const { return static_cast<bool>(fd_); }
  [[nodiscard]] int fd() const { return fd_.get(); }
  [[nodiscard]] bool wants_write() const { return !out_.empty(); }

  void command(std::string name, vici::Section args, Reply done);
  // `done` gets false if charon has no such event.
  void subscribe(std::string event, std::function<void(bool)> done);

  // false once the connection is gone (closed, or a malformed stream):
  // every pending reply got nullopt, and the caller reconnects.
  bool on_readable();
  bool on_writable();
  // Ends the connection; pending replies get nullopt.
  void close();

private:
  struct Pending {
    vici::PacketType type;
    Reply reply;                     // commands
    std::function<void(bool)> event; // (un)registrations
  };
  void send(const vici::Packet &p, Pending pending);
  bool dispatch(vici::Packet &&p);

  Event on_event_;
  Fd fd_;
  vici::Reader reader_;
  std::vector<std::uint8_t> out_;
  std::deque<Pending> pending_;
};

} // namespace dmvpnd
