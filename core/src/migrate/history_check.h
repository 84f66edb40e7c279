// What the history table says about the migration files: whether they may
// be applied (checksums, failures, missing folders) and which are pending.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "history.h"

namespace plugdb::migrate {

const Migration* findMigration(const std::vector<Migration>& migrations, std::int64_t version);

// Refuses to go on when applied files changed, went missing, or a failed
// migration's file was not fixed (forUp) or a revert stopped half way.
void check(const std::vector<Migration>& migrations, const std::map<std::int64_t, Record>& history,
           bool forUp);

std::int64_t highestApplied(const std::map<std::int64_t, Record>& history);

// Pending migrations in order, refusing out-of-order ones unless allowed.
std::vector<const Migration*> pending(const std::vector<Migration>& migrations,
                                      const std::map<std::int64_t, Record>& history,
                                      bool allowOutOfOrder);

}  // namespace plugdb::migrate
