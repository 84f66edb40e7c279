// Calling a code migration's function (CodeMigration::up, kvUp, ...): what it
// throws comes out as a plugdb::Error naming the migration. Private to the
// migration engine.
#pragma once

#include <exception>
#include <string>

#include "plugdb/error.h"
#include "plugdb/migrate.h"

namespace plugdb::migrate {

template <class Fn>
void runCodeStep(const Migration& migration, const char* step, Fn&& fn) {
    const std::string prefix = "code migration " + migration.directory + " failed: its " + step;
    try {
        fn();
    } catch (const Error& e) {
        throw Error(e.category(), prefix + " threw: " + e.what(), e.details());
    } catch (const std::exception& e) {
        throw Error(ErrorCategory::Other, prefix + " threw: " + e.what());
    } catch (...) {
        throw Error(ErrorCategory::Other, prefix + " threw something that is not an exception");
    }
}

// The migrator commits the step's transaction with its history record; a
// step that ended it itself would leave its change without a record.
inline void endedByStep(const Migration& migration, const char* step, bool stillActive) {
    if (!stillActive)
        throw Error(ErrorCategory::Config,
                    "code migration " + migration.directory + ": its " + step +
                        " committed or rolled back the migration's transaction; leave that to "
                        "the migrator, which commits it together with the history record");
}

}  // namespace plugdb::migrate
