// The Target of the database a transaction or session borrowed its connection from.
#pragma once

#include "plugdb/query_builder.h"

namespace plugdb::detail {
class DatabaseCore;
}  // namespace plugdb::detail

namespace plugdb::sql::detail {

Target targetOf(const plugdb::detail::DatabaseCore& core);

}  // namespace plugdb::sql::detail
