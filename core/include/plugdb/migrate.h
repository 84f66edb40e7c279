// The migration engine: versioned SQL scripts applied in order, once, with a
// history table, checksums and a lock, on every SQL driver. Drivers take part
// through data only: their name (for per-engine scripts), capabilities
// (transactions, transactional DDL, advisory locks) and SQL dialect
// (sql_dialect.h: type spellings, lock statements), as the first connection
// refined them; never through code in core that names an engine.
//
// Layout (migrations/README.md): one directory per version, NNNN_name/, with
// up.sql and optionally down.sql written in the portable subset, and per-engine
// overrides up.<driver>.sql / down.<driver>.sql that win for that engine.
// Programs may register code migrations (CodeMigration) next to the folders;
// on a key-value engine (capability key_value) they are the only kind, and
// the history and lock live under a reserved key-value namespace.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plugdb/input_file.h"
#include "plugdb/sql_dialect.h"

namespace plugdb {

class Config;
class Database;
class KeyValue;
class KvBatch;
class Transaction;
struct LoadedDriver;

namespace migrate {

// The engine scripts are chosen and translated for.
struct Target {
    std::string driver{};             // the plugin's name: up.<driver>.sql wins over up.sql
    std::optional<SqlDialect> sql{};  // empty: none reported; portable scripts run as written
    char identifierQuote = '"';       // Dialect::identifierQuote

    // The open database's driver, with the traits its first connection refined.
    static Target of(const Database& db);
    // A loaded driver as it declares itself, for planning without a database.
    static Target of(const LoadedDriver& driver);
};

// A migration written in C++, registered in Options::code. It shares the
// folders' history, ordering, gap and out-of-order rules, lock and status; its
// checksum is checksum(declaredVersion), so changing that string marks an
// applied migration as changed, exactly like an edited up.sql.
struct CodeMigration {
    std::int64_t version = 0;     // must not be taken by a folder
    std::string name;             // letters, digits, '_' and '-'
    std::string declaredVersion;  // not empty; change it when what up() does changes
    // SQL engines: runs inside the migration's transaction, which also writes
    // its history record; throwing rolls both back. Where DDL commits on its
    // own (MySQL), a DDL statement is not undone by that rollback.
    std::function<void(Transaction&)> up;
    std::function<void(Transaction&)> down;  // empty: the version cannot be reverted
    // Key-value engines: `kv` reads namespace `ns` as it is, `batch` collects
    // the writes to it; they are applied all or nothing with the history
    // record after the function returns, and dropped when it throws.
    std::string ns = "default";
    std::function<void(KeyValue& kv, KvBatch& batch)> kvUp;
    std::function<void(KeyValue& kv, KvBatch& batch)> kvDown;  // empty: cannot be reverted
};

// Settings, from migrations.* and migrate.* (config/README.md).
struct Options {
    // The folder; empty: none (code migrations only). On a key-value engine a
    // folder that does not exist counts as empty, and one with migrations is refused.
    std::string path = "./migrations";
    std::string table = "plugdb_migrations";
    bool allowOutOfOrder = false;  // apply a pending version lower than an applied one
    bool allowGaps = false;        // versions need not be consecutive
    std::chrono::milliseconds lockTimeout = std::chrono::minutes(5);
    std::string lock = "auto";  // "auto" (advisory lock where the engine has one) or "table"
    std::chrono::milliseconds lockLease = std::chrono::seconds(30);  // lease table: expiry
    std::string appliedBy;                                           // empty: user@host
    std::function<void(const std::string&)> log;                     // progress lines; may be empty
    std::size_t maxFileBytes = InputFileLimits::kSqlBytes;  // per script (limits.sql_file_bytes)
    std::vector<CodeMigration> code;  // registered by the program; never from configuration

    static Options fromConfig(const Config& config);
};

struct Script {
    std::string file;  // path as found, for messages
    std::string text;
    bool portable = true;  // up.sql / down.sql: translated; overrides run as written
};

struct Migration {
    std::int64_t version = 0;
    std::string name;       // the part after the number
    std::string directory;  // NNNN_name (a code migration: its version and name the same way)
    std::optional<Script> up;
    std::optional<Script> down;
    std::string checksum;  // of the up script, or a code migration's declared version
    std::shared_ptr<const CodeMigration> code;  // set for a code migration, which has no scripts
};

// Reads the migrations folder for one driver. Throws plugdb::Error (config)
// naming the file for: a folder that is not NNNN_name, two folders with one
// version, unknown .sql files, a down without an up, a gap (unless allowed),
// a folder without any up script, scripts in the flat NNNN_name.up.sql layout,
// a script that is not a readable regular file or holds more than maxFileBytes.
std::vector<Migration> loadMigrations(const std::string& path, const std::string& driver,
                                      bool allowGaps,
                                      std::size_t maxFileBytes = InputFileLimits::kSqlBytes);

// SHA-256 of the text as hexadecimal, ignoring a UTF-8 BOM and CRLF / CR line endings.
std::string checksum(std::string_view text);

// True when the script has a line "-- plugdb:no-transaction".
bool noTransactionMarker(std::string_view script);

// True when the script has a line "-- plugdb:empty": it is meant to run nothing.
// A script without statements and without this line is refused.
bool emptyMarker(std::string_view script);

// True for a statement that reads or changes rows (SELECT, INSERT, UPDATE,
// DELETE, REPLACE, MERGE, WITH): a transaction covers it even on engines where
// DDL commits on its own, so its progress record can share that transaction.
bool isDataStatement(std::string_view statement);

// The statements of a script for a target: split (see sql::splitStatements),
// and translated from the portable subset when portable is true.
std::vector<std::string> statementsFor(const Script& script, const Target& target);

// Translates one statement of the portable subset with the target's SQL
// dialect; a target without one gets the statement unchanged.
std::string translate(std::string_view statement, const Target& target);

enum class State { Pending, Applied, Changed, Failed, Missing, Baseline };
const char* toString(State state);

struct StatusEntry {
    std::int64_t version = 0;
    std::string name;
    State state = State::Pending;
    std::string appliedAt;  // ISO 8601 UTC; empty when pending
    std::int64_t executionMs = 0;
    std::string appliedBy;
    int statementsApplied = 0;
    int statementsTotal = 0;
    std::string error;  // for failed
};

// Runs migrations against one database. Every command except status, plan and
// validate holds the migration lock while it works.
class Migrator {
public:
    Migrator(Database& db, Options options);

    std::vector<StatusEntry> status();
    // Throws plugdb::Error when an applied migration's file changed, is
    // missing, or a migration failed and its file was not fixed.
    void validate();
    // Applies up to `count` pending migrations (all when nullopt); returns how many.
    int up(std::optional<int> count = std::nullopt);
    // Reverts the last `count` applied migrations; returns how many.
    int down(int count);
    // Moves to exactly `version` (0: nothing applied), up or down.
    int gotoVersion(std::int64_t version);
    // Accepts the current files' checksums for applied migrations and drops
    // failed records; returns how many rows changed.
    int repair();
    // Marks everything up to `version` applied and everything above not applied, running nothing.
    void force(std::int64_t version);
    // Marks an existing database as being at `version` (history must be empty).
    void baseline(std::int64_t version);
    // The statements `up` would run now, per migration, nothing executed (a
    // code migration is listed with none).
    std::vector<std::pair<Migration, std::vector<std::string>>> plan(
        std::optional<int> count = std::nullopt);
    // The statements of every migration for `target`, read from the files
    // alone: no database, no history, so every migration is listed.
    static std::vector<std::pair<Migration, std::vector<std::string>>> planOffline(
        const Options& options, const Target& target);
    // The highest applied version, 0 when none.
    std::int64_t currentVersion();

    const std::vector<Migration>& migrations() const { return migrations_; }

private:
    struct Impl;
    Database& db_;
    Options options_;
    std::vector<Migration> migrations_;
};

}  // namespace migrate
}  // namespace plugdb
