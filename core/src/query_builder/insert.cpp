#include "run_returning.h"
#include "writer.h"

namespace plugdb::sql {

Insert insertInto(Name table) {
    return Insert(std::move(table));
}

Insert& Insert::columns(std::vector<Name> columns) {
    columns_ = std::move(columns);
    return *this;
}
Insert& Insert::values(std::vector<Value> row) {
    rows_.push_back(std::move(row));
    return *this;
}
Insert& Insert::onConflict(std::vector<Name> keys, std::vector<Name> columns) {
    conflictKeys_ = std::move(keys);
    conflictUpdates_ = std::move(columns);
    return *this;
}
Insert& Insert::returning(Name key) {
    returning_ = std::move(key);
    return *this;
}

namespace {

void checkShape(std::size_t columns, const std::vector<std::vector<Value>>& rows) {
    if (columns == 0) detail::refuse("An INSERT needs its columns().");
    if (rows.empty()) detail::refuse("An INSERT needs at least one row of values().");
    for (std::size_t i = 0; i < rows.size(); ++i)
        if (rows[i].size() != columns)
            detail::refuse("Row " + std::to_string(i + 1) + " of the INSERT has " +
                           std::to_string(rows[i].size()) + " values for " +
                           std::to_string(columns) + " columns.");
}

}  // namespace

Rendered Insert::build(const Target& target) const {
    checkShape(columns_.size(), rows_);
    const bool upsert = !conflictKeys_.empty() || !conflictUpdates_.empty();
    if (upsert && (conflictKeys_.empty() || conflictUpdates_.empty()))
        detail::refuse("onConflict() needs the key columns and the columns it updates.");
    if (returning_) {
        if (rows_.size() != 1)
            detail::refuse("returning() reads the key of a single-row INSERT, not of " +
                           std::to_string(rows_.size()) + " rows.");
        // Which row's key an engine reports after an update instead of an insert differs.
        if (upsert) detail::refuse("returning() is not portable with onConflict().");
        if (!target.has(kCapReturning) && !target.has(kCapLastInsertId))
            throw Error(ErrorCategory::Unsupported,
                        "The driver reports neither RETURNING nor a last insert id, so the key "
                        "an INSERT generated cannot be read.");
    }

    detail::Writer w(target);
    w.sql("INSERT INTO ").name(table_).sql(" (");
    w.list(columns_, [&](const Name& c) { w.name(c); });
    w.sql(") VALUES ");
    w.list(rows_, [&](const std::vector<Value>& row) {
        w.sql("(");
        w.list(row, [&](const Value& v) { w.param(v); });
        w.sql(")");
    });
    if (upsert) {
        if (target.query.upsert == QueryDialect::Upsert::OnDuplicateKey) {
            w.sql(" ON DUPLICATE KEY UPDATE ");
            w.list(conflictUpdates_,
                   [&](const Name& c) { w.name(c).sql(" = VALUES(").name(c).sql(")"); });
        } else {
            w.sql(" ON CONFLICT (");
            w.list(conflictKeys_, [&](const Name& c) { w.name(c); });
            w.sql(") DO UPDATE SET ");
            w.list(conflictUpdates_, [&](const Name& c) { w.name(c).sql(" = excluded.").name(c); });
        }
    }
    if (returning_ && target.has(kCapReturning)) w.sql(" RETURNING ").name(*returning_);
    return w.finish();
}

Rendered Insert::render(const Target& target) const {
    return detail::forEngine(build(target), target);
}

Result Insert::exec(Database& db) const {
    // With returning() on a RETURNING engine core reads the returned rows to their end.
    const Rendered r = build(Target::of(db));
    return db.exec(r.sql, r.params);
}

Value Insert::execReturning(Database& db) const {
    return execReturning(db, Target::of(db));
}

Value Insert::execReturning(Database& db, const Target& target) const {
    if (!returning_) detail::refuse("execReturning() needs the key column given to returning().");
    return detail::runReturning(db, *this, target);
}

}  // namespace plugdb::sql
