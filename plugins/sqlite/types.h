// Moving plugdb::Value in and out of SQLite, and what a declared column type means.
#pragma once

#include <sqlite3.h>

#include <string_view>

#include "plugdb/value.h"

namespace plugdb::sqlite {

// The plugdb type a declared column type decodes to, by substring like SQLite's
// own affinity rules; Type::Null when nothing matches (decided per value).
Type typeForDeclared(std::string_view declaredType);

// Binds `value` to parameter `index` (1-based); returns the SQLite result code.
int bindValue(sqlite3_stmt* statement, int index, const Value& value);

// The value in `column` of the current row, read as `columnType` where the
// stored value converts without loss, otherwise as it is stored.
Value readValue(sqlite3_stmt* statement, int column, Type columnType);

}  // namespace plugdb::sqlite
