#include "settings.h"

#include <rocksdb/convenience.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <string_view>
#include <vector>

#include "error.h"

namespace plugdb::rocks {
namespace {

struct CompressionName {
    std::string_view name;
    ::rocksdb::CompressionType type;
};

constexpr std::array<CompressionName, 4> kCompressions{{
    {"zstd", ::rocksdb::kZSTD},
    {"lz4", ::rocksdb::kLZ4Compression},
    {"snappy", ::rocksdb::kSnappyCompression},
    {"none", ::rocksdb::kNoCompression},
}};

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

// Debian's librocksdb is built with every compression library, but another
// build may lack some: ask the library that is loaded, not the headers.
bool supported(::rocksdb::CompressionType type) {
    if (type == ::rocksdb::kNoCompression) return true;
    const std::vector<::rocksdb::CompressionType> available = ::rocksdb::GetSupportedCompressions();
    return std::find(available.begin(), available.end(), type) != available.end();
}

std::string supportedList() {
    std::string out;
    for (const auto& entry : kCompressions)
        if (supported(entry.type)) out += (out.empty() ? "" : ", ") + std::string(entry.name);
    return out;
}

}  // namespace

const DriverOptions& declaredDriverOptions() {
    using Kind = DriverOption::Kind;
    using std::chrono::milliseconds;
    static const DriverOptions kOptions{{
        {"sync", Kind::Bool,
         "sync the write-ahead log on every write (default true: an acknowledged write survives "
         "a crash of the machine)"},
        {"block_cache_size",
         Kind::Int,
         "bytes of the LRU cache of uncompressed blocks shared by the namespaces (default 32 MiB)",
         {},
         0,
         std::int64_t{1} << 40},
        {"compression",
         Kind::Text,
         "how SST files are compressed (default lz4, none when the library lacks lz4)",
         {"zstd", "lz4", "snappy", "none"}},
        {"create_if_missing", Kind::Bool,
         "create the database directory when it does not exist (default true)"},
        {"read_only",
         Kind::Bool,
         "open read-only: no writes, and no lock on the database",
         {},
         0,
         0,
         milliseconds(0),
         "true"},
    }};
    return kOptions;
}

Settings settingsFor(const DataSource& source) {
    Settings s;
    s.path = source.database;
    if (s.path.empty() || s.path == ":memory:")
        throw Error(ErrorCategory::Config,
                    "rocksdb: the database is a directory; write the URL like rocksdb:./var/kv, "
                    "not " +
                        (s.path.empty() ? std::string("an empty path") : s.path),
                    pluginDetails());
    bool compressionSet = false;
    for (const auto& [name, value] : source.options) {
        if (name == "sync") {
            s.sync = parseOptionBool(value).value_or(true);
        } else if (name == "block_cache_size") {
            s.blockCacheBytes = static_cast<std::uint64_t>(parseOptionInt(value).value_or(0));
        } else if (name == "compression") {
            const std::string wanted = lower(value);
            for (const auto& entry : kCompressions)
                if (entry.name == wanted) {
                    s.compression = entry.type;
                    s.compressionName = wanted;
                }
            compressionSet = true;
        } else if (name == "create_if_missing") {
            s.createIfMissing = parseOptionBool(value).value_or(true);
        } else if (name == "read_only") {
            s.readOnly = parseOptionBool(value).value_or(false);
        }
    }
    if (!supported(s.compression)) {
        if (compressionSet)
            throw Error(ErrorCategory::Config,
                        "rocksdb: compression=" + s.compressionName +
                            " is not available in this librocksdb build; it supports " +
                            supportedList(),
                        pluginDetails());
        s.compression = ::rocksdb::kNoCompression;
        s.compressionName = "none";
    }
    return s;
}

}  // namespace plugdb::rocks
