// SPDX-License-Identifier: GPL-2.0
#include "vici_client.hpp"

#include <sys/socket.h>
#include <sys/un.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace dmvpnd {

Fd ViciClient::connect_unix(const std::string &path) {
  sockaddr_un sa{};
  if (path.empty() || path.size() >= sizeof(sa.sun_path)) {
    errno = ENAMETOOLONG;
    return Fd();
  }
  Fd fd(socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd)
    return fd;
  sa.sun_family = AF_UNIX;
  std::memcpy(sa.sun_path, path.data(), path.size());
  // A local stream socket connects at once or not at all (EAGAIN: its
  // backlog is full; the caller retries later).
  if (connect(fd.get(), reinterpret_cast<const sockaddr *>(&sa), sizeof(sa)) <
      0)
    return Fd();
  return fd;
}

void ViciClient::attach(Fd fd) {
  close();
  fd_ = std::move(fd);
  reader_ = vici::Reader();
}

void ViciClient::close() {
  fd_.reset();
  out_.clear();
  // Callbacks may queue new work (for the next connection): take them
  // out first.
  auto failed = std::move(pending_);
  pending_.clear();
  for (auto &p : failed) {
    if (p.reply)
      p.reply(std::nullopt);
    if (p.event)
      p.event(false);
  }
}

void ViciClient::command(std::string name, vici::Section args, Reply done) {
  vici::Packet p{vici::PacketType::cmd_request, std::move(name),
                 std::move(args)};
  send(p, {p.type, std::move(done), {}});
}

void ViciClient::subscribe(std::string event, std::function<void(bool)> done) {
  vici::Packet p{vici::PacketType::event_register, std::move(event), {}};
  send(p, {p.type, {}, std::move(done)});
}

void ViciClient::send(const vici::Packet &p, Pending pending) {
  auto bytes = vici::encode(p);
  if (!fd_ || !bytes) {
    if (pending.reply)
      pending.reply(std::nullopt);
    if (pending.event)
      pending.event(false);
    return;
  }
  out_.insert(out_.end(), bytes->begin(), bytes->end());
  pending_.push_back(std::move(pending));
  on_writable();
}

bool ViciClient::on_writable() {
  while (fd_ && !out_.empty()) {
    ssize_t n = ::send(fd_.get(), out_.data(), out_.size(),
                       MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
      return true;
    if (n <= 0) {
      close();
      return false;
    }
    out_.erase(out_.begin(), out_.begin() + n);
  }
  return static_cast<bool>(fd_);
}

bool ViciClient::on_readable() {
  std::uint8_t buf[16384];
  while (fd_) {
    ssize_t n = recv(fd_.get(), buf, sizeof(buf), MSG_DONTWAIT);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0 && errno == EAGAIN)
      return true;
    if (n <= 0) {
      close();
      return false;
    }
    reader_.feed({buf, static_cast<std::size_t>(n)});
    // (A callback may have closed the connection.)
    while (fd_)
      if (auto p = reader_.next()) {
        if (!dispatch(std::move(*p))) {
          close();
          return false;
        }
      } else {
        break;
      }
    if (reader_.failed()) {
      close();
      return false;
    }
  }
  return false;
}

// A response answers the oldest pending request of its kind; anything
// else out of turn means the two ends lost step.
bool ViciClient::dispatch(vici::Packet &&p) {
  using T = vici::PacketType;
  if (p.type == T::event) {
    on_event_(p.name, p.message);
    return true;
  }
  bool response = p.type == T::cmd_response || p.type == T::cmd_unknown;
  bool confirm = p.type == T::event_confirm || p.type == T::event_unknown;
  if (pending_.empty() || !(response || confirm) ||
      response != (pending_.front().type == T::cmd_request))
    return false;
  Pending head = std::move(pending_.front());
  pending_.pop_front();
  if (head.reply)
    head.reply(p.type == T::cmd_response
                   ? std::optional<vici::Section>(std::move(p.message))
                   : std::nullopt);
  if (head.event)
    head.event(p.type == T::event_confirm);
  return true;
}

} // namespace dmvpnd
