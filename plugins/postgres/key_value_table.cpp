#include "key_value_table.h"

namespace plugdb::postgres {

// BYTEA compares bytes, shorter first. A b-tree entry holds at most about
// 2700 bytes, so keys stay well below.
const KeyValueTable& byteaKeyValueTable() {
    static const KeyValueTable kTable{
        "TEXT", "BYTEA", "BYTEA", "", 2048, 0, KeyValueTable::Upsert::OnConflict};
    return kTable;
}

const std::string& repeatableReadSnapshot() {
    static const std::string kBegin = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
    return kBegin;
}

}  // namespace plugdb::postgres
