// Finding and loading driver plugins. A plugin is libplugdb-<name>.so on the
// search path; its descriptor is read and checked before its Poco manifest is
// used, and it stays loaded for the life of the process.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "plugdb/driver.h"

namespace plugdb {

struct PluginInfo {
    std::string name;
    std::vector<std::string> aliases;
    std::string version;
    std::uint16_t abiMajor = 0;
    std::uint16_t abiMinor = 0;
    std::vector<std::string> schemes;
    std::uint64_t capabilities = 0;
    std::string file;
};

// A file on the search path that is not a usable plugin, and why.
struct PluginProblem {
    std::string file;
    std::string reason;  // one sentence naming the file and the cause
};

struct PluginScan {
    std::vector<PluginInfo> plugins;
    std::vector<PluginProblem> problems;
};

struct LoadedDriver {
    PluginInfo info;
    std::shared_ptr<Driver> driver;
};

class DriverRegistry {
public:
    // The process-wide registry (plugins are never unloaded).
    static DriverRegistry& instance();

    // Reads the descriptor of every libplugdb-*.so on the path (earlier
    // directories shadow later ones for the same file name).
    PluginScan scan(const std::vector<std::string>& searchPath);

    // The driver called `name` (a plugin name or alias). Throws plugdb::Error
    // (plugin) with one sentence naming the file, the path searched and the cause.
    LoadedDriver load(const std::string& name, const std::vector<std::string>& searchPath);

    // The plugin name claiming this URL scheme, or empty when none does.
    std::string driverForScheme(const std::string& scheme,
                                const std::vector<std::string>& searchPath);

    DriverRegistry(const DriverRegistry&) = delete;
    DriverRegistry& operator=(const DriverRegistry&) = delete;

private:
    DriverRegistry();
    ~DriverRegistry();
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace plugdb
