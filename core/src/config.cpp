// Config: the layered key/value store and its typed getters. Files, the
// environment and the plugin search path have files of their own
// (config_file.cpp, config_environment.cpp, plugin_search_path.cpp); the keys
// and their defaults are the settings table (settings.cpp).
#include "plugdb/config.h"

#include <charconv>

#include "ascii_text.h"
#include "duration_detail.h"
#include "plugdb/error.h"
#include "plugdb/secrets.h"
#include "plugdb/settings.h"
#include "url_secrets.h"

namespace plugdb {
namespace {

using ascii::lowerCase;
using ascii::trim;

[[noreturn]] void configError(const std::string& message) {
    throw Error(ErrorCategory::Config, message);
}

std::string trimmedLower(std::string_view value) {
    return lowerCase(trim(value));
}

}  // namespace

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

Config Config::withDefaults() {
    Config config;
    for (const settings::Definition& definition : settings::all())
        config.set(definition.key, definition.defaultValue, Layer::Default, "built-in");
    return config;
}

void Config::set(const std::string& key, std::string value, Layer layer, std::string origin) {
    const std::string normalized = lowerCase(trim(key));
    if (normalized.empty()) configError("a configuration key is empty (from " + origin + ")");
    // A C API would read the value only up to the NUL: "./a\0b.db" would open "./a".
    if (value.find('\0') != std::string::npos || normalized.find('\0') != std::string::npos)
        configError("the value of " + normalized + " (from " + origin + ") contains a NUL byte");
    if (secrets::isSecretName(normalized) && !value.empty()) secrets::remember(value);
    if (normalized == "db.url") rememberUrlPassword(value);

    const auto existing = settings_.find(normalized);
    if (existing != settings_.end() && existing->second.layer > layer) return;
    settings_[normalized] = Setting{std::move(value), layer, std::move(origin)};
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
    if (detail::isBelowDurationResolution(setting->value))
        configError(key + " has the value '" + secrets::mask(setting->value) + "' (from " +
                    setting->origin +
                    "), shorter than 1ms, the smallest duration; use 0 for none or at least 1ms");
    configError(key + " has the value '" + secrets::mask(setting->value) + "' (from " +
                setting->origin + "), which is not a duration; use e.g. 250ms, 30s, 5m or 1h30m");
}

}  // namespace plugdb
