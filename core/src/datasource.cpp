#include "datasource.h"

#include <cctype>
#include <filesystem>

#include "plugdb/driver_options.h"
#include "plugdb/error.h"
#include "plugdb/input_file.h"
#include "plugdb/secrets.h"
#include "url_scheme.h"

namespace fs = std::filesystem;

namespace plugdb {
namespace {

std::string originOf(const Config& config, const std::string& key) {
    const Setting* s = config.find(key);
    return s ? s->origin : "built-in";
}

// A key set to a non-empty value at `atLeast` or above, if any.
std::optional<std::string> overriding(const Config& config, const std::string& key, Layer atLeast) {
    const Setting* s = config.find(key);
    if (s == nullptr || s->value.empty() || s->layer < atLeast) return std::nullopt;
    return s->value;
}

int parsePort(const std::string& text, const std::string& what) {
    int port = 0;
    bool ok = !text.empty() && text.size() <= 5;
    for (char c : text) ok = ok && c >= '0' && c <= '9';
    if (ok) port = std::stoi(text);
    if (!ok || port < 1 || port > 65535)
        throw Error(ErrorCategory::Config, what + " '" + text + "' is not a port number (1-65535)");
    return port;
}

// "db:5432", "[::1]:3306", "db" in the seed's db_url form.
DataSource::Endpoint parseHostPort(const std::string& text, const std::string& what) {
    DataSource::Endpoint endpoint;
    std::string portText;
    if (text.starts_with('[')) {
        const auto close = text.find(']');
        if (close == std::string::npos)
            throw Error(ErrorCategory::Config, what + " '" + text + "' has an unclosed '['");
        endpoint.host = text.substr(1, close - 1);
        if (close + 1 < text.size() && text[close + 1] == ':') portText = text.substr(close + 2);
    } else if (auto colon = text.rfind(':'); colon != std::string::npos) {
        endpoint.host = text.substr(0, colon);
        portText = text.substr(colon + 1);
    } else {
        endpoint.host = text;
    }
    if (!portText.empty()) endpoint.port = parsePort(portText, what);
    return endpoint;
}

std::string readPasswordFile(const std::string& path, const std::string& origin) {
    std::string password =
        readInputFile(path, InputFileLimits::kPasswordBytes,
                      "the password file (db.password_file from " + origin + ")");
    while (!password.empty() && (password.back() == '\n' || password.back() == '\r'))
        password.pop_back();
    return password;
}

// When several embedded drivers are installed and nothing is configured, this
// one is the default; any single embedded driver is the default on its own.
constexpr std::string_view kPreferredEmbeddedDriver = "sqlite";

std::string defaultDriver(const DriverLookup& lookup) {
    const PluginScan scan = lookup.installed ? lookup.installed() : PluginScan{};
    std::vector<std::string> embedded, all;
    for (const auto& plugin : scan.plugins) {
        all.push_back(plugin.name);
        if ((plugin.capabilities & kCapEmbedded) != 0) embedded.push_back(plugin.name);
    }
    const auto list = [](const std::vector<std::string>& names) {
        std::string out;
        for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
        return out.empty() ? std::string("none") : out;
    };
    if (embedded.size() == 1) return embedded.front();
    for (const auto& name : embedded)
        if (name == kPreferredEmbeddedDriver) return name;
    if (embedded.empty())
        throw Error(ErrorCategory::Plugin,
                    "no database is configured (db.driver, db.url) and no embedded driver is "
                    "installed to default to; installed drivers: " +
                        list(all) + "; set db.url or db.driver");
    throw Error(ErrorCategory::Config,
                "no database is configured (db.driver, db.url) and several embedded drivers are "
                "installed (" +
                    list(embedded) + "); set db.driver to choose one");
}

}  // namespace

DriverLookup registryLookup(const std::vector<std::string>& searchPath) {
    return {[searchPath](const std::string& scheme) {
                return DriverRegistry::instance().driverForScheme(scheme, searchPath);
            },
            [searchPath] { return DriverRegistry::instance().scan(searchPath); }};
}

ResolvedSource resolveDataSource(const Config& config, const DriverLookup& lookup) {
    ResolvedSource resolved;
    resolved.driverName = config.getString("db.driver");
    const std::string urlText = config.getString("db.url");
    if (urlText.empty()) {
        if (resolved.driverName.empty()) {
            resolved.driverName = defaultDriver(lookup);
            resolved.defaulted = true;
        }
        return resolved;
    }
    resolved.urlLayer = config.find("db.url")->layer;
    const std::string origin = originOf(config, "db.url");

    std::optional<Url> url;
    try {
        url = Url::parse(urlText);
    } catch (const Error& e) {
        // With db.driver set, a URL that does not parse may be the seed's
        // scheme-less form ("localhost:3306", "./modula.db").
        if (resolved.driverName.empty()) {
            if (hasUrlScheme(urlText))
                throw Error(ErrorCategory::Config,
                            "db.url (from " + origin + "): " + std::string(e.what()));
            throw Error(ErrorCategory::Config,
                        "db.url '" + secrets::mask(urlText) + "' (from " + origin +
                            ") has no URL scheme; write it like sqlite:./app.db or "
                            "postgres://host/db, or set db.driver");
        }
    }
    const std::string schemeDriver = url ? lookup.forScheme(url->scheme) : std::string();
    if (!schemeDriver.empty()) {
        if (resolved.driverName.empty()) resolved.driverName = schemeDriver;
        resolved.url = std::move(url);
    } else if (!resolved.driverName.empty()) {
        // db.driver chose: a URL with an authority under a scheme no installed
        // driver claims (postgresql:// for the cockroach driver, the postgres
        // one absent) still names the hosts, database and options.
        if (url && url->hasAuthority)
            resolved.url = std::move(url);
        else
            resolved.bareUrl = urlText;  // the seed's form: "localhost:3306" or "./modula.db"
    } else {
        throw Error(ErrorCategory::Config,
                    "no installed driver accepts the URL scheme '" + url->scheme +
                        "' of db.url (from " + origin +
                        "); 'plugdb drivers' lists the schemes available, or set db.driver");
    }
    return resolved;
}

DataSource finishDataSource(const Config& config, const ResolvedSource& resolved,
                            const LoadedDriver& driver) {
    const PluginInfo& plugin = driver.info;
    const bool embedded = (plugin.capabilities & kCapEmbedded) != 0;
    DataSource source;
    source.driver = plugin.name;

    if (resolved.url) {
        const Url& url = *resolved.url;
        source.user = url.user;
        source.password = url.password.value_or("");
        for (const auto& host : url.hosts)
            if (!host.host.empty() || host.port != 0)
                source.endpoints.push_back({host.host, host.port});
        if (embedded)
            source.database = url.path;
        else
            source.database = url.path.starts_with('/') ? url.path.substr(1) : url.path;
        for (const auto& [key, value] : url.query) source.options[key] = value;
    } else if (!resolved.bareUrl.empty()) {
        if (embedded)
            source.database = resolved.bareUrl;
        else
            source.endpoints.push_back(parseHostPort(resolved.bareUrl, "db.url"));
    }

    // Individual keys refine the URL when they come from the same or a later
    // layer, and fill in what the URL leaves out from any layer.
    const Layer atLeast =
        resolved.url || !resolved.bareUrl.empty() ? resolved.urlLayer : Layer::Default;
    if (!embedded) {
        if (auto hosts = overriding(config, "db.host",
                                    source.endpoints.empty() ? Layer::Default : atLeast)) {
            source.endpoints.clear();
            std::stringstream list(*hosts);
            for (std::string item; std::getline(list, item, ',');)
                if (!item.empty()) source.endpoints.push_back(parseHostPort(item, "db.host"));
        }
        if (auto port = overriding(config, "db.port", atLeast)) {
            const int number = parsePort(*port, "db.port");
            if (source.endpoints.empty()) source.endpoints.push_back({"", number});
            for (auto& endpoint : source.endpoints) endpoint.port = number;
        }
        if (auto name =
                overriding(config, "db.name", source.database.empty() ? Layer::Default : atLeast))
            source.database = *name;
        if (auto sslmode = overriding(config, "db.sslmode", atLeast))
            source.options["sslmode"] = *sslmode;
    } else if (auto path = overriding(config, "db.path",
                                      source.database.empty() ? Layer::Default : atLeast)) {
        source.database = *path;
    }
    // A part the URL leaves out may come from any layer.
    if (auto user = overriding(config, "db.user", source.user.empty() ? Layer::Default : atLeast))
        source.user = *user;
    if (auto password =
            overriding(config, "db.password", source.password.empty() ? Layer::Default : atLeast))
        source.password = *password;

    constexpr std::string_view kOptionPrefix = "db.options.";
    for (const auto& [key, setting] : config.settings()) {
        if (!key.starts_with(kOptionPrefix) || setting.value.empty()) continue;
        const std::string option = key.substr(kOptionPrefix.size());
        if (!source.options.contains(option) || setting.layer >= atLeast)
            source.options[option] = setting.value;
    }

    if (source.password.empty()) {
        if (const Setting* file = config.find("db.password_file"); file && !file->value.empty())
            source.password = readPasswordFile(file->value, file->origin);
    }
    secrets::remember(source.password);

    // Once, here, for every driver that declares its options: before anything is created or
    // connected.
    const DriverOptions* declared = driver.driver ? declaredOptions(*driver.driver) : nullptr;
    if (declared) checkOptions(plugin.name, *declared, source);

    if (embedded) {
        // Only a configuration that names no database falls back to the default
        // file; an explicit URL without a path ("sqlite:", "sqlite:?mode=ro") is a mistake.
        if (source.database.empty() && resolved.url)
            throw Error(ErrorCategory::Config,
                        "db.url '" + secrets::mask(config.getString("db.url")) + "' (from " +
                            originOf(config, "db.url") +
                            ") names no database file; write it like " + resolved.url->scheme +
                            ":./app.db or " + resolved.url->scheme + ":///srv/app.db");
        // The default file is a SQL database's; a key-value store must be told where it lives.
        if (source.database.empty() && (plugin.capabilities & kCapKeyValue) != 0)
            throw Error(ErrorCategory::Config,
                        "driver " + plugin.name +
                            " is a key-value engine and no database directory is configured; "
                            "set db.path, or db.url like " +
                            plugin.name + ":./var/kv");
        if (source.database.empty()) source.database = Config::kDefaultSqlitePath;
        const bool inMemory = source.database == ":memory:";
        if (!inMemory && !(declared && requestsReadOnly(*declared, source))) {
            const fs::path parent = fs::path(source.database).parent_path();
            std::error_code ec;
            if (!parent.empty() && !fs::exists(parent, ec) && !fs::create_directories(parent, ec))
                throw Error(ErrorCategory::Config, "cannot create the directory " +
                                                       parent.string() + " for database " +
                                                       source.database + ": " + ec.message());
        }
    }
    return source;
}

std::string describeTarget(const DataSource& source, const PluginInfo& plugin) {
    if ((plugin.capabilities & kCapEmbedded) != 0) return plugin.name + ":" + source.database;
    // No host and no user: the URL had no authority ("name:text"), or an empty one, which
    // says the same.
    if (source.endpoints.empty() && source.user.empty())
        return secrets::mask(plugin.name + ":" + source.database);
    std::string out = plugin.name + "://";
    if (!source.user.empty()) out += source.user + "@";
    for (std::size_t i = 0; i < source.endpoints.size(); ++i) {
        const auto& endpoint = source.endpoints[i];
        if (i > 0) out += ",";
        const bool ipv6 = endpoint.host.find(':') != std::string::npos;
        if (ipv6) out += '[';
        out += endpoint.host;
        if (ipv6) out += ']';
        if (endpoint.port != 0) {
            out += ':';
            out += std::to_string(endpoint.port);
        }
    }
    out += '/';
    out += source.database;
    return secrets::mask(out);
}

}  // namespace plugdb
