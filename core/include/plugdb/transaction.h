// A transaction on one connection.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plugdb/bulk_insert.h"
#include "plugdb/named_queries.h"
#include "plugdb/params.h"
#include "plugdb/prepared_statement.h"
#include "plugdb/result.h"
#include "plugdb/row_mapping.h"
#include "plugdb/rows.h"

namespace plugdb {

class Database;
class Session;

namespace detail {
class Lease;
}  // namespace detail

// A transaction on one connection. Rolled back when destroyed without commit().
class Transaction {
public:
    Transaction(Transaction&&) noexcept;
    Transaction& operator=(Transaction&&) = delete;
    ~Transaction();

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
    PreparedStatement prepare(std::string_view sql);
    // As Database::insertReturning, on this connection.
    Value insertReturning(std::string_view table, const std::vector<std::string>& columns,
                          Params values, std::string_view key);
    // Starts loading rows into `table` (one identifier, quoted by core) for the
    // given columns; see BulkInsert.
    BulkInsert bulkInsert(std::string_view table, const std::vector<std::string>& columns);

    void commit();
    void rollback();
    bool active() const { return active_; }

    // Savepoints (capability "savepoints"); names are quoted as identifiers.
    void savepoint(std::string_view name);
    void rollbackTo(std::string_view name);
    void release(std::string_view name);

private:
    friend class Database;
    friend class Session;
    explicit Transaction(std::shared_ptr<detail::Lease> lease);
    // Begun with the driver's own statement instead of begin() (a stale read).
    Transaction(std::shared_ptr<detail::Lease> lease, const std::string& beginStatement);

    std::shared_ptr<detail::Lease> lease_;
    bool active_ = true;
};

}  // namespace plugdb
