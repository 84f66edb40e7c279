// The migration history on a key-value engine (capability key_value): one
// key per version in core's reserved namespace, written through the
// key-value API. Private to the migration engine.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "history.h"
#include "plugdb/database.h"
#include "plugdb/migrate.h"

namespace plugdb::migrate {

// The reserved namespace that holds the history and the lock key.
inline constexpr std::string_view kKvNamespace = "plugdb.migrations";

// Keys, in kKvNamespace: "<migrations.table>/history/<version, 20 digits>"
// holding the record as JSON, and "<migrations.table>/lock" (kv_lock.h).
class KvHistory {
public:
    KvHistory(Database& db, const Options& options);

    std::map<std::int64_t, Record> history();
    std::optional<Record> record(std::int64_t version);
    void put(const Record& record);
    void erase(std::int64_t version);

    // A record of `migration` as of now, by this migrator.
    Record recordOf(const Migration& migration, bool success, const std::string& kind,
                    std::int64_t executionMs) const;

private:
    std::string keyOf(std::int64_t version) const;

    KeyValue kv_;
    std::string prefix_;  // "<table>/history/"
    std::string appliedBy_;
};

}  // namespace plugdb::migrate
