// The application-facing API: open a database by configuration, run SQL with
// bound parameters, read typed rows, use transactions.
//
// Placeholders: write "?" for every parameter on every engine; core rewrites
// it to the engine's style ($1, $2, ... on PostgreSQL). "?" inside string
// literals, quoted identifiers and comments is left alone; write "??" for a
// literal "?" operator outside them.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "plugdb/driver.h"
#include "plugdb/error.h"
#include "plugdb/value.h"

namespace plugdb {

class Config;
struct PluginInfo;

namespace detail {
class Lease;
class DatabaseCore;
}  // namespace detail

// A view of bound parameters: `db.exec(sql, {1, "x"})` or a std::vector<Value>.
// Non-owning: valid for the duration of the call it is passed to.
class Params {
public:
    Params() = default;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winit-list-lifetime"  // a view by design, see above
    Params(std::initializer_list<Value> list) : data_(list.begin()), size_(list.size()) {}
#pragma GCC diagnostic pop
    Params(const std::vector<Value>& values) : data_(values.data()), size_(values.size()) {}
    Params(std::span<const Value> values) : data_(values.data()), size_(values.size()) {}
    std::span<const Value> view() const {
        return {data_, size_};
    }

private:
    const Value* data_ = nullptr;
    std::size_t size_ = 0;
};

struct Result {
    std::int64_t rowsAffected = 0;
    std::optional<std::int64_t> lastInsertId;  // set where the engine reports one
};

// Rows of a query, read forward once. Holds its connection until destroyed or exhausted.
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
    // rows; meaningful when columns() is empty (INSERT, UPDATE, DDL, ...).
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
    Rows(std::shared_ptr<detail::Lease> lease, std::shared_ptr<Statement> statement);

    // Order matters: the statement is released before the connection it runs on.
    std::shared_ptr<detail::Lease> lease_;
    std::shared_ptr<Statement> statement_;
    bool onRow_ = false;
};

// A statement prepared once and run many times with new parameters.
// Rows it returned are valid until it runs again.
class PreparedStatement {
public:
    PreparedStatement(PreparedStatement&&) noexcept;
    PreparedStatement& operator=(PreparedStatement&&) noexcept;
    ~PreparedStatement();

    Result exec(Params params = {});
    Rows query(Params params = {});
    std::size_t parameterCount() const { return parameterCount_; }

private:
    friend class detail::Lease;
    PreparedStatement(std::shared_ptr<detail::Lease> lease, std::shared_ptr<Statement> statement,
                      std::size_t parameterCount);
    void run(Params params);

    // Order matters: the statement is released before the connection it runs on.
    std::shared_ptr<detail::Lease> lease_;
    std::shared_ptr<Statement> statement_;
    std::size_t parameterCount_ = 0;
};

// A transaction on one connection. Rolled back when destroyed without commit().
class Transaction {
public:
    Transaction(Transaction&&) noexcept;
    Transaction& operator=(Transaction&&) = delete;
    ~Transaction();

    Result exec(std::string_view sql, Params params = {});
    Rows query(std::string_view sql, Params params = {});
    PreparedStatement prepare(std::string_view sql);

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

    std::shared_ptr<detail::Lease> lease_;
    bool active_ = true;
};

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
    // Runs SQL exactly as written: no placeholder rewriting, no parameters.
    void executeScript(std::string_view sql);
    Transaction begin();

private:
    friend class Database;
    explicit Session(std::shared_ptr<detail::Lease> lease);
    std::shared_ptr<detail::Lease> lease_;
};

// Information about the open database, for ping, health and logs.
struct DatabaseInfo {
    std::string driver;         // plugin name, e.g. "sqlite"
    std::string driverVersion;  // plugin version
    std::string target;         // where it points, secrets masked
    std::uint64_t capabilities = 0;
};

// A database opened through its driver plugin. Thread-safe: each call borrows
// a connection, so threads may share one Database.
class Database {
public:
    // Resolves the driver from configuration (db.driver or the URL scheme),
    // loads its plugin and opens a first connection. Throws plugdb::Error.
    static Database open(const Config& config);

    Database(Database&&) noexcept;
    Database& operator=(Database&&) noexcept;
    ~Database();

    Result exec(std::string_view sql, Params params = {});
    Rows query(std::string_view sql, Params params = {});
    PreparedStatement prepare(std::string_view sql);
    Transaction begin();
    // Holds one connection for the caller (see Session).
    Session session();

    // Runs fn(Transaction&) in a transaction: commits when fn returns, rolls
    // back and rethrows when it throws. (Retrying serialization failures comes
    // with the pool; today an error surfaces unchanged.)
    template <class Fn>
    auto transact(Fn&& fn) -> decltype(fn(std::declval<Transaction&>()));

    void ping();
    std::string serverVersion();
    const DatabaseInfo& info() const;
    const Dialect& dialect() const;
    bool has(Capability capability) const { return (info().capabilities & capability) != 0; }

private:
    explicit Database(std::shared_ptr<detail::DatabaseCore> core);
    std::shared_ptr<detail::DatabaseCore> core_;
};

template <class Fn>
auto Database::transact(Fn&& fn) -> decltype(fn(std::declval<Transaction&>())) {
    Transaction tx = begin();
    // fn may end the transaction itself; otherwise returning means commit.
    if constexpr (std::is_void_v<decltype(fn(tx))>) {
        fn(tx);
        if (tx.active()) tx.commit();
    } else {
        auto result = fn(tx);
        if (tx.active()) tx.commit();
        return result;
    }
}

}  // namespace plugdb
