#include "driver.h"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Exception.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <climits>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>

#include "connection.h"
#include "plugdb/duration.h"

namespace plugdb::sqlite {
namespace {

using namespace std::chrono_literals;

namespace fs = std::filesystem;

struct Settings {
    std::string file;  // as configured; ":memory:" for an in-memory database
    bool inMemory = false;
    bool readOnly = false;
    bool create = true;  // mode=rw: open an existing file only
    int busyTimeoutMs = 5000;
    std::string journalMode = "WAL";
    std::string synchronous = "NORMAL";
};

std::string upper(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return text;
}

// Core checked every option against driverOptions() before connect, so each
// value here is one its declaration accepts.
Settings settingsFor(const DataSource& source) {
    Settings s;
    s.inMemory = source.database.empty() || source.database == ":memory:";
    s.file = s.inMemory ? ":memory:" : source.database;
    for (const auto& [name, value] : source.options) {
        if (name == "busy_timeout") {
            const auto timeout = parseOptionDuration(value, 1ms).value_or(5000ms);
            s.busyTimeoutMs = static_cast<int>(std::min<std::int64_t>(timeout.count(), INT_MAX));
        } else if (name == "journal_mode") {
            s.journalMode = upper(value);
        } else if (name == "synchronous") {
            s.synchronous = upper(value);
        } else if (name == "mode") {
            const std::string mode = upper(value);
            s.readOnly = s.readOnly || mode == "RO";
            s.create = mode == "RWC";
        } else if (name == "read_only") {
            s.readOnly = s.readOnly || parseOptionBool(value).value_or(false);
        } else if (name == "foreign_keys" && !parseOptionBool(value).value_or(true)) {
            throw Error(ErrorCategory::Config,
                        "sqlite: foreign_keys cannot be turned off; plugdb always enforces "
                        "foreign keys",
                        pluginDetails());
        }
    }
    if (s.readOnly && s.inMemory)
        throw Error(ErrorCategory::Config,
                    "sqlite: read-only mode needs an existing database file, not :memory:",
                    pluginDetails());
    return s;
}

// A file: URI, so that '?', '#' and '%' in names are taken literally and the
// open mode is SQLite's own: mode=ro makes the engine refuse every write.
std::string fileUri(const Settings& s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string uri = "file:";
    if (s.file.starts_with('/')) uri += "//";  // empty authority before an absolute path
    for (const unsigned char c : s.file) {
        const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                           (c >= '0' && c <= '9') ||
                           std::string_view("/-._~").find(c) != std::string_view::npos;
        if (plain) {
            uri += static_cast<char>(c);
        } else {
            uri += '%';
            uri += kHex[c >> 4];
            uri += kHex[c & 0xf];
        }
    }
    uri += s.readOnly ? "?mode=ro" : s.create ? "?mode=rwc" : "?mode=rw";
    return uri;
}

// Poco drops SQLite's result code when opening fails; the file system says why.
Error openFailure(const Settings& s, const std::string& engineMessage) {
    const std::string prefix = "sqlite: cannot open database file " + s.file + ": ";
    const auto failure = [&](ErrorCategory category, const std::string& reason) {
        return Error(category, prefix + reason, pluginDetails());
    };
    const fs::path path(s.file);
    const fs::path parent = path.parent_path().empty() ? fs::path(".") : path.parent_path();
    std::error_code ec;
    if (fs::is_directory(path, ec)) return failure(ErrorCategory::Connection, "it is a directory");
    if (fs::exists(path, ec)) {
        if (::access(path.c_str(), R_OK) != 0)
            return failure(ErrorCategory::Permission, std::strerror(errno));
    } else if (!fs::is_directory(parent, ec)) {
        return failure(ErrorCategory::Connection,
                       "the directory " + parent.string() + " does not exist");
    } else if (s.readOnly || !s.create) {
        return failure(ErrorCategory::Connection,
                       std::string("the file does not exist") +
                           (s.readOnly ? " (read-only mode does not create it)" : ""));
    } else if (::access(parent.c_str(), W_OK) != 0) {  // EACCES, or EROFS: read-only file system
        const std::string reason = std::strerror(errno);
        return failure(ErrorCategory::Permission,
                       "cannot create it in " + parent.string() + ": " + reason);
    }
    return failure(ErrorCategory::Connection, engineMessage);
}

std::shared_ptr<Handle> open(const Settings& s) {
    try {
        // Login timeout 0: Poco retries a failed open until it expires; fail at once instead.
        Poco::Data::Session session(Poco::Data::SQLite::Connector::KEY,
                                    s.inMemory ? s.file : fileUri(s), 0);
        sqlite3* db = Poco::Data::SQLite::Utility::dbHandle(session);
        return std::make_shared<Handle>(std::move(session), db,
                                        ErrorContext{s.file, s.busyTimeoutMs}, s.readOnly);
    } catch (const Poco::Exception& e) {
        throw openFailure(s, e.message());
    }
}

// The first column of the first row `sql` returns.
std::string pragmaResult(Handle& handle, const std::string& sql, const std::string& doing) {
    std::string result;
    const auto keepFirst = [](void* out, int columns, char** values, char**) {
        if (columns > 0 && values[0] != nullptr) *static_cast<std::string*>(out) = values[0];
        return 0;
    };
    check(handle.db, sqlite3_exec(handle.db, sql.c_str(), keepFirst, &result, nullptr),
          handle.context, doing);
    return result;
}

// The journal mode is stored in the file; changing it needs an exclusive lock,
// and SQLite reports SQLITE_BUSY at once, without its busy handler, when
// connections opening a new file race for that lock. So: skip it when the file
// already has the mode, and retry within busy_timeout otherwise.
std::string setJournalMode(Handle& handle, const Settings& s, const std::string& doing) {
    if (upper(pragmaResult(handle, "PRAGMA journal_mode", doing)) == s.journalMode)
        return s.journalMode;
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(s.busyTimeoutMs);
    for (auto pause = std::chrono::milliseconds(2);; pause = std::min(pause * 2, 50ms)) {
        try {
            return upper(pragmaResult(handle, "PRAGMA journal_mode=" + s.journalMode, doing));
        } catch (const Error& e) {
            if (e.category() != ErrorCategory::Timeout ||
                std::chrono::steady_clock::now() + pause > deadline)
                throw;
        }
        std::this_thread::sleep_for(pause);
    }
}

void configure(Handle& handle, const Settings& s) {
    const std::string doing = "opening " + s.file;
    sqlite3* db = handle.db;
    sqlite3_extended_result_codes(db, 1);  // Poco 1.11 leaves them off; the mapping needs them
    check(db, sqlite3_busy_timeout(db, s.busyTimeoutMs), handle.context, doing);
    pragmaResult(handle, "PRAGMA foreign_keys=ON", doing);
    if (!s.inMemory && !s.readOnly) {
        const std::string mode = setJournalMode(handle, s, doing);
        if (mode != s.journalMode)
            throw Error(ErrorCategory::Config,
                        "sqlite: journal_mode=" + s.journalMode + " did not take effect on " +
                            s.file + "; it stays " + mode,
                        pluginDetails());
    }
    pragmaResult(handle, "PRAGMA synchronous=" + s.synchronous, doing);
}

}  // namespace

SqliteDriver::SqliteDriver() {
    Poco::Data::SQLite::Connector::registerConnector();
}

SqliteDriver::~SqliteDriver() {
    Poco::Data::SQLite::Connector::unregisterConnector();
}

const Dialect& SqliteDriver::dialect() const {
    static const Dialect kDialect{Dialect::Placeholders::Question, '"'};
    return kDialect;
}

// The portable subset is SQLite's own spelling; BEGIN IMMEDIATE (connection.cpp)
// takes the database's write lock, which is what keeps migrators apart.
const SqlDialect& SqliteDriver::sqlDialect() const {
    static const SqlDialect kSqlDialect = [] {
        SqlDialect d;
        d.writeTransactionLocksDatabase = true;
        return d;
    }();
    return kSqlDialect;
}

// OFFSET needs a LIMIT; a negative one means none.
const QueryDialect& SqliteDriver::queryDialect() const {
    static const QueryDialect kQueryDialect{QueryDialect::Upsert::OnConflict, "LIMIT -1"};
    return kQueryDialect;
}

// BLOB compares with memcmp, shorter first; WITHOUT ROWID keeps the pairs in
// the primary key's b-tree.
const KeyValueTable& SqliteDriver::keyValueTable() const {
    static const KeyValueTable kTable{
        "TEXT", "BLOB", "BLOB", " WITHOUT ROWID", 0, 0, KeyValueTable::Upsert::OnConflict};
    return kTable;
}

// Deferred: the read snapshot (in WAL mode) starts at the first read and
// takes no write lock, so writers go on meanwhile.
const std::string& SqliteDriver::beginReadSnapshot() const {
    static const std::string kBegin = "BEGIN DEFERRED";
    return kBegin;
}

const DriverOptions& SqliteDriver::driverOptions() const {
    using Kind = DriverOption::Kind;
    static const DriverOptions kOptions{{
        {"busy_timeout",
         Kind::Duration,
         "how long to wait for another connection's lock (a bare number is milliseconds)",
         {},
         0,
         INT_MAX,
         1ms},
        {"foreign_keys", Kind::Bool, "always on: plugdb enforces foreign keys"},
        {"journal_mode",
         Kind::Text,
         "SQLite's journal mode (WAL by default)",
         {"WAL", "DELETE", "TRUNCATE", "PERSIST", "MEMORY", "OFF"}},
        {"mode",
         Kind::Text,
         "ro: read-only, rw: an existing file, rwc: create it (default)",
         {"ro", "rw", "rwc"},
         0,
         0,
         0ms,
         "ro"},
        {"read_only", Kind::Bool, "open read-only (as mode=ro)", {}, 0, 0, 0ms, "true"},
        {"synchronous",
         Kind::Text,
         "when SQLite syncs to disk (NORMAL by default)",
         {"OFF", "NORMAL", "FULL", "EXTRA"}},
    }};
    return kOptions;
}

std::unique_ptr<Connection> SqliteDriver::connect(const DataSource& source) {
    const Settings settings = settingsFor(source);
    std::shared_ptr<Handle> handle = open(settings);
    configure(*handle, settings);
    return std::make_unique<SqliteConnection>(std::move(handle));
}

}  // namespace plugdb::sqlite
