// SPDX-License-Identifier: GPL-2.0
// dmvpnd needs root only for what it keeps as two capabilities:
// CAP_NET_ADMIN (genl admin commands, SO_RCVBUFFORCE) and CAP_NET_RAW
// (AF_PACKET sockets, also opened later when a device appears). Everything
// else goes once the netlink sockets are open.
#pragma once

#include <string>

namespace dmvpnd {

// Keeps CAP_NET_ADMIN and CAP_NET_RAW, effective and permitted, and
// empties the bounding set when allowed to; with a non-empty `user`,
// also becomes that user (its primary group, no supplementary groups).
// A process that already has no more than that (systemd's DynamicUser=
// with AmbientCapabilities=) passes unchanged. Throws std::runtime_error.
// Capabilities are per thread: call it before any thread starts.
void drop_privileges(const std::string &user);

} // namespace dmvpnd
