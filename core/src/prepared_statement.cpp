#include "plugdb/prepared_statement.h"

#include <utility>

#include "lease.h"

namespace plugdb {

namespace detail {
struct PreparedState {
    // Declared first: the statement is released before the connection it runs on.
    std::shared_ptr<Lease> lease;
    std::shared_ptr<Statement> statement;
    std::shared_ptr<std::uint64_t> runs = std::make_shared<std::uint64_t>(0);
    std::size_t parameterCount = 0;
    std::uint8_t operation = 0;  // what it does, for the latency metric
};
}  // namespace detail

PreparedStatement::PreparedStatement(std::shared_ptr<detail::Lease> lease,
                                     std::shared_ptr<Statement> statement,
                                     std::size_t parameterCount, std::uint8_t operation)
    : state_(std::make_unique<detail::PreparedState>()) {
    state_->lease = std::move(lease);
    state_->statement = std::move(statement);
    state_->parameterCount = parameterCount;
    state_->operation = operation;
}
PreparedStatement::PreparedStatement(PreparedStatement&&) noexcept = default;
PreparedStatement& PreparedStatement::operator=(PreparedStatement&&) noexcept = default;
PreparedStatement::~PreparedStatement() = default;

std::size_t PreparedStatement::parameterCount() const {
    return state_ ? state_->parameterCount : 0;
}

void PreparedStatement::run(Params params) {
    if (!state_) throw Error(ErrorCategory::InvalidArgument, "statement was moved from");
    detail::PreparedState& s = *state_;
    detail::Lease::checkCount(s.parameterCount, params);
    if (s.lease->bulk != nullptr)
        throw Error(ErrorCategory::InvalidArgument,
                    "a bulk insert is in progress on this connection: finish() it first");
    s.lease->yieldCursor(s.statement.get());
    ++*s.runs;
    s.lease->noteTransactionControl(static_cast<detail::Operation>(s.operation));
    s.lease->timed(static_cast<detail::Operation>(s.operation),
                   [&] { s.statement->execute(params.view()); });
}

Result PreparedStatement::exec(Params params) {
    run(params);
    detail::PreparedState& s = *state_;
    return s.lease->call([&] { return detail::Lease::runToEnd(*s.statement); });
}

Rows PreparedStatement::query(Params params) {
    run(params);
    detail::PreparedState& s = *state_;
    return s.lease->makeRows(s.statement, s.runs);
}

}  // namespace plugdb
