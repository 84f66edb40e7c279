// A small query builder: SELECT, INSERT (one or many rows, upsert), UPDATE
// and DELETE written once and rendered for each engine.
//
//   using namespace plugdb::sql;
//   Rows rows = select({"u.id", "u.name", count().as("orders")})
//                   .from("users", "u")
//                   .leftJoin("orders", "o", col("o.user_id") == col("u.id"))
//                   .where(col("u.name").like("a%") && col("u.active") == true)
//                   .groupBy({"u.id", "u.name"})
//                   .orderBy("u.name")
//                   .limit(10)
//                   .query(db);
//
// Safe by its types: a table, column or alias is a Name, always quoted by the
// dialect ("a.b" is quoted per part); a value is a plugdb::Value, always a
// bound parameter, so a string given where a value goes is data, never SQL.
// SQL text reaches a statement only through unsafeRaw(), named to stand out
// in review.
//
// What differs between engines (quote character, placeholders, upsert form,
// OFFSET without LIMIT, RETURNING) is data a driver reports (Target). A
// statement renders for a connected Database, or for a driver loaded without
// connecting (Target::forDriver), e.g. to print the SQL an engine would run.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plugdb/database.h"
#include "plugdb/driver.h"
#include "plugdb/query_dialect.h"
#include "plugdb/registry.h"
#include "plugdb/value.h"

namespace plugdb::sql {

// What rendering needs to know of an engine.
struct Target {
    Dialect dialect{};
    std::uint64_t capabilities = 0;  // Capability bits; kCapReturning decides RETURNING
    QueryDialect query{};

    // The connected engine, as its first connection refined its traits (a
    // MariaDB server has RETURNING, a MySQL server has not).
    static Target of(const Database& db);
    // What a driver declares, without connecting (its plugin descriptor's
    // capabilities, its Dialect and QueryDialect).
    static Target of(const LoadedDriver& driver);
    // The driver called `name` (a plugin name or alias), loaded through the
    // registry from the search path without connecting.
    static Target forDriver(const std::string& name, const std::vector<std::string>& searchPath);

    bool has(Capability capability) const { return (capabilities & capability) != 0; }
};

// A statement ready to run: SQL and its parameters, in order.
struct Rendered {
    std::string sql;
    std::vector<Value> params;
};

// An identifier: table, column or alias. "a.b" names b in a (each part quoted
// on its own); a part may hold any character but NUL, quotes are doubled.
// Throws plugdb::Error (invalid_argument) for an empty name or part.
class Name {
public:
    Name(const char* name) : Name(std::string_view(name)) {}
    Name(const std::string& name) : Name(std::string_view(name)) {}
    Name(std::string_view name);
    // One identifier whose dots are part of it ("a.b" is one name).
    static Name unqualified(std::string_view name);

    const std::vector<std::string>& parts() const { return parts_; }

private:
    Name() = default;
    std::vector<std::string> parts_;
};

// One element of an expression; built only by the functions below.
struct Piece {
    enum class Kind : std::uint8_t {
        Sql,    // text written by the builder, or given to unsafeRaw()
        Name,   // an identifier, quoted when rendered
        Param,  // a value, bound as a parameter
    };
    Kind kind = Kind::Sql;
    std::string sql{};
    std::vector<std::string> name{};
    Value value{};
};

namespace detail {
struct ExprAccess;
}  // namespace detail

// A condition or a computed value: a column, a bound value, an operator, a
// function, or a raw fragment.
class Expr {
public:
    Expr() = default;  // empty: "no condition" for where() and having()

    bool empty() const { return pieces_.empty(); }
    const std::vector<Piece>& pieces() const { return pieces_; }

    Expr isNull() const;
    Expr isNotNull() const;
    // An empty list matches no row (IN () is not SQL): rendered as 1 = 0.
    Expr in(const std::vector<Value>& values) const;
    Expr notIn(const std::vector<Value>& values) const;
    Expr between(Value low, Value high) const;
    Expr like(Value pattern) const;
    Expr notLike(Value pattern) const;
    // "expr AS alias", for the select list.
    Expr as(std::string_view alias) const;

private:
    friend struct detail::ExprAccess;
    std::vector<Piece> pieces_;
    std::uint8_t level_ = 0;  // how tightly it binds, for parentheses
};

// A column (or any qualified name) in an expression.
Expr col(Name name);
// A value in an expression, bound as a parameter.
Expr val(Value value);
// SQL text taken as written: the only way to put SQL of your own into a
// statement. Never build it from input; "?" in it counts as a placeholder.
Expr unsafeRaw(std::string sql);

// Aggregates.
Expr count();  // COUNT(*)
Expr count(const Expr& e);
Expr sum(const Expr& e);
Expr min(const Expr& e);
Expr max(const Expr& e);
Expr avg(const Expr& e);

// Comparisons and arithmetic; a Value operand is bound.
Expr operator==(const Expr& a, const Expr& b);
Expr operator!=(const Expr& a, const Expr& b);
Expr operator<(const Expr& a, const Expr& b);
Expr operator<=(const Expr& a, const Expr& b);
Expr operator>(const Expr& a, const Expr& b);
Expr operator>=(const Expr& a, const Expr& b);
Expr operator+(const Expr& a, const Expr& b);
Expr operator-(const Expr& a, const Expr& b);
Expr operator==(const Expr& a, Value b);
Expr operator!=(const Expr& a, Value b);
Expr operator<(const Expr& a, Value b);
Expr operator<=(const Expr& a, Value b);
Expr operator>(const Expr& a, Value b);
Expr operator>=(const Expr& a, Value b);
Expr operator+(const Expr& a, Value b);
Expr operator-(const Expr& a, Value b);
// Logic; an empty operand drops out (empty && x is x).
Expr operator&&(const Expr& a, const Expr& b);
Expr operator||(const Expr& a, const Expr& b);
Expr operator!(const Expr& a);

// An item of a select list, GROUP BY or ORDER BY: a name or an expression.
class Term {
public:
    Term(const char* name) : expr_(col(name)) {}
    Term(const std::string& name) : expr_(col(name)) {}
    Term(Name name) : expr_(col(std::move(name))) {}
    Term(Expr expr) : expr_(std::move(expr)) {}
    const Expr& expr() const { return expr_; }

private:
    Expr expr_;
};

enum class Order : std::uint8_t { Asc, Desc };

class Select {
public:
    explicit Select(std::vector<Term> columns) : columns_(std::move(columns)) {}

    Select& from(Name table);
    Select& from(Name table, Name alias);
    Select& join(Name table, Expr on);
    Select& join(Name table, Name alias, Expr on);
    Select& leftJoin(Name table, Expr on);
    Select& leftJoin(Name table, Name alias, Expr on);
    // Several calls are joined with AND.
    Select& where(Expr condition);
    Select& groupBy(std::vector<Term> terms);
    Select& having(Expr condition);
    Select& orderBy(Term term, Order order = Order::Asc);
    Select& limit(std::int64_t rows);
    Select& offset(std::int64_t rows);

    // "?" placeholders, as Database::exec and query take them.
    Rendered build(const Target& target) const;
    // The engine's own placeholders ($1, ...): the text the server receives.
    Rendered render(const Target& target) const;
    Rows query(Database& db) const;

private:
    struct Join {
        const char* kind;
        Name table;
        std::optional<Name> alias;
        Expr on;
    };
    std::vector<Term> columns_;
    std::optional<Name> table_;
    std::optional<Name> alias_;
    std::vector<Join> joins_;
    Expr where_;
    std::vector<Term> groupBy_;
    Expr having_;
    std::vector<std::pair<Term, Order>> orderBy_;
    std::optional<std::int64_t> limit_;
    std::optional<std::int64_t> offset_;
};

class Insert {
public:
    explicit Insert(Name table) : table_(std::move(table)) {}

    Insert& columns(std::vector<Name> columns);
    // One row, a value per column; call again for more rows (one statement).
    Insert& values(std::vector<Value> row);
    // Upsert: when a row with the same `keys` (a primary key or unique
    // constraint) exists, set `columns` to the values this INSERT brought.
    Insert& onConflict(std::vector<Name> keys, std::vector<Name> columns);
    // The generated key to return from a single-row insert (execReturning):
    // RETURNING where the engine has it, its last insert id otherwise.
    Insert& returning(Name key);

    Rendered build(const Target& target) const;
    Rendered render(const Target& target) const;
    Result exec(Database& db) const;
    // Runs the insert and returns the generated key of returning(). Throws
    // plugdb::Error (unsupported) when the engine reports no key.
    Value execReturning(Database& db) const;
    // The same for `target`'s way of returning it (a Target::of(db) without
    // kCapReturning reads the last insert id instead).
    Value execReturning(Database& db, const Target& target) const;

private:
    Name table_;
    std::vector<Name> columns_;
    std::vector<std::vector<Value>> rows_;
    std::vector<Name> conflictKeys_;
    std::vector<Name> conflictUpdates_;
    std::optional<Name> returning_;
};

class Update {
public:
    explicit Update(Name table) : table_(std::move(table)) {}

    Update& set(Name column, Value value);
    Update& set(Name column, Expr value);
    // Several calls are joined with AND. Without where() nor everyRow()
    // building refuses: an UPDATE of every row must be asked for.
    Update& where(Expr condition);
    Update& everyRow();

    Rendered build(const Target& target) const;
    Rendered render(const Target& target) const;
    Result exec(Database& db) const;

private:
    Name table_;
    std::vector<std::pair<Name, Expr>> sets_;
    Expr where_;
    bool everyRow_ = false;
};

class Delete {
public:
    explicit Delete(Name table) : table_(std::move(table)) {}

    // As Update: where() or everyRow() is required.
    Delete& where(Expr condition);
    Delete& everyRow();

    Rendered build(const Target& target) const;
    Rendered render(const Target& target) const;
    Result exec(Database& db) const;

private:
    Name table_;
    Expr where_;
    bool everyRow_ = false;
};

// SELECT columns (none: SELECT *).
Select select(std::vector<Term> columns = {});
Insert insertInto(Name table);
Update update(Name table);
Delete deleteFrom(Name table);

}  // namespace plugdb::sql
