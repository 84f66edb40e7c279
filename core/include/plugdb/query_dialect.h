// How an engine spells what the query builder (query_builder.h) writes beyond
// quoting and placeholders, reported by the driver as data: core renders
// upserts and OFFSET from it, never from an engine's name.
//
// An extension interface (docs/writing-a-driver.md): a driver's Driver class
// may also inherit QueryDialectProvider; core finds it with dynamic_cast. A
// driver without it gets the neutral default below (ON CONFLICT, OFFSET alone).
//
// Frozen like the structs in driver.h: a later addition comes as a new
// interface, so plugins built against this header keep loading.
#pragma once

#include <cstdint>
#include <string>

namespace plugdb {

struct QueryDialect {
    // How an INSERT updates the row whose key already exists.
    enum class Upsert : std::uint8_t {
        OnConflict,      // INSERT ... ON CONFLICT (k) DO UPDATE SET v = excluded.v
        OnDuplicateKey,  // INSERT ... ON DUPLICATE KEY UPDATE v = VALUES(v)
    };
    Upsert upsert = Upsert::OnConflict;
    // The LIMIT clause written before OFFSET when a query has an offset but
    // no limit, for engines whose OFFSET needs one: "LIMIT -1",
    // "LIMIT 18446744073709551615". Empty: OFFSET stands alone.
    std::string limitForOffsetOnly{};
};

// Implemented by a Driver that reports how the query builder spells its SQL.
class QueryDialectProvider {
public:
    virtual ~QueryDialectProvider();
    virtual const QueryDialect& queryDialect() const = 0;
};

}  // namespace plugdb
