// Layered configuration: built-in defaults < config file < environment <
// command line; each value remembers the layer and origin it came from.
// Keys are lower-case dotted names ("db.url", "pool.max_open"); config/README.md
// lists every key with its environment variable and default.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace plugdb {

enum class Layer { Default = 0, File = 1, Environment = 2, CommandLine = 3 };
const char* toString(Layer layer);

struct Setting {
    std::string value;
    Layer layer = Layer::Default;
    std::string origin;  // "built-in", "/etc/plugdb/plugdb.json", "env DB_HOST", "--url"
};

// A parsed connection URL:
// scheme:[//[user[:password]@]host[:port][,host[:port]...]][/path][?k=v&...] Components are
// percent-decoded. Authority-less forms ("sqlite:/tmp/x.db", "sqlite::memory:") keep everything
// after the scheme as the path.
struct Url {
    struct Host {
        std::string host;  // IPv6 without brackets
        int port = 0;
    };
    std::string scheme;  // lower-case
    bool hasAuthority = false;
    std::string user;
    std::optional<std::string> password;
    std::vector<Host> hosts;
    std::string path;  // with its leading '/' when there is an authority
    std::vector<std::pair<std::string, std::string>> query;

    // Throws plugdb::Error (config) naming what is wrong, with secrets masked.
    static Url parse(std::string_view text);
};

class Config {
public:
    using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

    // Every key with its built-in default.
    static Config withDefaults();

    void set(const std::string& key, std::string value, Layer layer, std::string origin);
    // Reads a JSON (.json), INI (.ini) or properties (.properties, .conf) file.
    // Values may use ${VAR} and ${VAR:-fallback}. Throws plugdb::Error (config).
    void loadFile(const std::string& path, const EnvLookup& env = processEnvironment());
    // Applies DATABASE_URL, DB_* and PLUGDB_* variables (see environmentNames()).
    void loadEnvironment(const EnvLookup& env = processEnvironment());

    const Setting* find(const std::string& key) const;
    std::optional<std::string> get(const std::string& key) const;
    std::string getString(const std::string& key, const std::string& fallback = {}) const;
    bool getBool(const std::string& key, bool fallback) const;
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
    // (environment variable, key) pairs in the order they are applied.
    static const std::vector<std::pair<std::string, std::string>>& environmentNames();

private:
    std::map<std::string, Setting> settings_;
};

// Keys whose values are secrets and are always shown masked.
bool isSecretKey(std::string_view key);

// "30s", "5m", "1h30m", "250ms", or a bare number of seconds.
std::optional<std::chrono::milliseconds> parseDuration(std::string_view text);

}  // namespace plugdb
