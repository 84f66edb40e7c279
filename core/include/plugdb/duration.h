// Durations as configuration values and driver options are written. Part of
// the driver SDK: a driver parses its own duration options (SQLite's
// busy_timeout) with it, so every duration reads the same way.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace plugdb {

// "30s", "5m", "1h30m", "250ms", "1.5s", or a bare number of seconds; "0" is
// zero (which settings read as "none"). Null for anything else, and for a
// positive duration under 1ms, which would round to zero.
std::optional<std::chrono::milliseconds> parseDuration(std::string_view text);

}  // namespace plugdb
