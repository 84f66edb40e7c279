// Layered configuration: built-in defaults < config file < environment <
// command line; each value remembers the layer and origin it came from.
// Keys are lower-case dotted names ("db.url", "pool.max_open"); the settings
// table (plugdb/settings.h) holds every key with its default and environment
// variables, and config/README.md documents it. For applications and the
// host: a driver sees only its DataSource, and parses duration options with
// plugdb/duration.h.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plugdb/duration.h"  // parseDuration, which config.h used to declare
#include "plugdb/url.h"       // Url, which config.h used to declare

namespace plugdb {

enum class Layer { Default = 0, File = 1, Environment = 2, CommandLine = 3 };
const char* toString(Layer layer);

struct Setting {
    std::string value;
    Layer layer = Layer::Default;
    std::string origin;  // "built-in", "/etc/plugdb/plugdb.json", "env DB_HOST", "--url"
};

class Config {
public:
    using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

    // Every key of the settings table with its built-in default.
    static Config withDefaults();

    void set(const std::string& key, std::string value, Layer layer, std::string origin);
    // Reads a JSON (.json), INI (.ini), properties (.properties, .conf) or TOML (.toml) file.
    // Values may use ${VAR} and ${VAR:-fallback}. Throws plugdb::Error (config).
    void loadFile(const std::string& path, const EnvLookup& env = processEnvironment());
    // Applies DATABASE_URL, DB_* and PLUGDB_* variables (see environmentNames()).
    void loadEnvironment(const EnvLookup& env = processEnvironment());

    const Setting* find(const std::string& key) const;
    std::optional<std::string> get(const std::string& key) const;
    std::string getString(const std::string& key, const std::string& fallback = {}) const;
    bool getBool(const std::string& key, bool fallback) const;
    // The getters below take the caller's fallback for an unset or empty key;
    // settings::text, integer, boolean and duration read keys of the table
    // with the table's default instead.
    // A whole number >= minimum; throws plugdb::Error (config) naming the key otherwise.
    int getInt(const std::string& key, int fallback, int minimum) const;
    std::chrono::milliseconds getDuration(const std::string& key,
                                          std::chrono::milliseconds fallback) const;
    const std::map<std::string, Setting>& settings() const { return settings_; }

    // Where to look for plugins, in order (plugins.path entries, then the
    // directories next to the installed program and library).
    std::vector<std::string> pluginSearchPath() const;

    // The default SQLite file when nothing else is configured.
    static constexpr const char* kDefaultSqlitePath = "./var/plugdb.db";

    static EnvLookup processEnvironment();
    // (environment variable, key) pairs in the order they are applied, from
    // the settings table.
    static const std::vector<std::pair<std::string, std::string>>& environmentNames();

private:
    std::map<std::string, Setting> settings_;
};

}  // namespace plugdb
