// One connection held for the caller.
#pragma once

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "plugdb/named_queries.h"
#include "plugdb/params.h"
#include "plugdb/result.h"
#include "plugdb/row_mapping.h"
#include "plugdb/rows.h"
#include "plugdb/transaction.h"

namespace plugdb {

class Database;

namespace detail {
class Lease;
}  // namespace detail

// One connection held for the caller until destroyed, for work that needs the
// same session throughout: session-level locks, or a script whose statements
// run verbatim. Transactions begun here run on this connection too.
class Session {
public:
    Session(Session&&) noexcept;
    Session& operator=(Session&&) noexcept;
    ~Session();

    Result exec(std::string_view sql, Params params = {});
    Rows query(std::string_view sql, Params params = {});
    // The rows as T, as Database::queryAll, queryOne and queryOptional.
    template <class T>
    std::vector<T> queryAll(std::string_view sql, Params params = {}) {
        return detail::readAll<T>(query(sql, params));
    }
    template <class T>
    T queryOne(std::string_view sql, Params params = {}) {
        return detail::readOne<T>(query(sql, params));
    }
    template <class T>
    std::optional<T> queryOptional(std::string_view sql, Params params = {}) {
        return detail::readOptional<T>(query(sql, params), "queryOptional");
    }
    // Database::named and namedExec, on this connection.
    Rows named(std::string_view name, const NamedParams& params = {});
    Result namedExec(std::string_view name, const NamedParams& params = {});
    // As Database::insertReturning, on this connection.
    Value insertReturning(std::string_view table, const std::vector<std::string>& columns,
                          Params values, std::string_view key);
    // Runs SQL exactly as written: no placeholder rewriting, no parameters.
    void executeScript(std::string_view sql);
    Transaction begin();

private:
    friend class Database;
    explicit Session(std::shared_ptr<detail::Lease> lease);
    std::shared_ptr<detail::Lease> lease_;
};

}  // namespace plugdb
