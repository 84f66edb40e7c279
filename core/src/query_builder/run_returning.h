// Runs a single-row INSERT and reads the key it generated: from RETURNING
// where the target has it, from the engine's last insert id otherwise. One
// template for Database, Transaction and Session, which share exec and query.
#pragma once

#include "plugdb/error.h"
#include "plugdb/query_builder.h"

namespace plugdb::sql::detail {

template <class Executor>
Value runReturning(Executor& executor, const Insert& insert, const Target& target) {
    const Rendered r = insert.build(target);
    if (target.has(kCapReturning)) {
        Rows rows = executor.query(r.sql, r.params);
        if (!rows.next())
            throw Error(ErrorCategory::Other, "The INSERT ... RETURNING returned no row.");
        Value key = rows.value(0);
        while (rows.next()) {
        }
        return key;
    }
    const Result result = executor.exec(r.sql, r.params);
    if (!result.lastInsertId)
        throw Error(ErrorCategory::Unsupported,
                    "The INSERT ran, but the driver reported no generated key for it.");
    return Value(*result.lastInsertId);
}

// The single-row insert Database::insertReturning and its kin run.
inline Insert returningInsert(std::string_view table, const std::vector<std::string>& columns,
                              Params values, std::string_view key) {
    std::vector<Name> names(columns.begin(), columns.end());
    Insert insert = insertInto(Name(table));
    insert.columns(std::move(names))
        .values(std::vector<Value>(values.view().begin(), values.view().end()))
        .returning(Name(key));
    return insert;
}

}  // namespace plugdb::sql::detail
