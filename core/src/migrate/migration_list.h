// The migrations one Migrator works with: the folder's scripts and the
// program's code migrations (CodeMigration), in version order. Private to
// the migration engine.
#pragma once

#include <string>
#include <vector>

#include "plugdb/migrate.h"

namespace plugdb::migrate {

// Reads the folder (none when options.path is empty; on a key-value engine
// none when it does not exist, and a refusal when it holds migrations) and
// adds options.code. Throws plugdb::Error (config) for a code migration
// without a version, a valid name or a declared version, and for a version
// taken twice, naming both holders; the gap rule covers the merged list.
std::vector<Migration> migrationList(const Options& options, const std::string& driver,
                                     bool keyValue);

// Refuses a version that does not follow the one before it (the first is 1).
void checkGaps(const std::vector<Migration>& migrations);

// "folder 0002_users" or "code migration 0002_users", for messages.
std::string describe(const Migration& migration);

}  // namespace plugdb::migrate
