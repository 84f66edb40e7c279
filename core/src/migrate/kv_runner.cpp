#include "kv_runner.h"

#include <chrono>

#include "code_step.h"
#include "plugdb/error.h"

namespace plugdb::migrate {

KvRunner::KvRunner(Database& db, const Options& options, KvHistory& history)
    : db_(db), options_(options), history_(history) {}

void KvRunner::log(const std::string& line) const {
    if (options_.log) options_.log(line);
}

bool KvRunner::applyUp(const Migration& migration) {
    const CodeMigration& code = *migration.code;  // a key-value engine has no folders
    const std::string& driver = db_.info().driver;
    if (!code.kvUp)
        throw Error(ErrorCategory::Config,
                    "code migration " + migration.directory + " has no kvUp for " + driver +
                        ", a key-value engine" +
                        (code.up ? " (its up(Transaction&) runs on SQL engines only)" : ""));
    if (auto existing = history_.record(migration.version); existing && existing->success)
        return false;
    const auto started = std::chrono::steady_clock::now();
    KeyValue kv = db_.kv(code.ns);
    KvBatch batch = kv.batch();
    runCodeStep(migration, "kvUp()", [&] { code.kvUp(kv, batch); });
    log("applying " + migration.directory + " (code, a batch of " + std::to_string(batch.size()) +
        " write(s) to namespace " + code.ns + ")");
    Record record = history_.recordOf(migration, false, "migration", 0);
    record.error = std::string(kBatchInterrupted);
    history_.put(record);
    try {
        batch.commit();
    } catch (const Error& e) {
        try {
            history_.erase(migration.version);  // the batch applied nothing
        } catch (const Error&) {
        }
        throw Error(
            e.category(),
            "code migration " + migration.directory + " failed: its batch was refused: " + e.what(),
            e.details());
    }
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::steady_clock::now() - started)
                             .count();
    history_.put(history_.recordOf(migration, true, "migration", elapsed));
    return true;
}

bool KvRunner::applyDown(const Migration& migration) {
    const CodeMigration& code = *migration.code;
    if (!code.kvDown)
        throw Error(ErrorCategory::Config, "code migration " + migration.directory +
                                               " has no kvDown for " + db_.info().driver +
                                               "; it cannot be reverted");
    auto existing = history_.record(migration.version);
    if (!existing || !existing->success) return false;
    KeyValue kv = db_.kv(code.ns);
    KvBatch batch = kv.batch();
    runCodeStep(migration, "kvDown()", [&] { code.kvDown(kv, batch); });
    log("reverting " + migration.directory + " (code, a batch of " + std::to_string(batch.size()) +
        " write(s) to namespace " + code.ns + ")");
    Record interrupted = *existing;
    interrupted.success = false;
    interrupted.error = std::string(kRevertFailure) + std::string(kBatchInterrupted);
    history_.put(interrupted);
    try {
        batch.commit();
    } catch (const Error& e) {
        try {
            history_.put(*existing);  // the batch applied nothing: still applied
        } catch (const Error&) {
        }
        throw Error(e.category(),
                    "code migration " + migration.directory +
                        " failed: its revert batch was refused: " + e.what(),
                    e.details());
    }
    history_.erase(migration.version);
    return true;
}

}  // namespace plugdb::migrate
