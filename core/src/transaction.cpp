#include "plugdb/transaction.h"

#include <algorithm>
#include <string>
#include <utility>

#include "bulk_insert_state.h"
#include "lease.h"
#include "named_query_run.h"

namespace plugdb {

Transaction::Transaction(std::shared_ptr<detail::Lease> lease) : lease_(std::move(lease)) {
    lease_->yieldCursor();
    lease_->timed(detail::Operation::Begin, [&] { lease_->connection().begin(); });
    lease_->setInTransaction(true);
}

Transaction::Transaction(std::shared_ptr<detail::Lease> lease, const std::string& beginStatement)
    : lease_(std::move(lease)) {
    lease_->yieldCursor();
    lease_->timed(detail::Operation::Begin,
                  [&] { lease_->connection().executeScript(beginStatement); });
    lease_->setInTransaction(true);
}

Transaction::Transaction(Transaction&& other) noexcept
    : lease_(std::move(other.lease_)), active_(other.active_) {
    other.active_ = false;
}

Transaction::~Transaction() {
    if (!active_) return;
    try {
        rollback();
    } catch (...) {
        // The lease drops a connection whose rollback failed instead of reusing it.
    }
}

Result Transaction::exec(std::string_view sqlText, Params params) {
    detail::requireNotMovedFrom(lease_, "the transaction");
    detail::requireActive(active_, *lease_);
    return lease_->exec(sqlText, params);
}

Rows Transaction::query(std::string_view sqlText, Params params) {
    detail::requireNotMovedFrom(lease_, "the transaction");
    detail::requireActive(active_, *lease_);
    return lease_->query(sqlText, params);
}

Rows Transaction::named(std::string_view name, const NamedParams& params) {
    detail::requireNotMovedFrom(lease_, "the transaction");
    detail::requireActive(active_, *lease_);
    return detail::queryNamed(*lease_, name, params);
}

Result Transaction::namedExec(std::string_view name, const NamedParams& params) {
    detail::requireNotMovedFrom(lease_, "the transaction");
    detail::requireActive(active_, *lease_);
    return detail::execNamed(*lease_, name, params);
}

PreparedStatement Transaction::prepare(std::string_view sqlText) {
    detail::requireNotMovedFrom(lease_, "the transaction");
    detail::requireActive(active_, *lease_);
    return lease_->prepare(sqlText);
}

BulkInsert Transaction::bulkInsert(std::string_view table,
                                   const std::vector<std::string>& columns) {
    detail::requireNotMovedFrom(lease_, "the transaction");
    detail::requireActive(active_, *lease_);
    if (columns.empty())
        throw Error(ErrorCategory::InvalidArgument, "bulk insert needs at least one column");
    const Dialect& dialect = lease_->core().dialect();
    auto state = std::make_unique<BulkInsert::State>();
    state->lease = lease_;
    state->table = sql::quoteIdentifier(table, dialect);
    std::vector<std::string> quoted;
    for (const auto& column : columns) quoted.push_back(sql::quoteIdentifier(column, dialect));
    for (const auto& column : quoted)
        state->columns += (state->columns.empty() ? "" : ",") + column;
    state->columnCount = columns.size();
    lease_->yieldCursor();  // nothing else runs until the load ends
    if (lease_->core().info().capabilities & kCapBulkLoad)
        state->writer =
            lease_->call([&] { return lease_->connection().bulkWriter(state->table, quoted); });
    state->batchRows = std::max<std::size_t>(
        1, std::min(detail::kMaxBatchRows, detail::kMaxBatchParameters / state->columnCount));
    lease_->bulk = state.get();
    return BulkInsert(std::move(state));
}

void Transaction::commit() {
    detail::requireNotMovedFrom(lease_, "the transaction");
    detail::requireActive(active_, *lease_);
    active_ = false;
    lease_->yieldCursor();
    try {
        lease_->timed(detail::Operation::Commit, [&] { lease_->connection().commit(); });
    } catch (const Error& e) {
        if (e.category() == ErrorCategory::Connection)
            throw Error(ErrorCategory::CommitUnknown,
                        "the connection failed during COMMIT, so the transaction may or may "
                        "not have committed: " +
                            std::string(e.what()),
                        e.details());
        // The engine refused to commit (e.g. a serialization failure) and ended
        // the transaction; a ROLLBACK makes sure before the connection is reused.
        try {
            lease_->call([&] { lease_->connection().rollback(); });
            lease_->setInTransaction(false);
        } catch (const Error&) {  // the connection is closed instead of reused
        }
        throw;
    }
    lease_->setInTransaction(false);
}

void Transaction::rollback() {
    detail::requireNotMovedFrom(lease_, "the transaction");
    if (lease_->bulk != nullptr) lease_->bulk->abandon();
    detail::requireActive(active_, *lease_);
    active_ = false;
    lease_->yieldCursor();
    lease_->timed(detail::Operation::Rollback, [&] { lease_->connection().rollback(); });
    lease_->setInTransaction(false);
}

namespace {
void runSavepointCommand(const std::shared_ptr<detail::Lease>& leasePtr, bool active,
                         const char* command, std::string_view name) {
    detail::requireNotMovedFrom(leasePtr, "the transaction");
    detail::Lease& lease = *leasePtr;
    detail::requireActive(active, lease);
    if ((lease.core().info().capabilities & kCapSavepoints) == 0)
        throw Error(ErrorCategory::Unsupported,
                    "driver '" + lease.core().info().driver + "' does not support savepoints");
    const std::string sqlText =
        std::string(command) + sql::quoteIdentifier(name, lease.core().dialect());
    lease.yieldCursor();
    lease.call([&] { lease.connection().executeScript(sqlText); });
}
}  // namespace

void Transaction::savepoint(std::string_view name) {
    runSavepointCommand(lease_, active_, "SAVEPOINT ", name);
}
void Transaction::rollbackTo(std::string_view name) {
    runSavepointCommand(lease_, active_, "ROLLBACK TO SAVEPOINT ", name);
}
void Transaction::release(std::string_view name) {
    runSavepointCommand(lease_, active_, "RELEASE SAVEPOINT ", name);
}

}  // namespace plugdb
