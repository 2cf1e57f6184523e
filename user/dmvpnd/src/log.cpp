// SPDX-License-Identifier: GPL-2.0
#include "log.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace dmvpnd {
namespace {

Level g_level = Level::info;

const char *level_name(Level level) {
  switch (level) {
  case Level::debug:
    return "DEBUG";
  case Level::info:
    return "INFO";
  case Level::notice:
    return "NOTICE";
  case Level::warning:
    return "WARNING";
  case Level::error:
    return "ERROR";
  }
  return "?";
}

// journald parses "<N>" itself; elsewhere a readable level name is better.
bool under_journald() {
  static const bool yes = std::getenv("JOURNAL_STREAM") != nullptr;
  return yes;
}

} // namespace

std::optional<Level> parse_level(std::string_view name) {
  for (Level l : {Level::debug, Level::info, Level::notice, Level::warning,
                  Level::error}) {
    std::string lower = level_name(l);
    for (auto &c : lower)
      c = static_cast<char>(c - 'A' + 'a');
    if (name == lower)
      return l;
  }
  return std::nullopt;
}

void set_log_level(Level level) { g_level = level; }

bool log_enabled(Level level) {
  return static_cast<int>(level) <= static_cast<int>(g_level);
}

void log_line(Level level, std::string_view text) {
  std::string line;
  if (under_journald())
    line = fmt::format("<{}>{}\n", static_cast<int>(level), text);
  else
    line = fmt::format("{}: {}\n", level_name(level), text);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

} // namespace dmvpnd
