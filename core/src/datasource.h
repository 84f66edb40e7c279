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
    std::string driverName;  // from db.driver, the URL scheme, or the sqlite default
    std::optional<Url> url;  // db.url parsed as a URL, when it is one
    std::string bareUrl;     // db.url in the seed's form without a scheme ("host:port", "./x.db")
    Layer urlLayer = Layer::Default;
    bool defaulted = false;  // nothing configured: the built-in SQLite file
};

using SchemeLookup = std::function<std::string(const std::string& scheme)>;

// Chooses the driver and parses db.url. Throws plugdb::Error (config).
ResolvedSource resolveDataSource(const Config& config, const SchemeLookup& driverForScheme);

// Fills in endpoints, credentials, database and options for the loaded plugin,
// letting individual keys override URL parts from the same or a higher layer.
DataSource finishDataSource(const Config& config, const ResolvedSource& resolved,
                            const PluginInfo& plugin);

// "postgres://app@db:5432/shop" or "sqlite:./var/plugdb.db": never a password.
std::string describeTarget(const DataSource& source, const PluginInfo& plugin);

}  // namespace plugdb
