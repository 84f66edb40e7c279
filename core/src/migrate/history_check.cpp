#include "history_check.h"

#include <algorithm>

#include "plugdb/error.h"

namespace plugdb::migrate {

const Migration* findMigration(const std::vector<Migration>& migrations, std::int64_t version) {
    for (const auto& migration : migrations)
        if (migration.version == version) return &migration;
    return nullptr;
}

// Refuses to go on when applied files changed, went missing, or a failed
// migration's file was not fixed.
void check(const std::vector<Migration>& migrations, const std::map<std::int64_t, Record>& history,
           bool forUp) {
    for (const auto& [version, record] : history) {
        const Migration* migration = findMigration(migrations, version);
        if (migration == nullptr) {
            if (record.kind == "baseline") continue;
            throw Error(ErrorCategory::Config,
                        "migration " + std::to_string(version) + " (" + record.name +
                            ") is recorded in the history but its folder is missing, and no"
                            " code migration with that version is registered (a code migration"
                            " is run by the program that registers it, not by plugdb migrate)");
        }
        if (!record.success) {
            if (record.error.starts_with(kRevertFailure)) {
                // Its down script stopped part way: up.sql is not what failed, and
                // neither up nor down may go on from a database between versions.
                std::int64_t below = 0;  // the version force accepts as "reverted"
                for (const auto& other : migrations)
                    if (other.version < version) below = std::max(below, other.version);
                throw Error(ErrorCategory::Config,
                            "migration " + migration->directory + " failed while being reverted (" +
                                record.error.substr(kRevertFailure.size()) +
                                "). The database is between versions " + std::to_string(below) +
                                " and " + std::to_string(version) +
                                ": finish or undo the revert by hand, then record where it is"
                                " with 'migrate force " +
                                std::to_string(below) + "' (reverted) or 'migrate force " +
                                std::to_string(version) + "' (still applied)");
            }
            if (!forUp) continue;
            if (record.error == kBatchInterrupted)
                throw Error(ErrorCategory::Config,
                            "code migration " + migration->directory + " was " + record.error +
                                " (the migrator stopped between its two history writes). Check "
                                "the data, then record where it is with 'migrate force " +
                                std::to_string(version) +
                                "' (it took effect) or 'migrate repair'"
                                " (it did not; the next 'up' runs it)");
            if (migration->code && !record.error.empty() && record.checksum == migration->checksum)
                throw Error(ErrorCategory::Config,
                            "code migration " + migration->directory + " failed (" + record.error +
                                "). Fix it and change its declared version, then run 'migrate "
                                "up' again; 'migrate repair' forgets the failure instead");
            if (!record.error.empty() && record.checksum == migration->checksum)
                throw Error(ErrorCategory::Config,
                            "migration " + migration->directory + " failed (" + record.error +
                                "). Fix " + (migration->up ? migration->up->file : "its up.sql") +
                                " and run 'migrate up' again: it resumes at statement " +
                                std::to_string(record.statementsApplied + 1) +
                                ". 'migrate repair' forgets the failure instead");
            continue;
        }
        if (record.kind != "baseline" && record.checksum != migration->checksum && migration->code)
            throw Error(ErrorCategory::Config,
                        "code migration " + migration->directory +
                            " was changed after it was applied (checksum " +
                            record.checksum.substr(0, 12) + " recorded, " +
                            migration->checksum.substr(0, 12) + " now, of its declared version '" +
                            migration->code->declaredVersion +
                            "'); restore the declared version, or run 'migrate repair' to "
                            "accept the change");
        if (record.kind != "baseline" && record.checksum != migration->checksum)
            throw Error(ErrorCategory::Config,
                        "migration " + migration->directory + " was edited after it was applied" +
                            " (checksum " + record.checksum.substr(0, 12) + " recorded, " +
                            migration->checksum.substr(0, 12) + " now in " +
                            (migration->up ? migration->up->file : migration->directory) +
                            "); restore the file, or run 'migrate repair' to accept the change");
    }
}

std::int64_t highestApplied(const std::map<std::int64_t, Record>& history) {
    std::int64_t highest = 0;
    for (const auto& [version, record] : history)
        if (record.success) highest = std::max(highest, version);
    return highest;
}

// Pending migrations in order, refusing out-of-order ones unless allowed.
std::vector<const Migration*> pending(const std::vector<Migration>& migrations,
                                      const std::map<std::int64_t, Record>& history,
                                      bool allowOutOfOrder) {
    const std::int64_t highest = highestApplied(history);
    std::vector<const Migration*> out;
    for (const auto& migration : migrations) {
        auto record = history.find(migration.version);
        if (record != history.end() && record->second.success) continue;
        if (migration.version < highest && !allowOutOfOrder && record == history.end())
            throw Error(ErrorCategory::Config,
                        "migration " + migration.directory + " is pending but version " +
                            std::to_string(highest) +
                            " is already applied; apply it anyway with --out-of-order "
                            "(migrate.out_of_order=true)");
        out.push_back(&migration);
    }
    return out;
}

}  // namespace plugdb::migrate
