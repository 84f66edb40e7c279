// TOML configuration files (toml++): tables become dotted keys, values become
// the text a JSON file gives for the same value, so that every format reads
// the same settings the same way.
#include "config_toml.h"

#include <Poco/JSONString.h>
#include <toml++/toml.h>

#include <charconv>
#include <cmath>
#include <sstream>

#include "plugdb/error.h"
#include "plugdb/secrets.h"

namespace plugdb::detail {
namespace {

using Entries = std::vector<std::pair<std::string, std::string>>;

std::string doubleText(double value) {
    if (std::isnan(value)) return "nan";
    if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
    char buffer[32];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, ec == std::errc{} ? end : buffer);
}

// Dates and times as TOML writes them (RFC 3339: 1979-05-27T07:32:00Z).
template <class T>
std::string dateText(const T& value) {
    std::ostringstream out;
    out << value;
    return out.str();
}

// Quoted and escaped by Poco, as Poco::JSON::Stringifier writes a JSON file's
// strings, so that arrays read the same from either format.
std::string jsonString(std::string_view text) {
    return Poco::toJSON(std::string(text), Poco::JSON_WRAP_STRINGS);
}

// A scalar as its setting text: strings as written, numbers and booleans as
// their text, dates in RFC 3339.
std::string scalarText(const toml::node& node) {
    if (const auto* s = node.as_string()) return s->get();
    if (const auto* i = node.as_integer()) return std::to_string(i->get());
    if (const auto* d = node.as_floating_point()) return doubleText(d->get());
    if (const auto* b = node.as_boolean()) return b->get() ? "true" : "false";
    if (const auto* date = node.as_date()) return dateText(date->get());
    if (const auto* time = node.as_time()) return dateText(time->get());
    if (const auto* dateTime = node.as_date_time()) return dateText(dateTime->get());
    return {};
}

// Arrays stay one value, as JSON text (["a","b"]), as a JSON file's arrays do.
std::string jsonText(const toml::node& node) {
    if (const auto* array = node.as_array()) {
        std::string out = "[";
        for (const toml::node& element : *array) {
            if (out.size() > 1) out += ',';
            out += jsonText(element);
        }
        return out + "]";
    }
    if (const auto* table = node.as_table()) {
        std::string out = "{";
        for (const auto& [key, value] : *table) {
            if (out.size() > 1) out += ',';
            out += jsonString(key.str()) + ":" + jsonText(value);
        }
        return out + "}";
    }
    if (node.is_string() || node.is_date() || node.is_time() || node.is_date_time())
        return jsonString(scalarText(node));
    return scalarText(node);
}

void flatten(const toml::table& table, const std::string& prefix, Entries& out) {
    for (const auto& [name, node] : table) {
        const std::string key =
            prefix.empty() ? std::string(name.str()) : prefix + "." + std::string(name.str());
        if (const auto* child = node.as_table())
            flatten(*child, key, out);
        else if (node.is_array())
            out.emplace_back(key, jsonText(node));
        else
            out.emplace_back(key, scalarText(node));
    }
}

}  // namespace

Entries readTomlConfig(const std::string& text, const std::string& path) {
    toml::table root;
    try {
        root = toml::parse(text, path);
    } catch (const toml::parse_error& e) {
        const toml::source_position at = e.source().begin;
        throw Error(ErrorCategory::Config, "cannot parse the configuration file " + path +
                                               " at line " + std::to_string(at.line) + ", column " +
                                               std::to_string(at.column) + ": " +
                                               secrets::mask(std::string(e.description())));
    }
    Entries entries;
    flatten(root, "", entries);
    return entries;
}

}  // namespace plugdb::detail
