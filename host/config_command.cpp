#include <iostream>

#include "commands.h"
#include "output.h"
#include "plugdb/error.h"
#include "plugdb/secrets.h"

namespace plugdb::host {

int runConfig(const Invocation& inv) {
    if (inv.args.size() != 1 || inv.args[0] != "show")
        throw Error(ErrorCategory::InvalidArgument, "usage: plugdb config show");
    std::vector<std::vector<std::string>> rows;
    for (const auto& [key, setting] : inv.config.settings()) {
        std::string value = setting.value;
        if (isSecretKey(key) && !value.empty()) value = secrets::kMask;
        rows.push_back({key, secrets::mask(value),
                        std::string(toString(setting.layer)) + " (" + setting.origin + ")"});
    }
    printTable({"KEY", "VALUE", "FROM"}, rows, std::cout);
    return kExitOk;
}

}  // namespace plugdb::host
