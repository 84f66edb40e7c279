// The migration history table: one row per version, read and written by
// every migrate command. Private to the migration engine.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "lock.h"
#include "plugdb/database.h"
#include "plugdb/migrate.h"

namespace plugdb::migrate {

// One row of the history table.
struct Record {
    std::int64_t version = 0;
    std::string name;
    std::string checksum;
    std::string appliedAt;
    std::int64_t executionMs = 0;
    std::string appliedBy;
    bool success = false;
    int statementsApplied = 0;
    int statementsTotal = 0;
    std::string kind;  // "migration", "baseline", "forced"
    std::string error;
    std::string appliedChecksum;  // of the statements applied so far (statement-level runs)
};

// A failed revert's history record: its error starts with this.
inline constexpr std::string_view kRevertFailure = "reverting: ";

// A key-value code migration's record while its batch is applied (kv_runner.h):
// left behind only when the migrator died or lost the store in between.
inline constexpr std::string_view kBatchInterrupted =
    "interrupted while its batch was being applied; it may or may not have taken effect";

// Who applies: Options::appliedBy, else user@host.
std::string appliedByOf(const Options& options);
// Now, UTC, as the history's applied_at text.
std::string nowIso();

class HistoryTable {
public:
    HistoryTable(Database& db, const Options& options);

    // The table's name, quoted for the engine.
    const std::string& name() const { return table_; }

    void createTable(Session& session);

    template <class Executor>
    std::map<std::int64_t, Record> history(Executor& executor) {
        std::map<std::int64_t, Record> records;
        auto rows = executor.query(
            "SELECT version, name, checksum, applied_at, execution_ms, applied_by, success,"
            " statements_applied, statements_total, kind, error, applied_checksum FROM " +
            table_ + " ORDER BY version");
        while (rows.next()) records.emplace(rows.getInt(0), recordOf(rows));
        return records;
    }

    // The history without creating the table: empty when it does not exist yet.
    std::map<std::int64_t, Record> historyIfAny();

    // Whether `version` is recorded, read inside the transaction that will change it.
    std::optional<Record> record(Transaction& tx, std::int64_t version);

    template <class Executor>
    void insertRecord(Executor& executor, const Migration& migration, bool success, int applied,
                      int total, std::int64_t executionMs, const std::string& kind) {
        executor.exec("DELETE FROM " + table_ + " WHERE version = ?", {migration.version});
        executor.exec(
            "INSERT INTO " + table_ +
                " (version, name, checksum, applied_at, execution_ms, applied_by, success,"
                " statements_applied, statements_total, kind, error)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
            {migration.version, migration.name, migration.checksum, nowIso(), executionMs,
             appliedBy(), success ? 1 : 0, applied, total, kind});
    }

    // Runs fn on the table in one transaction (engines with transactions) or directly.
    template <class Fn>
    void writeHistory(Fn&& fn) {
        Session session = db_.session();
        createTable(session);
        if (db_.has(kCapTransactions)) {
            Transaction tx = retryWhileBusy(options_.lockTimeout, [&] { return session.begin(); });
            fn(tx);
            tx.commit();
        } else {
            fn(session);
        }
    }

    std::string appliedBy() const { return appliedByOf(options_); }
    static std::string nowIso() { return migrate::nowIso(); }

private:
    static Record recordOf(Rows& rows);

    Database& db_;
    const Options& options_;
    std::string table_;
};

}  // namespace plugdb::migrate
