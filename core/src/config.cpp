#include "plugdb/config.h"

#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Util/IniFileConfiguration.h>
#include <Poco/Util/PropertyFileConfiguration.h>
#include <dlfcn.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <set>
#include <sstream>

#include "plugdb/error.h"
#include "plugdb/input_file.h"
#include "plugdb/secrets.h"
#include "url_secrets.h"

namespace fs = std::filesystem;

namespace plugdb {
namespace {

// An object inside the core library, so dladdr can tell where the library lives.
const char kLocationAnchor = 0;

std::string lowerCase(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string_view trim(std::string_view text) {
    const auto isSpace = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
    while (!text.empty() && isSpace(text.front())) text.remove_prefix(1);
    while (!text.empty() && isSpace(text.back())) text.remove_suffix(1);
    return text;
}

bool isDigit(char c) {
    return c >= '0' && c <= '9';
}

[[noreturn]] void configError(const std::string& message) {
    throw Error(ErrorCategory::Config, message);
}

// ---- files -----------------------------------------------------------------

// The seed's flat JSON names, accepted in every file format.
const std::map<std::string, std::string>& seedAliases() {
    static const std::map<std::string, std::string> kAliases{
        {"db_driver", "db.driver"}, {"db_url", "db.url"},   {"db_name", "db.name"},
        {"db_username", "db.user"}, {"db_user", "db.user"}, {"db_password", "db.password"},
        {"db_host", "db.host"},     {"db_port", "db.port"}};
    return kAliases;
}

using RawEntries = std::vector<std::pair<std::string, std::string>>;

void flattenJson(const Poco::JSON::Object& object, const std::string& prefix, RawEntries& out) {
    for (const auto& [name, value] : object) {
        const std::string key = prefix.empty() ? name : prefix + "." + name;
        if (value.type() == typeid(Poco::JSON::Object::Ptr)) {
            flattenJson(*value.extract<Poco::JSON::Object::Ptr>(), key, out);
        } else if (value.isEmpty()) {
            continue;  // null: not set
        } else if (value.type() == typeid(Poco::JSON::Array::Ptr)) {
            std::ostringstream text;
            Poco::JSON::Stringifier::stringify(value, text);
            out.emplace_back(key, text.str());
        } else {
            out.emplace_back(key, value.convert<std::string>());
        }
    }
}

RawEntries readJson(std::istream& in) {
    Poco::JSON::Parser parser;
    const Poco::Dynamic::Var root = parser.parse(in);
    if (root.type() != typeid(Poco::JSON::Object::Ptr))
        throw Poco::DataFormatException("the top level is not a JSON object");
    RawEntries entries;
    flattenJson(*root.extract<Poco::JSON::Object::Ptr>(), "", entries);
    return entries;
}

// Every leaf key of a Poco configuration, with dotted names.
void collectLeaves(const Poco::Util::AbstractConfiguration& config, const std::string& prefix,
                   RawEntries& out) {
    Poco::Util::AbstractConfiguration::Keys children;
    config.keys(prefix, children);
    if (!prefix.empty() && config.hasProperty(prefix))
        out.emplace_back(prefix, config.getRawString(prefix));
    for (const auto& child : children)
        collectLeaves(config, prefix.empty() ? child : prefix + "." + child, out);
}

enum class FileFormat { Json, Ini, Properties };

std::optional<FileFormat> formatOf(const std::string& path) {
    const std::string extension = lowerCase(fs::path(path).extension().string());
    if (extension == ".json") return FileFormat::Json;
    if (extension == ".ini") return FileFormat::Ini;
    if (extension == ".properties" || extension == ".conf") return FileFormat::Properties;
    return std::nullopt;
}

RawEntries readConfigFile(const std::string& path) {
    const auto format = formatOf(path);
    if (!format)
        configError("the configuration file " + path +
                    " has an unknown extension; use .json, .ini, .properties or .conf");
    std::istringstream in(readInputFile(path, InputFileLimits::kConfigBytes, "the configuration file"));
    RawEntries entries;
    try {
        switch (*format) {
            case FileFormat::Json:
                entries = readJson(in);
                break;
            case FileFormat::Ini: {
                Poco::AutoPtr config(new Poco::Util::IniFileConfiguration(in));
                collectLeaves(*config, "", entries);
                break;
            }
            case FileFormat::Properties: {
                Poco::AutoPtr config(new Poco::Util::PropertyFileConfiguration(in));
                collectLeaves(*config, "", entries);
                break;
            }
        }
    } catch (const Poco::Exception& e) {
        configError("cannot parse the configuration file " + path + ": " +
                    secrets::mask(e.displayText()));
    }
    return entries;
}

bool isVariableName(std::string_view name) {
    return !name.empty() && !isDigit(name.front()) &&
           std::all_of(name.begin(), name.end(), [](char c) {
               return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
           });
}

// ${VAR}, ${VAR:-fallback} and "$$" for a literal '$'.
std::string interpolate(const std::string& value, const std::string& key, const std::string& path,
                        const Config::EnvLookup& env) {
    std::string out;
    out.reserve(value.size());
    for (std::size_t i = 0; i < value.size(); ++i) {
        if (value[i] != '$' || i + 1 >= value.size()) {
            out += value[i];
        } else if (value[i + 1] == '$') {
            out += '$';
            ++i;
        } else if (value[i + 1] == '{') {
            const auto close = value.find('}', i + 2);
            if (close == std::string::npos)
                configError(key + " in " + path + " has a '${' without its closing '}'");
            const std::string_view inside = std::string_view(value).substr(i + 2, close - i - 2);
            const auto fallbackAt = inside.find(":-");
            const std::string name(inside.substr(0, fallbackAt));
            if (!isVariableName(name))
                configError(key + " in " + path + " refers to '${" + std::string(inside) +
                            "}', which is not a valid environment variable reference");
            const std::optional<std::string> found = env(name);
            if (fallbackAt != std::string_view::npos && (!found || found->empty()))
                out += inside.substr(fallbackAt + 2);
            else if (found)
                out += *found;
            else
                configError(key + " in " + path + " uses the environment variable " + name +
                            ", which is not set (write ${" + name + ":-default} for a fallback)");
            i = close;
        } else {
            out += value[i];
        }
    }
    return out;
}

std::string trimmedLower(std::string_view value) {
    return lowerCase(trim(value));
}

}  // namespace

// ---- Layer, keys, durations ----------------------------------------------------

const char* toString(Layer layer) {
    switch (layer) {
        case Layer::Default:
            return "default";
        case Layer::File:
            return "file";
        case Layer::Environment:
            return "environment";
        case Layer::CommandLine:
            return "command line";
    }
    return "unknown";
}

bool isSecretKey(std::string_view key) {
    const std::string lowered = lowerCase(key);
    const auto dot = lowered.rfind('.');
    const std::string_view last = dot == std::string::npos
                                      ? std::string_view(lowered)
                                      : std::string_view(lowered).substr(dot + 1);
    if (last.ends_with("_file")) return false;  // a path to a secret is not itself secret
    static constexpr std::array<std::string_view, 4> kSecretWords{"password", "passwd", "secret",
                                                                  "token"};
    for (const std::string_view word : kSecretWords)
        if (last.find(word) != std::string_view::npos) return true;
    return lowered.starts_with("db.options.") && (last == "key" || last == "pwd");
}

namespace {

// The duration in milliseconds, not yet rounded.
std::optional<long double> durationMillis(std::string_view text) {
    text = trim(text);
    if (text.empty()) return std::nullopt;
    constexpr long double kMaxMillis = 9.2e18L;  // below INT64_MAX, leaving room for rounding
    if (std::all_of(text.begin(), text.end(), isDigit)) {
        if (text.size() > 16) return std::nullopt;
        const long double seconds = std::stold(std::string(text));
        if (seconds * 1000 > kMaxMillis) return std::nullopt;
        return seconds * 1000;
    }
    long double total = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t numberStart = i;
        while (i < text.size() && isDigit(text[i])) ++i;
        const bool hasInteger = i > numberStart;
        bool hasFraction = false;
        if (i < text.size() && text[i] == '.') {
            ++i;
            const std::size_t fractionStart = i;
            while (i < text.size() && isDigit(text[i])) ++i;
            hasFraction = i > fractionStart;
        }
        if (!hasInteger && !hasFraction) return std::nullopt;
        const std::string_view number = text.substr(numberStart, i - numberStart);
        if (number.size() > 30) return std::nullopt;

        long double unitMillis = 0;
        if (text.substr(i).starts_with("ms")) {
            unitMillis = 1;
            i += 2;
        } else if (i < text.size() && (text[i] == 's' || text[i] == 'm' || text[i] == 'h')) {
            unitMillis = text[i] == 's' ? 1000 : text[i] == 'm' ? 60'000 : 3'600'000;
            ++i;
        } else {
            return std::nullopt;  // unknown or missing unit
        }
        total += std::stold(std::string(number)) * unitMillis;
        if (total > kMaxMillis) return std::nullopt;
    }
    return total;
}

// A positive duration shorter than the resolution would round to 0, which
// means "none" for every duration key: refused instead of silently turned off.
bool belowResolution(long double millis) {
    return millis > 0 && std::llround(millis) == 0;
}

}  // namespace

std::optional<std::chrono::milliseconds> parseDuration(std::string_view text) {
    const auto millis = durationMillis(text);
    if (!millis || belowResolution(*millis)) return std::nullopt;
    return std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(*millis)));
}

// ---- Config --------------------------------------------------------------------

Config Config::withDefaults() {
    static constexpr std::pair<const char*, const char*> kDefaults[] = {
        {"db.driver", ""},
        {"db.url", ""},
        {"db.host", ""},
        {"db.port", ""},
        {"db.user", ""},
        {"db.password", ""},
        {"db.password_file", ""},
        {"db.name", ""},
        {"db.sslmode", ""},
        {"db.path", ""},
        {"plugins.path", ""},
        {"http.listen", "127.0.0.1:8080"},
        {"http.header_timeout", "5s"},
        {"http.max_connections", "256"},
        {"log.level", "information"},
        {"log.format", "plain"},
        {"pool.max_open", "25"},
        {"pool.max_idle", "5"},
        {"pool.max_lifetime", "5m"},
        {"pool.max_idle_time", "5m"},
        {"pool.acquire_timeout", "30s"},
        {"pool.ping_idle_after", "1s"},
        {"connect.attempts", "5"},
        {"connect.backoff_initial", "1s"},
        {"connect.backoff_max", "16s"},
        {"transaction.max_attempts", "5"},
        {"transaction.backoff_initial", "10ms"},
        {"transaction.backoff_max", "1s"},
        {"db.query_timeout", "0"},
        {"migrations.path", "./migrations"},
        {"migrations.table", "plugdb_migrations"},
        {"migrations.allow_gaps", "false"},
        {"migrations.lock", "auto"},
        {"migrations.lock_timeout", "5m"},
        {"migrations.lock_lease", "30s"},
        {"migrate.auto", ""},  // empty: true for SQLite, false for server engines
        {"migrate.out_of_order", "false"},
        {"limits.sql_file_bytes", "268435456"},
    };
    Config config;
    for (const auto& [key, value] : kDefaults) config.set(key, value, Layer::Default, "built-in");
    return config;
}

void Config::set(const std::string& key, std::string value, Layer layer, std::string origin) {
    const std::string normalized = lowerCase(trim(key));
    if (normalized.empty()) configError("a configuration key is empty (from " + origin + ")");
    // A C API would read the value only up to the NUL: "./a\0b.db" would open "./a".
    if (value.find('\0') != std::string::npos || normalized.find('\0') != std::string::npos)
        configError("the value of " + normalized + " (from " + origin + ") contains a NUL byte");
    if (isSecretKey(normalized) && !value.empty()) secrets::remember(value);
    if (normalized == "db.url") rememberUrlPassword(value);

    const auto existing = settings_.find(normalized);
    if (existing != settings_.end() && existing->second.layer > layer) return;
    settings_[normalized] = Setting{std::move(value), layer, std::move(origin)};
}

void Config::loadFile(const std::string& path, const EnvLookup& env) {
    const RawEntries entries = readConfigFile(path);

    // Canonical names win over the seed's aliases when a file has both.
    std::set<std::string> canonicalKeys;
    for (const auto& [fileKey, value] : entries) canonicalKeys.insert(lowerCase(fileKey));

    for (const auto& [fileKey, value] : entries) {
        std::string key = lowerCase(fileKey);
        if (const auto alias = seedAliases().find(key); alias != seedAliases().end()) {
            if (canonicalKeys.contains(alias->second)) continue;
            key = alias->second;
        }
        set(key, interpolate(value, fileKey, path, env), Layer::File, path);
    }
}

void Config::loadEnvironment(const EnvLookup& env) {
    for (const auto& [variable, key] : environmentNames()) {
        std::optional<std::string> value = env(variable);
        if (value && !value->empty())
            set(key, std::move(*value), Layer::Environment, "env " + variable);
    }
}

const Setting* Config::find(const std::string& key) const {
    const auto it = settings_.find(key);
    if (it != settings_.end()) return &it->second;
    const std::string normalized = lowerCase(key);
    if (normalized == key) return nullptr;
    const auto lowered = settings_.find(normalized);
    return lowered == settings_.end() ? nullptr : &lowered->second;
}

std::optional<std::string> Config::get(const std::string& key) const {
    const Setting* setting = find(key);
    if (setting == nullptr) return std::nullopt;
    return setting->value;
}

std::string Config::getString(const std::string& key, const std::string& fallback) const {
    const Setting* setting = find(key);
    return setting == nullptr ? fallback : setting->value;
}

bool Config::getBool(const std::string& key, bool fallback) const {
    const Setting* setting = find(key);
    if (setting == nullptr || trim(setting->value).empty()) return fallback;
    const std::string value = trimmedLower(setting->value);
    if (value == "true" || value == "1" || value == "yes" || value == "on") return true;
    if (value == "false" || value == "0" || value == "no" || value == "off") return false;
    configError(key + " has the value '" + secrets::mask(setting->value) + "' (from " +
                setting->origin +
                "), which is not a boolean; use true/false, yes/no, on/off or 1/0");
}

int Config::getInt(const std::string& key, int fallback, int minimum) const {
    const Setting* setting = find(key);
    if (setting == nullptr || trim(setting->value).empty()) return fallback;
    const std::string value(trim(setting->value));
    int number = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
    if (ec != std::errc() || end != value.data() + value.size() || number < minimum)
        configError(key + " has the value '" + secrets::mask(setting->value) + "' (from " +
                    setting->origin +
                    "), which is not a whole number >= " + std::to_string(minimum));
    return number;
}

std::chrono::milliseconds Config::getDuration(const std::string& key,
                                              std::chrono::milliseconds fallback) const {
    const Setting* setting = find(key);
    if (setting == nullptr || trim(setting->value).empty()) return fallback;
    if (auto duration = parseDuration(setting->value)) return *duration;
    if (auto millis = durationMillis(setting->value); millis && belowResolution(*millis))
        configError(key + " has the value '" + secrets::mask(setting->value) + "' (from " +
                    setting->origin +
                    "), shorter than 1ms, the smallest duration; use 0 for none or at least 1ms");
    configError(key + " has the value '" + secrets::mask(setting->value) + "' (from " +
                setting->origin + "), which is not a duration; use e.g. 250ms, 30s, 5m or 1h30m");
}

std::vector<std::string> Config::pluginSearchPath() const {
    std::vector<std::string> path;
    std::set<std::string> seen;
    const auto add = [&](const std::string& directory) {
        if (directory.empty()) return;
        const std::string normalized = fs::path(directory).lexically_normal().string();
        const std::string key = normalized.size() > 1 && normalized.ends_with('/')
                                    ? normalized.substr(0, normalized.size() - 1)
                                    : normalized;
        if (seen.insert(key).second) path.push_back(directory);
    };

    const std::string configured = getString("plugins.path");
    std::size_t start = 0;
    while (start <= configured.size()) {
        const auto colon = configured.find(':', start);
        add(configured.substr(start, colon - start));
        if (colon == std::string::npos) break;
        start = colon + 1;
    }

    std::error_code error;
    const fs::path program = fs::read_symlink("/proc/self/exe", error);
    if (!error)
        add((program.parent_path() / ".." / "lib" / "plugdb" / "plugins")
                .lexically_normal()
                .string());

    Dl_info info{};
    if (dladdr(&kLocationAnchor, &info) != 0 && info.dli_fname != nullptr) {
        const fs::path library = fs::absolute(info.dli_fname, error);
        if (!error) add((library.parent_path() / "plugdb" / "plugins").lexically_normal().string());
    }
    return path;
}

Config::EnvLookup Config::processEnvironment() {
    return [](const std::string& name) -> std::optional<std::string> {
        const char* value = std::getenv(name.c_str());
        if (value == nullptr) return std::nullopt;
        return std::string(value);
    };
}

const std::vector<std::pair<std::string, std::string>>& Config::environmentNames() {
    static const std::vector<std::pair<std::string, std::string>> kNames{
        {"DATABASE_URL", "db.url"},
        {"DB_DRIVER", "db.driver"},
        {"DB_HOST", "db.host"},
        {"DB_PORT", "db.port"},
        {"DB_USER", "db.user"},
        {"DB_PASSWORD", "db.password"},
        {"DB_PASSWORD_FILE", "db.password_file"},
        {"DB_NAME", "db.name"},
        {"DB_SSLMODE", "db.sslmode"},
        {"DB_SSL_MODE", "db.sslmode"},
        {"DB_PATH", "db.path"},
        {"DB_MAX_OPEN_CONNS", "pool.max_open"},
        {"DB_MAX_IDLE_CONNS", "pool.max_idle"},
        {"DB_CONN_MAX_LIFETIME", "pool.max_lifetime"},
        {"DB_CONN_MAX_IDLE_TIME", "pool.max_idle_time"},
        {"DB_POOL_ACQUIRE_TIMEOUT", "pool.acquire_timeout"},
        {"DB_QUERY_TIMEOUT", "db.query_timeout"},
        {"DB_AUTO_MIGRATE", "migrate.auto"},
        {"DB_MIGRATE_PATH", "migrations.path"},
        {"PLUGDB_PLUGIN_PATH", "plugins.path"},
        {"PLUGDB_LISTEN", "http.listen"},
        {"PLUGDB_LOG_LEVEL", "log.level"},
        {"PLUGDB_LOG_FORMAT", "log.format"},
    };
    return kNames;
}

}  // namespace plugdb
