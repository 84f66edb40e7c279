// Typed rows of a query, read forward once.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "plugdb/driver.h"
#include "plugdb/result.h"
#include "plugdb/scan.h"
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

    // Reads the current row into variables, one per column in order, each of a
    // type plugdb/scan.h lists: rows.scan(id, name, createdAt). Throws
    // plugdb::Error (invalid_argument) when their count differs from the
    // columns', or naming the column whose value its variable cannot hold (NULL
    // into a type that is not std::optional included); the variables are then
    // unchanged.
    template <class... T>
    void scan(T&... out) const;
    // One column of the current row as T (a type plugdb/scan.h lists), by
    // index or by name; throws as scan() does.
    template <class T>
    T get(std::size_t column) const;
    template <class T>
    T get(std::string_view column) const;

private:
    friend class detail::Lease;
    friend class PreparedStatement;
    explicit Rows(std::unique_ptr<detail::RowsState> state);
    void requireScanCount(std::size_t variables) const;

    std::unique_ptr<detail::RowsState> state_;  // null once moved from
};

template <class T>
T Rows::get(std::size_t column) const {
    Value v = value(column);  // checks the index first
    return detail::readColumn<T>(std::move(v), {column, columns()[column].name});
}

template <class T>
T Rows::get(std::string_view column) const {
    return get<T>(columnIndex(column));
}

template <class... T>
void Rows::scan(T&... out) const {
    requireScanCount(sizeof...(T));
    // Nothing is assigned until every column was read.
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        std::tuple<T...> values{get<T>(I)...};
        std::tie(out...) = std::move(values);
    }
    (std::index_sequence_for<T...>{});
}

}  // namespace plugdb
