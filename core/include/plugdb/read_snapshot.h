// How a SQL engine begins a read-only transaction that sees one consistent
// snapshot of the whole database, reported by the driver as data: key-value
// snapshots (key_value.h) and any reader that must see several tables as of
// one moment use it.
//
// An extension interface (docs/writing-a-driver.md): a driver's Driver class
// may also inherit ReadSnapshotProvider; core finds it with dynamic_cast. A
// driver without it gets the neutral default, Connection::begin(): consistent
// only where the engine's default isolation is snapshot or serializable.
//
// Core runs the statement with Connection::executeScript, reads once right
// away (some engines take the snapshot at the first read, not at BEGIN), and
// ends the transaction with Connection::rollback().
//
// Frozen like the structs in driver.h: a later addition comes as a new
// interface, so plugins built against this header keep loading.
#pragma once

#include <string>

namespace plugdb {

// Implemented by a Driver that knows how its engine begins a read snapshot.
class ReadSnapshotProvider {
public:
    virtual ~ReadSnapshotProvider();
    // e.g. "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
    virtual const std::string& beginReadSnapshot() const = 0;
};

}  // namespace plugdb
