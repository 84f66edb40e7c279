// How a SQL engine spells core's key-value table, reported by the driver as
// data: core builds the table and its statements from it (key_value.h), so
// Database::kv() runs on engines without a native key-value store.
//
// An extension interface (docs/writing-a-driver.md): a driver's Driver class
// may also inherit KeyValueTableProvider; core finds it with dynamic_cast. A
// driver with neither it nor connections that are a KeyValueStore has no
// key-value API: Database::kv() refuses with unsupported, naming both.
//
// The table is plugdb_kv(ns, k, v), primary key (ns, k). Core orders keys
// with ORDER BY k, so the key type must compare as unsigned bytes, shorter
// first on a common prefix (memcmp order): SQLite BLOB, PostgreSQL BYTEA,
// MySQL VARBINARY.
//
// Frozen like the structs in driver.h: a later addition comes as a new
// interface, so plugins built against this header keep loading.
#pragma once

#include <cstdint>
#include <string>

namespace plugdb {

struct KeyValueTable {
    // Column types, as CREATE TABLE spells them. The namespace holds 1-64
    // ASCII bytes compared exactly; key and value hold any bytes, bound and
    // read as Blob values.
    std::string namespaceType = "VARCHAR(64)";
    std::string keyType{};    // "BLOB", "BYTEA", "VARBINARY(3008)"
    std::string valueType{};  // "BLOB", "BYTEA", "LONGBLOB"
    // Appended after the closing parenthesis of CREATE TABLE.
    std::string createTableSuffix{};
    // The largest key and value the table takes (the key type's length, an
    // index entry's size, the largest packet); 0: none of the engine's own.
    // Core refuses larger ones, naming the limit, before the engine sees them.
    std::uint64_t maxKeyBytes = 0;
    std::uint64_t maxValueBytes = 0;

    // How an INSERT replaces the row of an existing key.
    enum class Upsert : std::uint8_t {
        // INSERT ... ON CONFLICT (ns, k) DO UPDATE SET v = excluded.v; and
        // ON CONFLICT (ns, k) DO NOTHING for an insert only if absent
        OnConflict,
        // INSERT ... ON DUPLICATE KEY UPDATE v = VALUES(v); an insert only if
        // absent is a plain INSERT, its duplicate key error the answer
        OnDuplicateKey,
    };
    Upsert upsert = Upsert::OnConflict;
};

// Implemented by a Driver whose engine can hold core's key-value table.
class KeyValueTableProvider {
public:
    virtual ~KeyValueTableProvider();
    virtual const KeyValueTable& keyValueTable() const = 0;
};

}  // namespace plugdb
