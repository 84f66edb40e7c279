// Running one code migration's kvUp / kvDown on a key-value engine, with its
// record in the key-value history (kv_history.h). Private to the migration engine.
#pragma once

#include "kv_history.h"

namespace plugdb::migrate {

// The function fills a batch of the migration's namespace; nothing is written
// while it runs, so one that throws leaves no trace. Then the record is
// written as interrupted (kBatchInterrupted), the batch is applied, and the
// record is marked done: a migrator killed between the two writes leaves a
// record that says so instead of a change that looks unapplied or a record
// of a change that never happened.
class KvRunner {
public:
    KvRunner(Database& db, const Options& options, KvHistory& history);

    // False when another migrator applied it first.
    bool applyUp(const Migration& migration);
    // False when another migrator reverted it first.
    bool applyDown(const Migration& migration);

private:
    void log(const std::string& line) const;

    Database& db_;
    const Options& options_;
    KvHistory& history_;
};

}  // namespace plugdb::migrate
