#include "lease.h"

#include <utility>

#include "rows_state.h"

namespace plugdb::detail {

void Lease::yieldCursor(const Statement* statement) noexcept {
    RowsState* rows = std::exchange(streaming_, nullptr);
    if (rows == nullptr || (statement != nullptr && rows->statement.get() == statement)) return;
    const auto keep = weak_from_this().lock();  // the rows give their share of this lease back
    rows->buffer();
}

Rows Lease::makeRows(std::shared_ptr<Statement> statement,
                     std::shared_ptr<const std::uint64_t> runs) {
    auto state =
        std::make_unique<RowsState>(shared_from_this(), std::move(statement), std::move(runs));
    if (!call([&] { return state->statement->columns().empty(); })) openCursor(state.get());
    return Rows(std::move(state));
}

}  // namespace plugdb::detail
