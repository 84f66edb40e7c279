#include "store.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <vector>

#include "engine_options.h"
#include "error.h"

namespace plugdb::rocks {
namespace {

namespace fs = std::filesystem;

// Stores by canonical directory, with their number of holders. Never
// destroyed: a connection may close during static destruction.
struct Registry {
    struct Entry {
        std::unique_ptr<Store> store;
        std::size_t holders = 0;
    };
    std::mutex mutex;
    std::map<std::string, Entry> open;
};

Registry& registry() {
    static auto* instance = new Registry;
    return *instance;
}

std::string canonicalKey(const std::string& path) {
    std::error_code ec;
    const fs::path canonical = fs::weakly_canonical(fs::absolute(path), ec);
    return ec ? fs::absolute(path).lexically_normal().string() : canonical.string();
}

Error openError(const Settings& s, ErrorCategory category, const std::string& reason) {
    return Error(category, "rocksdb: cannot open the database " + s.path + ": " + reason,
                 pluginDetails());
}

// RocksDB holds LOCK with an fcntl lock; F_GETLK names the process holding it.
// Only asked when another process holds it: closing our descriptor would drop
// every fcntl lock this process has on the file.
Error lockedError(const Settings& s, const ::rocksdb::Status& status) {
    const std::string lockFile = (fs::path(s.path) / "LOCK").string();
    const bool here = status.ToString().find("current process") != std::string::npos;
    std::string holder = "another process holds the lock file " + lockFile;
    if (here) {
        holder = "this process holds the lock file " + lockFile + " through another handle";
    } else if (const int fd = ::open(lockFile.c_str(), O_RDONLY | O_CLOEXEC); fd >= 0) {
        struct flock probe {};
        probe.l_type = F_WRLCK;
        probe.l_whence = SEEK_SET;
        if (::fcntl(fd, F_GETLK, &probe) == 0 && probe.l_type != F_UNLCK)
            holder = "process " + std::to_string(probe.l_pid) + " holds the lock file " + lockFile;
        ::close(fd);
    }
    return Error(ErrorCategory::Connection,
                 "rocksdb: the database " + s.path + " is in use: " + holder +
                     "; one process at a time opens it for writing (stop that one, or open "
                     "this one with read_only=true)",
                 pluginDetails(static_cast<int>(status.code())));
}

bool isLockFailure(const ::rocksdb::Status& status) {
    const std::string text = status.ToString();
    return status.IsIOError() && (text.find("lock file") != std::string::npos ||
                                  text.find("lock hold") != std::string::npos);
}

}  // namespace

std::shared_ptr<Store> Store::acquire(const Settings& settings) {
    Registry& reg = registry();
    const std::string key = canonicalKey(settings.path);
    std::lock_guard lock(reg.mutex);
    auto found = reg.open.find(key);
    if (found == reg.open.end()) {
        Registry::Entry entry;
        entry.store = open(settings);
        found = reg.open.emplace(key, std::move(entry)).first;
    } else {
        const Settings& first = found->second.store->settings_;
        std::string differs;
        if (first.readOnly && !settings.readOnly) differs = "read_only";
        if (first.blockCacheBytes != settings.blockCacheBytes) differs = "block_cache_size";
        if (first.compression != settings.compression) differs = "compression";
        if (!differs.empty())
            throw Error(ErrorCategory::Config,
                        "rocksdb: the database " + settings.path +
                            " is already open in this process with another " + differs +
                            "; every connection to it shares one handle, so give them the same "
                            "options",
                        pluginDetails());
    }
    ++found->second.holders;
    // The deleter closes the store with the registry locked, so a connection
    // opening it again meanwhile waits until RocksDB released the lock file.
    return std::shared_ptr<Store>(found->second.store.get(), [key](Store*) {
        Registry& r = registry();
        std::lock_guard relock(r.mutex);
        const auto it = r.open.find(key);
        if (it != r.open.end() && --it->second.holders == 0) r.open.erase(it);
    });
}

std::unique_ptr<Store> Store::open(const Settings& s) {
    std::error_code ec;
    const fs::path dir(s.path);
    if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
        throw openError(s, ErrorCategory::Config,
                        "it is a file; a rocksdb database is a directory");
    const bool exists = fs::exists(dir / "CURRENT", ec);
    if (!exists && s.readOnly)
        throw openError(s, ErrorCategory::Connection,
                        "there is no database there (read-only mode does not create one)");
    if (!exists && !s.createIfMissing)
        throw openError(s, ErrorCategory::Connection,
                        "there is no database there and create_if_missing is false");

    ::rocksdb::Options options = engineOptions(s.blockCacheBytes, s.compression);
    options.create_if_missing = s.createIfMissing;
    const ::rocksdb::ColumnFamilyOptions familyOptions(options);

    // Every namespace written before is a column family RocksDB must be given at open.
    std::vector<std::string> names{::rocksdb::kDefaultColumnFamilyName};
    if (exists) {
        names.clear();
        check(::rocksdb::DB::ListColumnFamilies(options, s.path, &names),
              "listing the namespaces of " + s.path);
    }
    std::vector<::rocksdb::ColumnFamilyDescriptor> descriptors;
    for (const auto& name : names) descriptors.emplace_back(name, familyOptions);

    std::vector<::rocksdb::ColumnFamilyHandle*> handles;
    ::rocksdb::DB* raw = nullptr;
    const ::rocksdb::Status status =
        s.readOnly ? ::rocksdb::DB::OpenForReadOnly(options, s.path, descriptors, &handles, &raw)
                   : ::rocksdb::DB::Open(options, s.path, descriptors, &handles, &raw);
    if (!status.ok()) {
        if (isLockFailure(status)) throw lockedError(s, status);
        if (status.IsIOError() && status.ToString().find("ermission denied") != std::string::npos)
            throw Error(ErrorCategory::Permission,
                        "rocksdb: cannot open the database " + s.path + ": " + status.ToString(),
                        pluginDetails(static_cast<int>(status.code())));
        throw statusError(status, "opening " + s.path);
    }
    std::unique_ptr<::rocksdb::DB> db(raw);
    std::map<std::string, ::rocksdb::ColumnFamilyHandle*, std::less<>> families;
    for (auto* handle : handles) families.emplace(handle->GetName(), handle);
    return std::unique_ptr<Store>(new Store(s, std::move(db), std::move(families), familyOptions));
}

Store::Store(Settings settings, std::unique_ptr<::rocksdb::DB> db,
             std::map<std::string, ::rocksdb::ColumnFamilyHandle*, std::less<>> families,
             ::rocksdb::ColumnFamilyOptions familyOptions)
    : settings_(std::move(settings)),
      db_(std::move(db)),
      familyOptions_(std::move(familyOptions)),
      families_(std::move(families)) {}

Store::~Store() {
    for (auto& [name, handle] : families_) db_->DestroyColumnFamilyHandle(handle);
    db_->Close();  // a failure here has no one to tell; the WAL makes the next open recover
}

::rocksdb::ColumnFamilyHandle* Store::find(std::string_view ns) {
    std::shared_lock lock(familiesMutex_);
    const auto it = families_.find(ns);
    return it == families_.end() ? nullptr : it->second;
}

::rocksdb::ColumnFamilyHandle* Store::findOrCreate(std::string_view ns) {
    if (auto* family = find(ns)) return family;
    std::unique_lock lock(familiesMutex_);
    if (const auto it = families_.find(ns); it != families_.end()) return it->second;
    ::rocksdb::ColumnFamilyHandle* handle = nullptr;
    check(db_->CreateColumnFamily(familyOptions_, std::string(ns), &handle),
          "creating namespace " + std::string(ns) + " in " + settings_.path);
    families_.emplace(std::string(ns), handle);
    return handle;
}

}  // namespace plugdb::rocks
