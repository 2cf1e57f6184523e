// SPDX-License-Identifier: GPL-2.0
#include "service_notify.hpp"

#include <systemd/sd-daemon.h>

#include "log.hpp"

namespace dmvpnd {
namespace {

void notify(const char *state) {
  // Keeps $NOTIFY_SOCKET (unset_environment 0): STOPPING=1 goes out on
  // it too, and dmvpnd starts no programs that could inherit it.
  if (int rc = sd_notify(0, state); rc < 0)
    log(Level::warning, "sd_notify {}: error {}", state, rc);
}

} // namespace

void notify_ready() { notify("READY=1"); }
void notify_stopping() { notify("STOPPING=1"); }

} // namespace dmvpnd
