// What a Rows holds, shared with the Lease that tracks its open cursor.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include "lease.h"
#include "plugdb/driver.h"
#include "plugdb/error.h"
#include "plugdb/result.h"
#include "plugdb/value.h"

namespace plugdb::detail {

// What a Rows holds: the statement and its connection while the cursor is
// open; once exhausted or read into memory, only what it still reports.
struct RowsState {
    RowsState(std::shared_ptr<Lease> owner, std::shared_ptr<Statement> stmt,
              std::shared_ptr<const std::uint64_t> runCounter)
        : lease(std::move(owner)),
          statement(std::move(stmt)),
          runs(std::move(runCounter)),
          run(runs ? *runs : 0) {}
    ~RowsState() { release(); }
    RowsState(const RowsState&) = delete;
    RowsState& operator=(const RowsState&) = delete;

    // A prepared statement ran again since these rows were made: its cursor is another run's.
    bool replaced() const { return runs && *runs != run; }

    // Gives the statement and the connection back. A prepared statement
    // outlives its rows: its cursor is reset now, so it holds no read
    // snapshot, locks or unread rows until it runs again.
    void release() noexcept {
        if (!statement) return;
        lease->closeCursor(this);
        if (runs && !replaced()) {
            lease->yieldCursor(statement.get());
            try {
                lease->call([&] { statement->reset(); });
            } catch (...) {  // a broken connection is retired by call()
            }
        }
        statement.reset();  // before the connection it runs on
        lease.reset();
    }

    // Exhausted: keeps what columns() and result() report, gives the rest back.
    void finish() {
        columns = statement->columns();
        try {
            result = lease->call([&] {
                return Result{statement->rowsAffected(), statement->lastInsertId()};
            });
        } catch (const Error&) {  // result() then reports nothing affected
            result = Result{};
        }
        release();
        finished = true;
    }

    // Another command needs the connection: reads the current row and the
    // rest into memory. An error on the way is kept for next() to throw after
    // the rows read before it.
    void buffer() noexcept {
        inMemory = true;
        try {
            columns = statement->columns();
            auto readRow = [&] {
                std::vector<Value> values;
                values.reserve(columns.size());
                for (std::size_t c = 0; c < columns.size(); ++c)
                    values.push_back(statement->get(c));
                return values;
            };
            if (onRow) current = lease->call(readRow);
            while (lease->call([&] {
                if (!statement->next()) return false;
                pending.push_back(readRow());
                return true;
            })) {
            }
            result = lease->call([&] {
                return Result{statement->rowsAffected(), statement->lastInsertId()};
            });
        } catch (const Error& e) {
            error = e;
        } catch (const std::exception& e) {
            error = Error(ErrorCategory::Other, e.what());
        }
        release();
        finished = true;
    }

    // Declared first: the statement is released before the connection it runs on.
    std::shared_ptr<Lease> lease;
    std::shared_ptr<Statement> statement;
    // For rows of a PreparedStatement: its run counter, and the run these rows belong to.
    std::shared_ptr<const std::uint64_t> runs;
    std::uint64_t run = 0;
    bool onRow = false;
    bool finished = false;        // exhausted or in memory: statement and lease given back
    std::vector<Column> columns;  // once finished
    Result result;                // once finished

    // Read into memory by buffer(): the rows not handed out yet, the current
    // one, and the error that ended the reading, if any.
    bool inMemory = false;
    std::deque<std::vector<Value>> pending;
    std::optional<std::vector<Value>> current;
    std::optional<Error> error;
};

}  // namespace plugdb::detail
