// plugdb config show: every key of the settings table in the table's order,
// then any other key that was set, each with its value (secrets masked) and
// where it came from.
#include <iostream>

#include "commands.h"
#include "output.h"
#include "plugdb/error.h"
#include "plugdb/secrets.h"
#include "plugdb/settings.h"

namespace plugdb::host {
namespace {

std::vector<std::string> row(const std::string& key, const Setting& setting) {
    std::string value = setting.value;
    if (secrets::isSecretName(key) && !value.empty()) value = secrets::kMask;
    std::string from = std::string(toString(setting.layer)) + " (" + setting.origin + ")";
    // Kept rather than refused (a file may carry keys of newer versions), but a
    // typo should not go unnoticed.
    if (!settings::isKnown(key)) from += ", not a known key";
    return {key, secrets::mask(value), from};
}

}  // namespace

int runConfig(const Invocation& inv) {
    if (inv.args.size() != 1 || inv.args[0] != "show")
        throw Error(ErrorCategory::InvalidArgument, "usage: plugdb config show");
    std::vector<std::vector<std::string>> rows;
    for (const settings::Definition& definition : settings::all())
        if (const Setting* setting = inv.config.find(definition.key))
            rows.push_back(row(definition.key, *setting));
    for (const auto& [key, setting] : inv.config.settings())
        if (settings::find(key) == nullptr) rows.push_back(row(key, setting));
    printTable({"KEY", "VALUE", "FROM"}, rows, std::cout);
    return kExitOk;
}

}  // namespace plugdb::host
