// Turning configuration into a DataSource: which driver, where, with what
// options. Private to core.
#pragma once

#include <functional>
#include <string>

#include "plugdb/config.h"
#include "plugdb/driver.h"
#include "plugdb/registry.h"

namespace plugdb {

struct ResolvedSource {
    std::string driverName;  // from db.driver, the URL scheme, or the default embedded driver
    std::optional<Url> url;  // db.url parsed as a URL, when it is one
    std::string bareUrl;     // db.url in the seed's form without a scheme ("host:port", "./x.db")
    Layer urlLayer = Layer::Default;
    bool defaulted = false;  // nothing configured: the default embedded driver and file
};

// What resolving needs to know about the installed plugins.
struct DriverLookup {
    std::function<std::string(const std::string& scheme)> forScheme;  // "" when none claims it
    std::function<PluginScan()> installed;  // for the default when nothing is configured
};

// The lookup backed by the plugin registry and this search path.
DriverLookup registryLookup(const std::vector<std::string>& searchPath);

// Chooses the driver and parses db.url. With nothing configured the driver is
// the installed embedded one (capability embedded); of several, the one
// kPreferredEmbeddedDriver names. Throws plugdb::Error (config, plugin).
ResolvedSource resolveDataSource(const Config& config, const DriverLookup& lookup);

// Fills in endpoints, credentials, database and options for the loaded plugin,
// letting individual keys override URL parts from the same or a higher layer,
// and checks the options against those the driver declares (driver_options.h).
DataSource finishDataSource(const Config& config, const ResolvedSource& resolved,
                            const LoadedDriver& driver);

// "postgres://app@db:5432/shop", "sqlite:./var/plugdb.db", or "name:text" for
// a URL without host or user: never a password.
std::string describeTarget(const DataSource& source, const PluginInfo& plugin);

}  // namespace plugdb
