#include "runner.h"

#include <chrono>

#include "code_step.h"
#include "plugdb/error.h"

namespace plugdb::migrate {
namespace {

// Fingerprint of the first `count` statements, to tell whether a resumed
// migration still starts with the statements that already ran.
std::string appliedChecksum(const std::vector<std::string>& statements, std::size_t count) {
    std::string text;
    for (std::size_t i = 0; i < count; ++i) text += statements[i] + "\n;\n";
    return checksum(text);
}

// "1 statement", "3 statements".
std::string statementCount(std::size_t count) {
    return std::to_string(count) + (count == 1 ? " statement" : " statements");
}

std::int64_t elapsedMs(std::chrono::steady_clock::time_point since) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 since)
        .count();
}

}  // namespace

// The statements of a script, refusing one without any unless it says it is
// meant to be empty: an unedited template must not be recorded as applied.
std::vector<std::string> checkedStatements(const Migration& migration, const Script& script,
                                           const Target& target) {
    auto statements = statementsFor(script, target);
    if (statements.empty() && !emptyMarker(script.text))
        throw Error(ErrorCategory::Config,
                    "migration " + migration.directory + ": " + script.file +
                        " has no statements (only comments or blank lines); write the change, "
                        "or add a line '-- plugdb:empty' if it is meant to do nothing");
    return statements;
}

Runner::Runner(Database& db, const Options& options, HistoryTable& history)
    : db_(db),
      options_(options),
      history_(history),
      driver_(db.info().driver),
      target_(Target::of(db)),
      transactionalDdl_(db.has(kCapTransactionalDdl)),
      transactions_(db.has(kCapTransactions)) {}

void Runner::log(const std::string& line) const {
    if (options_.log) options_.log(line);
}

Error Runner::statementError(const Migration& migration, const Script& script, std::size_t index,
                             std::size_t total, const Error& e) const {
    return Error(e.category(),
                 "migration " + migration.directory + " failed: " + script.file + ", statement " +
                     std::to_string(index + 1) + " of " + std::to_string(total) + ", " + driver_ +
                     " said: " + e.what(),
                 e.details());
}

const Script& Runner::upScript(const Migration& migration) const {
    if (!migration.up)
        throw Error(ErrorCategory::Config, "migration " + migration.directory +
                                               " has no up.sql and no up." + driver_ + ".sql");
    return *migration.up;
}

// Applies one migration; false when another migrator applied it first.
bool Runner::applyUp(const Migration& migration, const std::optional<Record>& failed) {
    if (migration.code) return applyCodeUp(migration);
    const Script& script = upScript(migration);
    const auto statements = checkedStatements(migration, script, target_);
    const auto started = std::chrono::steady_clock::now();
    const int total = static_cast<int>(statements.size());
    if (transactionalDdl_ && !noTransactionMarker(script.text)) {
        log("applying " + migration.directory + " (" + statementCount(statements.size()) +
            ", one transaction)");
        Session session = db_.session();
        Transaction tx = retryWhileBusy(options_.lockTimeout, [&] { return session.begin(); });
        if (auto existing = history_.record(tx, migration.version); existing && existing->success)
            return false;
        for (std::size_t i = 0; i < statements.size(); ++i) {
            try {
                session.executeScript(statements[i]);
            } catch (const Error& e) {
                throw statementError(migration, script, i, statements.size(), e);
            }
            log(migration.directory + ": statement " + std::to_string(i + 1) + " of " +
                std::to_string(total) + " done");
        }
        history_.insertRecord(tx, migration, true, total, total, elapsedMs(started), "migration");
        tx.commit();
        return true;
    }

    // DDL commits on its own here: record each statement as it completes,
    // so a failure or a crash resumes at the statement that did not finish.
    // A data statement commits in one transaction with its record, so a
    // crash can neither repeat nor skip it; a DDL statement's record is a
    // separate write just after it (migrations/README.md).
    Session session = db_.session();
    std::size_t from = 0;
    if (failed) {
        from = static_cast<std::size_t>(failed->statementsApplied);
        if (from > statements.size())
            throw Error(ErrorCategory::Config,
                        "migration " + migration.directory + " recorded " + std::to_string(from) +
                            " statements applied but " + script.file + " now has " +
                            std::to_string(total) + "; fix the file or use 'migrate force'");
        // Resuming is only sound when the statements that already ran are unchanged.
        if (from > 0 && appliedChecksum(statements, from) != failed->appliedChecksum)
            throw Error(ErrorCategory::Config,
                        "statements 1 to " + std::to_string(from) + " of " + script.file +
                            " already ran but were changed since; restore them and change "
                            "only statement " +
                            std::to_string(from + 1) +
                            " or later, or use 'migrate repair' / 'migrate force'");
        session.exec("UPDATE " + history_.name() +
                         " SET checksum = ?, statements_total = ?, error = NULL,"
                         " applied_by = ? WHERE version = ?",
                     {migration.checksum, total, history_.appliedBy(), migration.version});
        log("resuming " + migration.directory + " at statement " + std::to_string(from + 1) +
            " of " + std::to_string(total));
    } else {
        history_.insertRecord(session, migration, false, 0, total, 0, "migration");
        log("applying " + migration.directory + " (" + statementCount(statements.size()) +
            ", recorded one by one)");
    }
    for (std::size_t i = from; i < statements.size(); ++i) {
        const std::vector<Value> progress{static_cast<int>(i + 1),
                                          appliedChecksum(statements, i + 1), migration.version};
        const std::string recordProgress =
            "UPDATE " + history_.name() +
            " SET statements_applied = ?, applied_checksum = ? WHERE version = ?";
        std::optional<Error> failure;
        if (transactions_ && isDataStatement(statements[i])) {
            Transaction tx = retryWhileBusy(options_.lockTimeout, [&] { return session.begin(); });
            try {
                session.executeScript(statements[i]);
            } catch (const Error& e) {
                failure = statementError(migration, script, i, statements.size(), e);
            }
            if (!failure) {
                tx.exec(recordProgress, progress);
                tx.commit();
            }
        } else {
            try {
                session.executeScript(statements[i]);
            } catch (const Error& e) {
                failure = statementError(migration, script, i, statements.size(), e);
            }
            if (!failure) session.exec(recordProgress, progress);
        }
        if (failure) {
            try {
                session.exec("UPDATE " + history_.name() + " SET error = ? WHERE version = ?",
                             {std::string(failure->what()), migration.version});
            } catch (const Error&) {
                // The statement's error matters more than the bookkeeping's.
            }
            throw *failure;
        }
        log(migration.directory + ": statement " + std::to_string(i + 1) + " of " +
            std::to_string(total) + " done");
    }
    session.exec("UPDATE " + history_.name() +
                     " SET success = 1, applied_at = ?, execution_ms = ? WHERE version = ?",
                 {HistoryTable::nowIso(), elapsedMs(started), migration.version});
    return true;
}

// Reverts one applied migration; false when another migrator reverted it first.
bool Runner::applyDown(const Migration& migration) {
    if (migration.code) return applyCodeDown(migration);
    if (!migration.down)
        throw Error(ErrorCategory::Config,
                    "migration " + migration.directory + " has no down script for " + driver_ +
                        " (down.sql or down." + driver_ + ".sql); it cannot be reverted");
    const Script& script = *migration.down;
    const auto statements = checkedStatements(migration, script, target_);
    const std::size_t total = statements.size();
    log("reverting " + migration.directory + " (" + statementCount(total) + ")");
    Session session = db_.session();
    if (transactionalDdl_ && !noTransactionMarker(script.text)) {
        Transaction tx = retryWhileBusy(options_.lockTimeout, [&] { return session.begin(); });
        if (auto existing = history_.record(tx, migration.version); !existing || !existing->success)
            return false;
        for (std::size_t i = 0; i < total; ++i) {
            try {
                session.executeScript(statements[i]);
            } catch (const Error& e) {
                throw statementError(migration, script, i, total, e);
            }
        }
        tx.exec("DELETE FROM " + history_.name() + " WHERE version = ?", {migration.version});
        tx.commit();
        return true;
    }
    for (std::size_t i = 0; i < total; ++i) {
        try {
            session.executeScript(statements[i]);
        } catch (const Error& e) {
            Error error = statementError(migration, script, i, total, e);
            try {
                session.exec(
                    "UPDATE " + history_.name() + " SET success = 0, error = ? WHERE version = ?",
                    {std::string(kRevertFailure) + error.what(), migration.version});
            } catch (const Error&) {
            }
            throw Error(error.category(),
                        std::string(error.what()) +
                            "; the revert stopped half way: repair the database by hand, "
                            "then record the version with 'migrate force'",
                        error.details());
        }
    }
    session.exec("DELETE FROM " + history_.name() + " WHERE version = ?", {migration.version});
    return true;
}

bool Runner::applyCodeUp(const Migration& migration) {
    const CodeMigration& code = *migration.code;
    if (!code.up && code.kvUp) return applyKvStep(migration, /*up=*/true);
    if (!code.up)
        throw Error(ErrorCategory::Config, "code migration " + migration.directory +
                                               " has neither up(Transaction&) nor kvUp");
    if (!transactions_)
        throw Error(ErrorCategory::Config, "code migration " + migration.directory +
                                               " runs in a transaction, which " + driver_ +
                                               " does not offer (capability transactions)");
    log("applying " + migration.directory + " (code, one transaction)");
    const auto started = std::chrono::steady_clock::now();
    Session session = db_.session();
    Transaction tx = retryWhileBusy(options_.lockTimeout, [&] { return session.begin(); });
    if (auto existing = history_.record(tx, migration.version); existing && existing->success)
        return false;
    runCodeStep(migration, "up()", [&] { code.up(tx); });
    endedByStep(migration, "up()", tx.active());
    history_.insertRecord(tx, migration, true, 0, 0, elapsedMs(started), "migration");
    tx.commit();
    return true;
}

bool Runner::applyCodeDown(const Migration& migration) {
    const CodeMigration& code = *migration.code;
    if (!code.up && code.kvDown) return applyKvStep(migration, /*up=*/false);
    if (!code.down)
        throw Error(ErrorCategory::Config, "code migration " + migration.directory + " has no " +
                                               (code.up ? "down(Transaction&)" : "kvDown") +
                                               " for " + driver_ + "; it cannot be reverted");
    log("reverting " + migration.directory + " (code, one transaction)");
    Session session = db_.session();
    Transaction tx = retryWhileBusy(options_.lockTimeout, [&] { return session.begin(); });
    if (auto existing = history_.record(tx, migration.version); !existing || !existing->success)
        return false;
    runCodeStep(migration, "down()", [&] { code.down(tx); });
    endedByStep(migration, "down()", tx.active());
    tx.exec("DELETE FROM " + history_.name() + " WHERE version = ?", {migration.version});
    tx.commit();
    return true;
}

// kvUp / kvDown on a SQL engine: the batch goes to core's key-value table on
// a connection of its own, so it cannot share a transaction with the history
// record. The record says "interrupted" while the batch is applied (as on a
// key-value engine, kv_runner.h); the caller holds a lock of its own
// (MigrationLock with ownLock), since no transaction covers the whole step.
bool Runner::applyKvStep(const Migration& migration, bool up) {
    const CodeMigration& code = *migration.code;
    const char* step = up ? "kvUp()" : "kvDown()";
    const auto started = std::chrono::steady_clock::now();
    {
        Session session = db_.session();
        Transaction tx = retryWhileBusy(options_.lockTimeout, [&] { return session.begin(); });
        auto existing = history_.record(tx, migration.version);
        if (up ? existing && existing->success : !existing || !existing->success) return false;
    }
    KeyValue kv = db_.kv(code.ns);
    KvBatch batch = kv.batch();
    runCodeStep(migration, step, [&] { up ? code.kvUp(kv, batch) : code.kvDown(kv, batch); });
    log((up ? "applying " : "reverting ") + migration.directory + " (code, a batch of " +
        std::to_string(batch.size()) + " write(s) to namespace " + code.ns + ")");
    const std::string interrupted =
        up ? std::string(kBatchInterrupted)
           : std::string(kRevertFailure) + std::string(kBatchInterrupted);
    const std::string setState =
        "UPDATE " + history_.name() + " SET success = ?, error = ? WHERE version = ?";
    history_.writeHistory([&](auto& executor) {
        if (up) history_.insertRecord(executor, migration, false, 0, 0, 0, "migration");
        executor.exec(setState, {0, interrupted, migration.version});
    });
    try {
        batch.commit();
    } catch (const Error& e) {
        try {  // the batch applied nothing: back to where it was
            if (up)
                db_.exec("DELETE FROM " + history_.name() + " WHERE version = ?",
                         {migration.version});
            else
                db_.exec("UPDATE " + history_.name() +
                             " SET success = 1, error = NULL WHERE version = ?",
                         {migration.version});
        } catch (const Error&) {
        }
        throw Error(
            e.category(),
            "code migration " + migration.directory + " failed: its batch was refused: " + e.what(),
            e.details());
    }
    if (up)
        db_.exec("UPDATE " + history_.name() +
                     " SET success = 1, error = NULL, applied_at = ?, execution_ms = ?"
                     " WHERE version = ?",
                 {HistoryTable::nowIso(), elapsedMs(started), migration.version});
    else
        db_.exec("DELETE FROM " + history_.name() + " WHERE version = ?", {migration.version});
    return true;
}

}  // namespace plugdb::migrate
