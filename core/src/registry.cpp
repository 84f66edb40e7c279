// The plugin loader, as a pipeline: find candidate files on the search path,
// open each with the dynamic loader, read and verify its descriptor, then
// hand it to Poco's ClassLoader and create the driver. Every refusal is one
// sentence naming the file and the cause; nothing is ever unloaded.
#include "plugdb/registry.h"

#include <Poco/ClassLoader.h>
#include <Poco/Exception.h>
#include <dlfcn.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>

#include "plugdb/error.h"
#include "plugdb/input_file.h"
#include "plugdb/plugin.h"

namespace fs = std::filesystem;

namespace plugdb {
namespace {

constexpr std::string_view kFilePrefix = "libplugdb-";
constexpr std::string_view kFileSuffix = ".so";

std::vector<std::string> splitList(const char* text) {
    std::vector<std::string> out;
    if (text == nullptr) return out;
    std::string item;
    for (const char* p = text;; ++p) {
        if (*p == ',' || *p == '\0') {
            if (!item.empty()) out.push_back(item);
            item.clear();
            if (*p == '\0') break;
        } else if (*p != ' ') {
            item += *p;
        }
    }
    return out;
}

std::string joinPath(const std::vector<std::string>& dirs) {
    if (dirs.empty()) return "(empty)";
    std::string out;
    for (const auto& dir : dirs) out += (out.empty() ? "" : ":") + dir;
    return out;
}

std::string abiString(unsigned major, unsigned minor) {
    return std::to_string(major) + "." + std::to_string(minor);
}

// "libplugdb-mydb.so" -> "mydb"; empty for other names.
std::string stemOf(const std::string& fileName) {
    if (fileName.size() <= kFilePrefix.size() + kFileSuffix.size()) return {};
    if (!fileName.starts_with(kFilePrefix) || !fileName.ends_with(kFileSuffix)) return {};
    return fileName.substr(kFilePrefix.size(),
                           fileName.size() - kFilePrefix.size() - kFileSuffix.size());
}

// Plugin files on the path; an earlier directory shadows a later one for the same file name.
std::vector<std::string> candidateFiles(const std::vector<std::string>& searchPath) {
    std::vector<std::string> files;
    std::set<std::string> seenNames;
    for (const auto& dir : searchPath) {
        std::error_code ec;
        if (!fs::is_directory(dir, ec)) continue;
        std::vector<std::string> inDir;
        for (const auto& entry : fs::directory_iterator(dir, ec)) {
            const std::string name = entry.path().filename().string();
            if (!stemOf(name).empty() && !seenNames.contains(name)) inDir.push_back(name);
        }
        std::sort(inDir.begin(), inDir.end());
        for (const auto& name : inDir) {
            seenNames.insert(name);
            files.push_back((fs::path(dir) / name).lexically_normal().string());
        }
    }
    return files;
}

// The outcome of opening one file and checking its descriptor.
struct Inspection {
    std::optional<PluginInfo> info;
    std::string className;
    std::string problem;  // set when info is empty
};

Inspection inspect(const std::string& file) {
    Inspection result;
    auto refuse = [&](const std::string& why) {
        result.problem = "refused plugin " + file + ": " + why;
        return result;
    };
    // dlopen would block on a FIFO and read a device without end.
    if (!isRegularFile(file)) return refuse("not a regular file");
    // RTLD_NOW surfaces unresolved symbols and missing libraries here, with the
    // dynamic loader's own words, instead of as a crash on first call.
    void* handle = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
        const char* why = dlerror();
        return refuse(std::string("the dynamic loader failed: ") + (why ? why : "unknown error"));
    }
    // Never dlclose: code from a plugin may still be referenced (Poco manifests,
    // type_info of thrown errors); unloading is where others' crashes came from.
    dlerror();
    const auto* descriptor =
        static_cast<const plugdb_plugin_descriptor_t*>(dlsym(handle, PLUGDB_DESCRIPTOR_SYMBOL));
    if (descriptor == nullptr)
        return refuse("not a plugdb plugin (it exports no " PLUGDB_DESCRIPTOR_SYMBOL ")");
    if (descriptor->magic != PLUGDB_PLUGIN_MAGIC)
        return refuse("not a plugdb plugin (its descriptor has the wrong magic number)");
    const std::string host = abiString(kAbiMajor, kAbiMinor);
    const std::string plugin = abiString(descriptor->abi_major, descriptor->abi_minor);
    if (descriptor->abi_major != kAbiMajor)
        return refuse("it was built for plugdb ABI " + plugin + ", this host speaks ABI " + host +
                      " (major versions must match); rebuild the plugin against this SDK");
    if (descriptor->abi_minor > kAbiMinor)
        return refuse("it needs plugdb ABI " + plugin + ", newer than this host's ABI " + host +
                      "; upgrade plugdb or use an older plugin");
    const std::string buildTag = descriptor->build_tag ? descriptor->build_tag : "";
    if (buildTag != PLUGDB_BUILD_TAG)
        return refuse("it was built with C++ runtime '" + buildTag + "', this host uses '" +
                      PLUGDB_BUILD_TAG + "'");
    if (descriptor->name == nullptr || *descriptor->name == '\0' ||
        descriptor->class_name == nullptr || *descriptor->class_name == '\0')
        return refuse("its descriptor has no driver name or class name");

    PluginInfo info;
    info.name = descriptor->name;
    info.aliases = splitList(descriptor->aliases);
    info.version = descriptor->version ? descriptor->version : "";
    info.abiMajor = descriptor->abi_major;
    info.abiMinor = descriptor->abi_minor;
    info.schemes = splitList(descriptor->schemes);
    info.capabilities = descriptor->capabilities;
    info.file = file;
    // A file must be what its name says, so lookup by file name cannot be fooled.
    const std::string stem = stemOf(fs::path(file).filename().string());
    if (stem != info.name &&
        std::find(info.aliases.begin(), info.aliases.end(), stem) == info.aliases.end())
        return refuse("its file name says '" + stem + "' but it declares driver '" + info.name +
                      "'");
    result.info = std::move(info);
    result.className = descriptor->class_name;
    return result;
}

}  // namespace

struct DriverRegistry::Impl {
    std::mutex mutex;
    std::map<std::string, Inspection> inspected;             // by file; each file is opened once
    std::map<std::string, std::shared_ptr<Driver>> drivers;  // by file
    Poco::ClassLoader<Driver> classLoader;

    const Inspection& inspectOnce(const std::string& file) {
        auto it = inspected.find(file);
        if (it == inspected.end()) it = inspected.emplace(file, inspect(file)).first;
        return it->second;
    }

    // Scans the path and indexes every usable plugin by name, alias and scheme.
    struct Index {
        PluginScan scan;
        std::map<std::string, std::vector<const PluginInfo*>> byName;
        std::map<std::string, std::vector<const PluginInfo*>> byScheme;
    };

    Index index(const std::vector<std::string>& searchPath) {
        Index idx;
        for (const auto& file : candidateFiles(searchPath)) {
            const Inspection& inspection = inspectOnce(file);
            if (inspection.info)
                idx.scan.plugins.push_back(*inspection.info);
            else
                idx.scan.problems.push_back({file, inspection.problem});
        }
        for (const auto& plugin : idx.scan.plugins) {
            idx.byName[plugin.name].push_back(&plugin);
            for (const auto& alias : plugin.aliases)
                if (alias != plugin.name) idx.byName[alias].push_back(&plugin);
            for (const auto& scheme : plugin.schemes) idx.byScheme[scheme].push_back(&plugin);
        }
        for (const auto& [name, claimants] : idx.byName) {
            if (claimants.size() < 2) continue;
            std::string files;
            for (const auto* claimant : claimants)
                files += (files.empty() ? "" : " and ") + claimant->file;
            idx.scan.problems.push_back(
                {claimants.front()->file, "refused driver name '" + name +
                                              "': it is claimed by both " + files +
                                              "; remove one of them from the plugin path"});
        }
        return idx;
    }

    std::shared_ptr<Driver> create(const PluginInfo& info, const std::string& className) {
        if (auto it = drivers.find(info.file); it != drivers.end()) return it->second;
        try {
            if (!classLoader.isLibraryLoaded(info.file)) classLoader.loadLibrary(info.file);
        } catch (const Poco::Exception& e) {
            throw Error(ErrorCategory::Plugin, "refused plugin " + info.file +
                                                   ": its Poco manifest is unusable (" +
                                                   e.displayText() + ")");
        }
        // The class of this file's manifest: findClass() searches every loaded
        // library, so two plugins naming their class alike would get the first.
        const Poco::AbstractMetaObject<Driver>* meta = nullptr;
        if (const auto* manifest = classLoader.findManifest(info.file)) {
            const auto found = manifest->find(className);
            if (found != manifest->end()) meta = *found;
        }
        if (meta == nullptr)
            throw Error(ErrorCategory::Plugin, "refused plugin " + info.file +
                                                   ": its manifest does not export class " +
                                                   className + " named by its descriptor");
        std::shared_ptr<Driver> driver;
        try {
            driver.reset(meta->create());
        } catch (const std::exception& e) {
            throw Error(ErrorCategory::Plugin, "driver '" + info.name + "' from " + info.file +
                                                   " failed to start: " + e.what());
        } catch (...) {
            throw Error(ErrorCategory::Plugin, "driver '" + info.name + "' from " + info.file +
                                                   " failed to start with an unknown exception");
        }
        drivers.emplace(info.file, driver);
        return driver;
    }
};

DriverRegistry& DriverRegistry::instance() {
    // Deliberately never destroyed: plugins stay loaded for the life of the process.
    static DriverRegistry* registry = new DriverRegistry();
    return *registry;
}

DriverRegistry::DriverRegistry() : impl_(std::make_unique<Impl>()) {}
DriverRegistry::~DriverRegistry() = default;

PluginScan DriverRegistry::scan(const std::vector<std::string>& searchPath) {
    std::lock_guard lock(impl_->mutex);
    return impl_->index(searchPath).scan;
}

LoadedDriver DriverRegistry::load(const std::string& name,
                                  const std::vector<std::string>& searchPath) {
    std::lock_guard lock(impl_->mutex);
    auto idx = impl_->index(searchPath);
    const std::string where = " (plugin path: " + joinPath(searchPath) + ")";

    auto found = idx.byName.find(name);
    if (found == idx.byName.end()) {
        // A file with the requested name that failed its checks explains itself.
        const std::string wanted = std::string(kFilePrefix) + name + std::string(kFileSuffix);
        for (const auto& problem : idx.scan.problems)
            if (fs::path(problem.file).filename() == wanted)
                throw Error(ErrorCategory::Plugin, problem.reason);
        std::set<std::string> available;
        for (const auto& plugin : idx.scan.plugins) available.insert(plugin.name);
        std::string list;
        for (const auto& a : available) list += (list.empty() ? "" : ", ") + a;
        throw Error(ErrorCategory::Plugin,
                    "no driver named '" + name + "': " + wanted + " was not found" + where +
                        "; available drivers: " + (list.empty() ? "none" : list));
    }
    if (found->second.size() > 1) {
        for (const auto& problem : idx.scan.problems)
            if (problem.reason.starts_with("refused driver name '" + name + "'"))
                throw Error(ErrorCategory::Plugin, problem.reason);
    }
    const PluginInfo& info = *found->second.front();
    const std::string className = impl_->inspectOnce(info.file).className;
    return LoadedDriver{info, impl_->create(info, className)};
}

std::string DriverRegistry::driverForScheme(const std::string& scheme,
                                            const std::vector<std::string>& searchPath) {
    std::lock_guard lock(impl_->mutex);
    auto idx = impl_->index(searchPath);
    auto found = idx.byScheme.find(scheme);
    if (found == idx.byScheme.end()) return {};
    if (found->second.size() > 1) {
        std::string files;
        for (const auto* claimant : found->second)
            files += (files.empty() ? "" : " and ") + claimant->file;
        throw Error(ErrorCategory::Plugin, "URL scheme '" + scheme + "' is claimed by both " +
                                               files + "; set db.driver to choose one");
    }
    return found->second.front()->name;
}

}  // namespace plugdb
