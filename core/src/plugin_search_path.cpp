// Where plugins are looked for: plugins.path, then the directories next to
// the installed program and to libplugdb-core.
#include <dlfcn.h>

#include <filesystem>
#include <set>

#include "plugdb/config.h"

namespace fs = std::filesystem;

namespace plugdb {
namespace {

// An object inside the core library, so dladdr can tell where the library lives.
const char kLocationAnchor = 0;

}  // namespace

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

}  // namespace plugdb
