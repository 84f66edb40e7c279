// Running one migration's script (or a code migration's function) up or down
// on a SQL database, recording its progress in the history table so a failure
// or a kill resumes where it stopped (migrations/README.md). Private to the
// migration engine.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "history.h"

namespace plugdb::migrate {

// The statements of a script for `target`, refusing a script without any
// unless it is marked '-- plugdb:empty'.
std::vector<std::string> checkedStatements(const Migration& migration, const Script& script,
                                           const Target& target);

class Runner {
public:
    Runner(Database& db, const Options& options, HistoryTable& history);

    const std::string& driver() const { return driver_; }
    const Target& target() const { return target_; }
    void log(const std::string& line) const;

    // The up script, or a config error naming the migration when it has none.
    const Script& upScript(const Migration& migration) const;
    // Applies one migration; false when another migrator applied it first.
    // `failed`: its record when an earlier attempt failed (resume from there).
    bool applyUp(const Migration& migration, const std::optional<Record>& failed);
    // Reverts one applied migration; false when another migrator reverted it first.
    bool applyDown(const Migration& migration);

private:
    // A code migration's up() or down() in one transaction with its history change.
    bool applyCodeUp(const Migration& migration);
    bool applyCodeDown(const Migration& migration);
    // A code migration's kvUp / kvDown, against core's key-value table.
    bool applyKvStep(const Migration& migration, bool up);
    Error statementError(const Migration& migration, const Script& script, std::size_t index,
                         std::size_t total, const Error& e) const;

    Database& db_;
    const Options& options_;
    HistoryTable& history_;
    std::string driver_;
    Target target_;
    bool transactionalDdl_;
    bool transactions_;
};

}  // namespace plugdb::migrate
