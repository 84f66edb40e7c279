// Typed rows of a query, read forward once.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plugdb/driver.h"
#include "plugdb/result.h"
#include "plugdb/value.h"

namespace plugdb {

class PreparedStatement;

namespace detail {
class Lease;
struct RowsState;
}  // namespace detail

// Rows of a query, read forward once. Holds its connection until destroyed or
// exhausted (next() returned false); columns() and result() stay valid after.
// Another statement run on the same connection (in a Transaction or Session)
// while these rows are open does not change them: where the engine cannot run
// it beside an open cursor, core first reads the rest of these rows, the
// current one included, into memory.
class Rows {
public:
    Rows(Rows&&) noexcept;
    Rows& operator=(Rows&&) noexcept;
    ~Rows();

    const std::vector<Column>& columns() const;
    // Index of a column by name; throws invalid_argument when absent.
    std::size_t columnIndex(std::string_view name) const;
    bool next();
    // Rows affected and last insert id of the statement that produced these
    // rows (INSERT, UPDATE, DELETE, with or without RETURNING); final once
    // next() returned false.
    Result result() const;

    Value value(std::size_t column) const;
    bool isNull(std::size_t column) const { return value(column).isNull(); }
    std::int64_t getInt(std::size_t column) const { return value(column).asInt(); }
    double getDouble(std::size_t column) const { return value(column).asDouble(); }
    bool getBool(std::size_t column) const { return value(column).asBool(); }
    std::string getText(std::size_t column) const;
    Blob getBlob(std::size_t column) const;
    Timestamp getTimestamp(std::size_t column) const { return value(column).asTimestamp(); }
    // std::nullopt for NULL, the value otherwise.
    std::optional<std::int64_t> getOptionalInt(std::size_t column) const;
    std::optional<std::string> getOptionalText(std::size_t column) const;

private:
    friend class detail::Lease;
    friend class PreparedStatement;
    explicit Rows(std::unique_ptr<detail::RowsState> state);

    std::unique_ptr<detail::RowsState> state_;  // null once moved from
};

}  // namespace plugdb
