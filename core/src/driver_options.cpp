#include "plugdb/driver_options.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "plugdb/duration.h"
#include "plugdb/error.h"
#include "plugdb/secrets.h"

namespace plugdb {
namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
    return out;
}

std::string knownNames(const DriverOptions& declared) {
    std::vector<std::string> names;
    for (const auto& option : declared.options) names.push_back(option.name);
    std::sort(names.begin(), names.end());
    return names.empty() ? "none" : joined(names);
}

// What a value of `option` must look like, for the refusal.
std::string expectation(const DriverOption& option) {
    using Kind = DriverOption::Kind;
    const bool bounded = option.min != std::numeric_limits<std::int64_t>::min() ||
                         option.max != std::numeric_limits<std::int64_t>::max();
    const std::string range =
        " from " + std::to_string(option.min) + " to " + std::to_string(option.max);
    switch (option.kind) {
        case Kind::Bool:
            return "true or false (also 1/0, on/off, yes/no)";
        case Kind::Int:
            return "a whole number" + (bounded ? range : std::string());
        case Kind::Duration:
            return "a duration like 250ms, 5s or 2m, or a bare number of " +
                   (option.bareUnit == std::chrono::seconds(1)
                        ? std::string("seconds")
                        : std::to_string(option.bareUnit.count()) + "ms units") +
                   (bounded ? " (" + range.substr(1) + " ms)" : std::string());
        case Kind::Text:
            break;
    }
    return "one of " + joined(option.choices);
}

bool fits(const DriverOption& option, const std::string& value) {
    using Kind = DriverOption::Kind;
    switch (option.kind) {
        case Kind::Bool:
            return parseOptionBool(value).has_value();
        case Kind::Int: {
            const auto number = parseOptionInt(value);
            return number && *number >= option.min && *number <= option.max;
        }
        case Kind::Duration: {
            const auto duration = parseOptionDuration(value, option.bareUnit);
            return duration && duration->count() >= option.min && duration->count() <= option.max;
        }
        case Kind::Text:
            break;
    }
    if (option.choices.empty()) return true;
    const std::string word = lower(value);
    return std::any_of(option.choices.begin(), option.choices.end(),
                       [&](const std::string& choice) { return lower(choice) == word; });
}

const DriverOption* find(const DriverOptions& declared, const std::string& name) {
    for (const auto& option : declared.options)
        if (option.name == name) return &option;
    return nullptr;
}

std::string shown(const std::string& name, const std::string& value) {
    return secrets::isSecretName(name) ? std::string(secrets::kMask) : secrets::mask(value);
}

}  // namespace

// Out of line: the interface's type_info lives once, in core, so dynamic_cast
// finds it across plugins.
DriverOptionsProvider::~DriverOptionsProvider() = default;

const DriverOptions* declaredOptions(const Driver& driver) {
    const auto* provider = dynamic_cast<const DriverOptionsProvider*>(&driver);
    return provider ? &provider->driverOptions() : nullptr;
}

void checkOptions(const std::string& driverName, const DriverOptions& declared,
                  const DataSource& source) {
    for (const auto& [name, value] : source.options) {
        const DriverOption* option = find(declared, name);
        if (option == nullptr) {
            if (declared.passUnknownOptions) continue;
            throw Error(ErrorCategory::Config, driverName + ": unknown option '" + name +
                                                   "' (value '" + shown(name, value) +
                                                   "'); known options: " + knownNames(declared));
        }
        if (!fits(*option, value))
            throw Error(ErrorCategory::Config,
                        driverName + ": option " + name + "='" + shown(name, value) +
                            "' is invalid; expected " + expectation(*option) +
                            (option->description.empty() ? "" : " (" + option->description + ")"));
    }
}

bool requestsReadOnly(const DriverOptions& declared, const DataSource& source) {
    for (const auto& option : declared.options) {
        if (option.readOnlyValue.empty()) continue;
        const auto it = source.options.find(option.name);
        if (it == source.options.end()) continue;
        if (option.kind == DriverOption::Kind::Bool) {
            if (parseOptionBool(it->second) == parseOptionBool(option.readOnlyValue)) return true;
        } else if (lower(it->second) == lower(option.readOnlyValue)) {
            return true;
        }
    }
    return false;
}

std::optional<bool> parseOptionBool(std::string_view text) {
    const std::string word = lower(text);
    if (word == "1" || word == "true" || word == "on" || word == "yes") return true;
    if (word == "0" || word == "false" || word == "off" || word == "no") return false;
    return std::nullopt;
}

std::optional<std::int64_t> parseOptionInt(std::string_view text) {
    std::int64_t number = 0;
    const char* end = text.data() + text.size();
    const auto [stop, ec] = std::from_chars(text.data(), end, number);
    if (text.empty() || ec != std::errc{} || stop != end) return std::nullopt;
    return number;
}

std::optional<std::chrono::milliseconds> parseOptionDuration(std::string_view text,
                                                             std::chrono::milliseconds bareUnit) {
    if (!text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
            return std::isdigit(static_cast<unsigned char>(c)) != 0;
        })) {
        const auto count = parseOptionInt(text);
        if (!count || (bareUnit.count() > 0 &&
                       *count > std::numeric_limits<std::int64_t>::max() / bareUnit.count()))
            return std::nullopt;
        return bareUnit * *count;
    }
    return parseDuration(text);
}

}  // namespace plugdb
