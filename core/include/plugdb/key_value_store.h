// The key-value extension interface a driver's connection implements when
// its engine stores keys and values natively (capability key_value).
//
// An extension interface (docs/writing-a-driver.md): a driver's Connection
// class may also inherit KeyValueStore; core finds it with dynamic_cast. For a
// connection without it, core serves Database::kv() from a table of its own
// (key_value.h), so the same program runs on every engine.
//
// Keys and values are bytes (std::string holds any byte, 0x00 included); keys
// are ordered by unsigned byte comparison, a key before every longer key it is
// a prefix of. Core checks namespaces, sizes against kvLimits() and bounds
// before calling; errors are plugdb::Error as everywhere in the ABI.
//
// Frozen like the structs in driver.h: a later addition comes as a new
// interface, so plugins built against this header keep loading.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace plugdb {

// What the engine accepts; 0: no limit of the engine's own.
struct KvLimits {
    std::uint64_t maxKeyBytes = 0;
    std::uint64_t maxValueBytes = 0;
};

// A key range [begin, end), read forward or in reverse.
struct KvBounds {
    std::string begin{};               // inclusive; empty: from the first key
    std::optional<std::string> end{};  // exclusive; std::nullopt: to the last key
    bool reverse = false;              // from the last key of the range down to the first
    std::uint64_t limit = 0;           // at most this many pairs; 0: all
};

// One pending write of an atomic batch. The bytes belong to the caller and
// stay valid during the kvApply call only: a batch keeps its keys and values
// in a few large blocks rather than two strings a write.
struct KvWrite {
    enum class Kind : std::uint8_t { Put, Erase };
    Kind kind = Kind::Put;
    std::string_view ns{};
    std::string_view key{};
    std::string_view value{};  // Put only
};

// A streamed scan: pairs are read from the engine as next() advances, never
// the whole range at once. One thread at a time; core destroys every cursor of
// a connection before the connection.
class KvCursor {
public:
    virtual ~KvCursor();
    // Advances to the next pair; false when the range is exhausted.
    virtual bool next() = 0;
    // The current pair, valid until the next call to next().
    virtual std::string_view key() const = 0;
    virtual std::string_view value() const = 0;
};

// Implemented by a Connection whose engine is a key-value store. Namespaces
// (1-64 bytes of [A-Za-z0-9_.-], checked by core) come into being on their
// first write; reading one that does not exist finds nothing.
class KeyValueStore {
public:
    virtual ~KeyValueStore();

    virtual KvLimits kvLimits() const = 0;
    // The value, or std::nullopt for an absent key.
    virtual std::optional<std::string> kvGet(std::string_view ns, std::string_view key) = 0;
    // Applies every write or none; a write acknowledged here survives a crash
    // when the store was opened with sync writes.
    virtual void kvApply(std::span<const KvWrite> writes) = 0;
    // Atomically, against every other write of every connection of the
    // process: when the key's current value is `expected` (std::nullopt: the
    // key is absent), stores `desired` (std::nullopt: erases the key) and
    // returns true; otherwise changes nothing and returns false.
    virtual bool kvCompareAndSet(std::string_view ns, std::string_view key,
                                 const std::optional<std::string>& expected,
                                 const std::optional<std::string>& desired) = 0;
    // Pairs of the namespace within bounds (limit included), in key order.
    virtual std::unique_ptr<KvCursor> kvScan(std::string_view ns, const KvBounds& bounds) = 0;
    // From kvBeginSnapshot() until kvEndSnapshot(), kvGet and kvScan on this
    // connection (cursors opened meanwhile included) see the store as it was
    // at kvBeginSnapshot(), whatever other connections write. Core does not
    // nest them and ends every snapshot it began.
    virtual void kvBeginSnapshot() = 0;
    virtual void kvEndSnapshot() = 0;
};

}  // namespace plugdb
