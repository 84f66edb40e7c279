// Reading a TOML configuration file into dotted keys; toml++ stays inside
// config_toml.cpp.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace plugdb::detail {

// Every value of a TOML document under its dotted key ([pool] max_open = 8
// gives pool.max_open = "8"), in the text JSON files give the same value.
// `path` names the file in errors. Throws plugdb::Error (config) naming the
// file, line and column of a syntax error.
std::vector<std::pair<std::string, std::string>> readTomlConfig(const std::string& text,
                                                                const std::string& path);

}  // namespace plugdb::detail
