// SPDX-License-Identifier: GPL-2.0
// One dmvpnd per network namespace: two would both answer every NHRP
// packet and fight over the kernel's cache. The lock is an abstract
// AF_UNIX address, which belongs to the network namespace (unlike a file
// lock, which would span every namespace sharing the file system) and
// goes away with the process, even after kill -9.
#pragma once

#include <stdexcept>

#include "fd.hpp"

namespace dmvpnd {

class AlreadyRunning : public std::runtime_error {
public:
  AlreadyRunning()
      : std::runtime_error(
            "another dmvpnd is running in this network namespace") {}
};

class InstanceLock {
public:
  // Throws AlreadyRunning, or std::system_error on other failures.
  InstanceLock();

private:
  Fd fd_;
};

} // namespace dmvpnd
