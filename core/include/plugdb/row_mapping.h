// Rows read into C++ types, for queryAll / queryOne / queryOptional on
// Database, Session and Transaction:
//
//   - a struct that names its fields once with PLUGDB_ROW, matched to the
//     columns by name;
//   - a std::tuple of types plugdb/scan.h lists, by position (as Rows::scan);
//   - any single type plugdb/scan.h lists, from a result of one column.
//
//     struct User {
//         std::int64_t id = 0;
//         std::string name;
//         std::optional<std::string> email;
//         plugdb::Timestamp createdAt;
//         PLUGDB_ROW(id, name, email, createdAt);
//     };
//     std::vector<User> users = db.queryAll<User>("SELECT * FROM users WHERE org = ?", {org});
//     User user = db.queryOne<User>("SELECT * FROM users WHERE id = ?", {id});
//     auto count = db.queryOne<std::int64_t>("SELECT COUNT(*) FROM users");
//
// A field reads the column whose name equals the field's, ignoring ASCII case
// and underscores: createdAt reads created_at, and createdat (PostgreSQL folds
// unquoted names to lower case). Columns no field names are left unread, so
// SELECT * keeps working when a column is added. A field without its column,
// or with two, fails before the first row is read, naming the field. The struct
// must be default-constructible; PLUGDB_ROW may stand anywhere in its body
// (it adds a friend, one member function and one static member).
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <vector>

#include "plugdb/rows.h"
#include "plugdb/scan.h"

namespace plugdb::detail {
struct RowAccess;
}  // namespace plugdb::detail

// Declares the fields of a row struct, in any order: PLUGDB_ROW(id, name);
#define PLUGDB_ROW(...)                        \
    friend struct ::plugdb::detail::RowAccess; \
    auto plugdbRowFields() {                   \
        return std::tie(__VA_ARGS__);          \
    }                                          \
    static constexpr std::string_view plugdbRowNames = #__VA_ARGS__

namespace plugdb::detail {

// What PLUGDB_ROW declared, reached as its friend.
struct RowAccess {
    template <class T>
    static constexpr bool kMapped = requires(T& row) {
        row.plugdbRowFields();
        T::plugdbRowNames;
    };
    template <class T>
    static auto fields(T& row) {
        return row.plugdbRowFields();
    }
    template <class T>
    static constexpr std::string_view names() {
        return T::plugdbRowNames;
    }
};

template <class T>
inline constexpr bool kIsTuple = false;
template <class... T>
inline constexpr bool kIsTuple<std::tuple<T...>> = true;

// Out of line (rows_mapping.cpp). The column index of each field named in
// `fieldNames` (PLUGDB_ROW's text, "id, name"); throws plugdb::Error
// (invalid_argument) naming the struct and a field without its column or
// with two.
std::vector<std::size_t> matchFields(const std::vector<Column>& columns,
                                     std::string_view fieldNames, const std::type_info& type);
// Throws unless the result has exactly one column.
void requireOneColumn(const std::vector<Column>& columns, const char* type);
// queryOne's and queryOptional's refusal of a result with no row or more than one.
[[noreturn]] void throwRowCount(const char* call, bool none);

// Reads the rows of one result as T.
template <class T>
class RowReader {
public:
    explicit RowReader(const Rows& rows) {
        if constexpr (RowAccess::kMapped<T>)
            columns_ = matchFields(rows.columns(), RowAccess::names<T>(), typeid(T));
        else if constexpr (!kIsTuple<T>)
            requireOneColumn(rows.columns(), scanTypeName<T>());
    }

    T read(const Rows& rows) const {
        if constexpr (RowAccess::kMapped<T>) {
            T row{};
            auto fields = RowAccess::fields(row);
            readFields(rows, fields,
                       std::make_index_sequence<std::tuple_size_v<decltype(fields)>>{});
            return row;
        } else if constexpr (kIsTuple<T>) {
            T values{};
            std::apply([&](auto&... value) { rows.scan(value...); }, values);
            return values;
        } else {
            return rows.get<T>(std::size_t{0});
        }
    }

private:
    template <class Fields, std::size_t... I>
    void readFields(const Rows& rows, Fields& fields, std::index_sequence<I...>) const {
        ((std::get<I>(fields) =
              rows.get<std::remove_reference_t<std::tuple_element_t<I, Fields>>>(columns_[I])),
         ...);
    }

    std::vector<std::size_t> columns_;  // of each field, for a PLUGDB_ROW struct
};

template <class T>
std::vector<T> readAll(Rows rows) {
    const RowReader<T> reader(rows);
    std::vector<T> out;
    while (rows.next()) out.push_back(reader.read(rows));
    return out;
}

template <class T>
std::optional<T> readOptional(Rows rows, const char* call) {
    const RowReader<T> reader(rows);
    if (!rows.next()) return std::nullopt;
    std::optional<T> row(reader.read(rows));
    if (rows.next()) throwRowCount(call, false);
    return row;
}

template <class T>
T readOne(Rows rows) {
    std::optional<T> row = readOptional<T>(std::move(rows), "queryOne");
    if (!row) throwRowCount("queryOne", true);
    return std::move(*row);
}

}  // namespace plugdb::detail
