#include "program_setup.h"

#include <stdlib.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <tuple>

namespace fs = std::filesystem;

namespace plugdb::bench {

namespace {

std::map<std::string, std::string> readEnvFile(const fs::path& path) {
    std::map<std::string, std::string> values;
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);)
        if (auto eq = line.find('='); eq != std::string::npos)
            values[line.substr(0, eq)] = line.substr(eq + 1);
    return values;
}

}  // namespace

bool CommonFlags::wanted(const std::string& engine) const {
    return !engines || engines->count(engine);
}

CommonFlags parseCommandLine(
    int argc, char** argv, const std::string& program, const char* usage,
    const std::function<bool(const std::string& flag, const FlagValue& value)>& programFlag) {
    CommonFlags flags;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const FlagValue value = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::cerr << program << ": " << arg << " needs a value\n" << usage;
                std::exit(64);
            }
            return argv[++i];
        };
        if (arg == "--engines") {
            flags.engines = commaList(value());
        } else if (arg == "--servers") {
            flags.servers = value();
        } else if (arg == "--workdir") {
            flags.workdir = value();
        } else if (arg == "--help" || arg == "-h") {
            std::cout << usage;
            std::exit(0);
        } else if (!programFlag(arg, value)) {
            std::cerr << program << ": unknown option " << arg << "\n" << usage;
            std::exit(64);
        }
    }
    return flags;
}

std::set<std::string> commaList(const std::string& list) {
    std::set<std::string> names;
    std::stringstream in(list);
    for (std::string name; std::getline(in, name, ',');) names.insert(name);
    return names;
}

fs::path makeTemporaryWorkdir(const std::string& program) {
    std::string templ = (fs::temp_directory_path() / (program + "-XXXXXX")).string();
    if (!::mkdtemp(templ.data())) {
        std::perror((program + ": mkdtemp").c_str());
        std::exit(70);
    }
    return templ;
}

std::string ServerSettings::get(const std::string& name) const {
    const auto found = values.find(prefix + name);
    return found == values.end() ? "" : found->second;
}

std::optional<std::vector<ServerSettings>> findServers(const CommonFlags& flags,
                                                       const std::string& program) {
    std::vector<ServerSettings> servers;
    bool missing = false;
    for (const auto& [engine, file, prefix] : {std::tuple{"postgres", "postgres.env", "PLUGDB_PG_"},
                                               std::tuple{"mysql", "mariadb.env", "PLUGDB_MY_"}}) {
        if (!flags.wanted(engine)) continue;
        ServerSettings server{engine, prefix,
                              flags.servers.empty() ? std::map<std::string, std::string>{}
                                                    : readEnvFile(flags.servers / file)};
        if (server.get("URL").empty()) {
            if (flags.engines) {
                std::cerr << program << ": no " << engine << " server: pass --servers DIR\n";
                missing = true;
            }
            continue;
        }
        servers.push_back(std::move(server));
    }
    if (missing) return std::nullopt;
    return servers;
}

}  // namespace plugdb::bench
