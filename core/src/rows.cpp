#include "plugdb/rows.h"

#include <string>
#include <utility>

#include "rows_state.h"

namespace plugdb {

Rows::Rows(std::unique_ptr<detail::RowsState> state) : state_(std::move(state)) {}
Rows::Rows(Rows&&) noexcept = default;
Rows& Rows::operator=(Rows&&) noexcept = default;
Rows::~Rows() = default;

namespace {
void requireCurrentRun(const detail::RowsState& state) {
    if (state.replaced())
        throw Error(ErrorCategory::InvalidArgument,
                    "these rows are gone: their prepared statement ran again");
}
}  // namespace

const std::vector<Column>& Rows::columns() const {
    static const std::vector<Column> kNone;
    if (!state_) return kNone;
    if (state_->finished) return state_->columns;
    return state_->statement->columns();
}

std::size_t Rows::columnIndex(std::string_view name) const {
    const auto& cols = columns();
    for (std::size_t i = 0; i < cols.size(); ++i)
        if (cols[i].name == name) return i;
    throw Error(ErrorCategory::InvalidArgument, "no column named '" + std::string(name) + "'");
}

bool Rows::next() {
    if (!state_) return false;
    detail::RowsState& s = *state_;
    if (s.inMemory) {
        s.current.reset();
        s.onRow = !s.pending.empty();
        if (s.onRow) {
            s.current = std::move(s.pending.front());
            s.pending.pop_front();
        } else if (s.error) {
            Error error = std::move(*s.error);
            s.error.reset();
            throw error;
        }
        return s.onRow;
    }
    if (s.finished) return false;
    requireCurrentRun(s);
    s.onRow = s.lease->call([&] { return s.statement->next(); });
    if (!s.onRow) s.finish();
    return s.onRow;
}

Result Rows::result() const {
    if (!state_) return {};
    if (state_->finished) return state_->result;
    return state_->lease->call([&] {
        return Result{state_->statement->rowsAffected(), state_->statement->lastInsertId()};
    });
}

Value Rows::value(std::size_t column) const {
    if (!state_ || !state_->onRow)
        throw Error(ErrorCategory::InvalidArgument, "no current row: call next() first");
    if (column >= columns().size())
        throw Error(ErrorCategory::InvalidArgument, "column " + std::to_string(column) +
                                                        " out of range (the result has " +
                                                        std::to_string(columns().size()) + ")");
    detail::RowsState& s = *state_;
    if (s.inMemory) {
        if (!s.current) throw Error(ErrorCategory::InvalidArgument, "no current row");
        return (*s.current)[column];
    }
    requireCurrentRun(s);
    return s.lease->call([&] { return s.statement->get(column); });
}

std::string Rows::getText(std::size_t column) const {
    return value(column).asText();
}
Blob Rows::getBlob(std::size_t column) const {
    return value(column).asBlob();
}

std::optional<std::int64_t> Rows::getOptionalInt(std::size_t column) const {
    Value v = value(column);
    if (v.isNull()) return std::nullopt;
    return v.asInt();
}

std::optional<std::string> Rows::getOptionalText(std::size_t column) const {
    Value v = value(column);
    if (v.isNull()) return std::nullopt;
    return std::move(v).asText();
}

}  // namespace plugdb
