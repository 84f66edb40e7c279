// A normalized description of a database's tables, read through each engine's
// catalog (sqlite_master / pragmas, pg_catalog, information_schema), so that
// schemas can be compared within one engine and across engines.
#pragma once

#include <string>

#include "plugdb/database.h"

namespace plugdb::test {

// One line per table, column (normalized type, nullability), primary key,
// index and foreign key, sorted. Tables named in `skip` are left out.
std::string describeSchema(Database& db, const std::string& skipTable);

}  // namespace plugdb::test
