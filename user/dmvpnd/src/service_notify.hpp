// SPDX-License-Identifier: GPL-2.0
// systemd's readiness protocol (Type=notify): the unit is started once
// the devices are managed, so units ordered after it find them served.
// Without $NOTIFY_SOCKET (outside systemd) these do nothing.
#pragma once

namespace dmvpnd {

void notify_ready();
void notify_stopping();

} // namespace dmvpnd
