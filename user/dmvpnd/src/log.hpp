// SPDX-License-Identifier: GPL-2.0
// One line per event on stderr; syslog priority prefixes under journald.
#pragma once

#include <fmt/core.h>

#include <optional>
#include <string_view>

namespace dmvpnd {

enum class Level { debug = 7, info = 6, notice = 5, warning = 4, error = 3 };

std::optional<Level> parse_level(std::string_view name);
void set_log_level(Level level);
bool log_enabled(Level level);
void log_line(Level level, std::string_view text);

template <class... Args>
void log(Level level, fmt::format_string<Args...> f, Args &&...args) {
  if (log_enabled(level))
    log_line(level, fmt::format(f, std::forward<Args>(args)...));
}

} // namespace dmvpnd
