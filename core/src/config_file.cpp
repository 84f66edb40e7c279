// Config::loadFile: configuration files in JSON, INI, properties or TOML format,
// with ${VAR} references expanded and the seed's flat key names accepted.
#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Util/IniFileConfiguration.h>
#include <Poco/Util/PropertyFileConfiguration.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "ascii_text.h"
#include "config_toml.h"
#include "plugdb/config.h"
#include "plugdb/error.h"
#include "plugdb/input_file.h"
#include "plugdb/secrets.h"

namespace fs = std::filesystem;

namespace plugdb {
namespace {

using ascii::isDigit;
using ascii::lowerCase;

[[noreturn]] void configError(const std::string& message) {
    throw Error(ErrorCategory::Config, message);
}

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

enum class FileFormat { Json, Ini, Properties, Toml };

std::optional<FileFormat> formatOf(const std::string& path) {
    const std::string extension = lowerCase(fs::path(path).extension().string());
    if (extension == ".json") return FileFormat::Json;
    if (extension == ".ini") return FileFormat::Ini;
    if (extension == ".properties" || extension == ".conf") return FileFormat::Properties;
    if (extension == ".toml") return FileFormat::Toml;
    return std::nullopt;
}

RawEntries readConfigFile(const std::string& path) {
    const auto format = formatOf(path);
    if (!format)
        configError("the configuration file " + path +
                    " has an unknown extension; use .json, .ini, .properties, .conf or .toml");
    const std::string content =
        readInputFile(path, InputFileLimits::kConfigBytes, "the configuration file");
    // toml++ reports errors of its own, with line and column.
    if (*format == FileFormat::Toml) return detail::readTomlConfig(content, path);
    std::istringstream in(content);
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
            case FileFormat::Toml:
                break;  // read above
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

}  // namespace

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

}  // namespace plugdb
