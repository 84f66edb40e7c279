// The settings table: every configuration key with its default, environment
// variables, kind and meaning, written once. Config::withDefaults,
// Config::environmentNames, `plugdb config show` and every reader of a key
// take them from here; config/README.md documents the same table (a test
// compares the two).
#pragma once

#include <array>
#include <chrono>
#include <span>
#include <string>
#include <string_view>

namespace plugdb {
class Config;
}

namespace plugdb::settings {

enum class Kind { Text, Integer, Boolean, Duration, List };
const char* toString(Kind kind);

struct Definition {
    std::string key;           // lower-case dotted name
    std::string defaultValue;  // empty: unset, the reader decides (the description says how)
    // Variables that set the key, applied in this order (so the later wins);
    // empty entries are unused.
    std::array<std::string_view, 2> environment{};
    Kind kind = Kind::Text;
    int minimum = 0;  // Kind::Integer: the smallest value accepted
    std::string_view description;
};

// Every key, in the order config/README.md lists them.
std::span<const Definition> all();
// The definition of a key (case-insensitive), or null when the table has none.
const Definition* find(std::string_view key);
// The default of a key of the table. Throws std::invalid_argument for a key
// the table lacks: a caller naming a key that does not exist is a bug.
const std::string& defaultOf(std::string_view key);

// Driver options (db.options.NAME) go to the driver as they are; the table
// does not list them one by one.
inline constexpr std::string_view kDriverOptionPrefix = "db.options.";
// A key of the table or a driver option.
bool isKnown(std::string_view key);

// A key's value, or the table's default when the key is unset or empty.
// Throw plugdb::Error (config) naming the key, the value and where it came
// from when the value is not of the key's kind (or below its minimum), and
// std::invalid_argument when the table has no such key of that kind.
std::string text(const Config& config, std::string_view key);
int integer(const Config& config, std::string_view key);
bool boolean(const Config& config, std::string_view key);
std::chrono::milliseconds duration(const Config& config, std::string_view key);

// The table's defaults as values of their kind, for code that has no Config.
int defaultInteger(std::string_view key);
std::chrono::milliseconds defaultDuration(std::string_view key);

}  // namespace plugdb::settings
