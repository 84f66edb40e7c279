// The example application's code migrations: its key-value data in
// namespace "app", users under "user:<id>".
#pragma once

#include <vector>

#include "plugdb/migrate.h"

namespace example {

inline constexpr const char* kNamespace = "app";

// 1 kv_schema_version: records the layout version under "schema_version".
// 2 users_to_json: rewrites every "user:" value from the plain name of
//   layout 1 to {"name": ...} (layout 2), and back on down.
std::vector<plugdb::migrate::CodeMigration> appMigrations();

}  // namespace example
