// How the engines speaking PostgreSQL's protocol hold core's key-value table
// and begin its snapshots: the same answers for each of them.
#pragma once

#include <string>

#include "plugdb/key_value_table.h"

namespace plugdb::postgres {

const KeyValueTable& byteaKeyValueTable();
// BEGIN of a read-only transaction that reads one snapshot throughout.
const std::string& repeatableReadSnapshot();

}  // namespace plugdb::postgres
