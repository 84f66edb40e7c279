// A bulk insert in progress: the driver's writer, or rows batched into multi-row INSERTs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "lease.h"
#include "plugdb/bulk_insert.h"
#include "plugdb/driver.h"
#include "plugdb/error.h"
#include "plugdb/sql.h"

namespace plugdb {
namespace detail {

// Bound parameters per multi-row INSERT: under every engine's limit (SQLite
// allows 32766 by default, PostgreSQL and MySQL 65535).
inline constexpr std::size_t kMaxBatchParameters = 32766;
// Rows per multi-row INSERT: larger batches stopped paying off in bench/.
inline constexpr std::size_t kMaxBatchRows = 1000;

}  // namespace detail

struct BulkInsert::State {
    std::shared_ptr<detail::Lease> lease;
    std::string table;    // quoted
    std::string columns;  // quoted, comma-separated
    std::size_t columnCount = 0;
    std::unique_ptr<BulkWriter> writer;  // the driver's bulk path, or null

    // Without a driver path: rows wait here until a batch is full.
    std::size_t batchRows = 0;
    std::vector<Value> pending;
    std::unique_ptr<Statement> fullBatch;  // the INSERT for batchRows rows, prepared once

    std::int64_t inserted = 0;
    bool open = true;

    ~State() { abandon(); }

    void requireOpen() const {
        if (!open)
            throw Error(ErrorCategory::InvalidArgument,
                        "the bulk insert is already finished or abandoned");
    }

    std::unique_ptr<Statement> prepareBatch(std::size_t rows) {
        std::string text = "INSERT INTO " + table + " (" + columns + ") VALUES ";
        std::string group = "(";
        for (std::size_t c = 0; c < columnCount; ++c) group += c == 0 ? "?" : ",?";
        group += ')';
        for (std::size_t r = 0; r < rows; ++r) {
            if (r > 0) text += ',';
            text += group;
        }
        auto rewritten = sql::rewritePlaceholders(text, lease->core().dialect().placeholders);
        return lease->call([&] { return lease->connection().prepare(rewritten.text); });
    }

    void sendPending() {
        const std::size_t rows = pending.size() / columnCount;
        if (rows == 0) return;
        std::unique_ptr<Statement> partial;
        Statement* statement;
        if (rows == batchRows) {
            if (!fullBatch) fullBatch = prepareBatch(rows);
            statement = fullBatch.get();
        } else {
            partial = prepareBatch(rows);
            statement = partial.get();
        }
        lease->call([&] {
            statement->execute(pending);
            inserted += statement->rowsAffected();
        });
        pending.clear();
    }

    // Stops the load without finishing it; the transaction then rolls back.
    void abandon() noexcept {
        if (!open) return;
        open = false;
        lease->bulk = nullptr;
        writer.reset();  // a driver writer abandons its load when destroyed
        fullBatch.reset();
        pending.clear();
    }
};

}  // namespace plugdb
