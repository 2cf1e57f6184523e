// SPDX-License-Identifier: GPL-2.0
#include "instance_lock.hpp"

#include <sys/socket.h>
#include <sys/un.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <system_error>

namespace dmvpnd {
namespace {
// Abstract: a leading NUL, no terminating one (the length counts).
constexpr char kName[] = "\0dmvpnd";
} // namespace

InstanceLock::InstanceLock()
    : fd_(socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) {
  if (!fd_)
    throw std::system_error(errno, std::generic_category(), "AF_UNIX socket");
  sockaddr_un sa{};
  sa.sun_family = AF_UNIX;
  static_assert(sizeof(kName) - 1 <= sizeof(sa.sun_path));
  std::copy(kName, kName + sizeof(kName) - 1, sa.sun_path);
  auto len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) +
                                    sizeof(kName) - 1);
  if (bind(fd_.get(), reinterpret_cast<const sockaddr *>(&sa), len) < 0) {
    if (errno == EADDRINUSE)
      throw AlreadyRunning();
    throw std::system_error(errno, std::generic_category(),
                            "binding the instance lock");
  }
}

} // namespace dmvpnd
