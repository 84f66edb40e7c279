// The environment layer: which variables set which keys (from the settings
// table) and how they are read.
#include <cstdlib>

#include "plugdb/config.h"
#include "plugdb/settings.h"

namespace plugdb {

void Config::loadEnvironment(const EnvLookup& env) {
    for (const auto& [variable, key] : environmentNames()) {
        std::optional<std::string> value = env(variable);
        if (value && !value->empty())
            set(key, std::move(*value), Layer::Environment, "env " + variable);
    }
}

Config::EnvLookup Config::processEnvironment() {
    return [](const std::string& name) -> std::optional<std::string> {
        const char* value = std::getenv(name.c_str());
        if (value == nullptr) return std::nullopt;
        return std::string(value);
    };
}

const std::vector<std::pair<std::string, std::string>>& Config::environmentNames() {
    static const std::vector<std::pair<std::string, std::string>> kNames = [] {
        std::vector<std::pair<std::string, std::string>> names;
        for (const settings::Definition& definition : settings::all())
            for (const std::string_view variable : definition.environment)
                if (!variable.empty()) names.emplace_back(variable, definition.key);
        return names;
    }();
    return kNames;
}

}  // namespace plugdb
