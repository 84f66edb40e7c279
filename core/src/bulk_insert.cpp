#include "plugdb/bulk_insert.h"

#include <utility>

#include "bulk_insert_state.h"

namespace plugdb {

BulkInsert::BulkInsert(std::unique_ptr<State> state) : state_(std::move(state)) {}
BulkInsert::BulkInsert(BulkInsert&&) noexcept = default;
BulkInsert& BulkInsert::operator=(BulkInsert&&) noexcept = default;
BulkInsert::~BulkInsert() = default;

void BulkInsert::add(Params row) {
    if (!state_) throw Error(ErrorCategory::InvalidArgument, "bulk insert was moved from");
    State& s = *state_;
    s.requireOpen();
    if (row.view().size() != s.columnCount)
        throw Error(ErrorCategory::InvalidArgument,
                    "bulk insert into " + s.table + " has " + std::to_string(s.columnCount) +
                        " column(s) but the row has " + std::to_string(row.view().size()) +
                        " value(s)");
    try {
        if (s.writer) {
            s.lease->call([&] { s.writer->write(row.view()); });
            return;
        }
        s.pending.insert(s.pending.end(), row.view().begin(), row.view().end());
        if (s.pending.size() == s.batchRows * s.columnCount) s.sendPending();
    } catch (...) {
        s.abandon();
        throw;
    }
}

std::int64_t BulkInsert::finish() {
    if (!state_) throw Error(ErrorCategory::InvalidArgument, "bulk insert was moved from");
    State& s = *state_;
    s.requireOpen();
    try {
        if (s.writer)
            s.inserted = s.lease->call([&] { return s.writer->finish(); });
        else
            s.sendPending();
    } catch (...) {
        s.abandon();
        throw;
    }
    s.writer.reset();
    s.abandon();  // closes the load: the transaction may run statements again
    return s.inserted;
}

}  // namespace plugdb
