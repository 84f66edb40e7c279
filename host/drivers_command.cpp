#include <iostream>

#include "commands.h"
#include "output.h"
#include "plugdb/registry.h"

namespace plugdb::host {

int runDrivers(const Invocation& inv) {
    const Format format = parseFormat(inv.format, /*allowCsv=*/false);
    const auto searchPath = inv.config.pluginSearchPath();
    const PluginScan scan = DriverRegistry::instance().scan(searchPath);
    auto join = [](const std::vector<std::string>& items) {
        std::string out;
        for (const auto& item : items) out += (out.empty() ? "" : ",") + item;
        return out;
    };
    std::string pathText;
    for (const auto& dir : searchPath) pathText += (pathText.empty() ? "" : ":") + dir;

    if (format == Format::Json) {
        std::cout << "{\"plugin_path\":" << jsonString(pathText) << ",\"drivers\":[";
        for (std::size_t i = 0; i < scan.plugins.size(); ++i) {
            const auto& p = scan.plugins[i];
            std::cout << (i ? "," : "") << "{\"name\":" << jsonString(p.name)
                      << ",\"aliases\":" << jsonString(join(p.aliases))
                      << ",\"version\":" << jsonString(p.version) << ",\"abi\":"
                      << jsonString(std::to_string(p.abiMajor) + "." + std::to_string(p.abiMinor))
                      << ",\"schemes\":" << jsonString(join(p.schemes))
                      << ",\"capabilities\":" << jsonString(capabilitiesToString(p.capabilities))
                      << ",\"file\":" << jsonString(p.file) << "}";
        }
        std::cout << "],\"refused\":[";
        for (std::size_t i = 0; i < scan.problems.size(); ++i)
            std::cout << (i ? "," : "") << "{\"file\":" << jsonString(scan.problems[i].file)
                      << ",\"reason\":" << jsonString(scan.problems[i].reason) << "}";
        std::cout << "]}\n";
        return kExitOk;
    }

    std::vector<std::vector<std::string>> rows;
    for (const auto& p : scan.plugins)
        rows.push_back({p.name, join(p.aliases), p.version,
                        std::to_string(p.abiMajor) + "." + std::to_string(p.abiMinor),
                        join(p.schemes), capabilitiesToString(p.capabilities), p.file});
    printTable({"NAME", "ALIASES", "VERSION", "ABI", "SCHEMES", "CAPABILITIES", "FILE"}, rows,
               std::cout);
    if (scan.plugins.empty()) std::cout << "(no drivers found)\n";
    for (const auto& problem : scan.problems) std::cout << "broken: " << problem.reason << "\n";
    std::cout << "plugin path: " << pathText << "\n";
    return kExitOk;
}

}  // namespace plugdb::host
