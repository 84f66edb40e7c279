// Reads that tolerate slightly old data, so that a nearby replica or follower
// can serve them instead of the leader: the engine-neutral request behind
// Database::beginStaleRead() and the extension interface that provides it.
//
// An extension interface (docs/writing-a-driver.md): a driver's Connection
// class may also inherit StaleReadSource; core finds it with dynamic_cast.
// Without it, Database::beginStaleRead() refuses (unsupported) with a
// sentence naming the driver: a stale read is never turned into another
// kind of read behind the caller's back, nor a normal read into a stale one.
//
// Frozen like the structs in driver.h: a later addition comes as a new
// interface, so plugins built against this header keep loading.
#pragma once

#include <chrono>
#include <string>

namespace plugdb {

struct StaleRead {
    // How far in the past the read sees the database. 0: the most recent
    // time the engine's replicas can serve (CockroachDB's
    // follower_read_timestamp()).
    std::chrono::milliseconds staleness{0};
};

// Implemented by a Connection whose engine can read at a time in the past.
class StaleReadSource {
public:
    virtual ~StaleReadSource();
    // The one statement that begins a read-only transaction seeing the
    // database as of read.staleness ago (core checked it is not negative).
    // Core runs it with executeScript() instead of begin() and ends the
    // transaction with commit() or rollback() as usual.
    virtual std::string staleReadBegin(const StaleRead& read) const = 0;
};

}  // namespace plugdb
